//! Refactorings offered as code actions on a selection: extract variable
//! (`refactor.extract`), computed by [`crate::ide::extract_variable`] and
//! checked by the graph (no new unresolved name, no broken call) before it
//! is offered. Where the selection is an expression that cannot be
//! extracted safely, the action is offered disabled, with the reason.

use tower_lsp::lsp_types::{self as lsp, CodeActionKind, CodeActionOrCommand, Url};

use super::{Backend, convert};
use crate::actions::check::Checker;
use crate::ide::edits::apply;
use crate::ide::extract_variable::{NOT_AN_EXPRESSION, extract_variable};
use crate::workspace::to_byte_offset;

/// How much of the expression a title shows.
const TITLE_CHARS: usize = 40;

impl Backend {
    /// The extractions of the selection `range`.
    pub(super) async fn extract_actions(&self, uri: &Url, range: lsp::Range) -> Vec<CodeActionOrCommand> {
        if range.start == range.end {
            return Vec::new();
        }
        let Some(doc) = self.snapshot(uri) else { return Vec::new() };
        let encoding = self.encoding();
        let offset = |p: lsp::Position| to_byte_offset(&doc.rope, convert::text_position(p), encoding).ok();
        let (Some(start), Some(end)) = (offset(range.start), offset(range.end)) else { return Vec::new() };
        let text = doc.text();
        let selected: String = text[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
        let shown = if selected.chars().count() > TITLE_CHARS { format!("{}…", selected.chars().take(TITLE_CHARS).collect::<String>()) } else { selected };
        let refused = |reason: String| {
            vec![CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Extract `{shown}` into a variable"),
                kind: Some(CodeActionKind::REFACTOR_EXTRACT),
                disabled: Some(lsp::CodeActionDisabled { reason }),
                ..Default::default()
            })]
        };
        let extraction = match extract_variable(&text, start..end, None) {
            Ok(extraction) => extraction,
            Err(why) if why == NOT_AN_EXPRESSION => return Vec::new(),
            Err(why) => return refused(why),
        };
        let candidate = apply(&text, &extraction.replacements);
        let path = super::diagnostics::document_path(uri);
        let configs = self.findings_configs();
        let checker = Checker::new(self.linked_snapshot().await, configs);
        let original = text.clone();
        let checked = tokio::task::spawn_blocking(move || checker.check(&path, &original, &candidate)).await;
        match checked {
            Ok(problems) if problems.is_empty() => {}
            Ok(problems) => return refused(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")),
            Err(e) => {
                tracing::error!(%uri, "the extraction's checks failed to run: {e}");
                return Vec::new();
            }
        }
        let edits = extraction
            .replacements
            .iter()
            .map(|r| lsp::TextEdit { range: convert::range(&doc.rope, &r.span.range(), encoding), new_text: r.text.clone() })
            .collect();
        vec![CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: format!("Extract `{shown}` into `{}`", extraction.name),
            kind: Some(CodeActionKind::REFACTOR_EXTRACT),
            edit: Some(super::code_actions::workspace_edit(uri, edits)),
            ..Default::default()
        })]
    }
}
