//! The replacements one file needs when a module moves
//! ([`super::module_move`]): its imports, its dotted references through
//! the moved module, its strings that spell the module's path; a
//! reference that cannot be updated exactly refuses the move.

use super::edits::Replacement;
use super::mentions::{self, Mention};
use super::module_move::{MoveError, Plan, is_init, several, star_importer};
use super::module_move_syntax::{self as syntax, ImportStatement, ImportedName};
use crate::graph::explain::place;
use crate::graph::summary::ScopeKind;
use crate::graph::{FileId, FileSummary, Graph, Location, Resolved, Span, SymbolKind, absolute_module};

pub(super) fn parent_and_leaf(module: &str) -> (&str, &str) {
    module.rsplit_once('.').unwrap_or(("", module))
}

/// `target` spelled relative to the module `here`: the fewest dots that
/// reach a package containing it; `None` when only the top level does.
pub(super) fn relative(here: &str, is_package: bool, target: &str) -> Option<String> {
    let mut base: Vec<&str> = if here.is_empty() { Vec::new() } else { here.split('.').collect() };
    if !is_package {
        base.pop();
    }
    let mut dots = 1;
    while !base.is_empty() {
        let package = base.join(".");
        if target == package {
            return Some(".".repeat(dots));
        }
        if let Some(rest) = target.strip_prefix(&format!("{package}.")) {
            return Some(format!("{}{rest}", ".".repeat(dots)));
        }
        base.pop();
        dots += 1;
    }
    None
}

/// `module` as the importer `here` spells it: with dots when the import
/// it replaces had them and a package reaches it.
pub(super) fn spelled(here: &str, is_package: bool, module: &str, relative_wanted: bool) -> String {
    let dotted = relative_wanted.then(|| relative(here, is_package, module)).flatten();
    dotted.unwrap_or_else(|| module.to_owned())
}

/// A string that is a dotted path of two parts or more, optionally with an
/// attribute after a colon (`pkg.mod`, `pkg.mod.f`, `pkg.mod:app`): single
/// words are too often something else (`"json"`, a dict key) to rewrite.
pub(super) fn dotted_path(value: &str) -> Option<(&str, &str)> {
    let (path, attribute) = match value.split_once(':') {
        Some((path, _)) => (path, &value[path.len()..]),
        None => (value, ""),
    };
    let word = |s: &str| ruff_python_stdlib::identifiers::is_identifier(s);
    let valid = path.contains('.') || !attribute.is_empty();
    (valid && path.split('.').all(word) && attribute.get(1..).is_none_or(|a| a.split('.').all(word))).then_some((path, attribute))
}

