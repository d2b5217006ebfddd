//! What an edit of a method's name or signature cannot follow exactly,
//! refused before any edit (by rename and by change signature, each in its
//! own words): a method that overrides or is overridden (the other methods
//! of the hierarchy would keep the old name or parameters, and dispatch
//! would reach them with the new ones), and calls of a method of that name
//! on a receiver whose type is unknown (`item.line_total()` in a loop over
//! untyped items), which may be calls of it.

use super::occurrences::Target;
use crate::graph::{Graph, Location, Resolved, SymbolId, SymbolKind, explain::place};

/// At most this many unknown receivers are named in the refusal.
const SHOWN: usize = 3;

/// Why the uses of a method cannot all be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unfollowable {
    /// `name` (defined at `place`) overrides or is overridden by `method`.
    Hierarchy { name: String, place: String, method: String },
    /// `.name` is read at `places` on values of unknown type.
    UnknownReceivers { name: String, places: String },
}

pub(super) fn check(graph: &Graph, target: &Target) -> Result<(), Unfollowable> {
    let member = |kind: SymbolKind| {
        target.denotes.iter().find_map(|d| match d {
            Resolved::Symbol(id) if graph.symbol(*id).is_some_and(|s| s.kind == kind) => Some(*id),
            _ => None,
        })
    };
    match member(SymbolKind::Method) {
        Some(method) => {
            if let Some(other) = graph
                .implementations(method)
                .into_iter()
                .next()
                .or_else(|| graph.overridden(method))
                .or_else(|| beside_in_a_subclass(graph, method, |_| true).map(|(_, other)| other))
            {
                let (name, at) = describe(graph, other);
                return Err(Unfollowable::Hierarchy { name, place: at, method: target.name.clone() });
            }
        }
        // A class's data attribute is read like a method (`other.size` in
        // `__eq__`, an untyped callback's `b.size`): the same reads may be
        // of it. (Its hierarchy is checked by `rename_hierarchy`.)
        None => {
            let in_class = |id: SymbolId| graph.container(id).and_then(|c| graph.symbol(c)).is_some_and(|c| c.kind == SymbolKind::Class);
            if !member(SymbolKind::Variable).is_some_and(in_class) {
                return Ok(());
            }
        }
    }
    let unknown = unknown_receivers(graph, &target.name);
    if !unknown.is_empty() {
        // Each line once, with how many uses it holds (`main.py:8 (4 uses)`).
        let mut lines: Vec<(String, usize)> = Vec::new();
        for at in unknown.iter().map(|l| place(graph, l)) {
            match lines.iter_mut().find(|(line, _)| *line == at) {
                Some((_, uses)) => *uses += 1,
                None => lines.push((at, 1)),
            }
        }
        let shown: Vec<String> = lines.iter().take(SHOWN).map(|(line, uses)| if *uses > 1 { format!("{line} ({uses} uses)") } else { line.clone() }).collect();
        let more = lines.len().saturating_sub(SHOWN);
        let places = if more > 0 { format!("{} and {more} more lines", shown.join(", ")) } else { shown.join(", ") };
        return Err(Unfollowable::UnknownReceivers { name: target.name.clone(), places });
    }
    Ok(())
}

/// A method of the same name in another workspace class that a subclass
/// of `method`'s class also inherits (`class Child(Mixin, Base)`, both
/// defining `describe`): in `Child`'s order `Mixin.describe`'s
/// `super().describe()` reaches `Base.describe`, so renaming one breaks
/// the other's dispatch. The first such method `wanted` accepts, with the
/// subclass inheriting both.
pub(super) fn beside_in_a_subclass(graph: &Graph, method: SymbolId, wanted: impl Fn(SymbolId) -> bool) -> Option<(SymbolId, SymbolId)> {
    /// Enough for real hierarchies; a larger one is not searched further.
    const LIMIT: usize = 2_000;
    let name = graph.symbol(method)?.name;
    let class = graph.container(method)?;
    // `class` and its ancestors are `overridden`'s, not this check's.
    let mut seen: rustc_hash::FxHashSet<SymbolId> = graph.self_and_ancestors(class).into_iter().collect();
    let mut subclasses = vec![class];
    let mut index = 0;
    while let Some(&current) = subclasses.get(index) {
        index += 1;
        if index > LIMIT {
            break;
        }
        // Every ancestor of the subclass, upwards only.
        let mut above = graph.bases(current);
        while let Some(ancestor) = above.pop() {
            if !seen.insert(ancestor) {
                continue;
            }
            let defines = graph.children(ancestor).into_iter().find(|&c| graph.symbol(c).is_some_and(|s| s.kind == SymbolKind::Method && s.name == name));
            if let Some(other) = defines.filter(|&other| wanted(other)) {
                return Some((current, other));
            }
            above.extend(graph.bases(ancestor));
        }
        subclasses.extend(graph.subclasses(current).into_iter().filter(|&s| seen.insert(s)));
    }
    None
}

fn describe(graph: &Graph, id: SymbolId) -> (String, String) {
    let name = graph.symbol(id).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
    let at = graph.location(id).map(|l| place(graph, &l)).unwrap_or_default();
    (name, at)
}

/// Where `.name` is read on a receiver the resolver could not type.
pub(super) fn unknown_receivers(graph: &Graph, name: &str) -> Vec<Location> {
    let mut out = Vec::new();
    for (file, entry) in graph.files() {
        if !entry.text().contains(name) {
            continue;
        }
        let mut resolver = graph.reference_resolver(file);
        for reference in &entry.summary.references {
            let segments: Vec<_> = reference.segments().collect();
            // `x.name`, or `f().name` (a receiver expression before the chain).
            let start = if reference.receiver().is_some() { 0 } else { 1 };
            let Some(index) = segments.iter().enumerate().skip(start).find(|(_, (segment, _))| *segment == name).map(|(i, _)| i) else { continue };
            let resolved = resolver.segments(reference);
            let unknown = |i: usize| resolved.get(i).is_none_or(Option::is_none);
            // A receiver outside the workspace, or a module or class without
            // the name, has no method of ours; a local or an expression of
            // unknown type may.
            let receiver_unknown = index == 0 || unknown(index - 1) || matches!(resolved.get(index - 1), Some(Some(Resolved::Local { .. })));
            if unknown(index) && receiver_unknown {
                out.push(Location { file, span: segments[index].1 });
            }
        }
    }
    out.sort();
    out
}
