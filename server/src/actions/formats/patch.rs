//! OpenAI's patch format (what `apply_patch` takes):
//!
//! ```text
//! *** Begin Patch
//! *** Update File: shop/cart.py
//! @@ class Cart:
//! @@     def total(self):
//!          """The price of everything in the cart."""
//! -        ...
//! +        return 1
//! *** End Patch
//! ```
//!
//! `@@` lines name the lines a hunk comes after (its anchors). A file the
//! patch adds beside the update (a test file, a helper module) is not
//! written: only the target is edited, and the checks refuse an update
//! that needs the added file. Deleting or moving files is refused.

use super::{FileEdit, Hunk, Line};

/// The hunks of the patch in `reply`, or `None` when it holds none.
pub fn parse(reply: &str) -> Option<Result<Vec<FileEdit>, String>> {
    let start = reply.lines().position(|l| l.trim() == "*** Begin Patch")?;
    let mut edits: Vec<FileEdit> = Vec::new();
    // Whether the last line was an `@@` line (anchors accumulate).
    let mut anchoring = false;
    // In the lines of an `*** Add File:`.
    let mut adding = false;
    for line in reply.lines().skip(start + 1) {
        let trimmed = line.trim_end();
        if trimmed == "*** End Patch" {
            break;
        }
        if let Some(path) = trimmed.strip_prefix("*** Update File:") {
            edits.push(FileEdit { path: Some(path.trim().to_owned()), hunks: Vec::new() });
            (anchoring, adding) = (false, false);
            continue;
        }
        if trimmed.starts_with("*** Add File:") {
            adding = true;
            continue;
        }
        if adding && !trimmed.starts_with("***") {
            continue;
        }
        if let Some(op) = ["*** Delete File:", "*** Move to:"].iter().find(|op| trimmed.starts_with(**op)) {
            return Some(Err(format!("the patch uses `{}`; only `*** Update File:` of the target's file is an edit of it", op.trim_end_matches(':'))));
        }
        if trimmed.starts_with("***") || trimmed.starts_with("```") {
            continue; // `*** End of File`, a fence around the patch
        }
        let Some(edit) = edits.last_mut() else { continue };
        if let Some(anchor) = trimmed.strip_prefix("@@") {
            if !anchoring || edit.hunks.is_empty() {
                edit.hunks.push(Hunk::default());
            }
            anchoring = true;
            let anchor = anchor.strip_prefix(' ').unwrap_or(anchor);
            if let (Some(hunk), false) = (edit.hunks.last_mut(), anchor.trim().is_empty()) {
                hunk.anchors.push(anchor.to_owned());
            }
            continue;
        }
        anchoring = false;
        if edit.hunks.is_empty() {
            edit.hunks.push(Hunk::default());
        }
        let hunk = edit.hunks.last_mut().expect("pushed above");
        hunk.lines.push(match line.chars().next() {
            Some('+') => Line::Add(line[1..].to_owned()),
            Some('-') => Line::Remove(line[1..].to_owned()),
            Some(' ') => Line::Keep(line[1..].to_owned()),
            None => Line::Keep(String::new()),
            Some(_) => return Some(Err(format!("the patch has a line that is not context, `+` or `-`: {line:?}"))),
        });
    }
    if edits.iter().all(|e| e.hunks.is_empty()) {
        return Some(Err("the patch has no `*** Update File:` with changes".to_owned()));
    }
    Some(Ok(edits))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::apply_for;
    use super::*;

    const FILE: &str = "class Cart:\n    def add(self):\n        ...\n\n    def total(self):\n        \"\"\"Sum.\"\"\"\n        ...\n";

    fn apply(reply: &str) -> Result<String, String> {
        apply_for(Path::new("/w/shop/cart.py"), FILE, &parse(reply).expect("a patch")?)
    }

    #[test]
    fn anchored_hunks_apply() {
        let expected = FILE.replace("\"\"\"Sum.\"\"\"\n        ...", "\"\"\"Sum.\"\"\"\n        return 1");
        let anchored =
            "*** Begin Patch\n*** Update File: shop/cart.py\n@@ class Cart:\n@@     def total(self):\n-        ...\n+        return 1\n*** End Patch\n";
        assert_eq!(apply(anchored).unwrap(), expected);
        let context = "```\n*** Begin Patch\n*** Update File: shop/cart.py\n@@\n         \"\"\"Sum.\"\"\"\n-        ...\n+        return 1\n*** End of File\n*** End Patch\n```";
        assert_eq!(apply(context).unwrap(), expected);
    }

    #[test]
    fn a_file_added_beside_the_update_is_not_written() {
        let patch = "*** Begin Patch\n*** Add File: tests/test_cart.py\n+def test_total():\n+    assert True\n*** Update File: shop/cart.py\n@@     def total(self):\n         \"\"\"Sum.\"\"\"\n-        ...\n+        return 1\n*** End Patch\n";
        assert_eq!(apply(patch).unwrap(), FILE.replace("\"\"\"Sum.\"\"\"\n        ...", "\"\"\"Sum.\"\"\"\n        return 1"));
    }

    #[test]
    fn patches_that_are_no_edit_of_the_file_are_refused() {
        assert_eq!(parse("```python\nx = 1\n```"), None);
        assert!(apply("*** Begin Patch\n*** Add File: shop/new.py\n+x = 1\n*** End Patch").unwrap_err().contains("no `*** Update File:`"));
        assert!(apply("*** Begin Patch\n*** Delete File: shop/old.py\n*** End Patch").unwrap_err().contains("`*** Delete File`"));
        assert!(apply("*** Begin Patch\n*** Update File: shop/cart.py\n-        ...\n+        return 1\n*** End Patch").unwrap_err().contains("ambiguous"));
        assert!(apply("*** Begin Patch\n*** End Patch").unwrap_err().contains("no `*** Update File:`"));
    }
}
