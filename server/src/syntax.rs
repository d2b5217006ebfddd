//! Parsing. tree-sitter keeps an incremental tree per open buffer; the ruff
//! parser gives precise syntax errors and, later, the ASTs the graph is built
//! from. Parsing never fails: broken text still yields a tree and errors.

use std::cell::Cell;
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use ropey::Rope;
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, PySourceType};
use ruff_python_parser::Parsed;
use ruff_text_size::{Ranged, TextRange};
use tree_sitter::{InputEdit, Parser, Point, Tree};

fn python_parser() -> Parser {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_python::LANGUAGE.into()).expect("the bundled tree-sitter-python grammar matches the tree-sitter ABI");
    parser
}

/// Parses (or re-parses, reusing `old` after its edits) the text of `rope`.
///
/// A bare `\r` (an old Mac file's line end) is read as `\n`: Python and
/// LSP end a line there, tree-sitter-python does not (the whole file would
/// be one broken line); the same length, so every offset stays put, and
/// its rows are the rope's lines, which the edits it is told of count in.
pub fn parse_rope(rope: &Rope, old: Option<&Tree>) -> Option<Tree> {
    let mut parser = python_parser();
    let mut read = |byte: usize, _| -> std::borrow::Cow<'_, [u8]> {
        if byte >= rope.len_bytes() {
            return std::borrow::Cow::Borrowed(&[]);
        }
        let (chunk, chunk_start, _, _) = rope.chunk_at_byte(byte);
        let bytes = &chunk.as_bytes()[byte - chunk_start..];
        if !bytes.contains(&b'\r') {
            return std::borrow::Cow::Borrowed(bytes);
        }
        let mut read = bytes.to_vec();
        for at in memchr::memchr_iter(b'\r', bytes) {
            // The `\n` of a `\r\n` may start the next chunk.
            if rope.get_byte(byte + at + 1) != Some(b'\n') {
                read[at] = b'\n';
            }
        }
        std::borrow::Cow::Owned(read)
    };
    parser.parse_with_options(&mut read, old, None)
}

/// The byte ranges of the error and missing nodes of `text`'s tree-sitter
/// parse, and of its empty blocks within `focus` (tree-sitter accepts
/// `if x:` at the end of a file; Python does not): where and how much it
/// is broken.
pub fn error_ranges(text: &str, focus: &Range<usize>) -> Vec<Range<usize>> {
    python_parser().parse(text, None).map_or_else(|| all_broken(text), |tree| tree_error_ranges(&tree, focus))
}

/// [`error_ranges`] of `text`, which is the text of `old` with `removed`
/// bytes at `start` (within one line) replaced by `inserted` bytes:
/// reparsed incrementally, reusing what the edit did not touch.
pub fn error_ranges_after_edit(old: &Tree, text: &str, start: usize, removed: usize, inserted: usize, focus: &Range<usize>) -> Vec<Range<usize>> {
    let point = |byte: usize| {
        let before = &text.as_bytes()[..byte];
        let row = before.iter().filter(|&&b| b == b'\n').count();
        Point::new(row, byte - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1))
    };
    let start_position = point(start);
    let mut tree = old.clone();
    tree.edit(&InputEdit {
        start_byte: start,
        old_end_byte: start + removed,
        new_end_byte: start + inserted,
        start_position,
        old_end_position: Point::new(start_position.row, start_position.column + removed),
        new_end_position: point(start + inserted),
    });
    python_parser().parse(text, Some(&tree)).map_or_else(|| all_broken(text), |tree| tree_error_ranges(&tree, focus))
}

/// Without a tree (the parser gave up) the whole text counts as broken.
fn all_broken(text: &str) -> Vec<Range<usize>> {
    let whole = 0..text.len();
    vec![whole]
}

