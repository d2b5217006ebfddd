//! Rename: every occurrence of a workspace definition or a local, across
//! the workspace, from the resolver's answers ([`super::occurrences`]).
//!
//! Never a wrong edit. A rename is refused, with the reason, when what it
//! would touch is not the workspace's (builtins, externals, modules, special
//! names), when the new name is not a plain identifier, when something names
//! the target in a way the graph cannot follow (`getattr(x, "name")`, a
//! dotted path in a string), when the new name is already bound beside the
//! target, and when the renamed workspace would resolve any name of the
//! edited files differently than before (shadowing): the edits are applied
//! to a copy of the graph and every reference of every edited file is
//! resolved again, before and after, and compared.

use rustc_hash::FxHashMap;

use super::occurrences::{self, NoTarget, Occurrence, Target};
use super::parsed_files::ParsedFiles;
use super::rename_guard::Unfollowable;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, SymbolId, SymbolKind};

/// The edits of one file: each replacement writes the new name, or the
/// spelling Python gives it there (attrs' `_host` is `host=`).
pub use super::edits::{FileEdits, Replacement, apply};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("{0}")]
    NoTarget(#[from] NoTarget),
    #[error("`{0}` is a Python builtin; renaming it would not rename Python's")]
    Builtin(String),
    #[error("`{0}` is defined outside the workspace")]
    External(String),
    #[error("`{0}` is a module; renaming modules (files) is not supported")]
    Module(String),
    #[error("`{0}` is a special name that Python looks up itself")]
    Special(String),
    #[error("`{written}` is an import alias of `{name}`: rename the alias where it is bound, or `{name}` where it is defined")]
    Alias { written: String, name: String },
    #[error("`{0}` is not a Python identifier")]
    NotIdentifier(String),
    #[error("`{0}` is a Python keyword")]
    Keyword(String),
    #[error("{what} at {place} names `{name}` in a string that rename cannot follow; rename refused")]
    Dynamic { what: String, name: String, place: String },
    #[error("`{new}` is already bound in the same scope at {place}")]
    Collision { new: String, place: String },
    #[error(
        "{place} imports `{name}` from `{module}`, which does not resolve from the workspace folder but names this module from a folder below it; open the project's own folder (or add a pyproject.toml) and rename again"
    )]
    ImportedFromBelow { name: String, module: String, place: String },
    #[error("renaming to `{new}` would change what `{name}` at {place} refers to")]
    Shadowing { new: String, name: String, place: String },
    #[error("`__all__` at {place} lists `{name}`, which that module does not define or import itself")]
    UnboundExport { name: String, place: String },
    #[error("{0} has syntax errors; fix them before renaming")]
    SyntaxErrors(String),
    #[error("`{name}` at {place} overrides or is overridden by `{method}`: renaming one method of a hierarchy would break dispatch; rename refused")]
    Hierarchy { name: String, place: String, method: String },
    #[error("`.{name}` is used at {places} on a value whose type is unknown, which may be the one renamed; rename refused")]
    UnknownReceivers { name: String, places: String },
    #[error("{link} is a symbolic link to {file}, which this rename edits: its importers name the same code by another module; rename refused")]
    LinkedModule { link: String, file: String },
    #[error("the call at {place} passes keyword arguments as `**` a mapping, whose keys may name the parameter `{name}`; rename refused")]
    UnpackedKeywords { name: String, place: String },
    #[error("{0}; rename refused")]
    ReadByName(String),
    #[error(
        "the IPython escape at {place} (a `%` magic, a `!` shell line or a string IPython runs) spells `{name}`, which rename cannot edit exactly; rename refused"
    )]
    Escape { name: String, place: String },
    #[error(
        "the IPython escape at {place} (a `%` magic, a `!` shell line or a string IPython runs) spells `{new}`: renamed to it, the escape would read the renamed name, which pyloom cannot check; rename refused"
    )]
    EscapeSpellsNew { new: String, place: String },
    #[error("no place of `{0}` the rename could follow was found from here; rename it from its definition or a read")]
    NothingFound(String),
    #[error(
        "the notebook at {place} spells `{name}` and is not open: pyloom edits only the notebooks it has open, so its code would keep the old name; open it and rename again; rename refused"
    )]
    ClosedNotebook { name: String, place: String },
}

