//! Lines as LSP and ruff end them: at `\n`, `\r\n` and a bare `\r`, and
//! nowhere else. `str::lines` and counting `\n` miss the bare `\r` (an old
//! Mac file, a stray one pasted in); Python's `str.splitlines` and ropey's
//! `unicode_lines` feature also end lines at VT, FF, NEL, U+2028 and U+2029,
//! which LSP does not. A line number shown to the user (`file.py:12`), or
//! read from them (`pyloom rename file.py:12:5`), is ruff's and the
//! editor's when counted here. (Lines of text ruff splits for its own
//! purposes, and tree-sitter's rows, are theirs.)

/// How many lines end in `text` (a `\r\n` ends one). Counted with memchr:
/// answers place hundreds of sites deep in files of thousands of lines.
pub fn count(text: &str) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes).filter(|&at| !(bytes[at] == b'\n' && at > 0 && bytes[at - 1] == b'\r')).count()
}

/// The line (from 0) `offset` is on in `text` (clamped to its end). The
/// `\n` of a `\r\n` is on the line the pair ends.
pub fn line_index(text: &str, offset: usize) -> usize {
    let offset = floor_char_boundary(text, offset);
    let (before, after) = text.split_at(offset);
    count(before) - usize::from(before.ends_with('\r') && after.starts_with('\n'))
}

/// The line (from 1) `offset` is on in `text`, as places are shown.
pub fn line_number(text: &str, offset: usize) -> usize {
    line_index(text, offset) + 1
}

/// The offset where line `line` (from 0) of `text` starts; `None` past the
/// last line (the empty line after a final line break is a line).
pub fn line_start(text: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return Some(0);
    }
    let bytes = text.as_bytes();
    let mut ends = memchr::memchr2_iter(b'\n', b'\r', bytes).filter(|&at| !(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n')));
    ends.nth(line - 1).map(|at| at + 1)
}

/// Line `line` (from 0) of `text`, without its line break.
pub fn line(text: &str, line: usize) -> Option<&str> {
    let start = line_start(text, line)?;
    let rest = &text[start..];
    Some(&rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())])
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    (0..=offset).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_crlf_and_a_bare_cr_only() {
        let text = "a\nb\r\nc\rd\u{2028}e\u{b}f\u{c}g\u{85}h";
        assert_eq!(count(text), 3);
        assert_eq!(line_index(text, text.find('d').unwrap()), 3, "U+2028, VT, FF and NEL end no line");
        assert_eq!(line_index(text, text.find('h').unwrap()), 3);
        assert_eq!(line_index(text, text.find('c').unwrap()), 2);
        // The `\n` of `\r\n` is on the line the pair ends.
        assert_eq!(line_index(text, 4), 1);
        assert_eq!(line_index(text, 5), 2);
        assert_eq!(line_number(text, text.len() + 9), 4, "clamped to the end");
        assert_eq!(line_number("é", 1), 1, "inside a character");
    }

    #[test]
    fn line_starts_and_texts_agree_with_ruffs_index() {
        use ruff_source_file::{LineIndex, OneIndexed};
        let text = "x = 1\ry = '\u{2028}'\r\nz\n\nw";
        let index = LineIndex::from_source_text(text);
        for line in 0..index.line_count() {
            let ruff = index.line_start(OneIndexed::from_zero_indexed(line), text).to_usize();
            assert_eq!(line_start(text, line), Some(ruff), "line {line}");
            assert_eq!(line_index(text, ruff), line);
        }
        assert_eq!(line_start(text, index.line_count()), None);
        assert_eq!(line(text, 1), Some("y = '\u{2028}'"));
        assert_eq!(line(text, 3), Some(""));
        assert_eq!(line("a\n", 1), Some(""), "the line after a final break");
        assert_eq!(line("a\n", 2), None);
    }
}
