//! textDocument/foldingRange from the buffer's tree-sitter tree.

use tower_lsp::lsp_types::*;

use super::Backend;
use crate::ide::folding::{self, FoldKind};

impl Backend {
    pub(super) fn on_folding_range(&self, params: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
        let doc = self.snapshot(&params.text_document.uri)?;
        let folds = folding::folds(doc.tree()?);
        let ranges = folds
            .into_iter()
            .map(|fold| FoldingRange {
                start_line: fold.start as u32,
                end_line: fold.end as u32,
                kind: match fold.kind {
                    FoldKind::Region => Some(FoldingRangeKind::Region),
                    FoldKind::Imports => Some(FoldingRangeKind::Imports),
                    FoldKind::Comment => Some(FoldingRangeKind::Comment),
                },
                ..Default::default()
            })
            .collect();
        Some(ranges)
    }
}
