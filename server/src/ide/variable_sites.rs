//! The places where a module or class variable is bound again (`s = 3`
//! after `s = 1`) or declared (`global counter`): occurrences the graph's
//! reference edges (its reads) leave out, which references list as rename
//! and highlight do.

use super::scope_declarations;
use crate::graph::summary::BindingKind;
use crate::graph::{Graph, Location, SymbolId, SymbolKind};

/// The references of `id` with its rebindings (in order), and with
/// `declaration` its definition first; once each, as an attribute's
/// store (`self.width = 1`) is a reference and its definition both.
pub fn references(graph: &Graph, id: SymbolId, declaration: bool) -> Vec<Location> {
    let mut locations = graph.references(id);
    let rebound = rebound(graph, id);
    if !rebound.is_empty() {
        locations.extend(rebound);
        locations.sort();
        locations.dedup();
    }
    if declaration && let Some(defined) = graph.location(id) {
        locations.retain(|l| *l != defined);
        locations.insert(0, defined);
    }
    locations
}

/// Where the variable `id` is bound again, and the `global` statements
/// that name it (a module's variable), in its own file.
pub fn rebound(graph: &Graph, id: SymbolId) -> Vec<Location> {
    let Some(symbol) = graph.symbol(id).filter(|s| s.kind == SymbolKind::Variable) else { return Vec::new() };
    let Some((file, entry)) = symbol.file.and_then(|file| Some((file, graph.file(file)?))) else { return Vec::new() };
    let summary = &entry.summary;
    let Some(def) = summary.definitions.iter().position(|d| d.name_range == symbol.name_range) else { return Vec::new() };
    let again = summary.bindings.iter().filter(|b| b.kind == BindingKind::Definition(def as u32) && b.range != symbol.name_range);
    let mut out: Vec<Location> = again.map(|b| Location { file, span: b.range }).collect();
    if summary.definitions[def].scope == 0 {
        let notebook = crate::notebook::Notebook::is_notebook(&entry.path);
        let declared = scope_declarations::of_name(entry.text(), summary, symbol.name, notebook);
        out.extend(declared.into_iter().filter(|d| !d.nonlocal).map(|d| Location { file, span: d.span }));
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::graph::Resolved;
    use crate::ide::fixture;

    /// The references of the variable at `$0` with its rebindings, as `line:column`.
    fn check_references(fixture_text: &str, expected: Expect) {
        check_with_declaration(fixture_text, false, expected);
    }

    fn check_with_declaration(fixture_text: &str, declaration: bool, expected: Expect) {
        let (graph, file, offset) = fixture::graph(fixture_text);
        let Some(Resolved::Symbol(id)) = graph.definition(file, offset) else { panic!("no symbol at $0") };
        let found = references(&graph, id, declaration);
        let text = &graph.file(file).unwrap().text();
        // Lines as the editor counts them: a bare `\r` ends one too.
        let place = |at: u32| {
            let line = crate::line_ends::line_index(text, at as usize);
            format!("{line}:{}", at as usize - crate::line_ends::line_start(text, line).unwrap_or(0))
        };
        expected.assert_eq(&found.iter().map(|l| place(l.span.start)).collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn a_variable_bound_again_or_declared_global_is_referenced_there() {
        check_references(
            "//- /a.py\ncounter$0 = 0\ndef bump():\n    global counter\n    counter = counter + 1\n    return counter\ncounter = 5\n",
            expect!["2:11 3:4 3:14 4:11 5:0"],
        );
        // The same lines ended by bare returns: the same places.
        check_references(
            "//- /a.py\ncounter$0 = 0\rdef bump():\r    global counter\r    counter = counter + 1\r    return counter\rcounter = 5\r",
            expect!["2:11 3:4 3:14 4:11 5:0"],
        );
        // Must not: a function's own local of the name, and a `nonlocal`
        // of an enclosing function's, are other variables.
        check_references(
            "//- /a.py\ncounter$0 = 0\ndef f():\n    counter = 1\n    def g():\n        nonlocal counter\n        counter = 2\n    return counter\n",
            expect![""],
        );
    }

    #[test]
    fn an_attribute_stored_at_its_definition_is_listed_once_with_its_declaration() {
        let fixture = "//- /a.py\nclass P:\n    def __init__(self):\n        self.wid$0th = 1\np = P()\nprint(p.width)\n";
        check_with_declaration(fixture, true, expect!["2:13 4:8"]);
        // Must not: without the declaration, the store is listed as a reference.
        check_with_declaration(fixture, false, expect!["2:13 4:8"]);
    }
}
