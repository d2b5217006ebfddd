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

/// Runs `test` with `cells` joined as a notebook, their ranges, and a judge
/// giving for an edit `at|removed|inserted` the check's answer cell by cell
/// and the same check's answer with the notebook parsed whole (as it judged
/// every edit before a clean notebook was judged cell by cell).
fn by_cells_and_whole(cells: &[&str], test: impl FnOnce(&str, &[TextRange], &dyn Fn(&str) -> [Option<String>; 2])) {
    let notebook = crate::notebook::Notebook::from_cells(cells.iter().map(|text| crate::notebook::Cell {
        kind: crate::notebook::CellKind::Code,
        language: "python",
        text,
    }));
    let (code, ranges) = (notebook.source(), notebook.cell_ranges());
    let parsed = notebook.parse_cells();
    let by_cells = EditCheck::with_parse(code, &parsed, Some(&ranges), &[]).unwrap();
    let mut whole = EditCheck::with_parse(code, &parsed, Some(&ranges), &[]).unwrap();
    let texts = super::Escapes::of(&crate::syntax::parse_unchecked_source(code, ruff_python_ast::PySourceType::Ipynb)).ranges;
    whole.whole = super::Whole::Text(texts.iter().map(|e| &code[e.to_std_range()]).collect());
    let judged = |edit: &str| -> [Option<String>; 2] {
        let (at, rest) = edit.split_once('|').unwrap();
        let (range, new) = rest.split_once('|').unwrap();
        let start: usize = at.parse().unwrap();
        let edits = [(start..start + range.parse::<usize>().unwrap(), new)];
        [by_cells.hazard(edits.clone()), whole.hazard(edits)]
    };
    test(code, &ranges, &judged);
}

#[test]
fn an_edit_inside_a_cell_is_judged_by_that_cell_as_by_the_whole_notebook() {
    // Escapes of every kind; cells ending in a block, a comment, blank
    // lines; a shell call that is no escape until a name is bound to it.
    let cells = [
        "import os\n%matplotlib inline\ndef f(x):\n    return x",
        "files = !ls {folder}\nget_ipython().system('echo {files}')\n# done",
        "sh.system('date')\n%time y = f(2)\n\n",
        "if y:\n    z = 1\nelse:\n    z = 2",
    ];
    by_cells_and_whole(&cells, |code, ranges, judged| {
        // What may run past a cell's end, or make an escape of another cell's
        // text: brackets, strings, continuations, blocks, escapes, the shell.
        let typed = [
            "(",
            ")",
            "[",
            "\"\"\"",
            "'",
            "\\",
            "\\\n",
            "\n",
            "\n    ",
            "    ",
            ":",
            "if x:",
            "\nelse:\n    pass",
            "@d",
            "@d\n",
            "#",
            "?",
            "!echo hi\n",
            "%time z\n",
            "x = !ls",
            "sh = get_ipython()\n",
            "get_ipython().system('ls')",
            "f\"{",
            "x",
        ];
        let (mut made, mut refused) = (0, 0);
        for cell in ranges {
            for at in cell.start().to_usize()..=cell.end().to_usize() {
                // Typed there, a character deleted, and the rest of the cell
                // with its separating `\n` replaced, by text ending in one (as
                // isort and `# noqa` do) or not (joining the next cell).
                let to_separator = cell.end().to_usize() + 1 - at;
                let edits =
                    typed.iter().flat_map(|text| [format!("{at}|0|{text}"), format!("{at}|{to_separator}|{text}\n"), format!("{at}|{to_separator}|{text}")]);
                let edits = edits.chain(code[at..cell.end().to_usize()].chars().next().map(|c| format!("{at}|{}|", c.len_utf8())));
                for edit in edits {
                    let [by_cells, whole] = judged(&edit);
                    assert_eq!(by_cells, whole, "{edit:?} in {code:?}");
                    if by_cells.is_some() { refused += 1 } else { made += 1 }
                }
            }
        }
        // Must not be vacuous: both answers given many times.
        assert!(made > 500 && refused > 500, "{made} made, {refused} refused");
    });
}

#[test]
fn an_edit_that_runs_past_its_cell_is_still_refused() {
    let cells = ["x = 1", "%time y = 2", "sh.system('date')"];
    by_cells_and_whole(&cells, |code, _, judged| {
        let end_of_first = code.find('\n').unwrap();
        // An open bracket or a continuation at the first cell's end would
        // swallow the next cell's `%time` in the text parsed whole; a name
        // bound to the shell makes the last cell's string an escape.
        for typed in [" + (", " + \\", "\nsh = get_ipython()"] {
            let [by_cells, whole] = judged(&format!("{end_of_first}|0|{typed}"));
            assert_eq!(by_cells.as_deref(), Some("the edit would copy or remove an IPython escape (`%…`, `!…`), which pyloom cannot check"), "{typed:?}");
            assert_eq!(by_cells, whole);
        }
        // Must not: a closed bracket there changes no escape.
        assert_eq!(judged(&format!("{end_of_first}|0| + (2)")), [None, None]);
    });
}

