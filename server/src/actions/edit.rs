//! Turning generated code into a minimal edit, and keeping it honest when the
//! document changed while the model was thinking.

use std::ops::Range;

/// Replace `range` (bytes of the document it was computed on) by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedEdit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// One file of an edit that spans several (a rename with its call sites).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: std::path::PathBuf,
    pub original: String,
    pub candidate: String,
}

/// `changes` taken on by `more`: a file in both keeps its first original
/// and takes the later candidate (which was made from the earlier one).
pub fn merged(mut changes: Vec<FileChange>, more: Vec<FileChange>) -> Vec<FileChange> {
    for change in more {
        match changes.iter_mut().find(|c| c.path == change.path) {
            Some(earlier) => earlier.candidate = change.candidate,
            None => changes.push(change),
        }
    }
    changes
}

/// The replacement of `source[range]` by `replacement`, trimmed to the part
/// that differs so the editor shows (and undoes) only what really changes.
pub fn minimal_edit(source: &str, range: Range<usize>, replacement: &str) -> ProposedEdit {
    let old = &source[range.clone()];
    let prefix = common_prefix(old, replacement);
    let suffix = common_suffix(&old[prefix..], &replacement[prefix..]);
    ProposedEdit { range: range.start + prefix..range.end - suffix, new_text: replacement[prefix..replacement.len() - suffix].to_owned() }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RebaseError {
    #[error("the code this edit replaces was changed while the model worked; run the action again")]
    TargetEdited,
}

/// Moves `edit`, computed on `original`, onto `current`. Changes outside
/// `target` (the region the model was asked to work on) only shift it; a
/// change that touches `target` refuses the edit rather than overwrite it.
pub fn rebase(original: &str, current: &str, target: &Range<usize>, edit: ProposedEdit) -> Result<ProposedEdit, RebaseError> {
    if original == current {
        return Ok(edit);
    }
    // The one region in which the two texts differ: original[p..o_end] became current[p..c_end].
    let p = common_prefix(original, current);
    let s = common_suffix(&original[p..], &current[p..]);
    let (o_end, c_end) = (original.len() - s, current.len() - s);
    if o_end <= target.start && (p < target.start || p == o_end) {
        let shift = |x: usize| x + c_end - o_end;
        Ok(ProposedEdit { range: shift(edit.range.start)..shift(edit.range.end), new_text: edit.new_text })
    } else if p >= target.end {
        Ok(edit)
    } else {
        Err(RebaseError::TargetEdited)
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices().zip(b.chars()).find(|((_, x), y)| x != y).map_or(a.len().min(b.len()), |((i, _), _)| i)
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edit_keeps_only_the_difference() {
        let source = "def f():\n    ...\n";
        let edit = minimal_edit(source, 9..17, "    return '😀'\n");
        assert_eq!(edit, ProposedEdit { range: 13..16, new_text: "return '😀'".to_owned() });
    }

    #[test]
    fn edits_above_the_target_shift_it_and_edits_in_it_refuse() {
        let original = "import os\n\ndef f():\n    ...\n";
        let target = 11..original.len();
        let edit = ProposedEdit { range: 24..27, new_text: "return 1".to_owned() };

        let above = original.replacen("import os", "import os, sys", 1);
        let moved = rebase(original, &above, &target, edit.clone()).unwrap();
        assert_eq!(&above[moved.range.clone()], "...");

        let below = format!("{original}x = 1\n");
        assert_eq!(rebase(original, &below, &target, edit.clone()), Ok(edit.clone()));

        let inside = original.replacen("...", "pass", 1);
        assert_eq!(rebase(original, &inside, &target, edit), Err(RebaseError::TargetEdited));
    }
}
