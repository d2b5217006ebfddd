//! Code actions: each finding's fix (safe ones preferred, unsafe ones
//! labelled) and a "suppress with `# noqa`" action, read from the
//! diagnostic's `data`; and `source.fixAll.pyloom`, which applies every
//! safe fix at once.
//!
//! "Fix all" never removes an import on the line being typed: an import
//! looks unused until the code that uses it is written. The line being typed
//! is the line of the document's most recent edit, and the line the request
//! points at (the cursor, for editors that send it).

use std::collections::HashMap;

use tower_lsp::lsp_types::{self as lsp, CodeActionKind, CodeActionOrCommand, Url};

use super::Backend;
use super::diagnostics::{ActionData, DiagnosticData, text_edit};
use crate::findings::{Applicability, Edit, Finding};

/// The kind of pyloom's "fix all" action.
pub(super) fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.pyloom")
}

/// Removing an unused import.
const UNUSED_IMPORT: &str = "F401";

impl Backend {
    pub(super) async fn on_code_action(&self, params: lsp::CodeActionParams) -> Option<lsp::CodeActionResponse> {
        let uri = params.text_document.uri;
        let only = params.context.only.as_deref();
        let wants = |kind: &CodeActionKind| {
            only.is_none_or(|only| only.iter().any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))))
        };
        let mut actions = Vec::new();
        if wants(&CodeActionKind::QUICKFIX) {
            let version = self.snapshot(&uri)?.version;
            for diagnostic in &params.context.diagnostics {
                actions.extend(quick_fixes(&uri, diagnostic, version));
            }
        }
        if wants(&fix_all_kind()) {
            let protected = [self.last_edit_line(&uri), Some(params.range.start.line)];
            actions.extend(self.fix_all(&uri, &protected).await.map(CodeActionOrCommand::CodeAction));
        }
        Some(actions)
    }

    /// One action applying every safe fix that does not overlap an earlier
    /// one, except unused-import removals on the `protected` lines.
    async fn fix_all(&self, uri: &Url, protected: &[Option<u32>]) -> Option<lsp::CodeAction> {
        let (doc, findings) = self.findings(uri).await?;
        let encoding = self.encoding();
        let line_of = |offset: usize| doc.rope.try_byte_to_line(offset).ok().and_then(|l| u32::try_from(l).ok());
        let touches_protected = |finding: &Finding, edits: &[Edit]| {
            finding.code == UNUSED_IMPORT
                && edits.iter().any(|e| {
                    let (first, last) = (line_of(e.range.start), line_of(e.range.end));
                    protected.iter().flatten().any(|p| first.is_some_and(|f| f <= *p) && last.is_some_and(|l| *p <= l))
                })
        };
        let mut fixes: Vec<&[Edit]> = findings
            .iter()
            .filter_map(|f| {
                let fix = f.fix.as_ref().filter(|fix| fix.applicability == Applicability::Safe)?;
                (!touches_protected(f, &fix.edits)).then_some(fix.edits.as_slice())
            })
            .collect();
        fixes.sort_by_key(|edits| edits.iter().map(|e| e.range.start).min());
        let mut applied: Vec<&[Edit]> = Vec::new();
        let mut end = 0;
        for edits in fixes {
            let start = edits.iter().map(|e| e.range.start).min().unwrap_or(0);
            // ruff gives the same edit to every finding it fixes at once
            // (several unused names of one import): apply it once.
            if applied.contains(&edits) || start < end {
                continue;
            }
            end = edits.iter().map(|e| e.range.end).max().unwrap_or(end);
            applied.push(edits);
        }
        if applied.is_empty() {
            return None;
        }
        let edits: Vec<lsp::TextEdit> = applied.iter().flat_map(|edits| edits.iter()).map(|e| text_edit(&doc, e, encoding)).collect();
        Some(lsp::CodeAction {
            title: "pyloom: fix all safely fixable problems".to_owned(),
            kind: Some(fix_all_kind()),
            edit: Some(workspace_edit(uri, edits)),
            ..Default::default()
        })
    }
}

/// The fix and the suppression of one of pyloom's diagnostics, if its data
/// was computed for the document's current `version`.
fn quick_fixes(uri: &Url, diagnostic: &lsp::Diagnostic, version: i32) -> Vec<CodeActionOrCommand> {
    if diagnostic.source.as_deref() != Some("pyloom") {
        return Vec::new();
    }
    let Some(data) = diagnostic.data.clone().and_then(|d| serde_json::from_value::<DiagnosticData>(d).ok()) else {
        return Vec::new();
    };
    if data.version != version {
        tracing::debug!(%uri, stale = data.version, version, "code action for an outdated diagnostic skipped");
        return Vec::new();
    }
    let action = |action: ActionData, preferred: bool| {
        let title = match action.applicability {
            Applicability::Safe => action.title,
            Applicability::Unsafe => format!("{} (unsafe)", action.title),
            Applicability::DisplayOnly => format!("{} (review before applying)", action.title),
        };
        CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(workspace_edit(uri, action.edits)),
            is_preferred: preferred.then_some(true),
            ..Default::default()
        })
    };
    let mut actions = Vec::new();
    if let Some(fix) = data.fix {
        let preferred = fix.applicability == Applicability::Safe;
        actions.push(action(fix, preferred));
    }
    if let Some(suppress) = data.suppress {
        actions.push(action(suppress, false));
    }
    actions
}

fn workspace_edit(uri: &Url, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..Default::default() }
}
