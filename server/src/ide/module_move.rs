//! Renaming or moving a module or a package (`workspace/willRenameFiles`,
//! `pyloom refactor rename-module`): every import of it (absolute,
//! relative, `import a.b as c`, `from a import b`), every dotted reference
//! through it (`a.b.f()`), the moved files' own relative imports, `__all__`
//! entries and strings that spell its dotted path (`mock.patch("a.b.f")`,
//! `"a.b:app"`) are rewritten.
//!
//! Never a wrong edit: the edits are applied to a copy of the graph with
//! the files moved, and every reference and import of every file that
//! spells the module is resolved again and compared with before (the moved
//! module under its new name). A reference the move cannot update exactly
//! (`importlib.import_module(f"a.{name}")`, a chain through an alias whose
//! package changes) refuses the whole move, with the place.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

pub use super::edits::{FileEdits, Replacement, apply};
use super::entry_points::{self, Moving, ProjectFileEdit};
use super::mentions::{self, Mention};
use super::module_move_folders as folders;
use super::module_move_syntax::{self as syntax, ImportStatement, ImportedName};
use super::rename::{Meaning, meaning};
use crate::graph::explain::{display_path, place};
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolKind, absolute_module, module_name};

/// A checked module move: the old and new dotted names and the edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleMove {
    pub old: String,
    pub new: String,
    pub edits: Vec<FileEdits>,
    /// `pyproject.toml` and `setup.cfg` entry points that name the module.
    pub project_files: Vec<ProjectFileEdit>,
    /// The empty `__init__.py` files the move creates, in order (the new
    /// folders of a regular package, see [`folders::new_package_inits`]).
    pub created: Vec<PathBuf>,
    /// What the user should know though the move is safe for the
    /// workspace: ignored scripts that may import the module.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("{0} is not a Python module or package of the workspace")]
    NotAModule(String),
    #[error(
        "{0} is left out of the workspace (ignored by .gitignore or excluded by `index.exclude`): pyloom does not index it nor know its importers; move it by hand"
    )]
    IgnoredModule(String),
    #[error(
        "{0} is left out of the workspace (ignored by .gitignore or excluded by `index.exclude`) but spells `{1}`: Python still imports it with its package, and its import of the module would not be updated; edit it by hand first; the move is refused"
    )]
    IgnoredImporter(String, String),
    #[error("{0} is outside the workspace's source roots: no import could name it")]
    OutsideRoots(String),
    #[error("`{0}` is not a name Python can import (each part must be an identifier)")]
    NotImportable(String),
    #[error("a package's `__init__.py` is renamed with its folder, not alone")]
    PackageInit,
    #[error("module `{0}` already exists in the workspace")]
    Exists(String),
    #[error("{0} has syntax errors; fix them before moving the module")]
    SyntaxErrors(String),
    #[error("{what} at {place} cannot be updated exactly; the move is refused")]
    Unfollowable { what: String, place: String },
    /// Every place found that blocks the move, so that the user fixes them
    /// in one go (see [`several`]).
    #[error("{}", listed(.0))]
    Several(Vec<MoveError>),
    #[error("after the move, `{name}` at {place} would no longer mean what it means now; the move is refused")]
    Broken { name: String, place: String },
    #[error("{0}")]
    ProjectFile(String),
    #[error("{0}; the move is refused")]
    Unsafe(String),
    #[error("the move would make a circular import at module level: {0}")]
    Cycle(String),
    #[error("`{what}` at {place} {why}: the file would not be found after the move; move the module and its files by hand; the move is refused")]
    LostFile { what: String, place: String, why: &'static str },
}

/// The old and new dotted names of a move, and the files that move.
struct Plan {
    old: String,
    new: String,
    /// Old path → new path.
    moved: FxHashMap<PathBuf, PathBuf>,
}

impl Plan {
    /// The new name of `module` when the move renames it.
    fn map(&self, module: &str) -> Option<String> {
        let rest = module.strip_prefix(self.old.as_str())?;
        (rest.is_empty() || rest.starts_with('.')).then(|| format!("{}{rest}", self.new))
    }
}

