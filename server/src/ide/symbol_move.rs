//! Move symbol (code action `refactor.move`, `pyloom refactor move`): a
//! top-level function or class moves to the end of another module, an
//! existing one or a new file, with its decorators, the comments right
//! above it and its docstring. The imports it needs follow it (only the
//! names it reads, merged into the target's import block, none twice; a
//! name its old module defines becomes an import from the old module),
//! every `from old import f` in the workspace becomes `from new import f`
//! ([`super::symbol_move_users`]), and the old module, if it still uses
//! the symbol, imports it from the new one.
//!
//! Never a wrong edit: refused where a use cannot be updated exactly, the
//! code writes or reads state of its old module that an import would
//! split (`global`, `__name__`), the target already defines the name or
//! binds a name the code reads to something else, a `from target import *`
//! would take a public name (no `__all__`), or the move makes a
//! circular import at module level (named). The result is applied to a
//! copy of the graph and every reference of every edited file, and of
//! every file that uses the symbol, must resolve as before (the symbol
//! under its new module), with no import left unresolved.

use std::path::{Path, PathBuf};

use super::edits::{Replacement, apply};
use super::entry_points::{self, ProjectFileEdit};
use super::module_move::{new_module_hazard, star_importer};
use super::module_move_edits::spelled;
use super::name_lookups::Request;
use super::occurrences;
use super::symbol_move_code::{self as code, Block};
use super::symbol_move_imports::{sorted, target_imports, target_text, with_imports};
use super::symbol_move_registers::registers_at_import;
pub use super::symbol_move_target::missing_folder;
use super::symbol_move_target::{lexically_normal, read_before_defined, target_module};
use super::symbol_move_users::{self as users, Moving};
use crate::graph::explain::{display_path, place};
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId};

/// One file the move writes: its text before (`None`: the move creates
/// it) and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedFile {
    pub path: PathBuf,
    pub original: Option<String>,
    pub text: String,
}

