//! A rename meeting a `from m import *`, which binds names the resolver
//! cannot order against the renamed binding: refused where the star import
//! may take the new name over (`val = 16` then `from math import *`,
//! renamed `tau`: the star's `tau` wins; the settings idiom `TIMEOUT = 30`
//! then `from .local import *`, renamed to a name `local` sets), and where
//! a module star-importing the renamed module binds or reads the new name
//! itself (`total = 5` then `from mod import *`, `mod.helper` renamed
//! `total`: the import now replaces it), a file the rename does not edit.

use rustc_hash::FxHashSet;

use super::occurrences::Target;
use super::rename::FileEdits;
use crate::graph::absolute_module;
use crate::graph::explain::place;
use crate::graph::summary::Import;
use crate::graph::{FileId, Graph, Location, Span};

/// Refuses the rename of `target` to `new` (whose edits are `edits`)
/// where a star import may bind `new` over a renamed binding, naming it.
pub(super) fn check(graph: &Graph, target: &Target, new: &str, edits: &[FileEdits]) -> Result<(), String> {
    let mut renamed_modules = Vec::new();
    for edit in edits {
        let Some(entry) = graph.file(edit.file) else { continue };
        let summary = &entry.summary;
        // Where the edits bind the new name at the module's top level.
        let first = summary
            .bindings
            .iter()
            .filter(|b| {
                b.scope == 0 && b.name == target.name.as_str() && edit.replacements.iter().any(|r| b.range.start <= r.span.start && r.span.end <= b.range.end)
            })
            .map(|b| b.range.start)
            .min();
        let Some(first) = first else { continue };
        renamed_modules.push(edit.file);
        for (index, star) in summary.imports.iter().enumerate().filter(|(_, i)| i.star && i.scope == 0 && i.range.start > first) {
            if graph.star_import_binds(edit.file, index as u32, new) != Some(false) {
                let at = place(graph, &Location { file: edit.file, span: star.range });
                return Err(format!(
                    "`{}` at {at} runs after `{}` is bound and may bind `{new}` again, which would replace the renamed one",
                    written(star),
                    target.name
                ));
            }
        }
    }
    star_importers(graph, &renamed_modules, new)
}

/// Files taking every public name of a renamed module (and of theirs, in
/// turn) that bind or read `new` themselves: the star import would now
/// bind it over theirs, or their reads would find the renamed one.
fn star_importers(graph: &Graph, renamed: &[FileId], new: &str) -> Result<(), String> {
    let exporting: Vec<FileId> =
        renamed.iter().copied().filter(|&f| graph.file(f).is_some_and(|e| !new.starts_with('_') || e.binds_at_module_level("__all__"))).collect();
    for (file, star) in star_importing(graph, &exporting) {
        let Some(summary) = graph.file(file).map(|e| &e.summary) else { continue };
        let own = summary.bindings.iter().find(|b| b.scope == 0 && b.name == new).map(|b| b.range);
        let read = summary.references.iter().find(|r| r.chain.split('.').next() == Some(new)).map(|r| Span { start: r.start, end: r.start + new.len() as u32 });
        if let Some(span) = own.or(read) {
            let at = |span| place(graph, &Location { file, span });
            let how = if own.is_some() { "binds" } else { "reads" };
            return Err(format!(
                "`{}` at {} would bring the renamed `{new}` into a module that {how} a `{new}` of its own at {}",
                written(star),
                at(star.range),
                at(span)
            ));
        }
    }
    Ok(())
}

/// The files that take every public name of one of `files` by `from m
/// import *`, or of such a file in turn, each with its star import.
pub(super) fn star_importing<'g>(graph: &'g Graph, files: &[FileId]) -> Vec<(FileId, &'g Import)> {
    let mut modules: Vec<String> = files.iter().filter_map(|&f| Some(graph.file(f)?.module.clone())).collect();
    let mut seen: FxHashSet<String> = modules.iter().cloned().collect();
    let mut out = Vec::new();
    while let Some(module) = modules.pop() {
        for (file, entry) in graph.files() {
            let star = entry
                .summary
                .imports
                .iter()
                .find(|i| i.star && absolute_module(&entry.module, entry.is_package, i.level, i.module.as_deref()).as_deref() == Some(module.as_str()));
            if let Some(star) = star {
                out.push((file, star));
                if seen.insert(entry.module.clone()) {
                    modules.push(entry.module.clone());
                }
            }
        }
    }
    out
}

fn written(star: &Import) -> String {
    format!("from {}{} import *", ".".repeat(star.level as usize), star.module.as_deref().unwrap_or_default())
}
