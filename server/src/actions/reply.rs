//! Reading the code out of a model's reply, whatever its shape: fenced
//! blocks (with any info string: ```` ```python title="x.py" ````), a JSON
//! object with a `code` field, a unified diff, or bare code. Reasoning
//! (`<think>`, `<thinking>`, `<reasoning>` sections, or everything before a
//! lone closing tag) is dropped first: its drafts are not the answer. Which
//! block is the answer is decided later, by what it defines ([`super::merge`]).

use super::formats::{FileEdit, patch, search_replace};

/// One candidate answer in a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Python code.
    Code(String),
    /// A unified diff against the file.
    Diff(String),
    /// SEARCH/REPLACE blocks or a `*** Begin Patch` patch.
    Edits(Vec<FileEdit>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    #[error("the reply has no code: answer with a fenced ```python block")]
    NoCode,
    #[error("the reply's code block is not closed")]
    Unterminated,
    #[error("the reply's code block is empty")]
    Empty,
    #[error("{0}")]
    Edits(String),
}

const REASONING_TAGS: [&str; 3] = ["think", "thinking", "reasoning"];

/// The candidate answers in `reply`, in the order they appear.
pub fn blocks(reply: &str) -> Result<Vec<Block>, ReplyError> {
    let answer = strip_reasoning(reply);
    // Edit formats span fences (a path line before one), so they are read from the whole answer.
    if let Some(edits) = search_replace::parse(&answer).or_else(|| patch::parse(&answer)) {
        return edits.map(|e| vec![Block::Edits(e)]).map_err(ReplyError::Edits);
    }
    if let Some(code) = json_code(answer.trim()) {
        return code.map(|c| vec![Block::Code(c)]);
    }
    let (fenced, unterminated) = fenced_blocks(&answer);
    let mut found = Vec::new();
    let mut empty = false;
    for (language, body) in fenced {
        match language.as_str() {
            "diff" | "patch" | "udiff" => found.push(Block::Diff(body)),
            "json" => match json_code(body.trim()) {
                Some(Ok(code)) => found.extend(code_block(code)),
                Some(Err(_)) => empty = true,
                None => {}
            },
            "" | "python" | "py" | "python3" | "py3" | "pycon" => {
                if is_diff(&body) {
                    found.push(Block::Diff(body));
                } else if body.trim().is_empty() {
                    empty = true;
                } else {
                    found.push(Block::Code(body));
                }
            }
            _ => {}
        }
    }
    if !found.is_empty() {
        return Ok(found);
    }
    if unterminated {
        return Err(ReplyError::Unterminated);
    }
    if empty {
        return Err(ReplyError::Empty);
    }
    if is_diff(&answer) {
        return Ok(vec![Block::Diff(answer)]);
    }
    bare_code(&answer).map(|code| vec![Block::Code(code)]).ok_or(ReplyError::NoCode)
}

fn code_block(code: String) -> Option<Block> {
    (!code.trim().is_empty()).then_some(Block::Code(code))
}

/// `reply` without its reasoning sections.
pub fn strip_reasoning(reply: &str) -> String {
    let mut text = reply.to_owned();
    for tag in REASONING_TAGS {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        loop {
            let lower = text.to_ascii_lowercase();
            match (lower.find(&open), lower.find(&close)) {
                (Some(start), Some(end)) if start < end => text.replace_range(start..end + close.len(), ""),
                // Some servers drop the opening tag: all before the close is reasoning.
                (None, Some(end)) | (Some(_), Some(end)) => text.replace_range(..end + close.len(), ""),
                // Never closed: the answer did not begin.
                (Some(start), None) => text.truncate(start),
                (None, None) => break,
            }
        }
    }
    text
}

/// `Some` when `text` is a JSON object: its `code` field, or why not.
fn json_code(text: &str) -> Option<Result<String, ReplyError>> {
    let serde_json::Value::Object(map) = serde_json::from_str::<serde_json::Value>(text).ok()? else { return None };
    Some(match map.get("code").and_then(|c| c.as_str()) {
        Some(code) if !code.trim().is_empty() => Ok(code.to_owned()),
        Some(_) => Err(ReplyError::Empty),
        None => Err(ReplyError::NoCode),
    })
}

