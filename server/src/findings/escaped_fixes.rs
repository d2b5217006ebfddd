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
//! The same rule drops a finding's `# noqa` edit that would land on an
//! escape's line: IPython passes the rest of a magic's line to it as its
//! arguments (`%load_ext autoreload  # noqa: W291` loads no module,
//! `%%time  # noqa` fails the cell), where a `#` is no comment.

use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;
use ruff_text_size::TextRange;

use super::Finding;
use crate::notebook::escapes::EditCheck;

/// Drops the fixes and `# noqa` edits of `findings` (of the notebook
/// module text `source`, whose `cells` parse on their own, `parsed` so
/// when the caller has that parse) that an escape could tell apart.
pub(super) fn keep(source: &str, parsed: Option<&Parsed<ModModule>>, cells: Option<&[TextRange]>, left_out: &[String], findings: &mut [Finding]) {
    if !findings.iter().any(|f| f.fix.is_some() || f.suppress.is_some()) {
        return;
    }
    let check = match parsed {
        Some(parsed) => EditCheck::with_parse(source, parsed, cells, left_out),
        None => EditCheck::new(source, cells, left_out),
    };
    let Some(check) = check else { return };
    for finding in findings.iter_mut() {
        if let Some(fix) = &finding.fix {
            let mut edits: Vec<_> = fix.edits.iter().map(|e| (e.range.clone(), e.content.as_str())).collect();
            edits.sort_by_key(|(range, _)| (range.start, range.end));
            if check.hazard(edits).is_some() {
                finding.fix = None;
            }
        }
        if let Some(edit) = &finding.suppress
            && check.hazard([(edit.range.clone(), edit.content.as_str())]).is_some()
        {
            finding.suppress = None;
        }
    }
}

#[cfg(test)]
#[path = "escaped_fixes_tests.rs"]
mod tests;
