//! Snippet tests in the editor: the `pyloom.runSnippetTests` and
//! `pyloom.runFolderTests` commands, the
//! "▶ Run" / "✓ passed 12 ms" / "✗ failed" code lenses, failures as
//! diagnostics, work-done progress and cancellation.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::request::CodeLensRefresh;
use tower_lsp::lsp_types::*;

use super::Backend;
use crate::snippets::{self, Snippet, SnippetRunner, Status, TestRequest, TestResult};

/// The command clients bind to one keystroke.
pub const RUN_COMMAND: &str = "pyloom.runSnippetTests";
/// Every test of a folder (or of the workspace), like `pyloom test DIR`.
pub const RUN_FOLDER_COMMAND: &str = "pyloom.runFolderTests";

/// Arguments of `pyloom.runSnippetTests`: a document and, optionally, the
/// 0-based line of the cursor (absent: every test in the file).
#[derive(Debug, Deserialize)]
struct RunArguments {
    uri: Url,
    line: Option<u32>,
}

/// Arguments of `pyloom.runFolderTests`: a folder (absent: every
/// workspace folder).
#[derive(Debug, Default, Deserialize)]
struct FolderArguments {
    uri: Option<Url>,
}

/// Snippet state shared by the handlers.
#[derive(Default)]
pub(super) struct SnippetState {
    /// Built on first use (loading the compiled interpreter component).
    runner: tokio::sync::Mutex<Option<Arc<SnippetRunner>>>,
    /// Last results per document, for lenses and diagnostics.
    results: Mutex<HashMap<Url, LastRun>>,
}

struct LastRun {
    /// Document version the failures' lines refer to.
    version: Option<i32>,
    results: Vec<TestResult>,
}

impl Backend {
    /// `textDocument/codeLens`: one lens per runnable snippet, showing the
    /// last result when there is one.
    pub(super) fn snippet_lenses(&self, params: CodeLensParams) -> Option<Vec<CodeLens>> {
        let uri = params.text_document.uri;
        let doc = self.snapshot(&uri)?;
        let found = self.discover_open(&uri, &doc.text());
        let results = self.state.snippets.results.lock().unwrap_or_else(|e| e.into_inner());
        let last = results.get(&uri);
        let lenses = found
            .iter()
            .map(|snippet| {
                let name = if snippet.name.is_empty() { "<module>" } else { &snippet.name };
                let previous = last.and_then(|run| run.results.iter().find(|r| r.name == name && r.kind == snippet.kind));
                let title = match previous {
                    None => "▶ Run".to_owned(),
                    Some(result) if result.status.is_success() => format!("✓ {} {:.0} ms", status_word(result.status), result.duration_ms),
                    Some(result) => format!("✗ {}", status_word(result.status)),
                };
                let line = u32::try_from(snippet.line.saturating_sub(1)).unwrap_or(u32::MAX);
                CodeLens {
                    range: Range::new(Position::new(line, 0), Position::new(line, 0)),
                    command: Some(Command { title, command: RUN_COMMAND.to_owned(), arguments: Some(vec![serde_json::json!({"uri": uri, "line": line})]) }),
                    data: None,
                }
            })
            .collect();
        Some(lenses)
    }

