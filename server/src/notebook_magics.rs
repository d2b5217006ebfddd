//! The cell magics of a notebook whose body is Python (ruff joins their
//! cells into the module: `%%time`, `%%timeit`, `%%capture`, `%%python`,
//! ...) and how `pyloom test` runs each as IPython does: as module code,
//! through the sandbox's `get_ipython().run_cell_magic` (the body apart
//! from the module's statements), or not at all, with the reason.

use ruff_source_file::UniversalNewlines;

use super::Notebook;

/// A code cell of the module that starts with a cell magic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellMagic {
    /// The cell's index among all the notebook's cells (from 0).
    pub cell: usize,
    /// The magic's name (`timeit` for `%%timeit -n1`).
    pub name: String,
    /// The rest of its line (`-n1`).
    pub args: String,
    /// The module line of the `%%` line and of the cell's last line (from 0).
    pub line: u32,
    pub last: u32,
}

/// How IPython runs a cell magic's body, as far as the sandbox can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runs {
    /// In the notebook's namespace, as module code (`%%time`, `%%prun`).
    Module,
    /// Some other way, which the sandbox's `run_cell_magic` does as IPython
    /// does; `apart` when its names are not the notebook's (`%%timeit`
    /// runs the body in a function, `%%python` in an interpreter of its own).
    Magic { apart: bool },
    /// Not in a way the sandbox can match: why.
    Refused(String),
}

impl CellMagic {
    pub fn runs(&self) -> Runs {
        let words: Vec<&str> = self.args.split_whitespace().collect();
        // `%%capture` expands `{x}` and `$x` in its line from the
        // notebook's values when the cell runs.
        let expands = self.args.contains(['{', '$']);
        match self.name.as_str() {
            "time" | "prun" => Runs::Module,
            "timeit" => Runs::Magic { apart: true },
            "capture" if !expands && words.iter().filter(|word| !word.starts_with('-')).count() <= 1 => {
                match words.iter().find(|word| word.starts_with('-') && !matches!(**word, "--no-stdout" | "--no-stderr" | "--no-display")) {
                    Some(option) => self.refused(&format!("its option `{option}` is not one pyloom runs")),
                    None => Runs::Magic { apart: false },
                }
            }
            "capture" => self.refused("its line names its output from the notebook's values as the cell runs"),
            "python" | "python3" => {
                let mut words = words.iter();
                while let Some(word) = words.next() {
                    let known = match *word {
                        "--out" | "--err" => words.next().is_some_and(|name| ruff_python_stdlib::identifiers::is_identifier(name)),
                        "--no-raise-error" => true,
                        _ => false,
                    };
                    if !known {
                        return self.refused(&format!("`{word}` asks for more than running its body in a Python of its own, which is all pyloom does"));
                    }
                }
                Runs::Magic { apart: true }
            }
            "pypy" => self.refused("IPython runs its body in PyPy (when one is installed), which the sandbox does not have"),
            "debug" => self.refused("IPython runs it in its interactive debugger"),
            "ipytest" => self.refused("ipytest runs the notebook's tests there with its own settings, which pyloom does not read"),
            _ => self.refused("pyloom does not know how IPython runs it"),
        }
    }

    /// The module lines (from 1, inclusive) of the body, when the body's
    /// names are not the notebook's: tests defined there are none of its.
    pub fn apart_lines(&self) -> Option<std::ops::RangeInclusive<usize>> {
        (self.runs() == (Runs::Magic { apart: true })).then(|| self.line as usize + 2..=self.last as usize + 1)
    }

    fn refused(&self, why: &str) -> Runs {
        Runs::Refused(format!("cell {}'s `%%{}` cannot run in pyloom's sandbox as IPython runs it: {why}", self.cell + 1, self.name))
    }
}

impl Notebook {
    /// The code cells of the module that start with a cell magic (after
    /// blank lines, which IPython drops first).
    pub fn cell_magics(&self) -> Vec<CellMagic> {
        let source = self.source();
        let mut found = Vec::new();
        for (cell, range) in self.code_cells() {
            let Some(text) = source.get(range.clone()) else { continue };
            // Lines as Python's tokenizer ends them (`\r` too), which
            // number the module the sandbox runs.
            let start = crate::line_ends::line_index(source, range.start);
            let lines = text.universal_newlines().map(|line| line.as_str());
            let Some((at, first)) = lines.enumerate().find(|(_, line)| !line.trim().is_empty()) else { continue };
            let Some(called) = first.strip_prefix("%%") else { continue };
            let (name, args) = called.split_once(char::is_whitespace).unwrap_or((called, ""));
            let last = start + crate::line_ends::count(text.trim_end_matches(['\n', '\r']));
            let line = (start + at) as u32;
            found.push(CellMagic { cell, name: name.to_owned(), args: args.trim().to_owned(), line, last: (last as u32).max(line) });
        }
        found
    }

