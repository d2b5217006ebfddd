//! One open buffer: its text as a rope and its incrementally re-parsed
//! tree-sitter tree.
//!
//! The tree is parsed when something first reads it, not on every change:
//! few requests read it (folding, selection, inlay hints, ghost text), and
//! re-parsing a large file after each keystroke was a good part of what a
//! keystroke cost, on the path that reads the client's messages in order.

use std::sync::{Arc, OnceLock};

use ropey::Rope;
use tree_sitter::{InputEdit, Point, Tree};

use super::position::{PositionEncoding, PositionError, TextPosition, to_byte_offset};
use crate::syntax;

/// One content change as an editor sends it: a replaced range, or the whole
/// text when `range` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub range: Option<(TextPosition, TextPosition)>,
    pub text: String,
}

/// An open document. Cloning is cheap (the rope and the tree share their
/// storage), so readers take clones as snapshots.
#[derive(Debug, Clone)]
pub struct Document {
    pub version: i32,
    pub rope: Rope,
    /// This version's tree, parsed on first use and shared by the
    /// snapshots of this version.
    tree: Arc<OnceLock<Option<Tree>>>,
    /// The last tree parsed, told of every edit since: what the next
    /// parse reuses.
    edited: Option<Tree>,
    max_parse_bytes: usize,
    /// Whether this version nests brackets past [`MAX_NESTING`], found on
    /// first use.
    too_deep: Arc<OnceLock<bool>>,
}

/// Brackets nested deeper than this are not analysed: ruff's parser and
/// the visitors recurse once per level, and 20,000 levels overflowed a
/// worker's 16 MiB stack, aborting the server (8,000 passed). Python
/// itself refuses more than 200.
pub const MAX_NESTING: usize = 1000;

/// Whether the brackets of the text in `chunks` nest deeper than
/// [`MAX_NESTING`]. Each edit of a buffer asks it of the whole text: a
/// loop over each chunk's bytes counts less than half the instructions of
/// the rope's byte iterator (1.2M against 2.75M for a 116 KB file).
pub fn nests_too_deep<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> bool {
    let mut depth = 0usize;
    for chunk in chunks {
        for &byte in chunk {
            match byte {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => continue,
            }
            if depth > MAX_NESTING {
                return true;
            }
        }
    }
    false
}

impl Document {
    pub fn new(version: i32, text: &str, max_parse_bytes: usize) -> Self {
        Self { version, rope: Rope::from_str(text), tree: Arc::default(), edited: None, max_parse_bytes, too_deep: Arc::default() }
    }

    /// Whether brackets nest deeper than [`MAX_NESTING`] (counted in
    /// strings too: a false alarm needs 1,000 unclosed brackets in them).
    pub fn too_deeply_nested(&self) -> bool {
        *self.too_deep.get_or_init(|| nests_too_deep(self.rope.chunks().map(str::as_bytes)))
    }

    /// The tree-sitter tree of this version; `None` when the text is too
    /// large to parse on every keystroke.
    pub fn tree(&self) -> Option<&Tree> {
        let parse = || (self.rope.len_bytes() <= self.max_parse_bytes).then(|| syntax::parse_rope(&self.rope, self.edited.as_ref())).flatten();
        self.tree.get_or_init(parse).as_ref()
    }

    pub fn text(&self) -> String {
        // Chunk by chunk into room made at once: `to_string` formats each
        // of a large file's ~6,000 chunks and grows the string as it goes.
        let mut text = String::with_capacity(self.rope.len_bytes());
        self.rope.chunks().for_each(|chunk| text.push_str(chunk));
        text
    }

    /// Applies `changes` in order and re-parses once. All or nothing: if any
    /// change has an invalid range, the document is left as it was.
    pub fn apply(&mut self, version: i32, changes: &[TextChange], encoding: PositionEncoding) -> Result<(), PositionError> {
        let mut next = self.clone();
        // The edits go to the newest tree there is: this version's when it
        // was parsed, else the one it would have reused.
        if let Some(Some(tree)) = self.tree.get() {
            next.edited = Some(tree.clone());
        }
        next.tree = Arc::default();
        next.too_deep = Arc::default();
        for change in changes {
            next.apply_one(change, encoding)?;
        }
        next.version = version;
        *self = next;
        Ok(())
    }

    fn apply_one(&mut self, change: &TextChange, encoding: PositionEncoding) -> Result<(), PositionError> {
        let Some((start, end)) = change.range else {
            self.replace_all(&change.text);
            return Ok(());
        };
        if start > end {
            return Err(PositionError::InvertedRange { start, end });
        }
        let start_byte = to_byte_offset(&self.rope, start, encoding)?;
        let old_end_byte = to_byte_offset(&self.rope, end, encoding)?;
        self.replace(start_byte, old_end_byte, &change.text);
        Ok(())
    }

