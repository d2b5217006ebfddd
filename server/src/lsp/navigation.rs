//! textDocument/definition, typeDefinition (the class of a variable's
//! inferred type), implementation (subclasses and overrides) and
//! references.

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::graph::{Graph, Location as GraphLocation, Resolved, SymbolId};

impl Backend {
    pub(super) async fn on_definition(&self, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position_params).await?;
        let target = match crate::ide::hover::definition(&graph, file, offset)? {
            // A variable's read goes to the binding that reaches it.
            Resolved::Symbol(id) => match graph.reaching_binding(file, offset, id) {
                Some(reaching) => reaching,
                None => {
                    let symbol = graph.symbol(id)?;
                    GraphLocation { file: symbol.file?, span: symbol.name_range }
                }
            },
            Resolved::Local { file, span } => GraphLocation { file, span },
            Resolved::External(path) => return self.external_definition(&graph, &path),
        };
        Locator::new(&graph, self.encoding()).location(&target).map(GotoDefinitionResponse::Scalar)
    }

    /// A definition outside the workspace: where the library found it
    /// (the stub, when there is one, as the interpreter's type checkers read it).
    fn external_definition(&self, graph: &Graph, path: &str) -> Option<GotoDefinitionResponse> {
        let symbol = graph.library_symbol(graph.library_item(path)?)?;
        let text = graph.library()?.text(symbol.path)?;
        let range = super::convert::range(&ropey::Rope::from_str(&text), &symbol.name_range.range(), self.encoding());
        Some(GotoDefinitionResponse::Scalar(Location { uri: Url::from_file_path(symbol.path).ok()?, range }))
    }

    pub(super) async fn on_type_definition(&self, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position_params).await?;
        let classes = graph.inferred_type_of(file, offset)?.classes;
        self.symbol_locations(&graph, classes)
    }

    pub(super) async fn on_implementation(&self, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        // Subclasses are other files' inheritance links: they must be current.
        let (graph, file, offset) = self.linked_graph_at(&params.text_document_position_params).await?;
        let Resolved::Symbol(id) = graph.definition(file, offset)? else { return None };
        self.symbol_locations(&graph, graph.implementations(id))
    }

    /// Where the symbols are defined, as a list; `None` when none is in the workspace.
    fn symbol_locations(&self, graph: &Graph, symbols: Vec<SymbolId>) -> Option<GotoDefinitionResponse> {
        let mut locator = Locator::new(graph, self.encoding());
        let locations: Vec<Location> = symbols.into_iter().filter_map(|s| locator.location(&graph.location(s)?)).collect();
        (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
    }

    pub(super) async fn on_references(&self, params: ReferenceParams) -> Option<Vec<Location>> {
        let (graph, file, offset) = self.linked_graph_at(&params.text_document_position).await?;
        let Resolved::Symbol(id) = graph.definition(file, offset)? else { return None };
        let locations = crate::ide::variable_sites::references(&graph, id, params.context.include_declaration);
        let mut locator = Locator::new(&graph, self.encoding());
        Some(locations.iter().filter_map(|l| locator.location(l)).collect())
    }
}
