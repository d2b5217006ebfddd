//! textDocument/inlayHint: parameter names and variable types, each turned
//! on or off by the `inlay_hints` settings.

use tower_lsp::lsp_types::*;

use super::{Backend, convert};
use crate::graph::Span;
use crate::ide::inlay_hints::{self, HintKind};
use crate::workspace::to_byte_offset;

impl Backend {
    pub(super) async fn on_inlay_hint(&self, params: InlayHintParams) -> Option<Vec<InlayHint>> {
        let uri = &params.text_document.uri;
        let (graph, file) = self.graph_file(uri).await?;
        let doc = self.snapshot(uri)?;
        // The tree and the graph must describe the same text.
        if graph.file(file)?.text().as_ref() != doc.text() {
            return None;
        }
        let encoding = self.encoding();
        let start = to_byte_offset(&doc.rope, convert::text_position(params.range.start), encoding).ok()?;
        let end = to_byte_offset(&doc.rope, convert::text_position(params.range.end), encoding).unwrap_or(doc.rope.len_bytes());
        let range = Span::new(start as u32, end as u32);
        let settings = self.settings().inlay_hints;
        let hints = inlay_hints::hints(&graph, file, doc.tree()?, range, &settings);
        let hints = hints
            .into_iter()
            .map(|hint| InlayHint {
                position: convert::position(&doc.rope, hint.offset as usize, encoding),
                label: InlayHintLabel::String(hint.label),
                kind: Some(match hint.kind {
                    HintKind::Parameter => InlayHintKind::PARAMETER,
                    HintKind::Type => InlayHintKind::TYPE,
                }),
                text_edits: None,
                tooltip: None,
                padding_left: Some(hint.kind == HintKind::Type),
                padding_right: Some(false),
                data: None,
            })
            .collect();
        Some(hints)
    }
}
