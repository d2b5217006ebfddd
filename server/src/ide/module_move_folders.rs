//! What a module move changes on disk beyond the imports: the folders.
//!
//! A module that finds files by its own place (`os.path.dirname(__file__)`,
//! `Path(__file__).parent`, `pkgutil.get_data(__name__, …)`,
//! `importlib.resources.files(__package__)`) loses them when it moves to
//! another folder without them, and one that builds a path from its own
//! file name (`Path(__file__).with_suffix(".json")`) loses it when renamed:
//! such a move is refused, with the line. A package moved whole takes its
//! files along, unless a module climbs out of it (`".."`, `.parent.parent`).
//!
//! A module moved into a new folder of a regular package makes that
//! folder's `__init__.py` (each new level): without it the folder is a
//! namespace package that `find_packages()` and the wheel builders leave
//! out.

use std::path::{Path, PathBuf};

use ruff_python_ast::visitor::source_order::{self, SourceOrderVisitor};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::own_file::{self, OwnCode, last_name, own_file};
use crate::graph::Span;

/// Functions that read a file of a package named by its module
/// (`pkgutil`, `importlib.resources`, `pkg_resources`).
const BY_PACKAGE: [&str; 15] = [
    "get_data",
    "files",
    "open_text",
    "open_binary",
    "read_text",
    "read_binary",
    "path",
    "contents",
    "is_resource",
    "resource_filename",
    "resource_string",
    "resource_stream",
    "resource_exists",
    "resource_listdir",
    "resource_isdir",
];

/// How a module finds a file by its own place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Beside {
    /// By its folder: `__file__`, or its package's name given to a reader.
    Folder,
    /// By its own file name: `Path(__file__).stem`, `basename(__file__)`.
    Name,
}

#[derive(Default)]
struct Finder {
    found: Vec<(Beside, Span)>,
    /// Names bound to the module's own package (`package = __spec__.parent`),
    /// which a reader given them finds files by as well.
    own: Vec<String>,
    /// The functions and classes the module defines: their file is its own
    /// (`inspect.getfile(f)`, `f.__code__.co_filename`).
    code: Vec<String>,
}

/// The names `body` binds to the module's own name or package, anywhere.
#[derive(Default)]
struct OwnNames(Vec<String>);

impl<'a> SourceOrderVisitor<'a> for OwnNames {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Assign(assign) = stmt
            && own_package(&assign.value, &[])
        {
            self.0.extend(assign.targets.iter().filter_map(|t| t.as_name_expr()).map(|n| n.id.to_string()));
        }
        if let Stmt::AnnAssign(assign) = stmt
            && let (Expr::Name(name), Some(value)) = (&*assign.target, &assign.value)
            && own_package(value, &[])
        {
            self.0.push(name.id.to_string());
        }
        source_order::walk_stmt(self, stmt);
    }
}

impl<'a> SourceOrderVisitor<'a> for Finder {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let code = OwnCode { names: &self.code, selves: true };
        let reads_file = |e: &Expr| reads_file(e, &code);
        match expr {
            _ if own_file(expr, &code) => self.found.push((Beside::Folder, expr.range().into())),
            Expr::Call(call) if by_package(call, &self.own) => self.found.push((Beside::Folder, expr.range().into())),
            Expr::Call(call) if matches!(last_name(&call.func), Some("basename" | "splitext")) && call.arguments.args.first().is_some_and(reads_file) => {
                self.found.push((Beside::Name, expr.range().into()));
            }
            Expr::Attribute(attribute)
                if matches!(attribute.attr.as_str(), "stem" | "name" | "suffix" | "with_suffix" | "with_name") && reads_file(&attribute.value) =>
            {
                self.found.push((Beside::Name, expr.range().into()));
            }
            _ => {}
        }
        source_order::walk_expr(self, expr);
    }
}

/// `get_data(__name__, …)`, `files(__package__)`, `files(__spec__.parent)`,
/// or a name `own` holds, bound to one of those.
fn by_package(call: &ExprCall, own: &[String]) -> bool {
    last_name(&call.func).is_some_and(|name| BY_PACKAGE.contains(&name)) && call.arguments.args.first().is_some_and(|e| own_package(e, own))
}