/// A checked symbol move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolMove {
    pub name: String,
    /// The old and the new module's dotted names.
    pub old: String,
    pub new: String,
    pub files: Vec<MovedFile>,
    /// `pyproject.toml` and `setup.cfg` entry points that name the symbol.
    pub project_files: Vec<ProjectFileEdit>,
    /// The old module's imports that only the moved code read, kept there
    /// because other files may take them from it, by their imported names
    /// (`Any`, `datetime` of `import datetime as dt`).
    pub kept_for_importers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SymbolMoveError {
    #[error("there is no top-level function or class at the cursor")]
    NoSymbol,
    #[error("`{0}` is defined inside another definition; only top-level functions and classes move")]
    Nested(String),
    #[error("{0} is outside the workspace's source roots: no import could name it")]
    OutsideRoots(String),
    #[error("`{0}` is not a module name Python can import (a `.py` file, each part an identifier)")]
    NotImportable(String),
    #[error("`{0}` is already in that module")]
    SameModule(String),
    #[error("{0} has syntax errors; fix them before moving")]
    SyntaxErrors(String),
    #[error("`{name}` is already defined in `{module}` at {place}")]
    Exists { name: String, module: String, place: String },
    #[error("`{name}` means something else in `{module}` (at {place}) than the moved code reads")]
    Clash { name: String, module: String, place: String },
    #[error("`{name}` writes the module-level `{global}` of its module (`global` at {place}): moved, it would write another module's")]
    WritesGlobal { name: String, global: String, place: String },
    #[error("`{name}` reads `{global}`, which its module rebinds at run time (`global` at {place}): an import would copy its value once")]
    ReadsRebound { name: String, global: String, place: String },
    #[error("`{name}` reads `{global}`, which is set from outside its module (at {place}): an import would copy its value once")]
    SetFromOutside { name: String, global: String, place: String },
    #[error(
        "`{name}` reads `{global}`, which is patched or set on `{module}` from outside (at {place}): moved, it would read its new module's own import, which that does not reach"
    )]
    PatchedImport { name: String, global: String, module: String, place: String },
    #[error(
        "`{name}` reads `{global}` of `{module}`, and `{written}` at {place} may set it there ({why}): moved, the code would read its new module's `{global}`"
    )]
    MaySetFromOutside { name: String, global: String, module: String, written: String, place: String, why: String },
    #[error(
        "`{name}` is how Python answers for the attributes of `{module}` (a module `__getattr__`/`__dir__`, PEP 562): in another module it would answer for that one"
    )]
    ModuleHook { name: String, module: String },
    #[error("`{name}` reads `{dunder}` at {place}, which is its module's own: moved, it would read the new module's")]
    ModuleDunder { name: String, dunder: String, place: String },
    #[error("`{what}` at {place} is the file of `{name}`'s module, which the move changes: moved, it would find the new module's file; the move is refused")]
    OwnFile { name: String, what: String, place: String },
    #[error("`{what}` at {place} runs when the module is imported, before `{name}` would be defined at its end")]
    ReadAtImport { name: String, what: String, place: String },
    #[error("`{module}` is the script `python -m` runs as `__main__`: {why}; the move is refused")]
    Script { module: String, why: &'static str },
    #[error(
        "`{module}` is also run as a file ({run}) and imports nothing of its package: run as `python {path}`, \
         the import the move adds (`{import}`) would fail, its package not being importable then; the move is refused"
    )]
    RunAsFile { module: String, run: String, path: String, import: String },
    #[error(
        "`{module}` runs code when it is imported ({place}) and nothing imports it (a script): the moved code's importers would run it; the move is refused"
    )]
    UnimportedScript { module: String, place: String },
    #[error("{what} at {place} cannot be updated exactly; the move is refused")]
    Unfollowable { what: String, place: String },
    #[error(
        "`from {module} import *` at {place} would take `{name}` too (`{module}` has no `__all__`), over whatever that module binds by the name; the move is refused"
    )]
    TakenByStar { name: String, module: String, place: String },
    #[error("{0}")]
    ProjectFile(String),
    #[error("{runs} on `{name}` (at {place}) runs when its module is imported and may register it; nothing would import `{module}` for it")]
    Registers { name: String, runs: String, module: String, place: String },
    #[error("`{name}` is bound again in `{module}` at {place}: its importers may see that binding, not the moved one")]
    BoundAgain { name: String, module: String, place: String },
    #[error("the move would make a circular import at module level: {0}")]
    Cycle(String),
    #[error("{0}; the move is refused")]
    Unsafe(String),
    #[error("after the move, `{name}` at {place} would no longer mean what it means now; the move is refused")]
    Broken { name: String, place: String },
}

