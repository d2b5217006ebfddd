//! textDocument/semanticTokens: full, delta and range, from the resolver's
//! tokens (see `ide::semantic_tokens`) in LSP's relative encoding.
//!
//! A full answer is kept per document with its result id, so the next
//! delta request sends only the part of the array that changed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::graph::Span;
use crate::ide::semantic_tokens::{self as ide, TokenType, modifier};
use crate::workspace::{PositionEncoding, units};

/// The legend the server announces: the indices tokens use.
pub(super) fn legend() -> SemanticTokensLegend {
    let types = TokenType::ALL.iter().map(|kind| match kind {
        TokenType::Namespace => SemanticTokenType::NAMESPACE,
        TokenType::Class => SemanticTokenType::CLASS,
        TokenType::Function => SemanticTokenType::FUNCTION,
        TokenType::Method => SemanticTokenType::METHOD,
        TokenType::Property => SemanticTokenType::PROPERTY,
        TokenType::Parameter => SemanticTokenType::PARAMETER,
        TokenType::Variable => SemanticTokenType::VARIABLE,
    });
    SemanticTokensLegend { token_types: types.collect(), token_modifiers: modifier::NAMES.iter().map(|name| SemanticTokenModifier::new(name)).collect() }
}

/// The last full answer per document, for deltas, and the tokens it was
/// encoded from, for the next answer to reuse (see [`ide::computed`]).
#[derive(Default)]
pub(super) struct TokensState {
    last: Mutex<HashMap<Url, (String, Vec<SemanticToken>)>>,
    computed: Mutex<HashMap<Url, ide::Computed>>,
    next_id: AtomicU64,
}

impl TokensState {
    /// Remembers `data` as `uri`'s answer and returns its result id.
    fn remember(&self, uri: &Url, data: &[SemanticToken]) -> String {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed).to_string();
        self.last.lock().unwrap_or_else(|e| e.into_inner()).insert(uri.clone(), (id.clone(), data.to_vec()));
        id
    }

    pub(super) fn forget(&self, uri: &Url) {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
        self.computed.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
    }

    /// All tokens of `file`, the document at `uri`.
    fn all(&self, uri: &Url, graph: &crate::graph::Graph, file: crate::graph::FileId) -> std::sync::Arc<Vec<ide::Token>> {
        let last = self.computed.lock().unwrap_or_else(|e| e.into_inner()).get(uri).cloned();
        let computed = ide::computed(graph, file, last.as_ref());
        let tokens = computed.tokens.clone();
        self.computed.lock().unwrap_or_else(|e| e.into_inner()).insert(uri.clone(), computed);
        tokens
    }
}

impl Backend {
    pub(super) async fn on_semantic_tokens_full(&self, params: SemanticTokensParams) -> Option<SemanticTokensResult> {
        let uri = params.text_document.uri;
        let data = self.encoded_tokens(&uri, None).await?;
        let result_id = Some(self.state.tokens.remember(&uri, &data));
        Some(SemanticTokensResult::Tokens(SemanticTokens { result_id, data }))
    }

    pub(super) async fn on_semantic_tokens_full_delta(&self, params: SemanticTokensDeltaParams) -> Option<SemanticTokensFullDeltaResult> {
        let uri = params.text_document.uri;
        let data = self.encoded_tokens(&uri, None).await?;
        let previous = {
            let last = self.state.tokens.last.lock().unwrap_or_else(|e| e.into_inner());
            last.get(&uri).filter(|(id, _)| *id == params.previous_result_id).map(|(_, data)| data.clone())
        };
        let result_id = Some(self.state.tokens.remember(&uri, &data));
        // An unknown previous id (another server's, or forgotten): all of it.
        let Some(previous) = previous else { return Some(SemanticTokensFullDeltaResult::Tokens(SemanticTokens { result_id, data })) };
        Some(SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta { result_id, edits: delta(&previous, &data) }))
    }

    pub(super) async fn on_semantic_tokens_range(&self, params: SemanticTokensRangeParams) -> Option<SemanticTokensRangeResult> {
        let data = self.encoded_tokens(&params.text_document.uri, Some(params.range)).await?;
        Some(SemanticTokensRangeResult::Tokens(SemanticTokens { result_id: None, data }))
    }

    /// The document's tokens (inside `range`), relative to each other.
    async fn encoded_tokens(&self, uri: &Url, range: Option<Range>) -> Option<Vec<SemanticToken>> {
        let (graph, file) = self.graph_file(uri).await?;
        let encoding = self.encoding();
        let span = match range {
            Some(range) => {
                let mut locator = Locator::new(&graph, encoding);
                Some(Span::new(locator.offset(file, range.start)?, locator.offset(file, range.end)?))
            }
            None => None,
        };
        let text = &graph.file(file)?.text;
        let tokens = match span {
            Some(span) => std::sync::Arc::new(ide::tokens(&graph, file, Some(span))),
            None => self.state.tokens.all(uri, &graph, file),
        };
        let mut lines = Lines::new(text, encoding);
        let mut data = Vec::new();
        let (mut line, mut character) = (0, 0);
        for token in tokens.iter() {
            let (at_line, at_character) = lines.position(token.span.start as usize);
            // Names are on one line; a token that is not cannot be encoded.
            let Some(name) = text.get(token.span.range()).filter(|name| !name.contains(['\n', '\r'])) else { continue };
            let delta_line = at_line - line;
            data.push(SemanticToken {
                delta_line,
                delta_start: if delta_line == 0 { at_character - character } else { at_character },
                length: units(name, encoding) as u32,
                token_type: TokenType::ALL.iter().position(|k| *k == token.kind).unwrap_or(0) as u32,
                token_modifiers_bitset: token.modifiers,
            });
            (line, character) = (at_line, at_character);
        }
        Some(data)
    }
}

