//! The graph's check of a symbol move before it is offered: applied to a
//! copy of the graph, every reference of every edited file and of every
//! file that uses the symbol resolves as before (the symbol, and what it
//! contains, under the new module; the moved code's own reads as they
//! resolved in the old module), no import of those files is left
//! unresolved, and no module-level import the move adds closes a cycle.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use super::symbol_move::{SymbolMove, SymbolMoveError, in_string};
use super::symbol_move_code::Block;
use crate::graph::summary::Reference;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, absolute_module, explain::place};

/// What a resolver answer means, comparable across the two graphs: a
/// local by its name (a move does not change which local a name reads;
/// binding positions change with the moved code).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Meaning {
    Symbol(String),
    External(String),
    Local(String),
}

fn meaning(graph: &Graph, answer: Option<Resolved>, renamed: (&str, &str)) -> Option<Meaning> {
    Some(match answer? {
        Resolved::Symbol(id) => {
            let qualified = graph.symbol(id)?.qualified_name;
            let mapped = qualified.strip_prefix(renamed.0).filter(|rest| rest.is_empty() || rest.starts_with('.')).map(|rest| format!("{}{rest}", renamed.1));
            Meaning::Symbol(mapped.unwrap_or_else(|| qualified.to_owned()))
        }
        Resolved::External(path) => Meaning::External(path),
        Resolved::Local { file, span } => Meaning::Local(graph.file(file)?.text().get(span.range())?.to_owned()),
    })
}

/// One reference's chain, where it is, and the meaning of each segment.
type Resolution = (String, Location, Vec<Option<Meaning>>);

/// The resolutions of `references` of `file`, but the `__all__` entries
/// naming the moved symbol, which the move takes out of its old module.
/// The old module and the target see each other's function locals
/// (`companions`): a function's result typed by a local is typed alike
/// before the move and after, wherever the code that reads it is.
fn resolutions<'r>(graph: &Graph, file: FileId, references: impl Iterator<Item = &'r Reference>, renamed: (&str, &str), companions: Pair) -> Vec<Resolution> {
    let mut resolver = match companions.other(file) {
        Some(companion) => graph.reference_resolver_with(file, companion),
        None => graph.reference_resolver(file),
    };
    let text = graph.file(file).map(|e| e.text().clone()).unwrap_or_default();
    let moved = renamed.1.rsplit('.').next().unwrap_or_default();
    references
        .filter(|r| !(r.chain == moved && in_string(&text, r)))
        .map(|r| (r.chain.to_string(), Location { file, span: r.span() }, resolver.segments(r).into_iter().map(|a| meaning(graph, a, renamed)).collect()))
        .collect()
}

/// The old module and the target in one graph (the target may not exist
/// before the move).
#[derive(Clone, Copy)]
struct Pair(Option<FileId>, Option<FileId>);

impl Pair {
    fn of(graph: &Graph, old: &Path, target: &Path) -> Self {
        Self(graph.file_id(old), graph.file_id(target))
    }

    fn other(self, file: FileId) -> Option<FileId> {
        match self {
            Self(Some(old), target) if old == file => target,
            Self(old, Some(target)) if target == file => old,
            _ => None,
        }
    }
}

fn unresolved_imports(graph: &Graph, file: FileId) -> usize {
    let Some(entry) = graph.file(file) else { return 0 };
    entry.summary.imports.iter().filter(|i| !i.star && i.name_range != Span::default() && graph.definition(file, i.name_range.end).is_none()).count()
}