    /// A change that sends the whole text (clients that sync in full, and
    /// some that do after a format or an undo) is applied as the part that
    /// differs: a fresh tree-sitter parse of a large file would take longer
    /// than everything else an edit does.
    fn replace_all(&mut self, text: &str) {
        let old = self.rope.to_string();
        let (start, old_end, new_end) = crate::common_affix::differing_middle(&old, text);
        self.replace(start, old_end, &text[start..new_end]);
    }

    /// Replaces the bytes `start..old_end` (on character boundaries) by
    /// `text`, and tells the tree where.
    fn replace(&mut self, start_byte: usize, old_end_byte: usize, text: &str) {
        let start_position = self.point(start_byte);
        let old_end_position = self.point(old_end_byte);
        let start_char = self.rope.byte_to_char(start_byte);
        self.rope.remove(start_char..self.rope.byte_to_char(old_end_byte));
        self.rope.insert(start_char, text);
        let new_end_byte = start_byte + text.len();
        let edit = InputEdit { start_byte, old_end_byte, new_end_byte, start_position, old_end_position, new_end_position: self.point(new_end_byte) };
        if let Some(tree) = &mut self.edited {
            tree.edit(&edit);
        }
    }

    fn point(&self, byte: usize) -> Point {
        let row = self.rope.byte_to_line(byte);
        Point { row, column: byte - self.rope.line_to_byte(row) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MAX: usize = 1 << 20;

    fn change(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextChange {
        TextChange { range: Some((TextPosition::new(l0, c0), TextPosition::new(l1, c1))), text: text.to_owned() }
    }

    fn sexp(doc: &Document) -> String {
        doc.tree().unwrap().root_node().to_sexp()
    }

    /// `doc`'s tree against a fresh parse of its text: the same tree for
    /// code that parses. Where it does not, tree-sitter's error recovery
    /// may place an error node elsewhere when it re-parses incrementally
    /// than from scratch (it promises no more); both trees then cover the
    /// whole text and both say it has errors.
    fn same_as_fresh(doc: &Document) -> Result<(), TestCaseError> {
        let fresh = Document::new(0, &doc.text(), MAX);
        let (ours, theirs) = (doc.tree().unwrap().root_node(), fresh.tree().unwrap().root_node());
        if theirs.has_error() {
            prop_assert!(ours.has_error(), "{} against {}", ours.to_sexp(), theirs.to_sexp());
            prop_assert_eq!(ours.end_byte(), theirs.end_byte());
        } else {
            prop_assert_eq!(ours.to_sexp(), theirs.to_sexp());
        }
        Ok(())
    }

    /// The depth is carried from one of the rope's chunks to the next: a
    /// large file's brackets open in one and close in another.
    #[test]
    fn nesting_is_counted_across_the_ropes_chunks() {
        let nested = |second: usize| {
            let text = format!("{}{}{}{}x", "a".repeat(3000), "(".repeat(600), "b".repeat(3000), "[".repeat(second));
            let doc = Document::new(1, &text, MAX);
            assert!(doc.rope.chunks().count() > 3, "the brackets lie in several chunks");
            doc.too_deeply_nested()
        };
        assert!(nested(MAX_NESTING - 600 + 1));
        assert!(!nested(MAX_NESTING - 600), "at the limit");
        // Closed brackets leave the depth they opened at.
        let closed = Document::new(1, &format!("{}{}", "()".repeat(5000), "{".repeat(MAX_NESTING)), MAX);
        assert!(!closed.too_deeply_nested());
    }

    #[test]
    fn edits_multibyte_text_in_utf16() {
        let mut doc = Document::new(1, "s = '😀'\nt = 1\n", MAX);
        // Replace the emoji (2 UTF-16 units at character 5) with CJK.
        doc.apply(2, &[change(0, 5, 0, 7, "中文")], PositionEncoding::Utf16).unwrap();
        assert_eq!(doc.text(), "s = '中文'\nt = 1\n");
        assert_eq!(doc.version, 2);
        assert_eq!(sexp(&doc), sexp(&Document::new(0, &doc.text(), MAX)));
    }

    #[test]
    fn an_edit_after_a_line_separator_in_a_string_lands_where_it_was_typed() {
        // U+2028 ends no line for the client: line 1 is `x = 1`. (Must
        // stay: after a bare `\r`, which does end one, line 2 is `z`.)
        let mut doc = Document::new(1, "s = '\u{2028}'\nx = 1\ry\rz\n", MAX);
        sexp(&doc);
        doc.apply(2, &[change(1, 0, 1, 1, "xx"), change(3, 0, 3, 1, "w")], PositionEncoding::Utf16).unwrap();
        assert_eq!(doc.text(), "s = '\u{2028}'\nxx = 1\ry\rw\n");
        let (ours, fresh) = (doc.tree().unwrap().root_node(), Document::new(0, &doc.text(), MAX));
        assert_eq!(ours.to_sexp(), sexp(&fresh));
        let rows = |node: tree_sitter::Node<'_>| (0..node.child_count()).map(|i| node.child(i).unwrap().start_position().row).collect::<Vec<_>>();
        assert_eq!(rows(ours), rows(fresh.tree().unwrap().root_node()), "the reused tree's rows are the fresh parse's");
    }

    #[test]
    fn an_invalid_change_leaves_the_document_untouched() {
        let mut doc = Document::new(1, "x = 1\n", MAX);
        let err = doc.apply(2, &[change(0, 0, 0, 1, "y"), change(9, 0, 9, 0, "boom")], PositionEncoding::Utf16).unwrap_err();
        assert_eq!(err, PositionError::LineOutOfRange { line: 9, lines: 2 });
        assert_eq!((doc.version, doc.text()), (1, "x = 1\n".to_owned()));
    }

    #[test]
    fn oversized_text_is_kept_but_not_parsed() {
        let doc = Document::new(1, "x = 1\n", 3);
        assert!(doc.tree().is_none());
        assert_eq!(doc.text(), "x = 1\n");
    }

    /// A random edit: where it starts and ends (as fractions of the text) and
    /// what it inserts, drawn from Python-ish and multi-byte fragments.
    fn edit_strategy() -> impl Strategy<Value = (f64, f64, String)> {
        let fragment = prop::sample::select(vec![
            "def f(a, b):\n",
            "    return a\n",
            "(",
            ")",
            ":",
            "\n",
            " ",
            "x = '😀'",
            "中",
            "e\u{301}",
            "class C:\n    pass\n",
            "if x:\n",
            "\"\"\"doc\"\"\"",
            "#",
            "",
        ]);
        (0.0..1.0f64, 0.0..1.0f64, prop::collection::vec(fragment, 0..4).prop_map(|v| v.concat()))
    }

    /// The bytes between the characters at fractions `a` and `b` of `text`.
    fn byte_range(text: &str, a: f64, b: f64) -> (usize, usize) {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let pick = |f: f64| chars.get((f * chars.len() as f64) as usize).map_or(text.len(), |c| c.0);
        let (x, y) = (pick(a), pick(b));
        (x.min(y), x.max(y))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Incremental edits (rope and tree) equal a fresh parse of the final text.
        #[test]
        fn incremental_edits_equal_a_full_parse(
            edits in prop::collection::vec(edit_strategy(), 1..30),
            encoding in prop::sample::select(vec![PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32]),
        ) {
            let mut expected = String::from("import os\n\ndef main():\n    print('héllo 😀')\n");
            let mut doc = Document::new(0, &expected, MAX);
            for (version, (a, b, text)) in edits.into_iter().enumerate() {
                let (start, end) = byte_range(&expected, a, b);
                let rope = Rope::from_str(&expected);
                let range = (
                    super::super::position::from_byte_offset(&rope, start, encoding),
                    super::super::position::from_byte_offset(&rope, end, encoding),
                );
                // Skip edits that would split a CRLF-free line terminator: none here.
                expected.replace_range(start..end, &text);
                doc.apply(version as i32 + 1, &[TextChange { range: Some(range), text }], encoding).unwrap();
                prop_assert_eq!(doc.text(), expected.clone());
            }
            same_as_fresh(&doc)?;
        }

        /// Whole-text changes, applied as the part that differs, equal a
        /// fresh parse too.
        #[test]
        fn whole_text_changes_equal_a_full_parse(edits in prop::collection::vec(edit_strategy(), 1..30)) {
            let mut expected = String::from("import os\n\ndef main():\n    print('héllo 😀')\n");
            let mut doc = Document::new(0, &expected, MAX);
            for (version, (a, b, text)) in edits.into_iter().enumerate() {
                let (start, end) = byte_range(&expected, a, b);
                expected.replace_range(start..end, &text);
                doc.apply(version as i32 + 1, &[TextChange { range: None, text: expected.clone() }], PositionEncoding::Utf16).unwrap();
                prop_assert_eq!(doc.text(), expected.clone());
                same_as_fresh(&doc)?;
            }
        }
    }
}
