//! textDocument/completion and completionItem/resolve: the items of
//! [`crate::ide::completion`], with their documentation added on resolve.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::ide::completion::{self, Item, ItemKind, Target, Trigger};

/// What an item carries to `completionItem/resolve`.
#[derive(Debug, Serialize, Deserialize)]
struct ItemData {
    path: PathBuf,
    qualified_name: String,
}

impl Backend {
    pub(super) async fn on_completion(&self, params: CompletionParams) -> Option<CompletionResponse> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position).await?;
        let config = self.findings_configs().for_file(&graph.file(file)?.path);
        let space = params.context.as_ref().and_then(|c| c.trigger_character.as_deref()) == Some(" ");
        let trigger = if space { Trigger::Space } else { Trigger::Typed };
        let completions = completion::complete(&graph, file, offset, trigger, Some(&config));
        let mut locator = Locator::new(&graph, self.encoding());
        let replace = locator.range(file, completions.replace)?;
        let items = completions.items.into_iter().enumerate().map(|(i, item)| lsp_item(i, item, replace, &mut locator, file)).collect();
        Some(CompletionResponse::List(CompletionList { is_incomplete: completions.incomplete, items }))
    }

    pub(super) async fn on_completion_resolve(&self, mut item: CompletionItem) -> CompletionItem {
        let data = item.data.clone().and_then(|d| serde_json::from_value::<ItemData>(d).ok());
        if let Some(data) = data {
            let graph = self.state.graph.snapshot();
            let target = Target { path: data.path, qualified_name: data.qualified_name };
            if let Some(value) = completion::documentation(&graph, &target) {
                item.documentation = Some(Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value }));
            }
        }
        item
    }
}

fn lsp_item(index: usize, item: Item, replace: Range, locator: &mut Locator, file: crate::graph::FileId) -> CompletionItem {
    let filter_text = (item.kind == ItemKind::Argument).then(|| item.label.trim_end_matches('=').to_owned());
    let new_text = item.insert.clone().unwrap_or_else(|| item.label.clone());
    let additional_text_edits = item
        .import
        .and_then(|import| Some(vec![TextEdit { range: locator.range(file, import.span)?, new_text: import.text }]));
    let data = item.target.and_then(|t| serde_json::to_value(ItemData { path: t.path, qualified_name: t.qualified_name }).ok());
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
