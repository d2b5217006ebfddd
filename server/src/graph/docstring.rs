//! A docstring as Markdown for hovers. Docstrings are reStructuredText-ish
//! plain text: pasted into Markdown as they are, a doctest's `>>>` becomes a
//! nested quote that runs its lines together, and `*args` or `__init__`
//! turn into emphasis. Doctest sessions and indented literal blocks go into
//! code fences; the prose keeps its words, with Markdown's inline markers
//! escaped.

/// The docstring (already dedented) as Markdown.
pub fn to_markdown(doc: &str) -> String {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = String::with_capacity(doc.len() + 32);
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim_start().starts_with(">>>") {
            // A session runs to the next blank line: prompts and their output.
            let end = lines[i..].iter().position(|l| l.trim().is_empty()).map_or(lines.len(), |n| i + n);
            fence(&mut out, "pycon", &lines[i..end]);
            i = end;
        } else if is_literal_start(&lines, i) {
            // After a line ending in `::` (or `Example:`), the indented
            // block that follows is code.
            out.push_str(&escape(line));
            out.push('\n');
            i += 1;
            let blank = lines[i..].iter().take_while(|l| l.trim().is_empty()).count();
            let start = i + blank;
            let base = indent(line);
            let end = lines[start..].iter().position(|l| !l.trim().is_empty() && indent(l) <= base).map_or(lines.len(), |n| start + n);
            let end = end - lines[start..end].iter().rev().take_while(|l| l.trim().is_empty()).count();
            if end > start {
                out.push('\n');
                fence(&mut out, "python", &lines[start..end]);
            }
            i = end;
        } else {
            out.push_str(&escape(line));
            out.push('\n');
            i += 1;
        }
    }
    out.truncate(out.trim_end().len());
    out
}

fn is_literal_start(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim_end();
    let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
    line.ends_with("::") && next.is_some_and(|next| indent(next) > indent(line))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn fence(out: &mut String, language: &str, lines: &[&str]) {
    let common = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| indent(l)).min().unwrap_or(0);
    // A fence longer than any backtick run inside keeps the block closed.
    let ticks = "`".repeat(3.max(longest_backtick_run(lines) + 1));
    out.push_str(&format!("{ticks}{language}\n"));
    for line in lines {
        out.push_str(line.get(common..).unwrap_or("").trim_end());
        out.push('\n');
    }
    out.push_str(&ticks);
    out.push('\n');
}

fn longest_backtick_run(lines: &[&str]) -> usize {
    lines.iter().flat_map(|l| l.split(|c| c != '`')).map(str::len).max().unwrap_or(0)
}

/// Prose with the characters Markdown would read as markup escaped, and
/// leading indentation kept as text (four spaces would start a code block).
fn escape(line: &str) -> String {
    let body = line.trim_start();
    let mut out = "&nbsp;".repeat(indent(line).min(16) / 2);
    // Inside a code span (`x` or ``x``, as reStructuredText writes
    // literals) a backslash would show: those parts stay as written.
    let mut code_ticks: Option<usize> = None;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '`' {
            let mut run = 1;
            while chars.next_if_eq(&'`').is_some() {
                run += 1;
            }
            code_ticks = match code_ticks {
                None => Some(run),
                Some(open) if open == run => None,
                open => open,
            };
            out.push_str(&"`".repeat(run));
            continue;
        }
        if code_ticks.is_none() && matches!(c, '\\' | '*' | '_' | '#' | '<' | '>' | '[' | ']' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn doctest_sessions_are_fenced_and_prose_escaped() {
        let doc = "Sum of the items' costs, like __add__ over *items, see ``__iter__``.\n\n>>> total([1, 2])\n3\n>>> total([])\n0\n\nAfter.";
        expect_test::expect![[r#"
            Sum of the items' costs, like \_\_add\_\_ over \*items, see ``__iter__``.

            ```pycon
            >>> total([1, 2])
            3
            >>> total([])
            0
            ```

            After."#]]
        .assert_eq(&to_markdown(doc));
    }

    #[test]
    fn literal_blocks_after_double_colon_are_fenced() {
        let doc = "Use it so::\n\n    cart = Cart()\n    cart.add(x)\n\nThen:\n  - one";
        expect_test::expect![[r#"
            Use it so::

            ```python
            cart = Cart()
            cart.add(x)
            ```

            Then:
            &nbsp;- one"#]]
        .assert_eq(&to_markdown(doc));
    }

    #[test]
    fn backticks_inside_a_block_lengthen_the_fence() {
        let doc = ">>> print('```')\n```";
        expect_test::expect![[r#"
            ````pycon
            >>> print('```')
            ```
            ````"#]]
        .assert_eq(&to_markdown(doc));
    }
}
