//! Loops: the body is walked again from what its names may hold at the
//! start of any pass (what they held before the loop, or what a pass
//! left) until that no longer changes, so a value that becomes the
//! client's on a later pass is seen where an earlier pass uses it
//! (`for x in items: os.system(cmd); cmd = x`).

use ruff_python_ast::{Expr, Stmt};

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

impl<'a> Walk<'a, '_> {
    /// A loop and its `else`: after it a name holds what it held before or
    /// what any pass left.
    pub(super) fn looped(&mut self, head: &Head<'a>, body: &'a [Stmt], orelse: &'a [Stmt]) {
        let before = self.scope.locals.clone();
        let passes = if self.loops < DEPTH { PASSES } else { 1 };
        let (functions, returns) = (self.functions.len(), self.returns.clone());
        self.loops += 1;
        for pass in 1..=passes {
            let start = self.scope.locals.clone();
            let found = self.report.as_ref().map_or(0, |(_, found)| found.len());
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
        self.body(orelse);
    }
}
