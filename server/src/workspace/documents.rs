//! The set of open documents and the rule that orders their edits.
//!
//! Editors number each change of a document with a version. The server may
//! receive changes out of order (tower-lsp runs handlers concurrently), so
//! this store is the single owner that applies them in version order:
//!
//! - a change for the next version is applied, then any buffered successors;
//! - a change for an older or equal version is stale and dropped;
//! - a change that skips ahead waits for the versions before it. A full-text
//!   change does not depend on earlier text and is applied at once. The next
//!   read of the document (a request, or the debounced analysis) accepts any
//!   remaining gap and applies what waits in version order, because some
//!   editors (Neovim's `changedtick`) number changes with gaps.
//!
//! Every outcome but the plain in-order apply is logged by the caller.

use std::collections::{BTreeMap, HashMap};

use super::document::{Document, TextChange};
use super::position::{PositionEncoding, PositionError};

/// Changes waiting for their predecessor, per document, at most. Past this a
/// client is not reordering but losing messages; the change is refused.
const MAX_PENDING: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOutcome {
    /// Applied; the document is now at `version`.
    Applied { version: i32 },
    /// Waiting for the versions between the current one and this one.
    Buffered { current: i32 },
    /// Not newer than the current version; dropped.
    Stale { current: i32 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("document {0} is not open")]
    NotOpen(String),
    #[error("invalid change for version {version}: {source}")]
    InvalidChange { version: i32, source: PositionError },
    #[error("too many out-of-order changes waiting for {0}")]
    TooManyPending(String),
}

struct Entry {
    doc: Document,
    pending: BTreeMap<i32, Vec<TextChange>>,
}

pub struct Documents {
    entries: HashMap<String, Entry>,
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
        let doc = Document::new(version, text, self.max_parse_bytes);
        self.entries.insert(uri.to_owned(), Entry { doc, pending: BTreeMap::new() });
    }

    pub fn close(&mut self, uri: &str) -> bool {
        self.entries.remove(uri).is_some()
    }

    pub fn change(
        &mut self,
        uri: &str,
        version: i32,
        changes: Vec<TextChange>,
    ) -> Result<ChangeOutcome, DocumentError> {
        let encoding = self.encoding;
        let entry = self.entries.get_mut(uri).ok_or_else(|| DocumentError::NotOpen(uri.to_owned()))?;
        let current = entry.doc.version;
        if version <= current {
            return Ok(ChangeOutcome::Stale { current });
        }
        let is_full_text = changes.first().is_some_and(|c| c.range.is_none());
        if version != current + 1 && !is_full_text {
            if entry.pending.len() >= MAX_PENDING {
                return Err(DocumentError::TooManyPending(uri.to_owned()));
            }
            entry.pending.insert(version, changes);
            return Ok(ChangeOutcome::Buffered { current });
        }
        entry
            .doc
            .apply(version, &changes, encoding)
            .map_err(|source| DocumentError::InvalidChange { version, source })?;
        entry.pending.retain(|&v, _| v > version);
        entry.apply_ready(encoding, false);
        Ok(ChangeOutcome::Applied { version: entry.doc.version })
    }

    /// A snapshot of the document for readers. Changes still waiting for a
    /// missing predecessor are applied first, in version order, accepting the
    /// gap. Returns the snapshot and the changes that could not be applied.
    pub fn snapshot(&mut self, uri: &str) -> Option<(Document, Vec<DocumentError>)> {
        let encoding = self.encoding;
        let entry = self.entries.get_mut(uri)?;
        let errors = entry.apply_ready(encoding, true);
        Some((entry.doc.clone(), errors))
    }

    /// Whether the document is at `version` with no change waiting for a
    /// predecessor (a read now would not have to accept a gap).
    pub fn is_settled(&self, uri: &str, version: i32) -> bool {
        self.entries.get(uri).is_some_and(|e| e.doc.version == version && e.pending.is_empty())
    }

    pub fn uris(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

impl Entry {
    /// Applies buffered changes that follow the current version; with
    /// `accept_gaps`, all of them in order. Invalid ones are dropped and
    /// returned as errors.
    fn apply_ready(&mut self, encoding: PositionEncoding, accept_gaps: bool) -> Vec<DocumentError> {
        let mut errors = Vec::new();
        while let Some(entry) = self.pending.first_entry() {
            if !accept_gaps && *entry.key() != self.doc.version + 1 {
                break;
            }
            let (version, changes) = entry.remove_entry();
            if let Err(source) = self.doc.apply(version, &changes, encoding) {
                errors.push(DocumentError::InvalidChange { version, source });
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::super::position::TextPosition;
    use super::*;

    fn insert_at_end(doc_len_line: u32, text: &str) -> Vec<TextChange> {
        let p = TextPosition::new(doc_len_line, 0);
        vec![TextChange { range: Some((p, p)), text: text.to_owned() }]
    }

    fn text(docs: &mut Documents) -> (i32, String) {
        let (doc, errors) = docs.snapshot("a.py").unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        (doc.version, doc.text())
    }

    #[test]
    fn out_of_order_changes_are_applied_in_version_order() {
        let mut docs = Documents::new(PositionEncoding::Utf16, 1 << 20);
        docs.open("a.py", 1, "");
        assert_eq!(docs.change("a.py", 3, insert_at_end(1, "b\n")), Ok(ChangeOutcome::Buffered { current: 1 }));
        assert_eq!(docs.change("a.py", 2, insert_at_end(0, "a\n")), Ok(ChangeOutcome::Applied { version: 3 }));
        assert_eq!(docs.change("a.py", 2, insert_at_end(0, "late\n")), Ok(ChangeOutcome::Stale { current: 3 }));
        assert_eq!(text(&mut docs), (3, "a\nb\n".to_owned()));
    }

    #[test]
    fn a_read_accepts_a_version_gap() {
        let mut docs = Documents::new(PositionEncoding::Utf16, 1 << 20);
        docs.open("a.py", 1, "");
        docs.change("a.py", 5, insert_at_end(0, "x\n")).unwrap();
        assert_eq!(text(&mut docs), (5, "x\n".to_owned()));
    }

    #[test]
    fn full_text_change_skips_ahead_and_supersedes_older_pending() {
        let mut docs = Documents::new(PositionEncoding::Utf16, 1 << 20);
        docs.open("a.py", 1, "old\n");
        docs.change("a.py", 3, insert_at_end(0, "lost\n")).unwrap();
        let full = vec![TextChange { range: None, text: "new\n".to_owned() }];
        assert_eq!(docs.change("a.py", 4, full), Ok(ChangeOutcome::Applied { version: 4 }));
        assert_eq!(text(&mut docs), (4, "new\n".to_owned()));
    }

    #[test]
    fn changes_to_unknown_documents_and_bad_ranges_are_errors() {
        let mut docs = Documents::new(PositionEncoding::Utf16, 1 << 20);
        assert_eq!(docs.change("nope.py", 2, vec![]), Err(DocumentError::NotOpen("nope.py".into())));
        docs.open("a.py", 1, "x\n");
        assert!(matches!(
            docs.change("a.py", 2, insert_at_end(7, "y")),
            Err(DocumentError::InvalidChange { version: 2, .. })
        ));
        assert_eq!(text(&mut docs), (1, "x\n".to_owned()));
    }
}
