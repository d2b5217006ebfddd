//! Strings of code that import a module (`"from pkg.util import " + names`,
//! run by `exec` or written out by a code generator such as jinja2's
//! compiler): the module is imported by name where no import statement of
//! the workspace shows it, so a move of the module cannot follow it.

/// Whether `value` reads as code that imports `module` or a submodule of
/// it: it spells the dotted name as a whole word (not `xpkg.util`, not
/// `pkg.utils`) and has the word `import`.
pub(super) fn imports_module(value: &str, module: &str) -> bool {
    spells_module(value, module) && value.split(|c: char| !part(c)).any(|word| word == "import")
}

fn part(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `value` spells the dotted name `module` as a whole word.
fn spells_module(value: &str, module: &str) -> bool {
    value.match_indices(module).any(|(i, _)| {
        let before = value[..i].chars().next_back();
        let after = value[i + module.len()..].chars().next();
        before.is_none_or(|c| !part(c) && c != '.') && after.is_none_or(|c| !part(c))
    })
}

/// Whether `value` is a docstring whose every line spelling `module` is a
/// doctest's `>>> from module import a, b` of names other than `name`:
/// those names stay in the module, so moving `name` out leaves the
/// doctest right (tester ref25 L2: humanize's
/// `>>> from humanize.time import _quotient_and_remainder, Unit`).
pub(super) fn doctest_takes_others(value: &str, module: &str, name: &str) -> bool {
    let mut lines = value.lines().filter(|line| spells_module(line, module)).peekable();
    lines.peek().is_some()
        && lines.all(|line| {
            let Some(code) = super::mentions::doctest_lines(line).next() else { return false };
            let code = code.split('#').next().unwrap_or_default();
            let names = code.trim().strip_prefix("from ").and_then(|r| r.strip_prefix(module)).and_then(|r| r.trim_start().strip_prefix("import "));
            // One statement whole on its line: no `;`, `\` or open parenthesis.
            let names = names.filter(|n| !n.contains([';', '\\', '('])).map(|n| n.split(',').map(|n| n.split_whitespace().next().unwrap_or_default()));
            names.is_some_and(|mut names| names.all(|n| n != name && n != "*" && !n.is_empty()))
        })
}

/// The first doctest line of `value` (its code, after `>>> `) that
/// imports `module`.
pub(super) fn doctest_import<'a>(value: &'a str, module: &str) -> Option<&'a str> {
    super::mentions::doctest_lines(value).find(|code| imports_module(code, module))
}

/// The string `value` as a refusal names it (cut short: generated code
/// can be long).
pub(super) fn described(value: &str, module: &str) -> String {
    let shown: String = value.chars().take(60).collect();
    let cut = if shown.len() < value.len() { "…" } else { "" };
    format!("the string {:?}, code that imports `{module}` (run by `exec` or written out as source),", format!("{shown}{cut}"))
}

#[cfg(test)]
mod tests {
    use super::imports_module;

    #[test]
    fn a_string_of_code_importing_the_module_is_told_from_prose_and_paths() {
        for code in
            ["from pkg.util import ", "from pkg.util import f\nresult = f()", "import pkg.util", "from pkg.util.sub import g", "import os, pkg.util as u"]
        {
            assert!(imports_module(code, "pkg.util"), "{code}");
        }
        // Must not: a whole dotted path (rewritten by the move), prose, another module.
        for other in ["pkg.util", "pkg.util.f", "see pkg.util", "from pkg.utils import f", "from xpkg.util import f", "from pkg import util2"] {
            assert!(!imports_module(other, "pkg.util"), "{other}");
        }
    }
}
