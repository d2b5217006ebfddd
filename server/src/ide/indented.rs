//! The lines of code moved to another indentation (extract function's
//! selection into its new function, inline function's body before the
//! call's statement): where a line starts and ends, its indentation, and
//! whether a string spans lines (its text would change when re-indented).

use ruff_python_ast::Expr;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_text_size::{Ranged, TextSize};

/// Whether a string literal of the visited code spans lines.
pub(super) struct MultiLineStrings<'t> {
    pub text: &'t str,
    pub found: bool,
}

impl<'a> Visitor<'a> for MultiLineStrings<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let string = matches!(expr, Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::FString(_) | Expr::TString(_));
        if string && self.text[expr.range()].contains('\n') {
            self.found = true;
        } else {
            visitor::walk_expr(self, expr);
        }
    }
}

/// The spaces before `at` on its line, when nothing else is there.
pub(super) fn indentation(text: &str, at: TextSize) -> Option<&str> {
    let at = at.to_usize();
    let before = &text[line_start(text, at)..at];
    before.chars().all(|c| c == ' ' || c == '\t').then_some(before)
}

pub(super) fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line `at` is on, before its `\r\n` or `\n`.
pub(super) fn line_end(text: &str, at: usize) -> usize {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if text[..end].ends_with('\r') { end - 1 } else { end }
}
