//! Where an auto-imported name's import goes: ruff's isort (rule I001, with
//! the isort settings of the ruff configuration governing the file) decides.
//!
//! The file's header (docstring, comments and the top-level imports before
//! the first other statement) must parse and be sorted already, else no
//! auto-import is offered: a fix of the header would change more than the
//! one import. The new import is appended to the header, I001's fix sorts
//! it (merging it into an existing `from m import ...` when isort would),
//! and the edit is the one region where the fixed header differs from the
//! original.

use std::path::Path;

use crate::findings::{self, Config, FileCheck, NoqaEdits};
use crate::graph::Span;

/// An edit of the file: replace `span` with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportEdit {
    pub span: Span,
    pub text: String,
}

/// Places imports in one file's header.
pub struct ImportPlacer<'a> {
    path: &'a Path,
    text: &'a str,
    config: Config,
    /// Where an appended import goes: the end of the last import, or after
    /// the docstring and leading comments.
    append_at: usize,
    /// The header and the blank lines after it (what I001 looks at),
    /// followed by a stand-in for the next statement.
    header_end: usize,
    stand_in: &'static str,
}

impl<'a> ImportPlacer<'a> {
    /// `None` when imports cannot be placed safely in `text`: its header
    /// does not parse or is not sorted the way the configuration wants.
    pub fn new(path: &'a Path, text: &'a str, config: &Config) -> Option<Self> {
        let header = Header::scan(text, crate::notebook::Notebook::is_notebook(path))?;
        let next = &text[header.end..];
        // The statement after the header decides the blank lines isort
        // wants after it; a stand-in of its kind keeps the snippet parsable
        // whatever follows (the rest of the buffer may be mid-edit).
        let stand_in = if next.is_empty() {
            ""
        } else if ["def ", "async ", "class ", "@"].iter().any(|k| next.starts_with(k)) {
            "def _():\n    pass\n"
        } else {
            "pass\n"
        };
        let placer = ImportPlacer { path, text, config: config.import_sorting(), append_at: header.append_at, header_end: header.end, stand_in };
        let original = placer.snippet(None);
        let parsed = findings::parse(path, &original);
        if !parsed.has_valid_syntax() || placer.unsorted(&original).is_some() {
            return None;
        }
        Some(placer)
    }

    /// The edit that imports `name` from `module` (`None`: isort's answer
    /// is not a single insertion-like change of the header).
    pub fn edit(&self, module: &str, name: &str) -> Option<ImportEdit> {
        let line = format!("from {module} import {name}\n");
        let candidate = self.snippet(Some(&line));
        let fixed = match self.unsorted(&candidate) {
            None => candidate,
            Some(fix) => apply(&candidate, &fix)?,
        };
        let original = self.snippet(None);
        let (start, old_end, new_end) = changed_region(&original, &fixed);
        // The edit must stay inside the header: the stand-in is not the file.
        if old_end > self.header_end || start > old_end {
            return None;
        }
        // A notebook cell's magic (`%%time`) must stay the cell's first
        // line: IPython fails the cell otherwise. An import that would go
        // right above one is not offered (after it, the header would span
        // two cells).
        if self.text[old_end..].starts_with("%%") {
            return None;
        }
        Some(ImportEdit { span: Span::new(start as u32, old_end as u32), text: fixed[start..new_end].to_owned() })
    }

    /// The header with `line` appended to its imports, and the stand-in.
    fn snippet(&self, line: Option<&str>) -> String {
        let mut out = String::with_capacity(self.header_end + 64);
        out.push_str(&self.text[..self.append_at]);
        if let Some(line) = line {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(line);
        }
        out.push_str(&self.text[self.append_at..self.header_end]);
        out.push_str(self.stand_in);
        out
    }

    /// I001's fix for `snippet`, when its imports are not sorted.
    fn unsorted(&self, snippet: &str) -> Option<Vec<findings::Edit>> {
        let parsed = findings::parse(self.path, snippet);
        let found = FileCheck::new(self.path, snippet, &parsed, &self.config, NoqaEdits::Skip, &findings::PackageRoots::default()).finish(
            self.path,
            snippet,
            &self.config,
            None,
        );
        let finding = found.into_iter().find(|f| f.code == "I001")?;
        // A finding without a fix cannot be acted on: report it as an
        // unsortable header (an empty edit list fails `apply`).
        Some(finding.fix.map(|f| f.edits).unwrap_or_default())
    }
}

