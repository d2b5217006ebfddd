//! Lookups by name that may land on a function where no call of it names
//! it, which neither a change of signature nor a parameter's rename can
//! follow: `getattr(ops, name)` or `vars(ops)["sub"]` on the function's
//! module from another file, `getattr(self, "visit_" + kind)` in a base
//! class (or a subclass) of a method's class, and, for a parameter's
//! rename, a call of a method of that name on a receiver of unknown type
//! or through `getattr(x, "name")` that passes the parameter by keyword or
//! passes `**kwargs`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::signature_guard::{is_call_of, prefix};
use super::signature_rewrite::{CallSite, Calls};
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

/// Why `function` cannot change: a lookup by name reaches its module from
/// any file of the workspace (`getattr(ops, n)`, `vars(ops)["sub"]`,
/// `ops.__dict__[n]`), or, for a method, a `getattr` by a computed name in
/// its class, a workspace base or a subclass of it may be its name.
pub fn lookup_reaching(graph: &Graph, function: SymbolId) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function) else { return Ok(()) };
    let name = symbol.name;
    let module = symbol.file.and_then(|f| graph.module_symbol(f));
    let classes = match symbol.kind {
        SymbolKind::Method => graph.container(function).map(|c| related_classes(graph, c)).unwrap_or_default(),
        _ => Vec::new(),
    };
    let is_method = symbol.kind == SymbolKind::Method;
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !(entry.text.contains("getattr") || entry.text.contains("vars") || entry.text.contains("__dict__")) {
            continue;
        }
        let Ok(parsed) = ruff_python_parser::parse_module(&entry.text) else { continue };
        let mut found = Found::default();
        found.visit_body(&parsed.syntax().body);
        let within = |span: &Span| classes.iter().any(|&(f, c)| f == file && c.start <= span.start && span.end <= c.end);
        for lookup in found.lookups {
            let lands = match &lookup.key {
                Key::Literal(key) => key == name,
                Key::Computed(prefix) => name.starts_with(prefix.as_str()),
            };
            let on_module = !is_method
                && module.is_some()
                && lookup.owner_end.and_then(|end| graph.definition(file, end.saturating_sub(1))) == module.map(Resolved::Symbol);
            let on_class = is_method && lookup.getattr && matches!(lookup.key, Key::Computed(_)) && within(&lookup.span);
            if lands && (on_module || on_class) {
                return Err(format!(
                    "{} looks up `{name}` by a name{}, where the calls made through it cannot be updated",
                    place(graph, &Location { file, span: lookup.span }),
                    if matches!(lookup.key, Key::Computed(_)) { " computed at run time" } else { " in a string" }
                ));
            }
        }
    }
    Ok(())
}

/// Why the parameter `parameter` of `function` cannot take a new name: a
/// call that may reach it passes `parameter` by keyword or passes
/// `**kwargs` where the rename cannot follow: `getattr(x, "name")(…)`
/// anywhere (or such a lookup not called on the spot), and, for a method,
/// `.name(…)` on a receiver of unknown type.
pub fn keyword_unfollowed(graph: &Graph, function: SymbolId, parameter: &str) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function) else { return Ok(()) };
    let name = symbol.name;
    let unknown = match symbol.kind {
        SymbolKind::Method => super::rename_guard::unknown_receivers(graph, name),
        _ => Vec::new(),
    };
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !entry.text.contains(name) {
            continue;
        }
        let Ok(parsed) = ruff_python_parser::parse_module(&entry.text) else { continue };
        let at = |span: Span| place(graph, &Location { file, span });
        let mut calls = Calls::default();
        calls.visit_body(&parsed.syntax().body);
        for site in unknown.iter().filter(|l| l.file == file) {
            if let Some(call) = calls.by_callee_end.get(&(site.span.end as usize))
                && (call.unpacks || call.passes_keyword(parameter))
            {
                return Err(format!(
                    "`.{name}` is called at {} on a value whose type is unknown, which may be this method, and passes `{parameter}` by keyword or `**kwargs`: that call cannot be updated",
                    at(site.span)
                ));
            }
        }
        let mut found = Found::default();
        found.visit_body(&parsed.syntax().body);
        for lookup in found.lookups.iter().filter(|l| matches!(&l.key, Key::Literal(k) if k == name)) {
            let call = found.called.iter().find(|(callee, _)| *callee == lookup.span).map(|(_, call)| call);
            if call.is_none_or(|c| c.unpacks || c.passes_keyword(parameter)) {
                let what = if call.is_some() { format!("calls it with `{parameter}` by keyword or `**kwargs`") } else { "passes it on".to_owned() };
                return Err(format!("{} looks up `{name}` by a string and {what}: the rename cannot follow it", at(lookup.span)));
            }
        }
    }
    Ok(())
}

