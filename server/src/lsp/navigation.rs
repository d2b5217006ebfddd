//! textDocument/definition and textDocument/references.

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::graph::{Location as GraphLocation, Resolved};

impl Backend {
    pub(super) async fn on_definition(&self, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position_params).await?;
        let target = match graph.definition(file, offset)? {
            Resolved::Symbol(id) => {
                let symbol = graph.symbol(id)?;
                GraphLocation { file: symbol.file?, span: symbol.name_range }
            }
            Resolved::Local { file, span } => GraphLocation { file, span },
            Resolved::External(path) => {
                tracing::debug!(path, "definition outside the workspace");
                return None;
            }
        };
        Locator::new(&graph, self.encoding()).location(&target).map(GotoDefinitionResponse::Scalar)
    }

    pub(super) async fn on_references(&self, params: ReferenceParams) -> Option<Vec<Location>> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position).await?;
        let Resolved::Symbol(id) = graph.definition(file, offset)? else { return None };
        let mut locations = graph.references(id);
        if params.context.include_declaration
            && let Some(declaration) = graph.location(id)
        {
            locations.insert(0, declaration);
        }
        let mut locator = Locator::new(&graph, self.encoding());
        Some(locations.iter().filter_map(|l| locator.location(l)).collect())
    }
}
