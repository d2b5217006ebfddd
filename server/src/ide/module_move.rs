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
use super::mentions;
use super::module_move_edits::parent_and_leaf;
use super::module_move_folders as folders;
use crate::graph::explain::{display_path, place};
use crate::graph::{FileId, Graph, Location, absolute_module, module_name};

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
    #[error("{0} would move into {1}, inside itself: a folder cannot be moved into itself; move its contents instead")]
    IntoItself(String, String),
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
pub(super) struct Plan {
    pub old: String,
    pub new: String,
    /// Old path → new path.
    pub moved: FxHashMap<PathBuf, PathBuf>,
}

impl Plan {
    /// The new name of `module` when the move renames it.
    pub(super) fn map(&self, module: &str) -> Option<String> {
        let rest = module.strip_prefix(self.old.as_str())?;
        (rest.is_empty() || rest.starts_with('.')).then(|| format!("{}{rest}", self.new))
    }
}

/// The edits that move the module or package at `from` (a file or a
/// folder) to `to`, checked; the files themselves are moved by the caller.
pub fn move_module(graph: &Graph, from: &Path, to: &Path) -> Result<ModuleMove, MoveError> {
    move_module_after(graph, from, to, &[], None)
}

/// [`move_module`] where the caller moves the module's stub (`util.pyi`
/// beside `util.py`) to `stub_to` as well: checked with the stub at its
/// new place, where its references to its own names still mean them.
pub fn move_module_and_stub(graph: &Graph, from: &Path, to: &Path, stub: &Path, stub_to: &Path) -> Result<ModuleMove, MoveError> {
    move_module_after(graph, from, to, &[], Some((stub, stub_to)))
}

