//! `global NAME` and `nonlocal NAME` declarations, which file summaries do
//! not keep: the declared names are occurrences of the variable they
//! declare, and a function declaring `nonlocal k` binds its enclosing
//! function's `k` (the summary binds it as a local of its own).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{PySourceType, Stmt};
use ruff_text_size::Ranged;

use crate::graph::Span;
use crate::graph::summary::{FileSummary, ScopeId, ScopeKind};

/// One declared name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declaration {
    /// The name in the declaration statement.
    pub span: Span,
    /// The scope the statement is in.
    pub scope: ScopeId,
    pub nonlocal: bool,
}

/// The declarations of `name` in a file's text (a notebook's joined cells
/// when `notebook`).
pub fn of_name(text: &str, summary: &FileSummary, name: &str, notebook: bool) -> Vec<Declaration> {
    let mut declared = all(text, summary, notebook);
    declared.retain(|d| text.get(d.span.range()) == Some(name));
    declared
}

/// Every name a `global` or `nonlocal` statement of the file declares.
pub fn all(text: &str, summary: &FileSummary, notebook: bool) -> Vec<Declaration> {
    // Asked for each semantic-tokens answer: `str::contains` is compiled
    // into this crate (unoptimised in a debug build: ~36 instructions a
    // byte, 8.4M for a 116 KB module, half the tokens of an edited
    // method), memchr's search is an optimised dependency.
    let has = |word: &str| memchr::memmem::find(text.as_bytes(), word.as_bytes()).is_some();
    if !has("global") && !has("nonlocal") {
        return Vec::new();
    }
    struct Found(Vec<(Span, bool)>);
    impl<'a> Visitor<'a> for Found {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let (names, nonlocal) = match stmt {
                Stmt::Global(global) => (&global.names, false),
                Stmt::Nonlocal(nonlocal) => (&nonlocal.names, true),
                _ => return visitor::walk_stmt(self, stmt),
            };
            self.0.extend(names.iter().map(|n| (Span::from(n.range()), nonlocal)));
        }
    }
    let kind = if notebook { PySourceType::Ipynb } else { PySourceType::Python };
    let parsed = crate::syntax::parse_unchecked_source(text, kind);
    let mut found = Found(Vec::new());
    found.visit_body(&parsed.syntax().body);
    found.0.into_iter().map(|(span, nonlocal)| Declaration { span, scope: innermost_scope(summary, span), nonlocal }).collect()
}

/// The function (or module) scope whose `name` a use in `scope` means,
/// following `nonlocal` declarations outwards: the scope itself unless it
/// declares `name` nonlocal.
pub fn owner(summary: &FileSummary, declarations: &[Declaration], scope: ScopeId, name: &str) -> ScopeId {
    let declares = |s: ScopeId| declarations.iter().any(|d| d.nonlocal && d.scope == s);
    let mut at = scope;
    while declares(at) {
        // The nearest enclosing function that binds `name` (classes do not
        // enclose for `nonlocal`).
        let mut up = summary.scopes.get(at as usize).and_then(|s| s.parent);
        let found = loop {
            let Some(candidate) = up else { break None };
            let Some(info) = summary.scopes.get(candidate as usize) else { break None };
            let binds = summary.bindings.iter().any(|b| b.scope == candidate && b.name == name);
            if info.kind == ScopeKind::Function && binds {
                break Some(candidate);
            }
            up = info.parent;
        };
        match found {
            Some(candidate) => at = candidate,
            None => return at,
        }
    }
    at
}

/// Where the variable a `global`/`nonlocal` statement declares at
/// `offset` is bound: the module's first binding of the name, or the
/// enclosing function's (`nonlocal`). Hover and definition answer there.
pub fn declared_binding(graph: &crate::graph::Graph, file: crate::graph::FileId, offset: u32) -> Option<u32> {
    let entry = graph.file(file)?;
    let notebook = crate::notebook::Notebook::is_notebook(&entry.path);
    let declared = all(entry.text(), &entry.summary, notebook);
    let at = declared.iter().find(|d| d.span.touches(offset))?;
    let name = entry.text().get(at.span.range())?;
    let scope = match at.nonlocal {
        false => 0,
        true => {
            let of_name: Vec<Declaration> = declared.iter().filter(|d| entry.text().get(d.span.range()) == Some(name)).copied().collect();
            owner(&entry.summary, &of_name, at.scope, name)
        }
    };
    let binding = entry.summary.bindings.iter().find(|b| b.scope == scope && b.name == name && b.range != at.span)?;
    Some(binding.range.start)
}

fn innermost_scope(summary: &FileSummary, span: Span) -> ScopeId {
    let containing = summary.scopes.iter().enumerate().filter(|(_, s)| s.range.start <= span.start && span.end <= s.range.end);
    containing.min_by_key(|(_, s)| s.range.end - s.range.start).map_or(0, |(i, _)| i as ScopeId)
}
