//! textDocument/documentSymbol (hierarchical) and workspace/symbol (fuzzy).

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::graph::{Graph, SymbolId, SymbolKind as Kind, explain};

/// Workspace symbol results are capped; clients re-query as the user types.
const WORKSPACE_SYMBOL_LIMIT: usize = 256;

pub(super) fn symbol_kind(graph: &Graph, id: SymbolId) -> SymbolKind {
    let Some(symbol) = graph.symbol(id) else { return SymbolKind::NULL };
    match symbol.kind {
        Kind::Module => SymbolKind::MODULE,
        Kind::Class => SymbolKind::CLASS,
        Kind::Function => SymbolKind::FUNCTION,
        Kind::Method if symbol.name == "__init__" => SymbolKind::CONSTRUCTOR,
        Kind::Method => SymbolKind::METHOD,
        Kind::Variable if symbol.qualified_name.split('.').count() > 1 && is_class_member(graph, id) => SymbolKind::FIELD,
        Kind::Variable => SymbolKind::VARIABLE,
        Kind::External => SymbolKind::NULL,
    }
}

fn is_class_member(graph: &Graph, id: SymbolId) -> bool {
    graph.container(id).and_then(|c| graph.symbol(c)).is_some_and(|c| c.kind == Kind::Class)
}

/// The `detail` shown next to a symbol: its signature or annotation.
fn detail(graph: &Graph, id: SymbolId) -> Option<String> {
    let symbol = graph.symbol(id)?;
    match symbol.kind {
        Kind::Function | Kind::Method => symbol.signature.map(explain::signature),
        Kind::Class if !symbol.bases.is_empty() => Some(format!("({})", symbol.bases.join(", "))),
        Kind::Variable => symbol.annotation.map(str::to_owned),
        _ => None,
    }
}

impl Backend {
    pub(super) async fn on_document_symbol(&self, params: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let (graph, file) = self.graph_file(&params.text_document.uri).await?;
        let mut locator = Locator::new(&graph, self.encoding());
        let symbols = graph.symbols_in_file(file).into_iter().filter_map(|id| document_symbol(&graph, &mut locator, id)).collect();
        Some(DocumentSymbolResponse::Nested(symbols))
    }

    pub(super) async fn on_workspace_symbol(&self, params: WorkspaceSymbolParams) -> Option<Vec<SymbolInformation>> {
        // Asked before the first index is done, the answer waits for it: an
        // empty list would say the workspace has no such symbol.
        if let Err(error) = self.state.index.wait(super::locations::INDEX_WAIT, |_, _| {}).await {
            tracing::warn!("workspace symbols without the workspace index: {error}");
        }
        let graph = self.state.graph.snapshot();
        let mut locator = Locator::new(&graph, self.encoding());
        let found = graph.search_symbols(&params.query, WORKSPACE_SYMBOL_LIMIT);
        Some(
            found
                .into_iter()
                .filter_map(|id| {
                    let symbol = graph.symbol(id)?;
                    let location =
                        locator.location(&graph.location(id).or_else(|| Some(crate::graph::Location { file: symbol.file?, span: Default::default() }))?)?;
                    let container = symbol.qualified_name.rsplit_once('.').map(|(c, _)| c.to_owned());
                    #[allow(deprecated)] // `deprecated` is a required field of the struct
                    Some(SymbolInformation {
                        name: symbol.name.to_owned(),
                        kind: symbol_kind(&graph, id),
                        tags: None,
                        deprecated: None,
                        location,
                        container_name: container,
                    })
                })
                .collect(),
        )
    }
}

fn document_symbol(graph: &Graph, locator: &mut Locator<'_>, id: SymbolId) -> Option<DocumentSymbol> {
    let symbol = graph.symbol(id)?;
    let file = symbol.file?;
    let range = locator.range(file, symbol.range)?;
    let selection_range = locator.range(file, symbol.name_range)?;
    let children: Vec<DocumentSymbol> = graph.named_children(id).into_iter().filter_map(|c| document_symbol(graph, locator, c)).collect();
    #[allow(deprecated)] // `deprecated` is a required field of the struct
    Some(DocumentSymbol {
        name: symbol.name.to_owned(),
        detail: detail(graph, id),
        kind: symbol_kind(graph, id),
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    })
}
