//! The LLM actions offered in `textDocument/codeAction`: found cheaply (a
//! parse of the buffer, no model call) and run only when chosen, as the
//! command they carry. Refactor and Adjust need an instruction the client
//! asks the user for, so clients start them with their own commands.

use serde_json::json;
use tower_lsp::lsp_types::{self as lsp, CodeActionKind, CodeActionOrCommand, Command, Url};

use super::diagnostics::DiagnosticData;
use super::llm_actions::{EXPLAIN, FIX, GENERATE, IMPLEMENT, WRITE_TESTS};
use super::{Backend, convert};
use crate::actions::targets::{comment_at, function_in};
use crate::workspace::to_byte_offset;

impl Backend {
    pub(super) fn llm_code_actions(
        &self,
        uri: &Url,
        range: lsp::Range,
        diagnostics: &[lsp::Diagnostic],
        wants: &dyn Fn(&CodeActionKind) -> bool,
    ) -> Vec<CodeActionOrCommand> {
        let Some(doc) = self.snapshot(uri) else { return Vec::new() };
        let Ok(offset) = to_byte_offset(&doc.rope, convert::text_position(range.start), self.encoding()) else {
            return Vec::new();
        };
        let source = doc.text();
        let at_cursor = json!({"uri": uri, "position": range.start});
        let mut offered = Vec::new();
        if let Some(comment) = comment_at(&source, offset) {
            offered.push((format!("pyloom: generate code for \"{}\"", comment.instruction), "generate", GENERATE, at_cursor.clone(), None));
        }
        // A notebook's cells each parse on their own, as the graph reads them.
        let cells = self.state.notebooks.notebook(uri.as_str(), &source).map(|notebook| notebook.cell_ranges());
        if let Some(function) = function_in(&source, cells.as_deref(), offset) {
            if function.is_stub {
                offered.push((format!("pyloom: implement `{}`", function.name), "implement", IMPLEMENT, at_cursor.clone(), None));
            }
            offered.push((format!("pyloom: write tests for `{}`", function.name), "writeTests", WRITE_TESTS, at_cursor.clone(), None));
            offered.push((format!("pyloom: explain `{}`", function.name), "explain", EXPLAIN, json!({"uri": uri, "range": range}), None));
        }
        offered
            .into_iter()
            .map(|(title, kind, command, argument, diagnostic)| {
                (title, CodeActionKind::from(format!("refactor.rewrite.pyloom.{kind}")), command, argument, diagnostic)
            })
            .chain(diagnostics.iter().filter(|d| without_fix(d)).map(|d| {
                let code = match &d.code {
                    Some(lsp::NumberOrString::String(s)) => s.clone(),
                    _ => "the problem".to_owned(),
                };
                (format!("pyloom: fix {code} with the model"), CodeActionKind::QUICKFIX, FIX, json!({"uri": uri, "diagnostic": d}), Some(d.clone()))
            }))
            .filter(|(_, kind, ..)| wants(kind))
            .map(|(title, kind, command, argument, diagnostic)| {
                CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    command: Some(Command { title: title.clone(), command: command.to_owned(), arguments: Some(vec![argument]) }),
                    title,
                    kind: Some(kind),
                    diagnostics: diagnostic.map(|d| vec![d]),
                    ..Default::default()
                })
            })
            .collect()
    }
}

/// A diagnostic of pyloom's (not a snippet test failure) with no
/// deterministic fix: those get "fix with the model".
fn without_fix(diagnostic: &lsp::Diagnostic) -> bool {
    diagnostic.source.as_deref() == Some("pyloom")
        && diagnostic.data.clone().and_then(|d| serde_json::from_value::<DiagnosticData>(d).ok()).is_none_or(|data| data.fix.is_none())
}
