//! What an LLM action works on: the stub function, instruction comment or
//! enclosing function at a position, found with ruff's parser.

use std::ops::Range;

use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{Expr, PySourceType, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::place::{DefTarget, line_end, line_start};

/// A function definition, located by byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionTarget {
    pub name: String,
    /// The names of the classes and functions it is defined in, outermost first.
    pub container: Vec<String>,
    /// The whole `def` (with its decorators), for context and explanation.
    pub range: Range<usize>,
    /// Its docstring, if it has one.
    pub docstring: Option<Range<usize>>,
    /// What an implementation replaces: the body after the docstring, from
    /// the start of its first line to the end of its last statement.
    pub body: Range<usize>,
    /// Whether the body is only `...`, `pass` or `raise NotImplementedError`.
    pub is_stub: bool,
    /// The indentation of the body's lines.
    pub indent: String,
}

/// An instruction comment (`# TODO: ...` or any comment on the line), to be
/// replaced by the code it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentTarget {
    pub instruction: String,
    /// The comment's whole line, newline included.
    pub line: Range<usize>,
    pub indent: String,
}

/// The innermost function whose definition contains `offset`.
pub fn function_at(source: &str, offset: usize) -> Option<FunctionTarget> {
    function_in(source, None, offset)
}

/// The innermost function whose definition contains `offset`, in a
/// notebook's joined `cells` when given: each cell parsed on its own, as
/// IPython runs it and the graph reads it (a later cell is no body of a
/// `def` whose docstring an earlier cell leaves open).
pub fn function_in(source: &str, cells: Option<&[TextRange]>, offset: usize) -> Option<FunctionTarget> {
    struct Finder<'a> {
        offset: usize,
        /// The definitions containing the offset, outermost first.
        path: Vec<String>,
        found: Option<(&'a StmtFunctionDef, Vec<String>)>,
    }
    impl<'a> StatementVisitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let range = stmt.range();
            if !(range.start().to_usize() <= self.offset && self.offset <= range.end().to_usize()) {
                return;
            }
            let name = match stmt {
                Stmt::FunctionDef(def) => {
                    self.found = Some((def, self.path.clone()));
                    Some(def.name.id.to_string())
                }
                Stmt::ClassDef(class) => Some(class.name.id.to_string()),
                _ => None,
            };
            if let Some(name) = &name {
                self.path.push(name.clone());
            }
            walk_stmt(self, stmt);
            if name.is_some() {
                self.path.pop();
            }
        }
    }
    let parsed = match cells {
        Some(cells) => crate::notebook::parse_module(source, Some(cells)),
        None => ruff_python_parser::parse_unchecked_source(source, PySourceType::Python),
    };
    let mut finder = Finder { offset, path: Vec::new(), found: None };
    finder.visit_body(parsed.suite());
    finder.found.map(|(def, container)| describe(source, def, container))
}

fn describe(source: &str, def: &StmtFunctionDef, container: Vec<String>) -> FunctionTarget {
    let statements: &[Stmt] = &def.body;
    let (docstring, after_docstring) = match statements.first() {
        Some(Stmt::Expr(e)) if e.value.is_string_literal_expr() => (Some(e.range.start().to_usize()..e.range.end().to_usize()), &statements[1..]),
        _ => (None, statements),
    };
    let is_stub = match after_docstring {
        [] => true,
        [only] => is_stub_statement(only),
        _ => false,
    };
    let end = def.range.end().to_usize();
    let body_start = after_docstring.first().map_or(end, |s| line_start(source, s.range().start().to_usize()));
    let first_body_line = statements.first().map_or(end, |s| s.range().start().to_usize());
    let indent = source[line_start(source, first_body_line)..first_body_line].to_owned();
    FunctionTarget {
        name: def.name.id.to_string(),
        container,
        range: def.range.start().to_usize()..end,
        docstring,
        body: body_start..end,
        is_stub,
        indent: if indent.trim().is_empty() { indent } else { "    ".to_owned() },
    }
}

