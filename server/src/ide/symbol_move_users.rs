//! The users of a moved symbol: `from old import f` becomes `from new
//! import f` (split off when the statement imports other names too, taken
//! out in the new module itself), `__all__` of the old module loses it when
//! the old module no longer binds it, strings that spell its dotted path
//! (`mock.patch("old.f")`) are rewritten. What cannot be updated exactly
//! refuses the move: `from old import *`, `getattr(old, "f")`, a module
//! of the old one's last name imported by name (`importlib`) in a file
//! that names the symbol. `old.f` through the module, and the old module
//! itself imported by name there, are served by the old module importing
//! the symbol back (see [`read_through_old`]).

use rustc_hash::FxHashMap;

use super::edits::Replacement;
use super::mentions::{self, Mention};
use super::module_move_edits::spelled;
use super::module_move_syntax::{self as syntax, ImportStatement};
use super::symbol_move::SymbolMoveError;
use crate::graph::{FileEntry, FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind, absolute_module, explain::place};

/// What the edits of the users need to know of the move.
pub(super) struct Moving<'a> {
    pub name: &'a str,
    pub symbol: SymbolId,
    pub old: &'a str,
    pub old_file: FileId,
    pub new: &'a str,
    /// The new module, when it exists already.
    pub target: Option<FileId>,
    /// Whether the old module still binds the name after the move (it
    /// uses the symbol, and imports it back).
    pub old_keeps: bool,
    /// Whether the moved code reads its own name.
    pub reads_itself: bool,
    /// The moved statement in the old file.
    pub statement: Span,
}

