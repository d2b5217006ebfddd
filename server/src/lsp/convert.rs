//! Conversions between lsp-types and pyloom's plain types.

use ropey::Rope;
use tower_lsp::lsp_types::{self as lsp, PositionEncodingKind};

use crate::workspace::{PositionEncoding, TextChange, TextPosition, from_byte_offset};

/// The encoding to use: UTF-8 when the client offers it (no conversion
/// needed), else UTF-32 if offered, else the mandatory UTF-16.
pub fn negotiate_encoding(params: &lsp::InitializeParams) -> PositionEncoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()).unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        PositionEncoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        PositionEncoding::Utf32
    } else {
        PositionEncoding::Utf16
    }
}

pub fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

pub fn text_position(pos: lsp::Position) -> TextPosition {
    TextPosition::new(pos.line, pos.character)
}

pub fn text_change(change: lsp::TextDocumentContentChangeEvent) -> TextChange {
    TextChange { range: change.range.map(|r| (text_position(r.start), text_position(r.end))), text: change.text }
}

/// The line an edit was typed on: where its inserted text ends, not
/// counting a final line break (typing Enter ends a line, it does not start
/// typing on the next one).
pub fn edited_line(change: &lsp::TextDocumentContentChangeEvent) -> Option<u32> {
    let start = change.range?.start.line;
    let typed = change.text.trim_end_matches(['\n', '\r']);
    Some(start + u32::try_from(crate::line_ends::count(typed)).unwrap_or(0))
}

pub fn position(rope: &Rope, offset: usize, encoding: PositionEncoding) -> lsp::Position {
    let p = from_byte_offset(rope, offset, encoding);
    lsp::Position::new(p.line, p.character)
}

pub fn range(rope: &Rope, bytes: &std::ops::Range<usize>, encoding: PositionEncoding) -> lsp::Range {
    lsp::Range::new(position(rope, bytes.start, encoding), position(rope, bytes.end, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(line: u32, text: &str) -> Option<u32> {
        let at = lsp::Position::new(line, 0);
        edited_line(&lsp::TextDocumentContentChangeEvent { range: Some(lsp::Range::new(at, at)), range_length: None, text: text.to_owned() })
    }

    #[test]
    fn the_edited_line_counts_the_line_breaks_lsp_counts() {
        assert_eq!(typed(3, "a\rb"), Some(4), "a bare `\\r` ends a line");
        assert_eq!(typed(3, "a\r\nb\nc"), Some(5));
        // Must stay: a final break ends the typed line, a U+2028 ends none.
        assert_eq!(typed(3, "a\r\n"), Some(3));
        assert_eq!(typed(3, "'\u{2028}'"), Some(3));
    }
}
