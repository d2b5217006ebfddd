//! What a class member's name means to the rest of its hierarchy beyond
//! the workspace methods rename_guard.rs and rename_hierarchy.rs compare:
//! a member overriding a library base's (`JSONEncoder.default`,
//! `Thread.run`), which the library calls by its name; a new name some
//! base (workspace or library) or subclass already defines, where the
//! rename would make an override that was not there; and a member of a
//! `Protocol`, which classes implement by name without inheriting it.
//! Each is refused, naming the other side.

use super::occurrences::Target;
use crate::graph::explain::place;
use crate::graph::{Graph, Resolved, SymbolId, SymbolKind};

pub(super) fn check(graph: &Graph, target: &Target, new_name: &str) -> Result<(), String> {
    for denoted in &target.denotes {
        let Resolved::Symbol(id) = denoted else { continue };
        collected_by_pytest(graph, *id, &target.name, new_name)?;
    }
    for (symbol, class) in target.class_members(graph, &[SymbolKind::Variable, SymbolKind::Method]) {
        let member = symbol.qualified_name;
        if let Some(protocol) = graph.self_and_ancestors(class).into_iter().find(|&c| is_protocol(graph, c)) {
            let protocol = graph.symbol(protocol).map(|s| s.qualified_name).unwrap_or_default();
            return Err(format!(
                "`{member}` is a member of the Protocol `{protocol}`, which classes implement by defining `{}` without inheriting it: they would keep the old name",
                target.name
            ));
        }
        // A Protocol elsewhere naming the member: a class implements it by
        // that name without inheriting it (`English.greet` for `Greeter`).
        let mut protocols = graph.symbols_named(&target.name).into_iter().filter_map(|m| graph.container(m).filter(|&c| c != class && is_protocol(graph, c)));
        if let Some(protocol) = protocols.next() {
            let shown = graph.symbol(protocol).map(|s| s.qualified_name).unwrap_or_default();
            return Err(format!(
                "`{member}` has the name of a member of the Protocol `{shown}` at {}, which a class implements by defining `{}` without inheriting it: the class would stop implementing it",
                at(graph, protocol),
                target.name
            ));
        }
        let library = graph.library_bases(class);
        if let Some(base) = library_member(graph, &library, &target.name) {
            return Err(format!("`{member}` overrides `{base}`, which the library reads by its name: renaming it would end the override"));
        }
        dispatched_by_prefix(&library, member, &target.name, new_name)?;
        let workspace = graph.self_and_ancestors(class).into_iter().skip(1);
        if let Some(other) = workspace.filter_map(|c| named(graph, c, new_name)).next() {
            return Err(format!("`{}` is defined in a base class at {}: the renamed `{member}` would override it", qualified(graph, other), at(graph, other)));
        }
        if let Some(base) = library_member(graph, &library, new_name) {
            return Err(format!("`{base}` is defined in a library base class: the renamed `{member}` would override it"));
        }
        if let Some(other) = graph.implementations(class).into_iter().filter_map(|c| named(graph, c, new_name)).next() {
            return Err(format!("the subclass's `{}` at {} would override the renamed `{member}`", qualified(graph, other), at(graph, other)));
        }
    }
    Ok(())
}

/// Library bases that find their subclasses' methods by a prefix of the
/// name: with `true`, what follows the prefix is what they dispatch on (a
/// command typed, an HTTP verb, a node type), so any rename of such a
/// method, or to such a name, changes what reaches it; with `false` only
/// the prefix matters (unittest runs the methods named `test…`).
const DISPATCHED: &[(&str, &[&str], bool)] = &[
    ("cmd.Cmd", &["do_", "help_", "complete_"], true),
    ("http.server.BaseHTTPRequestHandler", &["do_"], true),
    ("ast.NodeVisitor", &["visit_"], true),
    ("unittest.case.TestCase", &["test"], false),
    ("unittest.TestCase", &["test"], false),
];

fn dispatched_by_prefix(library: &[String], member: &str, old: &str, new: &str) -> Result<(), String> {
    for (base, prefixes, whole) in DISPATCHED.iter().filter(|(base, _, _)| library.iter().any(|b| b == base)) {
        let Some(prefix) =
            prefixes.iter().find(|p| if *whole { old.starts_with(**p) || new.starts_with(**p) } else { old.starts_with(**p) != new.starts_with(**p) })
        else {
            continue;
        };
        let why = match whole {
            true => "dispatches on the rest of the name: the new name would change what reaches it",
            false => "runs the methods named so: under the new name it would be run or left out otherwise",
        };
        return Err(format!("`{member}` is in a subclass of `{base}`, which finds the methods whose names start with `{prefix}` by their name and {why}"));
    }
    Ok(())
}

/// pytest's default collection: in a `test_*.py` or `*_test.py` file, the
/// functions whose names start with `test` (module-level, or methods of a
/// class named `Test…`) and the classes named `Test…` are run by their
/// name. A rename across that prefix runs or drops a test silently: the
/// suite still passes, with one test more or fewer.
fn collected_by_pytest(graph: &Graph, id: SymbolId, old: &str, new: &str) -> Result<(), String> {
    let Some(symbol) = graph.symbol(id) else { return Ok(()) };
    let file = symbol.file.and_then(|f| graph.file(f)).and_then(|f| f.path.file_name()).and_then(|n| n.to_str());
    let test_file = file.is_some_and(|name| name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py")));
    let container = graph.container(id).and_then(|c| graph.symbol(c));
    let prefix = match (symbol.kind, container.map(|c| (c.kind, c.name))) {
        (SymbolKind::Function, Some((SymbolKind::Module, _))) => "test",
        (SymbolKind::Method, Some((SymbolKind::Class, class))) if class.starts_with("Test") => "test",
        (SymbolKind::Class, Some((SymbolKind::Module, _))) => "Test",
        _ => return Ok(()),
    };
    if !test_file || old.starts_with(prefix) == new.starts_with(prefix) {
        return Ok(());
    }
    Err(format!(
        "`{}` at {} is in a test file, where pytest runs what is named `{prefix}…` by its name: under the new name it would be {}",
        symbol.qualified_name,
        at(graph, id),
        if old.starts_with(prefix) { "left out of the test run" } else { "run as a test" }
    ))
}

/// `class Reader(Protocol)`, `typing.Protocol[T]`: by the base as written,
/// as typeshed declares `Protocol` a special form, no class.
fn is_protocol(graph: &Graph, class: SymbolId) -> bool {
    graph.symbol(class).is_some_and(|c| {
        c.bases.iter().any(|base| {
            let name = base.split('[').next().unwrap_or(base);
            name.rsplit('.').next() == Some("Protocol")
        })
    })
}

/// The dotted path of the member `name` of the nearest library base.
fn library_member(graph: &Graph, bases: &[String], name: &str) -> Option<String> {
    bases.iter().find_map(|base| graph.library_members(base, false).into_iter().find(|m| m.name == name).map(|m| m.path))
}

/// The member of `class` itself named `name`.
fn named(graph: &Graph, class: SymbolId, name: &str) -> Option<SymbolId> {
    graph.children(class).into_iter().find(|&m| graph.symbol(m).is_some_and(|s| s.name == name))
}

fn qualified(graph: &Graph, id: SymbolId) -> String {
    graph.symbol(id).map(|s| s.qualified_name.to_owned()).unwrap_or_default()
}

fn at(graph: &Graph, id: SymbolId) -> String {
    graph.location(id).map(|l| place(graph, &l)).unwrap_or_default()
}
