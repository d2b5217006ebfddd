//! Call hierarchy: prepare, incoming and outgoing calls.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use super::symbols::symbol_kind;
use crate::graph::{Caller, Graph, Resolved, SymbolId, SymbolKind as Kind, Via};
use crate::workspace::PositionEncoding;

/// What a call hierarchy item carries to find its symbol again in a later
/// snapshot (ids do not survive every edit; qualified names do).
#[derive(Serialize, Deserialize)]
struct ItemData {
    path: std::path::PathBuf,
    qualified_name: String,
    /// Which definition of the name in the file (`def load()` in each
    /// branch of an `if sys.version_info ...`).
    #[serde(default)]
    ordinal: usize,
}

impl Backend {
    pub(super) async fn on_prepare_call_hierarchy(&self, params: CallHierarchyPrepareParams) -> Option<Vec<CallHierarchyItem>> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position_params).await?;
        let id = match graph.definition(file, offset)? {
            Resolved::Symbol(id) => id,
            _ => return None,
        };
        let mut locator = Locator::new(&graph, self.encoding());
        Some(vec![item(&graph, &mut locator, id)?])
    }

    pub(super) async fn on_incoming_calls(&self, params: CallHierarchyIncomingCallsParams) -> Option<Vec<CallHierarchyIncomingCall>> {
        let (graph, id) = self.item_symbol(&params.item).await?;
        calls(graph, id, self.encoding(), Graph::callers_with_overrides, |from, from_ranges| CallHierarchyIncomingCall { from, from_ranges }).await
    }

    pub(super) async fn on_outgoing_calls(&self, params: CallHierarchyOutgoingCallsParams) -> Option<Vec<CallHierarchyOutgoingCall>> {
        let (graph, id) = self.item_symbol(&params.item).await?;
        calls(graph, id, self.encoding(), Graph::callees_with_overrides, |to, from_ranges| CallHierarchyOutgoingCall { to, from_ranges }).await
    }

    async fn item_symbol(&self, item: &CallHierarchyItem) -> Option<(Arc<Graph>, SymbolId)> {
        self.hierarchy_symbol(&item.uri, item.data.as_ref()).await
    }

    /// The symbol of a call or type hierarchy item, in the current graph.
    pub(super) async fn hierarchy_symbol(&self, uri: &Url, data: Option<&serde_json::Value>) -> Option<(Arc<Graph>, SymbolId)> {
        let data: ItemData = serde_json::from_value(data?.clone()).map_err(|e| tracing::warn!("hierarchy item without pyloom data: {e}")).ok()?;
        let (graph, file) = self.linked_graph_file(uri).await?;
        let id = graph.find_nth_in_file(file, &data.qualified_name, data.ordinal)?;
        Some((graph, id))
    }
}

/// The calls one way of a symbol (`query`: its callers or its callees),
/// each answered as the item of the symbol at the other end, labelled with
/// how the call reaches it, and the call sites' ranges.
async fn calls<T: Send + 'static>(
    graph: Arc<Graph>,
    id: SymbolId,
    encoding: PositionEncoding,
    query: fn(&Graph, SymbolId) -> Vec<Caller>,
    answer: fn(CallHierarchyItem, Vec<Range>) -> T,
) -> Option<Vec<T>> {
    off_thread(move || {
        let mut locator = Locator::new(&graph, encoding);
        query(&graph, id)
            .into_iter()
            .filter_map(|Caller { symbol, sites, via }| {
                let other = labelled(item(&graph, &mut locator, symbol)?, via);
                let ranges = sites.iter().filter_map(|s| locator.range(s.file, s.span)).collect();
                Some(answer(other, ranges))
            })
            .collect()
    })
    .await
}

/// Runs a query of the graph on the blocking pool: a hierarchy of a
/// function with thousands of calls and overrides takes long, and the
/// server's other requests (and the client's `$/cancelRequest`, which
/// drops this future) must not wait for it. A panic in it is logged and
/// answered with nothing.
async fn off_thread<T: Send + 'static>(query: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(query).await.map_err(|e| tracing::error!("call hierarchy query failed: {e}")).ok()
}

/// An item of a call that reaches its symbol through an override says so
/// in its detail (`shop.Cart · via override`).
fn labelled(mut item: CallHierarchyItem, via: Via) -> CallHierarchyItem {
    if let Some(label) = via.label() {
        item.detail = Some(match item.detail {
            Some(container) => format!("{container} · {label}"),
            None => label.to_owned(),
        });
    }
    item
}

/// A workspace symbol as a call hierarchy item (externals have no place to
/// show, so they are left out).
pub(super) fn item(graph: &Graph, locator: &mut Locator<'_>, id: SymbolId) -> Option<CallHierarchyItem> {
    let symbol = graph.symbol(id)?;
    if symbol.kind == Kind::External {
        return None;
    }
    let file = symbol.file?;
    let path = graph.file(file)?.path.clone();
    Some(CallHierarchyItem {
        name: symbol.name.to_owned(),
        kind: symbol_kind(graph, id),
        tags: None,
        detail: symbol.qualified_name.rsplit_once('.').map(|(container, _)| container.to_owned()),
        uri: locator.uri(file)?,
        range: locator.range(file, symbol.range)?,
        selection_range: locator.range(file, symbol.name_range)?,
        data: serde_json::to_value(ItemData { path, qualified_name: symbol.qualified_name.to_owned(), ordinal: graph.ordinal_in_file(id) }).ok(),
    })
}
