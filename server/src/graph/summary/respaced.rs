//! Whitespace typed or removed between logical lines, or text typed in a
//! comment: code moved, not changed.
//!
//! A blank line in one of Django's 2,500-line classes re-summarised the
//! whole class (a top-level statement, see spliced.rs) only to find the
//! old summary moved: ~40% of a semantic-token delta's time after it.
//! When the edit replaces whitespace with whitespace, outside any bracket,
//! where a logical line starts or ends (so inside no expression, whose
//! text a summary may keep), and the statements around it lex to the same
//! tokens before and after (the line breaks of blank lines aside), the
//! file's tree is the old one moved: its summary is the old one moved.
//!
//! "Around it" is the innermost class or function holding the edit (its
//! lines, from the one it starts on), else the top-level statements
//! around it. Lexed alone, a function's lines see no enclosing
//! indentation; a lexical error (a line dedented to a level the function
//! does not know, which the file may know) refuses, and so does an edit
//! on its first line, whose indentation only the file can judge. Past
//! those, the lexer reads both texts alike wherever they agree, so equal
//! tokens here mean equal tokens in the file.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast};
use ruff_python_parser::{ParseErrorType, Parsed};
use ruff_text_size::Ranged;

use super::moved::TextEdit;
use super::spliced::{Region, Spliced};
use super::{DefinitionKind, FileSummary};

impl FileSummary {
    /// The summary of `new`, the text of this summary's `old` after an
    /// edit that only moved code (see the module's documentation), as a
    /// splice over the statements that were compared; `None` for any
    /// other edit. `source_type` is how both are parsed.
    pub fn respaced(&self, old: &str, new: &str, source_type: ast::PySourceType) -> Option<Spliced> {
        self.respace(old, new, source_type).ok()
    }

    /// [`FileSummary::respaced`], or why the edit may change code.
    pub(super) fn respace(&self, old: &str, new: &str, source_type: ast::PySourceType) -> Result<Spliced, &'static str> {
        if self.syntax_errors > 0 || old == new {
            return Err("no clean summary to move, or no edit");
        }
        let edit = TextEdit::between(old, new);
        let blank = |text: Option<&str>| text.is_some_and(|t| t.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')));
        let whitespace = blank(old.get(edit.start as usize..edit.old_end as usize)) && blank(new.get(edit.start as usize..edit.new_end as usize));
        // Or text typed in a comment (no line break: it stays one): no
        // summary reads comments.
        let no_break = |text: Option<&str>| text.is_some_and(|t| !t.contains(['\n', '\r']));
        if !whitespace && !(no_break(old.get(edit.start as usize..edit.old_end as usize)) && no_break(new.get(edit.start as usize..edit.new_end as usize))) {
            return Err("the edit is not whitespace only");
        }
        let region = self.lexed_around(old, edit).ok_or("no statement boundary around the edit")?;
        let before = lexed(old.get(region.start as usize..region.old_end as usize), source_type)?;
        let after = lexed(new.get(region.start as usize..region.new_end as usize), source_type)?;
        if whitespace {
            between_lines(&before, edit.start - region.start, edit.old_end - region.start)?;
        } else {
            in_comment(&before, edit.start - region.start, edit.old_end - region.start)?;
            in_comment(&after, edit.start - region.start, edit.new_end - region.start)?;
        }
        let tokens = |parsed: &Parsed<ast::ModModule>| {
            let text = parsed.tokens().iter().filter(|t| t.kind() != TokenKind::NonLogicalNewline);
            text.map(|t| (t.kind(), t.range())).collect::<Vec<_>>()
        };
        let (old_tokens, new_tokens) = (tokens(&before), tokens(&after));
        let old_text = &old[region.start as usize..];
        let new_text = &new[region.start as usize..];
        // The comment typed in is the one token whose text may differ.
        let same_text = |kind: TokenKind, a: &str, b: &str| a == b || !whitespace && kind == TokenKind::Comment;
        let same = old_tokens.len() == new_tokens.len()
            && old_tokens.iter().zip(&new_tokens).all(|((a, ra), (b, rb))| a == b && same_text(*a, &old_text[ra.to_std_range()], &new_text[rb.to_std_range()]));
        if !same {
            return Err("the statements around the edit lex to other tokens");
        }
        Ok(Spliced { summary: self.moved(old, new), region, edit })
    }