    /// `workspace/executeCommand` for `pyloom.runSnippetTests`: runs, reports
    /// progress, publishes failures, refreshes lenses, and returns the results.
    pub(super) async fn run_snippet_tests(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        let arguments = params.arguments.into_iter().next().ok_or_else(|| Error::invalid_params("missing argument {uri, line?}"))?;
        let RunArguments { uri, line } = serde_json::from_value(arguments).map_err(|e| Error::invalid_params(format!("expected {{uri, line?}}: {e}")))?;
        let file: PathBuf = uri.to_file_path().map_err(|()| Error::invalid_params(format!("{uri} is not a file")))?;
        let (source, version) = match self.snapshot(&uri) {
            Some(doc) => (doc.text(), Some(doc.version)),
            None => (std::fs::read_to_string(&file).map_err(|e| Error::invalid_params(format!("cannot read {}: {e}", file.display())))?, None),
        };
        let work = self.begin_work(params.work_done_progress_params.work_done_token, "Running snippet tests".to_owned()).await;
        let selected = snippets::select(&self.discover_open(&uri, &source), line.map(|line| line as usize + 1));
        let run = async { self.snippet_runner().await?.run_selected(&file, &source, &selected).await };
        let outcome = tokio::select! {
            outcome = run => Some(outcome),
            () = work.cancelled().cancelled() => None,
        };
        let results = match outcome {
            None => {
                work.end(Some("cancelled".to_owned())).await;
                return Err(Error::request_cancelled());
            }
            Some(Err(error)) => {
                work.end(Some("failed".to_owned())).await;
                tracing::error!("snippet run failed: {error:#}");
                return Err(Error { code: tower_lsp::jsonrpc::ErrorCode::InternalError, message: format!("{error:#}").into(), data: None });
            }
            Some(Ok(results)) => results,
        };
        let passed = results.iter().filter(|r| r.status.is_success()).count();
        work.end(Some(format!("{passed}/{} passed", results.len()))).await;
        // A notebook's results count their lines in its cells, as `pyloom
        // test` does (those kept for its diagnostics count the joined code's).
        let shown: Vec<TestResult> = match self.state.notebooks.notebook(uri.as_str(), &source) {
            Some(notebook) => results.iter().cloned().map(|result| result.in_cells(&notebook)).collect(),
            None => results.clone(),
        };
        let value = serde_json::to_value(&shown).map_err(|e| Error::invalid_params(e.to_string()))?;
        self.show_results(vec![(uri, version, results)]).await;
        Ok(Some(value))
    }

    /// `workspace/executeCommand` for `pyloom.runFolderTests`: every test of
    /// the folder (files discovered like `pyloom test DIR`), several files
    /// at once, with a progress report per file; results go to the lenses
    /// and, for open documents, the diagnostics. Returns all results.
    pub(super) async fn run_folder_tests(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        let FolderArguments { uri } = match params.arguments.into_iter().next() {
            None => FolderArguments::default(),
            Some(argument) => serde_json::from_value(argument).map_err(|e| Error::invalid_params(format!("expected {{uri?}}: {e}")))?,
        };
        let folders: Vec<PathBuf> = match uri {
            Some(uri) => vec![uri.to_file_path().map_err(|()| Error::invalid_params(format!("{uri} is not a file path")))?],
            None => self.state.roots.read().unwrap_or_else(|e| e.into_inner()).clone(),
        };
        if let Some(missing) = folders.iter().find(|folder| !folder.exists()) {
            return Err(Error::invalid_params(format!("{} does not exist", missing.display())));
        }
        let targets: Vec<(PathBuf, Option<usize>)> = folders.into_iter().map(|folder| (folder, None)).collect();
        let settings = self.settings();
        let (mut files, unreadable) =
            tokio::task::block_in_place(|| snippets::collect(&targets, &settings, None)).map_err(|e| Error::invalid_params(format!("{e:#}")))?;
        // Open documents are run as the editor shows them.
        let mut versions = Vec::new();
        for tests in &mut files {
            let uri = Url::from_file_path(&tests.file).ok();
            let open = uri.as_ref().and_then(|uri| self.snapshot(uri));
            if let (Some(uri), Some(doc)) = (&uri, &open) {
                tests.source = doc.text();
                tests.selected = self.discover_open(uri, &tests.source);
            }
            versions.push((uri, open.map(|doc| doc.version)));
        }
        let work = self.begin_work(params.work_done_progress_params.work_done_token, "Running the folder's tests".to_owned()).await;
        let (report, forwarder) = work.reporter();
        let total = files.len();
        let run = async {
            let runner = self.snippet_runner().await?;
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            let mut done = 0;
            anyhow::Ok(
                snippets::run_files(runner, &files, cores, |index, _| {
                    done += 1;
                    let _ = report.send(format!("{done}/{total} files: {}", files[index].file.display()));
                })
                .await,
            )
        };
        let outcome = tokio::select! {
            outcome = run => Some(outcome),
            () = work.cancelled().cancelled() => None,
        };
        drop(report);
        if let Some(forwarder) = forwarder {
            let _ = forwarder.await;
        }
        let outcomes = match outcome {
            None => {
                work.end(Some("cancelled".to_owned())).await;
                return Err(Error::request_cancelled());
            }
            Some(Err(error)) => {
                work.end(Some("failed".to_owned())).await;
                return Err(Error { code: tower_lsp::jsonrpc::ErrorCode::InternalError, message: format!("{error:#}").into(), data: None });
            }
            Some(Ok(outcomes)) => outcomes,
        };
        let mut all = unreadable;
        let mut shown = Vec::new();
        for ((uri, version), outcome) in versions.into_iter().zip(outcomes) {
            match (uri, outcome) {
                (Some(uri), Ok(results)) => {
                    all.extend(results.iter().cloned());
                    shown.push((uri, version, results));
                }
                (_, Err(error)) => tracing::warn!("a file's snippet tests could not run: {error:#}"),
                (None, Ok(results)) => all.extend(results),
            }
        }
        work.end(Some(snippets::counts(&all))).await;
        let value = serde_json::to_value(&all).map_err(|e| Error::invalid_params(e.to_string()))?;
        self.show_results(shown).await;
        Ok(Some(value))
    }

