//! Jupyter notebooks as pyloom reads them: the Python code cells joined into
//! one module text, with the map between that text's lines and the cells'.
//!
//! The joining is ruff's (`ruff_notebook`): each valid code cell's source
//! followed by one `\n`, cell magics (`%%bash`) and other languages left
//! out. Lint, the graph and every position the editor sees are on that one
//! text, so a finding ruff reports at a line is at the same line here.

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use ruff_diagnostics::SourceMap;

use ruff_linter::source_kind::SourceKind;
use ruff_notebook::{NotebookIndex, RawNotebook};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, PySourceType, PythonVersion, Stmt};
use ruff_python_parser::Parsed;
use ruff_source_file::{Line, LineIndex, OneIndexed, UniversalNewlines};
use ruff_text_size::{Ranged, TextRange};

#[path = "notebook_escapes.rs"]
pub mod escapes;
#[path = "notebook_magics.rs"]
pub mod magics;

/// What a notebook cell holds, as an editor describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Code,
    Markup,
}

/// One cell of a notebook open in an editor.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub kind: CellKind,
    /// The editor's language id of the cell (`python` for Python cells).
    pub language: &'a str,
    pub text: &'a str,
}

/// A position in a cell: the cell's index among all the notebook's cells
/// (markdown included, from 0) and the line in the cell (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellLine {
    pub cell: usize,
    pub line: u32,
}

impl CellLine {
    /// This line of the notebook shown as `shown`, as pyloom names one:
    /// `analysis.ipynb:cell 4:1` (the cell and the line from 1).
    pub fn place(&self, shown: &str) -> String {
        format!("{shown}:cell {}:{}", self.cell + 1, self.line + 1)
    }
}

/// Where the code of a notebook whose `.ipynb` file holds `text` first
/// spells `name` as a word, the notebook shown as `shown`: its cell and
/// line ([`CellLine::place`]), or `shown` alone for a file that does not
/// read as a notebook, whose whole text is searched. What a refactoring
/// cannot update in a notebook that is not in the graph.
pub fn spelled_at(text: &str, shown: &str, name: &str) -> Option<String> {
    let Ok(notebook) = Notebook::parse(text) else {
        return crate::ide::mentions::whole_word_ends(text, name).next().map(|_| shown.to_owned());
    };
    let end = crate::ide::mentions::whole_word_ends(notebook.source(), name).next()?;
    let line = crate::line_ends::line_index(notebook.source(), end - name.len());
    Some(notebook.to_cell(line as u32).map_or_else(|| shown.to_owned(), |at| at.place(shown)))
}

#[derive(Clone)]
pub struct Notebook {
    inner: ruff_notebook::Notebook,
    /// Where each line of the module text starts, found on first use:
    /// placing a diagnostic in its cell would otherwise count the lines of
    /// the text before it, once per diagnostic.
    lines: OnceLock<LineIndex>,
}

impl std::fmt::Debug for Notebook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notebook").field("cells", &self.inner.cells().len()).finish_non_exhaustive()
    }
}

impl Notebook {
    /// Whether `path` names a notebook (by its extension, as ruff decides).
    pub fn is_notebook(path: &Path) -> bool {
        PySourceType::from(path).is_ipynb()
    }

    /// The notebook in the `.ipynb` file at `path`.
    pub fn read(path: &Path) -> Result<Notebook, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Notebook::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The notebook whose `.ipynb` JSON is `text`.
    pub fn parse(text: &str) -> Result<Notebook, String> {
        let inner = ruff_notebook::Notebook::from_source_code(text).map_err(|e| format!("not a Jupyter notebook: {e}"))?;
        Ok(Notebook { inner, lines: OnceLock::new() })
    }

