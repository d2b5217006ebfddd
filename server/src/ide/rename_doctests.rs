//! The names of a doctest (`>>> double(2)` in a docstring), which
//! `doctest` runs with its module's globals: where the module binds the
//! renamed name itself, each of the doctest's reads of the name is that
//! binding and is renamed with it. What a doctest expects it to print is
//! not code: a repr spelling the name there (`Point(x=0, y=0)`) refuses.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::Ranged;

use crate::graph::Span;

/// The spans in `text` of the names `name` the doctest lines of the string
/// literal at `literal` read; `Err` with the span of the first doctest line
/// spelling `name` where the doctest does not parse, binds or imports the
/// name itself (then what it names is not the module's binding alone).
pub(super) fn reads(text: &str, literal: Span, name: &str) -> Result<Vec<Span>, Span> {
    let source = text.get(literal.range()).unwrap_or_default();
    // The doctest code, line by line, with each line's offset in `text`.
    let mut code = String::new();
    let mut starts: Vec<(usize, u32)> = Vec::new();
    let mut first = None;
    let mut offset = literal.start;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(">>> ").or_else(|| trimmed.strip_prefix("... ")) {
            let at = offset + (line.len() - rest.len()) as u32;
            if first.is_none() && super::mentions::whole_word_ends(rest, name).next().is_some() {
                first = Some(Span::new(at, at + rest.trim_end().len() as u32));
            }
            starts.push((code.len(), at));
            code.push_str(rest.trim_end_matches(['\n', '\r']));
            code.push('\n');
        }
        offset += line.len() as u32;
    }
    // The doctest line the mention saw is not one of these (`""">>> f()`).
    let Some(first) = first else { return Err(literal) };
    let parsed = ruff_python_parser::parse_unchecked_source(&code, ast::PySourceType::Python);
    if !parsed.errors().is_empty() {
        return Err(first);
    }
    let mut names = Names { name, reads: Vec::new(), binds: false };
    names.visit_body(&parsed.syntax().body);
    if names.binds {
        return Err(first);
    }
    let to_text = |at: usize| {
        let (line_start, text_start) = starts.iter().rev().find(|(start, _)| *start <= at).copied().unwrap_or((0, literal.start));
        text_start + (at - line_start) as u32
    };
    Ok(names.reads.into_iter().map(|(start, end)| Span::new(to_text(start), to_text(start) + (end - start) as u32)).collect())
}

/// The first doctest line (`>>> `/`... `) of `text` that calls a function
/// named by its last name one of `callees` (`scale(…)`, `Sq(…)`,
/// `lib.scale(…)`) with the keyword `keyword`: a parameter renamed would
/// leave that keyword behind (doctests are not rewritten with the calls).
/// Matched by name, which may be another function's: refused all the same.
pub(super) fn keyword_call(text: &str, callees: &[&str], keyword: &str) -> Option<Span> {
    first_use(text, &Use::Keyword { callees, keyword })
}

/// The first doctest line of `text` reading the attribute `name`
/// (`>>> Sq(2).area()`): a member renamed would leave it behind, as the
/// doctest's objects are not tied to the class.
pub(super) fn attribute_read(text: &str, name: &str) -> Option<Span> {
    first_use(text, &Use::Attribute(name))
}

/// The first doctest line of `text` reading one of `names` as a bare
/// name, which doctest looks up in its module's globals.
pub(super) fn name_read(text: &str, names: &[&str]) -> Option<Span> {
    first_use(text, &Use::Names(names))
}

enum Use<'n> {
    Keyword { callees: &'n [&'n str], keyword: &'n str },
    Attribute(&'n str),
    Names(&'n [&'n str]),
}

