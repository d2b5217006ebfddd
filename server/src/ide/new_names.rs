//! The checks of a name a refactoring is given for a new binding (extract
//! function's new function, extract variable's new variable, and whether a
//! moved symbol's new module exports it): shared so a name is refused for
//! the same reasons whichever refactoring binds it.

use ruff_python_ast::{Expr, Stmt};
use unicode_normalization::UnicodeNormalization;

use super::extract_variable::{is_identifier, spells};

/// Why `name` cannot be the new binding of a refactoring of `text` (whose
/// statements are `body`); `module_level` when the binding is a global of
/// the module, which `from m import *` takes when public.
pub(super) fn refused_name(body: &[Stmt], text: &str, name: &str, module_level: bool) -> Option<String> {
    if !is_identifier(name) {
        return Some(format!("`{name}` is not a Python name"));
    }
    if name.starts_with("__") && name.ends_with("__") {
        return Some(format!("`{name}` is a name Python gives a meaning to (a module's `__getattr__`, `__all__`, `__builtins__`, ...); choose a plain one"));
    }
    if name.nfkc().ne(name.chars()) {
        return Some(format!("Python reads `{name}` as `{}` (it normalises names, NFKC); give that spelling", name.nfkc().collect::<String>()));
    }
    if used(text, name) {
        return Some(format!("`{name}` is already used in this file; choose another name"));
    }
    if !module_level || name.starts_with('_') {
        return None;
    }
    if imports_star(body) {
        return Some(format!("the module imports `*`, whose names are not listed here: a public `{name}` could replace one; name it `_{name}`"));
    }
    // A module star-importing this one after binding the name itself would
    // see its own binding replaced.
    (!lists_exports(body, text)).then(|| format!("`from ... import *` would take a new public `{name}` (the module has no `__all__`); name it `_{name}`"))
}

/// Whether `text` spells `name`, also as Python reads its names (NFKC:
/// `ﬁ` is `fi`).
pub(super) fn used(text: &str, name: &str) -> bool {
    spells(text, name) || (!text.is_ascii() && spells(&text.nfkc().collect::<String>(), name))
}

/// Whether the identifier `written` is the name `name` as Python reads it
/// (NFKC: `ｒａｔｅ` and `𝓻𝓪𝓽𝓮` are `rate`).
pub(crate) fn reads_as(written: &str, name: &str) -> bool {
    written == name || (!written.is_ascii() && written.nfkc().eq(name.chars()))
}

/// Whether the module has a `from m import *` at its top level.
fn imports_star(body: &[Stmt]) -> bool {
    body.iter().any(|s| matches!(s, Stmt::ImportFrom(i) if i.names.iter().any(|a| &a.name == "*")))
}

/// [`lists_exports`] of a module's `text` (false where it does not parse).
pub(super) fn text_lists_exports(text: &str) -> bool {
    ruff_python_parser::parse_module(text).is_ok_and(|parsed| lists_exports(&parsed.syntax().body, text))
}

/// Whether the module lists its exports in one literal `__all__` (and
/// names it nowhere else), so a new public name is not exported.
fn lists_exports(body: &[Stmt], text: &str) -> bool {
    let literal = |e: &Expr| match e {
        Expr::List(l) => l.elts.iter().all(Expr::is_string_literal_expr),
        Expr::Tuple(t) => t.elts.iter().all(Expr::is_string_literal_expr),
        _ => false,
    };
    let listed = body.iter().any(
        |s| matches!(s, Stmt::Assign(a) if a.targets.len() == 1 && matches!(&a.targets[0], Expr::Name(n) if n.id.as_str() == "__all__") && literal(&a.value)),
    );
    listed && super::mentions::whole_word_ends(text, "__all__").count() == 1
}
