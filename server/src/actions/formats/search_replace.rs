//! aider's SEARCH/REPLACE blocks, with or without the file's path on the
//! line before (and with or without a fence around them):
//!
//! ```text
//! shop/cart.py
//! <<<<<<< SEARCH
//!         ...
//! =======
//!         return 1
//! >>>>>>> REPLACE
//! ```

use super::{FileEdit, Hunk, Line};

fn marker(line: &str, c: char, word: &str) -> bool {
    let t = line.trim();
    let n = t.chars().take_while(|&x| x == c).count();
    (5..=9).contains(&n) && t[n..].trim() == word
}

/// The blocks of `reply`, or `None` when it has none.
pub fn parse(reply: &str) -> Option<Result<Vec<FileEdit>, String>> {
    let lines: Vec<&str> = reply.lines().collect();
    let mut edits: Vec<FileEdit> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !marker(lines[i], '<', "SEARCH") {
            i += 1;
            continue;
        }
        let path = lines[..i].iter().rev().map(|l| l.trim()).find(|l| !l.is_empty() && !l.starts_with("```") && !l.starts_with("~~~")).filter(|l| is_path(l));
        let Some(divider) = (i + 1..lines.len()).find(|&j| marker(lines[j], '=', "")) else {
            return Some(Err("a SEARCH block has no ======= line".to_owned()));
        };
        let Some(end) = (divider + 1..lines.len()).find(|&j| marker(lines[j], '>', "REPLACE")) else {
            return Some(Err("a SEARCH block has no >>>>>>> REPLACE line".to_owned()));
        };
        let mut hunk = Hunk::default();
        hunk.lines.extend(lines[i + 1..divider].iter().map(|l| Line::Remove((*l).to_owned())));
        hunk.lines.extend(lines[divider + 1..end].iter().map(|l| Line::Add((*l).to_owned())));
        let path = path.map(|p| p.trim_matches('`').to_owned());
        match edits.last_mut() {
            Some(edit) if edit.path == path => edit.hunks.push(hunk),
            _ => edits.push(FileEdit { path, hunks: vec![hunk] }),
        }
        i = end + 1;
    }
    (!edits.is_empty()).then_some(Ok(edits))
}

/// A line naming a file (`shop/cart.py`, `` `cart.py` ``), not prose.
fn is_path(line: &str) -> bool {
    let line = line.trim_matches('`').trim_end_matches(':');
    !line.contains(char::is_whitespace) && (line.ends_with(".py") || line.ends_with(".pyi"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::apply_for;
    use super::*;

    const FILE: &str = "def f():\n    ...\n\n\ndef g():\n    ...\n";

    fn apply(reply: &str) -> Result<String, String> {
        apply_for(Path::new("/w/shop/m.py"), FILE, &parse(reply).expect("blocks")?)
    }

    #[test]
    fn blocks_with_and_without_a_path_apply() {
        let expected = FILE.replacen("def f():\n    ...", "def f():\n    return 1", 1);
        let with_path = "Here:\n\nshop/m.py\n```python\n<<<<<<< SEARCH\ndef f():\n    ...\n=======\ndef f():\n    return 1\n>>>>>>> REPLACE\n```\n";
        assert_eq!(apply(with_path).unwrap(), expected);
        let bare = "<<<<<<< SEARCH\ndef f():\n    ...\n=======\ndef f():\n    return 1\n>>>>>>> REPLACE\n";
        assert_eq!(apply(bare).unwrap(), expected);
        // Two blocks, one per function.
        let two = format!("{bare}\n<<<<<<< SEARCH\ndef g():\n    ...\n=======\ndef g():\n    return 2\n>>>>>>> REPLACE\n");
        assert_eq!(apply(&two).unwrap(), expected.replace("def g():\n    ...", "def g():\n    return 2"));
    }

    #[test]
    fn blocks_that_do_not_fit_are_refused() {
        assert_eq!(parse("no blocks here"), None);
        assert!(apply("<<<<<<< SEARCH\n    ...\n=======\n    return 1\n>>>>>>> REPLACE\n").unwrap_err().contains("ambiguous"));
        assert!(apply("<<<<<<< SEARCH\ndef f():\n=======\n").unwrap_err().contains("no >>>>>>> REPLACE"));
        assert!(apply("other.py\n<<<<<<< SEARCH\ndef f():\n=======\ndef h():\n>>>>>>> REPLACE\n").unwrap_err().contains("the edit is for other.py"));
    }
}
