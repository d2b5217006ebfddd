//! Loops: the body is walked again from what its names may hold at the
//! start of any pass (what they held before the loop, or what a pass
//! left) until that no longer changes, so a value that becomes the
//! client's on a later pass is seen where an earlier pass uses it
//! (`for x in items: os.system(cmd); cmd = x`).
//!
//! A pass is not walked again when the names it changed are ones every
//! pass overwrites before reading them ([`overwritten_first`]): the next
//! pass would walk as this one did and settle. Most loops settle on their
//! second pass, and most of those second passes were such repeats. What a
//! repeat would have told the walk's `passes` is told again from what the
//! names held at each call ([`Walk::passes`]: callers join what they are
//! given over every pass).

use ruff_python_ast::{Expr, ExprCall, Stmt};

use super::locals::Locals;
use super::overwritten::overwritten_first;
use super::value::Value;
use super::{Named, Walk, merge};

/// Passes over a loop's body at most; most loops settle on the second.
const PASSES: usize = 3;

/// Loops nested deeper than this are walked once each pass of the loops
/// around them (each level multiplies the passes).
const DEPTH: usize = 2;

/// What starts each pass of a loop.
pub(super) enum Head<'a> {
    /// `for target in ...`: the target takes an element.
    For(&'a Expr, Box<Value>),
    /// `while test:`: the test runs (and binds its `:=`).
    While(&'a Expr),
}

/// The calls inside loops whose `passes` took something, each with the
/// names as they were there (shared, not copied), to be told again for a
/// pass that is not walked.
pub(super) type Passed<'a> = Vec<(Locals, &'a ExprCall)>;

impl<'a> Walk<'a, '_> {
    /// A loop and its `else`: after it a name holds what it held before or
    /// what any pass left.
    pub(super) fn looped(&mut self, head: &Head<'a>, body: &'a [Stmt], orelse: &'a [Stmt]) {
        let before = self.scope.locals.clone();
        let passes = if self.loops < DEPTH { PASSES } else { 1 };
        let (functions, returns) = (self.functions.len(), self.returns.clone());
        let mut overwritten = None;
        self.loops += 1;
        for pass in 1..=passes {
            let start = self.scope.locals.clone();
            let found = self.report.as_ref().map_or(0, |(_, found)| found.len());
            let passed = self.passed_in_loops.len();
            match head {
                Head::For(target, element) => self.bind(target, element),
                Head::While(test) => self.bind_named(Named::of(test)),
            }
            self.body(body);
            let after = std::mem::take(&mut self.scope.locals);
            self.scope.locals = merge(vec![before.clone(), after]);
            if self.scope.locals == start || pass == passes {
                break;
            }
            // Only names each pass overwrites first changed: the next pass
            // would repeat this one, findings and all, and settle.
            let overwritten = overwritten.get_or_insert_with(|| overwritten_first(head, body));
            if self.scope.locals.iter().all(|(name, value)| start.get(name) == Some(value) || overwritten.contains(name.as_str())) {
                self.pass_again(passed);
                break;
            }
            // What this pass found may change on the next: only the last
            // pass reports (ruff's findings keep the surest verdict of
            // every pass).
            if let Some((_, found_so_far)) = &mut self.report {
                found_so_far.truncate(found);
            }
            self.functions.truncate(functions);
            self.returns.clone_from(&returns);
        }
        self.loops -= 1;
        if self.loops == 0 {
            self.passed_in_loops.clear();
        }
        self.body(orelse);
    }

    /// Tells `passes` again what the pass whose calls start at `from` in
    /// [`Walk::passed_in_loops`] told it, as a pass not walked would have,
    /// each call with the names it saw then.
    fn pass_again(&mut self, from: usize) {
        let Some(passes) = self.passes.take() else { return };
        let calls = self.passed_in_loops[from..].to_vec();
        let now = std::mem::take(&mut self.scope.locals);
        for (locals, call) in calls {
            self.scope.locals = locals.clone();
            passes(&self.scope, call);
            self.passed_in_loops.push((locals, call));
        }
        self.scope.locals = now;
        self.passes = Some(passes);
    }
}
