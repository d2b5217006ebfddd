//! The language server: the only module that knows LSP types and JSON-RPC.
//! One file per request family; analysis lives outside and speaks plain Rust.

mod call_hierarchy;
mod code_actions;
mod code_lens;
mod completion;
mod config;
mod convert;
mod diagnostics;
mod ext;
mod file_rename;
mod folding;
mod highlight;
mod hover;
mod indexing;
mod inlay_hints;
mod inline_completion;
mod lifecycle;
mod llm_action_list;
mod llm_actions;
mod llm_ask;
mod llm_call_arguments;
mod llm_model;
mod llm_rename;
mod llm_status;
mod locations;
mod navigation;
mod notebooks;
mod panic_guard;
mod progress;
mod refactor_actions;
mod relink;
mod rename;
mod selection;
mod semantic_refresh;
mod semantic_tokens;
mod semantic_tokens_delta;
mod signature_help;
mod snippets;
mod stale_calls;
mod symbol_move;
mod symbols;
mod sync;
mod transport;
mod type_hierarchy;
mod watched;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer, LspService, Server};

use crate::graph::SharedGraph;
use crate::settings::{Layer, Settings};
use crate::workspace::{Document, Documents, PositionEncoding};

/// Serves LSP on stdin/stdout until `exit` or end of input. Returns whether
/// the client asked for `shutdown` first (the exit code depends on it).
pub async fn serve_stdio() -> bool {
    let (service, socket) = LspService::build(Backend::new)
        .custom_method("pyloom/viewFile", Backend::view_file)
        .custom_method("window/workDoneProgress/cancel", Backend::cancel_work_done)
        .custom_method("textDocument/inlineCompletion", Backend::inline_completion)
        .finish();
    let state = service.inner().state.clone();
    let sync = service.inner().clone();
    let in_wire_order = move |method: &str, body: &[u8]| sync.sync_in_wire_order(method, body);
    let notebooks = state.notebooks.clone();
    transport::guard(tokio::io::stdin(), tokio::io::stdout(), in_wire_order, notebooks, |input, output| {
        Server::new(input, output, socket).serve(panic_guard::PanicGuard(service))
    })
    .await;
    state.shutdown_requested.load(Ordering::SeqCst)
}

/// Handlers share this; cloning is cheap.
#[derive(Clone)]
pub struct Backend {
    client: Client,
    state: Arc<State>,
}

struct State {
    /// The single owner of document text. A std mutex: it is never held
    /// across an `.await`, only for the synchronous apply or snapshot.
    documents: Mutex<Documents>,
    settings: RwLock<Settings>,
    layers: Mutex<config::Layers>,
    roots: RwLock<Vec<PathBuf>>,
    /// The client named no root: the server chose one (see lifecycle.rs).
    root_fallback: AtomicBool,
    /// The client prefers plain text hovers (`contentFormat`).
    hover_plaintext: AtomicBool,
    diagnostics: diagnostics::DiagnosticsState,
    shutdown_requested: AtomicBool,
    /// The workspace graph; updated by one writer, read through snapshots.
    graph: SharedGraph,
    /// Where the workspace index is: requests wait for the first one.
    index: crate::live::IndexGate,
    /// The document version whose text the graph holds, per open file.
    graph_versions: Mutex<HashMap<PathBuf, i32>>,
    /// The background re-link of what edits left pending.
    relink: relink::RelinkState,
    /// The client accepts `window/workDoneProgress/create`.
    work_done_progress: AtomicBool,
    /// The client applies `CreateFile` in workspace edits.
    create_files: AtomicBool,
    snippets: snippets::SnippetState,
    llm: llm_status::LlmState,
    /// Long commands by progress token, for `window/workDoneProgress/cancel`.
    running: progress::Running,
    /// The last generated edit per document, for `pyloom.adjust`.
    llm_actions: llm_actions::ActionState,
    watch: watched::WatchState,
    completion: completion::CompletionState,
    inline: inline_completion::InlineState,
    /// The last semantic tokens per document, for deltas.
    tokens: semantic_tokens::TokensState,
    /// What open documents showed other documents' tokens, for refreshes.
    token_refresh: semantic_refresh::RefreshState,
    /// The parameters each open document's functions had for their calls.
    stale_calls: stale_calls::StaleCallsState,
    /// Open notebooks: their cells, translated on the wire.
    notebooks: Arc<notebooks::Notebooks>,
}

