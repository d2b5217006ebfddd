//! textDocument/hover: the graph's explanation of the name under the cursor,
//! in Markdown or, for clients that ask for it (`contentFormat:
//! ["plaintext"]`, eglot without markdown-mode), as plain text.

use std::sync::atomic::Ordering;

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::graph::explain;

impl Backend {
    pub(super) async fn on_hover(&self, params: HoverParams) -> Option<Hover> {
        // A local's or a keyword's hover resolves from summaries; a
        // symbol's lists its callers, read from edges: the document's own,
        // or a file being typed in, may wait for their link.
        let position = &params.text_document_position_params;
        let (mut graph, mut file, mut offset) = self.summarised_graph_at(position).await?;
        if graph.needs_link(Some(file)) && crate::ide::hover::reads_links(&graph, file, offset) {
            drop(graph);
            (graph, file, offset) = self.graph_at(position).await?;
        }
        let mut locator = Locator::new(&graph, self.encoding());
        // LSP takes a position past the line's end as its end, which a name
        // may end at: the whitespace after a line's last token is over
        // nothing, as in pyright (the end itself, a cursor after the name, is
        // the name's).
        if locator.past_line_end(file, params.text_document_position_params.position) {
            return None;
        }
        let markdown = crate::ide::hover::hover(&graph, file, offset)?;
        let range = graph
            .file(file)?
            .summary
            .references
            .iter()
            .flat_map(|r| r.segments().map(|(_, span)| span))
            .find(|span| span.touches(offset))
            .and_then(|span| locator.range(file, span));
        let contents = if self.state.hover_plaintext.load(Ordering::Relaxed) {
            MarkupContent { kind: MarkupKind::PlainText, value: explain::plain_text(&markdown) }
        } else {
            MarkupContent { kind: MarkupKind::Markdown, value: markdown }
        };
        Some(Hover { contents: HoverContents::Markup(contents), range })
    }
}
