//! A notebook's fixes made in its cells' text. ruff fixes the joined text,
//! where each cell is followed by a line break of its own, and writes each
//! cell back without that line break: a fix whose edit takes it in (a
//! cell's last line deleted or rewritten whole) leaves no line break at the
//! cell's end. Made in the cell, the edit ends with the cell's text, so the
//! cell is what `ruff check --fix` leaves, fixed one at a time or all.

use ruff_text_size::TextRange;

use super::Finding;

/// Moves each edit of `findings`' fixes that ends with the line break
/// after a cell of `cells` (in the notebook's module text `source`) into
/// that cell: its text then ends as ruff's does, the line break before a
/// deleted last line (or the last of a rewritten one's) gone instead.
pub(super) fn in_cells(source: &str, cells: &[TextRange], findings: &mut [Finding]) {
    for edit in findings.iter_mut().filter_map(|f| f.fix.as_mut()).flat_map(|fix| fix.edits.iter_mut()) {
        let Some(cell) = cells.iter().map(|cell| cell.start().to_usize()..cell.end().to_usize()).find(|cell| {
            // An insertion at the next cell's start is that cell's.
            edit.range.end == cell.end + 1 && cell.start <= edit.range.start && edit.range.start <= cell.end
        }) else {
            continue;
        };
        edit.range.end = cell.end;
        if let Some(content) = edit.content.strip_suffix('\n') {
            edit.content = content.strip_suffix('\r').unwrap_or(content).to_owned();
        } else if edit.content.is_empty() && edit.range.start > cell.start && source[..edit.range.start].ends_with('\n') {
            // The whole last line goes, and the line break before it.
            edit.range.start -= if source[..edit.range.start].ends_with("\r\n") { 2 } else { 1 };
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::findings::{Config, check_buffer};
    use crate::notebook::{Cell, CellKind, Notebook};
    use crate::settings::LintSettings;

    /// The cells of the notebook of `cells` after the fix of its finding
    /// `code` (with T201 and F401 selected), each edit made in the cell it
    /// starts in as an editor makes it (one past the cell's text ends
    /// with it), as `ruff check --select CODE --fix --unsafe-fixes`
    /// (0.16.4) leaves them.
    fn check_cell_fix(cells: &[&str], code: &str, expected: Expect) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ruff.toml"), "[lint]\nselect = [\"T201\", \"F401\"]\n").expect("ruff.toml");
        let config = Config::load(dir.path(), &LintSettings::default()).0;
        let notebook = Notebook::from_cells(cells.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
        let (path, text) = (dir.path().join("nb.ipynb"), notebook.source());
        let findings = check_buffer(&path, text, Some(&notebook), &config).finish(&path, text, &config, None);
        let fix = findings.iter().find(|f| f.code == code).and_then(|f| f.fix.as_ref()).expect("a fix");
        let mut shown: Vec<String> = cells.iter().map(|cell| (*cell).to_owned()).collect();
        for edit in fix.edits.iter().rev() {
            let (index, range) =
                notebook.code_cells().into_iter().find(|(_, cell)| cell.start <= edit.range.start && edit.range.start <= cell.end).expect("in a cell");
            let start = edit.range.start - range.start;
            shown[index].replace_range(start..edit.range.end.min(range.end) - range.start, &edit.content);
        }
        expected.assert_eq(&shown.iter().map(|cell| format!("{cell:?}\n")).collect::<String>());
    }

    #[test]
    fn a_fix_deleting_a_cells_last_line_leaves_no_line_break() {
        check_cell_fix(
            &["result = 1 + 1\nprint(result)", "x = 1"],
            "T201",
            expect![[r#"
            "result = 1 + 1"
            "x = 1"
        "#]],
        );
        check_cell_fix(
            &["x = 1\r\nimport os"],
            "F401",
            expect![[r#"
            "x = 1"
        "#]],
        );
        check_cell_fix(
            &["import os", "x = 1"],
            "F401",
            expect![[r#"
            ""
            "x = 1"
        "#]],
        );
        // Must not: a line with one after it goes with its own line break.
        check_cell_fix(
            &["print(1)\nx = 1"],
            "T201",
            expect![[r#"
            "x = 1"
        "#]],
        );
    }
}
