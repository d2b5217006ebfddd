//! "Fix all": every safe fix, re-checking after each round until nothing
//! is left to fix (fixes can overlap, as sorting imports and removing one
//! do; ruff's own `--fix` iterates the same way).
//!
//! Unused imports on `protected` byte ranges (the lines the user is typing
//! on) are kept: an import looks unused until the code using it is written.
//! They are remembered by name, since sorting imports moves them.

use std::ops::Range;
use std::path::Path;

use ruff_diagnostics::{Edit as RuffEdit, SourceMap};
use ruff_text_size::{TextRange, TextSize};

use super::{Applicability, Config, Edit, check_buffer, check_source};
use crate::notebook::Notebook;

/// An unused import.
const UNUSED_IMPORT: &str = "F401";

/// More rounds than this means fixes undo each other; stop there.
const MAX_ROUNDS: usize = 10;

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
        let findings = match &notebook {
            Some(notebook) => check_buffer(path, &text, Some(notebook), config).finish(path, &text, config, None),
            None => check_source(path, &text, config, None),
        };
        let kept = kept.get_or_insert_with(|| {
            findings
                .iter()
                .filter(|f| f.code == UNUSED_IMPORT && protected.iter().any(|p| overlaps(p, &f.range)))
                .map(|f| text[f.range.clone()].to_owned())
                .collect()
        });
        let mut fixes: Vec<&[Edit]> = findings
            .iter()
            .filter(|f| !(f.code == UNUSED_IMPORT && kept.contains(&text[f.range.clone()].to_owned())))
            .filter_map(|f| f.fix.as_ref().filter(|fix| fix.applicability == Applicability::Safe))
            .map(|fix| fix.edits.as_slice())
            .collect();
        fixes.sort_by_key(|edits| start(edits));
        let mut chosen: Vec<&[Edit]> = Vec::new();
        let mut end = 0;
        for edits in fixes {
            // ruff gives one edit to every finding it fixes at once (several
            // unused names in one import): take it once.
            if chosen.contains(&edits) || (start(edits) < end && !chosen.is_empty()) {
                continue;
            }
            end = edits.iter().map(|e| e.range.end).max().unwrap_or(end);
            chosen.push(edits);
        }
        let mut edits: Vec<Edit> = chosen.into_iter().flatten().cloned().collect();
        edits.sort_by_key(|e| e.range.start);
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