    /// The notebook made of an editor's cells, in order.
    pub fn from_cells<'a>(cells: impl IntoIterator<Item = Cell<'a>>) -> Notebook {
        let cells: Vec<serde_json::Value> = cells
            .into_iter()
            .map(|cell| match cell.kind {
                CellKind::Code if cell.language == "python" => serde_json::json!({
                    "cell_type": "code", "source": cell.text, "metadata": {}, "outputs": [], "execution_count": null,
                }),
                // Another language's code is ruff's raw cell: kept in the
                // numbering, out of the module.
                CellKind::Code => serde_json::json!({"cell_type": "raw", "source": cell.text, "metadata": {}}),
                CellKind::Markup => serde_json::json!({"cell_type": "markdown", "source": cell.text, "metadata": {}}),
            })
            .collect();
        // nbformat 4.4: cells without ids are valid (4.5 would make ruff
        // generate ids nobody reads).
        let raw = serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4});
        let raw: RawNotebook = serde_json::from_value(raw).expect("the cells above follow nbformat 4's schema");
        let inner = ruff_notebook::Notebook::from_raw_notebook(raw, true).expect("nbformat 4 is the version ruff reads");
        Notebook { inner, lines: OnceLock::new() }
    }

    /// Whether the notebook's kernel runs Python (or says nothing): ruff
    /// skips the others, and so does `pyloom check`.
    pub fn is_python(&self) -> bool {
        self.inner.is_python_notebook()
    }

    /// The module text: the Python cells joined.
    pub fn source(&self) -> &str {
        self.inner.source_code()
    }

    /// Where line `line` (from 0) of the module text is in the cells.
    pub fn to_cell(&self, line: u32) -> Option<CellLine> {
        let row = OneIndexed::from_zero_indexed(line as usize);
        let index = self.index();
        let cell = index.cell(row)?;
        let in_cell = index.cell_row(row)?;
        Some(CellLine { cell: cell.to_zero_indexed(), line: in_cell.to_zero_indexed() as u32 })
    }

    /// The module line (from 0) where cell `cell` starts, and how many
    /// lines of the module are the cell's (its text and the separator);
    /// `None` for a cell that is not in the module (markdown, magics).
    pub fn cell_lines(&self, cell: usize) -> Option<(u32, u32)> {
        let index = self.index();
        let mut starts = index.iter().map(|start| (start.cell_index().to_zero_indexed(), start.start_row().to_zero_indexed() as u32));
        let mut next_start = None;
        let mut this = None;
        for (at, row) in starts.by_ref() {
            if this.is_some() {
                next_start = Some(row);
                break;
            }
            if at == cell {
                this = Some(row);
            }
        }
        let first = this?;
        let end = next_start.unwrap_or_else(|| self.line_count());
        Some((first, end.saturating_sub(first).max(1)))
    }

    /// How many lines the module text has, as ruff's index counts them
    /// (`\r` ends one too), the empty one after its last line break left out.
    fn line_count(&self) -> u32 {
        let starts = self.line_index().line_count();
        let after_break = self.source().ends_with(['\n', '\r']) || self.source().is_empty();
        (starts - usize::from(after_break)) as u32
    }

    /// Line `line` (from 0) of the module text, with its line break.
    pub fn module_line(&self, line: u32) -> Option<Line<'_>> {
        let index = self.line_index();
        if line as usize >= index.line_count() {
            return None;
        }
        let start = index.line_start(OneIndexed::from_zero_indexed(line as usize), self.source()).to_usize();
        self.source()[start..].universal_newlines().next()
    }

    fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::from_source_text(self.source()))
    }

    /// The notebook as ruff's linter takes it.
    pub fn source_kind(&self) -> SourceKind {
        SourceKind::ipy_notebook(self.inner.clone())
    }

    /// The module text parsed cell by cell, as ruff does: a cell that does
    /// not parse leaves the next cells' parse whole.
    pub fn parse_cells(&self) -> Parsed<ModModule> {
        let kind = self.source_kind();
        crate::syntax::guarded(kind.source_code(), || ruff_linter::linter::parse_unchecked_source(&kind, PySourceType::Ipynb, PythonVersion::default()))
    }

    /// Each Python cell's range in the module text (its separator left
    /// out): what [`parse_module`] takes to parse it as IPython runs it.
    pub fn cell_ranges(&self) -> Vec<TextRange> {
        self.inner.cell_offsets().content_ranges().collect()
    }

    /// The notebook after fixes made `transformed` of its module text,
    /// `map` saying where each went: its cells rewritten as ruff's `--fix`
    /// writes them.
    pub fn update(&mut self, map: &SourceMap, transformed: String) {
        self.inner.update(map, transformed);
        self.lines = OnceLock::new();
    }

    /// Each Python cell's index among all the cells and its text's range
    /// in the module text (its separator left out).
    pub fn code_cells(&self) -> Vec<(usize, Range<usize>)> {
        let starts = self.index().iter().map(|start| start.cell_index().to_zero_indexed());
        let ranges = self.inner.cell_offsets().content_ranges().map(|range| range.start().to_usize()..range.end().to_usize());
        starts.zip(ranges).collect()
    }

    /// The first line of each code cell left out of the module text that
    /// starts with a cell magic (`%%bash -s {scale}`, `%%writefile
    /// {fname}`): IPython expands `{expr}` and `$name` there from the
    /// notebook's names, whatever language the body is.
    pub fn left_out_magics(&self) -> Vec<String> {
        let joined: Vec<usize> = self.index().iter().map(|start| start.cell_index().to_zero_indexed()).collect();
        let cells = self.inner.cells().iter().enumerate().filter(|(at, cell)| cell.is_code_cell() && !joined.contains(at));
        cells.filter_map(|(_, cell)| cell.source().to_string().lines().next().filter(|line| line.starts_with("%%")).map(str::to_owned)).collect()
    }

    /// The text of cell `cell` (an index among all the cells).
    pub fn cell_text(&self, cell: usize) -> Option<String> {
        Some(self.inner.cells().get(cell)?.source().to_string())
    }

    /// What the notebook's `%%writefile` cells write when its cells run in
    /// order: each file as its cell names it (from the kernel's folder, the
    /// notebook's) and its text, the cell's body (IPython leaves the first
    /// line out). `-a` appends to a file an earlier cell wrote; one no
    /// cell wrote is left as it is on disk.
    pub fn written_files(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for cell in self.inner.cells().iter().filter(|cell| cell.is_code_cell()) {
            let text = cell.source().to_string();
            let (first, body) = text.split_once('\n').unwrap_or((&text, ""));
            let Some((target, append)) = writefile_target(first.trim()) else { continue };
            match out.iter_mut().find(|(known, _)| known == target) {
                Some((_, written)) if append => written.push_str(body),
                Some((_, written)) => *written = body.to_owned(),
                None if append => {}
                None => out.push((target.to_owned(), body.to_owned())),
            }
        }
        out
    }

    fn index(&self) -> &NotebookIndex {
        self.inner.index()
    }
}

