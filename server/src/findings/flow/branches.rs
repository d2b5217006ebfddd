//! Branches: an `if` whose condition is a constant takes one clause, a
//! `match` on a constant one case; a clause that returns or raises after a
//! check of a value leaves the value checked for the code after it.

use ruff_python_ast::{MatchCase, Pattern, Stmt, StmtIf};

use super::eval::Scope;
use super::value::Const;
use super::{Named, Walk, fold, guards, merge};
use crate::findings::names::Names;

impl<'a> Walk<'a, '_> {
    /// An `if` and its `elif`/`else` clauses: a clause whose condition is a
    /// constant is taken or skipped; after them a name holds what any
    /// clause that does not return or raise left, or what it held before.
    pub(super) fn branches(&mut self, stmt_if: &'a StmtIf) {
        let clauses = std::iter::once((Some(&*stmt_if.test), &stmt_if.body)).chain(stmt_if.elif_else_clauses.iter().map(|c| (c.test.as_ref(), &c.body)));
        let mut before = self.scope.locals.clone();
        let mut branches = Vec::new();
        let mut exhaustive = false;
        // The conditions the walk cannot decide: where no clause runs, each failed.
        let mut undecided = Vec::new();
        for (index, (test, body)) in clauses.enumerate() {
            if let Some(test) = test {
                // An `elif`'s `:=` binds for its clause, the later ones and
                // the code after (the `if`'s own was bound with the statement).
                if index > 0 && self.shapes.walrus {
                    self.bind_named(Named::of(test));
                    before.clone_from(&self.scope.locals);
                }
                self.sinks(test);
            }
            let truth = test.map_or(Some(true), |t| self.scope.truth(t));
            if truth == Some(false) {
                continue;
            }
            // Where the check holds, what it proves holds too.
            if let Some(test) = test.filter(|_| truth.is_none()) {
                undecided.push(test);
                let verdicts = guards::judge(&self.scope, test, true);
                guards::apply(&mut self.scope.locals, &verdicts);
            }
            self.body(body);
            let after = std::mem::replace(&mut self.scope.locals, before.clone());
            if terminates(self.scope.names, body) {
                // Rejected on a check of its text (`if "../" in name:
                // return`): what goes on has passed the check.
                if let Some(test) = test.filter(|_| truth.is_none()) {
                    for (name, verdict) in fold::checked_names(test) {
                        let Some(value) = before.get_mut(&name) else { continue };
                        match verdict {
                            // A check of a redirect target's text (`if "\\"
                            // in url`, `not url.startswith("/")`) lets some
                            // spelling of another host through: the target is
                            // judged by the checks that together refuse every
                            // one ([`super::redirect_checks`]).
                            guards::Verdict::Safe if self.scope.redirected.contains(&name) => {}
                            guards::Verdict::Safe => value.entry = None,
                            _ => value.entry.iter_mut().for_each(|e| e.vetted = true),
                        }
                    }
                    // The code after it runs where the check failed.
                    // (The walk's names are those before the clause again.)
                    let verdicts = guards::judge(&self.scope, test, false);
                    guards::apply(&mut before, &verdicts);
                }
                self.scope.locals.clone_from(&before);
            } else {
                branches.push(after);
            }
            if truth == Some(true) {
                exhaustive = true;
                break;
            }
        }
        if !exhaustive || branches.is_empty() {
            // `if url not in ALLOWED: url = "/"`: where no clause ran, the
            // URL is one of the list. (The program's own validators are
            // read whatever their polarity, `is_invalid(x)` as `is_valid(x)`:
            // their failing is no evidence.)
            for test in undecided {
                let mut verdicts = guards::judge(&self.scope, test, false);
                verdicts.retain(|(_, verdict)| *verdict != guards::Verdict::Unjudged);
                guards::apply(&mut before, &verdicts);
            }
            branches.push(before);
        }
        self.scope.locals = merge(branches);
    }
}

/// Whether a block ends by leaving the function (`return`, `raise`,
/// Flask's `abort(403)`, `sys.exit()`) or the loop's pass (`continue`).
pub(super) fn terminates(names: &Names, body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_)) => true,
        Some(Stmt::Expr(e)) => e.value.as_call_expr().and_then(|c| names.qualified(&c.func)).is_some_and(|n| {
            matches!(n.as_str(), "flask.abort" | "werkzeug.exceptions.abort" | "fastapi.HTTPException" | "sys.exit" | "exit" | "quit" | "os._exit")
        }),
        _ => false,
    }
}

/// The case a constant subject takes, when every case before it is known
/// not to match it (a literal, an alternative of literals, or `_`).
pub(super) fn chosen_case<'c>(scope: &Scope, cases: &'c [MatchCase], subject: &Const) -> Option<&'c MatchCase> {
    fn matches(scope: &Scope, pattern: &Pattern, subject: &Const) -> Option<bool> {
        match pattern {
            Pattern::MatchValue(v) => scope.eval(&v.value).known.map(|k| k == *subject),
            Pattern::MatchOr(or) => {
                let each: Option<Vec<bool>> = or.patterns.iter().map(|p| matches(scope, p, subject)).collect();
                each.map(|each| each.contains(&true))
            }
            Pattern::MatchAs(m) if m.pattern.is_none() && m.name.is_none() => Some(true),
            _ => None,
        }
    }
    for case in cases {
        if case.guard.is_none() && matches(scope, &case.pattern, subject)? {
            return Some(case);
        }
        case.guard.is_none().then_some(())?;
    }
    None
}
