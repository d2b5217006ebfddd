//! Finding the runnable snippets in one Python file: doctests in
//! docstrings, `test_*` functions, `unittest.TestCase` methods and pytest
//! tests. Works on any buffer, broken or not (the parser recovers).

use ruff_python_ast::PySourceType;
use ruff_python_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};
use serde::Serialize;

use crate::findings::Locator;

/// How a snippet is run inside the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SnippetKind {
    /// `>>>` examples in a docstring, run with `doctest`.
    Doctest,
    /// A `test_*` function with plain asserts, called directly.
    Function,
    /// A `test*` method of a `unittest.TestCase` subclass.
    #[serde(rename = "unittest")]
    UnitTest,
    /// A test that needs pytest: fixtures (parameters), `pytest` decorators,
    /// or a method of a plain `Test*` class.
    Pytest,
}

/// One runnable snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// Dotted path inside the module (`Calc.test_add`); for doctests the
    /// object whose docstring holds them, the module's own being `""`.
    pub name: String,
    pub kind: SnippetKind,
    /// 1-based line the lens goes on (the `def`/`class` line, or the
    /// docstring's first line for a module doctest).
    pub line: usize,
    /// 1-based last line covered, so a cursor anywhere inside selects it.
    pub end_line: usize,
}

/// All snippets in `source`, in source order.
pub fn discover(source: &str) -> Vec<Snippet> {
    found(source, &ruff_python_parser::parse_unchecked_source(source, PySourceType::Python))
}

/// All snippets in a notebook's joined `source`, its Python `cells` (see
/// [`crate::notebook::Notebook::cell_ranges`]) parsed each on its own as
/// IPython runs them: an unclosed bracket in one cell does not swallow
/// the tests of the cells after it.
pub fn discover_in_cells(source: &str, cells: &[TextRange]) -> Vec<Snippet> {
    found(source, &crate::notebook::parse_module(source, Some(cells)))
}

fn found(source: &str, parsed: &ruff_python_parser::Parsed<ruff_python_ast::ModModule>) -> Vec<Snippet> {
    let module = parsed.syntax();
    let mut finder = Finder { locator: Locator::new(source), pytest_module: imports_pytest(&module.body), found: Vec::new() };
    if let Some(docstring) = doctest_docstring(&module.body) {
        finder.push(String::new(), SnippetKind::Doctest, docstring, docstring);
    }
    finder.scope(&module.body, "");
    finder.found.sort_by_key(|snippet| snippet.line);
    finder.found
}

/// The snippets a cursor on `line` (1-based) asks for: the innermost test
/// containing it, else every snippet in the file.
pub fn select(snippets: &[Snippet], line: Option<usize>) -> Vec<Snippet> {
    let Some(line) = line else { return snippets.to_vec() };
    let innermost = snippets.iter().filter(|snippet| (snippet.line..=snippet.end_line).contains(&line)).min_by_key(|snippet| snippet.end_line - snippet.line);
    match innermost {
        Some(snippet) => vec![snippet.clone()],
        None => snippets.to_vec(),
    }
}

struct Finder<'a> {
    locator: Locator<'a>,
    pytest_module: bool,
    found: Vec<Snippet>,
}

impl Finder<'_> {
    fn push(&mut self, name: String, kind: SnippetKind, anchor: TextRange, extent: TextRange) {
        let (line, _) = self.locator.line_column(anchor.start().to_usize());
        let (end_line, _) = self.locator.line_column(extent.end().to_usize());
        self.found.push(Snippet { name, kind, line, end_line });
    }

    /// Module or class body: functions, classes and their doctests.
    fn scope(&mut self, body: &[Stmt], prefix: &str) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(function) => {
                    let name = format!("{prefix}{}", function.name.id);
                    self.doctest(&name, &function.body, function.name.range, function.range);
                    if prefix.is_empty() && function.name.id.starts_with("test") {
                        let kind = if self.pytest_module || needs_pytest(function) { SnippetKind::Pytest } else { SnippetKind::Function };
                        self.push(name, kind, function.name.range, function.range);
                    }
                }
                Stmt::ClassDef(class) => {
                    let name = format!("{prefix}{}", class.name.id);
                    self.doctest(&name, &class.body, class.name.range, class.range);
                    if prefix.is_empty() {
                        self.test_class(class, &name);
                    }
                }
                _ => {}
            }
        }
    }

    fn test_class(&mut self, class: &StmtClassDef, name: &str) {
        let kind = if is_test_case(class) {
            SnippetKind::UnitTest
        } else if class.name.id.starts_with("Test") {
            SnippetKind::Pytest
        } else {
            // Only doctests live in other classes.
            return self.methods_doctests(class, name);
        };
        for stmt in &class.body {
            if let Stmt::FunctionDef(method) = stmt {
                let method_name = format!("{name}.{}", method.name.id);
                self.doctest(&method_name, &method.body, method.name.range, method.range);
                if method.name.id.starts_with("test") {
                    self.push(method_name, kind, method.name.range, method.range);
                }
            }
        }
    }

    fn methods_doctests(&mut self, class: &StmtClassDef, name: &str) {
        self.scope(&class.body, &format!("{name}."));
    }

    fn doctest(&mut self, name: &str, body: &[Stmt], anchor: TextRange, extent: TextRange) {
        if doctest_docstring(body).is_some() {
            self.push(name.to_owned(), SnippetKind::Doctest, anchor, extent);
        }
    }
}