/// The edits that move the module or package at `from` (a file or a
/// folder) to `to`, checked; the files themselves are moved by the caller.
pub fn move_module(graph: &Graph, from: &Path, to: &Path) -> Result<ModuleMove, MoveError> {
    move_module_after(graph, from, to, &[])
}

/// [`move_module`] on a graph where earlier moves of the same edit took
/// the files `gone` away (still on disk, not ignored files).
pub(super) fn move_module_after(graph: &Graph, from: &Path, to: &Path, gone: &[PathBuf]) -> Result<ModuleMove, MoveError> {
    let plan = plan(graph, from, to)?;
    lost_file(graph, &plan, from, to)?;
    if let Some(why) = super::module_move_script::check(graph, &plan.moved) {
        return Err(MoveError::Unsafe(why));
    }
    let created: Vec<PathBuf> = folders::new_package_inits(to).into_iter().filter(|init| init != to).collect();
    // `a/util.py` → `a/util/__init__.py` keeps the name but not what the
    // file's own relative imports mean.
    let kind_changes = plan.moved.iter().any(|(old, new)| is_init(old) != is_init(new));
    if plan.old == plan.new && !kind_changes {
        return Ok(ModuleMove { old: plan.old, new: plan.new, edits: Vec::new(), project_files: Vec::new(), created, warnings: Vec::new() });
    }
    if let Some((what, at)) = super::namespace_imports::unfollowed_import(graph, &plan.old) {
        return Err(MoveError::Unfollowable { what, place: place(graph, &at) });
    }
    // What names the module spells its last part; what may build its name
    // (`import_module(f"pkg.{name}")`) spells its package's.
    let leaf = parent_and_leaf(&plan.old).1;
    let mut candidates = Vec::new();
    let mut users = Vec::new();
    for (id, entry) in graph.files() {
        let moved = plan.moved.contains_key(&entry.path);
        if moved || plan.old.split('.').any(|part| entry.text.contains(part)) {
            candidates.push(id);
        }
        if moved || entry.text.contains(leaf) {
            users.push(id);
            // `>>> from app.util import f` in a docstring: a test the edits would not reach.
            if let Some(span) = mentions::doctest_spelling(&entry.text, &[leaf]) {
                return Err(MoveError::Unfollowable { what: format!("a doctest spelling `{leaf}`"), place: place(graph, &Location { file: id, span }) });
            }
        }
    }
    let mut edits = Vec::new();
    let mut blocked = Vec::new();
    for &file in &candidates {
        match file_edits(graph, &plan, file) {
            Ok(replacements) if !replacements.is_empty() => edits.push(FileEdits { file, replacements }),
            Ok(_) => {}
            Err(error) => blocked.push(error),
        }
    }
    if !blocked.is_empty() {
        // The project files' blockers (setup.py's `packages=[…]`) with them.
        if let Err(places) = entry_points::edits_or_places(graph, Moving::Module { old: &plan.old, new: &plan.new }) {
            let what = |written: String| format!("`{written}`, which is not an entry point or module path written out whole,");
            blocked.extend(places.into_iter().map(|(place, written)| MoveError::Unfollowable { what: what(written), place }));
        }
        return Err(several(blocked));
    }
    for edit in &edits {
        let Some(entry) = graph.file(edit.file) else { continue };
        if entry.syntax_errors > 0 {
            return Err(MoveError::SyntaxErrors(display_path(graph, &entry.path)));
        }
        if entry.path.extension().is_some_and(|e| e == "ipynb") {
            let at = place(graph, &Location { file: edit.file, span: edit.replacements[0].span });
            return Err(MoveError::Unfollowable { what: "an import in a notebook".to_owned(), place: at });
        }
    }
    users.extend(edits.iter().map(|e| e.file));
    users.sort();
    users.dedup();
    verify(graph, &plan, &users, &edits, &created)?;
    if let Some(ignored) = super::ignored_modules::spelling(graph, leaf, gone) {
        return Err(MoveError::IgnoredImporter(display_path(graph, &ignored), leaf.to_owned()));
    }
    let mut project_files = Vec::new();
    for file in entry_points::edits(graph, Moving::Module { old: &plan.old, new: &plan.new }).map_err(MoveError::ProjectFile)? {
        match graph.file_id(&file.path) {
            // `setup.py`, a module of the workspace: its edits join the move's.
            Some(id) => join(&mut edits, id, file.replacements)?,
            None => project_files.push(file),
        }
    }
    let warnings = super::ignored_modules::scripts_spelling(graph, &plan.old)
        .iter()
        .filter(|path| !gone.contains(path))
        .map(|path| {
            format!(
                "{} is left out of the workspace (.gitignore or `index.exclude`) and spells `{}`: it was not updated; check it by hand",
                display_path(graph, path),
                plan.old
            )
        })
        .collect();
    Ok(ModuleMove { old: plan.old, new: plan.new, edits, project_files, created, warnings })
}

