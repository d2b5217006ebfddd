//! A tar member extracted on its own without a filter (`tar.extract(member,
//! dest)`): like `extractall` (ruff's S202), it writes the member where
//! its name or link points (`../`, an absolute path, a symlink out of the
//! folder). `filter="data"` refuses those. The receiver must be a tar
//! opened in sight: made in place, or a name the enclosing function (or
//! the module) binds to `tarfile.open(...)` by assignment or `with ... as`,
//! and to nothing else that way; `extract` of anything else (a zip, which
//! strips `..` itself) is silent.

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
        // The member may have been checked before; the archive is not the program's.
        finding.confidence = Some(Confidence::Medium);
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
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }
}
