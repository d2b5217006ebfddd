//! Type hierarchy: prepare, supertypes and subtypes, from the graph's
//! inheritance edges. Items are call hierarchy items under another name
//! (same fields, same data to find the class again).

use tower_lsp::lsp_types::*;

use super::Backend;
use super::call_hierarchy::item;
use super::locations::Locator;
use crate::graph::{Graph, Resolved, SymbolId, SymbolKind};

impl Backend {
    pub(super) async fn on_prepare_type_hierarchy(&self, params: TypeHierarchyPrepareParams) -> Option<Vec<TypeHierarchyItem>> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position_params).await?;
        let Resolved::Symbol(id) = graph.definition(file, offset)? else { return None };
        if graph.symbol(id)?.kind != SymbolKind::Class {
            return None;
        }
        let mut locator = Locator::new(&graph, self.encoding());
        Some(vec![type_item(&graph, &mut locator, id)?])
    }

    pub(super) async fn on_supertypes(&self, params: TypeHierarchySupertypesParams) -> Option<Vec<TypeHierarchyItem>> {
        let (graph, id) = self.hierarchy_symbol(&params.item.uri, params.item.data.as_ref()).await?;
        let mut locator = Locator::new(&graph, self.encoding());
        Some(graph.bases(id).into_iter().filter_map(|base| type_item(&graph, &mut locator, base)).collect())
    }

    pub(super) async fn on_subtypes(&self, params: TypeHierarchySubtypesParams) -> Option<Vec<TypeHierarchyItem>> {
        let (graph, id) = self.hierarchy_symbol(&params.item.uri, params.item.data.as_ref()).await?;
        let mut locator = Locator::new(&graph, self.encoding());
        Some(graph.subclasses(id).into_iter().filter_map(|sub| type_item(&graph, &mut locator, sub)).collect())
    }
}

fn type_item(graph: &Graph, locator: &mut Locator<'_>, id: SymbolId) -> Option<TypeHierarchyItem> {
    // No tags: lsp-types 0.94 types them as one tag where the spec has a list.
    let CallHierarchyItem { name, kind, tags: _, detail, uri, range, selection_range, data } = item(graph, locator, id)?;
    Some(TypeHierarchyItem { name, kind, tags: None, detail, uri, range, selection_range, data })
}
