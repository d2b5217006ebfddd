//! textDocument/hover: the graph's explanation of the name under the cursor,
//! in Markdown or, for clients that ask for it (`contentFormat:
//! ["plaintext"]`, eglot without markdown-mode), as plain text.

use std::sync::atomic::Ordering;

use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::graph::explain;

impl Backend {
    pub(super) async fn on_hover(&self, params: HoverParams) -> Option<Hover> {
        let (graph, file, offset) = self.graph_at(&params.text_document_position_params).await?;
        let markdown = explain::hover(&graph, file, offset)?;
        let range = graph
            .file(file)?
            .summary
            .references
            .iter()
            .flat_map(|r| r.segments().map(|(_, span)| span))
            .find(|span| span.touches(offset))
            .and_then(|span| Locator::new(&graph, self.encoding()).range(file, span));
        let contents = if self.state.hover_plaintext.load(Ordering::Relaxed) {
            MarkupContent { kind: MarkupKind::PlainText, value: plain_text(&markdown) }
        } else {
            MarkupContent { kind: MarkupKind::Markdown, value: markdown }
        };
        Some(Hover { contents: HoverContents::Markup(contents), range })
    }
}

/// The explanation without Markdown syntax: code fences, bold markers,
/// inline code ticks, backslash escapes and `&nbsp;` indentation go; the
/// text, line breaks and list dashes stay.
fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&unescape(&line.replace("&nbsp;", " ").replace("**", "").replace('`', "")));
        }
        out.push('\n');
    }
    out
}

/// Drops the backslash of a Markdown escape (`\_` is `_`).
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn markdown_syntax_is_removed_and_text_kept() {
        let markdown = "```python\ndef total(cart: Cart) -> int\n```\n\nSum of `cart`, \\_\\_add\\_\\_.\n&nbsp;&nbsp;indented\n\n```pycon\n>>> x = `a`\n```\n\n**Callers (2):**\n- `shop.main` at main.py:3\n";
        expect_test::expect![[r#"
            def total(cart: Cart) -> int

            Sum of cart, __add__.
              indented

            >>> x = `a`

            Callers (2):
            - shop.main at main.py:3
        "#]]
        .assert_eq(&plain_text(markdown));
    }
}