/// The range of a docstring that holds `>>>` examples.
fn doctest_docstring(body: &[Stmt]) -> Option<TextRange> {
    let Some(Stmt::Expr(expr)) = body.first() else { return None };
    let Expr::StringLiteral(string) = expr.value.as_ref() else { return None };
    string.value.to_str().lines().any(|line| line.trim_start().starts_with(">>>")).then(|| string.range())
}

/// `class X(unittest.TestCase)` / `class X(TestCase)` (also `IsolatedAsyncioTestCase`).
fn is_test_case(class: &StmtClassDef) -> bool {
    class.arguments.iter().flat_map(|arguments| arguments.args.iter()).any(|base| {
        let name = match base {
            Expr::Name(name) => name.id.as_str(),
            Expr::Attribute(attribute) => attribute.attr.id.as_str(),
            _ => return false,
        };
        name.ends_with("TestCase")
    })
}

/// Parameters are fixtures and `@pytest.…` decorators need pytest to mean anything.
fn needs_pytest(function: &StmtFunctionDef) -> bool {
    let parameters = &function.parameters;
    let takes_fixtures = !parameters.args.is_empty() || !parameters.posonlyargs.is_empty() || !parameters.kwonlyargs.is_empty();
    let decorated = function.decorator_list.iter().any(|decorator| mentions_pytest(&decorator.expression));
    takes_fixtures || decorated
}

fn mentions_pytest(expr: &Expr) -> bool {
    match expr {
        Expr::Name(name) => name.id.as_str() == "pytest",
        Expr::Attribute(attribute) => mentions_pytest(&attribute.value),
        Expr::Call(call) => mentions_pytest(&call.func),
        _ => false,
    }
}

/// A module that imports pytest is a pytest module: run its tests the way
/// its author does.
fn imports_pytest(body: &[Stmt]) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Import(import) => import.names.iter().any(|alias| alias.name.id.as_str() == "pytest"),
        Stmt::ImportFrom(import) => import.module.as_ref().is_some_and(|module| module.id.as_str() == "pytest" || module.id.as_str().starts_with("_pytest")),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(source: &str, expect: Expect) {
        let rendered: String = discover(source)
            .iter()
            .map(|s| format!("{:?} {} {}-{}\n", s.kind, if s.name.is_empty() { "<module>" } else { &s.name }, s.line, s.end_line))
            .collect();
        expect.assert_eq(&rendered);
    }

    /// `$0` marks the cursor; returns the selected names.
    fn check_select(source: &str, expected: &[&str]) {
        let offset = source.find("$0").expect("cursor marker");
        let line = source[..offset].matches('\n').count() + 1;
        let source = source.replace("$0", "");
        let names: Vec<String> = select(&discover(&source), Some(line)).into_iter().map(|s| s.name).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn finds_every_kind() {
        check(
            r#""""Module.

>>> 1 + 1
2
"""
import unittest

def add(a, b):
    """
    >>> add(1, 2)
    3
    """
    return a + b

def test_add():
    assert add(1, 2) == 3

def helper():
    pass

class TestMath(unittest.TestCase):
    def test_sum(self):
        self.assertEqual(add(1, 1), 2)

    def setUp(self):
        pass

class TestPlain:
    def test_x(self):
        assert True

class Calc:
    def mul(self, a, b):
        """>>> Calc().mul(2, 3)
        6
        """
"#,
            expect![[r#"
                Doctest <module> 1-5
                Doctest add 8-13
                Function test_add 15-16
                UnitTest TestMath.test_sum 22-23
                Pytest TestPlain.test_x 29-30
                Doctest Calc.mul 33-36
            "#]],
        );
    }

    #[test]
    fn fixtures_decorators_and_pytest_imports_mean_pytest() {
        check(
            "import pytest\n\ndef test_a():\n    assert 1\n",
            expect![[r#"
                Pytest test_a 3-4
            "#]],
        );
        check(
            "def test_tmp(tmp_path):\n    pass\n\n@pytest.mark.parametrize('x', [1])\ndef test_p(x):\n    pass\n",
            expect![[r#"
                Pytest test_tmp 1-2
                Pytest test_p 5-6
            "#]],
        );
    }

    #[test]
    fn broken_buffers_still_yield_snippets() {
        check(
            "def test_ok():\n    assert 1\n\ndef broken(:\n",
            expect![[r#"
                Function test_ok 1-2
            "#]],
        );
    }

    #[test]
    fn cursor_selects_the_innermost_test_or_the_whole_file() {
        check_select("class T(TestCase):\n    def test_a(self):\n        x = 1$0\n    def test_b(self):\n        pass\n", &["T.test_a"]);
        check_select("def test_a():\n    pass\n$0\ndef test_b():\n    pass\n", &["test_a", "test_b"]);
        check_select("def f():\n    \"\"\">>> f()$0\n    \"\"\"\n", &["f"]);
    }
}
