//! Modules found by a name built at run time without an import call: a
//! package's `__init__` collecting its submodules' `__all__` through
//! `sys.modules["pkg." + m]`, `getattr(sys.modules[__name__], m)` or
//! `globals()[m]` (funcy does). A move renames the module under such a
//! lookup, which then fails at import time (`KeyError: 'pkg.strings'`).

use ruff_python_ast::{self as ast, Expr};

/// Whether `expr` looks a module (or a module's attribute) up by a name
/// that is no plain string: a subscript or `.get(...)` of a module
/// namespace, or `getattr` on `sys.modules[...]`.
pub(super) fn built_lookup(expr: &Expr) -> bool {
    match expr {
        Expr::Subscript(s) => namespace(&s.value) && !s.slice.is_string_literal_expr(),
        Expr::Call(call) => {
            let first = call.arguments.args.first();
            let key = call.arguments.args.get(1);
            match &*call.func {
                // `sys.modules.get("pkg." + m)`, `globals().get(m)`.
                Expr::Attribute(a) if a.attr.as_str() == "get" => namespace(&a.value) && first.is_some_and(|k| !k.is_string_literal_expr()),
                // `getattr(sys.modules[__name__], m)`: the package's submodule
                // by a built attribute name.
                Expr::Name(n) if n.id.as_str() == "getattr" => {
                    first.is_some_and(|o| matches!(o, Expr::Subscript(s) if sys_modules(&s.value)) || module_get(o))
                        && key.is_some_and(|k| !k.is_string_literal_expr())
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// `sys.modules`, `globals()`, `vars(...)`, `x.__dict__`: mappings whose
/// keys are module names or a module's bindings.
fn namespace(expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "globals" | "vars")),
        Expr::Attribute(a) => a.attr.as_str() == "__dict__" || sys_modules(expr),
        _ => false,
    }
}

/// `sys.modules`.
pub(super) fn sys_modules(expr: &Expr) -> bool {
    matches!(expr, Expr::Attribute(a) if a.attr.as_str() == "modules" && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "sys"))
}

/// `sys.modules.get(...)`.
pub(super) fn module_get(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(ast::ExprCall { func, .. }) if matches!(&**func, Expr::Attribute(a) if a.attr.as_str() == "get" && sys_modules(&a.value)))
}
