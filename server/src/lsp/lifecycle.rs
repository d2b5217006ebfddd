//! initialize: capabilities, encoding, roots; and watching the client process.

use std::time::Duration;

use tower_lsp::lsp_types::*;

use super::{Backend, convert};
use crate::workspace::Documents;

/// Capabilities lsp-types 0.94 has no field for, added to the initialize
/// result by the transport: type hierarchy, LSP 3.18's inline completion
/// (`textDocument/inlineCompletion`, see inline_completion.rs) and the
/// notebooks' Python cells (notebooks/).
pub(super) fn extra_capabilities() -> [(&'static str, serde_json::Value); 3] {
    [
        ("typeHierarchyProvider", serde_json::Value::Bool(true)),
        ("inlineCompletionProvider", serde_json::Value::Bool(true)),
        // Every cell of any notebook, markdown too: a client sends only the
        // cells a selector's `cells` names, and cells are numbered among
        // those sent, where `pyloom check` (as ruff) numbers them among all
        // the notebook's (`cell 3` would be `cell 2` past a markdown cell).
        ("notebookDocumentSync", serde_json::json!({"notebookSelector": [{"notebook": "*"}], "save": true})),
    ]
}

impl Backend {
    pub(super) fn on_initialize(&self, params: InitializeParams) -> InitializeResult {
        let encoding = convert::negotiate_encoding(&params);
        self.state.notebooks.set_encoding(encoding);
        let mut roots = workspace_roots(&params);
        if roots.is_empty() {
            // No folders and no `rootUri` (Neovim 0.11 without root markers):
            // the working directory, and the first opened file's project
            // when the working directory does not hold it.
            self.state.root_fallback.store(true, std::sync::atomic::Ordering::SeqCst);
            roots.extend(std::env::current_dir().ok().filter(|cwd| is_project_folder(cwd)));
        }
        tracing::info!(?encoding, ?roots, "initialize");
        // Requests between now and `initialized` (a rename in the explorer
        // as the folder opens) wait for the index it starts, rather than
        // answer from an empty graph.
        if !roots.is_empty() {
            self.state.index.set(crate::live::IndexState::Indexing { done: 0, total: 0 });
        }
        *self.state.roots.write().unwrap_or_else(|e| e.into_inner()) = roots;
        self.state.layers.lock().unwrap_or_else(|e| e.into_inner()).initialization =
            super::client_layer("initializationOptions", params.initialization_options);
        let max_bytes = {
            // Read the settings now so limits apply to the first documents;
            // warnings are shown once the client is initialized.
            self.reload_settings();
            self.settings().files.max_file_bytes
        };
        *self.documents() = Documents::new(encoding, max_bytes);
        let hover_formats = params.capabilities.text_document.as_ref().and_then(|t| t.hover.as_ref()).and_then(|h| h.content_format.as_ref());
        let plaintext = hover_formats.and_then(|formats| formats.first()) == Some(&MarkupKind::PlainText);
        self.state.hover_plaintext.store(plaintext, std::sync::atomic::Ordering::Relaxed);
        let progress = params.capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false);
        self.state.work_done_progress.store(progress, std::sync::atomic::Ordering::Relaxed);
        self.state.create_files.store(super::file_rename::creates_files(&params.capabilities), std::sync::atomic::Ordering::Relaxed);
        self.note_watch_capability(&params.capabilities);
        self.note_completion_capability(&params.capabilities);
        self.state.token_refresh.note_capability(&params.capabilities);
        // Pull only when the client also takes `workspace/diagnostic/refresh`:
        // snippet runs and edits in other files change a document's
        // diagnostics, and a client that cannot be told would show stale ones
        // until its next edit (Neovim 0.11 pulls but does not handle refresh).
        let capabilities = &params.capabilities;
        let pull_diagnostics = capabilities.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some())
            && capabilities.workspace.as_ref().and_then(|w| w.diagnostic.as_ref()).and_then(|d| d.refresh_support) == Some(true);
        self.set_pull_diagnostics(pull_diagnostics);
        if let Some(pid) = params.process_id {
            watch_client_process(pid, self.state.clone());
        }
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..Default::default()
                })),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    resolve_provider: Some(true),
                    trigger_characters: Some(vec![".".to_owned(), " ".to_owned()]),
                    ..Default::default()
                }),
                signature_help_provider: Some(SignatureHelpOptions {
                    trigger_characters: Some(vec!["(".to_owned(), ",".to_owned()]),
                    retrigger_characters: Some(vec!["=".to_owned()]),
                    ..Default::default()
                }),
                definition_provider: Some(OneOf::Left(true)),
                type_definition_provider: Some(TypeDefinitionProviderCapability::Simple(true)),
                implementation_provider: Some(ImplementationProviderCapability::Simple(true)),
                references_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                call_hierarchy_provider: Some(CallHierarchyServerCapability::Simple(true)),
                // ide-edit: rename, highlight, inlay hints, folding and selection ranges
                // (type hierarchy and inline completion: extra_capabilities).
                rename_provider: Some(OneOf::Right(RenameOptions { prepare_provider: Some(true), work_done_progress_options: Default::default() })),
                document_highlight_provider: Some(OneOf::Left(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: super::semantic_tokens::legend(),
                    range: Some(true),
                    full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                    work_done_progress_options: Default::default(),
                })),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![
                        CodeActionKind::QUICKFIX,
                        super::code_actions::fix_all_kind(),
                        super::code_actions::notebook_fix_all_kind(),
                        CodeActionKind::new("refactor.rewrite.pyloom"),
                        CodeActionKind::REFACTOR_EXTRACT,
                        super::refactor_actions::function_kind(),
                        super::symbol_move::move_kind(),
                        CodeActionKind::REFACTOR_INLINE,
                    ]),
                    ..Default::default()
                })),
                diagnostic_provider: pull_diagnostics.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("pyloom".to_owned()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: false,
                        ..Default::default()
                    })
                }),
                workspace: Some(WorkspaceServerCapabilities { workspace_folders: None, file_operations: Some(super::file_rename::capability()) }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: super::commands(),
                    work_done_progress_options: WorkDoneProgressOptions { work_done_progress: Some(true) },
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo { name: "pyloom".to_owned(), version: Some(env!("CARGO_PKG_VERSION").to_owned()) }),
        }
    }
}