impl From<Unfollowable> for RenameError {
    fn from(why: Unfollowable) -> Self {
        match why {
            Unfollowable::Hierarchy { name, place, method } => RenameError::Hierarchy { name, place, method },
            Unfollowable::UnknownReceivers { name, places } => RenameError::UnknownReceivers { name, places },
        }
    }
}

/// The name to rename at `offset`: its span (for `prepareRename`), or why it
/// cannot be renamed.
pub fn prepare(graph: &Graph, file: FileId, offset: u32) -> Result<Target, RenameError> {
    let target = match occurrences::target_at(graph, file, offset) {
        // A name no reference holds, which Python reads: in a class
        // pattern's keyword or a string annotation.
        Err(NoTarget::Unresolved(name)) => {
            let read = super::rename_keywords::pattern_attribute_at(graph, file, offset).or_else(|| super::rename_annotations::denoted_at(graph, file, offset));
            let Some(definition) = read else { return Err(NoTarget::Unresolved(name).into()) };
            let span = occurrences::name_span(&graph.file(file).map(|f| f.text().clone()).unwrap_or_default(), offset).ok_or(NoTarget::NoName)?;
            Target { span, ..occurrences::target_at(graph, definition.file, definition.span.start)? }
        }
        other => other?,
    };
    // An installed package's file opened in the editor is read, never edited.
    if graph.file(file).is_some_and(|f| graph.is_library_path(&f.path)) {
        return Err(RenameError::External(target.name));
    }
    // `import os.path as osp`: the alias, whatever it names. A name spelled
    // otherwise than Python reads it (`ｙ` is `y`, NFKC) is the name.
    let written = graph.file(file).and_then(|f| f.text().get(target.span.range())).unwrap_or_default();
    if !super::new_names::reads_as(written, &target.name) {
        let name = match target.denotes.first() {
            Some(Resolved::External(path)) => path.clone(),
            _ => target.name,
        };
        return Err(RenameError::Alias { written: written.to_owned(), name });
    }
    for denoted in &target.denotes {
        match denoted {
            Resolved::External(path) => return Err(external(path)),
            Resolved::Symbol(id) => {
                let symbol = graph.symbol(*id).ok_or_else(|| NoTarget::Unresolved(target.name.clone()))?;
                if symbol.file.and_then(|f| graph.file(f)).is_some_and(|f| graph.is_library_path(&f.path)) {
                    return Err(external(symbol.qualified_name));
                }
                match symbol.kind {
                    SymbolKind::Module => return Err(RenameError::Module(symbol.qualified_name.to_owned())),
                    SymbolKind::External => return Err(external(symbol.qualified_name)),
                    _ => {}
                }
            }
            Resolved::Local { .. } => {}
        }
    }
    if target.name.len() > 4 && target.name.starts_with("__") && target.name.ends_with("__") {
        return Err(RenameError::Special(target.name));
    }
    Ok(target)
}

/// Refused when the code of `file` has syntax errors, naming the first: a
/// rename edits no file whose tree the parser only recovered. Asked by
/// `prepareRename` too, so the new name is not typed for nothing.
pub fn check_syntax(graph: &Graph, file: FileId) -> Result<(), RenameError> {
    let Some(entry) = graph.file(file).filter(|entry| entry.syntax_errors > 0) else { return Ok(()) };
    let span = super::ipython_escapes::first_syntax_error(entry.text(), &entry.path, graph.cells(file)).unwrap_or_default();
    Err(RenameError::SyntaxErrors(place(graph, &Location { file, span })))
}

fn external(path: &str) -> RenameError {
    match path.strip_prefix("builtins.") {
        Some(name) => RenameError::Builtin(name.to_owned()),
        None => RenameError::External(path.to_owned()),
    }
}