/// `text` with `edits` (non-overlapping) applied; `None` without edits.
fn apply(text: &str, edits: &[findings::Edit]) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| e.range.start);
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in &edits {
        out.push_str(text.get(at..edit.range.start)?);
        out.push_str(&edit.content);
        at = edit.range.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// The one region where `old` and `new` differ: `old[start..old_end]`
/// became `new[start..new_end]`, on line boundaries where possible so the
/// edit reads as whole lines.
fn changed_region(old: &str, new: &str) -> (usize, usize, usize) {
    let prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let (mut start, mut old_end, mut new_end) = (prefix, old.len() - suffix, new.len() - suffix);
    while !(old.is_char_boundary(start) && new.is_char_boundary(start)) {
        start -= 1;
    }
    while !(old.is_char_boundary(old_end) && new.is_char_boundary(new_end)) {
        old_end += 1;
        new_end += 1;
    }
    (start, old_end, new_end)
}

/// The module header of a file's text.
struct Header {
    append_at: usize,
    /// Where the first statement after the header starts (or the end).
    end: usize,
}

impl Header {
    /// `None` when the header is not plain: an indented line, or an
    /// import that is never closed; in a notebook's cell (`cell`), a
    /// leading string followed by an import (a string is no docstring in
    /// a cell: an import below it is E402's "not at top of cell", and one
    /// above it would make the cell's later imports so).
    fn scan(text: &str, cell: bool) -> Option<Header> {
        let mut at = 0;
        let mut append_at = 0;
        let mut seen_code = false;
        while at < text.len() {
            let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
            let line = &text[at..line_end];
            let trimmed = line.trim();
            if (trimmed.is_empty() || trimmed.starts_with('#')) && (!line.starts_with([' ', '\t']) || trimmed.is_empty()) {
                at = line_end;
                if !seen_code && trimmed.starts_with('#') {
                    append_at = at;
                }
                continue;
            }
            if line.starts_with([' ', '\t']) {
                return None;
            }
            // A cell's line magics and shell lines (`%load_ext autoreload`,
            // `!pip install x`) run first: its imports go below them, and
            // below the lines a `\` at a line's end continues them onto
            // (IPython joins those into the escape: an import there would
            // become its arguments).
            if cell && (line.starts_with('!') || (line.starts_with('%') && !line.starts_with("%%"))) {
                at = escape_end(text, at);
                if !seen_code {
                    append_at = at;
                }
                continue;
            }
            let is_docstring = !seen_code && ["\"", "'", "r\"", "r'"].iter().any(|q| line.starts_with(q));
            if is_docstring && cell {
                // The header ends above the string, where the import goes.
                let imports_after = text[at..].lines().any(|l| ["import ", "from "].iter().any(|k| l.trim_start().starts_with(k)));
                if imports_after {
                    return None;
                }
                break;
            }
            if is_docstring || line.starts_with("import ") || line.starts_with("from ") {
                let end = statement_end(text, at)?;
                seen_code = true;
                append_at = end;
                at = end;
                continue;
            }
            break;
        }
        Some(Header { append_at, end: at.min(text.len()) })
    }
}

/// The end (after its last line break) of the IPython escape line that
/// starts at `start`, with the lines a `\` at a line's end continues it onto.
fn escape_end(text: &str, start: usize) -> usize {
    let mut at = start;
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
        at = line_end;
        if !text[..line_end].trim_end_matches(['\n', '\r']).ends_with('\\') {
            break;
        }
    }
    at
}

