//! Line/character positions in a chosen encoding, converted to byte offsets.
//!
//! Editors count characters in UTF-16 code units by default; some offer
//! UTF-8 or UTF-32. Everything inside pyloom works on byte offsets into the
//! text, so every position that comes in is converted here exactly once.

use ropey::Rope;

/// How the `character` of a position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// A zero-based line and a character offset within it, in some encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextPosition {
    pub line: u32,
    pub character: u32,
}

impl TextPosition {
    pub fn new(line: u32, character: u32) -> Self {
        Self { line, character }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PositionError {
    #[error("line {line} is past the end of the document ({lines} lines)")]
    LineOutOfRange { line: u32, lines: usize },
    #[error("range start {start:?} is after its end {end:?}")]
    InvertedRange { start: TextPosition, end: TextPosition },
}

/// Byte offset of `pos` in `rope`.
///
/// A character past the end of its line is clamped to the line's end, as the
/// LSP specification asks; a position inside a multi-unit character (half of
/// a surrogate pair, the middle of a UTF-8 sequence) snaps back to the
/// character's start. A line past the end of the text is an error, except the
/// line just after a trailing newline, which is where an appended edit starts.
pub fn to_byte_offset(rope: &Rope, pos: TextPosition, encoding: PositionEncoding) -> Result<usize, PositionError> {
    let line_idx = pos.line as usize;
    let lines = rope.len_lines();
    if line_idx >= lines {
        return Err(PositionError::LineOutOfRange { line: pos.line, lines });
    }
    let line = rope.line(line_idx);
    let line_start_char = rope.line_to_char(line_idx);
    let content_chars = line_len_without_eol(&line);
    let wanted = pos.character as usize;
    let char_in_line = match encoding {
        PositionEncoding::Utf32 => wanted.min(content_chars),
        PositionEncoding::Utf8 => {
            let content_bytes = line.char_to_byte(content_chars);
            line.byte_to_char(wanted.min(content_bytes))
        }
        PositionEncoding::Utf16 => {
            let content_units = line.char_to_utf16_cu(content_chars);
            line.utf16_cu_to_char(wanted.min(content_units))
        }
    };
    Ok(rope.char_to_byte(line_start_char + char_in_line))
}

/// Whether `pos` is past the end of its line's text (LSP clamps it to the
/// line's end; a hover there is over nothing, as pyright's is). A line past
/// the end of the text is past too.
pub fn past_line_end(rope: &Rope, pos: TextPosition, encoding: PositionEncoding) -> bool {
    let Some(line) = rope.get_line(pos.line as usize) else { return true };
    let content = line.slice(..line_len_without_eol(&line));
    let width = match encoding {
        PositionEncoding::Utf32 => content.len_chars(),
        PositionEncoding::Utf8 => content.len_bytes(),
        PositionEncoding::Utf16 => content.len_utf16_cu(),
    };
    pos.character as usize > width
}

/// Position of byte offset `offset` (clamped to the text) in `encoding`.
pub fn from_byte_offset(rope: &Rope, offset: usize, encoding: PositionEncoding) -> TextPosition {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line_idx = rope.char_to_line(char_idx);
    let line_start_char = rope.line_to_char(line_idx);
    let line = rope.line(line_idx);
    let in_line = char_idx - line_start_char;
    let character = match encoding {
        PositionEncoding::Utf32 => in_line,
        PositionEncoding::Utf8 => line.char_to_byte(in_line),
        PositionEncoding::Utf16 => line.char_to_utf16_cu(in_line),
    };
    TextPosition::new(line_idx as u32, character as u32)
}

/// How many units of `encoding` `text` takes (a column's width).
pub fn units(text: &str, encoding: PositionEncoding) -> usize {
    match encoding {
        PositionEncoding::Utf8 => text.len(),
        PositionEncoding::Utf16 => text.chars().map(char::len_utf16).sum(),
        PositionEncoding::Utf32 => text.chars().count(),
    }
}

/// Characters of `line` before its line terminator (`\n`, `\r\n` or `\r`).
fn line_len_without_eol(line: &ropey::RopeSlice<'_>) -> usize {
    let len = line.len_chars();
    match (len.checked_sub(2).map(|i| line.char(i)), len.checked_sub(1).map(|i| line.char(i))) {
        (Some('\r'), Some('\n')) => len - 2,
        (_, Some('\n' | '\r')) => len - 1,
        _ => len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offset(text: &str, line: u32, character: u32, enc: PositionEncoding) -> usize {
        to_byte_offset(&Rope::from_str(text), TextPosition::new(line, character), enc).unwrap()
    }

    #[test]
    fn utf16_counts_surrogate_pairs_as_two_units() {
        // "😀" is 4 bytes in UTF-8, 2 units in UTF-16, 1 scalar.
        let text = "a😀b\n";
        assert_eq!(offset(text, 0, 3, PositionEncoding::Utf16), 5);
        assert_eq!(offset(text, 0, 2, PositionEncoding::Utf32), 5);
        assert_eq!(offset(text, 0, 5, PositionEncoding::Utf8), 5);
    }

    #[test]
    fn cjk_and_combining_marks() {
        // "中" is 3 bytes / 1 unit; "e\u{301}" is two scalars, 3 bytes, 2 units.
        let text = "中e\u{301}x";
        assert_eq!(offset(text, 0, 3, PositionEncoding::Utf16), 6);
        assert_eq!(offset(text, 0, 6, PositionEncoding::Utf8), 6);
    }

    #[test]
    fn character_past_line_end_clamps_before_newline() {
        assert_eq!(offset("ab\r\ncd", 0, 99, PositionEncoding::Utf16), 2);
        assert_eq!(offset("ab\ncd", 1, 99, PositionEncoding::Utf16), 5);
    }

    #[test]
    fn past_line_end_is_after_the_lines_last_unit_not_at_it() {
        let rope = Rope::from_str("a😀\r\nb");
        let past = |line, character, enc| past_line_end(&rope, TextPosition::new(line, character), enc);
        // The line's end itself (a cursor after its last character) is not past it.
        assert!(!past(0, 3, PositionEncoding::Utf16) && past(0, 4, PositionEncoding::Utf16));
        assert!(!past(0, 5, PositionEncoding::Utf8) && past(0, 6, PositionEncoding::Utf8));
        assert!(!past(0, 2, PositionEncoding::Utf32) && past(0, 3, PositionEncoding::Utf32));
        assert!(!past(1, 1, PositionEncoding::Utf16) && past(1, 2, PositionEncoding::Utf16) && past(2, 0, PositionEncoding::Utf16));
    }

    #[test]
    fn line_after_trailing_newline_is_valid_but_not_beyond() {
        let rope = Rope::from_str("x\n");
        assert_eq!(to_byte_offset(&rope, TextPosition::new(1, 0), PositionEncoding::Utf16), Ok(2));
        assert_eq!(to_byte_offset(&rope, TextPosition::new(2, 0), PositionEncoding::Utf16), Err(PositionError::LineOutOfRange { line: 2, lines: 2 }));
    }

    #[test]
    fn lines_end_where_lsp_ends_them_not_at_unicode_separators() {
        // U+2028, U+2029, NEL, VT and FF inside strings end no line for
        // LSP (nor for ruff): `y` is on line 1.
        let text = "s = '\u{2028}\u{2029}\u{85}\u{b}\u{c}'\ny = 1\n";
        let rope = Rope::from_str(text);
        let y = text.find('y').unwrap();
        assert_eq!(from_byte_offset(&rope, y, PositionEncoding::Utf16), TextPosition::new(1, 0));
        assert_eq!(to_byte_offset(&rope, TextPosition::new(1, 0), PositionEncoding::Utf16), Ok(y));
        assert_eq!(to_byte_offset(&rope, TextPosition::new(0, 99), PositionEncoding::Utf32), Ok(y - 1), "the line ends at its `\n`");
        // Must stay: a bare `\r` ends a line, as `\r\n` and `\n` do.
        let rope = Rope::from_str("a\rb\r\nc\nd");
        let lines: Vec<u32> = [2, 5, 7].map(|at| from_byte_offset(&rope, at, PositionEncoding::Utf16).line).to_vec();
        assert_eq!(lines, [1, 2, 3]);
    }

    #[test]
    fn round_trips_in_every_encoding() {
        let rope = Rope::from_str("def f():\n    return '😀中'\n");
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            for (byte, _) in rope.to_string().char_indices() {
                let pos = from_byte_offset(&rope, byte, enc);
                assert_eq!(to_byte_offset(&rope, pos, enc), Ok(byte), "{enc:?} at {byte}");
            }
        }
    }
}