/// Moves the top-level `def` or `class` whose header holds `offset` in
/// `file` to the end of the module at `to` (created when it does not
/// exist); the edits of every file, checked.
pub fn move_symbol(graph: &Graph, file: FileId, offset: u32, to: &Path) -> Result<SymbolMove, SymbolMoveError> {
    let entry = graph.file(file).ok_or(SymbolMoveError::NoSymbol)?;
    let shown = |path: &Path| display_path(graph, path);
    if graph.is_library_path(&entry.path) {
        return Err(SymbolMoveError::OutsideRoots(shown(&entry.path)));
    }
    if entry.syntax_errors > 0 {
        return Err(SymbolMoveError::SyntaxErrors(shown(&entry.path)));
    }
    let (block, name) = code::block_at(entry.text(), offset).map_err(|e| match e {
        SymbolMoveError::SyntaxErrors(_) => SymbolMoveError::SyntaxErrors(shown(&entry.path)),
        other => other,
    })?;
    let symbol = entry
        .summary
        .definitions
        .iter()
        .enumerate()
        .filter(|(_, d)| d.scope == 0 && d.name == name && block.statement.start <= d.name_range.start && d.name_range.end <= block.statement.end)
        // `@overload` variants before it: the implementation is what importers get.
        .last()
        .and_then(|(i, _)| graph.definition_symbol(file, i as u32))
        .ok_or(SymbolMoveError::NoSymbol)?;
    if matches!(name.as_str(), "__getattr__" | "__dir__") {
        return Err(SymbolMoveError::ModuleHook { name, module: entry.module.clone() });
    }
    // `globals()["handle_" + kind]`: the old module finds it by name.
    let parsed = super::parsed_files::ParsedFiles::new(graph);
    let lookup = |request| {
        super::signature_guard::computed_lookup(graph, &parsed, symbol, request)
            .map_err(|why| SymbolMoveError::Unsafe(why.replace("the calls made through it", "what it finds")))
    };
    // `getattr(pkg, name)` elsewhere: served by the old module keeping the name, imported back.
    let looked_up_on_old = match lookup(Request::Moved) {
        Ok(()) => false,
        Err(_) => lookup(Request::MovedKept).map(|()| true)?,
    };
    if let Some(span) = super::namespace_scans::first(&parsed.get(file).syntax().body) {
        let what = format!("`{}`, which lists `{}` whole and finds `{name}` there", &entry.text()[span.range()], entry.module);
        return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &Location { file, span }) });
    }
    if let Some(at) = super::module_name_compares::first(graph, &parsed, &entry.module) {
        let what = format!("a comparison of `__module__` with \"{}\", which `{name}` would no longer answer,", entry.module);
        return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &at) });
    }
    if let Some(again) = occurrences::bound_again_outside(graph, symbol, block.statement) {
        // `if sys.platform == ...: def f` after `def f`: importers take the last.
        return Err(SymbolMoveError::BoundAgain { name, module: entry.module.clone(), place: place(graph, &again) });
    }
    // `def f` then `from fast import *`: importers may get the star's `f`.
    if let Some(star) = entry.summary.imports.iter().find(|i| i.star && i.scope == 0 && i.range.start > block.statement.end) {
        let from = format!("{}{}", ".".repeat(star.level as usize), star.module.as_deref().unwrap_or_default());
        let what = format!("`from {from} import *` after it, which may bind `{name}` again");
        return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &Location { file, span: star.range }) });
    }
    if let Some(star) = star_importer(graph, &entry.module).filter(|_| !name.starts_with('_')) {
        return Err(SymbolMoveError::Unfollowable { what: format!("`from {} import *`", entry.module), place: place(graph, &star) });
    }
    let to = &lexically_normal(to);
    let new = target_module(graph, to)?;
    if *to == entry.path || new == entry.module {
        return Err(SymbolMoveError::SameModule(name));
    }
    if let Some(why) = super::pickled_data::refusal(graph, &[(&entry.module, Some(&name))]) {
        return Err(SymbolMoveError::Unsafe(why));
    }
    let script = |module: &str| module == "__main__" || module.ends_with(".__main__");
    if script(&new) {
        let why = "its importers would run the script when they import the moved code from it";
        return Err(SymbolMoveError::Script { module: new, why });
    }
    if script(&entry.module) {
        let why = "what it defines is `__main__`'s while it runs (pickles, `__main__.` lookups), and how it imports depends on how it is started";
        return Err(SymbolMoveError::Script { module: entry.module.clone(), why });
    }
    let target = graph.file_id(to);
    // `helper = ...` then `from new import *`: the star would now bind the moved `helper`.
    let target_exports = target.and_then(|t| graph.file(t)).is_some_and(|t| super::new_names::text_lists_exports(t.text()));
    if let Some(star) = star_importer(graph, &new).filter(|_| !name.starts_with('_') && !target_exports) {
        return Err(SymbolMoveError::TakenByStar { name, module: new, place: place(graph, &star) });
    }
    if let Some(call) = target.and_then(|t| super::symbol_move_target::unimported_script(graph, t)) {
        return Err(SymbolMoveError::UnimportedScript { module: new, place: place(graph, &call) });
    }
    let class = graph.symbol(symbol).is_some_and(|s| s.kind == crate::graph::SymbolKind::Class);
    if let Some(why) = super::pytest_collection::lost_by_move(&entry.path, to, &name, class, &shown) {
        return Err(SymbolMoveError::Unsafe(why));
    }
    let top = new.split('.').next().unwrap_or_default();
    if let Some(why) = target.is_none().then(|| new_module_hazard(graph, &new, Some(top), &|_: &Path| false)).flatten() {
        return Err(SymbolMoveError::Unsafe(why));
    }
    if let Some(target) = target.and_then(|t| graph.file(t)) {
        if target.syntax_errors > 0 {
            return Err(SymbolMoveError::SyntaxErrors(shown(to)));
        }
        if let Some(existing) = target.summary.bindings.iter().find(|b| b.scope == 0 && b.name == name) {
            let imported_from_old = graph.definition(graph.file_id(to).unwrap_or(file), existing.range.start) == Some(Resolved::Symbol(symbol));
            if !imported_from_old {
                let place = place(graph, &Location { file: graph.file_id(to).unwrap_or(file), span: existing.range });
                return Err(SymbolMoveError::Exists { name, module: new, place });
            }
        }
    }
    if let Some(target) = target {
        read_before_defined(graph, target, &name)?;
        if let Some(why) = super::package_submodules::shadowed_by_submodule(graph, target, &name) {
            return Err(SymbolMoveError::Unsafe(why));
        }
    }
    if let Some((what, at)) = super::namespace_imports::unfollowed_import(graph, &entry.module) {
        return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &at) });
    }
    let reads = code::reads(graph, file, &block, &name)?;
    // `vars(plug)`, `sys.modules["pkg.plug"].f` in another module.
    if let Some((what, at)) = super::namespace_readers::first(graph, &parsed, &entry.module, &name) {
        return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &at) });
    }
    // `util.pyi` beside `util.py` declares it: the stub would type a name its module no longer has.
    let stub = super::rename_stubs::stub_beside(graph, &entry.path);
    if let Some((stub, declared)) = stub.and_then(|id| Some((id, graph.file(id)?.summary.bindings.iter().find(|b| b.scope == 0 && b.name == name)?.range))) {
        let what = format!("the stub's declaration of `{name}`");
        return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &Location { file: stub, span: declared }) });
    }
    // `>>> from app.util import f` in a docstring: a test the edits would not reach.
    let old_leaf = entry.module.rsplit('.').next().unwrap_or_default();
    for (id, user) in graph.files().filter(|(_, e)| e.text().contains(name.as_str())) {
        if let Some(span) = super::mentions::doctest_spelling(user.text(), &[&name, old_leaf]) {
            let what = format!("a doctest naming `{name}` and `{old_leaf}`");
            return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &Location { file: id, span }) });
        }
    }
    if let Some(place) = super::doctest_files::spelling(graph, &[&name, old_leaf]) {
        return Err(SymbolMoveError::Unfollowable { what: format!("a doctest naming `{name}` and `{old_leaf}`"), place });
    }
    let (uses_it, reads_itself) = uses(graph, file, &block, symbol);
    let mut moving =
        Moving { name: &name, symbol, old: &entry.module, old_file: file, new: &new, target, old_keeps: uses_it, reads_itself, statement: block.statement };
    // `fields.gross(x)` elsewhere: the old module keeps the name for it, imported back.
    let read_through = if uses_it { None } else { users::read_through_old(graph, &moving) };
    let reexported = read_through.is_some() || (looked_up_on_old && !uses_it);
    if reexported {
        reexport_unpatched(graph, &moving)?;
        moving.old_keeps = true;
    }
    let old_keeps = moving.old_keeps;
    // Imported back, the old path still holds the name for a config that names it.
    let config_moving = entry_points::Moving::Symbol { name: &name, old: &entry.module, new: &new };
    if !old_keeps && let Some(why) = super::config_paths::refusal(graph, config_moving) {
        return Err(SymbolMoveError::ProjectFile(why));
    }
    doctest_globals(graph, file, &block, &name, old_keeps)?;
    registers_at_import(&parsed, file, symbol, &block.text, &name, &new, old_keeps)?;
    // `Base.__subclasses__()` finds it only once its module has run.
    if !old_keeps && let Some(at) = super::symbol_move_subclasses::listing(graph, &parsed, symbol, &block.text) {
        let read = graph.file(at.file).and_then(|e| e.text().get(at.span.range())).unwrap_or_default();
        return Err(SymbolMoveError::Unsafe(format!(
            "`{read}` at {} may list `{name}`, which exists only once its module has been imported; nothing would import `{new}` where `{}` is imported",
            place(graph, &at),
            entry.module
        )));
    }
    if let Some(range) = super::export_mutations::added_in_place(entry.text(), &name).filter(|_| !old_keeps) {
        let what = format!("`{}`, which adds `{name}` to `__all__` in place,", &entry.text()[range]);
        return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &Location { file, span: range.into() }) });
    }
    let mut user_edits = users::edits(graph, &moving)?;
    let mut project_files = Vec::new();
    for project in
        entry_points::edits(graph, entry_points::Moving::Symbol { name: &name, old: &entry.module, new: &new }).map_err(SymbolMoveError::ProjectFile)?
    {
        match graph.file_id(&project.path) {
            // `setup.py`, a module of the workspace: its edits join the importers'.
            Some(id) => user_edits.entry(id).or_default().extend(project.replacements),
            None => project_files.push(project),
        }
    }
    super::symbol_move_mutations::completed_behind(graph, &parsed, &moving, &user_edits, !project_files.is_empty())?;
    let mut files = Vec::new();
    // The old module: the definition out, the symbol imported back when it is still used.
    let mut old_edits = user_edits.remove(&file).unwrap_or_default();
    old_edits.push(Replacement { span: block.removal, text: String::new() });
    // Imports under `if TYPE_CHECKING:` stay (the block could be left empty).
    let carried: Vec<&str> = reads.iter().filter(|r| !r.checking && r.imports.iter().all(|n| n.module() != entry.module)).map(|r| r.name.as_str()).collect();
    let (unused, kept_for_importers) = users::unused_imports(graph, &moving, &carried);
    old_edits.extend(unused);
    let relative_style = entry.summary.imports.iter().any(|i| i.level > 0);
    let back = old_keeps
        .then(|| format!("from {} import {name}{}", spelled(&entry.module, entry.is_package, &new, relative_style), reexport_marker(entry, &name, reexported)));
    files.push(MovedFile {
        path: entry.path.clone(),
        original: Some(entry.text().to_string()),
        text: with_imports(&entry.path, entry.text(), old_edits, back)?,
    });
    // The new module: the imports the code needs, then the code.
    let needed = target_imports(graph, &moving, &reads, relative_style)?;
    let (original, target_edits) = match target.and_then(|t| graph.file(t).map(|e| (t, e))) {
        Some((id, target)) => (Some(target.text().to_string()), user_edits.remove(&id).unwrap_or_default()),
        None => (None, Vec::new()),
    };
    files.push(MovedFile { path: to.to_owned(), text: target_text(to, original.as_deref(), target_edits, &needed, &block)?, original });
    for (id, replacements) in user_edits {
        let Some(user) = graph.file(id) else { continue };
        if user.syntax_errors > 0 {
            return Err(SymbolMoveError::SyntaxErrors(shown(&user.path)));
        }
        // An open notebook is one module of the graph; its cells are not rewritten.
        if let Some(first) = replacements.first().filter(|_| user.path.extension().is_some_and(|e| e == "ipynb")) {
            return Err(SymbolMoveError::Unfollowable {
                what: "a use in a notebook".to_owned(),
                place: place(graph, &Location { file: id, span: first.span }),
            });
        }
        files.push(MovedFile { path: user.path.clone(), original: Some(user.text().to_string()), text: apply(user.text(), &sorted(replacements)) });
    }
    // The edits write `\n`; a file whose every line ends with `\r\n` keeps
    // that (a new module takes its source's).
    for written in &mut files {
        let like = written.original.as_deref().unwrap_or(entry.text());
        if like.contains("\r\n") && !like.replace("\r\n", "").contains('\n') {
            written.text = written.text.replace("\r\n", "\n").replace('\n', "\r\n");
        }
    }
    run_as_file(graph, &files)?;
    let moved = SymbolMove { name, old: entry.module.clone(), new, files, project_files, kept_for_importers };
    let chosen: Vec<&str> = reads.iter().filter(|r| r.chosen_by(entry)).map(|r| r.name.as_str()).collect();
    super::symbol_move_check::check(graph, &moved, file, &block, symbol, &chosen).map_err(|error| match (error, &read_through) {
        // The re-export closes it: say which read needs it, and the way out.
        (SymbolMoveError::Cycle(cycle), Some(at)) => SymbolMoveError::Cycle(format!(
            "{cycle} (`{old}` imports `{name}` back for `{}` at {}; import it from `{new}` there and the move can go)",
            graph.file(at.file).and_then(|e| e.text().get(at.span.range())).unwrap_or_default(),
            place(graph, at),
            old = entry.module,
            name = moved.name,
            new = moved.new,
        )),
        (error, _) => error,
    })?;
    Ok(moved)
}

