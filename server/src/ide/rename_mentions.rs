//! The rename's edits and refusals beyond the resolver's references: the
//! target's mentions in `__all__`, doctests, strings and keyword arguments
//! ([`super::mentions`]), each renamed where it is tied to the target and
//! refused where it is not.

use super::mentions::{self, Mention};
use super::occurrences::{Access, Occurrence, Target};
use super::parsed_files::ParsedFiles;
use super::rename::{RenameError, parameter_function};
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

use super::edits::Replacement;

/// Edits for the target's mentions outside references: `__all__` entries
/// of modules that bind it, and keyword arguments naming a renamed
/// parameter at its calls (to the new name), and the constructor keywords
/// that spell a field otherwise (attrs' `host=` for `_host`, with their
/// new spelling). Refuses strings it cannot tie to the target.
#[allow(clippy::type_complexity)]
pub(super) fn mention_edits(
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
        // The project's documentation run as doctests (`--doctest-glob=*.md`).
        if let Some(place) = super::doctest_files::spelling(graph, &[&target.name]) {
            return Err(doctest(target, place));
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
            // `*args`, `**kwargs`: no call, lookup or keyword names them, only
            // what reads a function's names (`locals()`, a stub, `@overload`s).
            if super::rename_from_keyword::variadic(graph, function, &target.name) {
                super::signature_guard::read_or_declared(graph, function, &target.name).map_err(RenameError::ReadByName)?;
                return Ok(Default::default());
            }
            super::signature_guard::names_fixed(graph, parsed, function, &target.name).map_err(RenameError::ReadByName)?;
            super::parameter_pairs::check(graph, function, true).map_err(RenameError::ReadByName)?;
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
            if let Some(place) = graph.symbol(function).and_then(|f| super::doctest_files::spelling(graph, &[f.name, &target.name])) {
                return Err(doctest(target, place));
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
            match mentions::scan_file(parsed, *file, entry.text(), &target.name, &[])
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
    // A definition at its module's top level: its qualified name is the
    // path code loads it by (`module.name`).
    let top_level = target.denotes.iter().any(|d| match d {
        Resolved::Symbol(id) => graph.container(*id).and_then(|c| graph.symbol(c)).is_some_and(|c| c.kind == SymbolKind::Module),
        _ => false,
    });
    for (file, entry) in graph.files().filter(|(file, entry)| edited.contains(file) || readers.may_read(*file, entry)) {
        if let Some(span) = super::rename_doctests::output_spelling(entry.text(), &target.name).filter(|_| !graph.is_library_path(&entry.path)) {
            let what = "the expected output of a doctest".to_owned();
            return Err(RenameError::Dynamic { what, name: target.name.clone(), place: place(graph, &Location { file, span }) });
        }
        for mention in mentions::scan_file(parsed, file, entry.text(), &target.name, &dotted) {
            let at = |span| place(graph, &Location { file, span });
            match mention {
                Mention::AttributeString { written, span, .. } => {
                    let what = format!("`{written}`");
                    return Err(RenameError::Dynamic { what, name: target.name.clone(), place: at(span) });
                }
                Mention::DottedPath { span } if annotated.iter().any(|&(f, name)| f == file && span.start <= name.start && name.end <= span.end) => {}
                // `"pkg.mathplug.enable_math"`, a plugin loaded by its whole
                // path: its last part is the name, renamed as a move rewrites
                // it (a module-level definition's path only; another spelling
                // or an escape in the string is refused below).
                Mention::DottedPath { span }
                    if top_level
                        && !graph.is_library_path(&entry.path)
                        && entry.text().get(span.range()) == Some(qualified_name)
                        && qualified_name.ends_with(&format!(".{}", target.name)) =>
                {
                    edits.push((file, Span::new(span.end - target.name.len() as u32, span.end)));
                }
                Mention::DottedPath { span } => {
                    let spelled = entry.text().get(span.start as usize..span.end as usize).unwrap_or(qualified_name);
                    let what = format!("the string \"{spelled}\"");
                    return Err(RenameError::Dynamic { what, name: target.name.clone(), place: at(span) });
                }
                // Doctests run with their module's globals: renamed where
                // the module's own binding of the name is.
                Mention::Doctest { span } if member && let Some(line) = super::rename_doctests::attribute_read(&entry.text()[span.range()], &target.name) => {
                    return Err(doctest(target, at(Span::new(span.start + line.start, span.start + line.end))));
                }
                Mention::Doctest { span } => {
                    let renamed_here = found
                        .iter()
                        .any(|o| o.file == file && o.access == Access::Write && entry.summary.bindings.iter().any(|b| b.scope == 0 && b.range == o.span));
                    match super::rename_doctests::reads(entry.text(), span, &target.name) {
                        Ok(reads) if renamed_here => edits.extend(reads.into_iter().map(|read| (file, read))),
                        Ok(reads) if reads.is_empty() => {}
                        Ok(reads) => return Err(doctest(target, at(reads[0]))),
                        Err(line) => return Err(doctest(target, at(line))),
                    }
                }
                // Code for `eval` in a file that names the target, or code
                // calling it anywhere (a file of its own may run it).
                Mention::Code { span } => {
                    let calls = entry
                        .text()
                        .get(span.range())
                        .is_some_and(|code| mentions::whole_word_ends(code, &target.name).any(|end| code[end..].starts_with('(')));
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
                Mention::KeywordArgument { span, callee } if entry.text().get(callee.range()) == Some("multiple") => {
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
        .find_map(|(file, entry)| Some(Location { file, span: super::rename_doctests::keyword_call(entry.text(), &callees, parameter)? }))
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
