//! Refactorings offered as code actions: extract variable on a selection
//! (`refactor.extract`, [`crate::ide::extract_variable`]), extract function
//! (`refactor.extract.function`, [`crate::ide::extract_function`]) and inline
//! variable or a call at the cursor (`refactor.inline`,
//! [`crate::ide::inline_variable`], [`crate::ide::inline_function`]), each checked by the graph (no new
//! unresolved name, no broken call) before it is offered. Where the
//! refactoring cannot be done safely, the action is offered disabled, with
//! the reason.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp::lsp_types::{self as lsp, CodeActionKind, CodeActionOrCommand, Url};

use super::locations::Locator;
use super::{Backend, convert};
use crate::actions::check::Checker;
use crate::actions::edit::FileChange;
use crate::graph::Graph;
use crate::ide::edits::apply;
use crate::ide::extract_function::{NOT_A_SELECTION, extract_function, shadows_submodule};
use crate::ide::extract_variable::{Extraction, NOT_AN_EXPRESSION, extract_variable};
use crate::ide::inline_function::{NOT_A_CALL, inline_at};
use crate::ide::occurrences::name_span;
use crate::workspace::{Document, to_byte_offset};

/// How much of the expression a title shows.
const TITLE_CHARS: usize = 40;

impl Backend {
    /// The extractions of the selection `range`: into a variable
    /// (`refactor.extract`) and into a function (`refactor.extract.function`),
    /// as `wants` asks.
    pub(super) async fn extract_actions(&self, uri: &Url, range: lsp::Range, wants: impl Fn(&CodeActionKind) -> bool) -> Vec<CodeActionOrCommand> {
        if range.start == range.end {
            return Vec::new();
        }
        let Some(doc) = self.snapshot(uri) else { return Vec::new() };
        let encoding = self.encoding();
        let offset = |p: lsp::Position| to_byte_offset(&doc.rope, convert::text_position(p), encoding).ok();
        let (Some(start), Some(end)) = (offset(range.start), offset(range.end)) else { return Vec::new() };
        let text = doc.text();
        // A notebook's code is read as IPython reads it (`%time`, `!ls`).
        let source = ruff_python_ast::PySourceType::from(super::diagnostics::document_path(uri).as_path());
        let selected: String = text[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
        let shown = if selected.chars().count() > TITLE_CHARS { format!("{}…", selected.chars().take(TITLE_CHARS).collect::<String>()) } else { selected };
        let mut offered = Vec::new();
        if wants(&CodeActionKind::REFACTOR_EXTRACT) {
            let extraction = extract_variable(&text, source, start..end, None).map_err(|why| (why != NOT_AN_EXPRESSION).then_some(why));
            let title =
                |name: Option<&str>| name.map_or_else(|| format!("Extract `{shown}` into a variable"), |name| format!("Extract `{shown}` into `{name}`"));
            offered.extend(self.extraction_action(uri, &doc, CodeActionKind::REFACTOR_EXTRACT, extraction, title).await);
        }
        if wants(&function_kind()) {
            let extraction = extract_function(&text, source, start..end, None).map_err(|why| (why != NOT_A_SELECTION).then_some(why)).and_then(|e| {
                let clash = uri.to_file_path().ok().and_then(|path| shadows_submodule(&path, &e.name));
                clash.map_or(Ok(e), |why| Err(Some(why)))
            });
            let title = |name: Option<&str>| name.map_or_else(|| "Extract into a function".to_owned(), |name| format!("Extract into function `{name}`"));
            offered.extend(self.extraction_action(uri, &doc, function_kind(), extraction, title).await);
        }
        offered
    }

    /// The action of `extraction` (an error with no reason: nothing to
    /// offer), checked by the graph, titled by `title` (given the new name,
    /// or none when it is disabled).
    async fn extraction_action(
        &self,
        uri: &Url,
        doc: &Document,
        kind: CodeActionKind,
        extraction: Result<Extraction, Option<String>>,
        title: impl Fn(Option<&str>) -> String,
    ) -> Option<CodeActionOrCommand> {
        let extraction = match extraction {
            Ok(extraction) => extraction,
            Err(None) => return None,
            Err(Some(why)) => return Some(disabled(title(None), kind, why)),
        };
        let text = doc.text();
        let candidate = apply(&text, &extraction.replacements);
        let change = FileChange { path: super::diagnostics::document_path(uri), original: text, candidate };
        match self.problems(uri, self.linked_snapshot().await, vec![change]).await? {
            problems if !problems.is_empty() => return Some(disabled(title(None), kind, problems)),
            _ => {}
        }
        let encoding = self.encoding();
        let edits = extraction
            .replacements
            .iter()
            .map(|r| lsp::TextEdit { range: convert::range(&doc.rope, &r.span.range(), encoding), new_text: r.text.clone() })
            .collect();
        Some(CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: title(Some(&extraction.name)),
            kind: Some(kind),
            edit: Some(super::code_actions::workspace_edit(uri, edits)),
            ..Default::default()
        }))
    }

    /// The inlining of the variable or the call at the cursor (the start
    /// of `range`).
    pub(super) async fn inline_actions(&self, uri: &Url, range: lsp::Range) -> Vec<CodeActionOrCommand> {
        let position = lsp::TextDocumentPositionParams { text_document: lsp::TextDocumentIdentifier { uri: uri.clone() }, position: range.start };
        let Some((graph, file, offset)) = self.linked_graph_at(&position).await else { return Vec::new() };
        let Some(entry) = graph.file(file) else { return Vec::new() };
        let (text, path) = (entry.text().to_string(), entry.path.clone());
        let Some(span) = name_span(&text, offset) else { return Vec::new() };
        let title = format!("Inline `{}`", &text[span.range()]);
        let kind = CodeActionKind::REFACTOR_INLINE;
        let inlining = match inline_at(&graph, file, offset) {
            Ok(inlining) => inlining,
            Err(why) if why == NOT_A_CALL => return Vec::new(),
            Err(why) => return vec![disabled(title, kind, why)],
        };
        let candidate = apply(&text, &inlining.replacements);
        let mut changes = vec![FileChange { path, original: text, candidate }];
        // Every call of a function: the other files it edits, checked together.
        for edits in &inlining.elsewhere {
            let Some(entry) = graph.file(edits.file) else { return Vec::new() };
            changes.push(FileChange { path: entry.path.clone(), original: entry.text().to_string(), candidate: apply(entry.text(), &edits.replacements) });
        }
        changes.retain(|c| c.original != c.candidate);
        match self.problems(uri, graph.clone(), changes).await {
            None => return Vec::new(),
            Some(problems) if !problems.is_empty() => return vec![disabled(title, kind, problems)],
            Some(_) => {}
        }
        let mut locator = Locator::new(&graph, self.encoding());
        let files = std::iter::once((file, &inlining.replacements)).chain(inlining.elsewhere.iter().map(|e| (e.file, &e.replacements)));
        let mut changes: HashMap<Url, Vec<lsp::TextEdit>> = HashMap::new();
        for (at, replacements) in files {
            for r in replacements {
                let (Some(uri), Some(range)) = (locator.uri(at), locator.range(at, r.span)) else { return Vec::new() };
                changes.entry(uri).or_default().push(lsp::TextEdit { range, new_text: r.text.clone() });
            }
        }
        vec![CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: inlining.title,
            kind: Some(kind),
            edit: Some(lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() }),
            ..Default::default()
        })]
    }

    /// The problems the graph finds in `changes`, joined (empty when there
    /// are none); `None` when the checks could not run.
    async fn problems(&self, uri: &Url, graph: Arc<Graph>, changes: Vec<FileChange>) -> Option<String> {
        let checker = Checker::new(graph, self.findings_configs());
        let check = move || match changes.as_slice() {
            [change] => checker.check_naming_file(&change.path, &change.original, &change.candidate),
            all => checker.check_all(all),
        };
        match tokio::task::spawn_blocking(check).await {
            Ok(problems) => Some(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")),
            Err(e) => {
                tracing::error!(%uri, "the refactoring's checks failed to run: {e}");
                None
            }
        }
    }
}

/// The kind of extract function, under `refactor.extract`.
pub(super) fn function_kind() -> CodeActionKind {
    CodeActionKind::new("refactor.extract.function")
}

/// The action `title`, offered disabled with `reason`.
fn disabled(title: String, kind: CodeActionKind, reason: String) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(lsp::CodeAction { title, kind: Some(kind), disabled: Some(lsp::CodeActionDisabled { reason }), ..Default::default() })
}