    /// Why the notebook's tests cannot run as IPython would run its cells,
    /// if they cannot: a cell magic the sandbox cannot match, or a
    /// `%%writefile` whose file IPython names from the notebook's values
    /// as the cell runs (pyloom writes the files before the run).
    pub fn unrunnable(&self) -> Option<String> {
        if let Some(Runs::Refused(why)) = self.cell_magics().iter().map(CellMagic::runs).find(|runs| matches!(runs, Runs::Refused(_))) {
            return Some(why);
        }
        let cells = (0..).map_while(|cell| self.cell_text(cell).map(|text| (cell, text)));
        for (cell, text) in cells {
            let first = text.lines().find(|line| !line.trim().is_empty()).unwrap_or_default().trim();
            if first.starts_with("%%writefile") && first.contains(['{', '$']) {
                return Some(format!(
                    "cell {}'s `{first}` names its file from the notebook's values as the cell runs; pyloom writes the `%%writefile` files before the run, so it cannot know it",
                    cell + 1
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Cell, CellKind};
    use super::*;
    use expect_test::{Expect, expect};

    fn check_cell_magics(cells: &[&str], expected: Expect) {
        let notebook = Notebook::from_cells(cells.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
        let mut shown: Vec<String> = notebook
            .cell_magics()
            .iter()
            .map(|magic| {
                format!(
                    "cell {} %%{} {:?} lines {}..={}: {:?} apart {:?}",
                    magic.cell + 1,
                    magic.name,
                    magic.args,
                    magic.line,
                    magic.last,
                    magic.runs(),
                    magic.apart_lines()
                )
            })
            .collect();
        shown.push(format!("unrunnable: {:?}", notebook.unrunnable()));
        expected.assert_eq(&shown.join("\n"));
    }

    #[test]
    fn cell_magics_run_as_ipython_runs_them() {
        check_cell_magics(
            &["x = 1", "%%timeit -n1 -r1 y = 2\ntotal = slow(1000)\n", "\n%%capture out\nprint(1)", "%%time\nz = 3", "%%python --out o\nn = 0"],
            expect![[r#"
                cell 2 %%timeit "-n1 -r1 y = 2" lines 1..=2: Magic { apart: true } apart Some(3..=3)
                cell 3 %%capture "out" lines 5..=6: Magic { apart: false } apart None
                cell 4 %%time "" lines 7..=8: Module apart None
                cell 5 %%python "--out o" lines 9..=10: Magic { apart: true } apart Some(11..=11)
                unrunnable: None"#]],
        );
    }

    #[test]
    fn a_bare_carriage_return_ends_a_cell_magics_line_as_the_runner_splits_them() {
        // Must stay: the `\n` cell's lines.
        check_cell_magics(
            &["x = 1\ry = 2", "%%time\rz = 3", "%%time\nw = 4"],
            expect![[r#"
                cell 2 %%time "" lines 2..=3: Module apart None
                cell 3 %%time "" lines 4..=5: Module apart None
                unrunnable: None"#]],
        );
    }

    #[test]
    fn cell_magics_the_sandbox_cannot_match_are_refused() {
        check_cell_magics(
            &["%%debug\nx = 1"],
            expect![[r#"
                cell 1 %%debug "" lines 0..=1: Refused("cell 1's `%%debug` cannot run in pyloom's sandbox as IPython runs it: IPython runs it in its interactive debugger") apart None
                unrunnable: Some("cell 1's `%%debug` cannot run in pyloom's sandbox as IPython runs it: IPython runs it in its interactive debugger")"#]],
        );
        check_cell_magics(
            &["%%python --bg\nx = 1", "%%capture {name}\nx = 2"],
            expect![[r#"
                cell 1 %%python "--bg" lines 0..=1: Refused("cell 1's `%%python` cannot run in pyloom's sandbox as IPython runs it: `--bg` asks for more than running its body in a Python of its own, which is all pyloom does") apart None
                cell 2 %%capture "{name}" lines 2..=3: Refused("cell 2's `%%capture` cannot run in pyloom's sandbox as IPython runs it: its line names its output from the notebook's values as the cell runs") apart None
                unrunnable: Some("cell 1's `%%python` cannot run in pyloom's sandbox as IPython runs it: `--bg` asks for more than running its body in a Python of its own, which is all pyloom does")"#]],
        );
        check_cell_magics(
            &["name = 'h.py'", "%%writefile {name}\ndef c(): return 3"],
            expect![[
                r#"unrunnable: Some("cell 2's `%%writefile {name}` names its file from the notebook's values as the cell runs; pyloom writes the `%%writefile` files before the run, so it cannot know it")"#
            ]],
        );
        // Must not: a `%%writefile` of a plain name, `%%capture` with its
        // own options, `%%python --no-raise-error`.
        check_cell_magics(
            &["%%writefile h.py\ndef c(): return 3", "%%capture --no-stderr out\nx = 1", "%%python3 --no-raise-error --err e\nx = 1"],
            expect![[r#"
            cell 2 %%capture "--no-stderr out" lines 0..=1: Magic { apart: false } apart None
            cell 3 %%python3 "--no-raise-error --err e" lines 2..=3: Magic { apart: true } apart Some(4..=4)
            unrunnable: None"#]],
        );
    }
}
