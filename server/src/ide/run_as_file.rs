//! Modules of a package that are also run as a file (`python
//! tool/__init__.py`, `python tool/cli.py`): Python then puts the file's
//! own folder first on `sys.path`, not the folder above its package, so
//! neither `from tool.x import y` nor `from .x import y` imports. A
//! refactoring that adds such an import to one breaks the script while
//! every import of the module still works (tabulate's CLI tests run its
//! `__init__.py` that way).
//!
//! A module is taken to be run as a file when it has an `if __name__ ==
//! "__main__":` block, or runs calls at its top level and nothing imports
//! it (a script), and imports nothing of its own package
//! unconditionally at its top level (one that does cannot run as a file
//! anyway, unless its package is importable from everywhere: then another
//! import of the same kind works too). An import under `try:` (tabulate's
//! `from .version import …` with `except ImportError`) is the sign of a
//! module that runs both ways, not the opposite.

use ruff_python_ast::visitor::source_order::{self, SourceOrderVisitor};
use ruff_python_ast::{CmpOp, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::graph::Span;

/// Where a module imports from its own package: the statements.
#[derive(Default)]
struct OwnImports<'a> {
    top: &'a str,
    found: Vec<Span>,
}

impl<'a> SourceOrderVisitor<'a> for OwnImports<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if own_import(stmt, self.top) {
            self.found.push(stmt.range().into());
        }
        source_order::walk_stmt(self, stmt);
    }
}

/// Whether `stmt` imports from the package whose top-level name is `top`
/// (or relatively, which only a package allows).
fn own_import(stmt: &Stmt, top: &str) -> bool {
    let own = |module: &str| module.split('.').next() == Some(top);
    match stmt {
        Stmt::ImportFrom(from) => from.level > 0 || from.module.as_ref().is_some_and(|m| own(m.as_str())),
        Stmt::Import(import) => import.names.iter().any(|alias| own(alias.name.as_str())),
        _ => false,
    }
}

/// The `if __name__ == "__main__":` statement at the top level of `text`.
pub(super) fn main_block(text: &str) -> Option<Span> {
    let parsed = ruff_python_parser::parse_module(text).ok()?;
    parsed.syntax().body.iter().find_map(|stmt| {
        let Stmt::If(branch) = stmt else { return None };
        let Expr::Compare(compare) = &*branch.test else { return None };
        let sides = [&*compare.left, compare.comparators.first()?];
        let name = sides.iter().any(|e| matches!(e, Expr::Name(n) if n.id.as_str() == "__name__"));
        let main = sides.iter().any(|e| matches!(e, Expr::StringLiteral(s) if s.value.to_str() == "__main__"));
        (compare.ops.as_ref() == [CmpOp::Eq] && name && main).then(|| stmt.range().into())
    })
}

/// The import of its package that `after` adds to the module `module` (a
/// package when `is_package`) at its text `before`, where `before`
/// imports nothing of its package unconditionally: run as a file, the
/// module would fail there. A top-level module has none (its folder, a
/// source root, is on `sys.path` when it runs as a file).
pub(super) fn added_own_import(module: &str, is_package: bool, before: &str, after: &str) -> Option<Span> {
    if !is_package && !module.contains('.') {
        return None;
    }
    let top = module.split('.').next()?;
    let parsed = ruff_python_parser::parse_module(before).ok()?;
    if parsed.syntax().body.iter().any(|stmt| own_import(stmt, top)) {
        return None;
    }
    let had = own_imports(before, top)?;
    own_imports(after, top)?.into_iter().find(|(_, text)| !had.iter().any(|(_, h)| h == text)).map(|(span, _)| span)
}

/// Every import of `text` from the package `top`, nested ones too, with its text.
fn own_imports<'t>(text: &'t str, top: &str) -> Option<Vec<(Span, &'t str)>> {
    let parsed = ruff_python_parser::parse_module(text).ok()?;
    let mut visitor = OwnImports { top, found: Vec::new() };
    visitor.visit_body(&parsed.syntax().body);
    Some(visitor.found.into_iter().filter_map(|span| Some((span, text.get(span.range())?))).collect())
}