/// The replacements one file needs: its imports, its dotted references
/// through the moved module, its strings. `reads_kept` is set when a
/// chain reads the module through a name another module binds, left as
/// written.
pub(super) fn file_edits(graph: &Graph, plan: &Plan, file: FileId, reads_kept: &mut bool) -> Result<Vec<Replacement>, MoveError> {
    let Some(entry) = graph.file(file) else { return Ok(Vec::new()) };
    let text: &str = entry.text();
    let here = entry.module.as_str();
    let here_after = plan.moved.get(&entry.path).and_then(|_| plan.map(here)).unwrap_or_else(|| here.to_owned());
    let package_after = plan.moved.get(&entry.path).map_or(entry.is_package, |new| is_init(new));
    let at = |span: Span| place(graph, &Location { file, span });
    let unfollowable = |what: String, span: Span| MoveError::Unfollowable { what, place: at(span) };
    let (old_parent, old_leaf) = parent_and_leaf(&plan.old);
    let (new_parent, new_leaf) = parent_and_leaf(&plan.new);
    let read = syntax::read(&entry.path, text);
    let mut out = Vec::new();
    // `from pkg import old` reads the package's own `old` where that hides
    // the module (in another file: `__init__`'s own import loads the module).
    let hidden = here != old_parent && super::module_move_shadow::package_binding_wins(graph, old_parent, old_leaf);
    // The strings that may name a top-level module, all of them refused at once.
    let mut named = Vec::new();
    for statement in &read.imports {
        match statement {
            ImportStatement::Import(names, _) => {
                for name in names {
                    if let Some(new) = plan.map(&name.name) {
                        out.push(Replacement { span: name.span, text: new });
                    }
                }
            }
            ImportStatement::From { level, module, spec, names, statement } => {
                let Some(target) = absolute_module(here, entry.is_package, *level, module.as_deref()) else { continue };
                let mut target_after = plan.map(&target).unwrap_or_else(|| target.clone());
                // `from pkg import old`: the moved module by name.
                if let Some(name) = names.iter().find(|n: &&ImportedName| target == old_parent && n.name == old_leaf && !hidden) {
                    if new_parent != target {
                        if names.len() > 1 {
                            // `from pkg import old, Other`: the moved module gets a statement of its own.
                            let local = name.alias.as_deref().unwrap_or(old_leaf);
                            let own = if new_parent.is_empty() {
                                format!("import {} as {local}", plan.new)
                            } else {
                                let leaf = if new_leaf == local { new_leaf.to_owned() } else { format!("{new_leaf} as {local}") };
                                format!("from {} import {leaf}", spelled(&here_after, package_after, new_parent, *level > 0))
                            };
                            let ranges: Vec<Span> = names.iter().map(|n| n.range).collect();
                            let index = names.iter().position(|n| n.range == name.range).unwrap_or_default();
                            // Before the statement for its first name, after it for its last: the
                            // imports keep their order, which the last check compares them in.
                            let (first, last) = (index == 0, index + 1 == names.len());
                            let split = super::symbol_move_users::whole_lines(text, *statement)
                                .zip(super::symbol_move_users::item_removal(text, &ranges, index))
                                .filter(|(lines, removal)| lines.start < removal.start && (first || last));
                            let Some((lines, removal)) = split else {
                                let what = format!("`from {target} import {old_leaf}, …` (other names beside the moved module, which cannot be split apart)");
                                return Err(unfollowable(what, name.span));
                            };
                            let indent: String = text[lines.start as usize..].chars().take_while(|c| matches!(c, ' ' | '\t')).collect();
                            let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
                            let (at, line) = if first {
                                (lines.start, format!("{indent}{own}{newline}"))
                            } else if text[..lines.end as usize].ends_with('\n') {
                                (lines.end, format!("{indent}{own}{newline}"))
                            } else {
                                (lines.end, format!("{newline}{indent}{own}"))
                            };
                            out.push(Replacement { span: removal, text: String::new() });
                            out.push(Replacement { span: Span::new(at, at), text: line });
                            let still = absolute_module(&here_after, package_after, *level, module.as_deref()).as_deref() == Some(target_after.as_str());
                            if !still {
                                out.push(Replacement { span: *spec, text: spelled(&here_after, package_after, &target_after, *level > 0) });
                            }
                            continue;
                        }
                        if new_parent.is_empty() {
                            // Moved to the top level: `import new as old`.
                            let local = name.alias.as_deref().unwrap_or(old_leaf);
                            out.push(Replacement { span: *statement, text: format!("import {} as {local}", plan.new) });
                            continue;
                        }
                        target_after = new_parent.to_owned();
                    }
                    if new_leaf != old_leaf {
                        let text = if name.alias.is_some() { new_leaf.to_owned() } else { format!("{new_leaf} as {old_leaf}") };
                        out.push(Replacement { span: name.span, text });
                    }
                }
                let still = absolute_module(&here_after, package_after, *level, module.as_deref()).as_deref() == Some(target_after.as_str());
                if !still {
                    out.push(Replacement { span: *spec, text: spelled(&here_after, package_after, &target_after, *level > 0) });
                }
            }
        }
    }
    // `getattr(pkg, "old")`: the module by name, in a string.
    if let Some(Mention::AttributeString { written, span, .. }) =
        mentions::scan(text, old_leaf, &[]).into_iter().find(|m| matches!(m, Mention::AttributeString { .. }))
    {
        return Err(unfollowable(format!("`{written}`, which may name the module"), span));
    }
    // Importing `pkg.old` binds `old` in `pkg/__init__.py` without a
    // statement there saying so; what reads or deletes it there
    // (`del old`) reads that binding.
    let binds = entry.summary.bindings.iter().any(|b| b.scope == 0 && b.name == old_leaf);
    // A package's `__getattr__` that loads submodules by name (lazily).
    let lazy = entry.summary.bindings.iter().find(|b| b.scope == 0 && b.name == "__getattr__");
    if let Some(lazy) = lazy.filter(|_| entry.is_package && here == old_parent)
        && (text.contains(&format!("\"{old_leaf}\"")) || text.contains(&format!("'{old_leaf}'")))
    {
        return Err(unfollowable(format!("the package's `__getattr__`, which may load `{old_leaf}` by name"), lazy.range));
    }
    if entry.is_package && here == old_parent && !binds {
        // A function's own `old` (`def create(plugins=None)`) is not it.
        if let Some(span) = syntax::bare_names(text, old_leaf).into_iter().find(|s| !function_local(&entry.summary, old_leaf, *s)) {
            return Err(unfollowable(format!("`{old_leaf}`, which importing the submodule binds in its package"), span));
        }
    }
    let mut resolver = graph.reference_resolver(file);
    for reference in &entry.summary.references {
        // A chain that needs an edit spells a part of the module's name.
        if !reference.chain.split('.').any(|s| plan.old.split('.').any(|part| part == s)) {
            continue;
        }
        let segments = resolver.segments(reference);
        let moved_module = segments.iter().enumerate().find_map(|(k, s)| match s {
            Some(Resolved::Symbol(id)) => {
                let symbol = graph.symbol(*id)?;
                (symbol.kind == SymbolKind::Module).then_some(())?;
                Some((k, symbol.qualified_name.to_owned(), plan.map(symbol.qualified_name)?))
            }
            _ => None,
        });
        let Some((k, was, now)) = moved_module else { continue };
        let parts: Vec<(&str, Span)> = reference.segments().take(k + 1).collect();
        let spelled: Vec<&str> = parts.iter().map(|(name, _)| *name).collect();
        let chain = Span::new(parts[0].1.start, parts[k].1.end);
        if spelled.join(".") == was && text.get(chain.range()) == Some(was.as_str()) {
            // `import pkg.old` binds `pkg`: the chain spells the module.
            out.push(Replacement { span: chain, text: now });
        } else if k == 0 {
            // A name bound by `from … import` or an alias: kept by the import.
        } else if let Some(Some(Resolved::Symbol(module))) = segments.get(k - 1)
            && let Some(module) = graph.symbol(*module).filter(|m| m.kind == SymbolKind::Module)
            && format!("{}.{}", module.qualified_name, parts[k].0) != was
        {
            // `app.reader`, where `app/__init__.py` binds `reader` by `from
            // .io import reader`: a name of that module, kept by its import
            // (rewritten to keep its local name); the last check reads this
            // file to see that it still means the moved module.
            *reads_kept = true;
        } else if parent_and_leaf(&was).0 == parent_and_leaf(&now).0 {
            out.push(Replacement { span: parts[k].1, text: parent_and_leaf(&now).1.to_owned() });
        } else {
            return Err(unfollowable(format!("`{}` (through `{}`)", reference.chain, spelled.join(".")), reference.span()));
        }
    }
    // `import_module(".".join(("app", "util")))`: the module's last part
    // as a string beside a name built at run time.
    // The package's `__all__` entry naming the submodule is renamed with it
    // below: a name built from it follows.
    let renamed_entry = |l: &syntax::Literal| l.in_all && here == old_parent && !binds;
    // A relative name (`_LAZY = {"Parser": ".parser"}` for a PEP 562
    // `__getattr__`'s `import_module(_LAZY[name], __name__)`) as well.
    let names_leaf = |value: &str| value == old_leaf || (value.starts_with('.') && value.trim_start_matches('.').split('.').any(|p| p == old_leaf));
    let built = read.computed_imports.first().map(|c| ("imported", *c)).or_else(|| read.built_lookups.first().map(|l| ("looked up", *l)));
    if let Some((how, call)) = built
        && let Some(part) = read.literals.iter().find(|l| names_leaf(&l.value) && !renamed_entry(l))
    {
        let what = format!("a module {how} by a name built at run time, in a file with the string \"{}\" (at {}),", part.value, at(part.range));
        return Err(unfollowable(what, call));
    }
    // Plugins found by listing their package (`pkgutil.iter_modules(
    // plugins.__path__)`) and imported by a built name: any module there
    // may be one, under whatever name it has.
    let built_import = read.computed_imports.first().copied().or_else(|| read.formatted.iter().find(|f| f.imported).map(|f| f.span));
    let parent_spelled = old_parent.is_empty() || mentions::whole_word_ends(text, parent_and_leaf(old_parent).1).next().is_some();
    if let (Some(listing), Some(call)) = (read.module_listings.first(), built_import)
        && parent_spelled
    {
        let what = format!("a module found by listing its package (at {}) and imported by a name built at run time", at(*listing));
        return Err(unfollowable(what, call));
    }
    // `runpy.run_path("app/util.py")`, `os.path.join(HERE, "app", "util.py")`:
    // the file by its path, which the edits do not follow.
    let by_path = |value: &str| {
        plan.moved.keys().any(|old| {
            let name = old.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            value == name || (value.ends_with(&format!("/{name}")) && old.to_string_lossy().ends_with(value.trim_start_matches("./")))
        })
    };
    if let Some(path) = read.literals.iter().find(|l| by_path(&l.value)) {
        return Err(unfollowable(format!("the file path \"{}\"", path.value), path.range));
    }
    for literal in &read.literals {
        // `__all__` naming the submodule itself, not a name the package
        // binds (`from . import old` binds it, and keeps it by an alias).
        if literal.in_all && here == old_parent && literal.value == old_leaf && !binds {
            // `from pkg import *` binds the listed name in its importers,
            // whose uses would keep the old one.
            let starred = star_importer(graph, old_parent).is_some();
            match literal.content {
                Some(span) if new_parent == old_parent && !starred => out.push(Replacement { span, text: new_leaf.to_owned() }),
                _ => return Err(unfollowable(format!("`__all__` of `{here}` listing `{old_leaf}`"), literal.content.unwrap_or_default())),
            }
            continue;
        }
        // `import_module(".b", package="pkg")`: relative to a package
        // named elsewhere.
        if literal.imported_by.is_some() && literal.value.starts_with('.') && literal.value.split('.').any(|part| part == old_leaf) {
            return Err(unfollowable(format!("the relative module name \"{}\"", literal.value), literal.content.unwrap_or_default()));
        }
        // `import_module("pkg.old." + name)`: part of a name built at run time.
        let known = literal.value.split(['%', '{']).next().unwrap_or_default();
        let partial = known.len() < literal.value.len() || known.ends_with('.');
        let old_dotted = format!("{}.", plan.old);
        if literal.imported_by.is_some() && partial && (known.starts_with(&old_dotted) || old_dotted.starts_with(known)) {
            return Err(unfollowable(format!("a module name built from \"{}\"", literal.value), literal.content.unwrap_or_default()));
        }
        // A top-level module's name is one word: it names the module where
        // something imports or runs it by name (`import_module("tool")`),
        // and may elsewhere (`[sys.executable, "-m", "tool"]`, a lookup by
        // name): refused there, not left stale. `setup.py`'s strings are
        // the project files' (entry_points.rs lists them all at once).
        let setup_py = entry.path.file_name().is_some_and(|n| n == "setup.py");
        if !plan.old.contains('.') && literal.value == plan.old && !literal.in_all && !setup_py {
            match (literal.imported_by, literal.content, plan.map(&literal.value)) {
                (Some(_), Some(span), Some(new)) => out.push(Replacement { span, text: new }),
                _ => named.push(unfollowable(
                    format!("the string \"{}\", the module's name (`-m {}` or a lookup by name?),", literal.value, literal.value),
                    literal.range,
                )),
            }
            continue;
        }
        // `exec("from pkg.util import " + names)`: an import no statement shows.
        if super::import_strings::imports_module(&literal.value, &plan.old) {
            named.push(unfollowable(super::import_strings::described(&literal.value, &plan.old), literal.range));
            continue;
        }
        let Some((path, attribute)) = dotted_path(&literal.value) else { continue };
        let Some(new_path) = plan.map(path) else { continue };
        // `__import__("a.b")` returns `a`, and what follows the call
        // spells the rest of the old path.
        if literal.imported_by == Some("__import__") && path.contains('.') {
            return Err(unfollowable(format!("`__import__(\"{}\")`", literal.value), literal.content.unwrap_or_default()));
        }
        match literal.content {
            Some(span) => out.push(Replacement { span, text: format!("{new_path}{attribute}") }),
            None => return Err(unfollowable(format!("the string \"{}\"", literal.value), Span::default())),
        }
    }
    for formatted in &read.formatted {
        let names_it = formatted.literal.match_indices(plan.old.as_str()).any(|(i, _)| {
            let after = &formatted.literal[i + plan.old.len()..];
            let before = &formatted.literal[..i];
            (after.is_empty() || after.starts_with(['.', ':', '{'])) && !before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
        });
        let imports_near = formatted.imported && !old_parent.is_empty() && formatted.literal.contains(&format!("{old_parent}."));
        if names_it || imports_near {
            return Err(unfollowable("a formatted string that may name the module".to_owned(), formatted.span));
        }
    }
    if !named.is_empty() {
        return Err(several(named));
    }
    // A name that stays (the module keeps it, `a/util.py` → `a/util/__init__.py`).
    out.retain(|r| text.get(r.span.range()) != Some(r.text.as_str()));
    out.sort_by_key(|r| r.span);
    out.dedup();
    if let Some(pair) = out.windows(2).find(|w| w[0].span.end > w[1].span.start) {
        return Err(unfollowable("overlapping references".to_owned(), pair[1].span));
    }
    Ok(out)
}

/// Whether `name` at `span` is a function's own (a parameter or a local;
/// one declared `global` binds scope 0): the summary's read or binding
/// there gives its scope, and a function on the way out that binds the
/// name holds it. A class body holds no name for the scopes inside it,
/// nor surely for itself (read before the class binds it, the name is the
/// module's); a place the summary does not record is not a local.
fn function_local(summary: &FileSummary, name: &str, span: Span) -> bool {
    let read = summary.references.iter().find(|r| r.start == span.start).map(|r| r.scope);
    let mut scope = read.or_else(|| summary.bindings.iter().find(|b| b.range == span).map(|b| b.scope));
    while let Some(id) = scope.filter(|id| *id != 0) {
        let Some(here) = summary.scopes.get(id as usize) else { return false };
        if here.kind == ScopeKind::Function && summary.bindings.iter().any(|b| b.scope == id && b.name == name) {
            return true;
        }
        scope = here.parent;
    }
    false
}
