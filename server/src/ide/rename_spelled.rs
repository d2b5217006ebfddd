//! Names the runtime finds by their spelling, which no reference in the
//! code shows, so a rename would leave them behind: a pytest fixture (a
//! test asks for it by naming a parameter after it) and an `Enum`'s member
//! (`Color["RED"]`, `Color[name.upper()]`, `member.name`, a serialised
//! value read back). Such a rename is refused before any edit, as is an
//! enum's method: the graph types a member by its value, so the calls on
//! members do not resolve to it.

use super::occurrences::Target;
use crate::graph::explain::place;
use crate::graph::{Graph, Resolved, SymbolId, SymbolKind};

/// The standard library's enum bases (`enum.Enum` and its kin).
const ENUM_BASES: &[&str] = &["Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum"];

/// Why the target's name is read by its spelling.
pub(super) fn check(graph: &Graph, target: &Target) -> Result<(), String> {
    for id in target.denotes.iter().filter_map(|d| if let Resolved::Symbol(id) = d { Some(*id) } else { None }) {
        let Some(symbol) = graph.symbol(id) else { continue };
        let at = || graph.location(id).map(|l| place(graph, &l)).unwrap_or_default();
        let is_fixture = matches!(symbol.kind, SymbolKind::Function | SymbolKind::Method)
            && symbol.decorators.iter().any(|d| matches!(super::decorator_name(d), "fixture" | "yield_fixture"));
        if is_fixture {
            return Err(format!("`{}` at {} is a pytest fixture, which tests request by naming a parameter after it", symbol.name, at()));
        }
        if let Some(files) = entry_point_files(graph, id) {
            return Err(format!(
                "`{}` at {} is named by the project's entry points or module lists ({files}), which would keep the old name",
                symbol.name,
                at()
            ));
        }
        let Some(class) = graph.owner_class(id).filter(|&class| is_enum(graph, class)) else { continue };
        let class = graph.symbol(class).map(|c| c.name).unwrap_or_default();
        match symbol.kind {
            SymbolKind::Variable => {
                return Err(format!(
                    "`{}` at {} is a member of the enum `{class}`, which code may look up by its name (`{class}[\"{}\"]`, `.name`)",
                    symbol.name,
                    at(),
                    symbol.name
                ));
            }
            // The graph types a member by its value (`Color.RED` as an
            // `int`), so the calls on members are not found.
            SymbolKind::Method => {
                return Err(format!(
                    "`{}` at {} is a method of the enum `{class}`, whose calls on its members (`{class}.X.{}()`) cannot all be found",
                    symbol.name,
                    at(),
                    symbol.name
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The project files (`pyproject.toml`, `setup.cfg`, …) naming the
/// module-level definition `id` (`"pkg.cli:main"`), listed; `None` when
/// none does.
fn entry_point_files(graph: &Graph, id: SymbolId) -> Option<String> {
    let symbol = graph.symbol(id)?;
    let module = graph.file(symbol.file?)?.module.as_str();
    if symbol.qualified_name.strip_prefix(module)?.strip_prefix('.')? != symbol.name {
        return None;
    }
    // What names the definition is what a move of it to its own module
    // would rewrite, or refuse as not written out whole.
    let moving = super::entry_points::Moving::Symbol { name: symbol.name, old: module, new: module };
    match super::entry_points::edits(graph, moving) {
        Ok(edits) if edits.is_empty() => None,
        Ok(edits) => Some(edits.iter().map(|e| crate::graph::explain::display_path(graph, &e.path)).collect::<Vec<_>>().join(", ")),
        Err(reason) => Some(reason.replace("then move", "then rename")),
    }
}

/// Whether the class or a workspace class it inherits from names one of
/// [`ENUM_BASES`] as a base.
fn is_enum(graph: &Graph, class: SymbolId) -> bool {
    graph.self_and_ancestors(class).into_iter().any(|c| graph.symbol(c).is_some_and(|s| s.bases.iter().any(|b| ENUM_BASES.contains(&super::last_segment(b)))))
}
