//! Placeholder comments: models stand for code they leave out with a
//! comment in whatever syntax they last wrote (`// ... existing code ...`,
//! `# ... rest unchanged ...`, `/* ... */`, `<!-- ... -->`). Each is
//! written as one Python comment, [`MARK`], so the reply parses; where a
//! placeholder stands for code the edit would otherwise delete, the merge
//! refuses it.

/// How every placeholder reads once normalised.
const MARK: &str = "# ...";

const OPENERS: [&str; 5] = ["#", "//", "/*", "<!--", "--"];
const WORDS: [&str; 10] = ["existing", "unchanged", "rest", "same", "omitted", "other", "remaining", "previous", "before", "code"];

/// `code` with every placeholder comment line written [`MARK`], at its indentation.
pub fn normalise(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        if is_placeholder(text) {
            let indent = &text[..text.len() - text.trim_start().len()];
            out.push_str(indent);
            out.push_str(MARK);
            out.push_str(&line[text.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Whether `line` is a placeholder (after [`normalise`]).
pub fn is_mark(line: &str) -> bool {
    line.trim() == MARK
}

/// Whether `line` (a line of a rewritten body) stands for code left out in
/// words rather than dots: a comment alone, or after `pass` or `...`,
/// that speaks of the code as it was (`# rest unchanged`, `# existing
/// logic`, `pass  # existing code`, `# TODO: keep original computation`).
pub fn stands_for_code(line: &str) -> bool {
    if is_mark(line) {
        return true;
    }
    let t = line.trim();
    let comment = ["", "pass", "..."].iter().find_map(|code| t.strip_prefix(code).map(str::trim_start).and_then(|rest| rest.strip_prefix('#')));
    comment.is_some_and(|c| {
        let lower = c.to_lowercase();
        WORDS.iter().chain(&["original", "logic", "as is", "as before"]).any(|w| lower.contains(w))
    })
}

/// `code` without its placeholder lines (after [`normalise`]).
pub fn strip(code: &str) -> String {
    code.split_inclusive('\n').filter(|l| !is_mark(l)).collect()
}

fn is_placeholder(line: &str) -> bool {
    let t = line.trim();
    let Some(opener) = OPENERS.iter().find(|o| t.starts_with(**o)) else { return false };
    let body = t[opener.len()..].trim_end_matches("*/").trim_end_matches("-->").trim();
    let ellipsis = |s: &str| s.starts_with("...") || s.starts_with('…') || s.ends_with("...") || s.ends_with('…');
    let lower = body.to_lowercase();
    body.trim_matches(['.', '…', ' ']).is_empty() && !body.is_empty() || (ellipsis(body) && WORDS.iter().any(|w| lower.contains(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_any_comment_syntax_become_one() {
        let reply = "class Cart:\n    // ... existing code ...\n\n    def total(self):\n        # ... rest unchanged ...\n        /* ... */\n        <!-- … other methods … -->\n        -- ...\n        return 1  # a comment... that stays\n";
        let expected = "class Cart:\n    # ...\n\n    def total(self):\n        # ...\n        # ...\n        # ...\n        # ...\n        return 1  # a comment... that stays\n";
        assert_eq!(normalise(reply), expected);
        assert!(expected.lines().any(is_mark));
        assert_eq!(strip(expected), "class Cart:\n\n    def total(self):\n        return 1  # a comment... that stays\n");
        // Comments that are not placeholders stay.
        for line in ["# wait... this is subtle", "# TODO: the rest", "// not python", "x = 1  # ..."] {
            assert_eq!(normalise(line), line);
        }
    }
}
