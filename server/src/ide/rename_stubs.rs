//! A stub beside its module (`lib.pyi` beside `lib.py`) declares the
//! module's names for type checkers, which read it instead of the module:
//! a rename must edit the stub's spelling of the name too, or it leaves
//! the stub declaring the old name and the new one undeclared.

use super::edits::FileEdits;
use super::occurrences::Target;
use crate::graph::explain::place;
use crate::graph::{Graph, Location, Resolved, Span};

/// Refuses when the module or stub beside the renamed definition's file
/// spells its name as a word where `edits` do not edit it.
pub(super) fn check(graph: &Graph, target: &Target, edits: &[FileEdits]) -> Result<(), String> {
    let name = target.name.as_str();
    for denoted in &target.denotes {
        let Resolved::Symbol(id) = denoted else { continue };
        let Some(entry) = graph.symbol(*id).and_then(|s| s.file).and_then(|f| graph.file(f)) else { continue };
        let beside = match entry.path.extension().and_then(|e| e.to_str()) {
            Some("py") => entry.path.with_extension("pyi"),
            Some("pyi") => entry.path.with_extension("py"),
            _ => continue,
        };
        let Some(other) = graph.file_id(&beside) else { continue };
        let Some(other_entry) = graph.file(other) else { continue };
        let edited = edits.iter().find(|e| e.file == other).map(|e| e.replacements.as_slice()).unwrap_or_default();
        let spelled = super::mentions::whole_word_ends(&other_entry.text, name).map(|end| Span::new((end - name.len()) as u32, end as u32));
        if let Some(span) = spelled.into_iter().find(|span| !edited.iter().any(|r| r.span == *span)) {
            let kind = if beside.extension().is_some_and(|e| e == "pyi") { "stub" } else { "module" };
            return Err(format!(
                "{} spells `{name}` in the {kind} beside {}, where the rename does not edit it: type checkers read a module's names from its stub, and the two would disagree",
                place(graph, &Location { file: other, span }),
                crate::graph::explain::display_path(graph, &entry.path)
            ));
        }
    }
    Ok(())
}
