//! Calls still written for a `def`'s old parameters
//! ([`crate::ide::stale_calls`]) as one diagnostic on the definition's name
//! (LOOM806, information) naming each call, and its fix "update N call
//! sites" as a quick fix and as a `refactor.rewrite` action on the `def`'s
//! line (the standard refactor menu). The fix's edit is computed when the
//! action is asked for, from the graph with every open buffer in it, so it
//! never lands on offsets of an older text. Where the calls lack only the
//! arguments of new parameters without a default, the fix is a command
//! that asks the model for them (see `llm_call_arguments`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::json;
use tower_lsp::lsp_types::{self as lsp, CodeActionKind, CodeActionOrCommand, Command, Url};

use super::Backend;
use super::llm_call_arguments::UPDATE_CALLS;
use super::locations::Locator;
use crate::findings::{Category, Finding, Related, Severity};
use crate::graph::{FileId, Graph};
use crate::ide::stale_calls::{Baseline, StaleCalls};

/// The code of the diagnostic, in the range of the graph's findings.
pub(super) const CODE: &str = "LOOM806";

/// The refactor menu's kind of the fix (under the `refactor.rewrite.pyloom`
/// the server announces).
fn refactor_kind() -> CodeActionKind {
    CodeActionKind::new("refactor.rewrite.pyloom.calls")
}

/// The parameters each open document's functions had when their calls
/// last matched.
#[derive(Default)]
pub(super) struct StaleCallsState {
    baselines: Mutex<HashMap<Url, Baseline>>,
    /// Whether a workspace index was installed. Before it the graph holds
    /// the open buffers alone and no call of theirs elsewhere: a baseline
    /// taken (or moved) then would take a `def` edited since the open for
    /// the one the workspace's calls were written for, and its calls would
    /// never be named (tester 25, L9).
    indexed: AtomicBool,
}

impl StaleCallsState {
    /// The stale calls of `uri`'s functions (`file` in `graph`, which holds
    /// the document's text). The first look takes the baseline (the file's
    /// own signatures). Before the index, or with files still to re-link,
    /// the graph's calls are incomplete: nothing is said and the baseline
    /// waits (the index's install and the re-link publish again when done).
    pub(super) fn stale(&self, uri: &Url, graph: &Graph, file: FileId) -> Vec<StaleCalls> {
        if !self.indexed.load(Ordering::SeqCst) {
            return Vec::new();
        }
        let mut baselines = self.baselines.lock().unwrap_or_else(|e| e.into_inner());
        let baseline = baselines.entry(uri.clone()).or_insert_with(|| Baseline::of(graph, file));
        if graph.pending_relinks() > 0 {
            return Vec::new();
        }
        baseline.stale_calls(graph, file)
    }

    /// The diagnostics of `uri` as findings.
    pub(super) fn findings(&self, uri: &Url, graph: &Graph, file: FileId) -> Vec<Finding> {
        let stale = self.stale(uri, graph, file);
        stale
            .iter()
            .map(|calls| {
                let mut finding = Finding::new(calls.span.range(), CODE, Category::Graph, Severity::Info, calls.message());
                finding.related = calls
                    .places(graph)
                    .into_iter()
                    .filter_map(|(site, message)| Some(Related { file: graph.file(site.file)?.path.clone(), range: site.span.range(), message }))
                    .collect();
                finding
            })
            .collect()
    }

    /// A workspace index is about to be installed: each open document
    /// with no baseline yet takes it from `disk`, the graph as indexed
    /// from the files on disk, before the buffers (maybe edited since they
    /// were opened) are laid over it.
    pub(super) fn take_baselines(&self, disk: &Graph, open: impl IntoIterator<Item = (Url, PathBuf)>) {
        let mut baselines = self.baselines.lock().unwrap_or_else(|e| e.into_inner());
        for (uri, path) in open {
            if let Some(file) = disk.file_id(&path) {
                baselines.entry(uri).or_insert_with(|| Baseline::of(disk, file));
            }
        }
    }

    /// The index is installed and holds the open buffers: calls can be judged.
    pub(super) fn index_installed(&self) {
        self.indexed.store(true, Ordering::SeqCst);
    }

    pub(super) fn forget(&self, uri: &Url) {
        self.baselines.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
    }
}

impl Backend {
    /// "update N call sites" for the `def` on the line of a LOOM806
    /// diagnostic (a quick fix) or on the requested line (`refactor.rewrite`).
    pub(super) async fn stale_call_actions(
        &self,
        uri: &Url,
        range: lsp::Range,
        diagnostics: &[lsp::Diagnostic],
        wants: &(dyn Fn(&CodeActionKind) -> bool + Sync),
    ) -> Vec<CodeActionOrCommand> {
        let ours = |d: &&lsp::Diagnostic| d.source.as_deref() == Some("pyloom") && d.code == Some(lsp::NumberOrString::String(CODE.to_owned()));
        let fixing: Vec<&lsp::Diagnostic> = if wants(&CodeActionKind::QUICKFIX) { diagnostics.iter().filter(ours).collect() } else { Vec::new() };
        let refactoring = wants(&refactor_kind());
        if fixing.is_empty() && !refactoring {
            return Vec::new();
        }
        // Every open buffer in the graph: the edits land on their text.
        self.sync_open_documents().await;
        let Some((graph, file)) = self.linked_graph_file(uri).await else { return Vec::new() };
        let stale = self.state.stale_calls.stale(uri, &graph, file);
        let mut locator = Locator::new(&graph, self.encoding());
        let mut actions = Vec::new();
        for calls in &stale {
            let Some(name) = locator.range(file, calls.span) else { continue };
            let on_line = |r: &lsp::Range| r.start.line <= name.start.line && name.start.line <= r.end.line;
            let diagnostic = fixing.iter().find(|d| on_line(&d.range));
            let kind = match diagnostic {
                Some(_) => CodeActionKind::QUICKFIX,
                None if refactoring && on_line(&range) => refactor_kind(),
                None => continue,
            };
            let action = lsp::CodeAction { kind: Some(kind), diagnostics: diagnostic.map(|d| vec![(*d).clone()]), ..Default::default() };
            if let Some(title) = calls.fix_title() {
                let Some(edit) = workspace_edit(&mut locator, calls) else { continue };
                actions.push(CodeActionOrCommand::CodeAction(lsp::CodeAction { title, edit: Some(edit), is_preferred: diagnostic.map(|_| true), ..action }));
            } else if let Some(title) = calls.model_fix_title() {
                // Run only when chosen: the model is asked then.
                let arguments = Some(vec![json!({"uri": uri, "position": name.start})]);
                let command = Command { title: title.clone(), command: UPDATE_CALLS.to_owned(), arguments };
                actions.push(CodeActionOrCommand::CodeAction(lsp::CodeAction { title, command: Some(command), ..action }));
            }
        }
        actions
    }
}

/// Every rewritten call as one edit; `None` when a file cannot be named.
fn workspace_edit(locator: &mut Locator<'_>, calls: &StaleCalls) -> Option<lsp::WorkspaceEdit> {
    let mut changes: HashMap<Url, Vec<lsp::TextEdit>> = HashMap::new();
    for edit in calls.update.as_deref().ok()? {
        let uri = locator.uri(edit.file)?;
        for replacement in &edit.replacements {
            let range = locator.range(edit.file, replacement.span)?;
            changes.entry(uri.clone()).or_default().push(lsp::TextEdit { range, new_text: replacement.text.clone() });
        }
    }
    Some(lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() })
}
