//! Applying a model's unified diff to the file. Models get hunk line
//! numbers wrong more often than context lines, so each hunk is placed by
//! its context (the lines it keeps and removes), nearest to the line it
//! names; a hunk whose context is not in the file refuses the diff.

/// The file's text with `diff` applied, or why it does not apply.
pub fn apply(original: &str, diff: &str) -> Result<String, String> {
    let hunks = parse(diff)?;
    let mut lines: Vec<String> = original.lines().map(str::to_owned).collect();
    // Hunks apply top to bottom; `shift` tracks how earlier ones moved lines.
    let mut shift: isize = 0;
    let mut from = 0;
    for (n, hunk) in hunks.iter().enumerate() {
        let wanted = (hunk.old_start as isize - 1 + shift).max(0) as usize;
        let at = find(&lines, &hunk.old, from, wanted)
            .ok_or_else(|| format!("hunk {} of the diff does not match the file (its context lines are not there)", n + 1))?;
        lines.splice(at..at + hunk.old.len(), hunk.new.iter().cloned());
        shift += hunk.new.len() as isize - hunk.old.len() as isize;
        from = at + hunk.new.len();
    }
    let mut text = lines.join("\n");
    if original.ends_with('\n') || original.is_empty() {
        text.push('\n');
    }
    Ok(text)
}

struct Hunk {
    old_start: usize,
    /// The lines the hunk expects (context and removals) and leaves.
    old: Vec<String>,
    new: Vec<String>,
}

fn parse(diff: &str) -> Result<Vec<Hunk>, String> {
    let mut hunks: Vec<Hunk> = Vec::new();
    for line in diff.lines() {
        if let Some(header) = line.strip_prefix("@@ ") {
            let old_start =
                header.split_whitespace().next().and_then(|r| r.strip_prefix('-')).and_then(|r| r.split(',').next()).and_then(|n| n.parse().ok()).unwrap_or(1);
            hunks.push(Hunk { old_start, old: Vec::new(), new: Vec::new() });
            continue;
        }
        let Some(hunk) = hunks.last_mut() else { continue };
        if line.starts_with("--- ") || line.starts_with("+++ ") || line.starts_with("diff ") || line.starts_with("\\") {
            continue;
        }
        match line.chars().next() {
            Some('+') => hunk.new.push(line[1..].to_owned()),
            Some('-') => hunk.old.push(line[1..].to_owned()),
            Some(' ') => {
                hunk.old.push(line[1..].to_owned());
                hunk.new.push(line[1..].to_owned());
            }
            // Editors and models drop the space of empty context lines.
            None => {
                hunk.old.push(String::new());
                hunk.new.push(String::new());
            }
            Some(_) => return Err(format!("the diff has a line that is not context, `+` or `-`: {line:?}")),
        }
    }
    if hunks.is_empty() {
        return Err("the diff has no hunks".to_owned());
    }
    if hunks.iter().any(|h| h.old.is_empty()) {
        return Err("a hunk of the diff has no context lines to place it by".to_owned());
    }
    Ok(hunks)
}

/// Where `old` occurs in `lines` at or after `from`, nearest to `wanted`;
/// trailing whitespace does not count.
fn find(lines: &[String], old: &[String], from: usize, wanted: usize) -> Option<usize> {
    let same = |a: &str, b: &str| a.trim_end() == b.trim_end();
    (from..=lines.len().saturating_sub(old.len())).filter(|&i| old.iter().zip(&lines[i..]).all(|(a, b)| same(a, b))).min_by_key(|&i| i.abs_diff(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "import os\n\n\ndef f():\n    ...\n\n\ndef g():\n    return 1\n";

    #[test]
    fn hunks_are_placed_by_their_context_even_with_wrong_line_numbers() {
        let diff = "--- a/m.py\n+++ b/m.py\n@@ -40,2 +40,2 @@\n def f():\n-    ...\n+    return os.sep\n";
        assert_eq!(apply(FILE, diff).unwrap(), FILE.replace("    ...", "    return os.sep"));
        let two = "@@ -4,2 +4,2 @@\n def f():\n-    ...\n+    return 0\n@@ -8,2 +8,2 @@\n def g():\n-    return 1\n+    return 2\n";
        assert_eq!(apply(FILE, two).unwrap(), FILE.replace("    ...", "    return 0").replace("return 1", "return 2"));
    }

    #[test]
    fn a_diff_that_does_not_fit_is_refused() {
        assert!(apply(FILE, "@@ -1 +1 @@\n-def h():\n+def k():\n").unwrap_err().contains("does not match"));
        assert!(apply(FILE, "no hunks").is_err());
    }
}