/// The doctest line of `text` where `wanted` first occurs.
fn first_use(text: &str, wanted: &Use) -> Option<Span> {
    let spelled = |name: &str| text.contains(name);
    let any = match wanted {
        Use::Keyword { keyword, .. } => spelled(keyword),
        Use::Attribute(name) => spelled(name),
        Use::Names(names) => names.iter().any(|n| spelled(n)),
    };
    if !text.contains(">>>") || !any {
        return None;
    }
    // Each doctest line's code, with its offset in `text`: parsed one
    // example at a time (a `>>> ` line and the `... ` lines after it).
    let mut offset = 0u32;
    let mut example: Option<(String, Vec<(usize, u32)>)> = None;
    let found = |(code, starts): &(String, Vec<(usize, u32)>)| -> Option<Span> {
        let parsed = ruff_python_parser::parse_unchecked_source(code, ast::PySourceType::Python);
        let mut finder = Finder { wanted, at: None };
        finder.visit_body(&parsed.syntax().body);
        let at = finder.at?;
        let (line_start, text_start) = starts.iter().rev().find(|(start, _)| *start <= at).copied()?;
        let line = code[line_start..].lines().next().unwrap_or_default();
        Some(Span::new(text_start, text_start + line.len() as u32))
    };
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let (rest, starts) = match (trimmed.strip_prefix(">>> "), trimmed.strip_prefix("... ")) {
            (Some(rest), _) => (Some(rest), true),
            (None, Some(rest)) => (Some(rest), false),
            _ => (None, false),
        };
        if starts || rest.is_none() {
            if let Some(done) = example.take().as_ref().and_then(found) {
                return Some(done);
            }
        }
        if let Some(rest) = rest {
            let (code, lines) = example.get_or_insert_with(Default::default);
            lines.push((code.len(), offset + (line.len() - rest.len()) as u32));
            code.push_str(rest.trim_end_matches(['\n', '\r']));
            code.push('\n');
        }
        offset += line.len() as u32;
    }
    example.as_ref().and_then(found)
}

struct Finder<'w> {
    wanted: &'w Use<'w>,
    at: Option<usize>,
}

impl<'a> Visitor<'a> for Finder<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let hit = match (self.wanted, expr) {
            (Use::Attribute(name), Expr::Attribute(attribute)) => attribute.attr.as_str() == *name,
            (Use::Names(names), Expr::Name(n)) => n.ctx == ExprContext::Load && names.contains(&n.id.as_str()),
            (Use::Keyword { callees, keyword }, Expr::Call(call)) => {
                let callee = match &*call.func {
                    Expr::Name(n) => Some(n.id.as_str()),
                    Expr::Attribute(a) => Some(a.attr.as_str()),
                    _ => None,
                };
                callee.is_some_and(|c| callees.contains(&c)) && call.arguments.keywords.iter().any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == *keyword))
            }
            _ => false,
        };
        if hit && self.at.is_none() {
            self.at = Some(expr.range().start().to_usize());
        }
        visitor::walk_expr(self, expr);
    }
}

/// The first line of `text` that a doctest expects as output (the lines
/// after a `>>> ` example, up to a blank line or the next example) and that
/// spells `name` as a word: a repr (`Point(x=0, y=0)`, `<Color.RED: 1>`)
/// that would print the new name after the rename.
pub(super) fn output_spelling(text: &str, name: &str) -> Option<Span> {
    if !text.contains(">>>") {
        return None;
    }
    let mut expecting = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with(">>>") {
            expecting = true;
        } else if trimmed.is_empty() {
            expecting = false;
        } else if expecting && !trimmed.starts_with("...") && super::mentions::whole_word_ends(trimmed, name).next().is_some() {
            let start = offset + (line.len() - line.trim_start().len()) as u32;
            return Some(Span::new(start, start + trimmed.len() as u32));
        }
        // The docstring closes on this line.
        if trimmed.ends_with("\"\"\"") || trimmed.ends_with("'''") {
            expecting = false;
        }
        offset += line.len() as u32;
    }
    None
}

/// The reads of `name` (offsets in the doctest code), and whether the
/// doctest binds or imports it.
struct Names<'n> {
    name: &'n str,
    reads: Vec<(usize, usize)>,
    binds: bool,
}

impl<'a> Visitor<'a> for Names<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let defines = match stmt {
            Stmt::FunctionDef(def) => def.name.as_str() == self.name,
            Stmt::ClassDef(class) => class.name.as_str() == self.name,
            Stmt::Import(import) => import.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str().split('.').next() == Some(self.name)),
            Stmt::ImportFrom(import) => import.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == self.name),
            Stmt::Global(_) | Stmt::Nonlocal(_) => true,
            _ => false,
        };
        self.binds |= defines;
        visitor::walk_stmt(self, stmt);
    }

    fn visit_parameter(&mut self, parameter: &'a ast::Parameter) {
        self.binds |= parameter.name.as_str() == self.name;
        visitor::walk_parameter(self, parameter);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr
            && n.id.as_str() == self.name
        {
            match n.ctx {
                ExprContext::Load => self.reads.push((n.range().start().to_usize(), n.range().end().to_usize())),
                _ => self.binds = true,
            }
        }
        visitor::walk_expr(self, expr);
    }
}
