//! textDocument/hover: the graph's explanation of the name under the cursor.

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::graph::explain;

impl Backend {
    pub(super) async fn on_hover(&self, params: HoverParams) -> Option<Hover> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position_params).await?;
        let value = explain::hover(&graph, file, offset)?;
        let range = graph
            .file(file)?
            .summary
            .references
            .iter()
            .flat_map(|r| r.segments().map(|(_, span)| span))
            .find(|span| span.touches(offset))
            .and_then(|span| Locator::new(&graph, self.encoding()).range(file, span));
        Some(Hover { contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }), range })
    }
}