/// `__name__`, `__package__`, `__spec__.…`, or a name of `own`.
fn own_package(expr: &Expr, own: &[String]) -> bool {
    match expr {
        Expr::Name(name) => matches!(name.id.as_str(), "__name__" | "__package__") || own.iter().any(|o| o == name.id.as_str()),
        Expr::Attribute(attribute) => matches!(&*attribute.value, Expr::Name(n) if n.id.as_str() == "__spec__"),
        // `__spec__ and __spec__.parent`: either side may be the value.
        Expr::BoolOp(op) => op.values.iter().any(|value| own_package(value, own)),
        // `__name__.rpartition(".")[0]`: a part of its own dotted name
        // (tester 25 case 03).
        Expr::Subscript(subscript) => own_package(&subscript.value, own),
        Expr::Call(call) => matches!(&*call.func, Expr::Attribute(method)
            if matches!(method.attr.as_str(), "rpartition" | "partition" | "rsplit" | "split" | "removesuffix") && own_package(&method.value, own)),
        _ => false,
    }
}

/// Whether `expr` is the module's own file path (`__file__`,
/// `Path(__file__)`, `os.path.abspath(__file__)`, `….resolve()`, the other
/// spellings of [`own_file`]), not a folder above it (`Path(__file__).parent`).
fn reads_file(expr: &Expr, code: &OwnCode) -> bool {
    match expr {
        _ if own_file(expr, code) => true,
        Expr::Call(call) => match (&*call.func, call.arguments.args.first()) {
            (Expr::Attribute(method), _) if matches!(method.attr.as_str(), "resolve" | "absolute" | "expanduser") => reads_file(&method.value, code),
            (func, Some(argument)) => matches!(last_name(func), Some("Path" | "PurePath" | "abspath" | "realpath" | "normpath")) && reads_file(argument, code),
            _ => false,
        },
        _ => false,
    }
}

/// Where `text` finds files by its own place, in source order.
fn beside(text: &str) -> Vec<(Beside, Span)> {
    let Ok(parsed) = ruff_python_parser::parse_module(text) else { return Vec::new() };
    let mut own = OwnNames::default();
    own.visit_body(&parsed.syntax().body);
    let mut finder = Finder { own: own.0, code: own_file::defined(&parsed.syntax().body), ..Finder::default() };
    finder.visit_body(&parsed.syntax().body);
    finder.found
}

/// The first `….module.__file__` in `text` (another module's), `module`
/// the last name of a module that moves to another folder: a path built
/// from it (`Path(pkg.res.__file__).parent / "data.txt"`) would point into
/// the new folder. Matched by the last name alone, which may be another
/// module's of the same name: refused all the same.
pub(super) fn file_of(text: &str, module: &str) -> Option<Span> {
    if !text.contains("__file__") {
        return None;
    }
    let parsed = ruff_python_parser::parse_module(text).ok()?;
    let mut finder = FileOf { module, found: None };
    finder.visit_body(&parsed.syntax().body);
    finder.found
}

struct FileOf<'m> {
    module: &'m str,
    found: Option<Span>,
}

impl<'a> SourceOrderVisitor<'a> for FileOf<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Attribute(attribute) = expr
            && attribute.attr.as_str() == "__file__"
            && last_name(&attribute.value) == Some(self.module)
            && self.found.is_none()
        {
            self.found = Some(expr.range().into());
        }
        source_order::walk_expr(self, expr);
    }
}

/// Where the module at `old`, of text `text`, moving to `new`, would lose
/// a file it finds by its own place; `folder`, the package folder moved
/// whole when the module moves inside one (its files go along).
pub(super) fn lost_file(text: &str, old: &Path, new: &Path, folder: Option<(&Path, &Path)>) -> Option<(Beside, Span)> {
    // Out of the moved folder: `..`, `os.pardir`, two `dirname`s or `.parent`s.
    let climbs = || ["..", "pardir", ".parent.parent", ".parents["].iter().any(|s| text.contains(s)) || text.matches("dirname(").count() > 1;
    beside(text).into_iter().find(|(kind, _)| match (kind, folder) {
        (Beside::Name, None) => old.file_name() != new.file_name(),
        (Beside::Folder, None) => old.parent() != new.parent(),
        (Beside::Folder, Some((from, to))) => from.parent() != to.parent() && climbs(),
        (Beside::Name, Some(_)) => false,
    })
}

/// The `__init__.py` of each folder a module moved to `to` creates, when
/// the deepest existing folder above them is a regular package (has
/// one). Beside namespace packages (no `__init__.py`), none.
pub fn new_package_inits(to: &Path) -> Vec<PathBuf> {
    let Some(parent) = to.parent() else { return Vec::new() };
    let missing: Vec<&Path> = parent.ancestors().take_while(|folder| !folder.exists()).collect();
    let Some(existing) = missing.last().and_then(|top| top.parent()) else { return Vec::new() };
    if !existing.join("__init__.py").is_file() {
        return Vec::new();
    }
    missing.iter().rev().map(|folder| folder.join("__init__.py")).collect()
}