/// The byte ranges of `tree`'s error and missing nodes (an error node's
/// insides are not counted again), and of its empty blocks within `focus`.
pub fn tree_error_ranges(tree: &Tree, focus: &Range<usize>) -> Vec<Range<usize>> {
    let mut cursor = tree.walk();
    let mut found = Vec::new();
    loop {
        let node = cursor.node();
        let in_focus = node.start_byte() <= focus.end && node.end_byte() >= focus.start;
        let broken = node.is_error() || node.is_missing() || (in_focus && node.kind() == "block" && node.named_child_count() == 0);
        if broken {
            found.push(node.byte_range());
        }
        let look_inside = !broken && (node.has_error() || in_focus);
        if (!look_inside || !cursor.goto_first_child()) && !cursor.goto_next_sibling() {
            loop {
                if !cursor.goto_parent() {
                    return found;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
            }
        }
    }
}

/// `source` parsed as `kind` from `start` on, where a line starts and all
/// before is blank: the tree and errors [`parse_unchecked_source`] gives,
/// without lexing the blank part. The splices of an edit parse a
/// statement or a method at its place in the file's text, so offsets stay:
/// in Django's large modules ~100 KB of blanks before it, lexed in every
/// parse (3.5M instructions a keystroke, most of the method splice's).
pub fn parse_from(source: &str, start: usize, kind: PySourceType) -> Parsed<ModModule> {
    debug_assert!(source.as_bytes()[..start].iter().all(u8::is_ascii_whitespace), "parse_from's text before the start is blank");
    let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(source.len())) else { return parse_unchecked_source(source, kind) };
    let options = ruff_python_parser::ParseOptions::from(kind);
    guarded(source, || ruff_python_parser::parse_cells_unchecked(source, [TextRange::new(start.into(), end.into())], &options))
}

/// A syntax error: a byte range in the source and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: Range<usize>,
    pub message: String,
}

/// All syntax errors in `source`, in source order.
pub fn syntax_errors(source: &str) -> Vec<SyntaxError> {
    let parsed = ruff_python_parser::parse_unchecked_source(source, PySourceType::Python);
    parsed.errors().iter().map(|e| SyntaxError { range: e.location.start().to_usize()..e.location.end().to_usize(), message: e.error.to_string() }).collect()
}

/// `source` parsed by ruff's parser as `kind`, which never fails: broken
/// text gives a recovered tree and its errors ([`guarded`]).
pub fn parse_unchecked_source(source: &str, kind: PySourceType) -> Parsed<ModModule> {
    guarded(source, || ruff_python_parser::parse_unchecked_source(source, kind))
}

/// Stack left before a recursive walk moves to a new segment (more than
/// ruff's parser keeps: a debug build's frames are large), and that
/// segment's size, for [`stacker::maybe_grow`].
pub const RED_ZONE: usize = 256 * 1024;
pub const STACK_GROWTH: usize = 1024 * 1024;

/// Expressions nested deeper than this are not analysed: CPython itself
/// cannot compile them (its compiler gives up near 3,000 levels, its parser
/// at 200 parentheses), and ruff's linter and pyloom's walks recurse once
/// per level (a 20,000-term `+` chain overflowed a 16 MiB stack).
pub const MAX_DEPTH: usize = 2_500;

/// The first expression of `parsed` nested deeper than [`MAX_DEPTH`], if
/// any. The measure grows its own stack as it goes and stops at the limit,
/// so it never overflows.
///
/// Only a module with a logical line of [`MAX_DEPTH`] tokens is walked: an
/// expression lies within one logical line, and each level of its nesting
/// has a token of its own (an operator, a bracket, a dot, a keyword, an
/// f-string's start), so shorter lines cannot nest that deep. Counting the
/// tokens costs a tenth of the walk, which was 0.8% of a check of Django.
pub fn too_deep(parsed: &Parsed<ModModule>) -> Option<TextRange> {
    if longest_logical_line(parsed) < MAX_DEPTH {
        return None;
    }
    deeper_than_allowed(parsed.syntax())
}

/// How many tokens the longest logical line of `parsed` has (a line's
/// `Newline` not counted, its line breaks inside brackets counted).
fn longest_logical_line(parsed: &Parsed<ModModule>) -> usize {
    let (mut longest, mut in_line) = (0, 0);
    for token in parsed.tokens().iter() {
        in_line = if token.kind() == TokenKind::Newline { 0 } else { in_line + 1 };
        longest = longest.max(in_line);
    }
    longest
}

