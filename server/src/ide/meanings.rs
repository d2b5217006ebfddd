//! What a resolver answer means, as a value comparable across two graphs
//! (before and after an edit): the rename's and the module move's check
//! that every reference still means what it meant.

use crate::graph::{Graph, Resolved};

/// What a resolver answer means, comparable across the graph before and
/// after the rename (symbol ids and binding positions change; qualified
/// names and binding order do not, except the renamed ones).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Meaning {
    Symbol(String),
    External(String),
    Local(usize),
}

pub(super) fn meaning(graph: &Graph, answer: Option<Resolved>, renamed: Option<(&str, &str)>) -> Option<Meaning> {
    Some(match answer? {
        Resolved::Symbol(id) => {
            let qualified = graph.symbol(id)?.qualified_name;
            let mapped = renamed.and_then(|(old, new)| {
                let rest = qualified.strip_prefix(old)?;
                (rest.is_empty() || rest.starts_with('.')).then(|| format!("{new}{rest}"))
            });
            Meaning::Symbol(mapped.unwrap_or_else(|| qualified.to_owned()))
        }
        // An attribute of a value typed `Any` (`attrs.fields(C).host`, attrs'
        // stubs return `Any`) names nothing, before the rename or after.
        Resolved::External(path) if path.starts_with("typing.Any.") => return None,
        Resolved::External(path) => Meaning::External(path),
        Resolved::Local { file, span } => Meaning::Local(graph.file(file)?.summary.bindings.iter().position(|b| b.range == span)?),
    })
}
