//! Where another module looks up a global of a module by a name computed
//! at run time: `getattr(m, "handle_" + kind)`, `getattr(m, name)`,
//! `vars(m)[key]`, `m.__dict__.get(key)`. A function or class of `m` whose
//! name the computed one may be cannot move, be renamed or change its
//! signature: the lookup would no longer find it, or call it the old way.
//! (The module's own `globals()[…]` is [`super::signature_guard`]'s.)

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::module_stores::is_module;
use super::signature_guard::prefix;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Span};

/// Why `name`, a global of the module of `file`, cannot change: a file
/// looks the module's globals up by a computed name that may be `name`.
pub(super) fn computed_on_module(graph: &Graph, file: FileId, name: &str) -> Result<(), String> {
    let Some(module) = graph.file(file).map(|e| e.module.clone()) else { return Ok(()) };
    for (id, entry) in graph.files() {
        let text: &str = &entry.text;
        if id == file || graph.is_library_path(&entry.path) || !["getattr(", "vars(", "__dict__"].iter().any(|m| text.contains(m)) {
            continue;
        }
        let parsed = ruff_python_parser::parse_unchecked_source(text, ast::PySourceType::Python);
        let mut lookups = Lookups::default();
        lookups.visit_body(&parsed.syntax().body);
        for lookup in lookups.found {
            if !name.starts_with(lookup.prefix.as_str()) || is_module(graph, id, lookup.object, &module) != Some(true) {
                continue;
            }
            return Err(format!(
                "{} looks up a global of `{module}` by a name computed at run time, which may be `{name}`: the calls made through it cannot be updated",
                place(graph, &Location { file: id, span: lookup.at })
            ));
        }
    }
    Ok(())
}

struct Lookup {
    /// The whole lookup.
    at: Span,
    /// The name (or a dotted chain's last name) looked up on.
    object: Span,
    /// The computed name's literal start.
    prefix: String,
}

#[derive(Default)]
struct Lookups {
    found: Vec<Lookup>,
}

/// The last name of `m` or `pkg.m`.
fn chain_end(expr: &Expr) -> Option<Span> {
    match expr {
        Expr::Name(n) => Some(Span::from(n.range())),
        Expr::Attribute(a) => chain_end(&a.value).map(|_| Span::from(a.attr.range())),
        _ => None,
    }
}

/// The object of a namespace: `vars(m)`, `m.__dict__`.
fn namespace_of(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Call(call) if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "vars") && call.arguments.keywords.is_empty() => {
            match &*call.arguments.args {
                [of] => Some(of),
                _ => None,
            }
        }
        Expr::Attribute(a) if a.attr.as_str() == "__dict__" => Some(&a.value),
        _ => None,
    }
}

impl<'a> Visitor<'a> for Lookups {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let found = match expr {
            Expr::Call(call) => match &*call.func {
                Expr::Name(n) if matches!(n.id.as_str(), "getattr" | "hasattr") => call.arguments.args.first().zip(call.arguments.args.get(1)),
                Expr::Attribute(a) if matches!(a.attr.as_str(), "get" | "pop" | "__getitem__") => namespace_of(&a.value).zip(call.arguments.args.first()),
                _ => None,
            },
            Expr::Subscript(s) => namespace_of(&s.value).map(|of| (of, &*s.slice)),
            _ => None,
        };
        if let Some((object, key)) = found.filter(|(_, key)| !key.is_string_literal_expr())
            && let Some(object) = chain_end(object)
        {
            self.found.push(Lookup { at: Span::from(expr.range()), object, prefix: prefix(key) });
        }
        visitor::walk_expr(self, expr);
    }
}