impl Backend {
    /// Without roots from the client, a file opened outside the working
    /// directory adds its project folder (the nearest ancestor with a
    /// project marker, else its own folder) and the workspace is indexed
    /// again. Once: later files outside are served as single files.
    pub(super) async fn ensure_root_for(&self, uri: &Url) {
        let Ok(path) = uri.to_file_path() else { return };
        if self.state.roots.read().unwrap_or_else(|e| e.into_inner()).iter().any(|root| path.starts_with(root)) {
            return;
        }
        let folder = crate::project::project_root(&path);
        if !is_project_folder(&folder) || !self.state.root_fallback.swap(false, std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        tracing::info!(folder = %folder.display(), "no workspace folder from the client; using the opened file's project");
        self.state.roots.write().unwrap_or_else(|e| e.into_inner()).push(folder);
        self.start_indexing();
    }
}

/// Whether `folder` can be indexed as a fallback workspace: not the file
/// system root, the home folder or the temporary folder, which hold far
/// more than one project.
fn is_project_folder(folder: &std::path::Path) -> bool {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    folder.parent().is_some() && Some(folder) != home.as_deref() && folder != std::env::temp_dir()
}

fn workspace_roots(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    let uris: Vec<&Url> = match &params.workspace_folders {
        Some(folders) if !folders.is_empty() => folders.iter().map(|f| &f.uri).collect(),
        #[allow(deprecated)] // root_uri is the fallback for clients without folders
        _ => params.root_uri.iter().collect(),
    };
    uris.into_iter().filter_map(|u| u.to_file_path().ok()).collect()
}

/// Exits the server when the editor that started it dies without saying
/// goodbye (the LSP `processId` contract), so no orphan keeps running. An
/// editor that asked for `shutdown` and quit before sending `exit` (Neovim
/// does on `:qa`) ended the session cleanly: exit code 0, as after `exit`.
fn watch_client_process(pid: u32, state: std::sync::Arc<super::State>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(2)).await;
            if !process_alive(pid) {
                let clean = state.shutdown_requested.load(std::sync::atomic::Ordering::SeqCst);
                tracing::warn!(pid, clean, "client process is gone; exiting");
                std::process::exit(if clean { 0 } else { 1 });
            }
        }
    });
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // Signal 0 checks existence; EPERM means it exists under another user.
    unsafe { libc::kill(pid, 0) == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM) }
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}