/// `replacements` added to the edits of `file` (a module whose entry
/// point strings name the moved module).
fn join(edits: &mut Vec<FileEdits>, file: FileId, replacements: Vec<Replacement>) -> Result<(), MoveError> {
    let index = match edits.iter().position(|e| e.file == file) {
        Some(index) => index,
        None => {
            edits.push(FileEdits { file, replacements: Vec::new() });
            edits.len() - 1
        }
    };
    let joined = &mut edits[index].replacements;
    joined.extend(replacements);
    joined.sort_by_key(|r| r.span);
    if joined.windows(2).any(|w| w[1].span.start < w[0].span.end) {
        return Err(MoveError::ProjectFile("an entry point string of setup.py is also an import the move edits; move by hand".to_owned()));
    }
    Ok(())
}

fn plan(graph: &Graph, from: &Path, to: &Path) -> Result<Plan, MoveError> {
    let shown = |p: &Path| p.display().to_string();
    let moved: FxHashMap<PathBuf, PathBuf> = graph
        .files()
        .filter_map(|(_, entry)| {
            let rest = entry.path.strip_prefix(from).ok()?;
            let new = if rest.as_os_str().is_empty() { to.to_owned() } else { to.join(rest) };
            Some((entry.path.clone(), new))
        })
        .collect();
    if moved.is_empty() && super::ignored_modules::is_ignored(graph, from) {
        return Err(MoveError::IgnoredModule(shown(from)));
    }
    if moved.is_empty() || moved.keys().any(|p| graph.is_library_path(p)) {
        return Err(MoveError::NotAModule(shown(from)));
    }
    let roots = graph.roots();
    let is_file = moved.contains_key(from);
    let (old, new) = if is_file {
        if from.file_name().is_some_and(|n| n == "__init__.py" || n == "__init__.pyi") {
            return Err(MoveError::PackageInit);
        }
        if !to.extension().is_some_and(|e| e == "py" || e == "pyi") {
            return Err(MoveError::NotImportable(shown(to)));
        }
        let old = module_name(from, roots).ok_or_else(|| MoveError::NotAModule(shown(from)))?;
        let new = module_name(to, roots).ok_or_else(|| MoveError::OutsideRoots(shown(to)))?;
        (old.0, new.0)
    } else {
        let old = module_name(&from.join("__init__.py"), roots).ok_or_else(|| MoveError::NotAModule(shown(from)))?;
        let new = module_name(&to.join("__init__.py"), roots).ok_or_else(|| MoveError::OutsideRoots(shown(to)))?;
        (old.0, new.0)
    };
    if old.is_empty() || old.contains('[') {
        return Err(MoveError::NotAModule(shown(from)));
    }
    let importable = |name: &str| {
        !name.is_empty() && name.split('.').all(|part| ruff_python_stdlib::identifiers::is_identifier(part) && !ruff_python_stdlib::keyword::is_keyword(part))
    };
    if !importable(&new) {
        return Err(MoveError::NotImportable(new));
    }
    let plan = Plan { old, new, moved };
    let taken = graph
        .files()
        .any(|(_, entry)| !plan.moved.contains_key(&entry.path) && (entry.module == plan.new || entry.module.starts_with(&format!("{}.", plan.new))));
    if taken && plan.old != plan.new {
        return Err(MoveError::Exists(plan.new));
    }
    let top = |module: &str| module.split('.').next().unwrap_or_default().to_owned();
    if plan.old != plan.new {
        let new_top = (top(&plan.old) != top(&plan.new)).then(|| top(&plan.new));
        if let Some(why) = new_module_hazard(graph, &plan.new, new_top.as_deref(), &|path: &Path| plan.moved.contains_key(path)) {
            return Err(MoveError::Unsafe(why));
        }
    }
    Ok(plan)
}

