//! Text replacements by file: what the refactorings (module moves, change
//! signature) compute and their callers turn into workspace edits or writes.

use crate::graph::{FileId, Span};

/// One replacement in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub span: Span,
    pub text: String,
}

/// The replacements of one file, sorted and disjoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    pub file: FileId,
    pub replacements: Vec<Replacement>,
}

/// `text` with `replacements` (sorted, disjoint) applied.
pub fn apply(text: &str, replacements: &[Replacement]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in replacements {
        out.push_str(&text[at..r.span.start as usize]);
        out.push_str(&r.text);
        at = r.span.end as usize;
    }
    out.push_str(&text[at..]);
    out
}