/// [`move_module`] on a graph where earlier moves of the same edit took
/// the files `gone` away (still on disk, not ignored files), and the
/// `stub` that moves with it.
pub(super) fn move_module_after(graph: &Graph, from: &Path, to: &Path, gone: &[PathBuf], stub: Option<(&Path, &Path)>) -> Result<ModuleMove, MoveError> {
    let mut plan = plan(graph, from, to)?;
    if let Some((stub, stub_to)) = stub.filter(|(stub, _)| graph.file_id(stub).is_some()) {
        plan.moved.insert(stub.to_owned(), stub_to.to_owned());
    }
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
    if plan.old != plan.new {
        let mut modules: Vec<&str> = plan.moved.keys().filter_map(|old| graph.file(graph.file_id(old)?)).map(|e| e.module.as_str()).collect();
        modules.sort_unstable();
        let names: Vec<(&str, Option<&str>)> = modules.into_iter().map(|m| (m, None)).collect();
        if let Some(why) = super::pickled_data::refusal(graph, &names) {
            return Err(MoveError::Unsafe(why));
        }
        if let Some(why) = super::config_paths::refusal(graph, Moving::Module { old: &plan.old, new: &plan.new }) {
            return Err(MoveError::ProjectFile(why));
        }
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
        if moved || plan.old.split('.').any(|part| entry.text().contains(part)) {
            candidates.push(id);
        }
        if moved || entry.text().contains(leaf) {
            users.push(id);
            // `>>> from app.util import f` in a docstring: a test the edits would not reach.
            if let Some(span) = mentions::doctest_spelling(entry.text(), &[leaf]) {
                return Err(MoveError::Unfollowable { what: format!("a doctest spelling `{leaf}`"), place: place(graph, &Location { file: id, span }) });
            }
        }
    }
    // `>>> from app.util import f` in the documentation pytest runs.
    if let Some(place) = super::doctest_files::spelling(graph, &[leaf]) {
        return Err(MoveError::Unfollowable { what: format!("a doctest spelling `{leaf}`"), place });
    }
    let mut edits = Vec::new();
    let mut blocked = Vec::new();
    for &file in &candidates {
        let mut reads_kept = false;
        let edited = super::module_move_edits::file_edits(graph, &plan, file, &mut reads_kept);
        if reads_kept {
            users.push(file);
        }
        match edited {
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
    super::module_move_check::verify(graph, &plan, &users, &edits, &created)?;
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
    // As the diffs name them: relative to the workspace.
    let shown = |p: &Path| display_path(graph, p);
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
    if !is_file && to != from && to.starts_with(from) {
        return Err(MoveError::IntoItself(shown(from), shown(to)));
    }
    let (old, new) = if is_file {
        if from.file_name().is_some_and(|n| n == "__init__.py" || n == "__init__.pyi") {
            return Err(MoveError::PackageInit);
        }
        // `util.py` → `util.pyi` keeps the dotted name but leaves only a
        // stub, which Python never imports; `util.x.py` is no module name.
        if to.extension() != from.extension() || !to.file_stem().and_then(|s| s.to_str()).is_some_and(is_module_part) {
            return Err(MoveError::NotImportable(shown(to)));
        }
        if let Some(finder) = found_by_name(from).filter(|_| from != to) {
            return Err(MoveError::Unsafe(format!(
                "{} is {finder}: found by that file name and folder, which no import or string spells; renamed or moved, it is no longer found",
                shown(from)
            )));
        }
        let old = module_name(from, roots).ok_or_else(|| MoveError::NotAModule(shown(from)))?;
        let new = module_name(to, roots).ok_or_else(|| MoveError::OutsideRoots(shown(to)))?;
        (old.0, new.0)
    } else {
        // `pkg/sub` → `pkg/sub2.py` would be read as the package `pkg.sub2.py`.
        if !to.file_name().and_then(|s| s.to_str()).is_some_and(is_module_part) {
            return Err(MoveError::NotImportable(shown(to)));
        }
        let old = module_name(&from.join("__init__.py"), roots).ok_or_else(|| MoveError::NotAModule(shown(from)))?;
        let new = module_name(&to.join("__init__.py"), roots).ok_or_else(|| MoveError::OutsideRoots(shown(to)))?;
        (old.0, new.0)
    };
    if old.is_empty() || old.contains('[') {
        return Err(MoveError::NotAModule(shown(from)));
    }
    if new.is_empty() || !new.split('.').all(is_module_part) {
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
        if let Some((beside, span)) = folders::lost_file(entry.text(), old, new, folder) {
            let why = match beside {
                folders::Beside::Folder => "finds a file by the module's own folder, which the move changes",
                folders::Beside::Name => "builds a path from the module's own file name, which the move changes",
            };
            let what: String = entry.text().get(span.range()).unwrap_or_default().chars().take(80).collect();
            return Err(MoveError::LostFile { what, place: place(graph, &Location { file: id, span }), why });
        }
        // Another module finds files beside this one: `Path(pkg.res.__file__).parent`.
        let Some(module) = old.file_stem().and_then(|s| s.to_str()).filter(|_| folder.is_none() && old.parent() != new.parent()) else { continue };
        let module = if module == "__init__" { old.parent().and_then(|p| p.file_name()).and_then(|s| s.to_str()).unwrap_or(module) } else { module };
        for (file, other) in graph.files().filter(|(_, e)| !plan.moved.contains_key(&e.path) && !graph.is_library_path(&e.path)) {
            if let Some(span) = folders::file_of(other.text(), module) {
                let what: String = other.text().get(span.range()).unwrap_or_default().chars().take(80).collect();
                let why = "finds a file by the moved module's folder, which the move changes";
                return Err(MoveError::LostFile { what, place: place(graph, &Location { file, span }), why });
            }
        }
    }
    Ok(())
}

/// Whether `part` can be one part of a dotted module name.
fn is_module_part(part: &str) -> bool {
    ruff_python_stdlib::identifiers::is_identifier(part) && !ruff_python_stdlib::keyword::is_keyword(part)
}

pub(super) fn is_init(path: &Path) -> bool {
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

/// One refusal for all of `errors` (not empty): the error itself when
/// there is one.
pub(super) fn several(errors: Vec<MoveError>) -> MoveError {
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

#[cfg(test)]
#[path = "module_move_tests.rs"]
mod tests;

/// What finds a module by its file name (and folder) rather than by an
/// import: no import or string spells it, so no edit can follow a rename.
fn found_by_name(path: &Path) -> Option<&'static str> {
    let finder = match path.file_name()?.to_str()? {
        "__main__.py" => "what `python -m` runs for its package",
        "conftest.py" => "a pytest `conftest.py` (its fixtures and hooks apply to the tests at or below its folder)",
        "setup.py" => "what setuptools and pip run to build the project",
        "noxfile.py" => "the sessions `nox` runs",
        "sitecustomize.py" | "usercustomize.py" => "what `site` imports at every interpreter start",
        _ => return None,
    };
    Some(finder)
}
