//! What an LLM action works on: the stub function, instruction comment or
//! enclosing function at a position, found with ruff's parser.

use std::ops::Range;

use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{Expr, PySourceType, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

/// A function definition, located by byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionTarget {
    pub name: String,
    /// The whole `def` (decorators excluded), for context and explanation.
    pub range: Range<usize>,
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
    struct Finder<'a> {
        offset: usize,
        found: Option<&'a StmtFunctionDef>,
    }
    impl<'a> StatementVisitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let range = stmt.range();
            if !(range.start().to_usize() <= self.offset && self.offset <= range.end().to_usize()) {
                return;
            }
            if let Stmt::FunctionDef(def) = stmt {
                self.found = Some(def);
            }
            walk_stmt(self, stmt);
        }
    }
    let parsed = ruff_python_parser::parse_unchecked_source(source, PySourceType::Python);
    let mut finder = Finder { offset, found: None };
    finder.visit_body(parsed.suite());
    finder.found.map(|def| describe(source, def))
}

fn describe(source: &str, def: &StmtFunctionDef) -> FunctionTarget {
    let statements: &[Stmt] = &def.body;
    let after_docstring = match statements.first() {
        Some(Stmt::Expr(e)) if e.value.is_string_literal_expr() => &statements[1..],
        _ => statements,
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
        range: def.range.start().to_usize()..end,
        body: body_start..end,
        is_stub,
        indent: if indent.trim().is_empty() { indent } else { "    ".to_owned() },
    }
}

fn is_stub_statement(stmt: &Stmt) -> bool {
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
    let end = source[start..].find('\n').map_or(source.len(), |i| start + i + 1);
    let line = &source[start..end];
    let trimmed = line.trim_start();
    let comment = trimmed.strip_prefix('#')?.trim();
    let instruction = comment.strip_prefix("TODO:").or_else(|| comment.strip_prefix("TODO")).unwrap_or(comment).trim();
    if instruction.is_empty() {
        return None;
    }
    Some(CommentTarget {
        instruction: instruction.to_owned(),
        line: start..end,
        indent: line[..line.len() - trimmed.len()].to_owned(),
    })
}

fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        check_function(
            "class C:\n    def outer(self):\n        def inner():\n            pass$0\n        return inner\n",
            "inner",
            true,
            "            pass",
        );
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