/// What marks the import back as kept only for others to read, so that
/// no linter calls it unused: nothing where `__all__` lists the name;
/// `as name` in a package's `__init__.py` or a stub (PEP 484's re-export,
/// which ruff's PLC0414 leaves alone there); elsewhere `# noqa: F401`
/// (PLC0414 would flag the alias, and listing it in `__all__` would hand
/// it to `from old import *` importers too).
fn reexport_marker(entry: &crate::graph::FileEntry, name: &str, reexported: bool) -> String {
    let listed = entry.listed_exports().is_some_and(|names| names.contains(&name));
    let init_or_stub = entry.is_package || entry.path.extension().is_some_and(|e| e == "pyi");
    match (reexported, listed, init_or_stub) {
        (false, _, _) | (true, true, _) => String::new(),
        (true, false, true) => format!(" as {name}"),
        (true, false, false) => "  # noqa: F401".to_owned(),
    }
}

/// Refused when the move adds an import of its package to a module that
/// is also run as a file ([`super::run_as_file`]): the old module importing
/// the code back, or the target importing what the code reads.
fn run_as_file(graph: &Graph, files: &[MovedFile]) -> Result<(), SymbolMoveError> {
    for written in files {
        let (Some(original), Some(id)) = (&written.original, graph.file_id(&written.path)) else { continue };
        let Some(entry) = graph.file(id) else { continue };
        let Some(import) = super::run_as_file::added_own_import(&entry.module, entry.is_package, original, &written.text) else { continue };
        let at = |span| place(graph, &Location { file: id, span });
        let run = match super::run_as_file::main_block(original) {
            Some(main) => format!("`if __name__ == \"__main__\":` at {}", at(main)),
            None => match super::symbol_move_target::unimported_script(graph, id) {
                Some(call) => format!("a script nothing imports, running {}", at(call.span)),
                None => continue,
            },
        };
        return Err(SymbolMoveError::RunAsFile {
            module: entry.module.clone(),
            run,
            path: display_path(graph, &entry.path),
            import: written.text.get(import.range()).unwrap_or_default().to_owned(),
        });
    }
    Ok(())
}

