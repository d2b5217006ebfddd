//! The data flow of a selection extracted into a function: the names it
//! reads from before it (the parameters, in first-read order), the names
//! it binds that code after it reads (the return values), and what in it
//! would mean something else in a function of its own (a `return`, a
//! `yield`, a `break` out of it, `locals()`, …).
//!
//! Conservative where Python is subtle: a read counts as coming from
//! before the selection unless a statement of the selection itself surely
//! bound the name first, and every value passed in or out must surely be
//! bound where the call is, or the extraction is refused.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Comprehension, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::inline_variable::home;
use super::name_events::{EventKind, NameEvents, ScopeKind};

/// The parameters and return values of the new function.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Flow {
    pub params: Vec<String>,
    pub returns: Vec<String>,
}

/// Where the selection sits: `region` (the selected statements or the
/// expression) in the scope `scope` (of `events`; 0 at module level);
/// `run` the selected statements (`None` for an expression);
/// `bound_before` tells whether a name of the scope is surely bound where
/// the selection starts.
pub(super) struct Site<'a> {
    pub events: &'a NameEvents,
    pub region: TextRange,
    pub scope: usize,
    pub run: Option<&'a [Stmt]>,
    pub bound_before: &'a dyn Fn(&str) -> bool,
}

impl Site<'_> {
    /// The parameters (names read before the selection binds them, from
    /// its scope or the functions around it) and the return values (names
    /// bound in it and read after it).
    pub(super) fn flow(&self) -> Result<Flow, String> {
        let events = self.events;
        let inside = |r: TextRange| self.region.contains_range(r);
        let internal = |s: usize| s != 0 && inside(events.scopes[s].range);
        if let Some(e) = events.events.iter().find(|e| inside(e.range) && e.kind == EventKind::Declare && !internal(e.scope)) {
            return Err(format!("the selection declares `{}` global or nonlocal: in a function of its own it would mean another variable", e.name));
        }
        let binds_here = |name: &str, here: bool| {
            events.named(name).any(|e| e.scope == self.scope && e.kind != EventKind::Read && e.kind != EventKind::Declare && inside(e.range) == here)
        };
        if let Some(e) = events.declared(self.scope).find(|name| binds_here(name, true)) {
            return Err(format!("the selection binds `{e}`, declared global or nonlocal around it: in a function of its own it would be a local"));
        }
        let in_loop = |r: TextRange| {
            // A loop around the selection (not the selected loop itself).
            events
                .loops
                .iter()
                .any(|l| *l != self.region && l.contains_range(self.region) && l.contains_range(r) && events.scopes[self.scope].range.contains_range(*l))
        };
        let rebound_after = |name: &str| {
            events.named(name).any(|b| {
                b.scope == self.scope
                    && matches!(b.kind, EventKind::Bind | EventKind::Augment | EventKind::Delete)
                    && !inside(b.range)
                    && (b.range.start() >= self.region.end() || in_loop(b.range))
            })
        };
        let mut flow = Flow::default();
        let passed = |flow: &mut Flow, name: &str, checked: bool| -> Result<(), String> {
            if flow.params.iter().any(|p| p == name) {
                return Ok(());
            }
            if checked && !(self.bound_before)(name) {
                return Err(format!("`{name}` may be unbound where the selection starts (bound only on some paths before it)"));
            }
            flow.params.push(name.to_owned());
            Ok(())
        };
        for e in events.events.iter().filter(|e| inside(e.range) && matches!(e.kind, EventKind::Read | EventKind::Augment | EventKind::Delete)) {
            let Some(at) = home(events, &e.name, e.scope) else { continue };
            if internal(at) {
                continue;
            }
            if at == self.scope && e.scope != self.scope && events.scopes[e.scope].kind != ScopeKind::Comprehension && rebound_after(&e.name) {
                return Err(format!(
                    "a function defined in the selection reads `{}`, which is bound again after it: moved, it would keep the old value",
                    e.name
                ));
            }
            if at != self.scope {
                // A local of a function around the scope (a closure's
                // variable), or of the lambda or comprehension around an
                // expression: bound whenever the selection runs.
                if at != 0 && events.scopes[at].parent.is_some() {
                    passed(&mut flow, &e.name, false)?;
                }
                continue;
            }
            if events.declared(self.scope).any(|d| d == e.name) {
                // A global or a variable of a function around: its value where the call is.
                passed(&mut flow, &e.name, false)?;
                continue;
            }
            if !binds_here(&e.name, true) {
                // A global read stays a global read in a module-level function.
                if self.scope != 0 {
                    passed(&mut flow, &e.name, true)?;
                }
                continue;
            }
            if e.range.start() >= self.surely_bound_at(&e.name) {
                continue;
            }
            if binds_here(&e.name, false) {
                passed(&mut flow, &e.name, true)?;
            } else if in_loop(e.range) {
                return Err(format!("`{}` may be read before the selection binds it, from the loop's previous turn", e.name));
            }
        }
        let Some(run) = self.run else { return Ok(flow) };
        if let Some(defined) = run.iter().find(|s| self.scope == 0 && matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_))) {
            return Err(format!(
                "it defines `{}` at module level: inside a function its qualified name would change (pickling, `repr`)",
                defined.as_function_def_stmt().map_or_else(|| defined.as_class_def_stmt().map(|c| c.name.as_str()).unwrap_or_default(), |f| f.name.as_str())
            ));
        }
        let used_after = |name: &str| {
            // Another module may import any module-level name.
            self.scope == 0
                || events.named(name).any(|e| {
                    !inside(e.range)
                        && matches!(e.kind, EventKind::Read | EventKind::Augment | EventKind::Delete)
                        && home(events, name, e.scope) == Some(self.scope)
                        && (e.range.start() >= self.region.end() || e.scope != self.scope || in_loop(e.range))
                })
        };
        let bound = events
            .events
            .iter()
            .filter(|e| inside(e.range) && e.scope == self.scope && matches!(e.kind, EventKind::Bind | EventKind::Augment | EventKind::Delete));
        for e in bound {
            if flow.returns.contains(&e.name) || !used_after(&e.name) {
                continue;
            }
            if e.kind == EventKind::Delete {
                return Err(format!("the selection deletes `{}`, which the code after it reads", e.name));
            }
            if !run.iter().any(|s| surely_binds(s, &e.name)) && !flow.params.contains(&e.name) {
                if !binds_here(&e.name, false) || !(self.bound_before)(&e.name) {
                    return Err(format!("`{}` is bound only on some paths of the selection and read after it", e.name));
                }
                // Bound before: passed in, so the paths that leave it return it as it was.
                passed(&mut flow, &e.name, true)?;
            }
            flow.returns.push(e.name.clone());
        }
        Ok(flow)
    }

    /// Where a statement of the selection has surely bound `name` (the end
    /// of the first that does: its own reads come before); past the end
    /// when none does.
    fn surely_bound_at(&self, name: &str) -> ruff_text_size::TextSize {
        let run = self.run.unwrap_or_default();
        run.iter().find(|s| surely_binds(s, name)).map_or(ruff_text_size::TextSize::from(u32::MAX), Ranged::end)
    }
}

