//! Graph locations (file ids and byte spans) as LSP positions and URIs.

use std::collections::HashMap;
use std::sync::Arc;

use ropey::Rope;
use tower_lsp::lsp_types::{self as lsp, Url};

use super::convert;
use crate::graph::{FileId, Graph, Location, Span};
use crate::workspace::{PositionEncoding, TextPosition, past_line_end, to_byte_offset};

/// How long a request waits for the workspace index (the client shows
/// its progress meanwhile).
pub(super) const INDEX_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Converts spans of graph files, building each file's rope once.
pub(super) struct Locator<'g> {
    graph: &'g Graph,
    encoding: PositionEncoding,
    ropes: HashMap<FileId, Rope>,
}

impl<'g> Locator<'g> {
    pub fn new(graph: &'g Graph, encoding: PositionEncoding) -> Self {
        Self { graph, encoding, ropes: HashMap::new() }
    }

    fn rope(&mut self, file: FileId) -> Option<&Rope> {
        if !self.ropes.contains_key(&file) {
            let text = &self.graph.file(file)?.text();
            self.ropes.insert(file, Rope::from_str(text));
        }
        self.ropes.get(&file)
    }

    pub fn uri(&self, file: FileId) -> Option<Url> {
        Url::from_file_path(&self.graph.file(file)?.path).ok()
    }

    pub fn range(&mut self, file: FileId, span: Span) -> Option<lsp::Range> {
        let encoding = self.encoding;
        Some(convert::range(self.rope(file)?, &span.range(), encoding))
    }

    pub fn location(&mut self, location: &Location) -> Option<lsp::Location> {
        Some(lsp::Location { uri: self.uri(location.file)?, range: self.range(location.file, location.span)? })
    }

    /// The byte offset of an LSP position in a graph file.
    pub fn offset(&mut self, file: FileId, position: lsp::Position) -> Option<u32> {
        let encoding = self.encoding;
        let offset = to_byte_offset(self.rope(file)?, TextPosition::new(position.line, position.character), encoding).ok()?;
        u32::try_from(offset).ok()
    }

    /// Whether `position` is past the end of its line's text in `file`.
    pub fn past_line_end(&mut self, file: FileId, position: lsp::Position) -> bool {
        let encoding = self.encoding;
        self.rope(file).is_none_or(|rope| past_line_end(rope, TextPosition::new(position.line, position.character), encoding))
    }

    /// [`Locator::offset`], with a position past the last line at the end
    /// of the text (where a range may end: "to the end of the file").
    pub fn offset_or_end(&mut self, file: FileId, position: lsp::Position) -> Option<u32> {
        let encoding = self.encoding;
        let rope = self.rope(file)?;
        let offset = to_byte_offset(rope, TextPosition::new(position.line, position.character), encoding).unwrap_or(rope.len_bytes());
        u32::try_from(offset).ok()
    }
}

/// What of the graph's links a request reads (see relink.rs).
#[derive(Clone, Copy)]
pub(super) enum Links {
    /// None: it resolves from summaries.
    None,
    /// Its document's own and those of the files being typed in (a
    /// pending whole link after an edit, see `Graph::update_file_unlinked`),
    /// not the edits' importers'.
    Own,
    /// Every file's.
    All,
}

impl super::Backend {
    /// The graph (with the buffer's live text applied), the file and the
    /// byte offset of a document position. `None` when the file is not in
    /// the graph (outside the workspace, or not indexed yet).
    pub(super) async fn graph_at(&self, position: &lsp::TextDocumentPositionParams) -> Option<(Arc<Graph>, FileId, u32)> {
        self.graph_and_offset(position, Links::Own).await
    }

    /// [`Backend::graph_at`] where the document's own links may still be
    /// pending after its last edit: for what resolves from summaries alone
    /// (completion, signature help), which need not wait for them.
    pub(super) async fn summarised_graph_at(&self, position: &lsp::TextDocumentPositionParams) -> Option<(Arc<Graph>, FileId, u32)> {
        self.graph_and_offset(position, Links::None).await
    }

    /// [`Backend::graph_at`] with every file's links current: for requests
    /// that read other files' references (see relink.rs).
    pub(super) async fn linked_graph_at(&self, position: &lsp::TextDocumentPositionParams) -> Option<(Arc<Graph>, FileId, u32)> {
        self.graph_and_offset(position, Links::All).await
    }

    /// The graph and file of a document.
    pub(super) async fn graph_file(&self, uri: &Url) -> Option<(Arc<Graph>, FileId)> {
        self.synced_file(uri, Links::Own).await
    }

    /// [`Backend::graph_file`] with every file's links current.
    pub(super) async fn linked_graph_file(&self, uri: &Url) -> Option<(Arc<Graph>, FileId)> {
        self.synced_file(uri, Links::All).await
    }

    /// A snapshot with nothing left to re-link: edits that arrive while
    /// flushing leave files pending again, which are flushed in turn.
    pub(super) async fn linked_snapshot(&self) -> Arc<Graph> {
        loop {
            let flushed = self.flush_relinks().await;
            let graph = self.state.graph.snapshot();
            if !flushed || graph.pending_relinks() == 0 {
                return graph;
            }
        }
    }

    pub(super) async fn graph_and_offset(&self, position: &lsp::TextDocumentPositionParams, links: Links) -> Option<(Arc<Graph>, FileId, u32)> {
        let (graph, file) = self.synced_file(&position.text_document.uri, links).await?;
        let offset = Locator::new(&graph, self.encoding()).offset(file, position.position)?;
        Some((graph, file, offset))
    }

    /// The graph with the document's live text applied and the links
    /// `links` asks for current, and the document's file in it.
    async fn synced_file(&self, uri: &Url, links: Links) -> Option<(Arc<Graph>, FileId)> {
        // Right after `didOpen` the index may still run: an answer from the
        // graph without the workspace would be empty (or a refused rename).
        if let Err(error) = self.state.index.wait(INDEX_WAIT, |_, _| {}).await {
            tracing::warn!(%uri, "answering without the workspace index: {error}");
        }
        // A buffer too deep to analyse is not in the graph: what the graph
        // holds of its file (the disk's text) is not what the editor shows.
        if self.documents().snapshot(uri.as_str()).is_some_and(|doc| doc.too_deeply_nested()) {
            return None;
        }
        let graph = match links {
            Links::None => {
                self.sync_graph(uri).await;
                self.state.graph.snapshot()
            }
            Links::Own => self.sync_graph_linked(uri).await,
            Links::All => {
                self.sync_graph(uri).await;
                self.linked_snapshot().await
            }
        };
        let file = graph.file_id(&uri.to_file_path().ok()?)?;
        Some((graph, file))
    }
}