/// `class` (its file and range), its workspace bases and its subclasses,
/// each with the file and range of its body.
fn related_classes(graph: &Graph, class: SymbolId) -> Vec<(FileId, Span)> {
    let mut seen = vec![class];
    let mut i = 0;
    while let Some(&id) = seen.get(i) {
        i += 1;
        for next in graph.bases(id).into_iter().chain(graph.implementations(id)) {
            if !seen.contains(&next) {
                seen.push(next);
            }
        }
    }
    seen.into_iter().filter_map(|id| graph.symbol(id).filter(|s| s.kind == SymbolKind::Class).and_then(|s| Some((s.file?, s.range)))).collect()
}

/// The name a lookup asks for.
enum Key {
    Literal(String),
    /// With the literal start of the name (`"visit_" + kind`), or "".
    Computed(String),
}

/// `getattr(owner, key)`, `vars(owner)[key]`, `vars(owner).get(key)`,
/// `owner.__dict__[key]`.
struct Lookup {
    span: Span,
    /// The end of `owner`.
    owner_end: Option<u32>,
    getattr: bool,
    key: Key,
}

#[derive(Default)]
struct Found {
    lookups: Vec<Lookup>,
    /// The calls whose callee is a lookup, by the lookup's span.
    called: Vec<(Span, CallSite)>,
}

impl<'a> Visitor<'a> for Found {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let span = Span::new(expr.start().to_u32(), expr.end().to_u32());
        let found = match expr {
            Expr::Call(call) if is_call_of(&call.func, "getattr") => {
                call.arguments.args.get(1).map(|key| (call.arguments.args.first().map(|o| o.end().to_u32()), true, key))
            }
            Expr::Subscript(s) => namespace_of(&s.value).map(|owner| (owner, false, s.slice.as_ref())),
            Expr::Call(call) => match call.func.as_ref() {
                Expr::Attribute(a) if a.attr.as_str() == "get" => namespace_of(&a.value).and_then(|owner| Some((owner, false, call.arguments.args.first()?))),
                _ => None,
            },
            _ => None,
        };
        if let Some((owner_end, getattr, key)) = found {
            let key = match key {
                Expr::StringLiteral(s) => Key::Literal(s.value.to_str().to_owned()),
                other => Key::Computed(prefix(other)),
            };
            self.lookups.push(Lookup { span, owner_end, getattr, key });
        }
        if let Expr::Call(call) = expr {
            self.note_called(call);
        }
        visitor::walk_expr(self, expr);
    }
}

impl Found {
    fn note_called(&mut self, call: &ExprCall) {
        let callee = Span::new(call.func.start().to_u32(), call.func.end().to_u32());
        self.called.push((callee, CallSite::of(call)));
    }
}

/// `vars(owner)` or `owner.__dict__`: the end of `owner`.
fn namespace_of(expr: &Expr) -> Option<Option<u32>> {
    match expr {
        Expr::Call(c) if is_call_of(&c.func, "vars") => Some(c.arguments.args.first().map(|o| o.end().to_u32())),
        Expr::Attribute(a) if a.attr.as_str() == "__dict__" => Some(Some(a.value.end().to_u32())),
        _ => None,
    }
}

#[cfg(test)]
#[path = "signature_lookups_tests.rs"]
mod tests;
