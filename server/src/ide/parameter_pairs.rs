//! Parameters Python hands to more than the function whose signature
//! changes: a class call passes the same arguments to `__new__` and
//! `__init__`; an Enum calls `__init__(*value)` for each member, by
//! position; a `@singledispatch` call reaches the registered
//! implementations, which keep their own parameter names. The signature
//! change and the parameter rename refuse these rather than change one half.

use crate::graph::explain::place;
use crate::graph::{Graph, ParameterKind, SymbolId, SymbolKind};

const ENUMS: [&str; 7] = ["Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum", "EnumMeta"];

/// Why the parameters of `function` cannot change by themselves;
/// `order_kept`: every positional parameter stays at its position (only
/// renamed, or parameters added after them).
pub(super) fn check(graph: &Graph, function: SymbolId, order_kept: bool) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function) else { return Ok(()) };
    let name = symbol.name;
    if let Some(decorator) = symbol.decorators.iter().find(|d| matches!(super::last_segment(d), "singledispatch" | "singledispatchmethod")) {
        return Err(format!(
            "`{name}` is decorated with `@{decorator}`: its calls reach the implementations registered for it, which keep their own parameters"
        ));
    }
    let other = match name {
        "__init__" => "__new__",
        "__new__" => "__init__",
        _ => return Ok(()),
    };
    // A metaclass's pair takes a class statement's keywords: `rename_keywords` refuses those.
    let Some(class) = graph.container(function).filter(|&c| symbol.kind == SymbolKind::Method && !super::rename_keywords::is_metaclass(graph, c)) else {
        return Ok(());
    };
    let ancestors = graph.self_and_ancestors(class);
    // `def __new__(cls, *args, **kwargs)` takes whatever `__init__` does.
    let takes_any = |m: SymbolId| {
        let parameters = graph.symbol(m).and_then(|s| s.signature).map(|s| s.parameters.as_slice()).unwrap_or_default();
        [ParameterKind::VarPositional, ParameterKind::VarKeyword].iter().all(|k| parameters.iter().any(|p| p.kind == *k))
    };
    let paired = ancestors.iter().flat_map(|&c| graph.members(c)).find(|&m| graph.symbol(m).is_some_and(|s| s.name == other)).filter(|&m| !takes_any(m));
    if let Some(location) = paired.and_then(|m| graph.location(m)) {
        return Err(format!(
            "`{other}` at {} takes the same arguments as `{name}` (a class call passes them to both): changing `{name}` alone would break its calls",
            place(graph, &location)
        ));
    }
    let enum_class = ancestors.iter().filter_map(|&c| graph.symbol(c)).any(|c| c.bases.iter().any(|b| ENUMS.contains(&super::last_segment(b))));
    if name == "__init__" && enum_class && !order_kept {
        return Err(format!("`{name}` of an Enum is called by Python with each member's value, by position: its parameters' order is fixed"));
    }
    Ok(())
}

#[cfg(test)]
#[path = "parameter_pairs_tests.rs"]
mod tests;