impl Backend {
    /// `window/workDoneProgress/cancel`: the user cancelled a long run
    /// (a snippet test or an LLM call) from the progress UI.
    async fn cancel_work_done(&self, params: WorkDoneProgressCancelParams) {
        self.cancel_work(&params.token);
    }

    fn new(client: Client) -> Self {
        let settings = Settings::default();
        let documents = Documents::new(PositionEncoding::default(), settings.files.max_file_bytes);
        Self {
            client,
            state: Arc::new(State {
                documents: Mutex::new(documents),
                settings: RwLock::new(settings),
                layers: Mutex::new(config::Layers::default()),
                roots: RwLock::new(Vec::new()),
                root_fallback: AtomicBool::new(false),
                hover_plaintext: AtomicBool::new(false),
                diagnostics: diagnostics::DiagnosticsState::default(),
                shutdown_requested: AtomicBool::new(false),
                graph: SharedGraph::default(),
                index: crate::live::IndexGate::default(),
                graph_versions: Mutex::new(HashMap::new()),
                relink: relink::RelinkState::default(),
                work_done_progress: AtomicBool::new(false),
                create_files: AtomicBool::new(false),
                snippets: Default::default(),
                llm: llm_status::LlmState::default(),
                running: progress::Running::default(),
                llm_actions: llm_actions::ActionState::default(),
                watch: watched::WatchState::default(),
                completion: completion::CompletionState::default(),
                inline: inline_completion::InlineState::default(),
                tokens: semantic_tokens::TokensState::default(),
                token_refresh: semantic_refresh::RefreshState::default(),
                stale_calls: stale_calls::StaleCallsState::default(),
                notebooks: Arc::default(),
            }),
        }
    }