/// The edits that rename the name at `offset` to `new_name`, by file.
pub fn rename(graph: &Graph, file: FileId, offset: u32, new_name: &str) -> Result<Vec<FileEdits>, RenameError> {
    if ruff_python_stdlib::keyword::is_keyword(new_name) {
        return Err(RenameError::Keyword(new_name.to_owned()));
    }
    if !ruff_python_stdlib::identifiers::is_identifier(new_name) {
        return Err(RenameError::NotIdentifier(new_name.to_owned()));
    }
    let target = prepare(graph, file, offset)?;
    if target.name == new_name {
        return Ok(Vec::new());
    }
    check_collision(graph, &target, new_name)?;
    check_imports_from_below(graph, &target)?;
    // Each file's tree, parsed once for all the checks below.
    let parsed = ParsedFiles::new(graph);
    super::rename_guard::check(graph, &target)?;
    super::rename_hierarchy::check(graph, &target).map_err(RenameError::ReadByName)?;
    super::rename_overrides::check(graph, &target, new_name).map_err(RenameError::ReadByName)?;
    super::rename_prefix_scans::check(graph, &parsed, &target, new_name).map_err(RenameError::ReadByName)?;
    super::rename_commands::check(graph, &target).map_err(RenameError::ReadByName)?;
    super::rename_unlinked::check(graph, &parsed, &target).map_err(RenameError::ReadByName)?;
    super::rename_name_reads::check(graph, &parsed, &target).map_err(RenameError::ReadByName)?;
    super::rename_keys::check(graph, &parsed, &target).map_err(RenameError::ReadByName)?;
    super::rename_setattr::check(graph, &parsed, &target).map_err(RenameError::ReadByName)?;
    super::rename_spelled::check(graph, &target).map_err(RenameError::ReadByName)?;
    let found = occurrences::everywhere(graph, &target);
    super::rename_reexports::check(graph, &target.name, &found).map_err(RenameError::ReadByName)?;
    super::rename_new_name::check_private(graph, &target, new_name, &found).map_err(RenameError::ReadByName)?;
    super::rename_new_name::check_ipython_name(graph, new_name, &found).map_err(RenameError::ReadByName)?;
    super::package_submodules::check_rename(graph, &target, new_name).map_err(RenameError::ReadByName)?;
    if let Some(function) = parameter_function(graph, &target) {
        super::rename_new_name::check_keyword(graph, &parsed, function, new_name).map_err(RenameError::ReadByName)?;
    }
    let mut replacements: FxHashMap<FileId, Vec<Replacement>> = FxHashMap::default();
    for occurrence in &found {
        replacements.entry(occurrence.file).or_default().push(Replacement { span: occurrence.span, text: new_name.to_owned() });
    }
    let annotated = super::rename_annotations::edits(graph, &parsed, &target, new_name).map_err(RenameError::ReadByName)?;
    let (mut mentioned, respelled) = super::rename_mentions::mention_edits(graph, &parsed, &target, new_name, &found, &annotated)?;
    mentioned.extend(annotated);
    super::rename_runtime::check(graph, &parsed, &target, &found).map_err(RenameError::ReadByName)?;
    mentioned.extend(super::rename_runtime::mangled(graph, &target, new_name).map_err(RenameError::ReadByName)?);
    mentioned.extend(super::rename_strings::functional_names(graph, &parsed, &target));
    super::rename_strings::check(graph, &parsed, &target, new_name, &mentioned).map_err(RenameError::ReadByName)?;
    let mentioned = mentioned.into_iter().map(|(file, span)| (file, Replacement { span, text: new_name.to_owned() }));
    for (file, replacement) in mentioned.chain(respelled) {
        replacements.entry(file).or_default().push(replacement);
    }
    let mut edits: Vec<FileEdits> = replacements
        .into_iter()
        .map(|(file, mut replacements)| {
            replacements.sort_by_key(|r| r.span);
            replacements.dedup();
            FileEdits { file, replacements }
        })
        .collect();
    edits.sort_by_key(|e| e.file);
    for edit in &edits {
        let entry = graph.file(edit.file).ok_or_else(|| NoTarget::Unresolved(target.name.clone()))?;
        check_syntax(graph, edit.file)?;
        if let Some(link) = graph.links_to(&entry.path).next() {
            let shown = |path: &std::path::Path| crate::graph::explain::display_path(graph, path);
            return Err(RenameError::LinkedModule { link: shown(link), file: shown(&entry.path) });
        }
    }
    check_escapes(graph, &target, new_name, &found)?;
    super::rename_star::check(graph, &target, new_name, &edits).map_err(RenameError::ReadByName)?;
    super::rename_stubs::check(graph, &target, &edits).map_err(RenameError::ReadByName)?;
    super::rename_flow::check(graph, &parsed, &target, &edits).map_err(RenameError::ReadByName)?;
    // An empty edit would show the rename as done while nothing changed.
    if edits.is_empty() && new_name != target.name {
        // A module-level store after the module's first binding of the
        // name is the same global: renamed from that binding.
        if let Some(first) = first_module_binding(graph, &target) {
            return rename(graph, first.file, first.span.start, new_name);
        }
        return Err(RenameError::NothingFound(target.name.clone()));
    }
    super::rename_shadowing::verify(graph, &target, new_name, &edits)?;
    Ok(edits)
}

