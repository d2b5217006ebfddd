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
    opened_in_sight(names, &method.value, body, TAR_OPENERS).then(|| {
        let message = "`extract` writes the tar member where its name or link points (`../`, absolute paths, symlinks); pass `filter=\"data\"`";
        finding(method.start().to_usize()..method.end().to_usize(), message, body)
    })
}

/// A member written where its name points, at `range`: medium, low where
/// `body` checks the names first (the archive is not the program's;
/// whether a check of its names holds is not judged).
fn finding(range: std::ops::Range<usize>, message: &str, body: &[Stmt]) -> Finding {
    let mut finding = Finding::new(range, EXTRACT_WITHOUT_FILTER, Category::Security, Severity::Warning, message.into());
    let mut checked = ChecksNames(false);
    checked.visit_body(body);
    finding.confidence = Some(if checked.0 { Confidence::Low } else { Confidence::Medium });
    finding
}

/// What opens a zip: its members' names lose `..` and their root when
/// `extract`/`extractall` writes them (CPython since 2.7.4).
const ZIP_OPENERS: &[&str] = &["zipfile.ZipFile"];

/// Whether `call` is `extractall` of a zip opened in sight, which writes
/// each member inside the folder whatever its name (ruff's S202 reads any
/// `extractall` in a file that imports `tarfile`).
pub(super) fn zip_extractall(names: &Names, call: &ExprCall, body: &[Stmt]) -> bool {
    let Expr::Attribute(method) = call.func.as_ref() else { return false };
    method.attr.as_str() == "extractall" && opened_in_sight(names, &method.value, body, ZIP_OPENERS)
}

/// A member of an archive opened in sight written by hand under its own
/// name (`open(os.path.join(dest, member.filename), "wb")` for each of
/// `zf.infolist()`; `namelist()`, a tar's `getmembers()`/`getnames()`):
/// `../` or an absolute name leaves the folder ("zip slip"), which
/// `extract` would have stripped. `local` gives what the function binds a
/// name to once (the joined path held in a local).
pub(super) fn member_written<'s>(names: &Names, call: &ExprCall, body: &[Stmt], local: impl Fn(&str) -> Option<&'s Expr>) -> Option<Finding> {
    let Some(Expr::StringLiteral(mode)) = call.arguments.find_argument_value("mode", 1) else { return None };
    if !mode.value.to_str().contains(['w', 'x', 'a']) {
        return None;
    }
    let path = call.arguments.find_argument_value("file", 0)?;
    let path = match path {
        Expr::Name(n) => local(n.id.as_str())?,
        other => other,
    };
    let Expr::Call(join) = path else { return None };
    if names.qualified(&join.func).as_deref() != Some("os.path.join") {
        return None;
    }
    let (member, read) = match join.arguments.args.last()? {
        Expr::Attribute(a) => (a.value.as_name_expr()?.id.as_str(), Some(a.attr.as_str())),
        Expr::Name(n) => (n.id.as_str(), None),
        _ => return None,
    };
    let mut loops = MemberLoops { member, found: None };
    loops.visit_body(body);
    let (archive, listing) = loops.found?;
    let openers = match (listing, read) {
        ("infolist", Some("filename")) | ("namelist", None) => ZIP_OPENERS,
        ("getmembers", Some("name")) | ("getnames", None) => TAR_OPENERS,
        _ => return None,
    };
    if !opened_in_sight(names, archive, body, openers) {
        return None;
    }
    let message = "`open` writes an archive member where its name points (`../`, absolute paths); extract it with `extract` (which strips them from a zip's names; a tar's with `filter=\"data\"`) or check the joined path stays in the folder";
    Some(finding(call.start().to_usize()..call.end().to_usize(), message, body))
}

/// The archive and the listing method of the `for` loop that binds
/// `member` (`for member in zf.infolist():`).
struct MemberLoops<'m, 'a> {
    member: &'m str,
    found: Option<(&'a Expr, &'a str)>,
}

impl<'a> Visitor<'a> for MemberLoops<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::For(each) if matches!(each.target.as_ref(), Expr::Name(n) if n.id.as_str() == self.member) => {
                if let Expr::Call(listing) = each.iter.as_ref()
                    && let Expr::Attribute(method) = listing.func.as_ref()
                    && listing.arguments.is_empty()
                    && matches!(method.attr.as_str(), "infolist" | "namelist" | "getmembers" | "getnames")
                {
                    self.found = Some((&method.value, method.attr.as_str()));
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }
}

fn opens(names: &Names, call: &ExprCall, openers: &[&str]) -> bool {
    names.qualified(&call.func).is_some_and(|q| openers.contains(&q.as_str()))
}

/// Whether `archive` is one of `openers` opened in sight: made in place, or
/// a name `body` binds to one and to nothing else.
fn opened_in_sight(names: &Names, archive: &Expr, body: &[Stmt], openers: &'static [&'static str]) -> bool {
    match archive {
        Expr::Call(made) => opens(names, made, openers),
        Expr::Name(name) => {
            let mut binds = BindsArchive { names, name: name.id.as_str(), openers, opened: false, other: false };
            binds.visit_body(body);
            binds.opened && !binds.other
        }
        _ => false,
    }
}

/// Whether a body binds `name` to an archive one of `openers` opens
/// (`opened`), and to something else by assignment or `with ... as`
/// (`other`).
struct BindsArchive<'n> {
    names: &'n Names,
    name: &'n str,
    openers: &'static [&'static str],
    opened: bool,
    other: bool,
}

impl BindsArchive<'_> {
    fn bind(&mut self, target: &Expr, value: &Expr) {
        if matches!(target, Expr::Name(n) if n.id.as_str() == self.name) {
            let opened = matches!(value, Expr::Call(made) if opens(self.names, made, self.openers));
            self.opened |= opened;
            self.other |= !opened;
        }
    }
}

impl<'a> Visitor<'a> for BindsArchive<'_> {
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
                matches!(
                    a.attr.as_str(),
                    "name" | "filename" | "linkname" | "isabs" | "realpath" | "abspath" | "commonpath" | "is_relative_to" | "issym" | "islnk"
                )
            }
            Expr::StringLiteral(s) => s.value.to_str().contains(".."),
            _ => false,
        };
        visitor::walk_expr(self, expr);
    }
}