/// Whether the old file reads the symbol outside its own definition (its
/// `__all__` entry aside: taken out with it), and whether the definition
/// reads its own name (a recursive call, a class naming itself).
fn uses(graph: &Graph, file: FileId, block: &Block, symbol: SymbolId) -> (bool, bool) {
    let Some(entry) = graph.file(file) else { return (false, false) };
    let mut resolver = graph.reference_resolver(file);
    let (mut outside, mut inside) = (false, false);
    for r in &entry.summary.references {
        if in_string(entry.text(), r) || resolver.segments(r).first() != Some(&Some(Resolved::Symbol(symbol))) {
            continue;
        }
        let within = block.statement.start <= r.span().start && r.span().end <= block.statement.end;
        if within {
            inside = true;
        } else {
            outside = true;
        }
    }
    (outside, inside)
}

/// The moved code calls itself and the old module keeps its name only
/// for others to read: set on the old module from outside (`old.f = …`,
/// `mock.patch("old.f")`), it would no longer reach those calls, which
/// read the new module's. Refused, naming the store.
fn reexport_unpatched(graph: &Graph, moving: &Moving) -> Result<(), SymbolMoveError> {
    if !moving.reads_itself {
        return Ok(());
    }
    let Some(setter) = super::module_stores::setters(graph, moving.old_file, &[moving.name]).remove(moving.name) else { return Ok(()) };
    Err(SymbolMoveError::Unsafe(format!(
        "`{name}` calls itself, and {} sets `{name}` on `{old}`, which would keep the name only imported back for `{old}.{name}` readers: its own calls would no longer see that",
        setter.shown(graph),
        name = moving.name,
        old = moving.old
    )))
}