/// Whether `statement` binds `name` on every path that completes normally
/// (a path that raises, returns or leaves a loop does not reach what
/// follows): an assignment, an import, a `def`, an `if` whose every branch
/// does, a `try` whose body and every handler do (or whose `finally` does),
/// a `with` whose `as` does.
pub(super) fn surely_binds(statement: &Stmt, name: &str) -> bool {
    let block = |body: &[Stmt]| body.iter().any(|s| surely_binds(s, name) || ends(s));
    match statement {
        Stmt::Assign(s) => s.targets.iter().any(|t| target_binds(t, name)),
        Stmt::AnnAssign(s) => s.value.is_some() && target_binds(&s.target, name),
        Stmt::AugAssign(s) => target_binds(&s.target, name),
        Stmt::Import(s) => s.names.iter().any(|a| a.asname.as_ref().map_or_else(|| a.name.split('.').next() == Some(name), |n| n.as_str() == name)),
        Stmt::ImportFrom(s) => s.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name),
        Stmt::FunctionDef(s) => s.name.as_str() == name,
        Stmt::ClassDef(s) => s.name.as_str() == name,
        Stmt::If(s) => block(&s.body) && s.elif_else_clauses.last().is_some_and(|c| c.test.is_none()) && s.elif_else_clauses.iter().all(|c| block(&c.body)),
        Stmt::Try(s) => {
            let handlers = s.handlers.iter().filter_map(|h| h.as_except_handler()).all(|h| block(&h.body));
            ((block(&s.body) || block(&s.orelse)) && handlers) || block(&s.finalbody)
        }
        Stmt::With(s) => s.items.iter().any(|i| i.optional_vars.as_deref().is_some_and(|v| target_binds(v, name))) || block(&s.body),
        _ => false,
    }
}

/// A statement after which nothing of its block runs.
fn ends(statement: &Stmt) -> bool {
    matches!(statement, Stmt::Return(_) | Stmt::Raise(_) | Stmt::Break(_) | Stmt::Continue(_))
}

/// Whether the assignment target `target` binds `name` (`a`, `a, *b`).
pub(super) fn target_binds(target: &Expr, name: &str) -> bool {
    match target {
        Expr::Name(n) => n.id.as_str() == name,
        Expr::Tuple(t) => t.elts.iter().any(|e| target_binds(e, name)),
        Expr::List(l) => l.elts.iter().any(|e| target_binds(e, name)),
        Expr::Starred(s) => target_binds(&s.value, name),
        _ => false,
    }
}

/// What in the selection would change meaning in a function of its own
/// (the first reason), and whether it awaits.
#[derive(Default)]
pub(super) struct Escapes {
    /// Whether `super()` and private `__names` keep their meaning: the new
    /// function is a method of the same class, or no class is around.
    pub same_class: bool,
    pub awaits: bool,
    pub found: Option<String>,
    loops: usize,
}

impl Escapes {
    pub(super) fn new(same_class: bool) -> Escapes {
        Escapes { same_class, ..Escapes::default() }
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
            // Their own scopes: what they return or yield stays theirs.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
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
                if let Expr::Name(f) = &*call.func {
                    let bare = call.arguments.is_empty();
                    let frame = matches!(f.id.as_str(), "locals" | "exec" | "eval") || (f.id.as_str() == "vars" && bare);
                    if frame || (f.id.as_str() == "super" && bare && !self.same_class) {
                        self.refuse(format!("it calls `{}()`, which sees the function it runs in", f.id));
                    }
                }
            }
            Expr::Name(n) if !self.same_class && mangled(&n.id) => {
                self.refuse(format!("`{}` is a private name of its class: outside it, it means another", n.id))
            }
            Expr::Attribute(a) if !self.same_class && mangled(&a.attr) => {
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

/// A name Python mangles inside a class (`__x`, not `__x__`).
fn mangled(name: &str) -> bool {
    name.starts_with("__") && !name.ends_with("__")
}
