//! How many bytes two texts share at their start and at their end, and the
//! region between where they differ.
//!
//! An editor sends a large file's whole text with each change (the
//! semantic-tokens bench: Django's 100-116 KB modules), and what changed is
//! found by comparing it with the last text: the document, the summary's
//! splice, the tokens' encoding each did so a byte at a time (~0.8M
//! instructions per comparison of a 116 KB file). Compared a block at a
//! time (a `memcmp` of equal slices), then by byte within the block that
//! differs, it costs a few percent of that.

/// Bytes compared at once.
const BLOCK: usize = 64;

/// The length of the longest common start of `a` and `b`.
pub fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let mut same = 0;
    while same + BLOCK <= len && a[same..same + BLOCK] == b[same..same + BLOCK] {
        same += BLOCK;
    }
    same + a[same..len].iter().zip(&b[same..len]).take_while(|(x, y)| x == y).count()
}

/// The length of the longest common end of `a` and `b`.
pub fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let (a_end, b_end) = (a.len(), b.len());
    let mut same = 0;
    while same + BLOCK <= len && a[a_end - same - BLOCK..a_end - same] == b[b_end - same - BLOCK..b_end - same] {
        same += BLOCK;
    }
    same + a[..a_end - same].iter().rev().zip(b[..b_end - same].iter().rev()).take_while(|(x, y)| x == y).count()
}

/// Where `old` and `new` differ: the end of their common start, and the
/// ends in each of what lies before their common end (the two do not
/// overlap, and all three fall on character boundaries).
pub fn differing_middle(old: &str, new: &str) -> (usize, usize, usize) {
    let mut prefix = common_prefix(old.as_bytes(), new.as_bytes());
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let mut suffix = common_suffix(&old.as_bytes()[prefix..], &new.as_bytes()[prefix..]);
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    (prefix, old.len() - suffix, new.len() - suffix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn prefix_by_byte(a: &[u8], b: &[u8]) -> usize {
        a.iter().zip(b).take_while(|(x, y)| x == y).count()
    }

    fn suffix_by_byte(a: &[u8], b: &[u8]) -> usize {
        a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count()
    }

    #[test]
    fn the_differing_middle_falls_on_character_boundaries() {
        assert_eq!(differing_middle("abc", "abc"), (3, 3, 3));
        assert_eq!(differing_middle("a\nb", "a\n\nb"), (2, 2, 3));
        // é and è share their first byte, x and y their last: not split.
        assert_eq!(differing_middle("é", "è"), (0, 2, 2));
        assert_eq!(differing_middle("aaa", "aa"), (2, 3, 2));
        assert_eq!(differing_middle("", "x"), (0, 0, 1));
    }

    proptest! {
        /// Texts sharing a long start and end around an edit of any size
        /// (across block boundaries), as a byte-by-byte comparison finds.
        #[test]
        fn equal_to_comparing_byte_by_byte(
            base in proptest::collection::vec(0u8..4, 0..400),
            at in 0usize..400,
            removed in 0usize..80,
            inserted in proptest::collection::vec(0u8..4, 0..80),
        ) {
            let at = at.min(base.len());
            let end = (at + removed).min(base.len());
            let mut edited = base[..at].to_vec();
            edited.extend(&inserted);
            edited.extend(&base[end..]);
            prop_assert_eq!(common_prefix(&base, &edited), prefix_by_byte(&base, &edited));
            prop_assert_eq!(common_suffix(&base, &edited), suffix_by_byte(&base, &edited));
            prop_assert_eq!(common_prefix(&edited, &base), prefix_by_byte(&edited, &base));
            prop_assert_eq!(common_suffix(&edited, &base), suffix_by_byte(&edited, &base));
        }
    }

    #[test]
    fn a_text_and_its_extension() {
        let long = [7u8; 200];
        assert_eq!(common_prefix(&long, &long[..130]), 130);
        assert_eq!(common_suffix(&long, &long[..130]), 130);
        assert_eq!(common_prefix(b"", b"abc"), 0);
        assert_eq!(common_suffix(b"xabc", b"yabc"), 3);
    }
}
