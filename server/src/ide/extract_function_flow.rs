//! The data flow of a selection extracted into a function: the names it
//! reads from before it (the parameters, in first-read order) and the
//! names it binds that other code of its function reads (the return
//! values: read later, on a loop's next turn, in another function, or
//! before it: without its binding the name would no longer be the
//! function's variable).
//!
//! Conservative where Python is subtle: a read counts as coming from
//! before the selection unless a statement of the selection itself surely
//! bound the name first, and every value passed in or out must surely be
//! bound where the call is, or the extraction is refused. The new
//! function holds copies of the variables it shares with its caller, so
//! it is refused wherever the copies could be seen to differ: a closure
//! the selection may call reads or rebinds one, a `try` or `with` around
//! it catches an exception after it bound one, a `del` or `except ... as`
//! unbinds one.

use ruff_python_ast::{Expr, Stmt, StmtClassDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::inline_variable::home;
use super::name_events::{Event, EventKind, NameEvents, ScopeKind, blocks};
use super::surely_bound::{Unbound, surely_binds, target_binds};

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
/// the selection starts; `guarded` whether a `try`, or a `with` that may
/// swallow an exception, is around it in its scope.
pub(super) struct Site<'a> {
    pub events: &'a NameEvents,
    pub region: TextRange,
    pub scope: usize,
    pub run: Option<&'a [Stmt]>,
    pub bound_before: &'a dyn Fn(&str) -> bool,
    pub guarded: bool,
    /// The names the selection's function declares `global`.
    pub globals: &'a [String],
    /// Its function's parameters (empty at module level).
    pub header: TextRange,
    /// The statement right after the selected statements in their block.
    pub next: Option<&'a Stmt>,
}

