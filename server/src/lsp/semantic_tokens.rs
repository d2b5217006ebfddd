//! textDocument/semanticTokens: full, delta and range, from the resolver's
//! tokens (see `ide::semantic_tokens`) in LSP's relative encoding.
//!
//! A full answer is kept per document with its result id, so the next
//! delta request sends only the part of the array that changed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
pub(super) use super::semantic_tokens_delta::delta;
use crate::common_affix::{common_prefix, common_suffix};
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

/// The last full answer per document with its result id, for deltas and
/// for the next answer's encoding to reuse, and the tokens it was encoded
/// from, for the next answer to reuse (see [`ide::computed`]).
#[derive(Default)]
pub(super) struct TokensState {
    last: Mutex<HashMap<Url, (String, Encoded)>>,
    computed: Mutex<HashMap<Url, ide::Computed>>,
    next_id: AtomicU64,
}

/// A full answer's tokens in LSP's encoding, and the text and tokens they
/// were encoded from. Shared: the next answer reads the last one's (a
/// large file's ~12,000 tokens) under a pointer copy, not a copy of all.
#[derive(Clone)]
struct Encoded {
    text: Arc<str>,
    tokens: Arc<Vec<ide::Token>>,
    data: Arc<Vec<SemanticToken>>,
}

impl TokensState {
    /// Remembers `encoded` as `uri`'s answer and returns its result id.
    fn remember(&self, uri: &Url, encoded: Encoded) -> String {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed).to_string();
        self.last.lock().unwrap_or_else(|e| e.into_inner()).insert(uri.clone(), (id.clone(), encoded));
        id
    }

    /// The last full answer for `uri` (under any result id).
    fn last(&self, uri: &Url) -> Option<Encoded> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).get(uri).map(|(_, encoded)| encoded.clone())
    }

    pub(super) fn forget(&self, uri: &Url) {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
        self.computed.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
    }

    /// All tokens of `file`, the document at `uri`.
    fn all(&self, uri: &Url, graph: &crate::graph::Graph, file: crate::graph::FileId) -> Arc<Vec<ide::Token>> {
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
        let encoded = self.encoded_file(&uri).await?;
        let data = encoded.data.to_vec();
        let result_id = Some(self.state.tokens.remember(&uri, encoded));
        Some(SemanticTokensResult::Tokens(SemanticTokens { result_id, data }))
    }

    pub(super) async fn on_semantic_tokens_full_delta(&self, params: SemanticTokensDeltaParams) -> Option<SemanticTokensFullDeltaResult> {
        let uri = params.text_document.uri;
        let encoded = self.encoded_file(&uri).await?;
        let previous = {
            let last = self.state.tokens.last.lock().unwrap_or_else(|e| e.into_inner());
            last.get(&uri).filter(|(id, _)| *id == params.previous_result_id).map(|(_, previous)| delta(&previous.data, &encoded.data))
        };
        let data = previous.is_none().then(|| encoded.data.to_vec());
        let result_id = Some(self.state.tokens.remember(&uri, encoded));
        // An unknown previous id (another server's, or forgotten): all of it.
        match (previous, data) {
            (Some(edits), _) => Some(SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta { result_id, edits })),
            (None, data) => Some(SemanticTokensFullDeltaResult::Tokens(SemanticTokens { result_id, data: data.unwrap_or_default() })),
        }
    }

    pub(super) async fn on_semantic_tokens_range(&self, params: SemanticTokensRangeParams) -> Option<SemanticTokensRangeResult> {
        let uri = &params.text_document.uri;
        let (graph, file) = self.graph_file(uri).await?;
        let encoding = self.encoding();
        let mut locator = Locator::new(&graph, encoding);
        let span = Span::new(locator.offset_or_end(file, params.range.start)?, locator.offset_or_end(file, params.range.end)?);
        let text = &graph.file(file)?.text();
        let data = encode(text, &ide::tokens(&graph, file, Some(span)), encoding, None);
        Some(SemanticTokensRangeResult::Tokens(SemanticTokens { result_id: None, data }))
    }

    /// All the document's tokens, encoded reusing the last answer's
    /// encoding where the tokens did not change.
    async fn encoded_file(&self, uri: &Url) -> Option<Encoded> {
        let (graph, file) = self.graph_file(uri).await?;
        let text = graph.file(file)?.text().clone();
        let tokens = self.state.tokens.all(uri, &graph, file);
        let data = encode(&text, &tokens, self.encoding(), self.state.tokens.last(uri).as_ref());
        Some(Encoded { text, tokens, data: Arc::new(data) })
    }
}

