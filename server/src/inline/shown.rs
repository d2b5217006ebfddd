//! Type-through: while the user types the characters of the suggestion on
//! screen, the rest of it is served again without asking the model.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Suggestion;
use crate::graph::content_hash;

/// The last suggestion shown in a file, and the text around it then.
#[derive(Debug, Clone)]
pub struct Shown {
    path: PathBuf,
    start: usize,
    text: String,
    /// The bytes after the cursor the suggestion replaces (an auto-closed `)`).
    replaced: String,
    before: u64,
    after: u64,
}

impl Shown {
    /// Remembers `suggestion`, shown in `buffer` (the text of `path`).
    pub fn new(path: &Path, buffer: &str, suggestion: &Suggestion) -> Option<Shown> {
        let Range { start, end } = suggestion.replace.clone();
        Some(Shown {
            path: path.to_owned(),
            start,
            text: suggestion.text.clone(),
            replaced: buffer.get(start..end)?.to_owned(),
            before: content_hash(buffer.get(..start)?),
            after: content_hash(buffer.get(end..)?),
        })
    }

    /// The rest of the suggestion for the cursor at `offset` of `buffer`,
    /// when everything typed since it was shown is its beginning and the
    /// text around it is unchanged; `None` once it is typed in full.
    pub fn rest(&self, path: &Path, buffer: &str, offset: usize) -> Option<Suggestion> {
        if path != self.path || offset < self.start {
            return None;
        }
        let typed = buffer.get(self.start..offset)?;
        let rest = self.text.strip_prefix(typed).filter(|rest| !rest.is_empty())?;
        let end = offset + self.replaced.len();
        let unchanged = content_hash(buffer.get(..self.start)?) == self.before
            && buffer.get(offset..end)? == self.replaced
            && content_hash(buffer.get(end..)?) == self.after;
        unchanged.then(|| Suggestion { text: rest.to_owned(), replace: offset..end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_the_suggestion_serves_its_rest() {
        let path = Path::new("/w/a.py");
        let buffer = "x = f()\n";
        let shown = Shown::new(path, buffer, &Suggestion { text: "1, 2)".into(), replace: 6..7 }).unwrap();
        let typed = "x = f(1, )\n";
        assert_eq!(shown.rest(path, typed, 9), Some(Suggestion { text: "2)".into(), replace: 9..10 }));
        // Something else typed, the text around changed, another file, all typed.
        assert_eq!(shown.rest(path, "x = f(3)\n", 7), None);
        assert_eq!(shown.rest(path, "y = f(1, )\n", 9), None);
        assert_eq!(shown.rest(Path::new("/w/b.py"), typed, 9), None);
        assert_eq!(shown.rest(path, "x = f(1, 2))\n", 11), None);
    }
}
