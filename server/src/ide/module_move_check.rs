//! The module move's last check ([`super::module_move`]): on a copy of the
//! graph with the files moved and edited, every reference and import of
//! every file that spells the module means what it meant, and no new
//! circular import runs at module level.

use std::path::PathBuf;

use rustc_hash::FxHashMap;

use super::edits::{FileEdits, apply};
use super::meanings::{Meaning, meaning};
use super::module_move::{MoveError, Plan};
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Span};

/// Moves and edits a copy of the graph, then checks that every reference
/// and import of every file that spells the module means what it meant
/// (the moved module under its new name).
pub(super) fn verify(graph: &Graph, plan: &Plan, candidates: &[FileId], edits: &[FileEdits], created: &[PathBuf]) -> Result<(), MoveError> {
    if let Some(place) = printed_spelling(graph, edits) {
        return Err(MoveError::Unfollowable { what: "the module's path printed by its own text in an f-string's `{...=}`".to_owned(), place });
    }
    let texts: FxHashMap<FileId, String> = edits.iter().filter_map(|e| Some((e.file, apply(graph.file(e.file)?.text(), &e.replacements)))).collect();
    let mut after = graph.clone();
    for init in created {
        after.update_file_deferred(init, "");
    }
    for (old_path, new_path) in &plan.moved {
        let Some(id) = graph.file_id(old_path) else { continue };
        let text = texts.get(&id).cloned().or_else(|| graph.file(id).map(|e| e.text().to_string())).unwrap_or_default();
        after.remove_file(old_path);
        after.update_file_deferred(new_path, &text);
    }
    for (id, text) in &texts {
        let Some(entry) = graph.file(*id) else { continue };
        if !plan.moved.contains_key(&entry.path) {
            after.update_file_deferred(&entry.path, text);
        }
    }
    for &file in candidates {
        let Some(before) = graph.file(file) else { continue };
        let broken = |span: Span| MoveError::Broken {
            name: before.text().get(span.range()).unwrap_or_default().to_owned(),
            place: place(graph, &Location { file, span }),
        };
        let path = plan.moved.get(&before.path).unwrap_or(&before.path);
        let Some((after_file, after_entry)) = after.file_id(path).and_then(|id| Some((id, after.file(id)?))) else {
            return Err(broken(Span::default()));
        };
        let (old_refs, new_refs) = (&before.summary.references, &after_entry.summary.references);
        if old_refs.len() != new_refs.len() || before.summary.imports.len() != after_entry.summary.imports.len() {
            return Err(broken(Span::default()));
        }
        let mut old_resolver = graph.reference_resolver(file);
        let mut new_resolver = after.reference_resolver(after_file);
        for (old, new) in old_refs.iter().zip(new_refs) {
            let was: Vec<Option<Meaning>> = old_resolver
                .segments(old)
                .into_iter()
                .map(|a| {
                    let renamed = renamed_if_moved(graph, plan, &a);
                    meaning(graph, a, renamed)
                })
                .collect();
            let is: Vec<Option<Meaning>> = new_resolver.segments(new).into_iter().map(|a| meaning(&after, a, None)).collect();
            // `import pkg.old` → `import other.old`: a chain's leading
            // packages are the new module's where they were the old one's
            // (none when it moves to the top level).
            // (A folder without `__init__.py` on the new path, a namespace package, is no node.)
            let ancestor =
                |meaning: &Option<Meaning>, of: &str| matches!(meaning, Some(Meaning::Symbol(q) | Meaning::External(q)) if of.starts_with(&format!("{q}.")));
            // `import old` → `import pkg.old`: the chain `old.f` that read
            // the module by its whole name now reads it through `pkg`.
            let whole = |meaning: &Option<Meaning>| matches!(meaning, Some(Meaning::Symbol(q)) if *q == plan.new);
            let led = was.first().is_some_and(|m| ancestor(m, &plan.old) || whole(m) && !plan.old.contains('.'));
            let same = was == is
                || led && was.len() == is.len() && was.iter().zip(&is).all(|(w, i)| w == i || (ancestor(w, &plan.old) && ancestor(i, &plan.new)))
                || led && was.iter().skip_while(|m| ancestor(m, &plan.old)).eq(is.iter().skip_while(|m| ancestor(m, &plan.new)));
            if !same {
                return Err(broken(old.span()));
            }
        }
        for (old, new) in before.summary.imports.iter().zip(&after_entry.summary.imports) {
            if old.name_range == Span::default() {
                continue;
            }
            let answer = graph.definition(file, old.name_range.end);
            let renamed = renamed_if_moved(graph, plan, &answer);
            let was = meaning(graph, answer, renamed);
            let is = meaning(&after, after.definition(after_file, new.name_range.end), None);
            if was != is {
                return Err(broken(old.name_range));
            }
        }
    }
    // Importing the module at its new place runs its new packages'
    // `__init__` first, which may import its importer. (The moved file's
    // own imports keep their modules, a package it leaves included: a
    // cycle of module imports only is benign.)
    let files = || {
        candidates.iter().filter_map(|&file| {
            let path = &graph.file(file)?.path;
            Some((Some(file), plan.moved.get(path).unwrap_or(path).as_path()))
        })
    };
    let renamed = |module: String| plan.map(&module).unwrap_or(module);
    if let Some(cycle) = super::symbol_move_check::new_cycle(graph, &after, files(), &renamed, &|m: &str| plan.new.starts_with(&format!("{m}."))) {
        return Err(MoveError::Cycle(cycle));
    }
    match super::move_packages::new_package_dependency(graph, &after, files().map(|(_, path)| path), &renamed) {
        Some(why) => Err(MoveError::Unsafe(why)),
        None => Ok(()),
    }
}

/// The move's renaming of qualified names, for `answer`: none for a
/// function or class of a file that stays, which keeps its name even where
/// it is the moved module's (`def markdown` in `pkg/__init__.py` beside
/// `pkg/markdown.py`). (A variable of that name, `global plugins` in a
/// package function, may be the submodule's attribute rebound: mapped.)
fn renamed_if_moved<'p>(graph: &Graph, plan: &'p Plan, answer: &Option<crate::graph::Resolved>) -> Option<(&'p str, &'p str)> {
    let stays = match answer {
        Some(crate::graph::Resolved::Symbol(id)) => {
            let definition = graph.symbol(*id).is_some_and(|s| matches!(s.kind, crate::graph::SymbolKind::Function | crate::graph::SymbolKind::Class));
            definition && graph.location(*id).and_then(|l| graph.file(l.file)).is_some_and(|e| !plan.moved.contains_key(&e.path))
        }
        _ => false,
    };
    (!stays).then_some((plan.old.as_str(), plan.new.as_str()))
}

/// Where an edit rewrites the text of an f-string's `{...=}` element,
/// which prints its expression's own text (`f"{pkg.old.g()=}"`): updated,
/// the program would print something else.
fn printed_spelling(graph: &Graph, edits: &[FileEdits]) -> Option<String> {
    edits.iter().find_map(|edit| {
        let entry = graph.file(edit.file)?;
        let parsed = crate::syntax::parse_unchecked_source(entry.text(), ruff_python_ast::PySourceType::from(entry.path.as_path()));
        let printed = super::f_string_debug::printed_in(&parsed.syntax().body);
        let inside = |span: Span| printed.iter().any(|e| e.start().to_u32() <= span.start && span.end <= e.end().to_u32());
        let span = edit.replacements.iter().map(|r| r.span).find(|&span| inside(span))?;
        Some(place(graph, &Location { file: edit.file, span }))
    })
}
