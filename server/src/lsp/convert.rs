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
    Some(start + u32::try_from(typed.matches('\n').count()).unwrap_or(0))
}

pub fn position(rope: &Rope, offset: usize, encoding: PositionEncoding) -> lsp::Position {
    let p = from_byte_offset(rope, offset, encoding);
    lsp::Position::new(p.line, p.character)
}

pub fn range(rope: &Rope, bytes: &std::ops::Range<usize>, encoding: PositionEncoding) -> lsp::Range {
    lsp::Range::new(position(rope, bytes.start, encoding), position(rope, bytes.end, encoding))
}
