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

use super::mentions::{self, Mention};
use super::occurrences::{self, Access, NoTarget, Occurrence, Target};
use super::parsed_files::ParsedFiles;
use super::rename_guard::Unfollowable;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

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
            let span = occurrences::name_span(&graph.file(file).map(|f| f.text.clone()).unwrap_or_default(), offset).ok_or(NoTarget::NoName)?;
            Target { span, ..occurrences::target_at(graph, definition.file, definition.span.start)? }
        }
        other => other?,
    };
    // An installed package's file opened in the editor is read, never edited.
    if graph.file(file).is_some_and(|f| graph.is_library_path(&f.path)) {
        return Err(RenameError::External(target.name));
    }
    // `import os.path as osp`: the alias, whatever it names.
    let written = graph.file(file).and_then(|f| f.text.get(target.span.range())).unwrap_or_default();
    if written != target.name {
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
    super::rename_new_name::check_private(graph, &target, new_name, &found).map_err(RenameError::ReadByName)?;
    super::rename_new_name::check_ipython_name(graph, new_name, &found).map_err(RenameError::ReadByName)?;
    if let Some(function) = parameter_function(graph, &target) {
        super::rename_new_name::check_keyword(graph, &parsed, function, new_name).map_err(RenameError::ReadByName)?;
    }
    let mut replacements: FxHashMap<FileId, Vec<Replacement>> = FxHashMap::default();
    for occurrence in &found {
        replacements.entry(occurrence.file).or_default().push(Replacement { span: occurrence.span, text: new_name.to_owned() });
    }
    let annotated = super::rename_annotations::edits(graph, &parsed, &target, new_name).map_err(RenameError::ReadByName)?;
    let (mut mentioned, respelled) = mention_edits(graph, &parsed, &target, new_name, &found, &annotated)?;
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
        if entry.syntax_errors > 0 {
            let span = super::ipython_escapes::first_syntax_error(&entry.text, &entry.path, graph.cells(edit.file)).unwrap_or_default();
            return Err(RenameError::SyntaxErrors(place(graph, &Location { file: edit.file, span })));
        }
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
    verify(graph, &target, new_name, &edits)?;
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
    if let Some(at) = super::ipython_escapes::reaching(graph, defined, &files, &target.name) {
        return Err(RenameError::Escape { name: target.name.clone(), place: place(graph, &at) });
    }
    match super::ipython_escapes::reaching(graph, defined, &files, new_name) {
        Some(at) => Err(RenameError::EscapeSpellsNew { new: new_name.to_owned(), place: place(graph, &at) }),
        None => Ok(()),
    }
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

/// Edits for the target's mentions outside references: `__all__` entries
/// of modules that bind it, and keyword arguments naming a renamed
/// parameter at its calls (to the new name), and the constructor keywords
/// that spell a field otherwise (attrs' `host=` for `_host`, with their
/// new spelling). Refuses strings it cannot tie to the target.
#[allow(clippy::type_complexity)]
fn mention_edits(
    graph: &Graph,
    parsed: &ParsedFiles,
    target: &Target,
    new_name: &str,
    found: &[Occurrence],
    annotated: &[(FileId, Span)],
) -> Result<(Vec<(FileId, Span)>, Vec<(FileId, Replacement)>), RenameError> {
    let symbol = target.denotes.iter().find_map(|d| match d {
        Resolved::Symbol(id) => graph.symbol(*id),
        _ => None,
    });
    if let Some(symbol) = symbol {
        // `getattr(handlers, "on_" + event)`: a lookup the new name would miss.
        for denoted in &target.denotes {
            if let Resolved::Symbol(id) = denoted
                && matches!(symbol.kind, SymbolKind::Function | SymbolKind::Method | SymbolKind::Class)
            {
                super::signature_guard::computed_lookup(graph, parsed, *id, super::name_lookups::Request::Moved)
                    .map_err(|why| RenameError::ReadByName(why.replace("the calls made through it cannot be updated", "it would no longer find it")))?;
            }
        }
        if matches!(symbol.kind, SymbolKind::Function)
            && let Some(at) = super::extraction_keywords::named(graph, &target.name)
        {
            return Err(RenameError::ReadByName(format!(
                "{at} names `{}` as a translation-extraction keyword (babel/gettext): its strings would no longer be extracted",
                target.name
            )));
        }
        let mut edits = symbol_mentions(graph, parsed, target, symbol.qualified_name, found, annotated)?;
        if symbol.kind == SymbolKind::Variable
            && let Some(class) = graph.owner_class(symbol.id)
        {
            edits.extend(super::rename_keywords::of_attribute(graph, parsed, class, &target.name).map_err(RenameError::ReadByName)?);
        }
        let mut respelled = Vec::new();
        for denoted in &target.denotes {
            if let Resolved::Symbol(id) = denoted
                && let Some((class, Some(keyword))) =
                    super::rename_fields::constructor(graph, parsed, *id, &target.name, new_name).map_err(RenameError::ReadByName)?
            {
                let keywords = super::rename_callees::keyword_arguments(graph, parsed, &keyword.old, class)?;
                respelled.extend(keywords.into_iter().map(|(file, span)| (file, Replacement { span, text: keyword.new.clone() })));
            }
        }
        return Ok((edits, respelled));
    }
    match parameter_function(graph, target) {
        Some(function) => {
            super::signature_guard::names_fixed(graph, parsed, function, &target.name).map_err(RenameError::ReadByName)?;
            super::rename_callees::through_decorators(graph, parsed, function, &target.name).map_err(RenameError::ReadByName)?;
            super::rename_unlinked::forwarded_by_a_sibling(graph, function, &target.name).map_err(RenameError::ReadByName)?;
            super::rename_unlinked_calls::of_method(graph, parsed, function, &target.name).map_err(RenameError::ReadByName)?;
            // `def f(a, /, **kw)`: `f(1, a=2)` passes `a` into `**kw`.
            if super::rename_from_keyword::positional_only(graph, function, &target.name) {
                return Ok(Default::default());
            }
            if let Some(at) = doctest_keyword(graph, function, &target.name) {
                return Err(doctest(target, place(graph, &at)));
            }
            let mut edits = super::rename_callees::keyword_arguments(graph, parsed, &target.name, function)?;
            edits.extend(super::rename_keywords::of_parameter(graph, parsed, function, &target.name).map_err(RenameError::ReadByName)?);
            Ok((edits, Vec::new()))
        }
        None => {
            super::rename_unlinked_calls::of_lambda(graph, parsed, target).map_err(RenameError::ReadByName)?;
            // A local read by `eval("…")` in its file.
            let Some(Resolved::Local { file, .. }) = target.denotes.first() else { return Ok(Default::default()) };
            let Some(entry) = graph.file(*file) else { return Ok(Default::default()) };
            match mentions::scan_file(parsed, *file, &entry.text, &target.name, &[])
                .into_iter()
                .find_map(|m| if let Mention::Code { span } = m { Some(span) } else { None })
            {
                Some(span) => Err(code_string(target, place(graph, &Location { file: *file, span }))),
                None => Ok(Default::default()),
            }
        }
    }
}

/// `annotated`: the names renamed in string annotations, whose dotted
/// paths (`"models.Node"`) are read as code, not refused as strings.
fn symbol_mentions(
    graph: &Graph,
    parsed: &ParsedFiles,
    target: &Target,
    qualified_name: &str,
    found: &[Occurrence],
    annotated: &[(FileId, Span)],
) -> Result<Vec<(FileId, Span)>, RenameError> {
    let dotted = dotted_paths(graph, target, qualified_name, found);
    let mut edited: Vec<FileId> = found.iter().map(|o| o.file).collect();
    // A module taking the renamed names by `from m import *` reads them
    // without spelling them where the graph sees.
    edited.extend(super::rename_star::star_importing(graph, &edited).into_iter().map(|(file, _)| file));
    let mut edits = Vec::new();
    let readers = super::notebook_readers::Readers::of(graph, target);
    // A class's member: read in doctests as an attribute (`Sq(2).area()`).
    let member = target.denotes.iter().any(|d| match d {
        Resolved::Symbol(id) => graph.container(*id).and_then(|c| graph.symbol(c)).is_some_and(|c| c.kind == SymbolKind::Class),
        _ => false,
    });
    for (file, entry) in graph.files().filter(|(file, entry)| edited.contains(file) || readers.may_read(*file, entry)) {
        if let Some(span) = super::rename_doctests::output_spelling(&entry.text, &target.name).filter(|_| !graph.is_library_path(&entry.path)) {
            let what = "the expected output of a doctest".to_owned();
            return Err(RenameError::Dynamic { what, name: target.name.clone(), place: place(graph, &Location { file, span }) });
        }
        for mention in mentions::scan_file(parsed, file, &entry.text, &target.name, &dotted) {
            let at = |span| place(graph, &Location { file, span });
            match mention {
                Mention::AttributeString { written, span, .. } => {
                    let what = format!("`{written}`");
                    return Err(RenameError::Dynamic { what, name: target.name.clone(), place: at(span) });
                }
                Mention::DottedPath { span } if annotated.iter().any(|&(f, name)| f == file && span.start <= name.start && name.end <= span.end) => {}
                Mention::DottedPath { span } => {
                    let spelled = entry.text.get(span.start as usize..span.end as usize).unwrap_or(qualified_name);
                    let what = format!("the string \"{spelled}\"");
                    return Err(RenameError::Dynamic { what, name: target.name.clone(), place: at(span) });
                }
                // Doctests run with their module's globals: renamed where
                // the module's own binding of the name is.
                Mention::Doctest { span } if member && let Some(line) = super::rename_doctests::attribute_read(&entry.text[span.range()], &target.name) => {
                    return Err(doctest(target, at(Span::new(span.start + line.start, span.start + line.end))));
                }
                Mention::Doctest { span } => {
                    let renamed_here = found
                        .iter()
                        .any(|o| o.file == file && o.access == Access::Write && entry.summary.bindings.iter().any(|b| b.scope == 0 && b.range == o.span));
                    match super::rename_doctests::reads(&entry.text, span, &target.name) {
                        Ok(reads) if renamed_here => edits.extend(reads.into_iter().map(|read| (file, read))),
                        Ok(reads) if reads.is_empty() => {}
                        Ok(reads) => return Err(doctest(target, at(reads[0]))),
                        Err(line) => return Err(doctest(target, at(line))),
                    }
                }
                // Code for `eval` in a file that names the target, or code
                // calling it anywhere (a file of its own may run it).
                Mention::Code { span } => {
                    let calls =
                        entry.text.get(span.range()).is_some_and(|code| mentions::whole_word_ends(code, &target.name).any(|end| code[end..].starts_with('(')));
                    if calls || edited.contains(&file) {
                        return Err(code_string(target, at(span)));
                    }
                }
                Mention::DunderAll { span } => {
                    let module_binding = entry.summary.bindings.iter().find(|b| b.scope == 0 && b.name == target.name);
                    match module_binding {
                        // The module binds the name itself: renamed with it,
                        // or another thing of the same name that stays.
                        Some(binding) => {
                            let renamed = found.iter().any(|o| o.file == file && o.access == Access::Write && o.span == binding.range);
                            if renamed {
                                edits.push((file, span));
                            }
                        }
                        // The entry is a read the graph resolved to the
                        // target (brought by a star import): renamed with it.
                        None if found.iter().any(|o| o.file == file && o.span == span) => edits.push((file, span)),
                        None if found.iter().any(|o| o.file == file) => {
                            return Err(RenameError::UnboundExport { name: target.name.clone(), place: at(span) });
                        }
                        None => {}
                    }
                }
                // `mock.patch.multiple(lib, helper=…)` sets the attribute
                // its keyword names, on an object rename cannot tie to it.
                Mention::KeywordArgument { span, callee } if entry.text.get(callee.range()) == Some("multiple") => {
                    return Err(RenameError::ReadByName(format!(
                        "`patch.multiple(…)` at {} sets the attribute `{}` by its keyword, on an object rename cannot tie to the target",
                        at(span),
                        target.name
                    )));
                }
                Mention::KeywordArgument { .. } | Mention::Example { .. } => {}
            }
        }
    }
    Ok(edits)
}

/// The first doctest line of the workspace calling `function` (by its
/// name; `__init__` by its class's) with the keyword `parameter`.
pub(super) fn doctest_keyword(graph: &Graph, function: SymbolId, parameter: &str) -> Option<Location> {
    let symbol = graph.symbol(function)?;
    let mut callees = vec![symbol.name];
    if symbol.name == "__init__"
        && let Some(class) = graph.container(function).and_then(|c| graph.symbol(c))
    {
        callees = vec![class.name];
    }
    graph
        .files()
        .filter(|(_, entry)| !graph.is_library_path(&entry.path))
        .find_map(|(file, entry)| Some(Location { file, span: super::rename_doctests::keyword_call(&entry.text, &callees, parameter)? }))
}

fn doctest(target: &Target, place: String) -> RenameError {
    RenameError::Dynamic { what: "a doctest".to_owned(), name: target.name.clone(), place }
}

fn code_string(target: &Target, place: String) -> RenameError {
    RenameError::Dynamic { what: "a string of code (for `eval` or `exec`)".to_owned(), name: target.name.clone(), place }
}

/// The dotted paths that name the target: its qualified name, and
/// `module.name` for each module that imports it at its top level, which
/// `mock.patch("django.db.models.Model")` names it by as well; and for a
/// module-level definition the entry point spelling `module:name` that
/// loaders split themselves (`uvicorn.run("app.main:app")`).
fn dotted_paths(graph: &Graph, target: &Target, qualified_name: &str, found: &[Occurrence]) -> Vec<String> {
    let mut paths = vec![qualified_name.to_owned()];
    for occurrence in found.iter().filter(|o| o.access == Access::Write) {
        let Some(entry) = graph.file(occurrence.file) else { continue };
        let top_level = entry.summary.bindings.iter().any(|b| b.scope == 0 && b.range == occurrence.span && b.name == target.name);
        if top_level && !entry.module.is_empty() {
            for path in [format!("{}.{}", entry.module, target.name), format!("{}:{}", entry.module, target.name)] {
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
    }
    paths
}

/// The function whose parameter the target is.
fn parameter_function(graph: &Graph, target: &Target) -> Option<SymbolId> {
    let Some(Resolved::Local { file, span }) = target.denotes.first() else { return None };
    let summary = &graph.file(*file)?.summary;
    let binding = summary.bindings.iter().find(|b| b.range == *span)?;
    if !matches!(binding.kind, crate::graph::summary::BindingKind::Parameter { .. }) {
        return None;
    }
    let definition = summary.scopes.get(binding.scope as usize)?.definition?;
    graph.definition_symbol(*file, definition)
}

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

/// Applies `edits` to a copy of the graph and checks that every reference
/// and import of the edited files resolves as before (the renamed target
/// under its new name).
fn verify(graph: &Graph, target: &Target, new_name: &str, edits: &[FileEdits]) -> Result<(), RenameError> {
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
            Some((entry.path.as_path(), apply(&entry.text, &edit.replacements)))
        })
        .collect();
    let after = graph.with_texts(renamed_texts.iter().map(|(path, text)| (*path, text.as_str())));
    for edit in edits {
        let Some(before) = graph.file(edit.file) else { continue };
        let shadowing = |span: Span| RenameError::Shadowing {
            new: new_name.to_owned(),
            name: before.text.get(span.range()).unwrap_or_default().to_owned(),
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

#[cfg(test)]
#[path = "rename_binding_tests.rs"]
mod binding_tests;

#[cfg(test)]
#[path = "notebook_readers_tests.rs"]
mod notebook_readers_tests;

#[cfg(test)]
#[path = "rename_tests.rs"]
mod tests;

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
