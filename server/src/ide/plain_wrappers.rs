//! Decorators of the workspace that only wrap what they decorate: a
//! function whose whole body (a docstring aside) defines a wrapper and
//! returns it, as validators' `@validator` does:
//!
//! ```python
//! def validator(func):
//!     @wraps(func)
//!     def wrapper(*args, **kwargs): ...
//!     return wrapper
//! ```
//!
//! Decorating with it runs nothing but the `def` of the wrapper (its body
//! runs when the decorated function is called), so it registers nothing
//! at import: a symbol move need not keep its new module imported for it.
//! Anything else in the body (a store, a call, a wrapper's default or
//! annotation that calls, a decorator of its own) may register, and counts.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Decorator, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::parsed_files::ParsedFiles;
use super::signature_guard::find_def;
use crate::graph::{FileId, Graph, Resolved, SymbolKind};

/// Whether the decorator expression at `decorator` (in `file`) names a
/// workspace function that only wraps: a plain name or dotted name, not a
/// call (`@route("/")` runs what the call returns).
pub(super) fn only_wraps(parsed: &ParsedFiles, file: FileId, decorator: &Decorator) -> bool {
    let graph = parsed.graph();
    let last = match &decorator.expression {
        Expr::Name(n) => n.range(),
        Expr::Attribute(a) => a.attr.range(),
        _ => return false,
    };
    let Some(Resolved::Symbol(id)) = graph.definition(file, last.start().to_u32()) else { return false };
    let Some(symbol) = graph.symbol(id) else { return false };
    // Decorated itself, the name may hold anything the decorator returned.
    if symbol.kind != SymbolKind::Function || !symbol.decorators.is_empty() {
        return false;
    }
    let Some((def_file, entry)) = symbol.file.and_then(|f| Some((f, graph.file(f)?))) else { return false };
    // Bound again (`validator = register(validator)`), the name may hold another object.
    if entry.summary.bindings.iter().filter(|b| b.scope == 0 && b.name == symbol.name).count() != 1 {
        return false;
    }
    let Some(tree) = parsed.clean(def_file) else { return false };
    find_def(&tree.syntax().body, symbol.name_range.start).is_some_and(|def| returns_its_wrapper(graph, def_file, def))
}

/// `def deco(func): ["""doc"""] def wrapper(...): ... return wrapper`.
fn returns_its_wrapper(graph: &Graph, file: FileId, def: &StmtFunctionDef) -> bool {
    if def.is_async {
        return false;
    }
    let body = match def.body.first() {
        Some(Stmt::Expr(e)) if matches!(&*e.value, Expr::StringLiteral(_)) => &def.body[1..],
        _ => &def.body[..],
    };
    let Some((Stmt::Return(ret), defs)) = body.split_last() else { return false };
    let wrappers: Option<Vec<&StmtFunctionDef>> = defs.iter().map(|s| if let Stmt::FunctionDef(f) = s { Some(f) } else { None }).collect();
    let Some(wrappers) = wrappers else { return false };
    let returned = matches!(ret.value.as_deref(), Some(Expr::Name(n)) if wrappers.iter().any(|w| w.name.as_str() == n.id.as_str()));
    returned && wrappers.iter().all(|w| w.decorator_list.iter().all(|d| is_functools_wraps(graph, file, &d.expression)) && !header_runs_code(w))
}

/// `@wraps(func)` / `@functools.wraps(func)`, resolved to the standard
/// library's, given names only.
fn is_functools_wraps(graph: &Graph, file: FileId, expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    let last = match &*call.func {
        Expr::Name(n) => n.range(),
        Expr::Attribute(a) => a.attr.range(),
        _ => return false,
    };
    let plain_arguments = call.arguments.keywords.is_empty() && call.arguments.args.iter().all(|a| matches!(a, Expr::Name(_)));
    plain_arguments && matches!(graph.definition(file, last.start().to_u32()), Some(Resolved::External(path)) if path == "functools.wraps")
}

/// Whether the wrapper's defaults or annotations (evaluated when the
/// decorator runs) call, await, yield or assign anything.
fn header_runs_code(def: &StmtFunctionDef) -> bool {
    let mut runs = Runs(false);
    runs.visit_parameters(&def.parameters);
    if let Some(returns) = &def.returns {
        runs.visit_expr(returns);
    }
    runs.0
}

struct Runs(bool);

impl<'a> Visitor<'a> for Runs {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.0 |= matches!(expr, Expr::Call(_) | Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Named(_) | Expr::Lambda(_));
        visitor::walk_expr(self, expr);
    }
}