/// The replacements of every file that uses the symbol (the old module's
/// removal of the definition itself not included).
pub(super) fn edits(graph: &Graph, moving: &Moving) -> Result<FxHashMap<FileId, Vec<Replacement>>, SymbolMoveError> {
    let mut out: FxHashMap<FileId, Vec<Replacement>> = FxHashMap::default();
    let old_leaf = moving.old.rsplit('.').next().unwrap_or(moving.old);
    if let Some(refused) = import_string(graph, moving) {
        return Err(refused);
    }
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !entry.text().contains(moving.name) {
            continue;
        }
        let at = |span: Span| place(graph, &Location { file, span });
        let unfollowable = |what: String, span: Span| SymbolMoveError::Unfollowable { what, place: at(span) };
        let text: &str = entry.text();
        let read = syntax::read(&entry.path, text);
        let mut replacements = Vec::new();
        for statement in &read.imports {
            let ImportStatement::From { level, module, spec, names, statement } = statement else { continue };
            if absolute_module(&entry.module, entry.is_package, *level, module.as_deref()).as_deref() != Some(moving.old) {
                continue;
            }
            if names.is_empty() {
                return Err(unfollowable(format!("`from {} import *`", moving.old), *statement));
            }
            let Some(index) = names.iter().position(|n| n.name == moving.name) else { continue };
            let imported = &names[index];
            let ranges: Vec<Span> = names.iter().map(|n| n.range).collect();
            if Some(file) == moving.target {
                // The new module defines it now.
                let span = if names.len() == 1 { whole_lines(text, *statement) } else { item_removal(text, &ranges, index) };
                let span = span.ok_or_else(|| unfollowable(format!("the import of `{}`", moving.name), imported.span))?;
                replacements.push(Replacement { span, text: String::new() });
                continue;
            }
            let new_spec = spelled(&entry.module, entry.is_package, moving.new, *level > 0);
            if names.len() == 1 {
                replacements.push(Replacement { span: *spec, text: new_spec });
                continue;
            }
            let removal = item_removal(text, &ranges, index).ok_or_else(|| unfollowable(format!("the import of `{}`", moving.name), imported.span))?;
            replacements.push(Replacement { span: removal, text: String::new() });
            let start = text[..statement.start as usize].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[start..statement.start as usize].chars().take_while(|c| c.is_whitespace()).collect();
            let alias = imported.alias.as_deref().map(|a| format!(" as {a}")).unwrap_or_default();
            let split = format!("\n{indent}from {new_spec} import {}{alias}", moving.name);
            replacements.push(Replacement { span: Span::new(statement.end, statement.end), text: split });
        }
        for literal in &read.literals {
            if literal.in_all && file == moving.old_file && literal.value == moving.name && !moving.old_keeps {
                let items: Vec<Span> = read.literals.iter().filter(|l| l.in_all).map(|l| l.range).collect();
                let index = items.iter().position(|r| *r == literal.range).unwrap_or_default();
                let span = item_removal(text, &items, index).ok_or_else(|| unfollowable(format!("`__all__` listing `{}`", moving.name), literal.range))?;
                replacements.push(Replacement { span, text: String::new() });
                continue;
            }
            // The old module itself keeps the name; one of its leaf's name may be another.
            let kept = moving.old_keeps && literal.value == moving.old;
            if literal.imported_by.is_some() && !kept && (literal.value == moving.old || literal.value.ends_with(&format!(".{old_leaf}"))) {
                return Err(unfollowable(format!("the module `{}` imported by name in a file that names `{}`", literal.value, moving.name), literal.range));
            }
            if let Some(rest) = literal.value.strip_prefix(moving.old)
                && let Some(after) = rest.strip_prefix(['.', ':']).and_then(|r| r.strip_prefix(moving.name))
                && (after.is_empty() || after.starts_with('.'))
            {
                // The old module keeps the name (imported back) and its
                // code reads it there: `mock.patch("old.f")` patches what
                // that code calls, and the string stays. Only the moved
                // code's own calls of its name would read the new module's.
                if moving.old_keeps {
                    if moving.reads_itself {
                        return Err(unfollowable(
                            format!(
                                "the string \"{}\" (the old module's `{}`, which the moved code's own calls would no longer read)",
                                literal.value, moving.name
                            ),
                            literal.range,
                        ));
                    }
                    continue;
                }
                let content = literal.content.ok_or_else(|| unfollowable(format!("the string \"{}\"", literal.value), literal.range))?;
                // A string annotation is evaluated in its file's namespace
                // (`get_type_hints`), where the new module is not imported;
                // a `mock.patch` target is imported by `mock` itself.
                let annotations = super::symbol_move_code::annotations_in(text, Span::new(0, text.len() as u32));
                if annotations.iter().any(|a| a.start <= literal.range.start && literal.range.end <= a.end) {
                    return Err(unfollowable(
                        format!("the string annotation \"{}\" (evaluated in its file's namespace, which would need `import {}`)", literal.value, moving.new),
                        literal.range,
                    ));
                }
                replacements.push(Replacement { span: Span::new(content.start, content.start + moving.old.len() as u32), text: moving.new.to_owned() });
            }
        }
        // `getattr(old, "f")`: the name imported back serves it.
        if !moving.old_keeps && (file == moving.old_file || text.contains(old_leaf)) {
            for mention in mentions::scan(text, moving.name, &[]) {
                let Mention::AttributeString { written, span, object } = mention else { continue };
                if object.is_some_and(|object| super::module_stores::is_module(graph, file, object, moving.old) == Some(false)) {
                    continue;
                }
                return Err(unfollowable(format!("`{written}`"), span));
            }
        }
        if let Some(at) = lazy_loader(entry, moving) {
            return Err(unfollowable(format!("the module `__getattr__`, which may load `{}` from `{}` by name", moving.name, moving.old), at));
        }
        through_module(graph, file, entry, moving).map_err(|span| unfollowable(format!("`{}` through its module", text[span.range()].to_owned()), span))?;
        if !replacements.is_empty() {
            replacements.sort_by_key(|r| r.span);
            out.insert(file, replacements);
        }
    }
    Ok(out)
}

