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
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

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
}

impl<'a> SourceOrderVisitor<'a> for Finder {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.id.as_str() == "__file__" => self.found.push((Beside::Folder, expr.range().into())),
            Expr::Call(call) if by_package(call) => self.found.push((Beside::Folder, expr.range().into())),
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

/// `f` of `f(…)`, `a.b.f(…)`.
fn last_name(func: &Expr) -> Option<&str> {
    match func {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

/// `get_data(__name__, …)`, `files(__package__)`, `files(__spec__.parent)`.
fn by_package(call: &ExprCall) -> bool {
    let own = |e: &Expr| match e {
        Expr::Name(name) => matches!(name.id.as_str(), "__name__" | "__package__"),
        Expr::Attribute(attribute) => matches!(&*attribute.value, Expr::Name(n) if n.id.as_str() == "__spec__"),
        _ => false,
    };
    last_name(&call.func).is_some_and(|name| BY_PACKAGE.contains(&name)) && call.arguments.args.first().is_some_and(own)
}

/// Whether `expr` is the module's own file path (`__file__`,
/// `Path(__file__)`, `os.path.abspath(__file__)`, `….resolve()`), not a
/// folder above it (`Path(__file__).parent`).
fn reads_file(expr: &Expr) -> bool {
    match expr {
        Expr::Name(name) => name.id.as_str() == "__file__",
        Expr::Call(call) => match (&*call.func, call.arguments.args.first()) {
            (Expr::Attribute(method), _) if matches!(method.attr.as_str(), "resolve" | "absolute" | "expanduser") => reads_file(&method.value),
            (func, Some(argument)) => matches!(last_name(func), Some("Path" | "PurePath" | "abspath" | "realpath" | "normpath")) && reads_file(argument),
            _ => false,
        },
        _ => false,
    }
}

/// Where `text` finds files by its own place, in source order.
fn beside(text: &str) -> Vec<(Beside, Span)> {
    let Ok(parsed) = ruff_python_parser::parse_module(text) else { return Vec::new() };
    let mut finder = Finder::default();
    finder.visit_body(&parsed.syntax().body);
    finder.found
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
