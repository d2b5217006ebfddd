//! The edit formats models answer in besides code: unified diffs
//! ([`unified`]), aider's SEARCH/REPLACE blocks ([`search_replace`]) and
//! OpenAI's `*** Begin Patch` ([`patch`]). Each is read into hunks of
//! lines, applied to the file by content — line numbers are ignored, the
//! lines a hunk keeps and removes must occur exactly once — and the whole
//! file that results goes through the same structural merge and checks as
//! a reply of code. A hunk that matches nowhere, or in more than one place,
//! refuses the edit.

pub mod patch;
pub mod placeholders;
pub mod search_replace;
pub mod unified;

use std::path::Path;

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Keep(String),
    Remove(String),
    Add(String),
}

/// Lines to find in the file and what replaces them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hunk {
    /// Lines that come before the hunk, in order (`@@ class Cart` in a
    /// patch): the hunk is looked for after them.
    pub anchors: Vec<String>,
    pub lines: Vec<Line>,
}

impl Hunk {
    fn old(&self) -> Vec<&str> {
        self.lines.iter().filter_map(|l| if let Line::Keep(t) | Line::Remove(t) = l { Some(t.as_str()) } else { None }).collect()
    }
}

/// The hunks for one file (`path` as the reply names it, if it does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    pub path: Option<String>,
    pub hunks: Vec<Hunk>,
}

/// `original` (the text of `path`) with the edits that are for it applied.
/// Edits naming another file are not this action's; when every edit names
/// another file, the reply is refused.
pub fn apply_for(path: &Path, original: &str, edits: &[FileEdit]) -> Result<String, String> {
    let ours = |named: &str| {
        let named = named.trim().trim_start_matches("a/").trim_start_matches("b/").trim_start_matches("./");
        !named.is_empty() && (path.ends_with(named) || named == "/dev/null")
    };
    let mine: Vec<&FileEdit> = edits.iter().filter(|e| e.path.as_deref().is_none_or(ours)).collect();
    if mine.is_empty() {
        let named: Vec<&str> = edits.iter().filter_map(|e| e.path.as_deref()).collect();
        return Err(format!("the edit is for {}, not for {}", named.join(", "), path.display()));
    }
    // An edit of another module may be half of one change (a caller
    // updated to a new meaning): applied alone, this one would be wrong.
    // Tests the reply updates beside it are left to the tests action.
    let test_file = |named: &str| {
        let name = named.rsplit('/').next().unwrap_or(named);
        name.starts_with("test_") || name.ends_with("_test.py") || name == "conftest.py" || named.split('/').any(|part| part == "tests")
    };
    if let Some(other) = edits.iter().filter_map(|e| e.path.as_deref()).find(|named| !ours(named) && !test_file(named)) {
        return Err(format!(
            "the reply also edits {}, which this action does not write; an edit of {} that needs it would be half applied",
            other.trim(),
            path.display()
        ));
    }
    let hunks: Vec<&Hunk> = mine.iter().flat_map(|e| &e.hunks).collect();
    apply(original, &hunks)
}

/// `original` with `hunks` applied top to bottom.
pub fn apply(original: &str, hunks: &[&Hunk]) -> Result<String, String> {
    let mut lines: Vec<String> = original.lines().map(str::to_owned).collect();
    let mut from = 0;
    for (n, hunk) in hunks.iter().enumerate() {
        let start = after_anchors(&lines, &hunk.anchors, from).ok_or_else(|| format!("hunk {} of the edit: its anchor lines are not in the file", n + 1))?;
        let (at, len, replacement) = place(&lines, hunk, start).map_err(|e| format!("hunk {} of the edit {e}", n + 1))?;
        lines.splice(at..at + len, replacement.iter().cloned());
        from = at + replacement.len();
    }
    // `lines()` dropped each `\r`; a CRLF file is written back with CRLF
    // throughout, the lines the edit adds included.
    let eol = if original.contains("\r\n") { "\r\n" } else { "\n" };
    let mut text = lines.join(eol);
    if original.ends_with('\n') || original.is_empty() {
        text.push_str(eol);
    }
    Ok(text)
}

/// The first line after `anchors`, found in order from `from`.
fn after_anchors(lines: &[String], anchors: &[String], from: usize) -> Option<usize> {
    anchors.iter().try_fold(from, |at, anchor| {
        let anchor = clean(anchor);
        let found = lines[at.min(lines.len())..].iter().position(|l| clean(l).trim() == anchor.trim())?;
        Some(at + found + 1)
    })
}

