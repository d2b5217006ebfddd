//! Expressions that list a namespace's names whole: `globals()`, `vars()`,
//! `dir()`, `vars(x)`, `dir(x)`, `inspect.getmembers(x)`, `x.__dict__`.
//! What such a listing finds is every name there, by being there, not by
//! a reference: a move or a rename changes it silently. Symbol moves ask
//! whether a module lists its own names (`namespace_scans`), renames
//! whether any namespace is listed beside a test on the names
//! (`rename_prefix_scans`); both read this one recogniser.

use ruff_python_ast::Expr;

/// Whose names a listing finds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Namespace {
    /// The module's own: `globals()`, `vars()`, `dir()` at any level, or a
    /// listing of `sys.modules[__name__]`.
    Own,
    /// Another object's (a class, an instance, an imported module).
    Other,
}

/// The namespace `expr` lists whole, if it is a listing.
pub(super) fn listed(expr: &Expr) -> Option<Namespace> {
    let of = |target: &Expr| if own_module(target) { Namespace::Own } else { Namespace::Other };
    match expr {
        Expr::Call(call) => {
            let args = &call.arguments;
            let name = match &*call.func {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) if a.attr.as_str() == "getmembers" => "getmembers",
                _ => return None,
            };
            match (name, args.args.first()) {
                ("globals" | "vars" | "dir", None) if args.is_empty() => Some(Namespace::Own),
                ("vars" | "dir" | "getmembers", Some(target)) => Some(of(target)),
                _ => None,
            }
        }
        Expr::Attribute(a) if a.attr.as_str() == "__dict__" => Some(of(&a.value)),
        _ => None,
    }
}

/// `sys.modules[__name__]`: the module object itself.
pub(super) fn own_module(expr: &Expr) -> bool {
    matches!(expr, Expr::Subscript(s)
        if matches!(&*s.slice, Expr::Name(n) if n.id.as_str() == "__name__")
            && matches!(&*s.value, Expr::Attribute(a) if a.attr.as_str() == "modules" && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "sys")))
}