    /// The lines the edit's tokens are compared over: those of the
    /// innermost class or function that holds it past its first token
    /// (from the start of the line it starts on), else the top-level
    /// statements around it (from one before the edit to one after it, or
    /// the text's ends).
    fn lexed_around(&self, old: &str, edit: TextEdit) -> Option<Region> {
        let line_start = |offset: u32| old[..offset as usize].rfind(['\n', '\r']).map_or(0, |i| i as u32 + 1);
        let indentation_only = |offset: u32| old[line_start(offset) as usize..offset as usize].bytes().all(|b| b == b' ' || b == b'\t');
        let holder = self
            .definitions
            .iter()
            .filter(|d| d.kind != DefinitionKind::Variable && d.range.start < edit.start && edit.old_end <= d.range.end)
            .max_by_key(|d| d.range.start);
        let (start, old_end) = match holder {
            Some(d) if indentation_only(d.range.start) => (line_start(d.range.start), d.range.end),
            Some(_) => return None,
            None => {
                let at_line_start = |s: &&u32| line_start(**s) == **s;
                let start = self.statements.iter().filter(|&&s| s < edit.start).filter(at_line_start).max().copied().unwrap_or(0);
                // Past the edit: at its end, the statement's own indentation
                // may be what changed.
                let end = self.statements.iter().filter(|&&s| s > edit.old_end).filter(at_line_start).min().copied();
                (start, end.unwrap_or(old.len() as u32))
            }
        };
        Some(Region { start, old_end, new_end: old_end - edit.old_end + edit.new_end })
    }
}

/// `text` parsed for its tokens, unless the lexer found an error in it.
fn lexed(text: Option<&str>, source_type: ast::PySourceType) -> Result<Parsed<ast::ModModule>, &'static str> {
    let parsed = crate::syntax::parse_unchecked_source(text.ok_or("the region is no text")?, source_type);
    let unknown = parsed.tokens().iter().any(|t| t.kind() == TokenKind::Unknown);
    if unknown || parsed.errors().iter().any(|e| matches!(e.error, ParseErrorType::Lexical(_))) {
        return Err("the statements around the edit do not lex alone");
    }
    Ok(parsed)
}

/// That `start..end` of the text `parsed` lies inside one of its comments,
/// after its `#`.
fn in_comment(parsed: &Parsed<ast::ModModule>, start: u32, end: u32) -> Result<(), &'static str> {
    let inside = |t: &ruff_python_ast::token::Token| t.range().start().to_u32() < start && end <= t.range().end().to_u32();
    match parsed.tokens().iter().find(|t| inside(t)) {
        Some(token) if token.kind() == TokenKind::Comment => Ok(()),
        _ => Err("the edit is neither whitespace nor inside a comment"),
    }
}

/// That `start..end` of the text `parsed` lies between its tokens, outside
/// brackets, where a logical line starts or ends: inside no expression.
/// Text put right after a token other than a line break is refused: what
/// ends there (an assignment, where its names become visible) would move
/// with the text after it.
fn between_lines(parsed: &Parsed<ast::ModModule>, start: u32, end: u32) -> Result<(), &'static str> {
    let (mut depth, mut before, mut after) = (0i32, None, None);
    for token in parsed.tokens().iter() {
        let range = token.range();
        // The line break of a blank line is whitespace like the rest; a
        // dedent takes no room, before the token it precedes.
        if token.kind() == TokenKind::NonLogicalNewline && range.start().to_u32() < end && range.end().to_u32() > start || range.is_empty() {
            continue;
        }
        if range.end().to_u32() <= start {
            depth += match token.kind() {
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => 1,
                TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => -1,
                _ => 0,
            };
            before = Some((token.kind(), range.end().to_u32()));
        } else if range.start().to_u32() >= end {
            after = Some(token.kind());
            break;
        } else {
            return Err("the edit is inside a token");
        }
    }
    use TokenKind::{Comment, Dedent, Indent, Newline, NonLogicalNewline};
    let after_line_break = before.is_none_or(|(kind, _)| matches!(kind, Newline | NonLogicalNewline));
    let apart = before.is_none_or(|(_, at)| at < start) || start < end;
    let line_starts = before.is_some_and(|(kind, _)| matches!(kind, Indent | Dedent | Comment));
    let line_ends = after.is_none_or(|kind| matches!(kind, Newline | NonLogicalNewline | Comment));
    if depth != 0 {
        return Err("the edit is inside brackets");
    }
    if after_line_break {
        return Ok(());
    }
    if !apart {
        return Err("the edit puts text right after a token");
    }
    if !(line_starts || line_ends) {
        return Err("the edit is inside a logical line");
    }
    Ok(())
}