/// A `%`/`!` line spelling the name in a notebook the rename edits, or in
/// any notebook when the name is defined in an importable module (one
/// reaching it only through an escape, `%time helper.greet()`, is not
/// among the rename's files): IPython runs or expands it, the graph does
/// not see it. One spelling the new name would read the renamed thing
/// (`!echo {new}`, `%time r = f(new=1)`) where it read another or nothing.
fn check_escapes(graph: &Graph, target: &Target, new_name: &str, found: &[Occurrence]) -> Result<(), RenameError> {
    let files: Vec<FileId> = found.iter().map(|o| o.file).collect();
    let defined = target.denotes.iter().find_map(|d| match d {
        Resolved::Symbol(id) => graph.symbol(*id).and_then(|s| s.file),
        _ => None,
    });
    let spelling = |name: &str| {
        let at = super::ipython_escapes::reaching(graph, defined, &files, name).map(|at| place(graph, &at));
        at.or_else(|| super::ipython_escapes::left_out_spelling(graph, &files, name))
    };
    if let Some(place) = spelling(&target.name) {
        return Err(RenameError::Escape { name: target.name.clone(), place });
    }
    match spelling(new_name) {
        Some(place) => Err(RenameError::EscapeSpellsNew { new: new_name.to_owned(), place }),
        None => Ok(()),
    }
}

/// The first of the workspace's `closed` notebooks (on disk and not in the
/// graph, so no rename edits them) that may reach the target and whose
/// code spells its name, shown as its cell and line
/// ([`crate::notebook::spelled_at`], as `pyloom refactor` refuses a
/// change such a notebook spells): `print(helper.greet())` would keep
/// calling the old name. `closed` lists them (a walk of the workspace's
/// folders), asked only for a target another file may name: renaming a
/// function's local walks nothing.
pub fn closed_notebook_spelling<E>(graph: &Graph, target: &Target, closed: impl FnOnce() -> Result<Vec<std::path::PathBuf>, E>) -> Result<Option<String>, E> {
    let Some(defined) = reached_from_elsewhere(graph, target) else { return Ok(None) };
    Ok(closed()?.iter().find_map(|path| {
        let text = String::from_utf8_lossy(&std::fs::read(path).ok()?).into_owned();
        if !super::ipython_escapes::notebook_reaches(graph, Some(defined), &text) {
            return None;
        }
        crate::notebook::spelled_at(&text, &crate::graph::explain::display_path(graph, path), &target.name)
    }))
}

/// The file of the target's definition when code of another file may name
/// it: a symbol's, a module-level name's, a parameter's (passed by keyword;
/// the graph holds those two as locals), not a function's own local.
fn reached_from_elsewhere(graph: &Graph, target: &Target) -> Option<FileId> {
    target.denotes.iter().find_map(|denoted| match denoted {
        Resolved::Symbol(id) => graph.symbol(*id)?.file,
        Resolved::Local { file, span } => {
            let binding = graph.file(*file)?.summary.bindings.iter().find(|b| b.range == *span)?;
            let parameter = matches!(binding.kind, crate::graph::summary::BindingKind::Parameter { .. });
            (binding.scope == 0 || parameter).then_some(*file)
        }
        Resolved::External(_) => None,
    })
}

/// The module's first binding of the target's name, when the target is a
/// later module-level store of it (a `Local` the graph does not tie to the
/// module's symbol).
fn first_module_binding(graph: &Graph, target: &Target) -> Option<Location> {
    let Some(Resolved::Local { file, .. }) = target.denotes.first() else { return None };
    let bindings = &graph.file(*file)?.summary.bindings;
    let module_level = |denoted: &Resolved| match denoted {
        Resolved::Local { file: f, span } => f == file && bindings.iter().any(|b| b.range == *span && b.scope == 0),
        _ => false,
    };
    if !target.denotes.iter().all(module_level) {
        return None;
    }
    let first = bindings.iter().find(|b| b.scope == 0 && b.name == target.name)?;
    (first.range != target.span).then_some(Location { file: *file, span: first.range })
}