/// Refused when a moved module finds a file by its own place that would
/// not follow it ([`folders::lost_file`]).
fn lost_file(graph: &Graph, plan: &Plan, from: &Path, to: &Path) -> Result<(), MoveError> {
    let folder = (!plan.moved.contains_key(from)).then_some((from, to));
    let mut moved: Vec<(&PathBuf, &PathBuf)> = plan.moved.iter().collect();
    moved.sort();
    for (old, new) in moved {
        let Some(id) = graph.file_id(old) else { continue };
        let Some(entry) = graph.file(id) else { continue };
        if let Some((beside, span)) = folders::lost_file(&entry.text, old, new, folder) {
            let why = match beside {
                folders::Beside::Folder => "finds a file by the module's own folder, which the move changes",
                folders::Beside::Name => "builds a path from the module's own file name, which the move changes",
            };
            let what: String = entry.text.get(span.range()).unwrap_or_default().chars().take(80).collect();
            return Err(MoveError::LostFile { what, place: place(graph, &Location { file: id, span }), why });
        }
        // Another module finds files beside this one: `Path(pkg.res.__file__).parent`.
        let Some(module) = old.file_stem().and_then(|s| s.to_str()).filter(|_| folder.is_none() && old.parent() != new.parent()) else { continue };
        let module = if module == "__init__" { old.parent().and_then(|p| p.file_name()).and_then(|s| s.to_str()).unwrap_or(module) } else { module };
        for (file, other) in graph.files().filter(|(_, e)| !plan.moved.contains_key(&e.path) && !graph.is_library_path(&e.path)) {
            if let Some(span) = folders::file_of(&other.text, module) {
                let what: String = other.text.get(span.range()).unwrap_or_default().chars().take(80).collect();
                let why = "finds a file by the moved module's folder, which the move changes";
                return Err(MoveError::LostFile { what, place: place(graph, &Location { file, span }), why });
            }
        }
    }
    Ok(())
}

fn is_init(path: &Path) -> bool {
    path.file_stem().is_some_and(|stem| stem == "__init__")
}

/// Why a module `new` that does not exist yet cannot be created (`None`:
/// it can), the files `moving` aside: its top-level name (`top`, when
/// new to the workspace) is a standard-library module it would shadow for
/// the whole project, or a built-in one that shadows it; a package on
/// its way is a module file (`app/helpers.py` beside a new `app/helpers/`
/// wins the import); its package's `__init__` binds its name to something
/// the submodule's import would replace.
pub(super) fn new_module_hazard(graph: &Graph, new: &str, top: Option<&str>, moving: &dyn Fn(&Path) -> bool) -> Option<String> {
    let staying = || graph.files().filter(|(_, entry)| !moving(&entry.path) && !graph.is_library_path(&entry.path));
    if let Some(top) = top {
        let workspace_has = staying().any(|(_, e)| e.module == top || e.module.starts_with(&format!("{top}.")));
        let stdlib =
            (7..=14).any(|minor| ruff_python_stdlib::sys::is_known_standard_library(minor, top) || ruff_python_stdlib::sys::is_builtin_module(minor, top));
        if stdlib && !workspace_has {
            return Some(format!(
                "`{top}` is a standard-library module: a workspace module of that name would shadow it for the whole project (or a built-in one would shadow it)"
            ));
        }
        if let Some(why) = super::installed_shadow::shadowed(graph, top, workspace_has) {
            return Some(why);
        }
    }
    let mut package = new;
    while let Some((parent, _)) = package.rsplit_once('.') {
        package = parent;
        if let Some((_, entry)) = staying().find(|(_, e)| e.module == package && !e.is_package) {
            return Some(format!(
                "`{package}` is the module {}, not a package: it would shadow a folder of that name, and `{new}` could not be imported",
                display_path(graph, &entry.path)
            ));
        }
    }
    let (parent, leaf) = parent_and_leaf(new);
    let init = staying().find(|(_, e)| !parent.is_empty() && e.module == parent && e.is_package)?;
    let bound = init.1.summary.bindings.iter().find(|b| b.scope == 0 && b.name == leaf)?;
    let at = place(graph, &Location { file: init.0, span: bound.range });
    Some(format!("`{leaf}` is already bound in package `{parent}` at {at}: importing the submodule `{new}` would replace it"))
}

