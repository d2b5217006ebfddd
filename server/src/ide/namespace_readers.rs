//! Other modules that reach a module's namespace in ways no edit follows:
//! a listing of it whole (`vars(plug)`, `plug.__dict__`, `dir(plug)`,
//! `inspect.getmembers(plug, ...)`, `dir(sys.modules["pkg.plug"])`),
//! which finds a definition by its being there, and the module object
//! looked up in `sys.modules` by its name (`sys.modules["pkg.plug"].f`),
//! read as the graph does not. A definition moved out is silently missing
//! from the one and an `AttributeError` in the other, so the move refuses.
//! (A module listing its own names is [`super::namespace_scans`].)

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{CmpOp, Expr, ExprStringLiteral};
use ruff_text_size::Ranged;

use super::module_lookups::{module_get, sys_modules};
use super::namespace_listing::{self, Namespace};
use super::parsed_files::ParsedFiles;
use crate::graph::{FileId, Graph, Location, Span};

/// The first place, in any workspace file, that lists `module` whole, or
/// looks `name` up in its namespace, or looks it up in `sys.modules` by
/// its name in a file that spells `name`:
/// what it is, and where.
pub(super) fn first(graph: &Graph, parsed: &ParsedFiles, module: &str, name: &str) -> Option<(String, Location)> {
    let leaf = module.rsplit('.').next().unwrap_or(module);
    for (file, entry) in graph.files() {
        let text: &str = entry.text();
        if graph.is_library_path(&entry.path) || !(text.contains(leaf) && ["vars", "dir", "__dict__", "getmembers", "modules"].iter().any(|w| text.contains(w)))
        {
            continue;
        }
        let mut scan = Scan { graph, file, module, name, names_it: text.contains(name), found: None };
        scan.visit_body(&parsed.get(file).syntax().body);
        if let Some((span, listing)) = scan.found {
            let written = text.get(span.range()).unwrap_or_default();
            let what = match listing {
                Found::Listing => format!("`{written}`, which lists `{module}` whole and finds `{name}` there,"),
                Found::Keyed => format!("`{written}`, which looks `{name}` up in the namespace of `{module}`,"),
                Found::ByName => format!("`{written}`, the module `{module}` looked up by name in a file that names `{name}`,"),
            };
            return Some((what, Location { file, span }));
        }
    }
    None
}

struct Scan<'g> {
    graph: &'g Graph,
    file: FileId,
    module: &'g str,
    name: &'g str,
    names_it: bool,
    found: Option<(Span, Found)>,
}

/// How a module's namespace is reached.
enum Found {
    /// Listed whole.
    Listing,
    /// Its moved name looked up as a key of its namespace.
    Keyed,
    /// Looked up in `sys.modules` by its name.
    ByName,
}

impl Scan<'_> {
    /// Whether `expr` is the module: `sys.modules["pkg.plug"]`,
    /// `sys.modules.get("pkg.plug")`, or a name (`plug`, `pkg.plug`) the
    /// graph resolves to it.
    fn is_module(&self, expr: &Expr) -> bool {
        let named = |key: Option<&Expr>| matches!(key, Some(Expr::StringLiteral(ExprStringLiteral { value, .. })) if value.to_str() == self.module);
        match expr {
            Expr::Subscript(s) if sys_modules(&s.value) => named(Some(&s.slice)),
            Expr::Call(call) if module_get(expr) => named(call.arguments.args.first()),
            Expr::Name(n) => super::module_stores::is_module(self.graph, self.file, Span::from(n.range), self.module) == Some(true),
            Expr::Attribute(a) => super::module_stores::is_module(self.graph, self.file, Span::from(a.attr.range), self.module) == Some(true),
            _ => false,
        }
    }

    /// `sys.modules[...]` or `sys.modules.get(...)`, whatever the key.
    fn by_name(expr: &Expr) -> bool {
        match expr {
            Expr::Subscript(s) => sys_modules(&s.value),
            _ => module_get(expr),
        }
    }
}

impl<'a> Visitor<'a> for Scan<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        // `vars(plug)["k"]`, `"k" in plug.__dict__`, `vars(plug).get("k")`:
        // one name looked up, not a listing; the moved one's only matters.
        if let Some((listing, key)) = keyed(expr)
            && namespace_listing::listed(listing) == Some(Namespace::Other)
            && listing_target(listing).is_some_and(|t| self.is_module(t))
        {
            if key == self.name {
                self.found = Some((Span::from(expr.range()), Found::Keyed));
            }
            return;
        }
        if namespace_listing::listed(expr) == Some(Namespace::Other) && listing_target(expr).is_some_and(|t| self.is_module(t)) {
            self.found = Some((Span::from(expr.range()), Found::Listing));
            return;
        }
        if self.names_it && Self::by_name(expr) && self.is_module(expr) {
            self.found = Some((Span::from(expr.range()), Found::ByName));
            return;
        }
        visitor::walk_expr(self, expr);
    }
}

/// What a listing lists: `x` of `vars(x)`, `dir(x)`, `getmembers(x)`, `x.__dict__`.
fn listing_target(listing: &Expr) -> Option<&Expr> {
    match listing {
        Expr::Call(call) => call.arguments.args.first(),
        Expr::Attribute(a) => Some(&a.value),
        _ => None,
    }
}

/// A listing looked up by one key written as a string: `listing["k"]`,
/// `listing.get("k")`, `"k" in listing`.
fn keyed(expr: &Expr) -> Option<(&Expr, &str)> {
    match expr {
        Expr::Subscript(s) => Some((&*s.value, literal(&s.slice)?)),
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(a) if a.attr.as_str() == "get" => Some((&*a.value, literal(call.arguments.args.first()?)?)),
            _ => None,
        },
        Expr::Compare(c) if matches!(&*c.ops, [CmpOp::In | CmpOp::NotIn]) => Some((c.comparators.first()?, literal(&c.left)?)),
        _ => None,
    }
}

fn literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}