impl Site<'_> {
    fn inside(&self, range: TextRange) -> bool {
        self.region.contains_range(range)
    }

    /// A scope nested in the selection (a lambda or comprehension of it).
    fn internal(&self, scope: usize) -> bool {
        scope != 0 && self.inside(self.events.scopes[scope].range)
    }

    /// Whether `name` is bound, augmented or deleted in the scope, inside
    /// the selection (`here`) or outside it.
    fn binds_here(&self, name: &str, here: bool) -> bool {
        self.events.named(name).any(|e| e.scope == self.scope && !matches!(e.kind, EventKind::Read | EventKind::Declare) && self.inside(e.range) == here)
    }

    /// Whether a loop of the scope around the selection (not the selected
    /// loop itself) holds `range`.
    fn in_loop(&self, range: TextRange) -> bool {
        let scope = self.events.scopes[self.scope].range;
        self.events.loops.iter().any(|l| *l != self.region && l.contains_range(self.region) && l.contains_range(range) && scope.contains_range(*l))
    }

    /// The parameters (names read before the selection binds them, from
    /// its scope or the functions around it) and the return values (names
    /// bound in it and read after it).
    pub(super) fn flow(&self) -> Result<Flow, String> {
        let events = self.events;
        let declarations = events.events.iter().filter(|e| self.inside(e.range) && e.kind == EventKind::Declare && !self.internal(e.scope));
        // A `global` declaration moves with the selection: the new function's
        // name is the same module variable, where its function no longer binds it.
        let mut moved: Vec<&str> = Vec::new();
        for e in declarations {
            if !self.globals.contains(&e.name) {
                return Err(format!("the selection declares `{}` nonlocal: in a function of its own it would mean another variable", e.name));
            }
            if self.binds_here(&e.name, false) {
                return Err(format!(
                    "the selection declares `{}` global, which its function also binds outside the selection: there it would become a local",
                    e.name
                ));
            }
            moved.push(&e.name);
        }
        let moved = |name: &str| moved.contains(&name);
        if let Some(e) = events.declared(self.scope).find(|name| self.binds_here(name, true) && !moved(name)) {
            return Err(format!("the selection binds `{e}`, declared global or nonlocal around it: in a function of its own it would be a local"));
        }
        let rebound_after = |name: &str| {
            events.named(name).any(|b| {
                let here = b.scope == self.scope
                    && matches!(b.kind, EventKind::Bind | EventKind::Augment | EventKind::Delete)
                    && !self.inside(b.range)
                    && (b.range.start() >= self.region.end() || self.in_loop(b.range));
                // A function of the scope that rebinds it with `nonlocal`, whenever it runs.
                let nonlocal = self.scope != 0
                    && b.kind == EventKind::Declare
                    && !self.internal(b.scope)
                    && events.scopes[b.scope].parent.and_then(|p| home(events, name, p)) == Some(self.scope);
                here || nonlocal
            })
        };
        let mut flow = Flow::default();
        let passed = |flow: &mut Flow, name: &str, checked: bool| -> Result<(), String> {
            if flow.params.iter().any(|p| p == name) {
                return Ok(());
            }
            if checked && (!(self.bound_before)(name) || self.deleted_elsewhere(name)) {
                return Err(format!("`{name}` may be unbound where the selection starts (bound only on some paths before it, or deleted)"));
            }
            flow.params.push(name.to_owned());
            Ok(())
        };
        for e in events.events.iter().filter(|e| self.inside(e.range) && matches!(e.kind, EventKind::Read | EventKind::Augment | EventKind::Delete)) {
            let Some(at) = home(events, &e.name, e.scope) else { continue };
            if self.internal(at) {
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
                    if events.within(self.scope, at) && !self.bound_around(&e.name, at) {
                        return Err(format!("`{}`, a variable of the function around, may be unbound when the selection runs", e.name));
                    }
                    passed(&mut flow, &e.name, false)?;
                }
                continue;
            }
            if moved(&e.name) {
                continue;
            }
            if events.declared(self.scope).any(|d| d == e.name) {
                // A global or a variable of a function around: its value where the call is.
                passed(&mut flow, &e.name, false)?;
                continue;
            }
            if !self.binds_here(&e.name, true) {
                // A global read stays a global read in a module-level function.
                if self.scope != 0 {
                    passed(&mut flow, &e.name, true)?;
                }
                continue;
            }
            if e.range.start() >= self.surely_bound_at(&e.name) || self.run.is_some_and(|run| in_loop_over(run, &e.name, e.range)) {
                continue;
            }
            if self.binds_here(&e.name, false) {
                passed(&mut flow, &e.name, true)?;
            } else if self.in_loop(e.range) {
                return Err(format!("`{}` may be read before the selection binds it, from the loop's previous turn", e.name));
            }
        }
        let Some(run) = self.run else {
            self.unshared(&flow, &[])?;
            return Ok(flow);
        };
        // A loop around it: a parameter it binds again is read on the next turn.
        let carried = events.loops.iter().any(|l| *l != self.region && l.contains_range(self.region) && events.scopes[self.scope].range.contains_range(*l));
        let used_after = |name: &str, flow: &Flow| {
            // Only the selection binds it: a read before it would read a global without it.
            let only_here = !self.binds_here(name, false);
            // Another module may import any module-level name.
            self.scope == 0
                || !self.overwritten(name)
                    && ((carried && flow.params.iter().any(|p| p == name))
                        || events.named(name).any(|e| {
                            !self.inside(e.range)
                                && matches!(e.kind, EventKind::Read | EventKind::Augment | EventKind::Delete)
                                && home(events, name, e.scope) == Some(self.scope)
                                && (e.range.start() >= self.region.end() || e.scope != self.scope || self.in_loop(e.range) || only_here)
                        }))
        };
        let unbound = Unbound::of(run);
        let bound: Vec<&Event> = events
            .events
            .iter()
            .filter(|e| self.inside(e.range) && e.scope == self.scope && matches!(e.kind, EventKind::Bind | EventKind::Augment | EventKind::Delete))
            .filter(|e| !moved(&e.name))
            .collect();
        for e in &bound {
            if e.kind == EventKind::Delete && (self.binds_here(&e.name, false) || flow.params.contains(&e.name)) {
                return Err(format!("it deletes `{}`, which would stay bound in the function around it (and its value alive) until that returns", e.name));
            }
            if flow.returns.contains(&e.name) {
                continue;
            }
            if !used_after(&e.name, &flow) {
                if self.dropped(&e.name, &flow) {
                    return Err(format!(
                        "it binds `{0}` again, and nothing outside it reads the value `{0}` held before: left in the function around it, that value would stay alive until the function returns (a `__del__`, a file's flush, a weak reference would come later)",
                        e.name
                    ));
                }
                // `if c: label = "on"` then `label = "done"`: what the
                // selection binds, nothing reads; in a function of its own
                // that dead store is a variable never used.
                if self.overwritten(&e.name) && !events.named(&e.name).any(|r| r.kind == EventKind::Read && self.inside(r.range)) {
                    return Err(format!(
                        "the statement after the selection binds `{0}` again before anything reads it: the value the selection gives `{0}` is never read, and in the new function `{0}` would be a variable nothing uses (F841); remove that binding first",
                        e.name
                    ));
                }
                continue;
            }
            if e.kind == EventKind::Delete {
                return Err(format!("the selection deletes `{}`, which the code after it reads", e.name));
            }
            if unbound.handled.contains(&e.name) {
                return Err(format!("`except ... as {0}` unbinds `{0}` at the end of its handler, and the code after the selection reads it", e.name));
            }
            if !run.iter().any(|s| surely_binds(s, &e.name)) && !flow.params.contains(&e.name) {
                if !self.binds_here(&e.name, false) || !(self.bound_before)(&e.name) {
                    return Err(format!("`{}` is bound only on some paths of the selection and read after it", e.name));
                }
                // Bound before: passed in, so the paths that leave it return it as it was.
                passed(&mut flow, &e.name, true)?;
            }
            flow.returns.push(e.name.clone());
        }
        if self.guarded {
            if let Some(lost) = self.lost_on_raise(run, &flow.returns) {
                return Err(format!(
                    "a `try` or `with` around it may catch an exception raised in it after it bound `{lost}`, and read it: from a function of its own, that binding would be lost"
                ));
            }
        }
        let names: Vec<&str> = bound.iter().filter(|e| e.kind != EventKind::Delete).map(|e| e.name.as_str()).collect();
        self.unshared(&flow, &names)?;
        Ok(flow)
    }

    /// Whether the statement right after the selection surely binds `name`
    /// again and reads it nowhere (`if c: x = 1` then `x = 2`), and no
    /// other code may see the selection's binding (a closure that reads
    /// it, a `try` around that catches what that statement raises): then
    /// nothing reads the value the selection binds, which need not be
    /// returned. Only for a name that holds no value when the selection
    /// starts (not bound before it, nor on a loop's previous turn): left
    /// unreturned, that value would live on until the next statement,
    /// where the selection let it go (a file's flush, a `__del__`).
    fn overwritten(&self, name: &str) -> bool {
        let Some(next) = self.next else { return false };
        let events = self.events;
        let read_there = events.named(name).any(|e| e.kind != EventKind::Bind && next.range().contains_range(e.range));
        let closure = events.named(name).any(|e| e.scope != self.scope && home(events, name, e.scope) == Some(self.scope));
        let held = events.named(name).any(|e| {
            e.scope == self.scope && e.kind != EventKind::Read && !self.inside(e.range) && (e.range.start() < self.region.start() || self.in_loop(e.range))
        });
        self.scope != 0 && !self.guarded && surely_binds(next, name) && !read_there && !closure && !held
    }

    /// A return value that an exception raised in the selection after it
    /// was bound would leave unreturned: all but names bound only by the
    /// last statement, a plain assignment (which binds after evaluating).
    fn lost_on_raise<'r>(&self, run: &[Stmt], returns: &'r [String]) -> Option<&'r String> {
        let last = &run[run.len() - 1];
        let plain = match last {
            Stmt::Assign(s) => s.targets.iter().all(names_only),
            Stmt::AnnAssign(s) => s.value.is_some() && names_only(&s.target),
            Stmt::AugAssign(s) => s.target.is_name_expr(),
            _ => false,
        };
        let bound_earlier = |name: &str| {
            self.events.named(name).any(|e| e.scope == self.scope && e.kind != EventKind::Read && self.inside(e.range) && !last.range().contains_range(e.range))
        };
        returns.iter().find(|name| !plain || !surely_binds(last, name.as_str()) || bound_earlier(name.as_str()))
    }

    /// Refuses a variable the new function would hold a copy of (`flow`'s
    /// parameters and the names `bound` in the selection) that a function
    /// defined outside the selection reads (a bound one) or rebinds
    /// (`nonlocal`, `global`), when the selection runs code that may call
    /// that function: the copy and the variable would differ meanwhile.
    fn unshared(&self, flow: &Flow, bound: &[&str]) -> Result<(), String> {
        let events = self.events;
        // Whether the selection runs other code (which may call a closure
        // that rebinds a variable); a closure that reads a variable it
        // binds may also run after an exception leaves it, which anything
        // may raise.
        let runs_code = events.effects.iter().any(|r| self.inside(*r));
        let own = |name: &str| home(events, name, self.scope);
        // A scope that may run while the selection does: a function or
        // generator defined outside it, before it (or in a loop around it).
        let elsewhere = |e: &Event| {
            let scope = events.scopes[e.scope];
            e.scope != self.scope
                && !self.internal(e.scope)
                && !matches!(scope.kind, ScopeKind::Class)
                && !(scope.kind == ScopeKind::Comprehension && scope.parent == Some(self.scope))
                && (scope.range.start() < self.region.start() || self.in_loop(scope.range))
        };
        let declared_here = |name: &str| events.declared(self.scope).any(|d| d == name);
        for name in flow.params.iter().map(String::as_str).chain(bound.iter().copied()) {
            // The same variable: the one the selection's own scope sees.
            let rebinds = runs_code
                && events.named(name).any(|e| {
                    elsewhere(e)
                        && e.kind == EventKind::Declare
                        && (self.scope == 0 || declared_here(name) || events.scopes[e.scope].parent.and_then(|p| home(events, name, p)) == own(name))
                });
            // Without other code run, only an exception raised after the
            // binding lets the closure see the variable it left unbound.
            let may_leave = runs_code || self.run.is_some_and(|run| self.lost_on_raise(run, &[name.to_owned()]).is_some());
            let reads = bound.contains(&name)
                && may_leave
                && events.named(name).any(|e| elsewhere(e) && e.kind == EventKind::Read && home(events, name, e.scope) == Some(self.scope));
            if rebinds {
                return Err(format!(
                    "`{name}` is shared with a function defined outside the selection (it rebinds it), which code in the selection may call: in a function of its own the selection would work on a copy"
                ));
            }
            if reads {
                return Err(format!(
                    "`{name}` is read by a function defined outside the selection, which may run while the selection does or after an exception leaves it: it would not see the new function's copy"
                ));
            }
        }
        Ok(())
    }

    /// Whether the value `name` held before the selection, which the
    /// selection binds again and does not return, is read by nothing
    /// outside it: bound by an assignment of the scope (not a parameter,
    /// which its caller holds anyway), read only in the selection.
    fn dropped(&self, name: &str, flow: &Flow) -> bool {
        let events = self.events;
        let outside = |e: &&Event| !self.inside(e.range) && home(events, name, e.scope) == Some(self.scope);
        let assigned = events.named(name).any(|e| {
            outside(&e) && e.scope == self.scope && e.kind == EventKind::Bind && e.range.end() <= self.region.start() && !self.header.contains_range(e.range)
        });
        let read = events.named(name).filter(outside).any(|e| matches!(e.kind, EventKind::Read | EventKind::Augment | EventKind::Delete));
        assigned && !read && !flow.params.iter().any(|p| p == name)
    }

    /// Whether a function nested in the scope may delete its `name`
    /// (`nonlocal name; del name`) before the selection runs.
    fn deleted_elsewhere(&self, name: &str) -> bool {
        let events = self.events;
        events.named(name).any(|e| {
            e.kind == EventKind::Delete
                && e.scope != self.scope
                && events.declared(e.scope).any(|d| d == name)
                && events.scopes[e.scope].parent.and_then(|p| home(events, name, p)) == Some(self.scope)
        })
    }

    /// Whether `name`, a variable of the function `at` around the
    /// selection's, is bound there before the selection's function is
    /// defined, and never deleted.
    fn bound_around(&self, name: &str, at: usize) -> bool {
        let start = self.events.scopes[self.scope].range.start();
        let before = self.events.named(name).any(|e| e.scope == at && e.kind == EventKind::Bind && e.range.end() <= start);
        before && !self.events.named(name).any(|e| e.scope == at && e.kind == EventKind::Delete)
    }

    /// Where a statement of the selection has surely bound `name` (the end
    /// of the first that does: its own reads come before); past the end
    /// when none does.
    fn surely_bound_at(&self, name: &str) -> TextSize {
        let run = self.run.unwrap_or_default();
        run.iter().find(|s| surely_binds(s, name)).map_or(TextSize::from(u32::MAX), Ranged::end)
    }
}