fn parent_and_leaf(module: &str) -> (&str, &str) {
    module.rsplit_once('.').unwrap_or(("", module))
}

/// `target` spelled relative to the module `here`: the fewest dots that
/// reach a package containing it; `None` when only the top level does.
fn relative(here: &str, is_package: bool, target: &str) -> Option<String> {
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
fn dotted_path(value: &str) -> Option<(&str, &str)> {
    let (path, attribute) = match value.split_once(':') {
        Some((path, _)) => (path, &value[path.len()..]),
        None => (value, ""),
    };
    let word = |s: &str| ruff_python_stdlib::identifiers::is_identifier(s);
    let valid = path.contains('.') || !attribute.is_empty();
    (valid && path.split('.').all(word) && attribute.get(1..).is_none_or(|a| a.split('.').all(word))).then_some((path, attribute))
}

/// The replacements one file needs: its imports, its dotted references
/// through the moved module, its strings.
fn file_edits(graph: &Graph, plan: &Plan, file: FileId) -> Result<Vec<Replacement>, MoveError> {
    let Some(entry) = graph.file(file) else { return Ok(Vec::new()) };
    let text: &str = &entry.text;
    let here = entry.module.as_str();
    let here_after = plan.moved.get(&entry.path).and_then(|_| plan.map(here)).unwrap_or_else(|| here.to_owned());
    let package_after = plan.moved.get(&entry.path).map_or(entry.is_package, |new| is_init(new));
    let at = |span: Span| place(graph, &Location { file, span });
    let unfollowable = |what: String, span: Span| MoveError::Unfollowable { what, place: at(span) };
    let (old_parent, old_leaf) = parent_and_leaf(&plan.old);
    let (new_parent, new_leaf) = parent_and_leaf(&plan.new);
    let read = syntax::read(&entry.path, text);
    let mut out = Vec::new();
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
                if let Some(name) = names.iter().find(|n: &&ImportedName| target == old_parent && n.name == old_leaf) {
                    if new_parent != target {
                        if names.len() > 1 {
                            let what = format!("`from {target} import {old_leaf}, …` (other names beside the moved module: split the import)");
                            return Err(unfollowable(what, name.span));
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
        if let Some(span) = syntax::bare_name(text, old_leaf) {
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
    if let Some(&call) = read.computed_imports.first()
        && let Some(part) = read.literals.iter().find(|l| names_leaf(&l.value) && !renamed_entry(l))
    {
        let what = format!("a module imported by a name built at run time, in a file with the string \"{}\" (at {}),", part.value, at(part.range));
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

/// One refusal for all of `errors` (not empty): the error itself when
/// there is one.
fn several(errors: Vec<MoveError>) -> MoveError {
    let mut flat = Vec::with_capacity(errors.len());
    for error in errors {
        match error {
            MoveError::Several(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    match <[MoveError; 1]>::try_from(flat) {
        Ok([one]) => one,
        Err(many) => MoveError::Several(many),
    }
}

/// How many blocking places a refusal lists before counting the rest.
const LISTED: usize = 10;

fn listed(errors: &[MoveError]) -> String {
    let lines: String = errors
        .iter()
        .take(LISTED)
        .map(|error| match error {
            MoveError::Unfollowable { what, place } => format!("\n- {what} at {place}"),
            other => format!("\n- {other}"),
        })
        .collect();
    let more = match errors.len().saturating_sub(LISTED) {
        0 => String::new(),
        more => format!("\n- and {more} more"),
    };
    format!("{} places cannot be updated exactly; edit them by hand, then move (the move is refused):{lines}{more}", errors.len())
}

/// Where a workspace file takes every public name of `module` (`from
/// module import *`).
pub(super) fn star_importer(graph: &Graph, module: &str) -> Option<Location> {
    graph.files().find_map(|(id, entry)| {
        let import = entry
            .summary
            .imports
            .iter()
            .find(|i| i.star && absolute_module(&entry.module, entry.is_package, i.level, i.module.as_deref()).as_deref() == Some(module))?;
        Some(Location { file: id, span: import.range })
    })
}

/// Moves and edits a copy of the graph, then checks that every reference
/// and import of every file that spells the module means what it meant
/// (the moved module under its new name).
fn verify(graph: &Graph, plan: &Plan, candidates: &[FileId], edits: &[FileEdits], created: &[PathBuf]) -> Result<(), MoveError> {
    let texts: FxHashMap<FileId, String> = edits.iter().filter_map(|e| Some((e.file, apply(&graph.file(e.file)?.text, &e.replacements)))).collect();
    let mut after = graph.clone();
    for init in created {
        after.update_file_deferred(init, "");
    }
    for (old_path, new_path) in &plan.moved {
        let Some(id) = graph.file_id(old_path) else { continue };
        let text = texts.get(&id).cloned().or_else(|| graph.file(id).map(|e| e.text.to_string())).unwrap_or_default();
        after.remove_file(old_path);
        after.update_file_deferred(new_path, &text);
    }
    for (id, text) in &texts {
        let Some(entry) = graph.file(*id) else { continue };
        if !plan.moved.contains_key(&entry.path) {
            after.update_file_deferred(&entry.path, text);
        }
    }
    let renamed = Some((plan.old.as_str(), plan.new.as_str()));
    for &file in candidates {
        let Some(before) = graph.file(file) else { continue };
        let broken = |span: Span| MoveError::Broken {
            name: before.text.get(span.range()).unwrap_or_default().to_owned(),
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
            let was: Vec<Option<Meaning>> = old_resolver.segments(old).into_iter().map(|a| meaning(graph, a, renamed)).collect();
            let is: Vec<Option<Meaning>> = new_resolver.segments(new).into_iter().map(|a| meaning(&after, a, None)).collect();
            // `import pkg.old` → `import other.old`: a chain's leading
            // packages are the new module's where they were the old one's
            // (none when it moves to the top level).
            // (A folder without `__init__.py` on the new path, a namespace package, is no node.)
            let ancestor =
                |meaning: &Option<Meaning>, of: &str| matches!(meaning, Some(Meaning::Symbol(q) | Meaning::External(q)) if of.starts_with(&format!("{q}.")));
            let led = was.first().is_some_and(|m| ancestor(m, &plan.old));
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
            let was = meaning(graph, graph.definition(file, old.name_range.end), renamed);
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
    let files = candidates.iter().filter_map(|&file| {
        let path = &graph.file(file)?.path;
        Some((Some(file), plan.moved.get(path).unwrap_or(path).as_path()))
    });
    match super::symbol_move_check::new_cycle(graph, &after, files, &|module: String| plan.map(&module).unwrap_or(module), &|m: &str| {
        plan.new.starts_with(&format!("{m}."))
    }) {
        Some(cycle) => Err(MoveError::Cycle(cycle)),
        None => Ok(()),
    }
}

#[cfg(test)]
#[path = "module_move_tests.rs"]
mod tests;
