//! A semantic tokens delta: the edits turning the last answer's array
//! into the new one.
//!
//! An edit adds or removes tokens in one place, and may change the kind of
//! tokens anywhere (a property made a method recolours every
//! `self.name` of the file). One edit from the first changed token to the
//! last sent everything between them again: after `def_ name` on a
//! property of Django's `sql/query.py`, most of the file's ~12,000 tokens,
//! whose encoding alone was 15.6M instructions of a debug build. Each run
//! of changed tokens is an edit of its own instead.

use std::ops::Range;

use tower_lsp::lsp_types::{SemanticToken, SemanticTokensEdit};

/// Changed runs at most this many unchanged tokens apart are sent as one
/// edit: a token costs less to send again than an edit's own fields.
const JOINED_GAP: usize = 2;

/// The edits turning `old` into `new`, in order, each at its offset in
/// `old` (as clients apply them). Offsets count integers, five per token.
pub(super) fn delta(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let (old_middle, new_middle) = (&old[prefix..old.len() - suffix], &new[prefix..new.len() - suffix]);
    changed_runs(old_middle, new_middle)
        .into_iter()
        .map(|(olds, news)| SemanticTokensEdit {
            start: 5 * (prefix + olds.start) as u32,
            delete_count: 5 * olds.len() as u32,
            data: Some(new_middle[news].to_vec()),
        })
        .collect()
}

/// The runs of `old` that differ from `new`, each with the run of `new`
/// that replaces it. The tokens are added or removed at one place: before
/// it an old token pairs with the new one at the same index, after it
/// with the one as far from the end; the place is where the fewest pairs
/// differ.
fn changed_runs(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<(Range<usize>, Range<usize>)> {
    let common = old.len().min(new.len());
    let (removed, added) = (old.len() - common, new.len() - common);
    // How many of the first `i` pairs differ, counted from the start and
    // from the end.
    let counted = |differs: &dyn Fn(usize) -> bool| {
        let mut sums = Vec::with_capacity(common + 1);
        sums.push(0usize);
        for i in 0..common {
            sums.push(sums[i] + usize::from(differs(i)));
        }
        sums
    };
    let from_start = counted(&|i| old[i] != new[i]);
    let from_end = counted(&|k| old[old.len() - 1 - k] != new[new.len() - 1 - k]);
    let place = (0..=common).min_by_key(|&at| from_start[at] + from_end[common - at]).unwrap_or(0);
    let mut runs: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let mut push = |olds: Range<usize>, news: Range<usize>| match runs.last_mut() {
        // The tokens between pair one to one: the joined runs stay aligned.
        Some(last) if olds.start - last.0.end <= JOINED_GAP => (last.0.end, last.1.end) = (olds.end, news.end),
        _ => runs.push((olds, news)),
    };
    for i in 0..=common {
        if i == place && removed + added > 0 {
            push(place..place + removed, place..place + added);
        }
        let Some((o, n)) = (i < common).then(|| if i < place { (i, i) } else { (i + removed, i + added) }) else { continue };
        if old[o] != new[n] {
            push(o..o + 1, n..n + 1);
        }
    }
    runs
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn token(delta_line: u32, delta_start: u32) -> SemanticToken {
        SemanticToken { delta_line, delta_start, length: 1, token_type: 0, token_modifiers_bitset: 0 }
    }

    /// `edits` (LSP's: offsets in `data`, counts in integers, five per
    /// token) applied to `data`, as a client does.
    pub(in crate::lsp) fn applied(data: &[SemanticToken], edits: &[SemanticTokensEdit]) -> Vec<SemanticToken> {
        let mut out = data.to_vec();
        for edit in edits.iter().rev() {
            let (start, end) = (edit.start as usize / 5, (edit.start + edit.delete_count) as usize / 5);
            out.splice(start..end, edit.data.clone().unwrap_or_default());
        }
        out
    }

    #[test]
    fn a_delta_replaces_the_changed_middle() {
        let old = [token(0, 0), token(1, 2), token(1, 4), token(2, 0)];
        let new = [token(0, 0), token(1, 3), token(2, 0)];
        assert_eq!(delta(&old, &new), [SemanticTokensEdit { start: 5, delete_count: 10, data: Some(vec![token(1, 3)]) }]);
        assert_eq!(delta(&old, &old), []);
        let appended = [token(0, 0), token(1, 2), token(1, 4), token(2, 0), token(3, 1)];
        assert_eq!(delta(&old, &appended), [SemanticTokensEdit { start: 20, delete_count: 0, data: Some(vec![token(3, 1)]) }]);
    }

    #[test]
    fn kinds_changed_far_apart_are_edits_of_their_own() {
        let old: Vec<SemanticToken> = (0..40).map(|i| token(1, i)).collect();
        let mut new = old.clone();
        // A token typed at 20, and the kinds of 3 and 35 changed.
        new.insert(20, token(0, 7));
        new[3].token_type = 2;
        new[36].token_type = 2;
        let edits = delta(&old, &new);
        assert_eq!(applied(&old, &edits), new);
        let sent: usize = edits.iter().map(|e| e.data.as_ref().map_or(0, Vec::len)).sum();
        assert_eq!((edits.len(), sent), (3, 3), "{edits:?}");
        // Must stay one edit: changes closer than the gap.
        let mut near = old.clone();
        (near[10].token_type, near[12].token_type) = (2, 2);
        assert_eq!(delta(&old, &near), [SemanticTokensEdit { start: 50, delete_count: 15, data: Some(near[10..13].to_vec()) }]);
    }

    proptest::proptest! {
        /// Any two arrays: the delta applied to the old one is the new one.
        #[test]
        fn a_delta_applied_gives_the_new_tokens(
            old in proptest::collection::vec((0..3u32, 0..3u32), 0..30),
            edits in proptest::collection::vec((0..40usize, 0..3usize, proptest::collection::vec((0..3u32, 0..3u32), 0..3)), 0..4),
        ) {
            let old: Vec<SemanticToken> = old.into_iter().map(|(line, start)| token(line, start)).collect();
            let mut new = old.clone();
            for (at, removed, typed) in edits {
                let at = at.min(new.len());
                let end = (at + removed).min(new.len());
                new.splice(at..end, typed.into_iter().map(|(line, start)| token(line, start)));
            }
            proptest::prop_assert_eq!(applied(&old, &delta(&old, &new)), new);
        }
    }
}
