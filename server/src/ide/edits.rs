//! Text replacements by file: what the refactorings (module moves, change
//! signature) compute and their callers turn into workspace edits or writes.

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, Expr};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::FxHashSet;

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

/// `replacements` (sorted, disjoint) with the ones at `expressions` (their
/// indices: each puts an expression's code where a name was) put in
/// parentheses where they would not parse as one expression of their own
/// there (`x * 2` of `x = a + b`): decided by the parse of the result, not
/// by a precedence table, each one wrapped until every one is an
/// expression node (of `ranges`, the expression ranges of a text's parse,
/// empty when it does not parse) with its code's exact text. `None` when
/// even in parentheses one is not.
pub fn parenthesized(
    text: &str,
    replacements: &[Replacement],
    expressions: &[usize],
    ranges: impl Fn(&str) -> FxHashSet<TextRange>,
) -> Option<Vec<Replacement>> {
    let mut wrapped: Vec<bool> = expressions.iter().map(|&i| replacements[i].text.contains('\n')).collect();
    loop {
        let mut out = Vec::with_capacity(replacements.len());
        let mut expected = Vec::with_capacity(expressions.len());
        let mut shift: i64 = 0;
        for (i, r) in replacements.iter().enumerate() {
            let wrap = expressions.iter().position(|&e| e == i).map(|at| (at, wrapped[at]));
            let new = match wrap {
                Some((_, true)) => format!("({})", r.text),
                _ => r.text.clone(),
            };
            if let Some((_, wrap)) = wrap {
                let start = i64::from(r.span.start) + shift + i64::from(wrap);
                expected.push(TextRange::at(TextSize::new(u32::try_from(start).ok()?), TextSize::of(r.text.as_str())));
            }
            shift += new.len() as i64 - i64::from(r.span.end - r.span.start);
            out.push(Replacement { span: r.span, text: new });
        }
        let found = ranges(&apply(text, &out));
        // `a, b` in parentheses is a tuple whose range holds them.
        let tuple = |at: usize| wrapped[at] && found.contains(&TextRange::new(expected[at].start() - TextSize::new(1), expected[at].end() + TextSize::new(1)));
        let missing: Vec<usize> =
            (0..expected.len()).filter(|&i| !found.contains(&expected[i]) && !(bare_tuple(&replacements[expressions[i]].text) && tuple(i))).collect();
        if missing.is_empty() {
            return Some(out);
        }
        if missing.iter().all(|&i| wrapped[i]) {
            return None;
        }
        missing.into_iter().for_each(|i| wrapped[i] = true);
    }
}

/// Whether `code` is a tuple without parentheses (`a, b`).
fn bare_tuple(code: &str) -> bool {
    ruff_python_parser::parse_expression(code).is_ok_and(|parsed| matches!(parsed.expr(), Expr::Tuple(t) if !t.parenthesized))
}

/// The range of every expression of a module's text (none when it does
/// not parse).
pub fn module_expressions(text: &str) -> FxHashSet<TextRange> {
    let mut ranges = Ranges(FxHashSet::default());
    // IPython's syntax, a superset of Python's: a notebook's code with its
    // escapes (a `.py` file with one does not reach a refactoring).
    if let Ok(parsed) = super::ipython_escapes::parse(text, true) {
        ranges.visit_body(&parsed.syntax().body);
    }
    ranges.0
}

/// The range of every expression of the text of one expression (which may
/// span lines), none when it does not parse.
pub fn expression_expressions(text: &str) -> FxHashSet<TextRange> {
    let mut ranges = Ranges(FxHashSet::default());
    // In parentheses, as a value spanning lines is written.
    if let Ok(parsed) = ruff_python_parser::parse_expression(&format!("({text})")) {
        let expr: &Expr = &parsed.syntax().body;
        ranges.visit_expr(expr);
    }
    ranges.0.into_iter().filter(|r| r.start() > TextSize::new(0)).map(|r| r - TextSize::new(1)).collect()
}

struct Ranges(FxHashSet<TextRange>);

impl<'a> SourceOrderVisitor<'a> for Ranges {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        if node.is_expression() {
            self.0.insert(node.range());
        }
        TraversalSignal::Traverse
    }
}
