//! Findings for open documents as diagnostics: pulled
//! (`textDocument/diagnostic`) when the client supports it, else pushed
//! once typing pauses. Findings are computed once per document version and
//! cached; fixes and the `# noqa` edit travel in each diagnostic's `data`,
//! so code actions need no second analysis.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use ropey::Rope;
use serde::{Deserialize, Serialize};
use tower_lsp::jsonrpc;
use tower_lsp::lsp_types::{self as lsp, Url};

use super::Backend;
use super::convert;
use crate::findings::{self, Applicability, Configs, Edit, Finding, Severity, Tag};
use crate::graph::Graph;
use crate::settings::LintSettings;
use crate::workspace::{Document, PositionEncoding};

/// How long typing must pause before a document is re-analysed.
const DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(75);

/// What the server keeps for diagnostics.
#[derive(Default)]
pub(super) struct DiagnosticsState {
    configs: RwLock<Option<Arc<Configs>>>,
    /// The client pulls diagnostics; nothing is pushed.
    pull: AtomicBool,
    /// The findings of the last analysed version of each document, and the
    /// graph they were checked against (weak: a newer graph may differ).
    cache: Mutex<HashMap<Url, Analysed>>,
    /// The line of each document's most recent edit: "fix all" leaves the
    /// imports there alone, since the user may be typing the code that
    /// uses them.
    last_edit_line: Mutex<HashMap<Url, u32>>,
    /// The notebooks whose diagnostics are being analysed to be pushed, and
    /// whether an edit came meanwhile (they are analysed again).
    running: Mutex<HashMap<Url, bool>>,
    /// One analysis of a document at a time: a pull that comes while the
    /// push's analysis of the same version runs (a notebook's are pushed
    /// to clients that pull too) waits for it and reads its findings from
    /// the cache instead of analysing the version a second time.
    analysing: Mutex<HashMap<Url, Arc<tokio::sync::Mutex<()>>>>,
}

#[derive(Clone)]
struct Analysed {
    version: i32,
    graph: Weak<Graph>,
    findings: Arc<Vec<Finding>>,
}

/// A diagnostic's `data`: the edits its code actions apply, computed for
/// one document version.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct DiagnosticData {
    pub version: i32,
    pub fix: Option<ActionData>,
    pub suppress: Option<ActionData>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct ActionData {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<lsp::TextEdit>,
}

impl Backend {
    fn diagnostics_state(&self) -> &DiagnosticsState {
        &self.state.diagnostics
    }

    pub(super) fn set_pull_diagnostics(&self, pull: bool) {
        self.diagnostics_state().pull.store(pull, Ordering::SeqCst);
    }

