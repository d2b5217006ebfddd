//! Members found by a test on their names over a namespace: a scan of
//! `vars(cls)`, `dir(obj)`, `cls.__dict__`, `inspect.getmembers(cls)` or
//! `globals()` that keeps the names passing `name.startswith("on_")` (an
//! `__init_subclass__` building a handler table, jmespath's metaclass
//! registering its `_func_` methods), `name.endswith("_handler")`, or
//! `name.isupper()` (a settings module's constants, `dir(settings)` keyed by
//! `k.lower()`), usually keyed by the name or the rest of it. Renaming a
//! member (of a class, or a module's own) whose old or new name passes
//! such a test changes what the scan finds, which no reference shows, so
//! it is refused, naming the scan. A prefix of underscores alone
//! (`not n.startswith("_")`, which leaves out private names) refuses only
//! renames into or out of it.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;
use rustc_hash::FxHashSet;

use super::namespace_listing;
use super::occurrences::Target;
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::{Graph, Location, Resolved, Span, SymbolKind};

pub(super) fn check(graph: &Graph, parsed: &ParsedFiles, target: &Target, new_name: &str) -> Result<(), String> {
    let member = target.denotes.iter().any(|d| match d {
        Resolved::Symbol(id) => graph.symbol(*id).is_some_and(|s| match s.kind {
            SymbolKind::Method | SymbolKind::Function | SymbolKind::Class => true,
            SymbolKind::Variable => {
                graph.container(*id).and_then(|c| graph.symbol(c)).is_some_and(|c| matches!(c.kind, SymbolKind::Class | SymbolKind::Module))
            }
            _ => false,
        }),
        _ => false,
    });
    if !member {
        return Ok(());
    }
    let old = target.name.as_str();
    let changes = |test: &NameTest| match test {
        NameTest::Prefix(prefix) if prefix.chars().all(|c| c == '_') => old.starts_with(prefix) != new_name.starts_with(prefix),
        NameTest::Prefix(prefix) => old.starts_with(prefix) || new_name.starts_with(prefix),
        NameTest::Suffix(suffix) => old.ends_with(suffix) || new_name.ends_with(suffix),
        NameTest::Upper => is_upper(old) || is_upper(new_name),
        NameTest::Lower => is_lower(old) || is_lower(new_name),
    };
    let workspace = || graph.files().filter(|(_, e)| !graph.is_library_path(&e.path));
    let mut listers = Listers::default();
    for (file, _) in workspace().filter(|(_, e)| ["vars(", "dir(", "globals(", "getmembers", "__dict__"].iter().any(|l| e.text().contains(l))) {
        listers.visit_body(&parsed.get(file).syntax().body);
    }
    for (file, _) in workspace().filter(|(_, e)| ["startswith", "endswith", "isupper", "islower"].iter().any(|t| e.text().contains(t))) {
        for (span, test) in scans(&parsed.get(file).syntax().body, &listers.names) {
            if changes(&test) {
                let test = match &test {
                    NameTest::Prefix(prefix) => format!("a name starting with `{prefix}`"),
                    NameTest::Suffix(suffix) => format!("a name ending with `{suffix}`"),
                    NameTest::Upper => "an upper-case name".to_owned(),
                    NameTest::Lower => "a lower-case name".to_owned(),
                };
                return Err(format!(
                    "{} finds members by {test} in a namespace it lists (`vars(…)`, `dir(…)`, `__dict__`): under the name `{new_name}`, `{old}` would be found otherwise",
                    place(graph, &Location { file, span })
                ));
            }
        }
    }
    Ok(())
}

/// A test a scan keeps names by.
enum NameTest {
    Prefix(String),
    Suffix(String),
    Upper,
    Lower,
}

/// Python's `str.isupper()`: a cased letter and no lower-case one.
fn is_upper(name: &str) -> bool {
    name.chars().any(char::is_uppercase) && !name.chars().any(char::is_lowercase)
}

/// Python's `str.islower()`.
fn is_lower(name: &str) -> bool {
    name.chars().any(char::is_lowercase) && !name.chars().any(char::is_uppercase)
}

/// The tests of names (`startswith`/`endswith` of literals, `isupper()`,
/// `islower()`) in each function, or statement outside one, that also
/// lists a namespace.
fn scans(body: &[Stmt], listers: &FxHashSet<String>) -> Vec<(Span, NameTest)> {
    let mut out = Vec::new();
    for stmt in body {
        let mut unit = Unit { listers, lists: false, tests: Vec::new() };
        match stmt {
            Stmt::ClassDef(class) => {
                out.extend(scans(&class.body, listers));
                continue;
            }
            Stmt::FunctionDef(def) => {
                unit.lists = is_metaclass_hook(def);
                unit.visit_body(&def.body);
            }
            other => unit.visit_stmt(other),
        }
        if unit.lists {
            out.extend(unit.tests);
        }
    }
    out
}

/// A metaclass's `__new__(mcs, name, bases, namespace)` or `__init__`:
/// it receives the class namespace itself.
fn is_metaclass_hook(def: &StmtFunctionDef) -> bool {
    matches!(def.name.as_str(), "__new__" | "__init__") && def.parameters.args.len() == 4
}

struct Unit<'l> {
    listers: &'l FxHashSet<String>,
    lists: bool,
    tests: Vec<(Span, NameTest)>,
}

impl<'a> Visitor<'a> for Unit<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.lists |= lists(expr, self.listers);
        if let Expr::Call(call) = expr
            && let Expr::Attribute(a) = &*call.func
        {
            let at = Span::from(call.range());
            match (a.attr.as_str(), call.arguments.args.first()) {
                ("isupper", None) => self.tests.push((at, NameTest::Upper)),
                ("islower", None) => self.tests.push((at, NameTest::Lower)),
                (test @ ("startswith" | "endswith"), Some(first)) => {
                    let literals: Vec<&Expr> = match first {
                        Expr::Tuple(t) => t.elts.iter().collect(),
                        other => vec![other],
                    };
                    for literal in literals {
                        if let Expr::StringLiteral(s) = literal
                            && !s.value.to_str().is_empty()
                        {
                            let text = s.value.to_str().to_owned();
                            self.tests.push((at, if test == "startswith" { NameTest::Prefix(text) } else { NameTest::Suffix(text) }));
                        }
                    }
                }
                _ => {}
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// A namespace listing (`namespace_listing`), or a call of a workspace
/// function (by its name) that does one (jmespath's `get_methods(cls)`).
fn lists(expr: &Expr, listers: &FxHashSet<String>) -> bool {
    namespace_listing::listed(expr).is_some() || matches!(expr, Expr::Call(call) if matches!(&*call.func, Expr::Name(n) if listers.contains(n.id.as_str())))
}

/// The workspace functions whose bodies list a namespace.
#[derive(Default)]
struct Listers {
    names: FxHashSet<String>,
}

impl<'a> Visitor<'a> for Listers {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::FunctionDef(def) = stmt {
            let mut unit = Unit { listers: &FxHashSet::default(), lists: false, tests: Vec::new() };
            unit.visit_body(&def.body);
            if unit.lists {
                self.names.insert(def.name.to_string());
            }
        }
        visitor::walk_stmt(self, stmt);
    }
}