/// An import the workspace cannot resolve whose module ends like the
/// target's (`from lib.crlf import grow` where the target is
/// `myproj.lib.crlf.grow`): the workspace was opened above the project's
/// root, so the import means the target and a rename would leave it behind.
fn check_imports_from_below(graph: &Graph, target: &Target) -> Result<(), RenameError> {
    let modules: Vec<String> = target
        .denotes
        .iter()
        .filter_map(|d| match d {
            Resolved::Symbol(id) => {
                graph.symbol(*id)?.file.and_then(|f| graph.module_symbol(f)).and_then(|m| graph.symbol(m)).map(|m| m.qualified_name.to_owned())
            }
            _ => None,
        })
        .collect();
    for (file, entry) in graph.files() {
        for import in entry.summary.imports.iter().filter(|i| i.level == 0 && i.name.as_deref() == Some(target.name.as_str())) {
            let Some(module) = import.module.as_deref() else { continue };
            let below = modules.iter().any(|m| m.ends_with(&format!(".{module}")));
            if below && graph.resolve_module(module).is_none() {
                let place = place(graph, &Location { file, span: import.name_range });
                return Err(RenameError::ImportedFromBelow { name: target.name.clone(), module: module.to_owned(), place });
            }
        }
    }
    Ok(())
}

/// A binding of `new_name` beside the target's definition would make two
/// definitions of one name: whichever comes last wins for every user.
fn check_collision(graph: &Graph, target: &Target, new_name: &str) -> Result<(), RenameError> {
    for denoted in &target.denotes {
        let (file, span) = match denoted {
            Resolved::Symbol(id) => match graph.location(*id) {
                Some(location) => (location.file, location.span),
                None => continue,
            },
            Resolved::Local { file, span } => (*file, *span),
            Resolved::External(_) => continue,
        };
        let Some(entry) = graph.file(file) else { continue };
        let bindings = &entry.summary.bindings;
        let Some(scope) = bindings.iter().find(|b| b.range == span).map(|b| b.scope) else { continue };
        if let Some(existing) = bindings.iter().find(|b| b.scope == scope && b.name == new_name) {
            let place = place(graph, &Location { file, span: existing.range });
            return Err(RenameError::Collision { new: new_name.to_owned(), place });
        }
    }
    Ok(())
}

/// The function whose parameter the target is.
pub(super) fn parameter_function(graph: &Graph, target: &Target) -> Option<SymbolId> {
    let Some(Resolved::Local { file, span }) = target.denotes.first() else { return None };
    let summary = &graph.file(*file)?.summary;
    let binding = summary.bindings.iter().find(|b| b.range == *span)?;
    if !matches!(binding.kind, crate::graph::summary::BindingKind::Parameter { .. }) {
        return None;
    }
    let definition = summary.scopes.get(binding.scope as usize)?.definition?;
    graph.definition_symbol(*file, definition)
}

#[cfg(test)]
#[path = "rename_binding_tests.rs"]
mod binding_tests;

#[cfg(test)]
#[path = "rename_closed_notebooks_tests.rs"]
mod closed_notebooks_tests;

#[cfg(test)]
#[path = "notebook_readers_tests.rs"]
mod notebook_readers_tests;

#[cfg(test)]
#[path = "rename_tests.rs"]
pub(super) mod tests;

#[cfg(test)]
#[path = "rename_dotted_tests.rs"]
mod dotted_tests;

#[cfg(test)]
#[path = "rename_spelled_tests.rs"]
mod spelled_tests;

#[cfg(test)]
#[path = "rename_runtime_tests.rs"]
mod runtime_tests;

#[cfg(test)]
#[path = "rename_scope_tests.rs"]
mod scope_tests;

#[cfg(test)]
#[path = "rename_strings_tests.rs"]
mod strings_tests;

#[cfg(test)]
#[path = "rename_overrides_tests.rs"]
mod overrides_tests;

#[cfg(test)]
#[path = "rename_new_name_tests.rs"]
mod new_name_tests;

#[cfg(test)]
#[path = "rename_values_tests.rs"]
mod values_tests;

#[cfg(test)]
#[path = "rename_flow_tests.rs"]
mod flow_tests;

#[cfg(test)]
#[path = "rename_unlinked_tests.rs"]
mod unlinked_tests;

#[cfg(test)]
#[path = "rename_name_reads_tests.rs"]
mod name_reads_tests;

#[cfg(test)]
#[path = "rename_reexports_tests.rs"]
mod reexports_tests;