    /// Rebuilds the rule configurations under `root` (ruff configuration
    /// files with `lint` on top) and forgets cached findings.
    pub(super) fn reload_findings_config(&self, root: Option<&std::path::Path>, lint: &LintSettings) -> Vec<String> {
        let (configs, warnings) = Configs::new(root.unwrap_or(std::path::Path::new(".")), lint);
        let state = self.diagnostics_state();
        *state.configs.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(configs));
        state.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
        warnings
    }

    /// The rule configurations (built with the settings at `initialize`).
    pub(super) fn findings_configs(&self) -> Arc<Configs> {
        let configs = self.diagnostics_state().configs.read().unwrap_or_else(|e| e.into_inner()).clone();
        configs.unwrap_or_else(|| Arc::new(Configs::new(std::path::Path::new("."), &LintSettings::default()).0))
    }

    /// Remembers the line `uri` is being typed on (an LSP line), or that
    /// its last edit typed on none.
    pub(super) fn note_edit_line(&self, uri: &Url, line: Option<u32>) {
        let mut lines = self.diagnostics_state().last_edit_line.lock().unwrap_or_else(|e| e.into_inner());
        match line {
            Some(line) => lines.insert(uri.clone(), line),
            None => lines.remove(uri),
        };
    }

    pub(super) fn last_edit_line(&self, uri: &Url) -> Option<u32> {
        self.diagnostics_state().last_edit_line.lock().unwrap_or_else(|e| e.into_inner()).get(uri).copied()
    }

    /// The buffer of the open document at `path` (not a notebook: its
    /// buffer is JSON, its places are in its joined cells).
    fn open_rope(&self, path: &Path) -> Option<Rope> {
        if crate::notebook::Notebook::is_notebook(path) {
            return None;
        }
        self.snapshot(&Url::from_file_path(path).ok()?).map(|d| d.rope)
    }

    pub(super) fn forget_document(&self, uri: &Url) {
        let state = self.diagnostics_state();
        state.cache.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
        state.last_edit_line.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
        state.analysing.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
        self.state.stale_calls.forget(uri);
    }

    /// Analyses every open document again (the rules changed, the workspace
    /// index was installed): clients that pull are asked to pull again; the
    /// others get new publishes. A notebook's are pushed either way, as its
    /// edits' are (no client pulls a cell's), by its edits' own run: an
    /// analysis going on for an edit takes the refresh over when it ends
    /// instead of a second one running beside it.
    pub(super) async fn refresh_diagnostics(&self) {
        let uris: Vec<Url> = self.documents().uris().filter_map(|u| Url::parse(u).ok()).collect();
        let (notebooks, uris): (Vec<Url>, Vec<Url>) = uris.into_iter().partition(|uri| self.state.notebooks.is_open(uri.as_str()));
        for notebook in notebooks {
            self.publish_coalesced(notebook);
        }
        if self.diagnostics_state().pull.load(Ordering::SeqCst) {
            if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                tracing::debug!("client did not refresh diagnostics: {e}");
            }
            return;
        }
        // After the debounce, like any analysis: the user may be typing.
        for uri in uris {
            let this = self.clone();
            tokio::spawn(async move {
                tokio::time::sleep(DEBOUNCE).await;
                let Some((doc, findings)) = this.findings(&uri).await else { return };
                let mut diagnostics = diagnostics(&uri, &doc, &findings, this.encoding(), &|p| this.open_rope(p));
                diagnostics.extend(this.snippet_diagnostics(&uri, doc.version));
                this.client.publish_diagnostics(uri, diagnostics, Some(doc.version)).await;
            });
        }
    }

    /// Something other than the text changed `uri`'s diagnostics (a snippet
    /// test run): clients that pull are asked to pull again, the others get
    /// a new publish.
    pub(super) async fn diagnostics_changed(&self, uri: Url, version: i32) {
        if self.diagnostics_state().pull.load(Ordering::SeqCst) && !self.state.notebooks.is_open(uri.as_str()) {
            if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                tracing::debug!("client did not refresh diagnostics: {e}");
            }
        } else {
            self.schedule_diagnostics(uri, version);
        }
    }

    /// Analyses `uri` once typing pauses, and publishes if the document is
    /// still at the version analysed. Clients that pull ask when they want.
    /// A notebook's are analysed at once (see [`Backend::publish_coalesced`]).
    pub(super) fn schedule_diagnostics(&self, uri: Url, version: i32) {
        // A notebook's are pushed, pulling or not: VS Code pulls the
        // diagnostics of text documents, and never of notebook cells.
        if self.state.notebooks.is_open(uri.as_str()) {
            self.publish_coalesced(uri);
            return;
        }
        let pull = self.diagnostics_state().pull.load(Ordering::SeqCst);
        let this = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(DEBOUNCE).await;
            if this.documents().is_at(uri.as_str(), version) {
                this.publish_and_refresh(&uri, version, pull).await;
            }
        });
    }

    /// A notebook's diagnostics, pushed with no delay: the push is the only
    /// way a cell's reach the client, so a typing pause would be in every
    /// edit's path. An edit made while its notebook is being analysed is not
    /// analysed apart: the run that is going on analyses the latest text
    /// again when it ends, so that typing costs one analysis at a time.
    fn publish_coalesced(&self, uri: Url) {
        {
            let mut running = self.diagnostics_state().running.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(again) = running.get_mut(&uri) {
                *again = true;
                return;
            }
            running.insert(uri.clone(), false);
        }
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                if let Some(doc) = this.snapshot(&uri) {
                    this.publish_and_refresh(&uri, doc.version, false).await;
                }
                let mut running = this.diagnostics_state().running.lock().unwrap_or_else(|e| e.into_inner());
                match running.get_mut(&uri) {
                    Some(again) if *again => *again = false,
                    _ => {
                        running.remove(&uri);
                        return;
                    }
                }
            }
        });
    }

    /// Publishes `uri`'s diagnostics at `version` (unless `pull`, or the
    /// document has moved on meanwhile), then the dependents'.
    async fn publish_and_refresh(&self, uri: &Url, version: i32, pull: bool) {
        if !pull {
            let Some((doc, findings)) = self.findings(uri).await else { return };
            let mut diagnostics = diagnostics(uri, &doc, &findings, self.encoding(), &|p| self.open_rope(p));
            diagnostics.extend(self.snippet_diagnostics(uri, version));
            if self.snapshot(uri).is_none_or(|d| d.version != version) {
                return;
            }
            self.client.publish_diagnostics(uri.clone(), diagnostics, Some(version)).await;
            tracing::debug!(%uri, version, "published");
        }
        // With files still to re-link, the re-link publishes when done.
        if !self.relinks_pending() {
            self.refresh_dependents(uri).await;
        }
    }

    /// The other open documents may rely on definitions `changed` just
    /// changed (or define what it calls: LOOM806): those whose graph
    /// findings differ now are published again, or, for a client that
    /// pulls (and pulls only the document it edits), it is asked to pull
    /// again.
    pub(super) async fn refresh_dependents(&self, changed: &Url) {
        self.refresh_tokens_of_others(changed).await;
        let uris: Vec<Url> = self.documents().uris().filter_map(|u| Url::parse(u).ok()).filter(|u| u != changed).collect();
        let mut differ = false;
        for uri in uris {
            differ |= self.republish_graph_findings(&uri).await;
        }
        if differ {
            self.ask_to_pull_again().await;
        }
    }

    /// After the re-link an edit of `changed` waited for: its own graph
    /// findings can change too (the calls of its functions in other files,
    /// LOOM806), and so can the other documents'.
    pub(super) async fn refresh_after_relink(&self, changed: &Url) {
        self.refresh_dependents(changed).await;
        if self.republish_graph_findings(changed).await {
            self.ask_to_pull_again().await;
        }
    }

    /// `workspace/diagnostic/refresh` to a client that pulls.
    async fn ask_to_pull_again(&self) {
        if self.diagnostics_state().pull.load(Ordering::SeqCst)
            && let Err(e) = self.client.workspace_diagnostic_refresh().await
        {
            tracing::debug!("client did not refresh diagnostics: {e}");
        }
    }

    /// Analyses `uri` again and, when its graph findings differ from the
    /// last analysis, publishes them to a client that does not pull.
    /// Whether they differed.
    async fn republish_graph_findings(&self, uri: &Url) -> bool {
        let before = self.diagnostics_state().cache.lock().unwrap_or_else(|e| e.into_inner()).get(uri).cloned();
        let Some((doc, findings)) = self.findings(uri).await else { return false };
        let unchanged = before.is_some_and(|b| b.version == doc.version && graph_findings_equal(&b.findings, &findings));
        if !unchanged && !self.diagnostics_state().pull.load(Ordering::SeqCst) {
            let diagnostics = diagnostics(uri, &doc, &findings, self.encoding(), &|p| self.open_rope(p));
            self.client.publish_diagnostics(uri.clone(), diagnostics, Some(doc.version)).await;
        }
        !unchanged
    }

    /// The current document and its findings, from the cache when this
    /// version was analysed against the current graph already.
    pub(super) async fn findings(&self, uri: &Url) -> Option<(Document, Arc<Vec<Finding>>)> {
        // The graph checks compare against the live text of every open file.
        let started = Instant::now();
        self.sync_graph_linked(uri).await;
        let synced = started.elapsed();
        let gate = self.diagnostics_state().analysing.lock().unwrap_or_else(|e| e.into_inner()).entry(uri.clone()).or_default().clone();
        let _analysing = gate.lock().await;
        let gated = started.elapsed();
        let doc = self.snapshot(uri)?;
        let cached = self.diagnostics_state().cache.lock().unwrap_or_else(|e| e.into_inner()).get(uri).cloned();
        if let Some(hit) = cached.filter(|c| c.version == doc.version && self.state.graph.read(|graph| Weak::as_ptr(&c.graph) == graph as *const Graph)) {
            tracing::trace!(%uri, version = hit.version, "findings from cache");
            return Some((doc, hit.findings));
        }
        let configs = self.findings_configs();
        let max_bytes = self.settings().files.max_file_bytes;
        let path = document_path(uri);
        let analysed = doc.clone();
        let notebooks = self.state.notebooks.clone();
        let uri_text = uri.to_string();
        let (state, analysed_uri) = (self.state.clone(), uri.clone());
        let computed = tokio::task::spawn_blocking(move || {
            let running = started.elapsed();
            // An installed package's file, opened from a definition: not the user's code.
            if analysed.rope.len_bytes() > max_bytes || state.graph.read(|graph| graph.is_library_path(&path)) {
                return (Vec::new(), Weak::new());
            }
            // A notebook's JSON opened as text (by a client without notebook
            // documents): no Python at these positions; `pyloom check` reads it.
            if path.extension().is_some_and(|e| e == "ipynb") && !notebooks.is_open(&uri_text) {
                return (Vec::new(), Weak::new());
            }
            let config = configs.for_file(&path);
            // Left out by ruff's `exclude`, `extend-exclude` or `lint.exclude`:
            // ruff's server does not lint it open either.
            if config.exclusion.excludes_open(&path, config.project_root()) {
                return (Vec::new(), Weak::new());
            }
            let text = analysed.text();
            // A notebook's module text is the buffer's text.
            let notebook = notebooks.notebook(&uri_text, &text);
            // The lint first, with no snapshot of the graph held meanwhile:
            // a keystroke's update would copy the whole graph.
            let check = findings::check_buffer(&path, &text, notebook.as_deref(), &config);
            let checked = started.elapsed();
            // Linked again if an edit landed since the sync above.
            let graph = super::indexing::linked_for(&state, Some(&path));
            // Only when the graph holds this very text (offsets must agree).
            let in_graph =
                graph.file_id(&path).filter(|&id| graph.file(id).is_some_and(|f| f.hash == crate::graph::content_hash(&text))).map(|id| (graph.as_ref(), id));
            let stale_calls = match in_graph {
                Some((graph, file)) if config.own_check_enabled(super::stale_calls::CODE, &path) => state.stale_calls.findings(&analysed_uri, graph, file),
                _ => Vec::new(),
            };
            let findings = check.finish_with(&path, &text, &config, in_graph, stale_calls);
            // Where an edit's wait for its diagnostics goes (ms from the request).
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            let (synced, gated, running, checked, done) = (ms(synced), ms(gated), ms(running), ms(checked), ms(started.elapsed()));
            tracing::debug!(uri = %analysed_uri, version = analysed.version, synced, gated, running, checked, done, in_graph = in_graph.is_some(), "findings computed");
            (findings, Arc::downgrade(&graph))
        })
        .await;
        let (findings, graph) = match computed {
            Ok((findings, graph)) => (Arc::new(findings), graph),
            Err(e) => {
                tracing::error!(%uri, "analysis failed: {e}");
                return None;
            }
        };
        let analysed = Analysed { version: doc.version, graph, findings: findings.clone() };
        self.diagnostics_state().cache.lock().unwrap_or_else(|e| e.into_inner()).insert(uri.clone(), analysed);
        Some((doc, findings))
    }

    pub(super) async fn on_diagnostic(&self, params: lsp::DocumentDiagnosticParams) -> jsonrpc::Result<lsp::DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some((doc, findings)) = self.findings(&uri).await else {
            return Err(jsonrpc::Error::invalid_params(format!("{uri} is not open")));
        };
        // The findings of one version can change with the graph: the id
        // names the version and what was found.
        let snippet_failures = self.snippet_diagnostics(&uri, doc.version);
        let failures_seen: Vec<&str> = snippet_failures.iter().map(|d| d.message.as_str()).collect();
        let result_id = format!("{}-{:x}-{:x}", doc.version, fingerprint(&findings), seahash::hash(failures_seen.join("\n").as_bytes()));
        let report = if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            lsp::DocumentDiagnosticReport::Unchanged(lsp::RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport { result_id },
            })
        } else {
            lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items: diagnostics(&uri, &doc, &findings, self.encoding(), &|p| self.open_rope(p)).into_iter().chain(snippet_failures).collect(),
                },
            })
        };
        Ok(lsp::DocumentDiagnosticReportResult::Report(report))
    }
}

