//! Strings that name a function whose signature changes: `getattr`,
//! doctests, code for `eval`, examples in docstrings and `__all__` entries.

use ruff_python_ast::Expr;
use ruff_python_ast::visitor::Visitor;
use rustc_hash::FxHashMap;

use super::mentions::{self, Mention};
use super::occurrences::Target;
use super::signature_rewrite::{Calls, Rewrite};
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Span};

/// Strings that call the function where no rewrite reaches: `getattr`
/// and doctests are refused, unless every call a doctest makes reads the
/// same for the new parameters; examples in docstrings are said, and
/// `__all__` entries (exports, not calls) kept to be skipped.
pub(super) fn mentions_left(graph: &Graph, target: &Target, rewrite: Rewrite) -> Result<Mentioned, String> {
    let mut mentioned = Mentioned::default();
    for (file, entry) in graph.files() {
        for mention in mentions::scan(entry.text(), &target.name, &[]) {
            let at = |span| place(graph, &Location { file, span });
            match mention {
                Mention::AttributeString { written, span, .. } => {
                    return Err(format!("`{written}` at {} may call it without naming it: that call cannot be updated", at(span)));
                }
                Mention::Doctest { span } if !doctest_unchanged(&entry.text()[span.range()], &target.name, rewrite) => {
                    return Err(format!("a doctest at {} calls `{}` with arguments the change would move: doctests are not updated", at(span), target.name));
                }
                Mention::Code { span } => {
                    return Err(format!("the string at {} calls `{}` as code (for `eval` or `exec`): that call cannot be updated", at(span), target.name));
                }
                Mention::Example { span, docstring } => {
                    let what = if docstring { "docstring" } else { "string" };
                    mentioned.untouched.push(format!("the {what} at {} shows a call of `{}`, which is not updated", at(span), target.name))
                }
                Mention::DunderAll { span } => mentioned.exported.entry(file).or_default().push(span),
                Mention::Doctest { .. } | Mention::DottedPath { .. } | Mention::KeywordArgument { .. } => {}
            }
        }
    }
    // The project's documentation run as doctests (`--doctest-glob=*.md`).
    for file in super::doctest_files::collected(graph) {
        if let Some(at) = file.call(&target.name).filter(|_| !code_unchanged(&file.code(), &target.name, rewrite)) {
            return Err(format!("a doctest at {at} calls `{}` with arguments the change would move: doctests are not updated", target.name));
        }
    }
    Ok(mentioned)
}

/// What the workspace's strings say of the function, past the refusals.
#[derive(Default)]
pub(super) struct Mentioned {
    /// Examples in docstrings, left as they are and said.
    pub untouched: Vec<String>,
    /// `__all__` entries naming it, by file: exports, where nothing is called.
    pub exported: FxHashMap<FileId, Vec<Span>>,
}

/// Whether every use of `name` in the doctest lines of `literal` (a
/// string's source) is a call that reads the same for the new parameters.
fn doctest_unchanged(literal: &str, name: &str, rewrite: Rewrite) -> bool {
    let Ok(parsed) = ruff_python_parser::parse_expression(literal) else { return false };
    let Expr::StringLiteral(string) = parsed.expr() else { return false };
    let code: String = mentions::doctest_lines(string.value.to_str()).flat_map(|line| [line, "\n"]).collect();
    code_unchanged(&code, name, rewrite)
}

/// Whether every use of `name` in the doctest `code` is a call that reads
/// the same for the new parameters (a `def` of that name there is the
/// doctest's own function, as `def __init__` of a class it defines).
fn code_unchanged(code: &str, name: &str, rewrite: Rewrite) -> bool {
    let Ok(parsed) = ruff_python_parser::parse_module(code) else { return false };
    let mut calls = Calls::default();
    calls.visit_body(&parsed.syntax().body);
    let defined = mentions::def_name_ends(&parsed.syntax().body);
    mentions::whole_word_ends(code, name)
        .filter(|end| !defined.contains(end))
        .all(|end| calls.by_callee_end.get(&end).is_some_and(|call| matches!(rewrite.call(code, call), Ok(None))))
}
