//! The definitions of one Python file, as context sees them: where each
//! is, its header and first docstring line, and the names its own code
//! (not its nested definitions) refers to.

use std::ops::Range;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, PySourceType, Stmt};
use ruff_text_size::Ranged;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefKind {
    Function,
    Class,
    /// A module-level statement: only ever a target, never a neighbour.
    Statement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Call,
    Base,
    Use,
}

#[derive(Debug, Clone)]
pub struct Def {
    pub name: String,
    /// `Order.total` for a method.
    pub qualname: String,
    pub kind: DefKind,
    /// Whole lines, decorators included.
    pub range: Range<usize>,
    /// 1-based line of the `def`/`class` keyword.
    pub line: usize,
    /// `def total(self) -> Decimal:` (may span lines).
    pub signature: String,
    pub doc: Option<String>,
    pub refs: Vec<(String, RefKind)>,
    /// Index of the enclosing definition in the same outline.
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// Leading dots for relative imports: 1 for `from . import x`.
    pub level: u32,
    /// `shop.models` (empty for `from . import x`).
    pub module: String,
    /// (imported name, local name) for `from m import a as b`; empty for
    /// `import m`.
    pub names: Vec<(String, String)>,
}

#[derive(Debug, Default)]
pub struct Outline {
    pub defs: Vec<Def>,
    pub imports: Vec<Import>,
}

pub fn outline(source: &str) -> Outline {
    let parsed = ruff_python_parser::parse_unchecked_source(source, PySourceType::Python);
    let lines = LineIndex::new(source);
    let mut out = Outline::default();
    for stmt in &parsed.syntax().body {
        collect(source, &lines, stmt, None, "", &mut out, true);
    }
    out
}

fn collect(source: &str, lines: &LineIndex, stmt: &Stmt, parent: Option<usize>, prefix: &str, out: &mut Outline, top: bool) {
    let (name, kind, body, bases, decorators_start) = match stmt {
        Stmt::FunctionDef(f) => {
            let start = f.decorator_list.first().map_or(stmt.start(), Ranged::start);
            (f.name.id.to_string(), DefKind::Function, &f.body[..], Vec::new(), start)
        }
        Stmt::ClassDef(c) => {
            let start = c.decorator_list.first().map_or(stmt.start(), Ranged::start);
            let bases: Vec<&Expr> = c.arguments.iter().flat_map(|a| a.args.iter()).collect();
            (c.name.id.to_string(), DefKind::Class, &c.body[..], bases, start)
        }
        Stmt::Import(i) if top => {
            for alias in &i.names {
                out.imports.push(Import { level: 0, module: alias.name.id.to_string(), names: Vec::new() });
            }
            return;
        }
        Stmt::ImportFrom(i) if top => {
            let names = i.names.iter().map(|a| (a.name.id.to_string(), a.asname.as_ref().unwrap_or(&a.name).id.to_string())).collect();
            let module = i.module.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
            out.imports.push(Import { level: i.level, module, names });
            return;
        }
        other if top => {
            let mut refs = Refs::default();
            refs.visit_stmt(other);
            let range = lines.whole_lines(other.start().to_usize(), other.end().to_usize());
            let line = lines.line_of(other.start().to_usize());
            out.defs.push(Def {
                name: "<module>".to_owned(),
                qualname: "<module>".to_owned(),
                kind: DefKind::Statement,
                signature: source[range.clone()].lines().next().unwrap_or_default().trim().to_owned(),
                range,
                line,
                doc: None,
                refs: refs.names,
                parent: None,
            });
            return;
        }
        _ => return,
    };
    let mut refs = Refs::default();
    for base in &bases {
        refs.base(base);
    }
    // The header (decorators, annotations, defaults) is the definition's own
    // code: an annotated `Item` ties a function to `Item` as much as a call.
    match stmt {
        Stmt::FunctionDef(f) => {
            f.decorator_list.iter().for_each(|d| refs.visit_decorator(d));
            refs.visit_parameters(&f.parameters);
            f.returns.iter().for_each(|r| refs.visit_expr(r));
        }
        Stmt::ClassDef(c) => c.decorator_list.iter().for_each(|d| refs.visit_decorator(d)),
        _ => {}
    }
    for s in body {
        refs.visit_stmt(s);
    }
    let name_offset = match stmt {
        Stmt::FunctionDef(f) => f.name.start(),
        Stmt::ClassDef(c) => c.name.start(),
        _ => stmt.start(),
    };
    let keyword_start = lines.line_start(lines.line_of(name_offset.to_usize()));
    let header_end = body.first().map_or(stmt.end().to_usize(), |s| s.start().to_usize());
    let signature = source[keyword_start..header_end].trim().to_owned();
    let qualname = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
    let index = out.defs.len();
    out.defs.push(Def {
        name,
        qualname: qualname.clone(),
        kind,
        range: lines.whole_lines(decorators_start.to_usize(), stmt.end().to_usize()),
        line: lines.line_of(keyword_start),
        signature,
        doc: docstring_first_line(body),
        refs: refs.names,
        parent,
    });
    for s in body {
        collect(source, lines, s, Some(index), &qualname, out, false);
    }
    // Definitions nested in compound statements (if/try/with) of a body.
    for s in body {
        for_each_nested_body(s, &mut |inner| collect(source, lines, inner, Some(index), &qualname, out, false));
    }
}

