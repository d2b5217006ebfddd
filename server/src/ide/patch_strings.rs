//! Strings that name a function where a test may replace it:
//! `mock.patch("app.area")` (its module's dotted path or that of a module
//! importing it, "patch where it is used"), `mock.patch.object(app,
//! "area")`. A mock records the calls that go through the name; a
//! refactoring that inlines those calls, removes the import patched, or
//! moves their arguments changes what the test sees. Every refactoring
//! that does asks here and refuses.

use crate::graph::explain::place;
use crate::graph::{Graph, Location, Resolved, SymbolId};

use super::mentions::{self, Mention};

/// Where a string of the workspace names `function` by a dotted path
/// (through its module or a module importing it) or as the attribute of
/// one of those modules (or of its class), shown as `path:line`.
pub(super) fn patched(graph: &Graph, function: SymbolId) -> Option<String> {
    let symbol = graph.symbol(function)?;
    let name = symbol.name;
    let owner = symbol.qualified_name.strip_suffix(name)?.strip_suffix('.')?.to_owned();
    // The modules a test may patch it through, with the name each binds it by.
    let mut owners: Vec<(String, String)> = vec![(owner, name.to_owned())];
    for (file, entry) in graph.files() {
        for import in entry.summary.imports.iter().filter(|i| i.scope == 0 && i.name.as_deref() == Some(name)) {
            if graph.definition(file, import.name_range.start) == Some(Resolved::Symbol(function))
                && let Some(bound) = import.bound_name()
            {
                owners.push((entry.module.clone(), bound.to_owned()));
            }
        }
    }
    let dotted: Vec<String> = owners.iter().map(|(owner, bound)| format!("{owner}.{bound}")).collect();
    for (file, entry) in graph.files() {
        for (owner, bound) in &owners {
            for mention in mentions::scan(entry.text(), bound, &dotted) {
                let span = match mention {
                    Mention::DottedPath { span } => span,
                    // `patch.object(app, "area")`: only where the object is one of the owners.
                    Mention::AttributeString { span, object: Some(object), .. } => {
                        let owned = match graph.definition(file, object.start) {
                            Some(Resolved::Symbol(id)) => graph.symbol(id).is_some_and(|o| o.qualified_name == owner),
                            _ => false,
                        };
                        if !owned {
                            continue;
                        }
                        span
                    }
                    _ => continue,
                };
                return Some(place(graph, &Location { file, span }));
            }
        }
    }
    None
}

#[cfg(test)]
#[path = "patch_strings_tests.rs"]
mod tests;