fn fingerprint(findings: &[Finding]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for f in findings {
        (&f.range, &f.code, &f.message).hash(&mut hasher);
    }
    hasher.finish()
}

fn graph_findings_equal(a: &[Finding], b: &[Finding]) -> bool {
    let graph = |f: &&Finding| f.category == findings::Category::Graph;
    a.iter().filter(graph).eq(b.iter().filter(graph))
}

/// The path a document is analysed as (ruff uses it for per-file ignores
/// and to tell stubs from modules).
pub(super) fn document_path(uri: &Url) -> PathBuf {
    uri.to_file_path().unwrap_or_else(|()| PathBuf::from(uri.path()))
}

/// `open` gives the text of another open document (related places there
/// are located in the buffer, which may differ from the disk).
fn diagnostics(uri: &Url, doc: &Document, findings: &[Finding], encoding: PositionEncoding, open: &dyn Fn(&Path) -> Option<Rope>) -> Vec<lsp::Diagnostic> {
    findings.iter().map(|f| diagnostic(uri, doc, f, encoding, open)).collect()
}

fn diagnostic(uri: &Url, doc: &Document, finding: &Finding, encoding: PositionEncoding, open: &dyn Fn(&Path) -> Option<Rope>) -> lsp::Diagnostic {
    let edits = |edits: &[Edit]| -> Vec<lsp::TextEdit> { edits.iter().map(|e| text_edit(doc, e, encoding)).collect() };
    let data = DiagnosticData {
        version: doc.version,
        fix: finding.fix.as_ref().map(|fix| ActionData { title: fix.message.clone(), applicability: fix.applicability, edits: edits(&fix.edits) }),
        suppress: finding.suppress.as_ref().map(|edit| ActionData {
            title: format!("Suppress {} with `# noqa: {}`", finding.code, finding.code),
            applicability: Applicability::Safe,
            edits: edits(std::slice::from_ref(edit)),
        }),
    };
    let tags: Vec<lsp::DiagnosticTag> = finding
        .tags
        .iter()
        .map(|tag| match tag {
            Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
            Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
        })
        .collect();
    let related: Vec<lsp::DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|r| {
            // In this document: located in its text (a notebook's is its
            // joined cells, not the file's JSON); in another open one, in its
            // buffer. Elsewhere, the definition may be in a file that is not
            // open: located by its text on disk.
            let rope = if r.file == document_path(uri) {
                doc.rope.clone()
            } else if let Some(rope) = open(&r.file) {
                rope
            } else {
                let text = std::fs::read_to_string(&r.file).ok()?;
                let text = match crate::notebook::Notebook::is_notebook(&r.file) {
                    true => crate::notebook::Notebook::parse(&text).ok()?.source().to_owned(),
                    false => text,
                };
                ropey::Rope::from_str(&text)
            };
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location { uri: Url::from_file_path(&r.file).ok()?, range: convert::range(&rope, &r.range, encoding) },
                message: r.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: convert::range(&doc.rope, &finding.range, encoding),
        severity: Some(match finding.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(finding.code.clone())),
        code_description: finding.url.as_ref().and_then(|u| Url::parse(u).ok()).map(|href| lsp::CodeDescription { href }),
        source: Some("pyloom".to_owned()),
        message: finding.message.clone(),
        tags: (!tags.is_empty()).then_some(tags),
        related_information: (!related.is_empty()).then_some(related),
        data: serde_json::to_value(data).map_err(|e| tracing::error!(%uri, "diagnostic data: {e}")).ok(),
    }
}

pub(super) fn text_edit(doc: &Document, edit: &Edit, encoding: PositionEncoding) -> lsp::TextEdit {
    lsp::TextEdit { range: convert::range(&doc.rope, &edit.range, encoding), new_text: edit.content.clone() }
}