/// `tokens` of `text`, relative to each other. Of `last`, an earlier
/// answer's: a token that is where one of the last answer's was, as is
/// the token before it, with only text the edit left alone between and
/// before them, keeps that one's encoding (its kind and modifiers put in:
/// they say nothing of positions); only the others are encoded, from the
/// position of the token before them. A file has thousands of tokens: an
/// edit moves a few, and one that changes what a name is (a property
/// made a method) changes the kind of tokens all over the file but the
/// positions of none.
fn encode(text: &str, tokens: &[ide::Token], encoding: PositionEncoding, last: Option<&Encoded>) -> Vec<SemanticToken> {
    let (data, afresh) = encode_counted(text, tokens, encoding, last);
    tracing::debug!(tokens = tokens.len(), afresh, "tokens encoded");
    data
}

/// [`encode`], and how many tokens it encoded afresh.
fn encode_counted(text: &str, tokens: &[ide::Token], encoding: PositionEncoding, last: Option<&Encoded>) -> (Vec<SemanticToken>, usize) {
    // A token with no encoding (see `encode_from`) shifts the data.
    let Some(last) = last.filter(|last| last.data.len() == last.tokens.len()) else {
        return (encode_from(text, tokens, encoding, Lines::new(text, encoding), (0, 0)), tokens.len());
    };
    let (old, new) = (last.text.as_bytes(), text.as_bytes());
    let same_start = common_prefix(old, new);
    let same_end = common_suffix(&old[same_start..], &new[same_start..]);
    let (old_after, grown) = (old.len() - same_end, new.len() as i64 - old.len() as i64);
    // Where an old token is now, and on which side of the edit: before
    // it, or after it (moved); `None` in the text it changed.
    let now = |t: &ide::Token| -> Option<(Span, bool)> {
        if t.span.end as usize <= same_start {
            return Some((t.span, false));
        }
        let start = u32::try_from(i64::from(t.span.start) + grown).ok().filter(|_| t.span.start as usize >= old_after)?;
        Some((Span::new(start, start + (t.span.end - t.span.start)), true))
    };
    // The tokens before the edit that are where they were, and those
    // after it that only moved, keep their encoding (but the first of the
    // latter) without a search: most of a file's tokens.
    let prefix = last.tokens.iter().zip(tokens).take_while(|(a, b)| a.span == b.span && b.span.end as usize <= same_start).count();
    let suffix = (last.tokens[prefix..].iter().rev().zip(tokens[prefix..].iter().rev()))
        .take_while(|(a, b)| a.span.start as usize >= old_after && now(a).is_some_and(|(at, _)| at == b.span))
        .count();
    // Copied, and the kinds and modifiers that changed put in.
    let kept = |range: std::ops::Range<usize>, new: &[ide::Token]| -> Vec<SemanticToken> {
        let mut data = last.data[range.clone()].to_vec();
        for ((data, old), new) in data.iter_mut().zip(&last.tokens[range]).zip(new) {
            if (old.kind, old.modifiers) != (new.kind, new.modifiers) {
                (data.token_type, data.token_modifiers_bitset) = (token_type(new.kind), new.modifiers);
            }
        }
        data
    };
    let mut data = kept(0..prefix, &tokens[..prefix]);
    data.reserve(tokens.len() - prefix);
    // The last encoded token's position, and its start (`lines` stands
    // there, or is made to when a token is encoded after a kept one).
    let (mut line, mut character) = (0, 0);
    for t in &data {
        (line, character) = (line + t.delta_line, if t.delta_line == 0 { character + t.delta_start } else { t.delta_start });
    }
    let mut previous = prefix.checked_sub(1).map(|i| tokens[i].span.start);
    let mut lines: Option<Lines> = previous.is_none().then(|| Lines::new(text, encoding));
    // The old token the last new one was found at, with its side.
    let mut found: Option<(usize, bool)> = prefix.checked_sub(1).map(|j| (j, false));
    let (mut j, mut afresh) = (prefix, 0);
    // The first moved token is placed again, relative to what precedes it.
    let placed_to = tokens.len() - suffix.saturating_sub(1);
    for token in &tokens[prefix..placed_to] {
        while j < last.tokens.len() && now(&last.tokens[j]).is_none_or(|(at, _)| at.start < token.span.start) {
            j += 1;
        }
        let here = (j < last.tokens.len()).then(|| now(&last.tokens[j])).flatten().filter(|(at, _)| *at == token.span).map(|(_, after)| (j, after));
        let same = here.filter(|&(j, after)| match (j, found) {
            (0, _) => !after && data.is_empty(),
            (j, Some((before, side))) => before + 1 == j && side == after,
            _ => false,
        });
        found = here;
        if let Some((j, _)) = same {
            let old = last.data[j];
            (line, character) = (line + old.delta_line, if old.delta_line == 0 { character + old.delta_start } else { old.delta_start });
            data.push(SemanticToken { token_type: token_type(token.kind), token_modifiers_bitset: token.modifiers, ..old });
            (previous, lines) = (Some(token.span.start), None);
            continue;
        }
        let mut at = lines.take().unwrap_or_else(|| match previous {
            Some(start) => Lines::at(text, encoding, line as usize, start as usize),
            None => Lines::new(text, encoding),
        });
        let before = data.len();
        afresh += 1;
        (line, character) = encode_one(text, token, encoding, &mut at, (line, character), &mut data);
        if data.len() > before {
            previous = Some(token.span.start);
        } else {
            // Not encoded: the next token is not where the old one after
            // this was relative to what precedes it.
            found = None;
        }
        lines = Some(at);
    }
    let moved = suffix.saturating_sub(1);
    data.extend(kept(last.data.len() - moved..last.data.len(), &tokens[tokens.len() - moved..]));
    (data, afresh)
}