/// Whether `range` is in the body of a `for` of `statements` whose target
/// binds `name`: bound on every turn before its body runs.
fn in_loop_over(statements: &[Stmt], name: &str, range: TextRange) -> bool {
    statements.iter().filter(|s| s.range().contains_range(range)).any(|s| match s {
        Stmt::For(f) if target_binds(&f.target, name) && f.body.iter().any(|b| b.range().contains_range(range)) => true,
        _ => blocks(s).into_iter().any(|block| in_loop_over(block, name, range)),
    })
}

/// Whether an assignment target is names only (`a`, `a, *b`), which
/// cannot raise once the value is computed.
fn names_only(target: &Expr) -> bool {
    match target {
        Expr::Name(_) => true,
        Expr::Tuple(t) => t.elts.iter().all(names_only),
        Expr::List(l) => l.elts.iter().all(names_only),
        Expr::Starred(s) => names_only(&s.value),
        _ => false,
    }
}

/// Whether `region`, an expression of the body of `class`, is in a
/// lambda or a comprehension there and reads nothing in the class's own
/// scope (a comprehension's first iterable is read there).
pub(super) fn classless(events: &NameEvents, class: &StmtClassDef, region: TextRange) -> bool {
    let Some(own) = events.scopes.iter().position(|s| s.kind == ScopeKind::Class && s.range == class.range) else { return false };
    let nested = events.scopes.iter().any(|s| s.kind != ScopeKind::Class && s.range.contains_range(region) && class.range.contains_range(s.range));
    nested && !events.events.iter().any(|e| e.scope == own && region.contains_range(e.range))
}

/// The names a function's `body` declares `global` (not those of the
/// functions and classes it defines).
pub(super) fn declared_global(body: &[Stmt]) -> Vec<String> {
    let mut names = Vec::new();
    for statement in body {
        match statement {
            Stmt::Global(g) => names.extend(g.names.iter().map(|n| n.to_string())),
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => blocks(statement).into_iter().for_each(|b| names.extend(declared_global(b))),
        }
    }
    names
}