/// The file a cell's first line `%%writefile [-a] FILE` names, and
/// whether it appends (`-a`, `--append`).
pub fn writefile_target(line: &str) -> Option<(&str, bool)> {
    let rest = line.strip_prefix("%%writefile")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let append = rest.split_whitespace().any(|word| matches!(word, "-a" | "--append"));
    let file = rest.split_whitespace().find(|word| !matches!(*word, "-a" | "--append"))?;
    Some((file.trim_matches(['"', '\'']), append))
}

/// A notebook's module text parsed cell by cell when its `cells` (from
/// [`Notebook::cell_ranges`]) are known, as IPython runs each cell on its
/// own: an unclosed bracket or `"""` in one cell ends with it instead of
/// swallowing the next cells. Ranges that do not fit the text (not one
/// `\n` apart, past its end, inside a character) parse it whole: ruff's
/// cell parser asserts they do.
pub fn parse_module(text: &str, cells: Option<&[TextRange]>) -> Parsed<ModModule> {
    let options = ruff_python_parser::ParseOptions::from(PySourceType::Ipynb);
    match cells.filter(|cells| cells_fit(text, cells)) {
        Some(cells) => crate::syntax::guarded(text, || ruff_python_parser::parse_cells_unchecked(text, cells.iter().copied(), &options)),
        None => crate::syntax::parse_unchecked_source(text, PySourceType::Ipynb),
    }
}

/// Whether `cells` are the cells of `text`: some, one `\n` apart, none
/// past its end or inside a character.
pub fn cells_fit(text: &str, cells: &[TextRange]) -> bool {
    let apart = cells.windows(2).all(|pair| text.get(pair[0].end().to_usize()..pair[1].start().to_usize()) == Some("\n"));
    !cells.is_empty() && apart && cells.iter().all(|cell| text.get(cell.start().to_usize()..cell.end().to_usize()).is_some())
}

