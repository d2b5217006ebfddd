//! In a notebook, a fix is kept only where no IPython escape can tell:
//! the graph and ruff read `%time y = x + 1`, `!echo {e}` and
//! `get_ipython().system('echo {x}')` as opaque, so ruff's fixes delete
//! `as e` that `!echo {e}` expands (F841), rename a loop variable an
//! escape reads (B007), or move `!cmd` into an expression where IPython
//! no longer reads it as an escape (`return !echo {x}` from RET504, a
//! ternary arm from SIM108). One rule for every fix, [`EditCheck`], which
//! the IDE's edits in a notebook pass too: a fix is dropped (its finding
//! is still reported, as ruff reports it) when an edit of it touches a
//! line holding an escape, spells a name an escape may read (in it, or
//! any global when a `%run` may bind or read them), or copies or removes
//! an escape. A notebook without escapes keeps ruff's fixes as they are.

use ruff_text_size::TextRange;

use super::Finding;
use crate::notebook::escapes::EditCheck;

/// Drops the fixes of `findings` (of the notebook module text `source`,
/// whose `cells` parse on their own) that an escape could tell apart.
pub(super) fn keep(source: &str, cells: Option<&[TextRange]>, findings: &mut [Finding]) {
    if !findings.iter().any(|f| f.fix.is_some()) {
        return;
    }
    let Some(check) = EditCheck::new(source, cells) else { return };
    for finding in findings.iter_mut() {
        let Some(fix) = &finding.fix else { continue };
        let mut edits: Vec<_> = fix.edits.iter().map(|e| (e.range.clone(), e.content.as_str())).collect();
        edits.sort_by_key(|(range, _)| (range.start, range.end));
        if check.hazard(edits).is_some() {
            finding.fix = None;
        }
    }
}

#[cfg(test)]
#[path = "escaped_fixes_tests.rs"]
mod tests;