/// The end (after its last line break) of the simple statement that starts
/// at `start`: brackets, strings and backslash continuations are followed.
fn statement_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\\' => i += 1,
            b'#' => i += text[i..].find('\n').unwrap_or(text.len() - i) - 1,
            q @ (b'"' | b'\'') => {
                let triple = bytes.get(i..i + 3).is_some_and(|s| s.iter().all(|&b| b == q));
                let close = if triple { &text[i..i + 3] } else { &text[i..i + 1] };
                let from = i + close.len();
                let found = text[from..].find(close)?;
                i = from + found + close.len() - 1;
            }
            b'\n' if depth == 0 => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    (depth == 0).then_some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::LintSettings;

    fn placed(text: &str, ruff_toml: &str, module: &str, name: &str) -> String {
        placed_in("app.py", text, ruff_toml, module, name)
    }

    /// The import placed in `text`, the code of a file named `file` (a
    /// notebook's cell when it is an `.ipynb`).
    fn placed_in(file: &str, text: &str, ruff_toml: &str, module: &str, name: &str) -> String {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ruff.toml"), ruff_toml).expect("ruff.toml");
        std::fs::create_dir_all(dir.path().join("shop")).expect("package");
        std::fs::write(dir.path().join("shop/__init__.py"), "").expect("package");
        let path = dir.path().join(file);
        let (config, _) = Config::load(dir.path(), &LintSettings::default());
        let Some(placer) = ImportPlacer::new(&path, text, &config) else { return "refused".to_owned() };
        let Some(edit) = placer.edit(module, name) else { return "no edit".to_owned() };
        let mut out = text.to_owned();
        out.replace_range(edit.span.range(), &edit.text);
        out
    }

    #[test]
    fn sorted_into_the_first_party_section() {
        let text = "\"\"\"Doc.\"\"\"\n\nimport os\n\nfrom shop.models import Item\n\n\ndef f():\n    return Ca\n";
        assert_eq!(
            placed(text, "", "shop.cart", "Cart"),
            "\"\"\"Doc.\"\"\"\n\nimport os\n\nfrom shop.cart import Cart\nfrom shop.models import Item\n\n\ndef f():\n    return Ca\n"
        );
    }

    #[test]
    fn merged_into_an_existing_from_import() {
        let text = "from shop.models import Item\n\nx = Or\n";
        assert_eq!(placed(text, "", "shop.models", "Order"), "from shop.models import Item, Order\n\nx = Or\n");
        let single = "[lint.isort]\nforce-single-line = true\n";
        assert_eq!(placed(text, single, "shop.models", "Order"), "from shop.models import Item\nfrom shop.models import Order\n\nx = Or\n");
    }

    #[test]
    fn a_file_without_imports_gets_them_after_the_docstring() {
        assert_eq!(placed("\"\"\"Doc.\"\"\"\nx = Ca\n", "", "shop.cart", "Cart"), "\"\"\"Doc.\"\"\"\nfrom shop.cart import Cart\n\nx = Ca\n");
        assert_eq!(placed("x = Ca\n", "", "shop.cart", "Cart"), "from shop.cart import Cart\n\nx = Ca\n");
    }

    #[test]
    fn unsorted_or_broken_headers_are_refused() {
        assert_eq!(placed("import sys\nimport os\n\nx = Ca\n", "", "shop.cart", "Cart"), "refused");
        assert_eq!(placed("from shop import (\n    a,\n", "", "shop.cart", "Cart"), "refused");
    }

    #[test]
    fn never_above_a_cell_magic() {
        // The joined text of a notebook whose second cell starts `%%time`.
        assert_eq!(placed("import os\n\n%%time\ny = ma\n", "", "shop.cart", "make"), "no edit");
        assert_eq!(placed("%%capture out\ny = ma\n", "", "shop.cart", "make"), "no edit");
        // A line magic may follow the import: IPython runs it anywhere.
        assert_eq!(placed("import os\n\n%time y = ma\n", "", "shop.cart", "make"), "import os\n\nfrom shop.cart import make\n\n%time y = ma\n");
    }

    #[test]
    fn in_a_cell_below_its_line_magics_and_never_below_a_string() {
        let cell = |text: &str| placed_in("nb.ipynb", text, "", "shop.cart", "make");
        assert_eq!(
            cell("%load_ext autoreload\n%autoreload 2\nimport os\n\ny = ma\n"),
            "%load_ext autoreload\n%autoreload 2\nimport os\n\nfrom shop.cart import make\n\ny = ma\n"
        );
        assert_eq!(cell("!echo hi\ny = ma\n"), "!echo hi\nfrom shop.cart import make\n\ny = ma\n");
        // Below the lines a `\` continues an escape onto, indented or not,
        // never inside the escape (IPython would pass the import to pip).
        assert_eq!(cell("!pip install -q \\\nnumpy\np = ma\n"), "!pip install -q \\\nnumpy\nfrom shop.cart import make\n\np = ma\n");
        assert_eq!(cell("%env MODE=\\\n  fast\np = ma\n"), "%env MODE=\\\n  fast\nfrom shop.cart import make\n\np = ma\n");
        // A string first is no docstring in a cell: above it (below it,
        // the import would be ruff's E402, "not at top of cell").
        assert_eq!(cell("\"\"\"Cart cell.\"\"\"\ny = ma\n"), "from shop.cart import make\n\n\"\"\"Cart cell.\"\"\"\ny = ma\n");
        // Must not: above a string that imports follow, which would then be E402.
        assert_eq!(cell("\"\"\"Cart cell.\"\"\"\nimport os\ny = ma\n"), "refused");
        // Must not: a comment first, or a Python file's docstring.
        assert_eq!(cell("# setup\ny = ma\n"), "# setup\nfrom shop.cart import make\n\ny = ma\n");
        assert_eq!(placed("\"\"\"Doc.\"\"\"\ny = ma\n", "", "shop.cart", "make"), "\"\"\"Doc.\"\"\"\nfrom shop.cart import make\n\ny = ma\n");
    }

    #[test]
    fn a_broken_body_does_not_matter() {
        let text = "import os\n\n\ndef f(:\n    c.\n";
        assert_eq!(placed(text, "", "shop.cart", "Cart"), "import os\n\nfrom shop.cart import Cart\n\n\ndef f(:\n    c.\n");
    }
}
