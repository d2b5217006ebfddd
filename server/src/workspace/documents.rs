//! The set of open documents, edited in the order the client sent the edits.
//!
//! The order of edits is the order of their messages on the wire: the
//! transport applies `didOpen`/`didChange`/`didClose` as it reads them,
//! before tower-lsp (which may run handlers concurrently) sees them. Version
//! numbers are only labels the client gets back with diagnostics: they have
//! to increase, not to count up by one (eglot sends several changes in one
//! message and jumps by their number; Neovim numbers by `changedtick`), so a
//! jump is applied at once and nothing waits for versions that never come.

use std::collections::HashMap;

use super::document::{Document, TextChange};
use super::position::{PositionEncoding, PositionError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("document {0} is not open")]
    NotOpen(String),
    #[error("invalid change for version {version}: {source}")]
    InvalidChange { version: i32, source: PositionError },
}

pub struct Documents {
    entries: HashMap<String, Document>,
    encoding: PositionEncoding,
    max_parse_bytes: usize,
}

impl Documents {
    pub fn new(encoding: PositionEncoding, max_parse_bytes: usize) -> Self {
        Self { entries: HashMap::new(), encoding, max_parse_bytes }
    }

    /// Texts larger than this are kept but not parsed (from the settings).
    pub fn set_max_parse_bytes(&mut self, max_parse_bytes: usize) {
        self.max_parse_bytes = max_parse_bytes;
    }

    pub fn encoding(&self) -> PositionEncoding {
        self.encoding
    }

    /// Opens (or re-opens, replacing) a document.
    pub fn open(&mut self, uri: &str, version: i32, text: &str) {
        self.entries.insert(uri.to_owned(), Document::new(version, text, self.max_parse_bytes));
    }

    pub fn close(&mut self, uri: &str) -> bool {
        self.entries.remove(uri).is_some()
    }

    /// Applies one `didChange` (all its changes, in order) and returns the
    /// version the document had before. A version that does not increase is
    /// a client bug, but its text is still the client's: it is applied, and
    /// the caller logs it. An invalid range leaves the document untouched.
    pub fn change(&mut self, uri: &str, version: i32, changes: &[TextChange]) -> Result<i32, DocumentError> {
        let doc = self.entries.get_mut(uri).ok_or_else(|| DocumentError::NotOpen(uri.to_owned()))?;
        let previous = doc.version;
        doc.apply(version, changes, self.encoding).map_err(|source| DocumentError::InvalidChange { version, source })?;
        Ok(previous)
    }

    /// A snapshot of the document for readers (cheap: rope and tree share
    /// their storage).
    pub fn snapshot(&self, uri: &str) -> Option<Document> {
        self.entries.get(uri).cloned()
    }

    /// Whether the document is open at `version` (no newer change arrived).
    pub fn is_at(&self, uri: &str, version: i32) -> bool {
        self.entries.get(uri).is_some_and(|doc| doc.version == version)
    }

    pub fn uris(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::super::position::TextPosition;
    use super::*;

    fn insert(line: u32, character: u32, text: &str) -> TextChange {
        let p = TextPosition::new(line, character);
        TextChange { range: Some((p, p)), text: text.to_owned() }
    }

    fn text(docs: &Documents) -> (i32, String) {
        let doc = docs.snapshot("a.py").unwrap();
        (doc.version, doc.text())
    }

    #[test]
    fn several_changes_with_a_version_jump_apply_at_once() {
        // What eglot sends after three quick keystrokes: one message, three
        // changes, the version up by three.
        let mut docs = Documents::new(PositionEncoding::Utf16, 1 << 20);
        docs.open("a.py", 1, "x\n");
        let changes = [insert(0, 1, "y"), insert(0, 2, "z"), insert(1, 0, "w\n")];
        assert_eq!(docs.change("a.py", 4, &changes), Ok(1));
        assert_eq!(text(&docs), (4, "xyz\nw\n".to_owned()));
        assert!(docs.is_at("a.py", 4));
    }

    #[test]
    fn changes_apply_in_arrival_order_whatever_their_versions() {
        let mut docs = Documents::new(PositionEncoding::Utf16, 1 << 20);
        docs.open("a.py", 1, "");
        assert_eq!(docs.change("a.py", 10, &[insert(0, 0, "a\n")]), Ok(1));
        // Not newer: still the client's next text, applied (the caller logs it).
        assert_eq!(docs.change("a.py", 7, &[insert(1, 0, "b\n")]), Ok(10));
        assert_eq!(text(&docs), (7, "a\nb\n".to_owned()));
    }

    #[test]
    fn full_text_change_replaces_everything() {
        let mut docs = Documents::new(PositionEncoding::Utf16, 1 << 20);
        docs.open("a.py", 1, "old\n");
        let full = [TextChange { range: None, text: "new\n".to_owned() }];
        assert_eq!(docs.change("a.py", 3, &full), Ok(1));
        assert_eq!(text(&docs), (3, "new\n".to_owned()));
    }

    #[test]
    fn changes_to_unknown_documents_and_bad_ranges_are_errors() {
        let mut docs = Documents::new(PositionEncoding::Utf16, 1 << 20);
        assert_eq!(docs.change("nope.py", 2, &[]), Err(DocumentError::NotOpen("nope.py".into())));
        docs.open("a.py", 1, "x\n");
        assert!(matches!(docs.change("a.py", 2, &[insert(7, 0, "y")]), Err(DocumentError::InvalidChange { version: 2, .. })));
        assert_eq!(text(&docs), (1, "x\n".to_owned()));
    }
}