    fn documents(&self) -> std::sync::MutexGuard<'_, Documents> {
        // A panic while holding the lock cannot leave a document half-edited
        // (edits are applied to a copy and swapped in), so poison is ignored.
        self.state.documents.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn settings(&self) -> Settings {
        self.state.settings.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn encoding(&self) -> PositionEncoding {
        self.documents().encoding()
    }

    /// The current text of an open document.
    /// The open document, unless it nests too deep to analyse: every
    /// request and the graph then leave it alone (the parser would
    /// overflow the stack and abort the server).
    fn snapshot(&self, uri: &Url) -> Option<Document> {
        self.documents().snapshot(uri.as_str()).filter(|doc| !doc.too_deeply_nested())
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(self.on_initialize(params))
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!("initialized");
        self.start_indexing();
        self.publish_settings_warnings().await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown_requested.store(true, Ordering::SeqCst);
        tracing::info!("shutdown requested");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.on_did_open(params).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.on_did_change(params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.on_did_close(params).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.on_did_change_configuration(params).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.on_did_change_watched_files(params).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(self.on_hover(params).await)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        Ok(self.on_completion(params).await)
    }

    async fn completion_resolve(&self, item: CompletionItem) -> Result<CompletionItem> {
        Ok(self.on_completion_resolve(item).await)
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        Ok(self.on_signature_help(params).await)
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        Ok(self.on_definition(params).await)
    }

    async fn goto_type_definition(&self, params: request::GotoTypeDefinitionParams) -> Result<Option<request::GotoTypeDefinitionResponse>> {
        Ok(self.on_type_definition(params).await)
    }

    async fn goto_implementation(&self, params: request::GotoImplementationParams) -> Result<Option<request::GotoImplementationResponse>> {
        Ok(self.on_implementation(params).await)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        Ok(self.on_references(params).await)
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self.on_document_symbol(params).await)
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<Vec<SymbolInformation>>> {
        Ok(self.on_workspace_symbol(params).await)
    }

    async fn prepare_call_hierarchy(&self, params: CallHierarchyPrepareParams) -> Result<Option<Vec<CallHierarchyItem>>> {
        Ok(self.on_prepare_call_hierarchy(params).await)
    }

    async fn incoming_calls(&self, params: CallHierarchyIncomingCallsParams) -> Result<Option<Vec<CallHierarchyIncomingCall>>> {
        Ok(self.on_incoming_calls(params).await)
    }

    async fn outgoing_calls(&self, params: CallHierarchyOutgoingCallsParams) -> Result<Option<Vec<CallHierarchyOutgoingCall>>> {
        Ok(self.on_outgoing_calls(params).await)
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        self.on_prepare_rename(params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.on_rename(params).await
    }

    async fn will_rename_files(&self, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
        self.on_will_rename_files(params).await
    }

    async fn did_rename_files(&self, params: RenameFilesParams) {
        self.on_did_rename_files(params).await;
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        Ok(self.on_document_highlight(params).await)
    }

    async fn prepare_type_hierarchy(&self, params: TypeHierarchyPrepareParams) -> Result<Option<Vec<TypeHierarchyItem>>> {
        Ok(self.on_prepare_type_hierarchy(params).await)
    }

    async fn supertypes(&self, params: TypeHierarchySupertypesParams) -> Result<Option<Vec<TypeHierarchyItem>>> {
        Ok(self.on_supertypes(params).await)
    }

    async fn subtypes(&self, params: TypeHierarchySubtypesParams) -> Result<Option<Vec<TypeHierarchyItem>>> {
        Ok(self.on_subtypes(params).await)
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        Ok(self.on_inlay_hint(params).await)
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(self.on_folding_range(params))
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        Ok(self.on_semantic_tokens_full(params).await)
    }

    async fn semantic_tokens_full_delta(&self, params: SemanticTokensDeltaParams) -> Result<Option<SemanticTokensFullDeltaResult>> {
        Ok(self.on_semantic_tokens_full_delta(params).await)
    }

    async fn semantic_tokens_range(&self, params: SemanticTokensRangeParams) -> Result<Option<SemanticTokensRangeResult>> {
        Ok(self.on_semantic_tokens_range(params).await)
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        Ok(self.on_selection_range(params))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        // "▶ Run" lenses on snippet tests, then caller counts from the graph.
        let mut lenses = self.snippet_lenses(params.clone()).unwrap_or_default();
        lenses.extend(self.on_code_lens(params).await.unwrap_or_default());
        Ok(Some(lenses))
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        self.on_diagnostic(params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(self.on_code_action(params).await)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<serde_json::Value>> {
        match params.command.as_str() {
            snippets::RUN_COMMAND => self.run_snippet_tests(params).await,
            snippets::RUN_FOLDER_COMMAND => self.run_folder_tests(params).await,
            llm_status::STATUS_COMMAND => Ok(Some(self.llm_status().await)),
            llm_ask::ASK_COMMAND => self.llm_ask(params.arguments).await.map(Some),
            symbol_move::MOVE_COMMAND => self.move_symbol_command(params.arguments).await,
            llm_call_arguments::UPDATE_CALLS => self.update_calls_with_model(params.arguments).await.map(Some),
            command if llm_actions::COMMANDS.contains(&command) => self.llm_action(command, params.arguments).await.map(Some),
            other => Err(tower_lsp::jsonrpc::Error::invalid_params(format!("unknown command `{other}`"))),
        }
    }
}

/// The commands served by `workspace/executeCommand`.
fn commands() -> Vec<String> {
    let commands = [
        snippets::RUN_COMMAND,
        snippets::RUN_FOLDER_COMMAND,
        llm_status::STATUS_COMMAND,
        llm_ask::ASK_COMMAND,
        symbol_move::MOVE_COMMAND,
        llm_call_arguments::UPDATE_CALLS,
    ]
    .into_iter();
    commands.chain(llm_actions::COMMANDS).map(str::to_owned).collect()
}

/// Settings layers that come from the client rather than the workspace.
fn client_layer(source: &str, value: Option<serde_json::Value>) -> Option<Layer> {
    crate::settings::client_layer(source, value?)
}
