//! The spellings of a module's own file path beyond the global `__file__`:
//! `inspect.getfile(f)` of a function or class it defines,
//! `f.__code__.co_filename`, `sys.modules[__name__].__file__`,
//! `__spec__.origin`, `__loader__.path`. Code that builds a path from one
//! finds files by the module's place, which a move changes (tester 25
//! case 03): the module move and the symbol move refuse it.

use ruff_python_ast::visitor::source_order::{self, SourceOrderVisitor};
use ruff_python_ast::{Expr, Stmt};

/// What counts as the moved code's own: the functions and classes named
/// `names`, and with `selves`, `cls`, `type(self)`, `self.__class__` (the
/// code is a moved class's).
pub(super) struct OwnCode<'n> {
    pub names: &'n [String],
    pub selves: bool,
}

/// The names of every `def` and `class` in `body`, nested ones too: each
/// one's code was compiled from this file.
pub(super) fn defined(body: &[Stmt]) -> Vec<String> {
    #[derive(Default)]
    struct Defs(Vec<String>);
    impl<'a> SourceOrderVisitor<'a> for Defs {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(def) => self.0.push(def.name.to_string()),
                Stmt::ClassDef(class) => self.0.push(class.name.to_string()),
                _ => {}
            }
            source_order::walk_stmt(self, stmt);
        }
    }
    let mut defs = Defs::default();
    defs.visit_body(body);
    defs.0
}

/// `f` of `f(…)`, `a.b.f(…)`.
pub(super) fn last_name(func: &Expr) -> Option<&str> {
    match func {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

fn is_name(expr: &Expr, wanted: &str) -> bool {
    matches!(expr, Expr::Name(name) if name.id.as_str() == wanted)
}

/// The module itself as an object: `sys.modules[__name__]`,
/// `sys.modules.get(__name__)`, `inspect.getmodule(<own code>)`.
fn own_module(expr: &Expr, own: &OwnCode) -> bool {
    match expr {
        Expr::Subscript(subscript) => last_name(&subscript.value) == Some("modules") && is_name(&subscript.slice, "__name__"),
        Expr::Call(call) => {
            let first = call.arguments.args.first();
            match &*call.func {
                Expr::Attribute(method) if method.attr.as_str() == "get" && last_name(&method.value) == Some("modules") => {
                    first.is_some_and(|a| is_name(a, "__name__"))
                }
                func => last_name(func) == Some("getmodule") && first.is_some_and(|a| own_code(a, own)),
            }
        }
        _ => false,
    }
}

/// A function, class or method whose code is the module's own.
fn own_code(expr: &Expr, own: &OwnCode) -> bool {
    match expr {
        Expr::Name(name) => own.names.iter().any(|n| n == name.id.as_str()) || (own.selves && name.id.as_str() == "cls"),
        // `type(self)`
        Expr::Call(call) => own.selves && is_name(&call.func, "type") && call.arguments.args.first().is_some_and(|a| is_name(a, "self")),
        // `self.__class__`; `Cls.method`
        Expr::Attribute(attribute) => {
            (own.selves && attribute.attr.as_str() == "__class__" && is_name(&attribute.value, "self")) || own_code(&attribute.value, own)
        }
        _ => own_module(expr, own),
    }
}

/// Whether `expr` is the module's own file path: `__file__`, or one of the
/// spellings above.
pub(super) fn own_file(expr: &Expr, own: &OwnCode) -> bool {
    match expr {
        Expr::Name(name) => name.id.as_str() == "__file__",
        Expr::Attribute(attribute) => {
            let value = &*attribute.value;
            match attribute.attr.as_str() {
                "__file__" => own_module(value, own),
                // `f.__code__.co_filename`, `m.__func__.__code__.co_filename`
                "co_filename" => matches!(value, Expr::Attribute(code) if code.attr.as_str() == "__code__" && own_code(&code.value, own)),
                // `__spec__.origin`, `sys.modules[__name__].__spec__.origin`
                "origin" => {
                    is_name(value, "__spec__") || matches!(value, Expr::Attribute(spec) if spec.attr.as_str() == "__spec__" && own_module(&spec.value, own))
                }
                "path" => is_name(value, "__loader__"),
                _ => false,
            }
        }
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(method) if method.attr.as_str() == "get_filename" => is_name(&method.value, "__loader__"),
            func => {
                matches!(last_name(func), Some("getfile" | "getsourcefile" | "getabsfile")) && call.arguments.args.first().is_some_and(|a| own_code(a, own))
            }
        },
        _ => false,
    }
}

/// The first own file path (not the global `__file__`) in `body`, for the
/// moved code's own `names`.
pub(super) fn first_in<'a>(body: &'a [Stmt], own: &OwnCode) -> Option<&'a Expr> {
    struct Finder<'a, 'o, 'n> {
        own: &'o OwnCode<'n>,
        found: Option<&'a Expr>,
    }
    impl<'a> SourceOrderVisitor<'a> for Finder<'a, '_, '_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found.is_none() && !is_name(expr, "__file__") && own_file(expr, self.own) {
                self.found = Some(expr);
            }
            source_order::walk_expr(self, expr);
        }
    }
    let mut finder = Finder { own, found: None };
    finder.visit_body(body);
    finder.found
}