/// The definition (function or class, at any depth) whose whole lines are
/// `lines` (blank lines around it aside): a selection of exactly one
/// definition is a refactor of it.
pub fn definition_on_lines(source: &str, lines: Range<usize>) -> Option<DefTarget> {
    struct Finder<'s> {
        source: &'s str,
        lines: Range<usize>,
        path: Vec<String>,
        found: Option<DefTarget>,
    }
    impl<'a> StatementVisitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let (name, is_class, body) = match stmt {
                Stmt::FunctionDef(f) => (f.name.to_string(), false, &f.body),
                Stmt::ClassDef(c) => (c.name.to_string(), true, &c.body),
                _ => return,
            };
            let range = stmt.range().start().to_usize()..stmt.range().end().to_usize();
            let whole = line_start(self.source, range.start)..line_end(self.source, range.end);
            if whole.start == self.lines.start && self.source[whole.end..self.lines.end.max(whole.end)].trim().is_empty() && whole.end <= self.lines.end {
                let docstring = match body.first() {
                    Some(Stmt::Expr(e)) if e.value.is_string_literal_expr() => Some(e.range.start().to_usize()..e.range.end().to_usize()),
                    _ => None,
                };
                self.found = Some(DefTarget { name, is_class, container: self.path.clone(), range, docstring });
                return;
            }
            let content_end = self.lines.start + self.source[self.lines.clone()].trim_end().len();
            if range.start <= self.lines.start && content_end <= whole.end {
                self.path.push(name);
                walk_stmt(self, stmt);
                self.path.pop();
            }
        }
    }
    let parsed = ruff_python_parser::parse_unchecked_source(source, PySourceType::Python);
    let mut finder = Finder { source, lines, path: Vec::new(), found: None };
    finder.visit_body(parsed.suite());
    finder.found
}

/// The whole lines of the module-level statement at `offset`.
pub fn statement_at(source: &str, offset: usize) -> Option<Range<usize>> {
    let parsed = ruff_python_parser::parse_unchecked_source(source, PySourceType::Python);
    let stmt = parsed.suite().iter().find(|s| s.range().start().to_usize() <= offset && offset <= s.range().end().to_usize())?;
    let end = stmt.range().end().to_usize();
    Some(line_start(source, stmt.range().start().to_usize())..line_end(source, end))
}

pub(super) fn is_stub_statement(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Pass(_) => true,
        Stmt::Expr(e) => e.value.is_ellipsis_literal_expr(),
        Stmt::Raise(raise) => match raise.exc.as_deref() {
            Some(Expr::Name(name)) => name.id.as_str() == "NotImplementedError",
            Some(Expr::Call(call)) => {
                matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "NotImplementedError")
            }
            _ => false,
        },
        _ => false,
    }
}