/// Where `hunk` goes at or after `from`, how many lines it replaces and
/// with what. Its lines are matched exactly (trailing whitespace aside),
/// else with any indentation (the file's is kept), else with context lines
/// dropped from its ends (a context line the model misremembered) — but
/// always at exactly one place.
fn place(lines: &[String], hunk: &Hunk, from: usize) -> Result<(usize, usize, Vec<String>), String> {
    let old = hunk.old();
    if old.iter().all(|l| l.trim().is_empty()) {
        return Err("has no lines to find in the file (only additions): give the lines around it".to_owned());
    }
    let mut kept = hunk.lines.clone();
    loop {
        let shown = Hunk { anchors: Vec::new(), lines: kept.clone() };
        for loose in [false, true] {
            let found = matches(lines, &shown.old(), from, loose);
            match found.as_slice() {
                [at] => return Ok((*at, shown.old().len(), replacement(lines, &shown, *at))),
                [] => {}
                many => return Err(format!("is ambiguous: its lines occur {} times in the file; give more lines around the change", many.len())),
            }
        }
        // Drop one context line from the end, else from the start, while a removal or a context line is left.
        let droppable = |l: Option<&Line>| matches!(l, Some(Line::Keep(_)));
        let left = |k: &[Line]| k.iter().filter(|l| !matches!(l, Line::Add(_))).count() > 1;
        if droppable(kept.last()) && left(&kept) {
            kept.pop();
        } else if droppable(kept.first()) && left(&kept) {
            kept.remove(0);
        } else {
            return Err("does not match the file (its lines are not there)".to_owned());
        }
    }
}

fn matches(lines: &[String], old: &[&str], from: usize, loose: bool) -> Vec<usize> {
    let same = |a: &str, b: &str| {
        let (a, b) = (clean(a), clean(b));
        if loose { a.trim() == b.trim() } else { a.trim_end() == b.trim_end() }
    };
    if old.len() > lines.len() {
        return Vec::new();
    }
    (from.min(lines.len())..=lines.len() - old.len()).filter(|&i| old.iter().zip(&lines[i..]).all(|(a, b)| same(a, b))).collect()
}

/// The lines that replace the match at `at`: kept lines as the file has
/// them, added lines moved by the indentation the hunk got wrong.
fn replacement(lines: &[String], hunk: &Hunk, at: usize) -> Vec<String> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    // The indentation the hunk's first non-blank old line has, and the file's.
    let mut file_line = at;
    let mut shift: Option<(String, String)> = None;
    for line in &hunk.lines {
        if let Line::Keep(t) | Line::Remove(t) = line {
            if shift.is_none() && !t.trim().is_empty() {
                let (hunk_line, file) = (clean(t), &lines[file_line]);
                shift = Some((hunk_line[..indent(&hunk_line)].to_owned(), file[..indent(file)].to_owned()));
            }
            file_line += 1;
        }
    }
    let (from, to) = shift.unwrap_or_default();
    let mut out = Vec::new();
    let mut file_line = at;
    for line in &hunk.lines {
        match line {
            Line::Keep(_) => {
                out.push(lines[file_line].clone());
                file_line += 1;
            }
            Line::Remove(_) => file_line += 1,
            Line::Add(t) => {
                let t = clean(t);
                out.push(match t.strip_prefix(from.as_str()) {
                    Some(rest) if !t.trim().is_empty() => format!("{to}{rest}"),
                    _ => t,
                });
            }
        }
    }
    out
}