#[test]
fn a_clean_notebook_is_judged_cell_by_cell_and_a_broken_one_whole() {
    let check = |cells: &[&str]| {
        let notebook = crate::notebook::Notebook::from_cells(cells.iter().map(|text| crate::notebook::Cell {
            kind: crate::notebook::CellKind::Code,
            language: "python",
            text,
        }));
        let (code, ranges) = (notebook.source(), notebook.cell_ranges());
        matches!(EditCheck::new(code, Some(&ranges), &[]).unwrap().whole, super::Whole::Cells(_))
    };
    assert!(check(&["x = 1", "%time y = 2"]));
    // Must not: a cell that does not parse, one ending in a continuation,
    // a name bound to the shell.
    assert!(!check(&["x = (1", "%time y = 2"]));
    assert!(!check(&["x = 1 \\", "%time y = 2"]));
    assert!(!check(&["sh = get_ipython()", "%time y = 2"]));
}

#[test]
fn a_name_is_looked_up_where_a_walk_of_the_texts_finds_it() {
    let texts = ["%matplotlib inline", "!echo {total}_x é_1 total2", "x.total(e\u{301}t)", "", "a b-c", "total"];
    let spellings = super::Spellings::of(texts.to_vec());
    let names = ["total", "inline", "x", "é_1", "total2", "_x", "e", "t", "e\u{301}t", "a b", "b-c", "c", "", "tot", "missing"];
    for name in names {
        let walked = texts.iter().position(|text| crate::ide::mentions::whole_word_ends(text, name).next().is_some());
        assert_eq!(spellings.first(name), walked, "{name:?}");
    }
    // Must not be vacuous: found in a later text, and not found.
    assert_eq!(spellings.first("total"), Some(1));
    assert_eq!(spellings.first("tot"), None);
}

#[test]
fn a_notebook_with_an_escape_in_every_cell_is_judged_by_lookups_as_by_walking_them_all() {
    // A magic per cell (the notebooks whose fixes were each checked against
    // every escape), names read cells later, and a shell call whose strings
    // the visit meets out of the text's order.
    let cells: Vec<String> = (0..120)
        .map(|k| match k % 4 {
            0 => format!("%matplotlib inline\nimport os\nv{k} = os.sep"),
            1 => format!("!echo {{v{}}}\nprint({k})", k - 1),
            2 => format!("get_ipython().system(get_ipython().getoutput('echo inner{k}'), 'echo {{w{k}}}')\nw{k} = 1"),
            _ => format!("%time u{k} = v{} * 2\nx = 1", k - 3),
        })
        .collect();
    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
    by_cells_and_whole(&cells, |code, _, judged| {
        let check = EditCheck::new(code, None, &[]).unwrap();
        let mut refused = 0;
        let mut start = 0;
        for line in code.split_inclusive('\n') {
            let end = start + line.trim_end().len();
            for (range, text) in [(start..start, "y"), (start..start, "import re\n"), (start..end, ""), (end..end, " + 1"), (start + 1..end, "_")] {
                let walked = check.lines.iter().position(|line| super::touches(&range, text, line));
                assert_eq!(check.touched(&range, text), walked, "{range:?} {text:?}");
                let [by_cells, whole] = judged(&format!("{}|{}|{text}", range.start, range.len()));
                assert_eq!(by_cells, whole, "{range:?} {text:?}");
                refused += usize::from(by_cells.is_some());
            }
            start += line.len();
        }
        // Must not be vacuous: most lines hold an escape or a name one reads.
        assert!(refused > 300, "{refused} refused");
        // The first escape spelling a name, in the text's order.
        let shown = |name: &str| check.escapes.reading(code, name).map(|at| check.escapes.shown(code, at));
        assert_eq!(shown("v0").as_deref(), Some("the IPython escape `!echo {v0}`"));
        assert_eq!(shown("v116").as_deref(), Some("the IPython escape `!echo {v116}`"));
        assert_eq!(shown("w118").as_deref(), Some("the string 'echo {w118}' that `get_ipython()` runs"));
        assert_eq!(shown("inline").as_deref(), Some("the IPython escape `%matplotlib inline`"));
        // Must not: a magic's own name, a name no escape spells.
        assert_eq!(shown("matplotlib"), None);
        assert_eq!(shown("os"), None);
        // The line of a call with two strings names the first in the text.
        let call = code.find("get_ipython().system(get_ipython().getoutput('echo inner2')").unwrap();
        assert_eq!(
            check.hazard([(call..call, "y")]).as_deref(),
            Some("the edit would change the string 'echo inner2' that `get_ipython()` runs, which pyloom cannot check")
        );
    });
}