/// The comment on the line containing `offset`, if the line is only a comment.
pub fn comment_at(source: &str, offset: usize) -> Option<CommentTarget> {
    let offset = offset.min(source.len());
    let start = line_start(source, offset);
    let end = line_end(source, start);
    let line = &source[start..end];
    let trimmed = line.trim_start();
    let comment = trimmed.strip_prefix('#')?.trim();
    let instruction = comment.strip_prefix("TODO:").or_else(|| comment.strip_prefix("TODO")).unwrap_or(comment).trim();
    if instruction.is_empty() {
        return None;
    }
    Some(CommentTarget { instruction: instruction.to_owned(), line: start..end, indent: line[..line.len() - trimmed.len()].to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_and_a_statement_end_at_a_bare_carriage_return() {
        let source = "x = 1\r# TODO: add y\rz = (2,\r     3)\rw = 4\r";
        let comment = source.find('#').unwrap();
        let target = comment_at(source, comment + 3).expect("the comment's line");
        assert_eq!((target.instruction.as_str(), &source[target.line]), ("add y", "# TODO: add y\r"));
        let z = source.find('z').unwrap();
        assert_eq!(statement_at(source, z).map(|lines| &source[lines]), Some("z = (2,\r     3)\r"));
        // Must not: `\r\n` lines as before.
        let crlf = source.replace('\r', "\r\n");
        let comment = crlf.find('#').unwrap();
        assert_eq!(comment_at(&crlf, comment).map(|t| crlf[t.line].to_owned()), Some("# TODO: add y\r\n".to_owned()));
        assert_eq!(statement_at(&crlf, crlf.find('z').unwrap()).map(|lines| &crlf[lines]), Some("z = (2,\r\n     3)\r\n"));
    }

    /// Splits `$0` out of a fixture: (text, cursor offset).
    fn cursor(fixture: &str) -> (String, usize) {
        let offset = fixture.find("$0").expect("fixture has a $0 cursor");
        (fixture.replacen("$0", "", 1), offset)
    }

    fn check_function(fixture: &str, name: &str, is_stub: bool, body: &str) {
        let (text, offset) = cursor(fixture);
        let target = function_at(&text, offset).expect("a function at the cursor");
        assert_eq!((target.name.as_str(), target.is_stub), (name, is_stub));
        assert_eq!(&text[target.body.clone()], body);
    }

    #[test]
    fn stubs_of_each_kind_are_recognised() {
        check_function("def f(a):\n    \"\"\"Doc.\"\"\"\n    ...$0\n", "f", true, "    ...");
        check_function("def f(a):\n    pa$0ss\n", "f", true, "    pass");
        check_function("def $0f(a):\n    raise NotImplementedError('later')\n", "f", true, "    raise NotImplementedError('later')");
        check_function("def f(a):\n    \"\"\"Only a docstring.$0\"\"\"\n", "f", true, "");
        check_function("def f(a):\n    return $0a\n", "f", false, "    return a");
    }

    #[test]
    fn the_innermost_function_wins() {
        check_function("class C:\n    def outer(self):\n        def inner():\n            pass$0\n        return inner\n", "inner", true, "            pass");
        let (text, offset) = cursor("class C:\n    @staticmethod\n    def f():\n        \"\"\"Doc.\"\"\"\n        $0...\n");
        let target = function_at(&text, offset).unwrap();
        assert_eq!(target.container, ["C"]);
        assert_eq!(&text[target.range.clone()], "@staticmethod\n    def f():\n        \"\"\"Doc.\"\"\"\n        ...");
        assert_eq!(&text[target.docstring.unwrap()], "\"\"\"Doc.\"\"\"");
    }

    #[test]
    fn a_notebooks_later_cell_is_no_body_of_a_def_an_earlier_cell_leaves_open() {
        use crate::notebook::{Cell, CellKind, Notebook};
        let code = |text| Cell { kind: CellKind::Code, language: "python", text };
        let notebook = Notebook::from_cells([code("def helper(n):\n    return n"), code("def doc():\n    \"\"\"Start"), code("r = helper(3)")]);
        let (text, cells) = (notebook.source(), notebook.cell_ranges());
        let in_last_cell = text.find("helper(3)").unwrap();
        assert_eq!(function_in(text, Some(&cells), in_last_cell), None, "cell 3 is its own code");
        // Must not: inside cell 2 it is `doc`; the same text as a `.py`
        // is `doc`'s docstring, as Python reads it.
        let in_doc = text.find("Start").unwrap();
        assert_eq!(function_in(text, Some(&cells), in_doc).map(|f| f.name), Some("doc".to_owned()));
        assert_eq!(function_at(text, in_last_cell).map(|f| f.name), Some("doc".to_owned()));
    }

    #[test]
    fn a_selection_of_one_definition_is_that_definition() {
        let source = "import os\n\n\nclass C:\n    def f(self):\n        pass\n\n    def g(self):\n        pass\n\n\nx = 1\n";
        let class = source.find("class").unwrap();
        let end = source.find("\n\nx").unwrap() + 2;
        let found = definition_on_lines(source, class..end).unwrap();
        assert_eq!((found.name.as_str(), found.is_class, found.container.len()), ("C", true, 0));
        let g = source.find("    def g").unwrap();
        let found = definition_on_lines(source, g..end).unwrap();
        assert_eq!((found.name.as_str(), found.container.as_slice()), ("g", ["C".to_owned()].as_slice()));
        assert_eq!(definition_on_lines(source, 0..end), None);
        assert_eq!(statement_at(source, 3), Some(0..10));
    }

    #[test]
    fn instruction_comments() {
        let (text, offset) = cursor("def f():\n    # TODO: ret$0urn the answer\n    pass\n");
        let target = comment_at(&text, offset).unwrap();
        assert_eq!(target.instruction, "return the answer");
        assert_eq!(target.indent, "    ");
        assert_eq!(&text[target.line], "    # TODO: return the answer\n");
        let (text, offset) = cursor("x = 1$0  # not a comment line\n");
        assert_eq!(comment_at(&text, offset), None);
    }
}