/// `tokens` relative to each other, the first relative to `(line,
/// character)`, where `lines` stands.
fn encode_from(text: &str, tokens: &[ide::Token], encoding: PositionEncoding, mut lines: Lines, (mut line, mut character): (u32, u32)) -> Vec<SemanticToken> {
    let mut data = Vec::with_capacity(tokens.len());
    for token in tokens {
        (line, character) = encode_one(text, token, encoding, &mut lines, (line, character), &mut data);
    }
    data
}

/// Pushes `token`'s encoding relative to the token at `(line,
/// character)`, where `lines` stands, and returns its own position (the
/// one given when it has none).
fn encode_one(
    text: &str,
    token: &ide::Token,
    encoding: PositionEncoding,
    lines: &mut Lines,
    (line, character): (u32, u32),
    data: &mut Vec<SemanticToken>,
) -> (u32, u32) {
    // Names are on one line; a token that is not cannot be encoded.
    let Some(name) = text.get(token.span.range()).filter(|name| !name.contains(['\n', '\r'])) else { return (line, character) };
    let (at_line, at_character) = lines.position(token.span.start as usize);
    let delta_line = at_line - line;
    data.push(SemanticToken {
        delta_line,
        delta_start: if delta_line == 0 { at_character - character } else { at_character },
        length: units(name, encoding) as u32,
        token_type: token_type(token.kind),
        token_modifiers_bitset: token.modifiers,
    });
    (at_line, at_character)
}

/// The legend's index of `kind`.
fn token_type(kind: TokenType) -> u32 {
    TokenType::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u32
}