/// A string of code that imports from the old module (`exec("from
/// pkg.old import " + names)`, the names often built elsewhere), which
/// only keeps the name when it is imported back.
fn import_string(graph: &Graph, moving: &Moving) -> Option<SymbolMoveError> {
    if moving.old_keeps {
        return None;
    }
    let spelling = graph.files().filter(|(_, e)| !graph.is_library_path(&e.path) && e.text().contains(moving.old));
    spelling.into_iter().find_map(|(file, entry)| {
        let read = syntax::read(&entry.path, entry.text());
        let literal = read.literals.iter().find(|l| {
            super::import_strings::imports_module(&l.value, moving.old) && !super::import_strings::doctest_takes_others(&l.value, moving.old, moving.name)
        })?;
        // A doctest is placed at its line, not at its docstring's first.
        let Some(code) = super::import_strings::doctest_import(&literal.value, moving.old) else {
            let place = place(graph, &Location { file, span: literal.range });
            return Some(SymbolMoveError::Unfollowable { what: super::import_strings::described(&literal.value, moving.old), place });
        };
        let start = entry.text().get(literal.range.range()).and_then(|t| t.find(code)).map_or(literal.range.start, |at| literal.range.start + at as u32);
        let place = place(graph, &Location { file, span: Span::new(start, start + code.len() as u32) });
        Some(SymbolMoveError::Unfollowable { what: format!("`{}`, which imports from `{}` in the doctest", code.trim_end(), moving.old), place })
    })
}

/// A module `__getattr__` (PEP 562) in a module that spells the moved
/// name and its old module as strings (`_LAZY = {"f": ".old"}`): it may
/// load the name from there, which would no longer have it.
fn lazy_loader(entry: &FileEntry, moving: &Moving) -> Option<Span> {
    let getattr = entry.summary.bindings.iter().find(|b| b.scope == 0 && b.name == "__getattr__")?;
    let quoted = |s: &str| entry.text().contains(&format!("\"{s}\"")) || entry.text().contains(&format!("'{s}'"));
    let leaf = moving.old.rsplit('.').next().unwrap_or(moving.old);
    let spells_old = quoted(moving.old) || quoted(&format!(".{leaf}"));
    (!moving.old_keeps && quoted(moving.name) && spells_old).then_some(getattr.range)
}

/// The first reference, in any file, that reaches the symbol through its
/// old module (`fields.gross(x)`, `pkg.fields.gross`), which `moving`
/// does not yet keep it in.
pub(super) fn read_through_old(graph: &Graph, moving: &Moving) -> Option<Location> {
    graph.files().filter(|(_, entry)| !graph.is_library_path(&entry.path) && entry.text().contains(moving.name)).find_map(|(file, entry)| {
        through_module(graph, file, entry, moving).err().or_else(|| imports_old_by_name(entry, moving)).map(|span| Location { file, span })
    })
}

/// `importlib.import_module("pkg.old")` in a file that names the symbol:
/// what it reads from that module is served by the name imported back.
fn imports_old_by_name(entry: &FileEntry, moving: &Moving) -> Option<Span> {
    if !entry.text().contains(moving.old) {
        return None;
    }
    syntax::read(&entry.path, entry.text()).literals.into_iter().find(|l| l.imported_by.is_some() && l.value == moving.old).map(|l| l.range)
}

