//! Code that runs when the moved definition's new module is imported and
//! may register it somewhere (a decorator, a base's `__init_subclass__`, a
//! metaclass): the move is refused unless the old module, importing the
//! name back, still brings the new module in whenever it is imported.

use super::parsed_files::ParsedFiles;
use super::symbol_move::SymbolMoveError;
use crate::graph::explain::place;
use crate::graph::summary::BindingKind;
use crate::graph::{FileId, Graph, Location, SymbolId};

/// Decorators that only wrap or describe what they decorate; any other
/// may register it somewhere (`@app.route`, `@register`) when its module
/// is imported.
const INERT_DECORATORS: [&str; 23] = [
    "staticmethod",
    "classmethod",
    "property",
    "cached_property",
    "functools.cached_property",
    "cache",
    "functools.cache",
    "lru_cache",
    "functools.lru_cache",
    "functools.wraps",
    "dataclass",
    "dataclasses.dataclass",
    "overload",
    "typing.overload",
    "contextmanager",
    "contextlib.contextmanager",
    "asynccontextmanager",
    "contextlib.asynccontextmanager",
    "final",
    "typing.final",
    "typing_extensions.final",
    "abstractmethod",
    "abc.abstractmethod",
];

/// A decorator that may register the definition, or a base's
/// `__init_subclass__` or a metaclass that may register a class, runs when
/// the new module is imported: refused unless the old module, which
/// imports it back, still brings the new one in whenever it is imported.
pub(super) fn registers_at_import(
    parsed: &ParsedFiles,
    file: FileId,
    symbol: SymbolId,
    header: &str,
    name: &str,
    new: &str,
    old_keeps: bool,
) -> Result<(), SymbolMoveError> {
    let graph = parsed.graph();
    let Some(decorators) = graph.symbol(symbol).map(|s| s.decorators) else { return Ok(()) };
    let runs = decorators.iter().find(|d| !INERT_DECORATORS.contains(&d.as_str())).filter(|_| !only_wrapped(parsed, file, symbol)).map(|d| format!("`@{d}`"));
    // What the old module binds itself (not by import): state the class body may change.
    let own_global =
        |n: &str| graph.file(file).is_some_and(|e| e.summary.bindings.iter().any(|b| b.scope == 0 && b.name == n && !matches!(b.kind, BindingKind::Import(_))));
    let Some(runs) = runs.or_else(|| class_creation_hook(graph, symbol, header)).or_else(|| class_body_effect(header, &own_global)) else { return Ok(()) };
    if old_keeps {
        return Ok(());
    }
    let at = graph.location(symbol).map(|l| place(graph, &l)).unwrap_or_else(|| place(graph, &Location { file, span: Default::default() }));
    Err(SymbolMoveError::Registers { name: name.to_owned(), runs, module: new.to_owned(), place: at })
}

/// Whether every decorator of the function `symbol` (a `def` of `file`)
/// that is not inert is a workspace one that only wraps it
/// ([`super::plain_wrappers`]).
fn only_wrapped(parsed: &ParsedFiles, file: FileId, symbol: SymbolId) -> bool {
    let graph = parsed.graph();
    let (Some(entry), Some(symbol), Some(tree)) = (graph.file(file), graph.symbol(symbol), parsed.clean(file)) else { return false };
    let Some(def) = super::signature_guard::find_def(&tree.syntax().body, symbol.name_range.start) else { return false };
    def.decorator_list.iter().all(|d| {
        let written = entry.text().get(std::ops::Range::<usize>::from(ruff_text_size::Ranged::range(&d.expression))).unwrap_or_default();
        INERT_DECORATORS.contains(&written.split('(').next().unwrap_or_default().trim()) || super::plain_wrappers::only_wraps(parsed, file, d)
    })
}

