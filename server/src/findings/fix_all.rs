//! "Fix all": every safe fix, re-checking after each round until nothing
//! is left to fix (fixes can overlap, as sorting imports and removing one
//! do; ruff's own `--fix` iterates the same way).
//!
//! Unused imports on `protected` byte ranges (the lines the user is typing
//! on) are kept: an import looks unused until the code using it is written.
//! They are remembered by name, since sorting imports moves them.

use std::cmp::Ordering;
use std::ops::Range;
use std::path::Path;

use ruff_diagnostics::{Edit as RuffEdit, SourceMap};
use ruff_linter::registry::Rule;
use ruff_text_size::{TextRange, TextSize};

use super::{Applicability, Config, Edit, check_buffer};
use crate::notebook::Notebook;

/// An unused import.
const UNUSED_IMPORT: &str = "F401";

/// More rounds than this means fixes undo each other; stop there, as
/// `ruff check --fix` does (its `MAX_ITERATIONS`).
const MAX_ROUNDS: usize = 100;

/// The text with all safe fixes applied, or `None` if there is none.
pub fn fix_all(path: &Path, source: &str, config: &Config, protected: &[Range<usize>]) -> Option<String> {
    let text = rounds(path, source, None, config, protected).0;
    (text != source).then_some(text)
}

/// The notebook with all safe fixes applied, or `None` if there is none:
/// its module text linted with its cells (ruff's notebook rules), and each
/// round's edits written back into the cells as `ruff check --fix` does, so
/// that a cell emptied by a fix keeps its separator and a cell whose last
/// line goes keeps no empty line in its place.
pub fn fix_all_notebook(path: &Path, notebook: &Notebook, config: &Config, protected: &[Range<usize>]) -> Option<Notebook> {
    let (text, fixed) = rounds(path, notebook.source(), Some(notebook.clone()), config, protected);
    (text != notebook.source()).then_some(fixed).flatten()
}

/// Fix rounds until nothing is left to fix: the text and the notebook
/// holding it (`notebook` is the one holding `source`).
fn rounds(path: &Path, source: &str, mut notebook: Option<Notebook>, config: &Config, protected: &[Range<usize>]) -> (String, Option<Notebook>) {
    let mut text = source.to_owned();
    let mut kept: Option<Vec<String>> = None;
    for _ in 0..MAX_ROUNDS {
        let findings = check_buffer(path, &text, notebook.as_ref(), config).in_check_order();
        let kept = kept.get_or_insert_with(|| {
            findings
                .iter()
                .filter(|f| f.code == UNUSED_IMPORT && protected.iter().any(|p| overlaps(p, &f.range)))
                .map(|f| text[f.range.clone()].to_owned())
                .collect()
        });
        let fixes = findings
            .iter()
            .filter(|f| !(f.code == UNUSED_IMPORT && kept.contains(&text[f.range.clone()].to_owned())))
            .filter_map(|f| f.fix.as_ref().filter(|fix| fix.applicability == Applicability::Safe).map(|fix| (f.code.as_str(), fix.edits.as_slice())));
        let mut edits = round_edits(fixes.collect());
        if let Some(notebook) = &notebook {
            in_cell_line_breaks(&text, notebook, &mut edits);
        }
        let Some((fixed, map)) = apply(&text, &edits) else { break };
        match &mut notebook {
            Some(notebook) => {
                notebook.update(&map, fixed);
                notebook.source().clone_into(&mut text);
            }
            None => text = fixed,
        }
    }
    (text, notebook)
}

/// The edits of one round of `fixes` (each finding's code and its fix's
/// edits, in the order the checks made them), chosen as ruff's fixer
/// chooses them, so that fixing all gives what `ruff check --fix` gives:
/// F811's fixes first (removing the import an unused one redefines), then
/// by where each starts, ties in the checks' order (ruff removes an unused
/// import before it sorts the block the import is in; in the other order
/// the sorted block's blank line stays behind it) but for two pairs ruff
/// orders itself; a fix is taken unless its first edit not yet made starts
/// at or before the end of the last edit taken (an edit that an earlier fix
/// made, as ruff gives every name of one `import` the same, is not made
/// again). In order, not overlapping.
fn round_edits(mut fixes: Vec<(&str, &[Edit])>) -> Vec<Edit> {
    fixes.sort_by(|(code1, edits1), (code2, edits2)| {
        let (rule1, rule2) = (Rule::from_code(code1).ok(), Rule::from_code(code2).ok());
        let redefined = |rule| rule == Some(Rule::RedefinedWhileUnused);
        redefined(rule2).cmp(&redefined(rule1)).then_with(|| start(edits1).cmp(&start(edits2))).then_with(|| match (rule1, rule2) {
            (Some(Rule::MissingTrailingPeriod), Some(Rule::NewLineAfterLastParagraph))
            | (Some(Rule::IfElseBlockInsteadOfDictGet), Some(Rule::IfElseBlockInsteadOfIfExp)) => Ordering::Less,
            (Some(Rule::NewLineAfterLastParagraph), Some(Rule::MissingTrailingPeriod))
            | (Some(Rule::IfElseBlockInsteadOfIfExp), Some(Rule::IfElseBlockInsteadOfDictGet)) => Ordering::Greater,
            _ => Ordering::Equal,
        })
    });
    let mut taken: Vec<Edit> = Vec::new();
    for (_, edits) in fixes {
        let mut new: Vec<&Edit> = edits.iter().filter(|edit| !taken.contains(edit)).collect();
        new.sort_by_key(|edit| (edit.range.start, edit.range.end));
        let last = taken.last().map(|edit| edit.range.end);
        if new.first().is_some_and(|first| last.is_some_and(|last| last >= first.range.start)) {
            continue;
        }
        taken.extend(new.into_iter().cloned());
    }
    taken
}

