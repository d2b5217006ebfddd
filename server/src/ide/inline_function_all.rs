//! Inline function from its `def`: every call of it in the workspace
//! inlined ([`super::inline_function::inline_one`]), the imports of it
//! left unused removed, and the `def` removed where its name is private
//! to its module (`_f`: a public one may have callers outside the
//! workspace, so it stays) and no stub beside the module declares it.
//! Refused, nothing changed, where a reference is not a call (the
//! function passed or stored as a value), where one call cannot be
//! inlined (its reason, with its place), where two calls would put the
//! body's variables into the same function, or where one call is inside
//! another's arguments.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::edits::{FileEdits, Replacement};
use super::inline_function::{NOT_A_CALL, call_at, import_left_unused, imported_name, inline_one};
use super::inline_variable::{Inlining, removal};
use super::mentions::{self, Mention};
use super::name_events::{EventKind, NameEvents};
use crate::graph::{FileId, Graph, Resolved, Span};
use crate::notebook::Notebook;

/// Inlines every call of the top-level function whose `def` names it at
/// `offset` of `file`.
pub fn inline_all(graph: &Graph, file: FileId, offset: u32) -> Result<Inlining, String> {
    let entry = graph.file(file).ok_or(NOT_A_CALL)?;
    let text: &str = entry.text();
    let parsed = super::ipython_escapes::parse(text, Notebook::is_notebook(&entry.path)).map_err(|()| NOT_A_CALL.to_owned())?;
    let at = TextSize::from(offset);
    let def = parsed.syntax().body.iter().filter_map(Stmt::as_function_def_stmt).find(|d| d.name.range.contains_inclusive(at)).ok_or(NOT_A_CALL)?;
    let name = def.name.as_str();
    let Some(Resolved::Symbol(id)) = graph.definition(file, def.name.start().to_u32()) else { return Err(NOT_A_CALL.to_owned()) };
    // `mock.patch.object(m, "_f")`, `mock.patch("m._f")`: calls meant to
    // go through the function, where a test may replace it.
    let dotted = [format!("{}.{name}", entry.module)];
    // A doctest calling it runs as a test: the `def` stays.
    let mut in_doctest = false;
    for (other, other_entry) in graph.files().filter(|(_, e)| e.text().contains(name)) {
        for mention in mentions::scan(other_entry.text(), name, &dotted) {
            in_doctest |= matches!(mention, Mention::Doctest { .. });
            let (Mention::AttributeString { span, .. } | Mention::DottedPath { span }) = mention else { continue };
            let place = crate::graph::explain::place(graph, &crate::graph::Location { file: other, span });
            return Err(format!("a string at {place} names `{name}` (a patch or a lookup by name): its calls are meant to go through it"));
        }
    }
    let mut references = graph.references(id);
    references.retain(|r| !(r.file == file && r.span == Span::from(def.name.range)));
    let mut files: Vec<FileId> = references.iter().map(|r| r.file).collect();
    files.dedup();
    let mut edits: Vec<FileEdits> = Vec::new();
    let mut calls_in_all = 0;
    for site in files.iter().copied().chain((!files.contains(&file)).then_some(file)) {
        let site_entry = graph.file(site).ok_or(NOT_A_CALL)?;
        let site_text: &str = site_entry.text();
        let shown = crate::graph::explain::display_path(graph, &site_entry.path);
        let place = |span: Span| format!("{shown}:{}", crate::line_ends::line_number(site_text, span.start as usize));
        let site_parsed = super::ipython_escapes::parse(site_text, Notebook::is_notebook(&site_entry.path))
            .map_err(|()| format!("{shown} has syntax errors; fix them first"))?;
        let module = &site_parsed.syntax().body;
        let events = NameEvents::of(module, TextRange::up_to(TextSize::of(site_text)));
        let mut replacements: Vec<Replacement> = Vec::new();
        let mut calls: Vec<TextRange> = Vec::new();
        let mut callers: Vec<TextRange> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for reference in references.iter().filter(|r| r.file == site) {
            // An import of it, or its name in a string (`__all__`, a
            // `mock.patch` target), which keeps the `def` ([`listed`]).
            if imports(module, reference.span) || site_text[reference.span.end as usize..].starts_with(['"', '\'']) {
                continue;
            }
            let call = call_at(module, TextSize::from(reference.span.start)).filter(|c| Span::from(callee_range(c)) == reference.span).ok_or_else(|| {
                format!("`{name}` is used at {} without being called there (passed or stored as a value): it must stay", place(reference.span))
            })?;
            let inlined = inline_one(graph, site, site_text, module, &events, call).map_err(|why| format!("the call at {}: {why}", place(reference.span)))?;
            if let Some(caller) = inlined.caller {
                if callers.contains(&caller) {
                    return Err(format!(
                        "the call at {} is the second in its function: the two inlined bodies would share their variables",
                        place(reference.span)
                    ));
                }
                callers.push(caller);
            }
            names.extend(imported_name(call).map(str::to_owned));
            calls.push(call.range());
            replacements.extend(inlined.replacements);
        }
        calls_in_all += calls.len();
        names.dedup();
        for bound in &names {
            let package_init = graph.file(site).is_some_and(|e| e.is_package);
            replacements.extend(import_left_unused(site_text, module, bound, &events, &calls, package_init));
        }
        if site == file && name.starts_with('_') && !listed(text, name) {
            let left = events.named(name).any(|e| e.kind == EventKind::Read && !calls.iter().any(|c| c.contains_range(e.range)));
            // `globals()["_handle_" + kind]` may still find it by name.
            // `m.pyi` beside `m.py` declaring it would type a name the module no longer has.
            let stubbed = super::rename_stubs::stub_beside(graph, &entry.path)
                .and_then(|stub| graph.file(stub))
                .is_some_and(|stub| stub.summary.bindings.iter().any(|b| b.scope == 0 && b.name == name));
            if !left
                && !in_doctest
                && !stubbed
                && super::signature_guard::computed_lookup(graph, &super::parsed_files::ParsedFiles::new(graph), id, super::name_lookups::Request::Moved)
                    .is_ok()
            {
                replacements.push(Replacement { span: def_removal(text, def.range()).ok_or(NOT_A_CALL)?, text: String::new() });
            }
        }
        replacements.sort_by_key(|r| (r.span.start, r.span.end));
        if replacements.windows(2).any(|w| w[0].span.end > w[1].span.start) {
            return Err(format!("a call of `{name}` in {shown} is inside another's arguments; inline the outer one first"));
        }
        if !replacements.is_empty() {
            edits.push(FileEdits { file: site, replacements });
        }
    }
    if calls_in_all == 0 {
        // Nothing to offer on a function nothing calls.
        return Err(NOT_A_CALL.to_owned());
    }
    let removed =
        edits.iter().any(|e| e.file == file && e.replacements.iter().any(|r| r.span.start <= def.start().to_u32() && def.end().to_u32() <= r.span.end));
    let title = format!(
        "Inline every call of `{name}` ({calls_in_all} in {} file{}){}",
        edits.len(),
        if edits.len() == 1 { "" } else { "s" },
        if removed { " and remove it" } else { "" }
    );
    let at = edits.iter().position(|e| e.file == file);
    let replacements = at.map(|i| edits.remove(i).replacements).unwrap_or_default();
    Ok(Inlining { replacements, title, elsewhere: edits })
}

