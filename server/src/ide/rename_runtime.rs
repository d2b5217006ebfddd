//! What the running program reads by a name's spelling where no reference
//! of the graph shows it: `f"{x=}"` prints the name; `locals()`/`vars()`
//! hand a body's names over as strings (a string equal to a class's name,
//! `type(o).__name__ == "Leaf"`, is [`super::rename_strings`]'s); a
//! private attribute `self.__x` is
//! `_Class__x` outside its class; `case Point(x=0)` reads the attribute
//! `x`; `type(self)(name=…)` calls the constructor; and
//! `class Csv(Plugin, key="csv")` passes `key` to `__init_subclass__`.
//! Rename edits the ones it can tie to its target and refuses the rest,
//! naming the place.

use ruff_text_size::TextRange;

use super::occurrences::{Access, Occurrence, Target};
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::summary::BindingKind;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

/// Why the target's name is read by its spelling at run time, where the
/// new name would change what the program does.
pub(super) fn check(graph: &Graph, parsed: &ParsedFiles, target: &Target, found: &[Occurrence]) -> Result<(), String> {
    printed(graph, parsed, target, found)?;
    if let Some(function) = local_of(graph, target) {
        super::signature_guard::local_read_by_name(graph, function, &target.name)?;
    }
    Ok(())
}

fn symbol_of(graph: &Graph, target: &Target) -> Option<SymbolId> {
    target.denotes.iter().find_map(|d| match d {
        Resolved::Symbol(id) if graph.symbol(*id).is_some() => Some(*id),
        _ => None,
    })
}

/// A read of the target inside `f"{…=}"`, which prints the expression's
/// text: under the new name it prints another text.
fn printed(graph: &Graph, parsed: &ParsedFiles, target: &Target, found: &[Occurrence]) -> Result<(), String> {
    let mut files: Vec<FileId> = found.iter().filter(|o| o.access == Access::Read).map(|o| o.file).collect();
    files.dedup();
    for file in files {
        // No element without a brace; past that, the syntax decides (a
        // text prefilter on `=}` missed `{x=  }`).
        if graph.file(file).is_none_or(|entry| !entry.text().contains('{')) {
            continue;
        }
        let debug = super::f_string_debug::printed_in(&parsed.get(file).syntax().body);
        let inside = |o: &&Occurrence| o.file == file && debug.iter().any(|d| d.contains_range(TextRange::new(o.span.start.into(), o.span.end.into())));
        if let Some(read) = found.iter().find(inside) {
            let at = place(graph, &Location { file, span: read.span });
            return Err(format!("{at} prints `{}` with its name (`f\"{{…=}}\"`): under a new name it would print another text", target.name));
        }
    }
    Ok(())
}

/// The function whose body binds the local target (not a parameter: its
/// own checks say more).
fn local_of(graph: &Graph, target: &Target) -> Option<SymbolId> {
    let Some(Resolved::Local { file, span }) = target.denotes.first() else { return None };
    let summary = &graph.file(*file)?.summary;
    let binding = summary.bindings.iter().find(|b| b.range == *span)?;
    if matches!(binding.kind, BindingKind::Parameter { .. }) {
        return None;
    }
    let definition = summary.scopes.get(binding.scope as usize)?.definition?;
    graph.definition_symbol(*file, definition).filter(|&f| graph.symbol(f).is_some_and(|s| matches!(s.kind, SymbolKind::Function | SymbolKind::Method)))
}

/// Where a private name of a class is spelled mangled (`a._Account__balance`
/// for `self.__balance` in `Account`), as Python spells it outside the
/// class: the part of each spelling that changes, the attribute's or the
/// class's. Refused when the class's new name would mangle differently
/// than it is written (a class named with two leading underscores).
pub(super) fn mangled(graph: &Graph, target: &Target, new_name: &str) -> Result<Vec<(FileId, Span)>, String> {
    let Some(symbol) = symbol_of(graph, target).and_then(|id| graph.symbol(id)) else { return Ok(Vec::new()) };
    let owner = graph.container(symbol.id).and_then(|c| graph.symbol(c)).filter(|c| c.kind == SymbolKind::Class);
    // The spelled prefix (`_Account__balance`, `_Account__`), and the part
    // of it that changes (from, to).
    let (prefix, from, to) = match owner {
        Some(class) if target.name.starts_with("__") && !target.name.ends_with("__") => {
            let prefix = format!("_{}{}", class.name.trim_start_matches('_'), target.name);
            let len = prefix.len();
            (prefix, len - target.name.len(), len)
        }
        _ if symbol.kind == SymbolKind::Class && !target.name.trim_start_matches('_').is_empty() => {
            let bare = target.name.trim_start_matches('_');
            let prefix = format!("_{bare}__");
            match new_name.len() - new_name.trim_start_matches('_').len() {
                0 => (prefix, 1, 1 + bare.len()),
                1 => (prefix, 0, 1 + bare.len()),
                _ => return refuse_mangled(graph, &prefix, new_name),
            }
        }
        _ => return Ok(Vec::new()),
    };
    Ok(spellings(graph, &prefix).into_iter().map(|(file, span)| (file, Span::new(span.start + from as u32, span.start + to as u32))).collect())
}

fn refuse_mangled(graph: &Graph, prefix: &str, new_name: &str) -> Result<Vec<(FileId, Span)>, String> {
    match spellings(graph, prefix).first() {
        Some(&(file, span)) => Err(format!(
            "{} spells a private name mangled with the class's name, which `{new_name}` would mangle without its leading underscores",
            place(graph, &Location { file, span })
        )),
        None => Ok(Vec::new()),
    }
}

/// The identifiers starting with `prefix` (all of it when it ends with a
/// letter, digit or `_` of the name), anywhere in the workspace's files.
fn spellings(graph: &Graph, prefix: &str) -> Vec<(FileId, Span)> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let whole = !prefix.ends_with("__");
    let mut out = Vec::new();
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) {
            continue;
        }
        let text = &entry.text();
        for (start, _) in text.match_indices(prefix) {
            let end = start + prefix.len();
            let rest = &text[end..];
            let continues = rest.starts_with(word);
            if text[..start].ends_with(word) || (whole && continues) || (!whole && !continues) {
                continue;
            }
            out.push((file, Span::new(start as u32, end as u32)));
        }
    }
    out
}
