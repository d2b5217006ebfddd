//! `# noqa` for pyloom's own checks. ruff applies `# noqa` to its rules
//! itself; these directives are read the same way (a bare `# noqa` silences
//! a line, `# noqa: CODE, CODE` only those codes) for the `LOOM` codes ruff
//! does not know. A finding is silenced by a directive on the line where it
//! starts or the line where the token it ends in ends (so a secret inside a
//! triple-quoted string is silenced after the closing quotes, as in ruff).

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

use regex::Regex;
use ruff_python_ast::ModModule;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::Parsed;
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};

use super::{Edit, Finding};

static NOQA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?").expect("a valid pattern"));

#[derive(Clone, serde::Serialize, serde::Deserialize)]
enum Directive {
    All,
    /// The codes, and the byte offset just after the last one.
    Codes(Vec<String>, usize),
}

pub(super) struct Directives {
    index: LineIndex,
    by_line: FxHashMap<usize, Directive>,
    /// End offsets of tokens that span lines (strings), sorted.
    multiline_tokens: Vec<(usize, usize)>,
}

/// [`Directives`] without their line index, which the text rebuilds: what
/// the check cache stores of them.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Stored {
    by_line: FxHashMap<usize, Directive>,
    multiline_tokens: Vec<(usize, usize)>,
}

impl Directives {
    pub(super) fn line_index(&self) -> &LineIndex {
        &self.index
    }

    pub(super) fn to_stored(&self) -> Stored {
        Stored { by_line: self.by_line.clone(), multiline_tokens: self.multiline_tokens.clone() }
    }

    /// The directives stored from a text whose lines `index` holds; `None`
    /// when one points past the text's end (an entry of another text).
    pub(super) fn from_stored(stored: Stored, index: LineIndex, text_len: usize) -> Option<Directives> {
        let Stored { by_line, multiline_tokens } = stored;
        let inside = by_line.values().all(|d| !matches!(d, Directive::Codes(_, end) if *end > text_len))
            && multiline_tokens.iter().all(|(start, end)| start <= end && *end <= text_len);
        inside.then_some(Directives { index, by_line, multiline_tokens })
    }

    /// The directives of `source`, whose lines `index` holds.
    pub(super) fn parse(source: &str, parsed: &Parsed<ModModule>, index: LineIndex) -> Directives {
        let mut by_line = FxHashMap::default();
        let mut multiline_tokens = Vec::new();
        for token in parsed.tokens() {
            // Most tokens cannot hold a line break (newlines end a line
            // rather than span one): not searched, they were a visible share
            // of a check.
            let kind = token.kind();
            if kind.is_keyword()
                || kind.is_operator()
                || matches!(kind, TokenKind::Name | TokenKind::Newline | TokenKind::NonLogicalNewline | TokenKind::Indent | TokenKind::Dedent)
            {
                continue;
            }
            let range = token.range();
            let text = &source[range];
            if kind == TokenKind::Comment {
                if let Some(captures) = NOQA.captures(text) {
                    let directive = match captures.name("codes") {
                        Some(codes) => Directive::Codes(
                            codes.as_str().split([',', ' ', '\t']).filter(|c| !c.is_empty()).map(str::to_uppercase).collect(),
                            range.start().to_usize() + codes.end(),
                        ),
                        None => Directive::All,
                    };
                    by_line.insert(index.line_index(range.start()).get(), directive);
                }
            } else if text.contains('\n') {
                multiline_tokens.push((range.start().to_usize(), range.end().to_usize()));
            }
        }
        Directives { index, by_line, multiline_tokens }
    }

    pub(super) fn suppresses(&self, finding: &Finding) -> bool {
        self.names_any(finding, &[finding.code.as_str()])
    }

    /// Whether a directive on the finding's lines silences all or names one
    /// of `codes` (ruff's rules that report the same call as a flow finding:
    /// `# noqa: S605` silences LOOM621 also where ruff could not run them,
    /// in a file with a syntax error).
    pub(super) fn names_any(&self, finding: &Finding, codes: &[&str]) -> bool {
        [self.line(finding.range.start), self.line(self.anchor(finding.range.end))].into_iter().any(|line| match self.by_line.get(&line) {
            Some(Directive::All) => true,
            Some(Directive::Codes(named, _)) => named.iter().any(|n| codes.contains(&n.as_str())),
            None => false,
        })
    }

    /// An edit adding `finding`'s code to the line's `# noqa` directive,
    /// or a new directive at the end of the line.
    pub(super) fn suppression_edit(&self, source: &str, finding: &Finding) -> Edit {
        let anchor = self.anchor(finding.range.end);
        let line = self.line(anchor);
        if let Some(Directive::Codes(_, after_codes)) = self.by_line.get(&line) {
            return Edit { range: *after_codes..*after_codes, content: format!(", {}", finding.code) };
        }
        let line_end = source[anchor..].find(['\n', '\r']).map_or(source.len(), |i| anchor + i);
        let separator = if source[..line_end].ends_with(char::is_whitespace) { "" } else { "  " };
        Edit { range: line_end..line_end, content: format!("{separator}# noqa: {}", finding.code) }
    }

    /// Where a directive for `offset` goes: after the multi-line token (a
    /// triple-quoted string) that contains it, if any.
    fn anchor(&self, offset: usize) -> usize {
        let i = self.multiline_tokens.partition_point(|(start, _)| *start < offset);
        match i.checked_sub(1).map(|i| self.multiline_tokens[i]) {
            Some((_, end)) if offset <= end => end,
            _ => offset,
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.index.line_index(TextSize::new(u32::try_from(offset).unwrap_or(u32::MAX))).get()
    }
}