/// Whether the reference is a name in a string (an `__all__` entry).
pub(super) fn in_string(text: &str, reference: &crate::graph::summary::Reference) -> bool {
    let start = reference.span().start as usize;
    start > 0 && matches!(text.as_bytes().get(start - 1), Some(b'"' | b'\''))
}

impl SymbolMove {
    /// Whether a check's finding (`message` at `place`, `path:line`) is
    /// one the move makes on purpose: an unused import of the old module
    /// (F401, "`typing.Any` imported but unused") that only the moved code
    /// read, kept because other files may take the name from there. Any
    /// other new F401 there refuses the move (tester ref25 case 07).
    pub fn intended(&self, kind: &str, message: &str, place: Option<&str>) -> bool {
        let path = place.and_then(|p| p.rsplit_once(':')).map(|(path, _)| path);
        let import = message.split('`').nth(1).unwrap_or_default();
        let kept = self.kept_for_importers.iter().any(|name| import.rsplit('.').next() == Some(name) || import.split('.').next() == Some(name));
        kind == "F401" && kept && path.is_some_and(|path| self.files[0].path.ends_with(path))
    }
}

/// The name of the top-level `def` or `class` whose header holds
/// `offset` in `text`, by its syntax alone: what an editor asks before
/// anything costs more.
pub fn symbol_at(text: &str, offset: u32) -> Result<String, SymbolMoveError> {
    code::block_at(text, offset).map(|(_, name)| name)
}

