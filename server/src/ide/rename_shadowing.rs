//! The rename's last check: the renamed workspace resolves every name of
//! the edited files as before (no new name shadows another, none is
//! shadowed), the renamed target under its new name.

use super::edits::{FileEdits, apply};
use super::meanings::meaning;
use super::occurrences::Target;
use super::rename::RenameError;
use crate::graph::explain::place;
use crate::graph::{Graph, Location, Resolved, Span};

/// Applies `edits` to a copy of the graph and checks that every reference
/// and import of the edited files resolves as before (the renamed target
/// under its new name).
pub(super) fn verify(graph: &Graph, target: &Target, new_name: &str, edits: &[FileEdits]) -> Result<(), RenameError> {
    let old_qualified = target.denotes.iter().find_map(|d| match d {
        Resolved::Symbol(id) => graph.symbol(*id).map(|s| s.qualified_name.to_owned()),
        _ => None,
    });
    let new_qualified = old_qualified.as_ref().map(|q| match q.rsplit_once('.') {
        Some((container, _)) => format!("{container}.{new_name}"),
        None => new_name.to_owned(),
    });
    let renamed = old_qualified.as_deref().zip(new_qualified.as_deref());
    let renamed_texts: Vec<(&std::path::Path, String)> = edits
        .iter()
        .filter_map(|edit| {
            let entry = graph.file(edit.file)?;
            Some((entry.path.as_path(), apply(entry.text(), &edit.replacements)))
        })
        .collect();
    let after = graph.with_texts(renamed_texts.iter().map(|(path, text)| (*path, text.as_str())));
    for edit in edits {
        let Some(before) = graph.file(edit.file) else { continue };
        let shadowing = |span: Span| RenameError::Shadowing {
            new: new_name.to_owned(),
            name: before.text().get(span.range()).unwrap_or_default().to_owned(),
            place: place(graph, &Location { file: edit.file, span }),
        };
        let Some(after_file) = after.file_id(&before.path) else { return Err(shadowing(Span::default())) };
        let Some(after_entry) = after.file(after_file) else { return Err(shadowing(Span::default())) };
        let (old_refs, new_refs) = (&before.summary.references, &after_entry.summary.references);
        if old_refs.len() != new_refs.len() || before.summary.imports.len() != after_entry.summary.imports.len() {
            return Err(shadowing(Span::default()));
        }
        let mut old_resolver = graph.reference_resolver(edit.file);
        let mut new_resolver = after.reference_resolver(after_file);
        for (old, new) in old_refs.iter().zip(new_refs) {
            let was: Vec<_> = old_resolver.segments(old).into_iter().map(|a| meaning(graph, a, renamed)).collect();
            let is: Vec<_> = new_resolver.segments(new).into_iter().map(|a| meaning(&after, a, None)).collect();
            if was != is {
                return Err(shadowing(old.span()));
            }
        }
        for (old, new) in before.summary.imports.iter().zip(&after_entry.summary.imports) {
            if old.name_range == Span::default() {
                continue;
            }
            let was = meaning(graph, graph.definition(edit.file, old.name_range.end), renamed);
            let is = meaning(&after, after.definition(after_file, new.name_range.end), None);
            if was != is {
                return Err(shadowing(old.name_range));
            }
        }
    }
    Ok(())
}
