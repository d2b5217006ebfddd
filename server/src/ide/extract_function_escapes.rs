//! What in a selection would mean something else in a function of its
//! own, whatever its data flow: a `return`, a `yield`, a `break` out of
//! it, a `def` or `class` (whose `__qualname__` names the function it is
//! in), an annotated module variable (`__annotations__` records it), and
//! code that looks at the frame it runs in or the frames above it
//! (`locals()`, `super()` and private `__names` away from their class,
//! `sys._getframe()`, a `stacklevel`, a logger's record of the function it
//! logs from).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Comprehension, Expr, ExprCall, Stmt};

/// What in the selection would change meaning in a function of its own
/// (the first reason), and whether it awaits.
#[derive(Default)]
pub(super) struct Escapes {
    /// Whether `super()` and private `__names` keep their meaning in a
    /// module function: no class is around the selection.
    pub classless: bool,
    /// Whether the selection is module-level code.
    pub module: bool,
    pub awaits: bool,
    pub found: Option<String>,
    loops: usize,
}

impl Escapes {
    pub(super) fn new(classless: bool, module: bool) -> Escapes {
        Escapes { classless, module, ..Escapes::default() }
    }

    fn refuse(&mut self, why: String) {
        self.found.get_or_insert(why);
    }

    /// A loop's body, where `break` and `continue` stay inside, and its
    /// `else`, where they leave the loop around it.
    fn visit_loop<'a>(&mut self, body: &'a [Stmt], orelse: &'a [Stmt]) {
        self.loops += 1;
        self.visit_body(body);
        self.loops -= 1;
        self.visit_body(orelse);
    }
}

impl<'a> Visitor<'a> for Escapes {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                let name =
                    stmt.as_function_def_stmt().map_or_else(|| stmt.as_class_def_stmt().map(|c| c.name.as_str()).unwrap_or_default(), |f| f.name.as_str());
                self.refuse(format!("it defines `{name}`: inside the new function its qualified name would change (`repr`, pickling)"))
            }
            Stmt::AnnAssign(_) if self.module => {
                self.refuse("it has an annotated module variable, which the module's `__annotations__` would no longer record".to_owned())
            }
            Stmt::ImportFrom(s) if s.module.as_deref() == Some("__future__") || s.names.iter().any(|a| &a.name == "*") => {
                self.refuse("it has a `from __future__` or `from m import *`, which only a module may have".to_owned())
            }
            Stmt::Return(_) => self.refuse("it has a `return`: it would return from the new function instead".to_owned()),
            Stmt::Break(_) | Stmt::Continue(_) if self.loops == 0 => {
                self.refuse("it has a `break` or `continue` of a loop around it: a function cannot leave its caller's loop".to_owned())
            }
            Stmt::For(s) => {
                self.awaits |= s.is_async;
                self.visit_expr(&s.target);
                self.visit_expr(&s.iter);
                self.visit_loop(&s.body, &s.orelse);
            }
            Stmt::While(s) => {
                self.visit_expr(&s.test);
                self.visit_loop(&s.body, &s.orelse);
            }
            Stmt::With(s) => {
                self.awaits |= s.is_async;
                visitor::walk_stmt(self, stmt);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => return,
            Expr::Await(_) => self.awaits = true,
            Expr::Yield(_) | Expr::YieldFrom(_) => self.refuse("it has a `yield`: the new function would be the generator instead".to_owned()),
            Expr::Call(call) => {
                if let Some(why) = sees_the_stack(call, self.classless) {
                    self.refuse(why);
                }
            }
            Expr::Name(n) if !self.classless && mangled(&n.id) => {
                self.refuse(format!("`{}` is a private name of its class: outside it, it means another", n.id))
            }
            Expr::Attribute(a) if !self.classless && mangled(&a.attr) => {
                self.refuse(format!("`{}` is a private name of its class: outside it, it means another", a.attr))
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }

    fn visit_comprehension(&mut self, comprehension: &'a Comprehension) {
        self.awaits |= comprehension.is_async;
        visitor::walk_comprehension(self, comprehension);
    }
}

/// Why `call` would see something else one frame deeper: the frame it
/// runs in (`locals()`, `super()` away from its class), the frames above
/// it (`sys._getframe()`, `inspect.stack()`, a `stacklevel=`), or a log
/// record naming the function and line it is called from.
fn sees_the_stack(call: &ExprCall, classless: bool) -> Option<String> {
    let (receiver, name) = match &*call.func {
        Expr::Name(f) => (None, f.id.as_str()),
        Expr::Attribute(a) => (Some(&*a.value), a.attr.as_str()),
        _ => return None,
    };
    let own_frame = reads_own_frame(call).is_some() || (receiver.is_none() && name == "super" && call.arguments.is_empty() && !classless);
    if own_frame {
        return Some(format!("it calls `{name}()`, which sees the function it runs in"));
    }
    if call.arguments.find_keyword("stacklevel").is_some() || (name == "warn" && call.arguments.args.len() >= 3) {
        return Some(format!("it passes `{name}()` a stack level, which counts the frames above it: the new function is one more"));
    }
    let module = receiver.and_then(last_name);
    let frames = matches!(
        (module, name),
        (_, "_getframe" | "_getframemodulename" | "currentframe")
            | (Some("inspect"), "stack" | "getouterframes" | "trace")
            | (Some("traceback"), "extract_stack" | "format_stack" | "print_stack" | "walk_stack")
    );
    if frames {
        return Some(format!("it calls `{name}()`, which looks at the call stack: the new function is one more frame"));
    }
    let logs = matches!(name, "debug" | "info" | "warning" | "warn" | "error" | "exception" | "critical" | "fatal" | "log");
    if logs && module.is_some_and(|m| m.to_ascii_lowercase().contains("log")) {
        return Some(format!(
            "it logs with `{}.{name}()`, whose record names the function and line it is called from (`%(funcName)s`, `%(lineno)d`)",
            module.unwrap_or_default()
        ));
    }
    None
}

/// The builtin `call` calls to see the variables of the function it runs
/// in by name: `locals()`, `vars()`, `eval`, `exec`.
fn reads_own_frame(call: &ExprCall) -> Option<&str> {
    let Expr::Name(f) = &*call.func else { return None };
    let name = f.id.as_str();
    (matches!(name, "locals" | "exec" | "eval") || (name == "vars" && call.arguments.is_empty())).then_some(name)
}

/// The first builtin of [`reads_own_frame`] that a function's `body` calls
/// (in its own frame: not in a `def`, `class` or `lambda` of it).
pub(super) fn reads_variables_by_name(body: &[Stmt]) -> Option<String> {
    #[derive(Default)]
    struct Finder(Option<String>);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) && self.0.is_none() {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => {}
                Expr::Call(call) if reads_own_frame(call).is_some() => self.0 = reads_own_frame(call).map(str::to_owned),
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder::default();
    finder.visit_body(body);
    finder.0
}

/// The last name of a receiver: `log` of `self.log`, `logging`.
fn last_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}

/// A name Python mangles inside a class (`__x`, not `__x__`).
pub(super) fn mangled(name: &str) -> bool {
    name.starts_with("__") && !name.ends_with("__")
}
