//! textDocument/completion and completionItem/resolve: the items of
//! [`crate::ide::completion`], with their documentation added on resolve.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::ide::completion::{self, Imports, Item, ItemKind, Target, Trigger};

/// What an item carries to `completionItem/resolve`: its documentation
/// target, and for an auto-import resolved lazily, what to import where.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ItemData {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    qualified_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    import: Option<ImportData>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ImportData {
    uri: Url,
    module: String,
    name: String,
}

/// Whether the client resolves `additionalTextEdits` lazily.
#[derive(Default)]
pub(super) struct CompletionState {
    lazy_imports: AtomicBool,
}

impl Backend {
    /// Import edits wait for `completionItem/resolve` when the client
    /// resolves `additionalTextEdits` (VS Code, Neovim): placing one costs
    /// a check of the file's imports, too much for every item offered.
    pub(super) fn note_completion_capability(&self, capabilities: &ClientCapabilities) {
        let lazy = capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "additionalTextEdits"));
        self.state.completion.lazy_imports.store(lazy, Ordering::Relaxed);
    }

    pub(super) async fn on_completion(&self, params: CompletionParams) -> Option<CompletionResponse> {
        let (graph, file, offset) = self.summarised_graph_at(&params.text_document_position).await?;
        let config = self.findings_configs().for_file(&graph.file(file)?.path);
        let space = params.context.as_ref().and_then(|c| c.trigger_character.as_deref()) == Some(" ");
        let trigger = if space { Trigger::Space } else { Trigger::Typed };
        let uri = &params.text_document_position.text_document.uri;
        // In a notebook an item's import is placed with the item: resolved
        // later it would come back without its cell (in the joined code's
        // lines), and one that lands outside the asking cell is left out.
        let notebook = self.state.notebooks.is_open(uri.as_str());
        let lazy = self.state.completion.lazy_imports.load(Ordering::Relaxed) && !notebook;
        let cell = notebook.then(|| self.asking_cell(uri, &graph, file, offset)).flatten();
        let imports = match cell {
            Some(cell) => Imports::InCell(&config, cell),
            None if notebook => Imports::Off,
            None if lazy => Imports::Lazy(&config),
            None => Imports::Eager(&config),
        };
        let completions = completion::complete(&graph, file, offset, trigger, imports);
        let mut locator = Locator::new(&graph, self.encoding());
        let replace = locator.range(file, completions.replace)?;
        let items = completions.items.into_iter().enumerate().map(|(i, item)| lsp_item(i, item, replace, &mut locator, file, uri)).collect();
        Some(CompletionResponse::List(CompletionList { is_incomplete: completions.incomplete, items }))
    }

    /// The range of the module text that is the code of the notebook
    /// cell at `offset` of `file` (a notebook's joined cells).
    /// `None` when the notebook's text has changed since the graph's.
    fn asking_cell(&self, uri: &Url, graph: &crate::graph::Graph, file: crate::graph::FileId, offset: u32) -> Option<crate::graph::Span> {
        let notebook = self.state.notebooks.notebook(uri.as_str(), graph.file(file)?.text())?;
        let offset = offset as usize;
        let (_, cell) = notebook.code_cells().into_iter().find(|(_, range)| range.start <= offset && offset <= range.end)?;
        Some(crate::graph::Span::new(cell.start as u32, cell.end as u32))
    }

    pub(super) async fn on_completion_resolve(&self, mut item: CompletionItem) -> CompletionItem {
        let data = item.data.clone().and_then(|d| serde_json::from_value::<ItemData>(d).ok()).unwrap_or_default();
        if let (Some(path), Some(qualified_name)) = (data.path, data.qualified_name) {
            let graph = self.state.graph.snapshot();
            if let Some(value) = completion::documentation(&graph, &Target { path, qualified_name }) {
                item.documentation = Some(Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value }));
            }
        }
        if let Some(import) = data.import
            && item.additional_text_edits.is_none()
        {
            item.additional_text_edits = self.import_edit(&import).await;
            if item.additional_text_edits.is_none() {
                tracing::warn!(module = import.module, name = import.name, "the import can no longer be placed safely; none added");
            }
        }
        item
    }

    async fn import_edit(&self, import: &ImportData) -> Option<Vec<TextEdit>> {
        let (graph, file) = self.graph_file(&import.uri).await?;
        let config = self.findings_configs().for_file(&graph.file(file)?.path);
        let edit = completion::import_edit(&graph, file, &import.module, &import.name, &config)?;
        let range = Locator::new(&graph, self.encoding()).range(file, edit.span)?;
        Some(vec![TextEdit { range, new_text: edit.text }])
    }
}

fn lsp_item(index: usize, item: Item, replace: Range, locator: &mut Locator, file: crate::graph::FileId, uri: &Url) -> CompletionItem {
    let filter_text = (item.kind == ItemKind::Argument).then(|| item.label.trim_end_matches('=').to_owned());
    let new_text = item.insert.clone().unwrap_or_else(|| item.label.clone());
    let additional_text_edits = item.import.and_then(|import| Some(vec![TextEdit { range: locator.range(file, import.span)?, new_text: import.text }]));
    let import = item.import_from.map(|module| ImportData { uri: uri.clone(), module, name: item.label.clone() });
    let (path, qualified_name) = item.target.map(|t| (t.path, t.qualified_name)).unzip();
    let data = serde_json::to_value(ItemData { path, qualified_name, import }).ok();
    CompletionItem {
        label: item.label,
        kind: Some(kind(item.kind)),
        detail: item.detail,
        // The server's order; clients still filter by what is typed.
        sort_text: Some(format!("{index:04}")),
        filter_text,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range: replace, new_text })),
        additional_text_edits,
        data,
        ..Default::default()
    }
}

fn kind(kind: ItemKind) -> CompletionItemKind {
    match kind {
        ItemKind::Module => CompletionItemKind::MODULE,
        ItemKind::Class => CompletionItemKind::CLASS,
        ItemKind::Function => CompletionItemKind::FUNCTION,
        ItemKind::Method => CompletionItemKind::METHOD,
        ItemKind::Variable | ItemKind::Local => CompletionItemKind::VARIABLE,
        ItemKind::Argument => CompletionItemKind::FIELD,
        ItemKind::Keyword => CompletionItemKind::KEYWORD,
    }
}