/// `chosen`: the names the moved code takes from its old module as the
/// import a `try`/`except ImportError` chose there; the graph reads the
/// old module's name at a place as its last import, and the import from
/// it as its first, either being what the moved code gets.
pub(super) fn check(graph: &Graph, moved: &SymbolMove, old_file: FileId, block: &Block, symbol: SymbolId, chosen: &[&str]) -> Result<(), SymbolMoveError> {
    let after = graph.with_texts(moved.files.iter().map(|f| (f.path.as_path(), f.text.as_str())));
    let old_name = graph.symbol(symbol).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
    let new_name = format!("{}.{}", moved.new, moved.name);
    let renamed = (old_name.as_str(), new_name.as_str());
    let target = &moved.files[1].path;
    let Some(old) = graph.file(old_file) else { return Ok(()) };
    let (pair_before, pair_after) = (Pair::of(graph, &old.path, target), Pair::of(&after, &old.path, target));
    let inside = |r: &&Reference| block.statement.start <= r.span().start && r.span().end <= block.statement.end;
    let moved_refs = resolutions(graph, old_file, old.summary.references.iter().filter(inside), renamed, pair_before);
    let mut paths: BTreeSet<&Path> = moved.files.iter().map(|f| f.path.as_path()).collect();
    let users: Vec<FileId> = graph.references(symbol).into_iter().map(|l| l.file).collect();
    paths.extend(users.iter().filter_map(|&f| graph.file(f)).map(|e| e.path.as_path()));
    // Files that import the old module may read what it no longer has.
    paths.extend(graph.files().filter(|(_, e)| imports_module(e, &moved.old)).map(|(_, e)| e.path.as_path()));
    for path in paths {
        let before_id = graph.file_id(path);
        let mut before: Vec<Resolution> = match before_id.and_then(|id| graph.file(id).map(|e| (id, e))) {
            Some((id, entry)) if id == old_file => resolutions(graph, id, entry.summary.references.iter().filter(|r| !inside(r)), renamed, pair_before),
            Some((id, entry)) => resolutions(graph, id, entry.summary.references.iter(), renamed, pair_before),
            None => Vec::new(),
        };
        let mut before_unresolved = before_id.map_or(0, |id| unresolved_imports(graph, id));
        if path == target {
            before.extend(moved_refs.iter().cloned());
            before_unresolved += unresolved_imports(graph, old_file);
        }
        let Some(after_id) = after.file_id(path) else { continue };
        let Some(after_entry) = after.file(after_id) else { continue };
        let mut now = resolutions(&after, after_id, after_entry.summary.references.iter(), (&new_name, &new_name), pair_after);
        if path == target {
            // The `if TYPE_CHECKING:` the move wrote for names for type checkers.
            let had = before.iter().filter(|r| r.0 == "TYPE_CHECKING").count();
            let mut written = now.iter().filter(|r| r.0 == "TYPE_CHECKING").count().saturating_sub(had);
            now.retain(|r| {
                let drop = r.0 == "TYPE_CHECKING" && written > 0;
                written -= usize::from(drop);
                !drop
            });
        }
        let whole = || before_id.map_or_else(|| path.display().to_string(), |file| place(graph, &Location { file, span: Span::default() }));
        if now.len() != before.len() {
            return Err(SymbolMoveError::Broken { name: moved.name.clone(), place: whole() });
        }
        // A moved read of a chosen name, now read through the import from the old module.
        let alternative = |was: &Resolution, is: &Resolution| {
            let first = was.0.split('.').next().unwrap_or_default();
            path == target && was.1.file == old_file && chosen.contains(&first) && is.2.first().is_some_and(|m| imported_as(graph, old_file, first, m))
        };
        if let Some((chain, at, _)) = before.iter().zip(&now).find(|(was, is)| was.2 != is.2 && !alternative(was, is)).map(|(was, _)| was) {
            return Err(SymbolMoveError::Broken { name: chain.clone(), place: place(graph, at) });
        }
        if unresolved_imports(&after, after_id) > before_unresolved {
            return Err(SymbolMoveError::Broken { name: "an import".to_owned(), place: whole() });
        }
    }
    let files = || moved.files.iter().map(|f| (graph.file_id(&f.path), f.path.as_path()));
    if let Some(cycle) = new_cycle(graph, &after, files(), &|module: String| module, &|_: &str| true) {
        return Err(SymbolMoveError::Cycle(cycle));
    }
    if let Some(why) = super::move_packages::new_package_dependency(graph, &after, files().map(|(_, path)| path), &|module: String| module) {
        return Err(SymbolMoveError::Unsafe(why));
    }
    Ok(())
}

/// Whether `meaning` is what one of the module-level imports of `name`
/// in `file` binds.
fn imported_as(graph: &Graph, file: FileId, name: &str, meaning: &Option<Meaning>) -> bool {
    let Some(entry) = graph.file(file) else { return false };
    let bindings = entry.summary.bindings.iter().filter(|b| b.scope == 0 && b.name == name);
    meaning.is_some() && bindings.map(|b| self::meaning(graph, graph.definition(file, b.range.start), ("", ""))).any(|m| m == *meaning)
}

