//! What each part of a graph holds on the heap (`pyloom graph --memory`):
//! the graph is taken apart and each part freed in turn, the allocator
//! counting what each gives back (see [`crate::memory`]).

use std::sync::Arc;

use super::summary::{FileSummary, Name};
use super::{FileEntry, Graph};
use crate::memory::{Freed, released_by};

/// Heap by part of a graph (`library`: the standard library's and the
/// installed packages' summaries read so far), in the order freed.
pub type Parts = Vec<(&'static str, Freed)>;

impl Graph {
    /// Frees the graph part by part; `None` when the allocator does not
    /// count (see [`released_by`]). A part still shared elsewhere (a
    /// summary a cache also holds) frees nothing, so it counts nothing.
    pub fn free_by_part(self) -> Option<Parts> {
        // No `..`: a new field must be given a part here.
        let Graph {
            roots,
            shown_from: _,
            files,
            free_files,
            by_path,
            modules,
            graph,
            externals,
            external_names,
            dependents,
            value_dependents,
            class_dunders,
            waiting,
            importers,
            caller_readers,
            pending,
            unlinked,
            files_linked: _,
            library,
            module_links,
            revision: _,
            resolves: _,
            local,
            answers,
            broken_method: _,
            notebook_cells: _,
        } = self;
        // Made before counting: the lists that take the parts out are not
        // counted, and the entries' own blocks are (with the per-file
        // indexes).
        let n = files.len();
        let (mut texts, mut summaries, mut indexes, mut shared) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        // The symbols' qualified names, held by their files: with the symbols.
        let mut names: Vec<super::qualified::QualifiedNames> = Vec::with_capacity(n);
        let entries = released_by(|| {
            for entry in files.into_iter().flatten() {
                match Arc::try_unwrap(entry) {
                    Ok(FileEntry {
                        path,
                        module,
                        is_package: _,
                        held_text: text,
                        summary,
                        hash: _,
                        syntax_errors: _,
                        module_node: _,
                        nodes,
                        qualified,
                        binding_index,
                        star_imports,
                        families,
                        exports,
                        interface: _,
                        value_hashes,
                        consulted,
                        consulted_values,
                        read_whole,
                        read_names,
                        missing,
                        caller_typed,
                        caller_names,
                        unresolved,
                        call_index: _,
                    }) => {
                        texts.push(text);
                        summaries.push(summary);
                        names.push(qualified);
                        indexes.push((
                            path,
                            module,
                            nodes,
                            binding_index,
                            star_imports,
                            (families, exports),
                            value_hashes,
                            consulted,
                            consulted_values,
                            (read_whole, read_names),
                            (missing, unresolved),
                            caller_typed,
                            caller_names,
                        ));
                    }
                    Err(entry) => shared.push(entry),
                }
            }
        })?;
        let parts = [("texts", released_by(|| texts.clear())?)];
        let parts = parts.into_iter().chain(summary_parts(summaries)?).chain([
            (
                "symbols_and_edges",
                released_by(|| {
                    drop((graph, externals, external_names));
                    names.clear();
                })?,
            ),
            ("file_indexes", entries + released_by(|| indexes.clear())?),
            (
                "workspace_indexes",
                released_by(|| {
                    drop((
                        roots,
                        free_files,
                        by_path,
                        modules,
                        dependents,
                        value_dependents,
                        class_dunders,
                        waiting,
                        importers,
                        caller_readers,
                        pending,
                        unlinked,
                        module_links,
                        local,
                        answers,
                    ))
                })?,
            ),
            ("library", released_by(|| drop(library))?),
            ("shared_files", released_by(|| shared.clear())?),
            // Never freed (see summary/name.rs): the table's size instead.
            ("interned_names", Freed { asked: Name::interned_bytes(), blocks: Name::interned_bytes() }),
        ]);
        Some(parts.collect())
    }
}

/// The summaries' heap by field: the largest part of a graph.
fn summary_parts(summaries: Vec<Arc<FileSummary>>) -> Option<Parts> {
    let n = summaries.len();
    let (mut references, mut bindings, mut definitions, mut arguments): (Vec<_>, Vec<_>, Vec<Vec<_>>, Vec<_>) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut scopes_and_calls, mut rest, mut shared) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    // Taking each summary out of its `Arc` frees the `Arc`'s own block.
    let unwrapped = released_by(|| {
        for summary in summaries {
            match Arc::try_unwrap(summary) {
                Ok(FileSummary {
                    docstring,
                    scopes,
                    definitions: defs,
                    imports,
                    bindings: binds,
                    references: refs,
                    implicit_calls,
                    arguments: args,
                    narrowings,
                    branches,
                    blocks,
                    constants,
                    statements,
                    syntax_errors: _,
                }) => {
                    references.push(refs);
                    // A binding's block is the binding's part.
                    bindings.push((binds, blocks));
                    definitions.push(defs);
                    arguments.push(args);
                    scopes_and_calls.push((scopes, implicit_calls));
                    rest.push((docstring, imports, narrowings, branches, constants, statements));
                }
                Err(summary) => shared.push(summary),
            }
        }
    })?;
    // A definition's signature, docstring and values apart: the largest
    // of what definitions own. The lists that take them out are made
    // before counting, and their own buffers are not counted.
    let count: usize = definitions.iter().map(Vec::len).sum();
    let (mut signatures, mut docstrings, mut values) = (Vec::with_capacity(count), Vec::with_capacity(count), Vec::with_capacity(count));
    for definition in definitions.iter_mut().flatten() {
        signatures.push(definition.signature.take());
        docstrings.push(definition.docstring.take());
        values.push(std::mem::take(&mut definition.values));
    }
    Some(vec![
        ("summary_references", released_by(|| drop(references))?),
        ("summary_bindings", released_by(|| drop(bindings))?),
        ("summary_definitions", released_by(|| drop(definitions))?),
        ("summary_definitions_signatures", heap_of(signatures)?),
        ("summary_definitions_docstrings", heap_of(docstrings)?),
        ("summary_definitions_values", heap_of(values)?),
        ("summary_arguments", released_by(|| drop(arguments))?),
        ("summary_scopes_and_implicit_calls", released_by(|| drop(scopes_and_calls))?),
        ("summary_imports_and_the_rest", unwrapped + released_by(|| drop((rest, shared)))?),
    ])
}

/// What the items of `list` own on the heap, not the list's own buffer
/// (emptying it frees the items and keeps the buffer).
fn heap_of<T>(mut list: Vec<T>) -> Option<Freed> {
    released_by(|| list.clear())
}
