//! textDocument/selectionRange from the buffer's tree-sitter tree.

use tower_lsp::lsp_types::*;

use super::{Backend, convert};
use crate::ide::selection;
use crate::workspace::to_byte_offset;

impl Backend {
    pub(super) fn on_selection_range(&self, params: SelectionRangeParams) -> Option<Vec<SelectionRange>> {
        let doc = self.snapshot(&params.text_document.uri)?;
        let tree = doc.tree()?;
        let encoding = self.encoding();
        let mut out = Vec::with_capacity(params.positions.len());
        for position in params.positions {
            // One answer per position, in order: a position past the end
            // gets the whole file.
            let offset = to_byte_offset(&doc.rope, convert::text_position(position), encoding).unwrap_or(doc.rope.len_bytes());
            let spans = selection::expanding(tree, offset);
            let mut nested: Option<SelectionRange> = None;
            for span in spans.iter().rev() {
                let range = convert::range(&doc.rope, &span.range(), encoding);
                nested = Some(SelectionRange { range, parent: nested.map(Box::new) });
            }
            out.push(nested.unwrap_or(SelectionRange { range: Range::new(position, position), parent: None }));
        }
        Some(out)
    }
}