/// [`too_deep`]'s walk of `module`.
fn deeper_than_allowed(module: &ModModule) -> Option<TextRange> {
    struct Depth {
        depth: usize,
        found: Option<TextRange>,
    }
    impl<'a> Visitor<'a> for Depth {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found.is_some() {
                return;
            }
            if self.depth >= MAX_DEPTH {
                self.found = Some(expr.range());
                return;
            }
            self.depth += 1;
            stacker::maybe_grow(RED_ZONE, STACK_GROWTH, || visitor::walk_expr(self, expr));
            self.depth -= 1;
        }
    }
    let mut depth = Depth { depth: 0, found: None };
    depth.visit_body(&module.body);
    depth.found
}

thread_local! {
    /// Whether this thread is inside [`guarded`]: its panic is caught and
    /// answered, so the panic hook keeps quiet about it.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// `parse` of `source`, or `source` parsed as plain Python if `parse`
/// panics. ruff's parser in IPython's mode (a notebook's cells) reaches an
/// `unreachable!` on some half-typed code (`import[` with a `,` on the
/// next line: ruff 0.16.4's own `check` reports the panic), and what a
/// user types must not take the server or a check down. As plain Python
/// the escapes are syntax errors and the rest is recovered as usual.
pub fn guarded(source: &str, parse: impl FnOnce() -> Parsed<ModModule>) -> Parsed<ModModule> {
    unpanicked(parse).unwrap_or_else(|| {
        tracing::warn!("ruff's parser panicked on this text in IPython's mode; parsed as plain Python");
        ruff_python_parser::parse_unchecked_source(source, PySourceType::Python)
    })
}

/// `parse`, or `None` when it panics (quietly, as [`guarded`]): for a
/// caller that must know the text was not parsed as asked.
pub fn unpanicked(parse: impl FnOnce() -> Parsed<ModModule>) -> Option<Parsed<ModModule>> {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        let earlier = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !GUARDED.get() {
                earlier(info);
            }
        }));
    });
    let outer = GUARDED.replace(true);
    let parsed = panic::catch_unwind(AssertUnwindSafe(parse));
    GUARDED.set(outer);
    parsed.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> Parsed<ModModule> {
        ruff_python_parser::parse_unchecked_source(source, PySourceType::Python)
    }

    #[test]
    fn a_logical_lines_tokens_are_counted_over_its_physical_lines() {
        // `x = ( 1 + ⏎ 2 )`: eight, the line break inside the brackets one.
        assert_eq!(longest_logical_line(&parse("x = (1 +\n    2)\ny = 3\n")), 8);
        assert_eq!(longest_logical_line(&parse("a = 1; b = 2\n")), 7);
    }

    #[test]
    fn an_expression_nested_too_deep_over_many_lines_is_found_and_shallow_ones_are_not() {
        let deep = format!("x = (\n{}1)\n", "1 +\n".repeat(MAX_DEPTH + 100));
        let found = too_deep(&parse(&deep)).expect("found");
        assert_eq!(found.start().to_usize(), "x = (\n".len(), "a sum of the first terms");
        // Long lines of shallow expressions are walked and pass; short
        // lines are not walked.
        let long = format!("x = [{}]\n", "1, ".repeat(MAX_DEPTH * 2));
        assert!(longest_logical_line(&parse(&long)) > MAX_DEPTH && too_deep(&parse(&long)).is_none());
        let many = "x = 1 + 2 * 3\n".repeat(MAX_DEPTH * 2);
        assert_eq!((longest_logical_line(&parse(&many)), too_deep(&parse(&many))), (7, None));
    }

    #[test]
    fn reports_errors_with_ranges_and_keeps_going() {
        let errors = syntax_errors("def f(:\n    pass\nx = = 1\n");
        assert!(errors.len() >= 2, "{errors:?}");
        assert_eq!(errors[0].range.start, 6);
        assert!(errors.iter().any(|e| e.range.start >= 17), "second error found: {errors:?}");
    }

    #[test]
    fn valid_code_has_no_errors_and_a_clean_tree() {
        assert!(syntax_errors("x = 1\n").is_empty());
        let tree = parse_rope(&Rope::from_str("x = 1\n"), None).unwrap();
        assert!(!tree.root_node().has_error());
        let everywhere = 0..usize::MAX;
        assert!(error_ranges("x = 1\n", &everywhere).is_empty());
        assert!(!error_ranges("def f(:\n    pass\n", &everywhere).is_empty());
        assert!(!error_ranges("for x in y:\n", &everywhere).is_empty());
        assert!(error_ranges("for x in y:\n", &(100..100)).is_empty());
    }

    #[test]
    fn an_incremental_reparse_finds_the_errors_a_fresh_one_does() {
        let old = "def f(xs):\n    return g()\n";
        let tree = parse_rope(&Rope::from_str(old), None).unwrap();
        for (inserted, removed) in [("len(xs)", 0), ("len(xs))", 1), ("(\n", 0), ("xs,\n        1)", 1)] {
            let text = format!("{}{inserted}{}", &old[..24], &old[24 + removed..]);
            let focus = 24..24 + inserted.len();
            assert_eq!(error_ranges_after_edit(&tree, &text, 24, removed, inserted.len(), &focus), error_ranges(&text, &focus), "{text:?}");
        }
    }

    /// ruff's parser panics on this cell in IPython's mode (an escape token
    /// where it asserts none can be); the guard answers with the plain
    /// Python parse, errors and all. Without the guard the test panics.
    #[test]
    fn a_cell_that_panics_rufs_parser_is_parsed_as_plain_python() {
        let cell = "import[\n,\nx = 1\n";
        let parsed = parse_unchecked_source(cell, PySourceType::Ipynb);
        assert!(!parsed.errors().is_empty());
        let plain = ruff_python_parser::parse_unchecked_source(cell, PySourceType::Python);
        assert_eq!(format!("{:?}", parsed.syntax()), format!("{:?}", plain.syntax()));
    }

    /// Must-not twin: a cell the parser reads keeps IPython's escapes.
    #[test]
    fn a_cell_the_parser_reads_keeps_its_escapes() {
        let parsed = parse_unchecked_source("%matplotlib inline\nx = 1\n", PySourceType::Ipynb);
        assert!(parsed.errors().is_empty(), "{:?}", parsed.errors());
        assert!(matches!(parsed.syntax().body[0], ruff_python_ast::Stmt::IpyEscapeCommand(_)));
    }

    /// A statement or a method's lines after blanks, whole or broken in
    /// every way the splices meet (an open bracket, string or f-string, a
    /// bad dedent, a continuation at the end, a decorator alone): parsed
    /// from their start, the same tree and errors as the whole text's.
    #[test]
    fn parsing_from_a_line_start_equals_parsing_the_blanked_text() {
        let pieces = [
            "class _:\n    def f(self, a=1):\n        return a\n",
            "def g(x):\n    y = (1,\n",
            "    z = 2\n",
            "  w = 3\n",
            "s = '''open\n",
            "t = f'{x\n",
            "if x:\n",
            "@decorator\n",
            "\n",
            "   \n",
            "# a comment\n",
            "match v:\n    case 1: pass\n",
            "u = 1 + \\\n",
            "%magic\n",
            "def_ h(): pass\n",
        ];
        for first in pieces {
            for second in pieces {
                for blank in [1, 9, 300] {
                    let source = format!("{}\n{first}{second}", " ".repeat(blank - 1));
                    for kind in [PySourceType::Python, PySourceType::Ipynb] {
                        let (from, whole) = (parse_from(&source, blank, kind), parse_unchecked_source(&source, kind));
                        assert_eq!(from.syntax().body, whole.syntax().body, "{source:?}");
                        assert_eq!(from.errors(), whole.errors(), "{source:?}");
                    }
                }
            }
        }
    }
}
