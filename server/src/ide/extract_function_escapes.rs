//! What in a selection would mean something else in a function of its
//! own, whatever its data flow: a `return`, a `yield`, a `break` out of
//! it, a `def`, `class` or `lambda` (whose `__qualname__` names the
//! function it is in), an annotated module variable (`__annotations__` records it), and
//! code that looks at the frame it runs in or the frames above it
//! (`locals()`, `super()` and private `__names` away from their class,
//! `sys._getframe()`, a `stacklevel`, a logger's record of the function it
//! logs from).

use std::collections::HashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{AnyNodeRef, Comprehension, Expr, ExprCall, Stmt};

use crate::graph::mangled;

/// What in the selection would change meaning in a function of its own
/// (the first reason), and whether it awaits.
#[derive(Default)]
pub(super) struct Escapes {
    /// Whether `super()` and private `__names` keep their meaning in a
    /// module function: no class is around the selection.
    pub classless: bool,
    /// Whether the selection is module-level code.
    pub module: bool,
    /// What the module's aliases bind, to see `cf()` as `inspect.currentframe()`.
    pub aliases: Aliases,
    pub awaits: bool,
    pub found: Option<String>,
    loops: usize,
    /// How many `except` handlers of the selection the visit is in.
    handlers: usize,
}

impl Escapes {
    pub(super) fn new(classless: bool, module: bool, aliases: Aliases) -> Escapes {
        Escapes { classless, module, aliases, ..Escapes::default() }
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
            Stmt::Try(s) => {
                self.visit_body(&s.body);
                self.handlers += 1;
                s.handlers.iter().for_each(|h| visitor::walk_except_handler(self, h));
                self.handlers -= 1;
                self.visit_body(&s.orelse);
                self.visit_body(&s.finalbody);
            }
            Stmt::Raise(r) if r.exc.is_none() && self.handlers == 0 => self.refuse(
                "it has a bare `raise`, which re-raises the exception of the `except` around it: moved out of the handler, it reads as a `raise` with nothing to raise (PLE0704)".to_owned(),
            ),
            Stmt::With(s) => {
                self.awaits |= s.is_async;
                visitor::walk_stmt(self, stmt);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            // Its body runs in a frame of its own, but the `lambda` itself
            // gets the enclosing function's name in its `__qualname__`, as a `def` does.
            Expr::Lambda(_) => {
                self.refuse("it defines a `lambda`: inside the new function its qualified name would change (`repr`, pickling)".to_owned());
                return;
            }
            Expr::Await(_) => self.awaits = true,
            Expr::Yield(_) | Expr::YieldFrom(_) => self.refuse("it has a `yield`: the new function would be the generator instead".to_owned()),
            Expr::Call(call) => {
                if let Some(why) = sees_the_stack(call, &self.aliases, self.classless) {
                    self.refuse(why);
                }
            }
            Expr::Name(n) if !self.classless && n.id.as_str() == "__class__" => {
                self.refuse("it reads `__class__`, which only a function defined in the class has".to_owned())
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
pub(super) fn sees_the_stack(call: &ExprCall, aliases: &Aliases, classless: bool) -> Option<String> {
    aliases.readings(&call.func).into_iter().find_map(|called| stack_seen_by(call, &called, aliases, classless))
}

/// [`sees_the_stack`] for one reading of the callee, `called`.
fn stack_seen_by(call: &ExprCall, called: &str, aliases: &Aliases, classless: bool) -> Option<String> {
    let (module, name) = split(called);
    let own_frame = reads_own_frame(call, aliases).is_some() || (module.is_none() && name == "super" && call.arguments.is_empty() && !classless);
    if own_frame {
        return Some(format!("it calls `{name}()`, which sees the function it runs in"));
    }
    if call.arguments.find_keyword("stacklevel").is_some() || (name == "warn" && call.arguments.args.len() >= 3) {
        return Some(format!("it passes `{name}()` a stack level, which counts the frames above it: the new function is one more"));
    }
    if frame_call(module, name) {
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

/// What in the module looks at the frames above it, which a helper the
/// selection calls may do: `sys._getframe()`, `inspect.stack()`, a
/// `stacklevel=`, a frame's `f_back`, `f_locals`, `f_globals`.
pub(super) fn looks_at_frames(body: &[Stmt], aliases: &Aliases) -> Option<String> {
    struct Finder<'i> {
        aliases: &'i Aliases,
        found: Option<String>,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found.is_some() {
                return;
            }
            match expr {
                Expr::Attribute(a) if matches!(a.attr.as_str(), "f_back" | "f_locals" | "f_globals" | "tb_frame") => self.found = Some(a.attr.to_string()),
                Expr::Call(call) if call.arguments.find_keyword("stacklevel").is_some() => self.found = Some("stacklevel=".to_owned()),
                Expr::Call(call) => {
                    let frames = self.aliases.readings(&call.func).into_iter().find(|called| {
                        let (module, name) = split(called);
                        frame_call(module, name)
                    });
                    self.found = frames.map(|f| format!("{f}()"));
                }
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder { aliases, found: None };
    finder.visit_body(body);
    finder.found
}

/// A dotted callee's last receiver name and its own name: `(Some("inspect"),
/// "stack")` of `ins.stack` read as `inspect.stack`.
fn split(called: &str) -> (Option<&str>, &str) {
    match called.rsplit_once('.') {
        Some((receiver, name)) => (Some(receiver.rsplit('.').next().unwrap_or(receiver)), name),
        None => (None, called),
    }
}

/// Whether `module.name(...)` looks at the call stack.
fn frame_call(module: Option<&str>, name: &str) -> bool {
    matches!(
        (module, name),
        (_, "_getframe" | "_getframemodulename" | "currentframe")
            | (Some("inspect"), "stack" | "getouterframes" | "trace")
            | (Some("traceback"), "extract_stack" | "format_stack" | "print_stack" | "walk_stack")
    )
}

/// The builtin `call` calls to see the variables of the function it runs
/// in by name: `locals()`, `vars()`, `dir()`, `eval`, `exec` (also as
/// `builtins.locals()` or imported under another name).
fn reads_own_frame(call: &ExprCall, aliases: &Aliases) -> Option<String> {
    let bare = call.arguments.is_empty();
    aliases.readings(&call.func).into_iter().find_map(|called| {
        let name = called.strip_prefix("builtins.").unwrap_or(&called);
        (matches!(name, "locals" | "exec" | "eval") || (matches!(name, "vars" | "dir") && bare)).then(|| name.to_owned())
    })
}

/// The first builtin of [`reads_own_frame`] that the innermost function of
/// `chain` (nodes from the module down, as [`super::extract_variable::chain_to`]
/// gives them) calls in its own frame: a variable it gains or loses is
/// seen there by name. `module` is the file's statements, for the aliases.
pub(super) fn function_reads_variables_by_name(module: &[Stmt], chain: &[AnyNodeRef]) -> Option<String> {
    let def = chain.iter().rev().find_map(|n| match n {
        AnyNodeRef::StmtFunctionDef(def) => Some(def),
        _ => None,
    })?;
    reads_variables_by_name(&def.body, &Aliases::of(module))
}

/// The first builtin of [`reads_own_frame`] that a function's `body` calls
/// (in its own frame: not in a `def`, `class` or `lambda` of it).
pub(super) fn reads_variables_by_name(body: &[Stmt], aliases: &Aliases) -> Option<String> {
    struct Finder<'i> {
        aliases: &'i Aliases,
        found: Option<String>,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) && self.found.is_none() {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) => {}
                Expr::Call(call) if self.found.is_none() && reads_own_frame(call, self.aliases).is_some() => self.found = reads_own_frame(call, self.aliases),
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder { aliases, found: None };
    finder.visit_body(body);
    finder.found
}

/// The names a module binds (anywhere in it) to a dotted name, each to the
/// name it stands for: imports (`ins` to `inspect`, `cf` to
/// `inspect.currentframe`) and assignments (`emit = log.info`).
#[derive(Default)]
pub(super) struct Aliases(HashMap<String, String>);

impl Aliases {
    pub(super) fn of(body: &[Stmt]) -> Aliases {
        let mut aliases = Aliases::default();
        aliases.visit_body(body);
        aliases
    }

    /// The dotted name `expr` stands for (`ins.stack` is `inspect.stack`),
    /// when it is a name or a chain of attributes on one.
    fn qualified(&self, expr: &Expr) -> Option<String> {
        match expr {
            Expr::Name(n) => Some(self.0.get(n.id.as_str()).cloned().unwrap_or_else(|| n.id.to_string())),
            Expr::Attribute(a) => Some(format!("{}.{}", self.qualified(&a.value)?, a.attr)),
            _ => None,
        }
    }

    /// `expr` as written and as its aliases spell it: where a name is bound
    /// to several things (the aliases are not per scope), both are judged.
    fn readings(&self, expr: &Expr) -> Vec<String> {
        let mut readings: Vec<String> = [Aliases::default().qualified(expr), self.qualified(expr)].into_iter().flatten().collect();
        readings.dedup();
        readings
    }
}

impl<'a> Visitor<'a> for Aliases {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(s) => {
                for alias in &s.names {
                    let (bound, stands_for) = match &alias.asname {
                        Some(name) => (name.as_str(), alias.name.as_str()),
                        None => (alias.name.split('.').next().unwrap_or_default(), alias.name.split('.').next().unwrap_or_default()),
                    };
                    self.0.insert(bound.to_owned(), stands_for.to_owned());
                }
            }
            Stmt::ImportFrom(s) => {
                let module = s.module.as_deref().unwrap_or_default();
                for alias in &s.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.0.insert(bound.to_string(), format!("{module}.{}", alias.name));
                }
            }
            Stmt::Assign(s) if s.targets.len() == 1 && s.value.is_attribute_expr() => {
                if let (Expr::Name(bound), Some(stands_for)) = (&s.targets[0], self.qualified(&s.value)) {
                    self.0.insert(bound.id.to_string(), stands_for);
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, _: &'a Expr) {}
}