/// Positions of increasing offsets of a text, found by walking its bytes
/// from one offset to the next (a file has thousands of tokens: a rope
/// built for each answer and asked at each line break was a tenth of a
/// delta's time). Lines end where LSP and the document's rope end them:
/// at `\n`, `\r\n` (after its `\n`) and a bare `\r`, not at a U+2028 in
/// a string.
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

    /// Standing at `at`, known to be on line `line`: its line's start is
    /// found by walking back to the line break before it.
    fn at(text: &'t str, encoding: PositionEncoding, line: usize, at: usize) -> Self {
        let bytes = text.as_bytes();
        let at = at.min(text.len());
        // A break ends at `end` when one starts at most two bytes before.
        let ends_at = |end: usize| (end.saturating_sub(2)..end).any(|i| line_break_end(bytes, i) == Some(end));
        let start = (1..=at).rev().find(|&end| ends_at(end)).unwrap_or(0);
        Self { text, encoding, line, start, at }
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
            if b != b'\n' && b != b'\r' {
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
/// `\r` (alone or before `\n`).
fn line_break_end(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes[i..] {
        [b'\r', b'\n', ..] => Some(i + 2),
        [b'\n' | b'\r', ..] => Some(i + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::semantic_tokens_delta::tests::applied;
    use super::*;

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
        // The rope's lines (LSP's: the separators in the text end none),
        // at every offset, walked forwards, by every second offset, and
        // backwards.
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

    /// A token for each word of `text`, a variable or (every third) a
    /// parameter, as the resolver might give them.
    fn words(text: &str) -> Vec<ide::Token> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (c.is_alphanumeric() || c == '_', start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let kind = if out.len() % 3 == 0 { TokenType::Parameter } else { TokenType::Variable };
                    out.push(ide::Token { span: Span::new(s as u32, i as u32), kind, modifiers: 0 });
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    proptest::proptest! {
        /// Encoded reusing the last answer's encoding, the tokens of an
        /// edited text are encoded as if afresh.
        #[test]
        fn an_encoding_reusing_the_last_equals_a_fresh_one(
            pieces in proptest::collection::vec(proptest::sample::select(vec!["ab ", "é", "😀x", "\r\n", "\n", "\r", "\u{2028}", "  c_d", "(e)", "\u{85}f"]), 0..40),
            edits in proptest::collection::vec((0..200usize, 0..4usize, proptest::sample::select(vec!["", "x", "\n", " y z", "é\r\n", "\u{2029}"])), 1..6),
            utf8 in proptest::bool::ANY,
        ) {
            let encoding = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
            let mut text: String = pieces.concat();
            let tokens = Arc::new(words(&text));
            let mut last = Encoded { data: Arc::new(encode(&text, &tokens, encoding, None)), text: Arc::from(text.as_str()), tokens };
            for (at, removed, typed) in edits {
                let start = text.char_indices().map(|(i, _)| i).chain([text.len()]).nth(at % (text.chars().count() + 1)).unwrap_or(0);
                let end = text[start..].char_indices().map(|(i, _)| start + i).chain([text.len()]).nth(removed).unwrap_or(text.len());
                text.replace_range(start..end, typed);
                let tokens = Arc::new(words(&text));
                let reused = encode(&text, &tokens, encoding, Some(&last));
                proptest::prop_assert_eq!(&reused, &encode(&text, &tokens, encoding, None), "{:?}", text);
                last = Encoded { data: Arc::new(reused), text: Arc::from(text.as_str()), tokens };
            }
        }
    }

    /// Edits `base` (a module of `/ws`, beside `APP`) with `typed` at
    /// each of `edits`, as the server does: after each, the tokens
    /// computed from the last, encoded reusing the last answer, sent as a
    /// delta and applied to the last answer, equal the file's tokens
    /// computed and encoded afresh; returns how many edits left the
    /// buffer with a syntax error.
    fn delta_applied_after(base: &str, typed: &[&str], edits: &[(usize, usize, usize)], encoding: PositionEncoding) -> usize {
        use crate::graph::local_tests::{APP, replace_at};
        let (lib, app) = (std::path::Path::new("/ws/lib.py"), std::path::Path::new("/ws/app.py"));
        let mut graph = crate::graph::tests::build(&[(lib.to_owned(), base.to_owned()), (app.to_owned(), APP.to_owned())]);
        let file = graph.file_id(lib).unwrap();
        let mut computed = ide::computed(&graph, file, None);
        let mut text = base.to_owned();
        let encoded = |text: &str, computed: &ide::Computed, data: Vec<SemanticToken>| Encoded {
            text: Arc::from(text),
            tokens: computed.tokens.clone(),
            data: Arc::new(data),
        };
        let mut last = encoded(&text, &computed, encode(&text, &computed.tokens, encoding, None));
        let mut broken = 0;
        for &(at, removed, which) in edits {
            text = replace_at(&text, at, removed, typed[which]);
            graph.update_file_deferred(lib, &text);
            broken += usize::from(graph.file(file).unwrap().syntax_errors > 0);
            computed = ide::computed(&graph, file, Some(&computed));
            let data = encode(&text, &computed.tokens, encoding, Some(&last));
            let full = encode(&text, &ide::tokens(&graph, file, None), encoding, None);
            assert_eq!(applied(&last.data, &delta(&last.data, &data)), full, "after the edit to {text:?}");
            last = encoded(&text, &computed, data);
            // The importers the edit left pending are re-linked before
            // the next edit, as the server does between requests.
            graph.flush_relinks();
        }
        broken
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

        /// Random edits of a module and of a class's methods (brackets,
        /// quotes and colons among them: buffers broken and mended):
        /// delta-applied tokens equal full ones.
        #[test]
        fn delta_applied_tokens_after_random_edits_equal_full_ones(
            edits in proptest::collection::vec((0..1024usize, 0..3usize, 0..16usize), 1..8),
            methods in proptest::bool::ANY,
            utf8 in proptest::bool::ANY,
        ) {
            use crate::graph::local_tests::{LIB, METHODS, TYPED, TYPED_IN_METHODS};
            let encoding = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
            match methods {
                true => delta_applied_after(METHODS, &TYPED_IN_METHODS, &edits, encoding),
                false => delta_applied_after(LIB, &TYPED, &edits, encoding),
            };
        }
    }

    /// The broken twin: a bracket opened in a method (the buffer does not
    /// parse: its summary is the recovered tree's), a name typed while it
    /// is open, then the bracket closed.
    #[test]
    fn delta_applied_tokens_of_a_broken_buffer_equal_full_ones() {
        use crate::graph::local_tests::{METHODS, TYPED_IN_METHODS};
        let at = METHODS.find("value = scaled(n)").unwrap() + "value = ".len();
        let piece = |typed: &str| TYPED_IN_METHODS.iter().position(|t| *t == typed).unwrap();
        let edits = [(at, 0, piece("scaled(")), (at + "scaled(".len(), 0, piece("_")), (at + "scaled(_scaled(n)".len(), 0, piece(")"))];
        assert_eq!(delta_applied_after(METHODS, &TYPED_IN_METHODS, &edits, PositionEncoding::Utf16), 2, "two of the edits leave it broken");
    }

    #[test]
    fn only_the_tokens_moved_against_their_neighbour_are_encoded_afresh() {
        let text = "a b\nc d\ne f\n";
        let tokens = Arc::new(words(text));
        let last = Encoded { data: Arc::new(encode(text, &tokens, PositionEncoding::Utf16, None)), text: Arc::from(text), tokens };
        // A line typed before `e`; `b` and `f` now another kind: the first
        // token after the new line is encoded again, the others keep their
        // encoding (kinds put in).
        let edited = "a b\nc d\nnew\ne f\n";
        let mut tokens = words(edited);
        tokens.retain(|t| &edited[t.span.range()] != "new");
        for t in tokens.iter_mut().filter(|t| matches!(&edited[t.span.range()], "b" | "f")) {
            t.kind = TokenType::Class;
        }
        let (reused, afresh) = encode_counted(edited, &tokens, PositionEncoding::Utf16, Some(&last));
        assert_eq!(reused, encode(edited, &tokens, PositionEncoding::Utf16, None));
        assert_eq!(afresh, 1, "only `e`, the first token after the edit");
        // A token gone before the edit (a name no longer resolved): the
        // token after it is encoded again, the next keeps its encoding.
        let mut tokens = words(edited);
        tokens.retain(|t| !matches!(&edited[t.span.range()], "new" | "b"));
        let (reused, afresh) = encode_counted(edited, &tokens, PositionEncoding::Utf16, Some(&last));
        assert_eq!(reused, encode(edited, &tokens, PositionEncoding::Utf16, None));
        assert_eq!(afresh, 2, "`c`, after the token gone, and `e`, after the edit: not `d`");
        // Must still encode afresh: a token whose neighbour before it moved.
        let moved = "a b\nc  d\ne f\n";
        let (reused, afresh) = encode_counted(moved, &words(moved), PositionEncoding::Utf16, Some(&last));
        assert_eq!(reused, encode(moved, &words(moved), PositionEncoding::Utf16, None));
        assert_eq!(afresh, 1, "only `d`, moved on its line");
    }
}
