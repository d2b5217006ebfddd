//! In a notebook, a fix is kept only where no IPython escape can tell:
//! the graph and ruff read `%time y = x + 1`, `!echo {e}` and
//! `get_ipython().system('echo {x}')` as opaque, so ruff's fixes delete
//! `as e` that `!echo {e}` expands (F841), rename a loop variable an
//! escape reads (B007), or move `!cmd` into an expression where IPython
//! no longer reads it as an escape (`return !echo {x}` from RET504, a
//! ternary arm from SIM108). One rule for every fix: a fix is dropped
//! (its finding is still reported, as ruff reports it) when an edit of it
//! touches a line holding an escape, or removes a name an escape may read
//! (spelled in it, or any global when a `%run` may bind or read them).
//! A notebook without escapes keeps ruff's fixes as they are.

use std::ops::Range;

use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;

use super::{Edit, Finding};
use crate::ide::mentions::whole_word_ends;
use crate::notebook::escapes::{Escapes, names};

/// Drops the fixes of `findings` (of the notebook module text `source`,
/// `parsed` as IPython's) that an escape could tell apart.
pub(super) fn keep(source: &str, parsed: &Parsed<ModModule>, findings: &mut [Finding]) {
    if !findings.iter().any(|f| f.fix.is_some()) {
        return;
    }
    let escapes = Escapes::of(parsed);
    if escapes.is_empty() {
        return;
    }
    let lines: Vec<Range<usize>> = escapes.ranges.iter().map(|e| lines_of(source, e.to_std_range())).collect();
    let unsafe_edit = |edit: &Edit| lines.iter().any(|line| touches(edit, line)) || removes_a_read_name(source, &escapes, edit);
    for finding in findings.iter_mut() {
        if finding.fix.as_ref().is_some_and(|fix| fix.edits.iter().any(unsafe_edit)) {
            finding.fix = None;
        }
    }
}

/// The lines `range` is on, without the last one's line break.
fn lines_of(source: &str, range: Range<usize>) -> Range<usize> {
    let start = source[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = source[range.end..].find(['\r', '\n']).map_or(source.len(), |i| range.end + i);
    start..end.max(range.end)
}

/// Whether `edit` changes text on `line`: replaces some of it, or inserts
/// into it (a whole line inserted before it, as isort does, leaves it be).
fn touches(edit: &Edit, line: &Range<usize>) -> bool {
    if edit.range.is_empty() {
        let at = edit.range.start;
        let before_the_line = at == line.start && edit.content.ends_with('\n');
        return line.start <= at && at <= line.end && !before_the_line;
    }
    edit.range.start < line.end && line.start < edit.range.end
}

/// Whether `edit` removes a name (spells it fewer times after than
/// before) that an escape may read.
fn removes_a_read_name(source: &str, escapes: &Escapes, edit: &Edit) -> bool {
    let removed = source.get(edit.range.clone()).unwrap_or_default();
    names(removed).any(|name| whole_word_ends(&edit.content, name).count() < whole_word_ends(removed, name).count() && escapes.reading(source, name).is_some())
}

#[cfg(test)]
#[path = "escaped_fixes_tests.rs"]
mod tests;
