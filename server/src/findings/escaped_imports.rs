//! In a notebook, an import only IPython's escapes use (`%time x =
//! os.getcwd()`, `!echo {os.sep}`, `os?`) is unused to ruff: F401 is
//! reported as ruff reports it, but no fix removes it (the escapes would
//! raise `NameError`), neither its own nor one removing it with the other
//! names of its statement.

use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;

use super::Finding;
use crate::ide::mentions::whole_word_ends;
use crate::notebook::escapes::Escapes;

/// An unused import.
const UNUSED_IMPORT: &str = "F401";

/// Drops the fixes of `findings` (of the notebook module text `source`,
/// `parsed` as IPython's) that would remove an import an escape may read.
pub(super) fn keep(source: &str, parsed: &Parsed<ModModule>, findings: &mut [Finding]) {
    if !findings.iter().any(|f| f.code == UNUSED_IMPORT && f.fix.is_some()) {
        return;
    }
    let escapes = Escapes::of(parsed);
    if escapes.is_empty() {
        return;
    }
    // Each import an escape reads: its range and the name it binds.
    let read: Vec<(std::ops::Range<usize>, &str)> = findings
        .iter()
        .filter(|f| f.code == UNUSED_IMPORT)
        .filter_map(|f| {
            let bound = bound_name(source.get(f.range.clone())?);
            escapes.reading(source, bound).map(|_| (f.range.clone(), bound))
        })
        .collect();
    for finding in findings.iter_mut().filter(|f| f.code == UNUSED_IMPORT) {
        let removes = |edit: &super::Edit| {
            read.iter()
                .any(|(range, name)| edit.range.start <= range.start && range.end <= edit.range.end && whole_word_ends(&edit.content, name).next().is_none())
        };
        if finding.fix.as_ref().is_some_and(|fix| fix.edits.iter().any(removes)) {
            finding.fix = None;
        }
    }
}

/// The name an import's alias binds: `np` for `numpy as np`, `os` for `os.path`.
fn bound_name(alias: &str) -> &str {
    let words: Vec<&str> = alias.split_whitespace().collect();
    match words.as_slice() {
        [.., "as", name] => name,
        _ => alias.trim().split('.').next().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::{Config, check_buffer};
    use crate::notebook::{Cell, CellKind, Notebook};
    use crate::settings::LintSettings;

    #[test]
    fn an_unused_import_an_escape_reads_is_reported_without_its_fix() {
        let dir = std::env::temp_dir().join("pyloom-escaped-imports-no-config");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let config = Config::load(&dir, &LintSettings::default()).0;
        let cells = ["import os\nimport sys\n", "!echo {os.sep}"];
        let notebook = Notebook::from_cells(cells.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
        let path = dir.join("nb.ipynb");
        let text = notebook.source();
        let findings = check_buffer(&path, text, Some(&notebook), &config).finish(&path, text, &config, None);
        let unused: Vec<(&str, bool)> = findings.iter().filter(|f| f.code == "F401").map(|f| (&text[f.range.clone()], f.fix.is_some())).collect();
        // Must not: `sys`, which no escape reads, keeps its fix.
        assert_eq!(unused, [("os", false), ("sys", true)]);
    }
}
