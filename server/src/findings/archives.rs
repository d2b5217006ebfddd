//! A tar member extracted on its own without a filter (`tar.extract(member,
//! dest)`): like `extractall` (ruff's S202), it writes the member where
//! its name or link points (`../`, an absolute path, a symlink out of the
//! folder). `filter="data"` refuses those. The receiver must be a tar
//! opened in sight: made in place, or a name the enclosing function (or
//! the module) binds to `tarfile.open(...)` by assignment or `with ... as`,
//! and to nothing else that way; `extract` of anything else (a zip, which
//! strips `..` itself) is silent. Where the body checks the members' names
//! first (an `if` on `member.name`, `".."`, `os.path.isabs`, `realpath`,
//! `commonpath`, …) the finding is low: a check the flow cannot judge (it
//! may miss links), hidden by default.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::names::Names;
use super::{Category, Confidence, Finding, Severity};

/// ruff's S202 for `extractall`, here for `extract`.
const EXTRACT_WITHOUT_FILTER: &str = "LOOM202";

const TAR_OPENERS: &[&str] = &[
    "tarfile.open",
    "tarfile.TarFile",
    "tarfile.TarFile.open",
    "tarfile.TarFile.taropen",
    "tarfile.TarFile.gzopen",
    "tarfile.TarFile.bz2open",
    "tarfile.TarFile.xzopen",
];

/// The finding of `call` when it extracts one member of a tar without a
/// filter; `body` is the enclosing function's (or the module's).
pub(super) fn extract(names: &Names, call: &ExprCall, body: &[Stmt]) -> Option<Finding> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    if method.attr.as_str() != "extract" || call.arguments.find_keyword("filter").is_some() || !names.imports("tarfile") {
        return None;
    }
    let tar = match method.value.as_ref() {
        Expr::Call(made) => opens_tar(names, made),
        Expr::Name(name) => {
            let mut binds = BindsTar { names, name: name.id.as_str(), tar: false, other: false };
            binds.visit_body(body);
            binds.tar && !binds.other
        }
        _ => false,
    };
    tar.then(|| {
        let range = method.start().to_usize()..method.end().to_usize();
        let message = "`extract` writes the tar member where its name or link points (`../`, absolute paths, symlinks); pass `filter=\"data\"`";
        let mut finding = Finding::new(range, EXTRACT_WITHOUT_FILTER, Category::Security, Severity::Warning, message.into());
        // The archive is not the program's; whether a check of its names holds is not judged.
        let mut checked = ChecksNames(false);
        checked.visit_body(body);
        finding.confidence = Some(if checked.0 { Confidence::Low } else { Confidence::Medium });
        finding
    })
}

fn opens_tar(names: &Names, call: &ExprCall) -> bool {
    names.qualified(&call.func).is_some_and(|q| TAR_OPENERS.contains(&q.as_str()))
}

/// Whether a body binds `name` to a tar it opens (`tar`), and to
/// something else by assignment or `with ... as` (`other`).
struct BindsTar<'n> {
    names: &'n Names,
    name: &'n str,
    tar: bool,
    other: bool,
}

impl BindsTar<'_> {
    fn bind(&mut self, target: &Expr, value: &Expr) {
        if matches!(target, Expr::Name(n) if n.id.as_str() == self.name) {
            let tar = matches!(value, Expr::Call(made) if opens_tar(self.names, made));
            self.tar |= tar;
            self.other |= !tar;
        }
    }
}

impl<'a> Visitor<'a> for BindsTar<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Assign(assign) => assign.targets.iter().for_each(|t| self.bind(t, &assign.value)),
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(target) = item.optional_vars.as_deref() {
                        self.bind(target, &item.context_expr);
                    }
                }
            }
            // Another scope's names are not this one's.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// Whether a body has an `if` that looks at a member's name or a path's
/// place: `if os.path.isabs(m.name) or ".." in m.name: return False`.
struct ChecksNames(bool);

impl<'a> Visitor<'a> for ChecksNames {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // Another scope's checks are not this one's.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::If(check) => {
                let mut names = NamesPath(false);
                names.visit_expr(&check.test);
                self.0 |= names.0;
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// Whether an expression reads a member's name or asks where a path lies.
struct NamesPath(bool);

impl<'a> Visitor<'a> for NamesPath {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.0 |= match expr {
            Expr::Attribute(a) => {
                matches!(a.attr.as_str(), "name" | "linkname" | "isabs" | "realpath" | "abspath" | "commonpath" | "is_relative_to" | "issym" | "islnk")
            }
            Expr::StringLiteral(s) => s.value.to_str().contains(".."),
            _ => false,
        };
        visitor::walk_expr(self, expr);
    }
}
