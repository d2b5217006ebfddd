//! The one rule for edits of a notebook's code ([`EditCheck`]): each case
//! one of the two rules it replaces refused (ruff's fixes': an edit on an
//! escape's line, a name removed that an escape reads; the IDE's: an edit
//! inside an escape, a name an escape reads in the edit's text, an escape
//! copied or removed), each still refused, and the edits neither refused.

use ruff_text_size::TextRange;

use super::EditCheck;

/// What the check says of replacing each `(old, new)` (the first spelling
/// of `old` in `code`).
fn hazard(code: &str, edits: &[(&str, &str)]) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = edits
        .iter()
        .map(|(old, new)| {
            let start = code.find(old).expect("the replaced text is in the code");
            (start..start + old.len(), *new)
        })
        .collect();
    edits.sort_by_key(|(range, _)| range.start);
    match EditCheck::new(code, None, &[]) {
        None => "no escape".to_owned(),
        Some(check) => check.hazard(edits).unwrap_or_else(|| "made".to_owned()),
    }
}

#[test]
fn what_either_rule_refused_is_refused() {
    let code = "total = 10\nfiles = !ls {folder}\n%time doubled = total * 2\nprint(1)\n";
    // Fixes': an edit on an escape's line (outside the escape itself:
    // `files = `), a removed name an escape reads.
    assert_eq!(hazard(code, &[("files", "_")]), "the edit would change the IPython escape `!ls {folder}`, which pyloom cannot check");
    assert_eq!(hazard(code, &[("total = 10\n", "")]), "`total` is spelled in the IPython escape `%time doubled = total * 2`, which pyloom cannot check");
    // The IDE's: inside an escape, a read name only written (`total` kept
    // bound), an escape copied.
    assert_eq!(hazard(code, &[("{folder}", "{x}")]), "the edit would change the IPython escape `!ls {folder}`, which pyloom cannot check");
    assert_eq!(
        hazard(code, &[("print(1)", "print(total)")]),
        "`total` is spelled in the IPython escape `%time doubled = total * 2`, which pyloom cannot check"
    );
    assert_eq!(hazard(code, &[("print(1)", "print(1)\n!date")]), "the edit would copy or remove an IPython escape (`%…`, `!…`), which pyloom cannot check");
    // A `%run` reaches every global.
    assert_eq!(
        hazard("size = 1\n%run -i report.py\nprint(2)\n", &[("size = 1\n", "")]),
        "`size` is a global of the notebook, which the script of the IPython escape `%run -i report.py` may bind or read"
    );
}

#[test]
fn what_neither_rule_refused_is_made() {
    let code = "import os\nimport sys\n%matplotlib inline\nx = 1\nprint(x)\n";
    // Must not: an edit away from the escapes of names none reads, a whole
    // line inserted before an escape (as isort does), a notebook with none.
    assert_eq!(hazard(code, &[("x = 1\nprint(x)", "print(1)")]), "made");
    assert_eq!(hazard(code, &[("import sys\n", "")]), "made");
    let before_the_escape = code.find("%matplotlib").unwrap();
    let check = EditCheck::new(code, None, &[]).unwrap();
    assert_eq!(check.hazard([(before_the_escape..before_the_escape, "import re\n")]), None);
    assert_eq!(hazard("x = 1\n", &[("x", "y")]), "no escape");
}

#[test]
fn an_edit_in_a_cell_another_python_runs_is_refused() {
    // `%%python` runs its body in a subprocess: F811's removal of its
    // `import os` (ruff reads it as the notebook's) leaves it without `os`.
    let code = "import os\n%%python\nimport os\nprint(os.sep)\nprint(os.getcwd())\n";
    let cells = [TextRange::new(0.into(), 9.into()), TextRange::new(10.into(), 42.into()), TextRange::new(43.into(), 61.into())];
    let check = EditCheck::new(code, Some(&cells), &[]).unwrap();
    let inside = code.find("import os\nprint").unwrap();
    assert_eq!(
        check.hazard([(inside..inside + 10, "")]),
        Some("the edit would change the cell of the IPython escape `%%python`, whose body IPython runs in a Python of its own".to_owned())
    );
    // Must not: the cell after it, or a cell magic IPython runs in the
    // notebook's own interpreter (`%%time`).
    let after = code.find("print(os.getcwd())").unwrap();
    assert_eq!(check.hazard([(after..after + 5, "pprint")]), None);
    let timed = code.replace("%%python", "%%time\n\n");
    let check = EditCheck::new(&timed, Some(&cells), &[]).unwrap();
    assert_eq!(check.hazard([(inside..inside + 10, "")]), None);
}

#[test]
fn a_check_made_of_the_notebooks_own_parse_says_what_one_that_parses_again_says() {
    // A broken cell (its bracket must not swallow the next cell's escape)
    // and escapes of every kind.
    let notebook =
        crate::notebook::Notebook::from_cells(
            ["x = f(1,", "files = !ls {folder}\n%time doubled = total * 2", "%%python\nimport os", "total = 10\nprint(total)"]
                .map(|text| crate::notebook::Cell { kind: crate::notebook::CellKind::Code, language: "python", text }),
        );
    let (code, cells) = (notebook.source(), notebook.cell_ranges());
    let again = EditCheck::new(code, Some(&cells), &[]).unwrap();
    let parsed = notebook.parse_cells();
    let own = EditCheck::with_parse(code, &parsed, Some(&cells), &[]).unwrap();
    let mut said = Vec::new();
    for (old, new) in [("total = 10", "total = 11"), ("folder", "dir"), ("import os", ""), ("print(total)", "print(total)\n!ls"), ("x = f", "y = f")] {
        let start = code.find(old).unwrap();
        let edit = [(start..start + old.len(), new)];
        assert_eq!(own.hazard(edit.clone()), again.hazard(edit.clone()), "{old} -> {new}");
        said.push(own.hazard(edit).is_some());
    }
    // Must not be vacuous: some refused, some made.
    assert_eq!(said, [true, true, true, true, false]);
}