fn imports_module(entry: &crate::graph::FileEntry, module: &str) -> bool {
    entry.summary.imports.iter().any(|i| {
        let from = absolute_module(&entry.module, entry.is_package, i.level, i.module.as_deref());
        from.as_deref() == Some(module) || i.name.as_deref().zip(from.as_deref()).is_some_and(|(n, m)| format!("{m}.{n}") == module)
    })
}

/// The workspace modules a file imports at module level (not under
/// `TYPE_CHECKING`): what runs when it is imported.
fn module_imports(graph: &Graph, file: FileId) -> BTreeSet<String> {
    let Some(entry) = graph.file(file) else { return BTreeSet::new() };
    let mut out = BTreeSet::new();
    let in_workspace = |module: &str| graph.resolve_module(module).is_some_and(|f| graph.file(f).is_some_and(|e| !graph.is_library_path(&e.path)));
    for import in entry.summary.imports.iter().filter(|i| i.scope == 0 && !i.type_checking) {
        let Some(module) = absolute_module(&entry.module, entry.is_package, import.level, import.module.as_deref()) else { continue };
        let submodule =
            import.name.as_deref().filter(|_| !import.star).map(|name| format!("{module}.{name}")).filter(|sub| graph.resolve_module(sub).is_some());
        // A package is initialised before its submodules run: `from . import
        // x` in `pkg.a` needs `pkg` in `sys.modules`, not run again; but a
        // name taken from it (`from pkg import Base`) needs its `__init__`
        // to have run as far as binding it.
        let ancestor = entry.module.starts_with(&format!("{module}."));
        let takes_name = submodule.is_none() && (import.name.is_some() || import.star);
        out.extend(submodule);
        if (!ancestor || takes_name) && in_workspace(module.as_str()) {
            out.insert(module);
        }
    }
    // Importing `a.b.c` runs `a` and `a.b` first, but the importer's own
    // packages, which are being initialised already.
    let packages: Vec<String> = out
        .iter()
        .flat_map(|module| module.match_indices('.').map(move |(i, _)| module[..i].to_owned()))
        .filter(|package| !entry.module.starts_with(&format!("{package}.")) && in_workspace(package.as_str()))
        .collect();
    out.extend(packages);
    out.remove(&entry.module);
    out
}

/// A module-level import cycle a move makes: an import one of its
/// `files` (its id before, if any, and its path after) did not have
/// before (its modules then under their names after, by `renamed`), from
/// `a` to a module `b` the move `counts`, where `b` already reaches `a`
/// (after the move). Named `a → b → … → a`.
pub(super) fn new_cycle<'p>(
    graph: &Graph,
    after: &Graph,
    files: impl IntoIterator<Item = (Option<FileId>, &'p Path)>,
    renamed: &dyn Fn(String) -> String,
    counts: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, entry) in after.files() {
        // A stub shares its module's name but never runs: its imports
        // would hide the module's own (tester 25 case 02).
        if !after.is_library_path(&entry.path) && entry.path.extension().is_none_or(|e| e != "pyi") {
            edges.insert(entry.module.clone(), module_imports(after, id));
        }
    }
    for (before, path) in files {
        let Some(id) = after.file_id(path) else { continue };
        let Some(module) = after.file(id).map(|e| e.module.clone()) else { continue };
        let before: BTreeSet<String> = before.map(|f| module_imports(graph, f).into_iter().map(renamed).collect()).unwrap_or_default();
        for added in module_imports(after, id).difference(&before).filter(|m| counts(m.as_str())) {
            if let Some(path) = path_between(&edges, added, &module) {
                return Some(format!("{module} → {}", path.join(" → ")));
            }
        }
    }
    None
}

/// The modules from `from` to `to` along `edges` (both included).
fn path_between(edges: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut came: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    came.insert(from, from);
    while let Some(at) = queue.pop_front() {
        if at == to {
            let mut path = vec![to.to_owned()];
            let mut step = to;
            while step != from {
                step = came[step];
                path.push(step.to_owned());
            }
            path.reverse();
            return Some(path);
        }
        for next in edges.get(at).into_iter().flatten() {
            if !came.contains_key(next.as_str()) {
                came.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}