    /// Keeps each document's results for its lenses and diagnostics, then
    /// refreshes both.
    async fn show_results(&self, runs: Vec<(Url, Option<i32>, Vec<TestResult>)>) {
        let mut open = Vec::new();
        {
            let mut last = self.state.snippets.results.lock().unwrap_or_else(|e| e.into_inner());
            for (uri, version, results) in runs {
                if let Some(version) = version {
                    open.push((uri.clone(), version));
                }
                last.insert(uri, LastRun { version, results });
            }
        }
        for (uri, version) in open {
            self.diagnostics_changed(uri, version).await;
        }
        let client = self.client.clone();
        // Not awaited in the handler: a client that never answers must not hold the command.
        tokio::spawn(async move {
            if let Err(error) = client.send_request::<CodeLensRefresh>(()).await {
                tracing::debug!("codeLens refresh not supported: {error}");
            }
        });
    }

    /// Failures of the last run on this document version, as whole-line
    /// diagnostics at the failing line (so no column conversion is needed).
    pub(super) fn snippet_diagnostics(&self, uri: &Url, version: i32) -> Vec<Diagnostic> {
        let results = self.state.snippets.results.lock().unwrap_or_else(|e| e.into_inner());
        let Some(run) = results.get(uri).filter(|run| run.version == Some(version)) else { return Vec::new() };
        run.results
            .iter()
            .filter(|result| !result.status.is_success())
            .map(|result| {
                let line = u32::try_from(result.failure_line.unwrap_or(result.line).saturating_sub(1)).unwrap_or(u32::MAX);
                Diagnostic {
                    range: Range::new(Position::new(line, 0), Position::new(line + 1, 0)),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String(format!("snippet-{}", status_word(result.status).replace(' ', "-")))),
                    source: Some("pyloom-test".to_owned()),
                    message: format!("{} {}: {}", result.name, status_word(result.status), result.message),
                    ..Default::default()
                }
            })
            .collect()
    }

    /// The tests of `source`, the text of the document at `uri`: an open
    /// notebook's found cell by cell, as `pyloom test` finds them, so that a
    /// cell that does not parse hides no test of the cells after it.
    fn discover_open(&self, uri: &Url, source: &str) -> Vec<Snippet> {
        match self.state.notebooks.notebook(uri.as_str(), source) {
            Some(notebook) => snippets::discover_in_cells(source, &notebook.cell_ranges()),
            None => snippets::discover(source),
        }
    }

    pub(super) async fn run_request(&self, request: &TestRequest) -> anyhow::Result<Vec<TestResult>> {
        self.snippet_runner().await?.run(request).await
    }

    /// The runner, built on first use with the workspace's virtualenv mounted.
    async fn snippet_runner(&self) -> anyhow::Result<Arc<SnippetRunner>> {
        let mut slot = self.state.snippets.runner.lock().await;
        if let Some(runner) = slot.as_ref() {
            return Ok(runner.clone());
        }
        let settings = self.settings();
        let roots = self.state.roots.read().unwrap_or_else(|e| e.into_inner()).clone();
        let runner = tokio::task::block_in_place(|| SnippetRunner::for_workspace(&settings, &roots))?;
        *slot = Some(runner.clone());
        Ok(runner)
    }
}

/// The status in words (`memory limit`), for titles and messages.
fn status_word(status: Status) -> String {
    status.word().replace('_', " ")
}
