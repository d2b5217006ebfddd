//! A class attribute in a hierarchy: a subclass's attribute of the same
//! name overrides it (`Dog.sound = "woof"` over `Animal.sound`, or
//! `self.sound = ...` in a subclass's `__init__`), and `self.sound` in the
//! base's methods finds whichever the instance's class has. Renaming one of
//! them changes which value those reads find, as renaming one method of a
//! hierarchy breaks dispatch (rename_guard.rs): refused, naming the other.

use super::occurrences::Target;
use crate::graph::explain::place;
use crate::graph::{Graph, Resolved, SymbolId, SymbolKind};

pub(super) fn check(graph: &Graph, target: &Target) -> Result<(), String> {
    for (symbol, class) in target.class_members(graph, &[SymbolKind::Variable, SymbolKind::Method]) {
        let ancestors = graph.self_and_ancestors(class).into_iter().skip(1);
        for other in ancestors.chain(graph.implementations(class)) {
            let Some(member) = same_name(graph, other, symbol.name, target) else { continue };
            let kinds = [symbol.kind, graph.symbol(member).map_or(symbol.kind, |m| m.kind)];
            // Two methods: rename_guard's refusal, in its words.
            if kinds == [SymbolKind::Method; 2] {
                continue;
            }
            let (name, at) = graph.symbol(member).zip(graph.location(member)).map(|(m, l)| (m.qualified_name.to_owned(), place(graph, &l))).unwrap_or_default();
            return Err(format!(
                "`{name}` at {at} overrides or is overridden by `{}`: renaming one attribute of a class hierarchy would change what `self.{}` finds in the others",
                symbol.qualified_name, target.name
            ));
        }
    }
    Ok(())
}

/// The member of `class` itself named `name` that is not the target.
fn same_name(graph: &Graph, class: SymbolId, name: &str, target: &Target) -> Option<SymbolId> {
    graph
        .children(class)
        .into_iter()
        .find(|&member| graph.symbol(member).is_some_and(|m| m.name == name) && !target.denotes.contains(&Resolved::Symbol(member)))
}