/// The code of the file at `path` parsed as the graph reads it: a
/// notebook's joined cells cell by cell when its `cells` are known (as
/// IPython runs them), any other text whole as its kind of source (a
/// notebook's cells then as IPython's). The graph, the refactorings'
/// parsed files and the syntax error a refusal names all read it so.
pub fn parse_code(text: &str, path: &Path, cells: Option<&[TextRange]>) -> Parsed<ModModule> {
    match cells.filter(|_| Notebook::is_notebook(path)) {
        Some(cells) => parse_module(text, Some(cells)),
        None => crate::syntax::parse_unchecked_source(text, PySourceType::from(path)),
    }
}

/// A notebook's module text as plain Python runs it: each of IPython's
/// escapes (`%matplotlib inline`, `files = !ls`, `len?`, `%time` in a
/// block) becomes `...` padded with spaces, so every line and column of
/// the rest stays put and a block keeps its statement. `%time` does what
/// IPython's does: at a module's or a class's level `%time STATEMENT`
/// runs its statement in place (`%time x = 1` binds `x`), the statement
/// moved to the escape's place, spaces after it. In a function, where
/// IPython runs it in a copy of the function's locals, and as a value
/// (`z = %time 2 + 3` is the expression's value), it becomes the call
/// nbconvert writes for it, `get_ipython().run_line_magic('time', …)`,
/// which the sandbox's `get_ipython()` runs as IPython does; nothing
/// follows an escape on its line, so only that line grows.
pub fn runnable(source: &str) -> String {
    enum Becomes {
        Filler,
        /// The statement, starting at this offset, in the escape's place.
        Statement(usize),
        /// A call to the sandbox's `get_ipython()` for the escape.
        Call(String),
    }
    struct Escapes<'s> {
        source: &'s str,
        functions: usize,
        found: Vec<(Range<usize>, Becomes)>,
    }
    impl Escapes<'_> {
        /// Where the statement (or expression) of a one-line `%time` starts.
        fn timed(&self, range: &Range<usize>) -> Option<usize> {
            let text = self.source.get(range.clone())?;
            let rest = text.strip_prefix("%time").filter(|rest| rest.starts_with([' ', '\t']) && !rest.contains(['\n', '\r', '\\']))?;
            (!rest.trim().is_empty()).then(|| range.start + text.len() - rest.trim_start().len())
        }
        fn call(&self, timed: usize, end: usize) -> Becomes {
            // A JSON string is also a valid Python string literal.
            let line = serde_json::to_string(self.source[timed..end].trim_end()).unwrap_or_default();
            Becomes::Call(format!("get_ipython().run_line_magic('time', {line})"))
        }
    }
    impl<'a> Visitor<'a> for Escapes<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) => {
                    self.functions += 1;
                    visitor::walk_stmt(self, stmt);
                    self.functions -= 1;
                    return;
                }
                Stmt::IpyEscapeCommand(escape) => {
                    let range = escape.range().start().to_usize()..escape.range().end().to_usize();
                    let becomes = match self.timed(&range) {
                        Some(timed) if self.functions == 0 => Becomes::Statement(timed),
                        Some(timed) => self.call(timed, range.end),
                        None => Becomes::Filler,
                    };
                    self.found.push((range, becomes));
                }
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::IpyEscapeCommand(escape) = expr {
                let range = escape.range().start().to_usize()..escape.range().end().to_usize();
                let becomes = self.timed(&range).map_or(Becomes::Filler, |timed| self.call(timed, range.end));
                self.found.push((range, becomes));
            }
            visitor::walk_expr(self, expr);
        }
    }
    let parsed = crate::syntax::parse_unchecked_source(source, PySourceType::Ipynb);
    let mut escapes = Escapes { source, functions: 0, found: Vec::new() };
    escapes.visit_body(&parsed.syntax().body);
    escapes.found.sort_by_key(|(range, _)| range.start);
    let mut out = Vec::with_capacity(source.len());
    let mut at = 0;
    for (range, becomes) in escapes.found {
        out.extend_from_slice(&source.as_bytes()[at..range.start]);
        at = range.end;
        if let Becomes::Call(call) = becomes {
            out.extend_from_slice(call.as_bytes());
            continue;
        }
        // Spaces for everything but line breaks (an escape continued with
        // `\` spans lines), then `...` (or as much of it as fits) in front.
        let mut blank: Vec<u8> = source.as_bytes()[range.clone()].iter().map(|b| if matches!(b, b'\n' | b'\r') { *b } else { b' ' }).collect();
        let front: &[u8] = match becomes {
            Becomes::Statement(statement) => &source.as_bytes()[statement..range.end],
            _ => {
                let room = blank.iter().take_while(|b| **b == b' ').count();
                let filler: &[u8] = if room >= 3 { b"..." } else { b"0" };
                &filler[..filler.len().min(room)]
            }
        };
        blank[..front.len()].copy_from_slice(front);
        out.extend_from_slice(&blank);
    }
    out.extend_from_slice(&source.as_bytes()[at..]);
    // Only whole escapes were replaced, by ASCII or by their own text: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| source.to_owned())
}

