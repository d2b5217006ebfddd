//! Unified diffs (`--- a/x.py`, `+++ b/x.py`, `@@ -4,2 +4,2 @@`), read into
//! hunks. Models get hunk line numbers wrong more often than lines, so the
//! numbers are ignored: each hunk is placed by its lines ([`super::apply`]).

use super::{FileEdit, Hunk, Line};

/// The hunks of `diff`, by the file each `+++` line names.
pub fn parse(diff: &str) -> Result<Vec<FileEdit>, String> {
    let mut edits: Vec<FileEdit> = Vec::new();
    let mut path: Option<String> = None;
    for line in diff.lines() {
        if let Some(named) = line.strip_prefix("+++ ") {
            path = Some(named.split('\t').next().unwrap_or(named).trim().to_owned());
            continue;
        }
        if line.starts_with("--- ") || line.starts_with("diff ") || line.starts_with("index ") || line.starts_with('\\') {
            continue;
        }
        if line.starts_with("@@") {
            match edits.last_mut() {
                Some(edit) if edit.path == path => edit.hunks.push(Hunk::default()),
                _ => edits.push(FileEdit { path: path.clone(), hunks: vec![Hunk::default()] }),
            }
            continue;
        }
        let Some(hunk) = edits.last_mut().and_then(|e| e.hunks.last_mut()) else { continue };
        hunk.lines.push(match line.chars().next() {
            Some('+') => Line::Add(line[1..].to_owned()),
            Some('-') => Line::Remove(line[1..].to_owned()),
            Some(' ') => Line::Keep(line[1..].to_owned()),
            // Editors and models drop the space of empty context lines.
            None => Line::Keep(String::new()),
            Some(_) => return Err(format!("the diff has a line that is not context, `+` or `-`: {line:?}")),
        });
    }
    if edits.iter().all(|e| e.hunks.is_empty()) {
        return Err("the diff has no hunks".to_owned());
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::apply_for;
    use super::*;

    const FILE: &str = "import os\n\n\ndef f():\n    ...\n\n\ndef g():\n    return 1\n";

    fn apply(diff: &str) -> Result<String, String> {
        apply_for(Path::new("/w/m.py"), FILE, &parse(diff)?)
    }

    #[test]
    fn hunks_are_placed_by_their_lines_whatever_their_numbers() {
        let diff = "--- a/m.py\n+++ b/m.py\n@@ -40,2 +40,2 @@\n def f():\n-    ...\n+    return os.sep\n";
        assert_eq!(apply(diff).unwrap(), FILE.replace("    ...", "    return os.sep"));
        let two = "@@ -4,2 +4,2 @@\n def f():\n-    ...\n+    return 0\n@@ -8,2 +8,2 @@\n def g():\n-    return 1\n+    return 2\n";
        assert_eq!(apply(two).unwrap(), FILE.replace("    ...", "    return 0").replace("return 1", "return 2"));
        // No header numbers at all, and a blank context line without its space.
        let bare = "@@\n def f():\n-    ...\n+    return 0\n\n";
        assert_eq!(apply(bare).unwrap(), FILE.replace("    ...", "    return 0"));
    }

    #[test]
    fn a_diff_that_does_not_fit_is_refused() {
        assert!(apply("@@ -1 +1 @@\n-def h():\n+def k():\n").unwrap_err().contains("does not match"));
        assert!(apply("no hunks").is_err());
        assert!(apply("--- a/other.py\n+++ b/other.py\n@@ -1 +1 @@\n-import os\n+import sys\n").unwrap_err().contains("the edit is for b/other.py"));
    }
}