/// `line` with the invisible characters models put in indentation made
/// plain: a no-break space is a space, zero-width ones are nothing; the
/// `\r` of a CRLF reply goes too (the file's own ending is put back).
pub fn clean(line: &str) -> String {
    super::place::plain_whitespace(line.strip_suffix('\r').unwrap_or(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "class Cart:\n    def add(self, x):\n        ...\n\n    def total(self):\n        ...\n";

    fn hunk(lines: &[Line]) -> Hunk {
        Hunk { anchors: Vec::new(), lines: lines.to_vec() }
    }

    fn keep(t: &str) -> Line {
        Line::Keep(t.to_owned())
    }
    fn remove(t: &str) -> Line {
        Line::Remove(t.to_owned())
    }
    fn add(t: &str) -> Line {
        Line::Add(t.to_owned())
    }

    #[test]
    fn hunks_are_placed_by_content_exactly_once() {
        let total = hunk(&[keep("    def total(self):"), remove("        ..."), add("        return 1")]);
        assert_eq!(apply(FILE, &[&total]).unwrap(), FILE.replace("    def total(self):\n        ...", "    def total(self):\n        return 1"));
        // `...` alone occurs twice: ambiguous, refused.
        let bare = hunk(&[remove("        ..."), add("        return 1")]);
        assert!(apply(FILE, &[&bare]).unwrap_err().contains("is ambiguous: its lines occur 2 times"));
        // An anchor says which.
        let anchored = Hunk { anchors: vec!["    def total(self):".to_owned()], ..bare };
        assert_eq!(apply(FILE, &[&anchored]).unwrap(), apply(FILE, &[&total]).unwrap());
        assert!(apply(FILE, &[&hunk(&[remove("    def nothing():")])]).unwrap_err().contains("does not match the file"));
        assert!(apply(FILE, &[&hunk(&[add("x = 1")])]).unwrap_err().contains("only additions"));
    }

    #[test]
    fn wrong_indentation_and_a_misremembered_context_line_still_place() {
        // Dedented by the model: matched loosely, re-indented to the file's.
        let dedented = hunk(&[keep("def total(self):"), remove("    ..."), add("    return 1")]);
        assert_eq!(apply(FILE, &[&dedented]).unwrap(), FILE.replace("    def total(self):\n        ...", "    def total(self):\n        return 1"));
        // No-break and zero-width spaces in the indentation.
        let invisible = hunk(&[keep("\u{a0}\u{a0}\u{a0}\u{a0}def total(self):"), remove("\u{200b}        ..."), add("\u{a0}      \u{200b} return 1")]);
        assert_eq!(apply(FILE, &[&invisible]).unwrap(), apply(FILE, &[&dedented]).unwrap());
        // A context line that is not in the file is dropped from the end.
        let off = hunk(&[keep("    def total(self):"), remove("        ..."), add("        return 1"), keep("    # the end")]);
        assert_eq!(apply(FILE, &[&off]).unwrap(), apply(FILE, &[&dedented]).unwrap());
    }

    #[test]
    fn a_crlf_file_keeps_crlf_endings() {
        let crlf = FILE.replace('\n', "\r\n");
        let total = hunk(&[keep("    def total(self):"), remove("        ..."), add("        return 1")]);
        let expected = apply(FILE, &[&total]).unwrap().replace('\n', "\r\n");
        assert_eq!(apply(&crlf, &[&total]).unwrap(), expected);
        // The twin: an LF file gains no `\r`.
        assert!(!apply(FILE, &[&total]).unwrap().contains('\r'));
        // A hunk whose lines end in `\r` (read from a CRLF reply) still matches, and is still refused when ambiguous.
        let from_crlf_reply = hunk(&[keep("    def total(self):\r"), remove("        ...\r"), add("        return 1\r")]);
        assert_eq!(apply(&crlf, &[&from_crlf_reply]).unwrap(), expected);
        let bare = hunk(&[remove("        ...\r"), add("        return 1\r")]);
        assert!(apply(&crlf, &[&bare]).unwrap_err().contains("is ambiguous"));
    }

    #[test]
    fn edits_for_another_file_are_not_applied() {
        let edit = |path: &str| FileEdit {
            path: Some(path.to_owned()),
            hunks: vec![hunk(&[keep("    def total(self):"), remove("        ..."), add("        return 1")])],
        };
        let path = Path::new("/p/shop/cart.py");
        assert!(apply_for(path, FILE, &[edit("b/shop/cart.py")]).is_ok());
        assert_eq!(apply_for(path, FILE, &[edit("tests/test_cart.py")]).unwrap_err(), "the edit is for tests/test_cart.py, not for /p/shop/cart.py");
        // Only the edit for this file, of two: tests beside it are the tests action's.
        assert!(apply_for(path, FILE, &[edit("tests/test_cart.py"), edit("cart.py")]).is_ok());
        // Another module's edit may be half of the change: refused, not dropped.
        assert_eq!(
            apply_for(path, FILE, &[edit("shop/checkout.py"), edit("cart.py")]).unwrap_err(),
            "the reply also edits shop/checkout.py, which this action does not write; an edit of /p/shop/cart.py that needs it would be half applied"
        );
    }
}
