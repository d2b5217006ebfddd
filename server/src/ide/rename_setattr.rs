//! An attribute its class's instances may set by a computed name:
//! `setattr(self, key, value)` over `**kwargs` in a method of the class, a
//! base or a subclass (`Box(size=3)` sets `size`), or `setattr(obj, name,
//! …)` in a workspace class decorator applied to it (a record decorator
//! filling `cls.__annotations__`' names from keywords), or a library
//! filling it by names it computes (an `argparse.Namespace` subclass, or an
//! instance passed as `parse_args(namespace=…)`). The keywords and
//! strings that carry the name are not tied to the attribute, so a rename
//! is refused, naming the `setattr`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::occurrences::Target;
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind, Value};

pub(super) fn check(graph: &Graph, parsed: &ParsedFiles, target: &Target) -> Result<(), String> {
    for (_, class) in target.class_members(graph, &[SymbolKind::Variable]) {
        let mut related = graph.self_and_ancestors(class);
        related.extend(graph.implementations(class));
        filled_by_a_library(graph, parsed, class, &related, &target.name)?;
        // `setattr(self, …)` in the classes' own bodies.
        let bodies: Vec<(FileId, Span)> = related.iter().filter_map(|&c| graph.symbol(c).and_then(|s| Some((s.file?, s.range)))).collect();
        if let Some(at) = first_setattr(graph, parsed, &bodies, true) {
            return Err(refusal(graph, &at, &target.name));
        }
        // Any `setattr` in the workspace functions decorating them.
        let decorators: Vec<(FileId, Span)> = related.iter().flat_map(|&c| decorator_functions(graph, parsed, c)).collect();
        if let Some(at) = first_setattr(graph, parsed, &decorators, false) {
            return Err(refusal(graph, &at, &target.name));
        }
    }
    Ok(())
}

/// Library classes whose instances a library fills by computed names:
/// `parse_args` sets each option's `dest` (`--max-count` → `max_count`).
const FILLED_BY_NAME: &[&str] = &["argparse.Namespace", "types.SimpleNamespace"];

/// `class`'s instances filled by a library by names it computes: the class
/// derives from `argparse.Namespace`, or an instance of `related` is
/// passed as `namespace=` (`parser.parse_args(namespace=Options())`).
fn filled_by_a_library(graph: &Graph, parsed: &ParsedFiles, class: SymbolId, related: &[SymbolId], name: &str) -> Result<(), String> {
    let shown = graph.symbol(class).map(|s| s.name).unwrap_or_default();
    if let Some(base) = graph.library_bases(class).into_iter().find(|b| FILLED_BY_NAME.contains(&b.as_str())) {
        let at = graph.location(class).map(|l| place(graph, &l)).unwrap_or_default();
        return Err(format!(
            "`{shown}` at {at} derives from `{base}`, whose attributes a library sets by names it computes (`--{}` → `{name}`): what spells the name there cannot be renamed with it",
            name.replace('_', "-")
        ));
    }
    for (file, entry) in graph.files().filter(|(_, e)| !graph.is_library_path(&e.path) && e.text().contains("namespace=")) {
        let mut keywords = NamespaceKeywords::default();
        keywords.visit_body(&parsed.get(file).syntax().body);
        for value in keywords.values {
            let Some(text) = entry.text().get(value.range()) else { continue };
            let passed = graph.infer_expression(file, value.start, text).into_iter().any(|v| matches!(v, Value::Instance(c) if related.contains(&c)));
            if passed {
                return Err(format!(
                    "an instance of `{shown}` is passed as `namespace=` at {}, where a library (`argparse`) sets its attributes by names it computes, which may be `{name}`: what spells the name there cannot be renamed with it",
                    place(graph, &Location { file, span: value })
                ));
            }
        }
    }
    Ok(())
}

/// The values of `namespace=` keywords.
#[derive(Default)]
struct NamespaceKeywords {
    values: Vec<Span>,
}

impl<'a> Visitor<'a> for NamespaceKeywords {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            let namespace = call.arguments.keywords.iter().filter(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "namespace"));
            self.values.extend(namespace.map(|k| Span::from(k.value.range())));
        }
        visitor::walk_expr(self, expr);
    }
}

fn refusal(graph: &Graph, at: &Location, name: &str) -> String {
    format!(
        "{} sets attributes of the class by a computed name (from keywords or field names), which may be `{name}`: what passes that name cannot be renamed with it",
        place(graph, at)
    )
}

/// The first `setattr` with a computed name inside one of `ranges`; on
/// `self` or `cls` only with `on_self`.
fn first_setattr(graph: &Graph, parsed: &ParsedFiles, ranges: &[(FileId, Span)], on_self: bool) -> Option<Location> {
    let mut files: Vec<FileId> = ranges.iter().map(|(f, _)| *f).collect();
    files.sort();
    files.dedup();
    for file in files {
        if graph.file(file).is_none_or(|e| graph.is_library_path(&e.path) || !e.text().contains("setattr")) {
            continue;
        }
        let mut calls = Setattrs { on_self, found: Vec::new() };
        calls.visit_body(&parsed.get(file).syntax().body);
        let inside = |span: &Span| ranges.iter().any(|(f, r)| *f == file && r.start <= span.start && span.end <= r.end);
        if let Some(span) = calls.found.into_iter().find(inside) {
            return Some(Location { file, span });
        }
    }
    None
}

/// The workspace functions `class`'s decorators name, each with its range.
pub(super) fn decorator_functions(graph: &Graph, parsed: &ParsedFiles, class: SymbolId) -> Vec<(FileId, Span)> {
    let Some((file, name)) = graph.symbol(class).and_then(|s| Some((s.file?, s.name_range))) else { return Vec::new() };
    let tree = parsed.get(file);
    let mut out = Vec::new();
    let mut defs = ClassDefs { name: name.start, decorators: Vec::new() };
    defs.visit_body(&tree.syntax().body);
    for end in defs.decorators {
        if let Some(Resolved::Symbol(f)) = graph.definition(file, end)
            && let Some(symbol) = graph.symbol(f).filter(|s| s.kind == SymbolKind::Function)
            && let Some(at) = symbol.file
        {
            out.push((at, symbol.range));
        }
    }
    out
}

/// The ends of the decorator names (`@record`, `@record(…)`) of the class
/// whose name starts at `name`.
struct ClassDefs {
    name: u32,
    decorators: Vec<u32>,
}

impl<'a> Visitor<'a> for ClassDefs {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::ClassDef(class) = stmt
            && class.name.start().to_u32() == self.name
        {
            for decorator in &class.decorator_list {
                let callee = match &decorator.expression {
                    Expr::Call(call) => &*call.func,
                    other => other,
                };
                self.decorators.push(callee.end().to_u32());
            }
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// `setattr(x, name, …)` calls whose name is not a string literal.
struct Setattrs {
    on_self: bool,
    found: Vec<Span>,
}

impl<'a> Visitor<'a> for Setattrs {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && super::signature_guard::is_call_of(&call.func, "setattr")
            && let [object, name, ..] = &*call.arguments.args
            && !name.is_string_literal_expr()
            && (!self.on_self || matches!(object, Expr::Name(n) if matches!(n.id.as_str(), "self" | "cls")))
        {
            self.found.push(Span::from(call.range()));
        }
        visitor::walk_expr(self, expr);
    }
}