/// The `edits` of a notebook's module `text` made with the line breaks of
/// the cells they land in: ruff writes the first line break of the whole
/// text (isort's blank line after the imports), and a cell may use another
/// (`\r\n` cells beside `\n` ones, as the JSON keeps them). A cell of one
/// line has none of its own, and keeps ruff's.
fn in_cell_line_breaks(text: &str, notebook: &Notebook, edits: &mut [Edit]) {
    let cells = notebook.code_cells();
    for edit in edits.iter_mut().filter(|e| e.content.contains('\n')) {
        let Some((_, cell)) = cells.iter().find(|(_, cell)| cell.start <= edit.range.start && edit.range.start <= cell.end) else { continue };
        let Some(own) = text[cell.clone()].find('\n').map(|at| if text[cell.start..cell.start + at].ends_with('\r') { "\r\n" } else { "\n" }) else {
            continue;
        };
        let content = edit.content.replace("\r\n", "\n");
        edit.content = if own == "\n" { content } else { content.replace('\n', own) };
    }
}

/// `text` with `edits` (in order, not overlapping) applied, and ruff's map
/// of where each edit went, which places a notebook's cells after it;
/// `None` if there is no edit (or the text is past ruff's 4 GiB offsets).
fn apply(text: &str, edits: &[Edit]) -> Option<(String, SourceMap)> {
    if edits.is_empty() {
        return None;
    }
    let size = |offset: usize| TextSize::try_from(offset).ok();
    let mut output = String::with_capacity(text.len());
    let mut map = SourceMap::default();
    let mut last = 0;
    for edit in edits {
        let range = TextRange::new(size(edit.range.start)?, size(edit.range.end)?);
        let ruff_edit =
            if edit.content.is_empty() { RuffEdit::deletion(range.start(), range.end()) } else { RuffEdit::range_replacement(edit.content.clone(), range) };
        output.push_str(text.get(last..edit.range.start)?);
        map.push_start_marker(&ruff_edit, size(output.len())?);
        output.push_str(&edit.content);
        map.push_end_marker(&ruff_edit, size(output.len())?);
        last = edit.range.end;
    }
    output.push_str(text.get(last..)?);
    Some((output, map))
}

fn start(edits: &[Edit]) -> usize {
    edits.iter().map(|e| e.range.start).min().unwrap_or(0)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::LintSettings;

    fn fix(source: &str, protected_line: Option<usize>) -> Option<String> {
        let dir = std::env::temp_dir().join("pyloom-fix-all-no-config");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let config = Config::load(&dir, &LintSettings::default()).0;
        let protected: Vec<Range<usize>> = protected_line
            .map(|line| {
                let start: usize = source.split_inclusive('\n').take(line).map(str::len).sum();
                let len = source[start..].find('\n').unwrap_or(source.len() - start);
                start..start + len
            })
            .into_iter()
            .collect();
        fix_all(Path::new("/work/m.py"), source, &config, &protected)
    }

    #[test]
    fn applies_safe_fixes_until_clean_and_keeps_the_typed_import() {
        let source = "import sys\nimport os\nimport json\n\n\nprint(json)\nx = yaml.load(f)\n";
        assert_eq!(fix(source, None).as_deref(), Some("import json\n\nprint(json)\nx = yaml.load(f)\n"));
        assert_eq!(fix(source, Some(1)).as_deref(), Some("import json\nimport os\n\nprint(json)\nx = yaml.load(f)\n"));
        assert_eq!(fix("import json\n\nprint(json)\n", None), None);
    }
}

#[cfg(test)]
mod ruff_order_tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::settings::LintSettings;

    /// Fix-all of `source` (a `.py` file) with the ruff settings
    /// `ruff_toml`: the fixed text, as `ruff check --fix` (0.16.4) leaves it.
    fn check_fix_all(ruff_toml: &str, source: &str, expected: Expect) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ruff.toml"), ruff_toml).expect("ruff.toml");
        let config = Config::load(dir.path(), &LintSettings::default()).0;
        let fixed = fix_all(&dir.path().join("m.py"), source, &config, &[]);
        expected.assert_eq(&format!("{:?}", fixed.as_deref().unwrap_or("nothing to fix")));
    }

    const ISORT: &str = "[lint]\nextend-select = [\"I\"]\n";

    #[test]
    fn an_unused_import_goes_before_its_block_is_sorted() {
        // F401's fix and I001's start at the same offset: ruff takes them in
        // the order it reports them, the removal first, and no blank line
        // stays where the block was.
        check_fix_all(ISORT, "import os\nimport sys\nprint(1)\n", expect![[r#""print(1)\n""#]]);
        check_fix_all("[lint]\nselect = [\"ALL\"]\n", "import sys\nprint(1)\n", expect![[r#""print(1)\n""#]]);
        // Must not: a block that keeps an import is sorted and gets its blank line.
        check_fix_all(ISORT, "import sys\nimport os\nprint(os)\n", expect![[r#""import os\n\nprint(os)\n""#]]);
    }
}
