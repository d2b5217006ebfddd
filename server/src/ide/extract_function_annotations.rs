//! The caller's side of an extracted function's return values: the line
//! assigning the call's result, with the annotations the selection gave
//! those names (`x: int = f()` becomes `x: int = _extracted()`).
//!
//! A local's annotation is never evaluated (PEP 526), so dropping it would
//! change nothing at run time; but it declares the variable's type for
//! type checkers, which would otherwise infer it from the new function's
//! return (or, unannotated, take it as `Any`) and stop checking the
//! caller's later assignments against it. With several values the
//! annotations go on lines of their own before the tuple assignment,
//! which cannot annotate its targets.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// The caller's lines in place of the selected statements `run` (each
/// starting with `indent`): `call`, its result assigned to `returns`.
pub(super) fn call_lines(text: &str, run: &[Stmt], returns: &[String], call: &str, indent: &str, newline: &str) -> String {
    let mut annotations = Annotations(Vec::new());
    annotations.visit_body(run);
    let annotation = |name: &String| annotations.0.iter().find(|(n, _)| n == name).map(|(_, range)| &text[range.to_std_range()]);
    match returns {
        [] => format!("{indent}{call}"),
        [one] => match annotation(one) {
            Some(declared) => format!("{indent}{one}: {declared} = {call}"),
            None => format!("{indent}{one} = {call}"),
        },
        several => {
            let declarations: String = several.iter().filter_map(|n| Some(format!("{indent}{n}: {}{newline}", annotation(n)?))).collect();
            format!("{declarations}{indent}{} = {call}", several.join(", "))
        }
    }
}

/// The first annotation of each name annotated in the visited statements'
/// own scope (not in a `def` or `class` of theirs).
struct Annotations<'a>(Vec<(&'a str, TextRange)>);

impl<'a> Visitor<'a> for Annotations<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::AnnAssign(a) => {
                if let Expr::Name(n) = &*a.target
                    && !self.0.iter().any(|(name, _)| *name == n.id.as_str())
                {
                    self.0.push((n.id.as_str(), a.annotation.range()));
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }
}
