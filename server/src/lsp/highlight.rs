//! textDocument/documentHighlight: the occurrences of the name under the
//! cursor in its file, reads and writes told apart.

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::ide::occurrences::{self, Access};

impl Backend {
    pub(super) async fn on_document_highlight(&self, params: DocumentHighlightParams) -> Option<Vec<DocumentHighlight>> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position_params).await?;
        let target = occurrences::target_at(&graph, file, offset).ok()?;
        let mut locator = Locator::new(&graph, self.encoding());
        let highlights = occurrences::in_file(&graph, file, &target)
            .into_iter()
            .filter_map(|o| {
                let kind = match o.access {
                    Access::Read => DocumentHighlightKind::READ,
                    Access::Write => DocumentHighlightKind::WRITE,
                };
                Some(DocumentHighlight { range: locator.range(file, o.span)?, kind: Some(kind) })
            })
            .collect();
        Some(highlights)
    }
}