/// The fenced blocks as (language, body), and whether one was left open.
/// The language is the info string's first word (`python` in
/// ```` ```python title="x.py" ````, or in ```` ```python:x.py ````).
fn fenced_blocks(text: &str) -> (Vec<(String, String)>, bool) {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let fence_char = match trimmed.chars().next() {
            Some(c @ ('`' | '~')) => c,
            _ => continue,
        };
        let fence_len = trimmed.chars().take_while(|&c| c == fence_char).count();
        if fence_len < 3 {
            continue;
        }
        let info = trimmed[fence_len..].trim();
        let language =
            info.split(|c: char| c.is_whitespace() || matches!(c, ':' | '{' | ',')).next().unwrap_or_default().trim_start_matches('.').to_ascii_lowercase();
        let mut body = String::new();
        let mut closed = false;
        for line in lines.by_ref() {
            let t = line.trim();
            if t.len() >= fence_len && t.chars().all(|c| c == fence_char) {
                closed = true;
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        if !closed {
            return (blocks, true);
        }
        blocks.push((language, body));
    }
    (blocks, false)
}

/// A unified diff: a hunk header after `---`/`+++` file lines, or hunks alone.
fn is_diff(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim_end);
    let has_hunk = text.lines().any(|l| l.starts_with("@@ ") && l[3..].contains(" @@"));
    has_hunk && (text.lines().any(|l| l.starts_with("+++ ")) || lines.next().is_some_and(|l| l.starts_with("@@ ")))
}

/// Code without fences: the reply if it parses as Python, else the longest
/// part from the first line that starts code to a line that ends it.
fn bare_code(text: &str) -> Option<String> {
    let parses = |code: &str| !code.trim().is_empty() && ruff_python_parser::parse_module(code).is_ok();
    if parses(text) && text.lines().any(starts_code) {
        return Some(text.to_owned());
    }
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| starts_code(l))?;
    (start + 1..=lines.len()).rev().map(|end| lines[start..end].join("\n") + "\n").find(|code| parses(code))
}

fn starts_code(line: &str) -> bool {
    ["def ", "async def ", "class ", "import ", "from ", "@", "return ", "if ", "for ", "with ", "try:"].iter().any(|k| line.starts_with(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Block {
        Block::Code(text.to_owned())
    }

    #[test]
    fn every_block_is_a_candidate_whatever_its_info_string() {
        let reply =
            "Here you go:\n```text\nnot code\n```\n```python title=\"shop/cart.py\"\ndef f():\n    return 1\n```\nAnd a test:\n~~~py\nassert f() == 1\n~~~\n";
        assert_eq!(blocks(reply), Ok(vec![code("def f():\n    return 1\n"), code("assert f() == 1\n")]));
    }

    #[test]
    fn reasoning_and_its_drafts_are_dropped() {
        let reply = "<think>\nMaybe:\n```python\nreturn 0\n```\n</think>\n```python\nreturn 1\n```";
        assert_eq!(blocks(reply), Ok(vec![code("return 1\n")]));
        assert_eq!(blocks("draft ```python\nx\n```\n</think>\n```python\ny = 2\n```"), Ok(vec![code("y = 2\n")]));
        assert_eq!(blocks("<reasoning>never finished ```python\nx = 1\n"), Err(ReplyError::NoCode));
    }

    #[test]
    fn json_diffs_and_bare_code() {
        assert_eq!(blocks(r#"{"code": "x = 1\n"}"#), Ok(vec![code("x = 1\n")]));
        assert_eq!(blocks("```json\n{\"code\": \"x = 1\\n\"}\n```"), Ok(vec![code("x = 1\n")]));
        assert_eq!(blocks(r#"{"answer": 1}"#), Err(ReplyError::NoCode));
        let diff = "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n def f():\n-    ...\n+    return 1\n";
        assert_eq!(blocks(&format!("```diff\n{diff}```\n")), Ok(vec![Block::Diff(diff.to_owned())]));
        assert_eq!(blocks(diff), Ok(vec![Block::Diff(diff.to_owned())]));
        assert_eq!(blocks("Sure! Here it is:\n\ndef f():\n    return 1\n\nThis returns one."), Ok(vec![code("def f():\n    return 1\n\n")]));
    }

    #[test]
    fn edit_formats_are_read_whole() {
        let search = "cart.py\n```python\n<<<<<<< SEARCH\n    ...\n=======\n    return 1\n>>>>>>> REPLACE\n```";
        assert!(matches!(blocks(search).unwrap().as_slice(), [Block::Edits(e)] if e[0].path.as_deref() == Some("cart.py")));
        let patch = "Patch:\n*** Begin Patch\n*** Update File: cart.py\n@@ def f():\n-    ...\n+    return 1\n*** End Patch";
        assert!(matches!(blocks(patch).unwrap().as_slice(), [Block::Edits(e)] if e[0].hunks[0].anchors == ["def f():"]));
        assert_eq!(blocks("<<<<<<< SEARCH\nx\n"), Err(ReplyError::Edits("a SEARCH block has no ======= line".to_owned())));
    }

    #[test]
    fn prose_truncation_and_empty_blocks_are_errors() {
        assert_eq!(blocks("I cannot do that."), Err(ReplyError::NoCode));
        assert_eq!(blocks("```python\ndef f(:\n"), Err(ReplyError::Unterminated));
        assert_eq!(blocks("```python\n\n```"), Err(ReplyError::Empty));
    }
}