/// The module a notebook's code runs as in the sandbox: `analysis.ipynb`
/// is `analysis_ipynb.py` beside it (an `analysis.py` there stays itself).
pub fn module_path(notebook: &Path) -> std::path::PathBuf {
    let stem = notebook.file_stem().and_then(|s| s.to_str()).unwrap_or("notebook");
    let name: String = stem.chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '_' }).collect();
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("_{name}") } else { name };
    notebook.with_file_name(format!("{name}_ipynb.py"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Cell<'_> {
        Cell { kind: CellKind::Code, language: "python", text }
    }

    #[test]
    fn cells_join_into_one_module_and_lines_map_both_ways() {
        let notebook = Notebook::from_cells([
            code("import os"),
            Cell { kind: CellKind::Markup, language: "markdown", text: "# Title" },
            code("%%bash\necho hi"),
            code("x = os.sep\ny = x\n"),
        ]);
        assert_eq!(notebook.source(), "import os\nx = os.sep\ny = x\n\n");
        assert_eq!(notebook.to_cell(0), Some(CellLine { cell: 0, line: 0 }));
        assert_eq!(notebook.to_cell(2), Some(CellLine { cell: 3, line: 1 }));
        assert_eq!(notebook.cell_lines(0), Some((0, 1)));
        assert_eq!(notebook.cell_lines(3), Some((1, 3)));
        assert_eq!(notebook.cell_lines(1), None, "markdown is not in the module");
        assert_eq!(notebook.cell_lines(2), None, "a cell magic's cell is not Python");
        assert_eq!(notebook.cell_lines(9), None);
    }

    #[test]
    fn module_lines_end_as_ruffs_index_ends_them() {
        let notebook = Notebook::from_cells([code("a = 1\rb = '\u{2028}'"), code("c = 2\r\nd = 3")]);
        let line = |at: u32| notebook.module_line(at).map(|line| (line.as_str().to_owned(), line.line_ending().map(|e| e.as_str())));
        assert_eq!(line(0), Some(("a = 1".to_owned(), Some("\r"))));
        assert_eq!(line(1), Some(("b = '\u{2028}'".to_owned(), Some("\n"))), "a U+2028 ends no line");
        assert_eq!(line(3), Some(("d = 3".to_owned(), Some("\n"))));
        assert_eq!(line(4), None, "nothing after the last line break");
        assert_eq!(notebook.cell_lines(1), Some((2, 2)));
    }

    #[test]
    fn other_languages_stay_out_and_a_broken_cell_does_not_swallow_the_next() {
        let notebook = Notebook::from_cells([
            Cell { kind: CellKind::Code, language: "r", text: "x <- 1" },
            code("f(("),
            code("%matplotlib inline\ndef g():\n    return 1"),
        ]);
        assert_eq!(notebook.source(), "f((\n%matplotlib inline\ndef g():\n    return 1\n");
        let parsed = notebook.parse_cells();
        assert!(!parsed.errors().is_empty());
        let defs = parsed.syntax().body.iter().filter(|s| s.is_function_def_stmt()).count();
        assert_eq!(defs, 1, "the third cell parses on its own: {:?}", parsed.syntax().body);
    }

    #[test]
    fn cells_parse_apart_and_ranges_that_do_not_fit_parse_whole() {
        let notebook = Notebook::from_cells([code("x = f(1,"), code("y = 2")]);
        let text = notebook.source();
        assert_eq!(parse_module(text, Some(&notebook.cell_ranges())).syntax().body.len(), 2, "`y = 2` is its own statement");
        assert_eq!(parse_module(text, None).syntax().body.len(), 1, "joined, `y=2` is an argument");
        // Must not: ranges of another text (overlapping, past its end)
        // would make ruff's cell parser panic: the text is parsed whole.
        let wrong = [TextRange::new(0.into(), 3.into()), TextRange::new(2.into(), 40.into())];
        assert_eq!(parse_module(text, Some(&wrong)).syntax().body.len(), 1);
        assert_eq!(parse_module(text, Some(&[])).syntax().body.len(), 1);
    }

    #[test]
    fn writefile_cells_write_their_bodies_in_order() {
        let notebook = Notebook::from_cells([
            code("%%writefile helper.py\ndef greet():\n    return 'hi'\n"),
            code("%%writefile -a helper.py\nX = 1\n"),
            code("%%writefile \"b.py\"\nold\n"),
            code("%%writefile b.py\nnew\n"),
            // Must not: an append to a file no cell wrote (it is the one on
            // disk), a cell magic that is not `%%writefile`.
            code("%%writefile --append c.py\nmore\n"),
            code("%%writefiles d.py\nx\n"),
            code("%%time\nx = 1\n"),
        ]);
        let written = notebook.written_files();
        let expected = [("helper.py", "def greet():\n    return 'hi'\nX = 1\n"), ("b.py", "new\n")];
        assert_eq!(written.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect::<Vec<_>>(), expected);
    }

    #[test]
    fn magics_run_as_comments_and_the_module_has_a_python_name() {
        assert_eq!(runnable("%matplotlib inline\nx = 1\ny = x % 2\n"), "...               \nx = 1\ny = x % 2\n");
        assert_eq!(runnable("files = !ls\nlen?\n"), "files = ...\n... \n");
        // `%time` runs its statement (IPython binds `z`); `%timeit` runs it
        // in a function of its own, and a bare `%time` has none.
        assert_eq!(runnable("if True:\n    %time z = 1\n"), "if True:\n    z = 1      \n");
        assert_eq!(runnable("%timeit z = 1\n%time\n"), "...          \n...  \n");
        assert_eq!(runnable("%time \\\n  w = 1\n"), "...    \n       \n");
        // As a value, and in a function (IPython runs it in a copy of the
        // function's locals): the call nbconvert writes, which the
        // sandbox's `get_ipython()` runs as IPython does.
        assert_eq!(runnable("z = %time 2 + 3\n"), "z = get_ipython().run_line_magic('time', \"2 + 3\")\n");
        assert_eq!(runnable("def g():\n    %time y = 'a'\n    return y\n"), "def g():\n    get_ipython().run_line_magic('time', \"y = 'a'\")\n    return y\n");
        // Must not: in a class body (IPython binds in its namespace) it
        // stays the statement.
        assert_eq!(runnable("class C:\n    %time y = 3\n"), "class C:\n    y = 3      \n");
        let ran = runnable("def f():\n    !ls\n    return 1\n");
        assert!(ruff_python_parser::parse_module(&ran).is_ok(), "{ran}");
        assert_eq!(module_path(Path::new("/w/2024 results.ipynb")), Path::new("/w/_2024_results_ipynb.py"));
    }

    #[test]
    fn an_ipynb_file_reads_with_its_cell_numbers() {
        let json = r##"{"cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Notes"]},
            {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": ["import sys\n", "print(sys.argv)"]}
        ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"##;
        let notebook = Notebook::parse(json).unwrap();
        assert_eq!(notebook.source(), "import sys\nprint(sys.argv)\n");
        assert_eq!(notebook.to_cell(1), Some(CellLine { cell: 1, line: 1 }));
        assert!(Notebook::parse("{\"cells\": 3}").unwrap_err().starts_with("not a Jupyter notebook"));
    }
}