fn for_each_nested_body<'a>(stmt: &'a Stmt, f: &mut impl FnMut(&'a Stmt)) {
    let bodies: Vec<&[Stmt]> = match stmt {
        Stmt::If(s) => std::iter::once(&s.body[..]).chain(s.elif_else_clauses.iter().map(|c| &c.body[..])).collect(),
        Stmt::Try(s) => std::iter::once(&s.body[..])
            .chain(s.handlers.iter().map(|h| {
                let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                &h.body[..]
            }))
            .chain([&s.orelse[..], &s.finalbody[..]])
            .collect(),
        Stmt::With(s) => vec![&s.body[..]],
        _ => return,
    };
    for body in bodies {
        for s in body {
            f(s);
            for_each_nested_body(s, f);
        }
    }
}

fn docstring_first_line(body: &[Stmt]) -> Option<String> {
    let Stmt::Expr(expr) = body.first()? else { return None };
    let text = expr.value.as_string_literal_expr()?.value.to_str();
    text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_owned)
}

/// Names referred to by code, not descending into nested definitions
/// (those are definitions of their own).
#[derive(Default)]
struct Refs {
    names: Vec<(String, RefKind)>,
}

impl Refs {
    /// One entry per name, with its strongest kind (a call's callee is
    /// also visited as a plain name).
    fn push(&mut self, name: &str, kind: RefKind) {
        match self.names.iter_mut().find(|(n, _)| n == name) {
            Some(entry) if entry.1 == RefKind::Use => entry.1 = kind,
            Some(_) => {}
            None => self.names.push((name.to_owned(), kind)),
        }
    }

    fn base(&mut self, expr: &Expr) {
        match expr {
            Expr::Name(n) => self.push(&n.id, RefKind::Base),
            Expr::Attribute(a) => self.push(&a.attr.id, RefKind::Base),
            _ => {}
        }
    }
}

impl<'a> Visitor<'a> for Refs {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => match &*call.func {
                Expr::Name(n) => self.push(&n.id, RefKind::Call),
                Expr::Attribute(a) => self.push(&a.attr.id, RefKind::Call),
                _ => {}
            },
            Expr::Name(n) => self.push(&n.id, RefKind::Use),
            Expr::Attribute(a) => self.push(&a.attr.id, RefKind::Use),
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    fn new(source: &str) -> Self {
        let starts = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { starts, len: source.len() }
    }

    /// 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    fn line_start(&self, line: usize) -> usize {
        self.starts[line - 1]
    }

    /// From the start of `start`'s line to the end of `end`'s line.
    fn whole_lines(&self, start: usize, end: usize) -> Range<usize> {
        let end_line = self.line_of(end.saturating_sub(1).max(start));
        let stop = self.starts.get(end_line).copied().unwrap_or(self.len);
        self.line_start(self.line_of(start))..stop
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_with_signatures_docs_and_own_references() {
        let source = r#"from .models import Order as O
import os

class Cart(Base):
    """A cart.

    More.
    """
    def total(self) -> int:
        return sum(price(i) for i in self.items)

@cache
def price(item,
          discount=0):
    def inner():
        return helper()
    return item.cost - discount

X = price(1)
"#;
        let o = outline(source);
        let summary: Vec<String> = o
            .defs
            .iter()
            .map(|d| format!("{} {:?} L{} [{}] {:?} {:?}", d.qualname, d.kind, d.line, d.signature, d.doc, d.refs.iter().map(|r| &r.0).collect::<Vec<_>>()))
            .collect();
        expect_test::expect![[r#"
            [
                "Cart Class L4 [class Cart(Base):] Some(\"A cart.\") [\"Base\"]",
                "Cart.total Function L9 [def total(self) -> int:] None [\"int\", \"sum\", \"items\", \"self\", \"i\", \"price\"]",
                "price Function L13 [def price(item,\n          discount=0):] None [\"cache\", \"cost\", \"item\", \"discount\"]",
                "price.inner Function L15 [def inner():] None [\"helper\"]",
                "<module> Statement L19 [X = price(1)] None [\"price\", \"X\"]",
            ]
        "#]]
        .assert_debug_eq(&summary);
        assert_eq!(&source[o.defs[2].range.clone()][..6], "@cache");
        assert_eq!(o.imports[0], Import { level: 1, module: "models".into(), names: vec![("Order".into(), "O".into())] });
        assert_eq!(o.imports[1].module, "os");
    }
}