/// The range of the name a call calls (`f` of `f(...)`, `m.f(...)`).
fn callee_range(call: &ruff_python_ast::ExprCall) -> TextRange {
    match &*call.func {
        Expr::Attribute(a) => a.attr.range,
        other => other.range(),
    }
}

/// Whether `span` is in a top-level import statement of `module`.
fn imports(module: &[Stmt], span: Span) -> bool {
    module.iter().any(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_)) && s.start().to_u32() <= span.start && span.end <= s.end().to_u32())
}

/// Whether `name` is written as a string in `text` (`__all__`, a
/// `mock.patch` target): the definition stays.
fn listed(text: &str, name: &str) -> bool {
    text.contains(&format!("\"{name}\"")) || text.contains(&format!("'{name}'")) || text.contains(&format!(".{name}\"")) || text.contains(&format!(".{name}'"))
}

/// The lines of the `def` at `range` and the blank lines after it (before
/// it, at the end of the file).
fn def_removal(text: &str, range: TextRange) -> Option<Span> {
    let lines = removal(text, range)?;
    let blank_after = text[lines.end as usize..].split_inclusive('\n').take_while(|l| l.trim().is_empty()).map(str::len).sum::<usize>();
    if lines.end as usize + blank_after < text.len() {
        return Some(Span::new(lines.start, lines.end + blank_after as u32));
    }
    let blank_before: usize = text[..lines.start as usize].split_inclusive('\n').rev().take_while(|l| l.trim().is_empty()).map(str::len).sum();
    Some(Span::new(lines.start - blank_before as u32, text.len() as u32))
}