/// A reference that reaches the symbol as an attribute (`old.f`,
/// `pkg.old.f`): its module would no longer have it.
fn through_module(graph: &Graph, file: FileId, entry: &FileEntry, moving: &Moving) -> Result<(), Span> {
    let mut resolver = graph.reference_resolver(file);
    // A string annotation (`"old.f"`) is read there as code too.
    let in_strings = if entry.text().contains(&format!(".{}", moving.name)) {
        let parsed = crate::syntax::parse_unchecked_source(entry.text(), ruff_python_ast::PySourceType::from(entry.path.as_path()));
        super::rename_annotations::references(&entry.summary, entry.text(), &parsed.syntax().body)
    } else {
        Vec::new()
    };
    for reference in entry.summary.references.iter().chain(&in_strings) {
        if file == moving.old_file && moving.statement.start <= reference.span().start && reference.span().end <= moving.statement.end {
            continue;
        }
        let Some(k) = reference.segments().skip(1).position(|(s, _)| s == moving.name) else { continue };
        let resolved = resolver.segments(reference);
        // A chain from a name the graph does not know (`a._b.f()`, where
        // importing the submodule `a` bound `a` in its package), or through
        // a module to a name it cannot follow there, may reach the symbol
        // through its old module.
        let is_module = |r: &&Option<Resolved>| matches!(r, Some(Resolved::Symbol(id)) if graph.symbol(*id).is_some_and(|s| s.kind == SymbolKind::Module));
        let lost_after_module = resolved.iter().take(k + 1).skip_while(|r| !is_module(r)).any(Option::is_none);
        if (resolved.first().is_none_or(Option::is_none) || lost_after_module) && !moving.old_keeps {
            return Err(reference.span());
        }
        // Through another module that imports it (`requests.get`), its
        // import is updated; an old module that imports it back keeps it.
        let through_old = matches!(resolved.get(k), Some(Some(Resolved::Symbol(m))) if graph.symbol(*m).is_some_and(|m| m.qualified_name == moving.old));
        if through_old && !moving.old_keeps && matches!(resolved.get(k + 1), Some(Some(Resolved::Symbol(id))) if *id == moving.symbol) {
            return Err(reference.span());
        }
    }
    Ok(())
}

/// The lines `span` is on, when it is alone on them.
pub(super) fn whole_lines(text: &str, span: Span) -> Option<Span> {
    let start = text[..span.start as usize].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end as usize..].find('\n').map_or(text.len(), |i| span.end as usize + i + 1);
    let alone = text[start..span.start as usize].trim().is_empty() && text[span.end as usize..end].trim().is_empty();
    alone.then(|| Span::new(start as u32, end as u32))
}

/// What to delete to take item `index` out of a comma-separated list
/// (`a, f, b`; one per line; a trailing comma): the item and the comma
/// after it, else the comma before it; the whole line when it stood
/// alone; the only item of its brackets alone. `None` when what separates
/// it from its neighbours is not just a comma (a comment, another statement).
pub(super) fn item_removal(text: &str, items: &[Span], index: usize) -> Option<Span> {
    run_removal(text, items, index, index)
}

/// [`item_removal`] of the adjacent items `first..=last` at once, so that
/// removing several names of one list leaves valid separators.
fn run_removal(text: &str, items: &[Span], first: usize, last: usize) -> Option<Span> {
    let (start, item) = (*items.get(first)?, *items.get(last)?);
    let separator = |from: u32, to: u32| text.get(from as usize..to as usize).is_some_and(|s| s.trim() == ",");
    if !(first..last).all(|i| separator(items[i].end, items[i + 1].start)) {
        return None;
    }
    let after = &text[item.end as usize..];
    let trailing_comma = after.trim_start_matches([' ', '\t']).starts_with(',');
    let span = if let Some(next) = items.get(last + 1).filter(|next| separator(item.end, next.start)) {
        Span::new(start.start, next.start)
    } else if trailing_comma {
        let comma = item.end as usize + after.find(',')? + 1;
        Span::new(start.start, comma as u32)
    } else if let Some(previous) = first.checked_sub(1).and_then(|i| items.get(i)).filter(|p| separator(p.end, start.start)) {
        Span::new(previous.end, item.end)
    } else {
        // The list's only item (`__all__ = ["f"]`): the brackets stay, empty.
        let open = text[..start.start as usize].trim_end();
        let close = after.trim_start();
        let alone = open.ends_with(['[', '(']) && close.starts_with([']', ')']);
        return alone.then(|| Span::new(open.len() as u32, (text.len() - close.len()) as u32));
    };
    Some(whole_lines(text, span).unwrap_or(span))
}