/// Workspace code that runs when a class is created: its own metaclass
/// (`class A(metaclass=M)`, in its `header`), a workspace base's (direct
/// or not) `__init_subclass__` or metaclass.
fn class_creation_hook(graph: &Graph, class: SymbolId, header: &str) -> Option<String> {
    // From the `class` line to its colon (decorators and comments above it
    // may hold colons of their own).
    let header_of = |text: &str| {
        let start = text.lines().find(|l| l.trim_start().starts_with("class ")).map_or(text.len(), |l| l.as_ptr() as usize - text.as_ptr() as usize);
        text[start..].split(':').next().unwrap_or_default().contains("metaclass")
    };
    if header_of(header) {
        return Some("its metaclass".to_owned());
    }
    let mut seen = Vec::new();
    let mut bases = graph.bases(class);
    while let Some(base) = bases.pop() {
        if seen.contains(&base) {
            continue;
        }
        seen.push(base);
        let (Some(location), Some(symbol)) = (graph.location(base), graph.symbol(base)) else { continue };
        let Some(entry) = graph.file(location.file) else { continue };
        if graph.symbols_by_name(location.file).contains_key(format!("{}.__init_subclass__", symbol.qualified_name).as_str()) {
            return Some(format!("`{}.__init_subclass__`", symbol.name));
        }
        // The base's whole definition (its location is only its name).
        let text = entry.text().get(symbol.range.range()).unwrap_or_default();
        if header_of(text) {
            return Some(format!("the metaclass of `{}`", symbol.name));
        }
        bases.extend(graph.bases(base));
    }
    None
}

/// A statement of a class body (in the moved `block`) that acts outside the
/// class when the class is created: a call standing as a statement
/// (`REGISTRY.append("plugin")`), a store into a subscript or an attribute
/// (`HANDLERS["x"] = ...`), a decorator of a method that may register it
/// (`@register`), or a call given state of the old module's own
/// (`id = next(_ids)`: moved, it runs at another time of the import, so
/// the order of such effects changes). A block that does not parse counts.
fn class_body_effect(block: &str, own_global: &dyn Fn(&str) -> bool) -> Option<String> {
    use ruff_python_ast::{Expr, Stmt};
    let Ok(parsed) = ruff_python_parser::parse_module(block) else { return Some("its class body".to_owned()) };
    let class = parsed.syntax().body.iter().find_map(|stmt| if let Stmt::ClassDef(class) = stmt { Some(class) } else { None })?;
    let outside = |target: &Expr| matches!(target, Expr::Subscript(_) | Expr::Attribute(_));
    let registering = |decorators: &[ruff_python_ast::Decorator]| {
        decorators.iter().any(|d| {
            let written = block.get(std::ops::Range::<usize>::from(ruff_text_size::Ranged::range(&d.expression))).unwrap_or_default();
            !INERT_DECORATORS.contains(&written.split('(').next().unwrap_or_default().trim())
        })
    };
    class.body.iter().find_map(|stmt| {
        let acts = match stmt {
            Stmt::Expr(e) => matches!(&*e.value, Expr::Call(_) | Expr::Await(_)),
            Stmt::Assign(a) => a.targets.iter().any(outside) || calls_with_state(&a.value, own_global),
            Stmt::AnnAssign(a) => a.value.as_deref().is_some_and(|v| calls_with_state(v, own_global)),
            Stmt::AugAssign(a) => outside(&a.target),
            Stmt::FunctionDef(f) => registering(&f.decorator_list),
            Stmt::ClassDef(c) => registering(&c.decorator_list),
            _ => false,
        };
        acts.then(|| {
            format!(
                "its class body (`{}`)",
                block.get(std::ops::Range::<usize>::from(ruff_text_size::Ranged::range(stmt))).unwrap_or_default().lines().next().unwrap_or_default().trim()
            )
        })
    })
}

/// Whether `value` calls something with, or calls, a name for which
/// `own_global` holds (not inside a lambda, which runs later).
fn calls_with_state(value: &ruff_python_ast::Expr, own_global: &dyn Fn(&str) -> bool) -> bool {
    use ruff_python_ast::Expr;
    use ruff_python_ast::visitor::{self, Visitor};
    struct Calls<'g> {
        own_global: &'g dyn Fn(&str) -> bool,
        depth: usize,
        found: bool,
    }
    impl<'a> Visitor<'a> for Calls<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => {}
                Expr::Call(_) => {
                    self.depth += 1;
                    visitor::walk_expr(self, expr);
                    self.depth -= 1;
                }
                Expr::Name(n) => self.found |= self.depth > 0 && (self.own_global)(&n.id),
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut calls = Calls { own_global, depth: 0, found: false };
    calls.visit_expr(value);
    calls.found
}
