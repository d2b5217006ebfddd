//! Compression for tight budgets: comments and blank lines go, code,
//! strings and docstrings stay byte for byte.

use ruff_python_ast::PySourceType;
use ruff_python_ast::token::TokenKind;
use ruff_text_size::Ranged;

/// `source` without comments and blank lines. Lines inside string literals
/// (blank ones and ones that look like comments) are kept as they are. Works
/// on fragments too (an indented method, a half-typed function): the lexer
/// needs no valid program.
pub fn compress(source: &str) -> String {
    let parsed = ruff_python_parser::parse_unchecked_source(source, PySourceType::Python);
    let mut comments = Vec::new();
    let mut strings = Vec::new();
    for token in parsed.tokens().iter() {
        let range = token.range().start().to_usize()..token.range().end().to_usize();
        match token.kind() {
            TokenKind::Comment => comments.push(range),
            TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle => strings.push(range),
            _ => {}
        }
    }
    let inside_string = |offset: usize| strings.iter().any(|r| r.start < offset && offset < r.end);
    let mut out = String::with_capacity(source.len());
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let line_end = line_start + line.len();
        // A comment token is never inside a string (the lexer decided), so
        // one starting on this line is cut even where the line itself
        // starts inside a string (`"""  # end of template`).
        let comment = comments.iter().find(|c| c.start >= line_start && c.start < line_end).map(|c| c.start);
        let kept = match comment {
            Some(start) => source[line_start..start].trim_end(),
            None => line.trim_end_matches(['\n', '\r']),
        };
        if inside_string(line_start) {
            out.push_str(kept);
            out.push('\n');
        } else if !kept.trim().is_empty() {
            out.push_str(kept.trim_end());
            out.push('\n');
        }
        line_start = line_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn drops_comments_and_blank_lines_but_never_touches_strings() {
        let source = r#"#!/usr/bin/env python
def total(items):  # the sum
    """Add up.

    # not a comment: inside the docstring
    """

    # a real comment
    url = "http://example.com/#anchor"  # trailing
    text = '''
    keep this blank line above
    '''
    return sum(i.price for i in items)
"#;
        expect![[r#"
            def total(items):
                """Add up.

                # not a comment: inside the docstring
                """
                url = "http://example.com/#anchor"
                text = '''
                keep this blank line above
                '''
                return sum(i.price for i in items)
        "#]]
        .assert_eq(&compress(source));
    }

    #[test]
    fn works_on_an_indented_fragment() {
        assert_eq!(compress("    def f(self):\n\n        # c\n        return 1\n"), "    def f(self):\n        return 1\n");
    }
}