/// Where the editor offers to move the symbol at `offset`: a new module
/// named after it beside its module (when no such file exists), and the
/// modules of the same folder that import from its module.
pub fn destinations(graph: &Graph, file: FileId, offset: u32) -> Result<(String, Vec<PathBuf>), SymbolMoveError> {
    let entry = graph.file(file).ok_or(SymbolMoveError::NoSymbol)?;
    let (_, name) = code::block_at(entry.text(), offset)?;
    let Some(folder) = entry.path.parent() else { return Ok((name, Vec::new())) };
    let mut out = Vec::new();
    let fresh = folder.join(format!("{}.py", snake_case(&name)));
    if graph.file_id(&fresh).is_none() {
        out.push(fresh);
    }
    let mut siblings: Vec<PathBuf> = graph
        .files()
        .filter(|(id, e)| *id != file && e.path.parent() == Some(folder) && !e.is_package)
        .filter(|(_, e)| {
            e.summary
                .imports
                .iter()
                .any(|i| crate::graph::absolute_module(&e.module, e.is_package, i.level, i.module.as_deref()).as_deref() == Some(entry.module.as_str()))
        })
        .map(|(_, e)| e.path.clone())
        .collect();
    siblings.sort();
    out.extend(siblings);
    Ok((name, out))
}

/// `CartTotal` → `cart_total`; names already lower case stay.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
#[path = "symbol_move_tests.rs"]
mod tests;

/// Doctests run with their module's globals, and the edits do not reach
/// them: a doctest left in the old module reading the moved name (unless
/// the old module imports it back), or one of the moved code reading a
/// global of the old module, would raise `NameError`. Refused, with the line.
fn doctest_globals(graph: &Graph, file: FileId, block: &Block, name: &str, old_keeps: bool) -> Result<(), SymbolMoveError> {
    let Some(entry) = graph.file(file) else { return Ok(()) };
    let statement = block.statement.range();
    // The old module without the moved statement, offsets kept.
    let mut outside = entry.text().as_bytes().to_vec();
    outside.get_mut(statement.clone()).unwrap_or_default().iter_mut().filter(|b| **b != b'\n').for_each(|b| *b = b' ');
    let outside = String::from_utf8(outside).unwrap_or_default();
    let left = if old_keeps { None } else { super::rename_doctests::name_read(&outside, &[name]) };
    let (what, span) = match left {
        Some(span) => (format!("a doctest reading `{name}`, which stays in the old module without it,"), span),
        None => {
            let globals: Vec<&str> = entry.summary.bindings.iter().filter(|b| b.scope == 0 && b.name != name).map(|b| b.name.as_str()).collect();
            let Some(moved) = entry.text().get(statement.clone()) else { return Ok(()) };
            let Some(span) = super::rename_doctests::name_read(moved, &globals) else { return Ok(()) };
            let read = moved.get(span.range()).unwrap_or_default().trim().chars().take(60).collect::<String>();
            (
                format!("the moved doctest `{read}`, which reads a global of the old module,"),
                Span::new(span.start + block.statement.start, span.end + block.statement.start),
            )
        }
    };
    Err(SymbolMoveError::Unfollowable { what, place: place(graph, &Location { file, span }) })
}