/// The removals of the old module's imports that only the moved code
/// read: no code left in it reads them, and no other file may take them
/// from it (`from old import name`, or `old.name` read through the old
/// module imported whole); with the names, as imported (`Any` of `from
/// typing import Any as A`), of the imports kept only for such importers.
pub(super) fn unused_imports(graph: &Graph, moving: &Moving, names: &[&str]) -> (Vec<Replacement>, Vec<String>) {
    let Some(entry) = graph.file(moving.old_file) else { return (Vec::new(), Vec::new()) };
    let text: &str = entry.text();
    let inside = |span: Span| moving.statement.start <= span.start && span.end <= moving.statement.end;
    let read_elsewhere = |name: &str| {
        entry.summary.references.iter().any(|r| !inside(r.span()) && r.chain.split('.').next() == Some(name))
            || syntax::read(&entry.path, text).literals.iter().any(|l| l.in_all && l.value == name)
    };
    let taken = |name: &str| {
        graph.files().any(|(id, other)| {
            id != moving.old_file
                && other.summary.imports.iter().any(|i| {
                    let module = absolute_module(&other.module, other.is_package, i.level, i.module.as_deref());
                    let by_name = module.as_deref() == Some(moving.old) && i.name.as_deref() == Some(name);
                    // What the old module is bound to there: `import pkg.old`
                    // reads it as `pkg.old`, `from pkg import old` as `old`.
                    let bound = if module.as_deref() == Some(moving.old) && i.name.is_none() {
                        i.alias.as_deref().or(i.module.as_deref())
                    } else if i.name.as_deref().zip(module.as_deref()).is_some_and(|(n, m)| format!("{m}.{n}") == moving.old) {
                        i.alias.as_deref().or(i.name.as_deref())
                    } else {
                        None
                    };
                    // `old.name` read through the module; `typing.Any` beside
                    // `from pkg import old` is not (tester ref25 case 07).
                    let through = |bound: &str| {
                        other.summary.references.iter().any(|r| {
                            r.chain.strip_prefix(bound).and_then(|rest| rest.strip_prefix('.')).is_some_and(|rest| rest.split('.').next() == Some(name))
                        })
                    };
                    by_name || bound.is_some_and(through)
                })
        })
    };
    // A package's `__init__.py` keeps its public imports: code outside
    // the workspace imports them from the package.
    let api = |name: &str| entry.is_package && !name.starts_with('_');
    let (unused, kept): (Vec<&str>, Vec<&str>) = names.iter().copied().filter(|n| !read_elsewhere(n)).partition(|n| !taken(n) && !api(n));
    let (mut out, mut kept_imports) = (Vec::new(), Vec::new());
    for statement in syntax::read(&entry.path, text).imports {
        let (names, statement) = match &statement {
            ImportStatement::Import(names, statement) => (names, *statement),
            ImportStatement::From { names, statement, .. } => (names, *statement),
        };
        let bound = |n: &super::module_move_syntax::ImportedName| n.alias.clone().unwrap_or_else(|| n.name.split('.').next().unwrap_or_default().to_owned());
        kept_imports.extend(names.iter().filter(|n| kept.contains(&bound(n).as_str())).map(|n| n.name.clone()));
        let gone: Vec<usize> = (0..names.len()).filter(|&i| unused.contains(&bound(&names[i]).as_str())).collect();
        if gone.is_empty() {
            continue;
        }
        if gone.len() == names.len() {
            out.extend(whole_lines(text, statement).map(|span| Replacement { span, text: String::new() }));
            continue;
        }
        let ranges: Vec<Span> = names.iter().map(|n| n.range).collect();
        // Each run of adjacent names as one removal: the separators left stay valid.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for &i in &gone {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == i => *last = i,
                _ => runs.push((i, i)),
            }
        }
        out.extend(runs.into_iter().filter_map(|(first, last)| run_removal(text, &ranges, first, last)).map(|span| Replacement { span, text: String::new() }));
    }
    (out, kept_imports)
}
