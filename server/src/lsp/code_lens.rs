//! textDocument/codeLens: the caller count above each function, method
//! and class.

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::graph::{Graph, SymbolId, SymbolKind};

impl Backend {
    pub(super) async fn on_code_lens(&self, params: CodeLensParams) -> Option<Vec<CodeLens>> {
        let (graph, file) = self.linked_graph_file(&params.text_document.uri).await?;
        let mut locator = Locator::new(&graph, self.encoding());
        let mut lenses = Vec::new();
        let mut pending = graph.symbols_in_file(file);
        while let Some(id) = pending.pop() {
            let Some(symbol) = graph.symbol(id) else { continue };
            if !matches!(symbol.kind, SymbolKind::Function | SymbolKind::Method | SymbolKind::Class) {
                continue;
            }
            pending.extend(graph.children(id));
            let Some(range) = locator.range(file, symbol.name_range) else { continue };
            lenses.push(CodeLens { range, command: Some(caller_count(&graph, id)), data: None });
        }
        lenses.sort_by_key(|l| (l.range.start.line, l.range.start.character));
        Some(lenses)
    }
}

/// "3 callers": a title-only command (clients show it; there is nothing to run).
fn caller_count(graph: &Graph, id: SymbolId) -> Command {
    let callers = graph.callers(id).len();
    let title = match callers {
        1 => "1 caller".to_owned(),
        n => format!("{n} callers"),
    };
    Command { title, command: String::new(), arguments: None }
}
