//! The imports a reply brings: reduced to what the module does not import
//! yet, added to the module's import block, and sorted the way the file's
//! ruff isort settings want — when the block was sorted to begin with (an
//! edit must not reorder what the user chose to leave unsorted).

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_text_size::Ranged;

use crate::findings::{Config, check_source};
use crate::settings::LintSettings;

/// What one imported name is, for telling a repeated import from a new one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// `Some(module)` for `from module import name`, with its leading dots.
    from: Option<String>,
    name: String,
    asname: Option<String>,
}

fn keys(stmt: &Stmt) -> Vec<(Key, String)> {
    match stmt {
        Stmt::Import(import) => import
            .names
            .iter()
            .map(|a| {
                let key = Key { from: None, name: a.name.to_string(), asname: a.asname.as_ref().map(ToString::to_string) };
                let bound = a.asname.as_ref().map_or_else(|| a.name.split('.').next().unwrap_or_default().to_owned(), ToString::to_string);
                (key, bound)
            })
            .collect(),
        Stmt::ImportFrom(from) => {
            let module = format!("{}{}", ".".repeat(from.level as usize), from.module.as_ref().map_or("", |m| m.as_str()));
            from.names
                .iter()
                .map(|a| {
                    let key = Key { from: Some(module.clone()), name: a.name.to_string(), asname: a.asname.as_ref().map(ToString::to_string) };
                    let bound = a.asname.as_ref().unwrap_or(&a.name).to_string();
                    (key, bound)
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

fn render(key: &Key) -> String {
    let name = match &key.asname {
        Some(asname) => format!("{} as {asname}", key.name),
        None => key.name.clone(),
    };
    match &key.from {
        Some(module) => format!("from {module} import {name}"),
        None => format!("import {name}"),
    }
}

/// The import statements (one name each) of `reply` that `module` does not
/// have, leaving out names the module itself defines (`defined`).
pub fn missing(module: &ModModule, reply: &[&Stmt], defined: &HashSet<String>) -> Vec<String> {
    let have: HashSet<Key> = module.body.iter().flat_map(keys).map(|(k, _)| k).collect();
    let mut added = Vec::new();
    for (key, bound) in reply.iter().flat_map(|s| keys(s)) {
        if !have.contains(&key) && !defined.contains(&bound) && key.name != "*" {
            let line = render(&key);
            if !added.contains(&line) {
                added.push(line);
            }
        }
    }
    added
}

/// Whether every name `stmt` imports is imported by a statement of
/// `module` outside `except` (a reply repeating the rest of the block).
pub fn already_imported(module: &ModModule, except: &Range<usize>, stmt: &Stmt) -> bool {
    let have: HashSet<Key> =
        module.body.iter().filter(|s| !(except.start <= s.start().to_usize() && s.end().to_usize() <= except.end)).flat_map(keys).map(|(k, _)| k).collect();
    let wanted = keys(stmt);
    !wanted.is_empty() && wanted.iter().all(|(k, _)| have.contains(k))
}

/// Where new imports go in `source` and the text to insert there: after the
/// module's leading import block (which `__all__ = [...]` and other literal
/// dunders may interrupt), else after its docstring, else at the top.
pub fn insertion(source: &str, module: &ModModule, statements: &[String]) -> (Range<usize>, String) {
    let lines: String = statements.iter().map(|s| format!("{s}\n")).collect();
    let leading = module.body.iter().take_while(|s| is_import(s) || is_docstring(s) || is_literal_dunder(s));
    let (mut last_import, mut docstring) = (None, None);
    for stmt in leading {
        if is_import(stmt) {
            last_import = Some(stmt.end().to_usize());
        } else {
            docstring = Some(stmt.end().to_usize());
        }
    }
    let line_end = |offset: usize| source[offset..].find('\n').map_or(source.len(), |i| offset + i + 1);
    match (last_import, docstring) {
        (Some(end), _) => {
            let at = line_end(end);
            let text = if source[..at].ends_with('\n') || at == 0 { lines } else { format!("\n{lines}") };
            (at..at, text)
        }
        (None, Some(end)) => {
            let at = line_end(end);
            (at..at, format!("\n{lines}"))
        }
        (None, None) => (0..0, if source.trim().is_empty() { lines } else { format!("{lines}\n\n") }),
    }
}

fn is_import(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_))
}

/// `__all__ = ["a", "b"]`, `__version__ = "1.0"`: strings only, which read
/// no name, so an import after them binds what it did before them.
fn is_literal_dunder(stmt: &Stmt) -> bool {
    let Stmt::Assign(assign) = stmt else { return false };
    let dunder = matches!(assign.targets.as_slice(), [Expr::Name(n)] if n.id.starts_with("__") && n.id.ends_with("__"));
    let strings = |items: &[Expr]| items.iter().all(Expr::is_string_literal_expr);
    dunder
        && match &*assign.value {
            Expr::StringLiteral(_) => true,
            Expr::List(l) => strings(&l.elts),
            Expr::Tuple(t) => strings(&t.elts),
            _ => false,
        }
}

fn is_docstring(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Expr(e) if e.value.is_string_literal_expr())
}

/// `candidate` with its import block sorted by ruff's isort rule (I001)
/// under the ruff configuration of `path`'s folder, when `original`'s block
/// had no I001 finding; else `candidate` unchanged.
pub fn sort(path: &Path, original: &str, candidate: &str) -> String {
    let folder = path.parent().unwrap_or(Path::new("."));
    let settings = LintSettings {
        select: Some(vec!["I001".to_owned()]),
        extend_select: Vec::new(),
        ignore: Some(vec![crate::findings::config::OWN_PREFIX.to_owned()]),
        per_file_ignores: Some(Default::default()),
        ..LintSettings::default()
    };
    let config = Config::load(folder, &settings).0;
    let unsorted = |text: &str| check_source(path, text, &config, None).into_iter().filter(|f| f.code == "I001").collect::<Vec<_>>();
    if !unsorted(original).is_empty() {
        return candidate.to_owned();
    }
    let mut text = candidate.to_owned();
    let mut edits: Vec<_> = unsorted(candidate).into_iter().filter_map(|f| f.fix).flat_map(|f| f.edits).collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    for edit in edits {
        text.replace_range(edit.range, &edit.content);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ModModule {
        ruff_python_parser::parse_module(text).unwrap().into_syntax()
    }

    fn added(source: &str, reply: &str) -> String {
        let module = parse(source);
        let reply = parse(reply);
        let stmts: Vec<&Stmt> = reply.body.iter().collect();
        let statements = missing(&module, &stmts, &HashSet::from(["total".to_owned()]));
        let (range, text) = insertion(source, &module, &statements);
        format!("{}{text}{}", &source[..range.start], &source[range.end..])
    }

    #[test]
    fn only_what_is_missing_joins_the_block() {
        let source = "\"\"\"Doc.\"\"\"\n\nimport os\nfrom shop import a\n\n\ndef total():\n    ...\n";
        let reply = "import os\nimport math\nfrom shop import a, b as c\nfrom shop.cart import total\n";
        assert_eq!(added(source, reply), source.replace("from shop import a\n", "from shop import a\nimport math\nfrom shop import b as c\n"));
        assert_eq!(added("\"\"\"Doc.\"\"\"\n\n\ndef f():\n    ...\n", "import math\n"), "\"\"\"Doc.\"\"\"\n\nimport math\n\n\ndef f():\n    ...\n");
        assert_eq!(added("def f():\n    ...\n", "import math\n"), "import math\n\n\ndef f():\n    ...\n");
    }

    #[test]
    fn a_literal_all_between_docstring_and_imports_does_not_end_the_block() {
        // Tester 22 case 19 (cachetools `func.py`).
        let source = "\"\"\"Helpers.\"\"\"\n\n__all__ = (\"a\", \"b\")\n\nimport math\n\n\ndef a():\n    ...\n";
        assert_eq!(added(source, "import os\n"), source.replace("import math\n", "import math\nimport os\n"));
        // Must not: a computed `__all__` (it may list what is imported before it), code.
        for between in ["__all__ = [n for n in dir() if n[0] != \"_\"]", "X = compute()"] {
            let source = format!("\"\"\"Helpers.\"\"\"\n\n{between}\n\nimport math\n");
            assert_eq!(added(&source, "import os\n"), source.replace("\"\"\"\n\n", "\"\"\"\n\nimport os\n\n"));
        }
    }

    #[test]
    fn the_block_is_sorted_only_if_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        let sorted = "import os\nimport sys\n\n\ndef f():\n    ...\n";
        let candidate = "import os\nimport sys\nimport math\n\n\ndef f():\n    ...\n";
        assert_eq!(sort(&path, sorted, candidate), "import math\nimport os\nimport sys\n\n\ndef f():\n    ...\n");
        let unsorted = "import sys\nimport os\n\n\ndef f():\n    ...\n";
        let candidate = "import sys\nimport os\nimport math\n\n\ndef f():\n    ...\n";
        assert_eq!(sort(&path, unsorted, candidate), candidate);
    }
}