/// Positions of increasing offsets of a text, found by walking its bytes
/// from one offset to the next (a file has thousands of tokens: a rope
/// built for each answer and asked at each line break was a tenth of a
/// delta's time). Lines end where the editor's rope ends them (`\r\n`
/// ends after its `\n`).
struct Lines<'t> {
    text: &'t str,
    encoding: PositionEncoding,
    line: usize,
    /// The current line's first byte.
    start: usize,
    /// The last offset asked for.
    at: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str, encoding: PositionEncoding) -> Self {
        Self { text, encoding, line: 0, start: 0, at: 0 }
    }

    /// The line and the column in the client's encoding of `offset`.
    fn position(&mut self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.at {
            (self.line, self.start, self.at) = (0, 0, 0);
        }
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        while i < offset {
            // Every line break starts with one of these bytes.
            let b = bytes[i];
            if b > b'\r' && b != 0xC2 && b != 0xE2 {
                i += 1;
                continue;
            }
            let after = line_break_end(bytes, i);
            if let Some(end) = after.filter(|&end| end <= offset) {
                (self.line, self.start) = (self.line + 1, end);
            }
            i = after.unwrap_or(i + 1).min(offset).max(i + 1);
        }
        self.at = offset;
        let column = self.text.get(self.start..offset).map_or(0, |before| units(before, self.encoding));
        (self.line as u32, column as u32)
    }
}

/// Where the line break starting at byte `i` ends, when one does: `\n`,
/// `\r` (alone or before `\n`), `\u{0B}`, `\u{0C}`, `\u{85}`,
/// `\u{2028}`, `\u{2029}`.
fn line_break_end(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes[i..] {
        [b'\r', b'\n', ..] => Some(i + 2),
        [b'\n' | b'\r' | 0x0B | 0x0C, ..] => Some(i + 1),
        [0xC2, 0x85, ..] => Some(i + 2),
        [0xE2, 0x80, 0xA8 | 0xA9, ..] => Some(i + 3),
        _ => None,
    }
}

/// One edit turning `old` into `new`: what lies between their common
/// start and common end. Offsets count integers, five per token.
fn delta(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let (deleted, inserted) = (old.len() - prefix - suffix, &new[prefix..new.len() - suffix]);
    if deleted == 0 && inserted.is_empty() {
        return Vec::new();
    }
    vec![SemanticTokensEdit { start: 5 * prefix as u32, delete_count: 5 * deleted as u32, data: Some(inserted.to_vec()) }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(delta_line: u32, delta_start: u32) -> SemanticToken {
        SemanticToken { delta_line, delta_start, length: 1, token_type: 0, token_modifiers_bitset: 0 }
    }

    #[test]
    fn positions_count_the_clients_units_across_line_endings() {
        let text = "é = 1\r\n😀 = x\rlast";
        let mut lines = Lines::new(text, PositionEncoding::Utf16);
        assert_eq!(lines.position(text.find("= 1").unwrap()), (0, 2));
        assert_eq!(lines.position(text.find("x").unwrap()), (1, 5));
        assert_eq!(lines.position(text.find("last").unwrap()), (2, 0));
        let mut bytes = Lines::new(text, PositionEncoding::Utf8);
        assert_eq!(bytes.position(text.find("x").unwrap()), (1, 7));
        assert_eq!(bytes.position(text.find("= 1").unwrap()), (0, 3), "a position before the current line");
        // Every break the editor's rope knows, at every offset, walked
        // forwards, by every second offset, and backwards.
        let breaks = "a\u{2028}b\u{0C}c\r\n\r\rd\u{85}e\u{0B}\u{2029}\n\u{e9}f\r";
        let rope = ropey::Rope::from_str(breaks);
        let expected = |offset: usize| {
            let line = rope.byte_to_line(offset);
            (line as u32, breaks[rope.line_to_byte(line)..offset].chars().map(char::len_utf16).sum::<usize>() as u32)
        };
        let offsets: Vec<usize> = breaks.char_indices().map(|(offset, _)| offset).chain([breaks.len()]).collect();
        let walks = [offsets.clone(), offsets.iter().copied().step_by(2).collect(), offsets.iter().rev().copied().collect()];
        for walk in walks {
            let mut lines = Lines::new(breaks, PositionEncoding::Utf16);
            for offset in walk {
                assert_eq!(lines.position(offset), expected(offset), "at {offset}");
            }
        }
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
}
