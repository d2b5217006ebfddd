//! A keyword argument at a call (`area(width=2)`) names a parameter of
//! the function called: renaming from it renames that parameter, as
//! renaming from the `def` does (its keyword arguments go with it); at a
//! class whose `__init__` is generated, the field it names.

use super::mentions::{self, Mention};
use crate::graph::summary::BindingKind;
use crate::graph::{FileId, Graph, ParameterKind, Resolved, Span, SymbolId, SymbolKind};

/// The parameter binding the keyword argument `name` at `span` of `file`
/// names, when the graph resolves its call to a workspace function (or a
/// class's own `__init__`) and the parameter takes keywords (a
/// positional-only one never does: the keyword goes to `**kwargs`).
pub(super) fn parameter(graph: &Graph, file: FileId, span: Span, name: &str) -> Option<Resolved> {
    let text = &graph.file(file)?.text();
    let callee = mentions::scan(text, name, &[]).into_iter().find_map(|m| match m {
        Mention::KeywordArgument { span: at, callee } if at == span => Some(callee),
        _ => None,
    })?;
    let Resolved::Symbol(mut function) = graph.definition(file, callee.start)? else { return None };
    if graph.symbol(function)?.kind == SymbolKind::Class {
        let class = function;
        let named =
            |kind: SymbolKind, wanted: &str| graph.children(class).into_iter().find(|&c| graph.symbol(c).is_some_and(|s| s.kind == kind && s.name == wanted));
        function = match named(SymbolKind::Method, "__init__") {
            Some(init) => init,
            None => {
                // A generated `__init__` (`@dataclass`, attrs, `NamedTuple`):
                // the keyword names the field of the same name.
                if let Some(field) = named(SymbolKind::Variable, name)
                    && super::rename_fields::constructor(graph, &super::parsed_files::ParsedFiles::new(graph), field, name, name).ok()?.is_some()
                {
                    return Some(Resolved::Symbol(field));
                }
                inherited_init(graph, class)?
            }
        };
    }
    let defined = graph.symbol(function).filter(|s| matches!(s.kind, SymbolKind::Function | SymbolKind::Method))?.file?;
    if positional_only(graph, function, name) {
        return None;
    }
    let summary = &graph.file(defined)?.summary;
    let binding = summary.bindings.iter().find(|b| {
        matches!(b.kind, BindingKind::Parameter { .. })
            && b.name == name
            && summary.scopes.get(b.scope as usize).and_then(|s| s.definition).and_then(|d| graph.definition_symbol(defined, d)) == Some(function)
    })?;
    Some(Resolved::Local { file: defined, span: binding.range })
}

/// Whether `function`'s parameter `name` is positional-only (before `/`).
pub(super) fn positional_only(graph: &Graph, function: SymbolId, name: &str) -> bool {
    let parameters = graph.symbol(function).and_then(|s| s.signature).map(|s| s.parameters.as_slice()).unwrap_or_default();
    parameters.iter().any(|p| p.name == name && p.kind == ParameterKind::PositionalOnly)
}

/// Whether `name` is the `*args` or `**kwargs` of `function`: no call can
/// name it (`f(kwargs=1)` passes a key of the mapping).
pub(super) fn variadic(graph: &Graph, function: SymbolId, name: &str) -> bool {
    let parameters = graph.symbol(function).and_then(|s| s.signature).map(|s| s.parameters.as_slice()).unwrap_or_default();
    parameters.iter().any(|p| p.name == name && matches!(p.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword))
}

/// The `__init__` a class without its own inherits (`Sub(size=2)` reaching
/// `Base.__init__`), nearest in its MRO, when no class of its order is
/// decorated (one may generate an `__init__`) and none is the library's
/// (whose `__init__` may come first).
fn inherited_init(graph: &Graph, class: SymbolId) -> Option<SymbolId> {
    let order = graph.self_and_ancestors(class);
    if order.iter().any(|&c| graph.symbol(c).is_none_or(|s| !s.decorators.is_empty())) || !graph.library_bases(class).is_empty() {
        return None;
    }
    graph.members(class).into_iter().find(|&m| graph.symbol(m).is_some_and(|s| s.kind == SymbolKind::Method && s.name == "__init__"))
}
