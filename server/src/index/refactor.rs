//! `pyloom refactor …`: refactorings of the workspace from the command
//! line, printed as a unified diff and written with `--apply`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::commands::{FilePosition, offset_of};
use crate::actions::check::{Checker, Problem};
use crate::actions::edit::FileChange;
use crate::actions::rename::diff;
use crate::findings::Configs;
use crate::graph::Graph;
use crate::ide::entry_points::ProjectFileEdit;
use crate::ide::extract_function::{extract_function, shadows_submodule};
use crate::ide::extract_variable::extract_variable;
use crate::ide::inline_function::{NOT_A_CALL, inline_at};
use crate::ide::module_move::{self, apply};
use crate::ide::symbol_move;
use crate::project::{canonical, load_graph, locate, project_root, workspace_settings};

#[path = "refactor_module_write.rs"]
mod module_write;
#[path = "refactor_signature.rs"]
mod signature;
pub use signature::{Ask, signature};

/// Why a refactoring wrote nothing. The command line exits with its
/// [`Failure::exit_code`], so a script tells "refused, try something
/// else" from "bad input".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Understood, and not safe to make (the reason says why).
    Refused(String),
    /// The request could not be carried out: a missing file, a position
    /// or an argument that does not read, a write that failed.
    Failed(String),
}

impl Failure {
    /// 1 for a refusal, 2 for bad input or an I/O error (as for a usage error).
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Refused(_) => 1,
            Self::Failed(_) => 2,
        }
    }
}

/// A helper's error: bad input or I/O unless marked refused.
impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self::Failed(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Self::Failed(message.to_owned())
    }
}

/// Read as its message (tests and callers match on the text).
impl std::ops::Deref for Failure {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Self::Refused(message) | Self::Failed(message) => message,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

/// Marks a refusal.
fn refused(message: impl ToString) -> Failure {
    Failure::Refused(message.to_string())
}

/// `pyloom refactor rename-module FROM TO`: the diff of every importer's
/// edits and the move itself; with `apply`, the edits written and the file
/// or folder moved.
pub fn rename_module(from: &Path, to: &Path, root: Option<&Path>, apply_it: bool) -> Result<String, Failure> {
    let from = canonical(from)?;
    let root = match root {
        Some(root) => canonical(root)?,
        None => project_root(&from),
    };
    // As the diff names them: relative to the workspace.
    let shown = |p: &Path| shown_in(&root, p);
    if to.exists() {
        return Err(refused(format!("{} already exists", shown(to))));
    }
    let to = beside_existing(to)?;
    // `util.pyi` beside `util.py` types it: it moves along, in the same folder
    // only (moved elsewhere, its relative imports would mean other modules).
    let stub = Some(from.with_extension("pyi")).filter(|stub| from.extension().is_some_and(|e| e == "py") && stub.is_file());
    let stub_to = stub.as_ref().map(|_| to.with_extension("pyi"));
    if let (Some(stub), Some(stub_to)) = (&stub, &stub_to) {
        if from.parent() != to.parent() {
            return Err(refused(format!(
                "{} has a stub beside it, {}, which would not follow it to another folder: move within the folder or move the stub first",
                shown(&from),
                shown(stub)
            )));
        }
        if stub_to.exists() {
            return Err(refused(format!("{} already exists: the stub {} cannot follow its module", shown(stub_to), shown(stub))));
        }
    }
    let settings = workspace_settings(&root);
    let graph = shown_from_root(load_graph(&root, &settings, false)?.0, &root);
    let moved = match (&stub, &stub_to) {
        (Some(stub), Some(stub_to)) => module_move::move_module_and_stub(&graph, &from, &to, stub, stub_to),
        _ => module_move::move_module(&graph, &from, &to),
    }
    .map_err(refused)?;
    unread_spelling(&graph, &root, moved.old.rsplit('.').next().unwrap_or(&moved.old))?;
    let changes: Vec<FileChange> = moved
        .edits
        .iter()
        .filter_map(|edit| {
            let entry = graph.file(edit.file)?;
            Some(FileChange { path: entry.path.clone(), original: entry.text().to_string(), candidate: apply(entry.text(), &edit.replacements) })
        })
        .chain(moved.project_files.iter().map(ProjectFileEdit::change))
        .collect();
    let mut out = diff(&changes, &root);
    out.push_str(&format!("rename {} → {} (module `{}` → `{}`)\n", shown(&from), shown(&to), moved.old, moved.new));
    if let (Some(stub), Some(stub_to)) = (&stub, &stub_to) {
        out.push_str(&format!("rename {} → {} (its stub)\n", shown(stub), shown(stub_to)));
    }
    for warning in &moved.warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    for init in &moved.created {
        out.push_str(&format!("create {} (empty: a new folder in a regular package is one too, or packaging tools leave it out)\n", shown(init)));
    }
    if apply_it {
        // Everything that can refuse comes first: nothing is half-written
        // (the target's deepest existing folder is a folder, see
        // `beside_existing`).
        unchanged_on_disk(&changes)?;
        let mut renames = vec![(from.as_path(), to.as_path())];
        renames.extend(stub.as_deref().zip(stub_to.as_deref()));
        module_write::write_move(&changes, to.parent(), &moved.created, &renames)?;
    }
    Ok(out)
}

/// The offset of `at` in `text`, or why it is not in it: a line or a
/// column past the end (the column just after the line's last character
/// is its end). Bad input, not a refusal: a retry with another selection
/// should learn its position was off.
fn position_offset(file: &Path, text: &str, at: &FilePosition) -> Result<u32, String> {
    let offset = offset_of(text, at.line, at.column).ok_or_else(|| format!("{}: no line {}", file.display(), at.line))?;
    let chars = crate::line_ends::line(text, at.line - 1).map_or(0, |l| l.chars().count());
    if at.column > chars + 1 {
        return Err(format!("{}:{}: no column {} (the line has {chars} characters)", file.display(), at.line, at.column));
    }
    Ok(offset)
}

/// `pyloom refactor extract FILE:LINE:COL LINE:COL`: the expression there
/// extracted into a variable ([`extract_variable`]), or with `function` the
/// statements or the expression into a function ([`extract_function`]),
/// checked by the graph (no new unresolved name, no broken call); the
/// diff, written with `apply`.
pub fn extract(from: &FilePosition, to: &str, name: Option<&str>, function: bool, apply_it: bool) -> Result<String, Failure> {
    let Checked { root, file, original, checker } = checked(&from.file)?;
    let end: FilePosition = format!("{}:{to}", file.display()).parse().map_err(|_| format!("expected the end as LINE:COL, got `{to}`"))?;
    let (start, end) = (position_offset(&file, &original, from)? as usize, position_offset(&file, &original, &end)? as usize);
    if end == start {
        return Err("the selection is empty: give its end after its start".into());
    }
    if end < start {
        return Err("the end of the selection comes before its start".into());
    }
    let source = ruff_python_ast::PySourceType::from(file.as_path());
    let extraction = if function { extract_function(&original, source, start..end, name) } else { extract_variable(&original, source, start..end, name) }
        .map_err(refused)?;
    if let Some(why) = function.then(|| shadows_submodule(&file, &extraction.name)).flatten() {
        return Err(refused(why));
    }
    let candidate = apply(&original, &extraction.replacements);
    let wrote = format!(" as `{}`", extraction.name);
    finish(&root, &checker, "the extraction", FileChange { path: file, original, candidate }, apply_it.then_some(&wrote))
}

/// `pyloom refactor inline FILE:LINE:COL`: the variable named there, the
/// call of the function named there, or every call of the function whose
/// `def` names it there, inlined ([`inline_at`]), checked
/// by the graph (no new unresolved name, no broken call); the diff,
/// written with `apply`.
pub fn inline(at: &FilePosition, apply_it: bool) -> Result<String, Failure> {
    let Checked { root, file, original, checker } = checked(&at.file)?;
    let offset = position_offset(&file, &original, at)?;
    let graph = checker.graph.clone().ok_or("the workspace graph is not loaded")?;
    let id = graph.file_id(&file).ok_or_else(|| format!("{} is not a Python file of the workspace", file.display()))?;
    let inlining = inline_at(&graph, id, offset).map_err(|why| {
        if why == NOT_A_CALL {
            Failure::Failed(
                "nothing to inline at that position: put it on a variable, a called function's name, or the name of a called function's `def`".to_owned(),
            )
        } else {
            refused(why)
        }
    })?;
    let candidate = apply(&original, &inlining.replacements);
    let wrote = format!(": {}", inlining.title);
    if inlining.elsewhere.is_empty() {
        return finish(&root, &checker, "the inlining", FileChange { path: file, original, candidate }, apply_it.then_some(&wrote));
    }
    // Every call of a function: each file it edits, checked together.
    let mut changes = vec![FileChange { path: file, original, candidate }];
    for edits in &inlining.elsewhere {
        let entry = graph.file(edits.file).ok_or("a file of the inlining left the workspace")?;
        changes.push(FileChange { path: entry.path.clone(), original: entry.text().to_string(), candidate: apply(entry.text(), &edits.replacements) });
    }
    changes.retain(|c| c.original != c.candidate);
    refuse_on("the inlining", &checker.check_all(&changes))?;
    let mut out = diff(&changes, &root);
    if apply_it {
        write_all(&changes)?;
        out.push_str(&format!("pyloom: wrote {} file(s){wrote}\n", changes.len()));
    }
    Ok(out)
}

/// `what`, the one-file `change`, checked by the graph (refused with the
/// problems found) and shown as a diff; written when `wrote` says what
/// to print after the file's path.
fn finish(root: &Path, checker: &Checker, what: &str, change: FileChange, wrote: Option<&String>) -> Result<String, Failure> {
    refuse_on(what, &checker.check_naming_file(&change.path, &change.original, &change.candidate))?;
    let changes = [change];
    let mut out = diff(&changes, root);
    if let Some(wrote) = wrote {
        write_all(&changes)?;
        out.push_str(&format!("pyloom: wrote {}{wrote}\n", changes[0].path.display()));
    }
    Ok(out)
}

/// `pyloom refactor move FILE:LINE TARGET`: the top-level function or
/// class defined on that line moved to the end of the module at `target`
/// (created when missing) with its imports and every importer
/// ([`symbol_move`]), checked by the graph and the checks of every edited
/// file; the diff, written with `apply`.
pub fn move_symbol(location: &str, target: &Path, apply_it: bool) -> Result<String, Failure> {
    let (file, line) = crate::context::parse_location(location)?;
    let Checked { root, file, original, checker } = checked(&file)?;
    let graph = checker.graph.clone().ok_or("no workspace graph")?;
    let id = graph.file_id(&file).ok_or_else(|| format!("{} is not a Python file of the workspace", file.display()))?;
    let line_text = crate::line_ends::line(&original, line.saturating_sub(1)).ok_or_else(|| format!("{}: no line {line}", file.display()))?;
    let indent = line_text.len() - line_text.trim_start().len();
    let offset = offset_of(&original, line, indent + 1).ok_or_else(|| format!("{}: no line {line}", file.display()))?;
    let to = beside_existing(target)?;
    if let Some(why) = symbol_move::missing_folder(&to) {
        return Err(refused(why));
    }
    let moved = symbol_move::move_symbol(&graph, id, offset, &to).map_err(|e| match e {
        symbol_move::SymbolMoveError::NoSymbol => Failure::Failed(e.to_string()),
        e => refused(e),
    })?;
    unread_spelling(&graph, &root, &moved.name)?;
    let changes: Vec<FileChange> =
        moved.files.iter().map(|f| FileChange { path: f.path.clone(), original: f.original.clone().unwrap_or_default(), candidate: f.text.clone() }).collect();
    let problems: Vec<Problem> = checker.check_all(&changes).into_iter().filter(|p| !moved.intended(&p.kind, &p.message, p.place.as_deref())).collect();
    refuse_on("the move", &problems)?;
    // The entry points of `pyproject.toml` and `setup.cfg`: not Python, not checked as code.
    let changes: Vec<FileChange> = changes.into_iter().chain(moved.project_files.iter().map(ProjectFileEdit::change)).collect();
    let mut out = diff(&changes, &root);
    out.push_str(&format!("move `{}` from `{}` to `{}`\n", moved.name, moved.old, moved.new));
    if apply_it {
        write_all(&changes)?;
        out.push_str(&format!("pyloom: wrote {} file(s)\n", changes.len()));
    }
    Ok(out)
}

/// Refused when a Python file of the workspace that the graph could not
/// read (not UTF-8, or too large) spells `name`, or a notebook's code
/// cells do (as a word; the whole file when it does not read as a
/// notebook): their imports and calls of what changes could not be
/// updated (pyloom does not rewrite notebooks).
fn unread_spelling(graph: &Graph, root: &Path, name: &str) -> Result<(), Failure> {
    let (files, notebooks) = crate::index::discover_with_notebooks(&[root.to_owned()], &workspace_settings(root))?;
    for path in files.iter().filter(|p| graph.file_id(p).is_none()) {
        let Ok(bytes) = std::fs::read(path) else { continue };
        // As a word, as the notebooks below (`subtotal` does not spell
        // `total`, `def` not `f`): a byte that is not UTF-8 reads as U+FFFD,
        // no letter, so a name beside one still counts as spelled.
        if crate::ide::mentions::whole_word_ends(&String::from_utf8_lossy(&bytes), name).next().is_some() {
            return Err(refused(format!(
                "{} spells `{name}` but was not indexed (not UTF-8, or larger than files.max_file_bytes): what it imports could not be updated; nothing was written",
                shown_in(root, path)
            )));
        }
    }
    for path in notebooks {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned();
        if let Some(place) = crate::notebook::spelled_at(&text, &shown_in(root, &path), name) {
            return Err(refused(format!(
                "the notebook at {place} spells `{name}` in its code: pyloom does not rewrite notebooks, so what it imports or calls could not be updated; nothing was written"
            )));
        }
    }
    Ok(())
}

/// `path` as a refusal names it: relative to the workspace's `root`, as
/// the diffs name files (absolute when outside it).
fn shown_in(root: &Path, path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    absolute.strip_prefix(root).unwrap_or(&absolute).display().to_string()
}

/// A file of its workspace as a refactoring of it starts: the project's
/// root, the file's canonical path and text, and the checks over the
/// workspace graph.
struct Checked {
    root: PathBuf,
    file: PathBuf,
    original: String,
    checker: Checker,
}

/// `graph` naming paths in its messages from the project root, as the
/// diffs do (`src/humanize/time.py`, not the source root's `humanize/time.py`).
fn shown_from_root(mut graph: Graph, root: &Path) -> Graph {
    graph.show_paths_from(root);
    graph
}

fn checked(path: &Path) -> Result<Checked, String> {
    let (root, file) = locate(path)?;
    let settings = workspace_settings(&root);
    let graph = shown_from_root(load_graph(&root, &settings, false)?.0, &root);
    let entry = graph.file_id(&file).and_then(|id| graph.file(id)).ok_or_else(|| match std::fs::read(&file).map(String::from_utf8) {
        Ok(Err(_)) => format!("{} is not UTF-8: pyloom reads Python files as UTF-8 and does not follow other coding cookies", file.display()),
        _ => format!("{} is not a Python file of the workspace", file.display()),
    })?;
    let original = entry.text().to_string();
    let configs = Arc::new(Configs::new(&root, &settings.lint).0);
    let checker = Checker::new(Arc::new(graph), configs);
    Ok(Checked { root, file, original, checker })
}

/// `what` refused with every problem the checks found; nothing is written.
fn refuse_on(what: &str, problems: &[Problem]) -> Result<(), Failure> {
    if problems.is_empty() {
        return Ok(());
    }
    let list: String = problems.iter().map(|p| format!("\n- {p}")).collect();
    Err(refused(format!("{what} is refused; nothing was written:{list}")))
}

/// Writes every change, each file checked unchanged on disk since it was read.
fn write_all(changes: &[FileChange]) -> Result<(), String> {
    unchanged_on_disk(changes)?;
    for change in changes {
        std::fs::write(&change.path, &change.candidate).map_err(|e| format!("{}: {e}", change.path.display()))?;
    }
    Ok(())
}

/// Refused when a file changed on disk since it was read, or the folder
/// of a file the edit creates is missing.
fn unchanged_on_disk(changes: &[FileChange]) -> Result<(), String> {
    for change in changes {
        // The graph read the files from disk just now: one changed since
        // would be overwritten with edits made for its old text.
        let now = match std::fs::read_to_string(&change.path) {
            // A file the edit creates.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && change.original.is_empty() => String::new(),
            read => read.map_err(|e| format!("{}: {e}", change.path.display()))?,
        };
        if now != change.original {
            return Err(format!("{} changed while the edit was computed; nothing was written", change.path.display()));
        }
        if let Some(folder) = change.path.parent().filter(|folder| !folder.is_dir()) {
            return Err(format!("the folder {} does not exist; nothing was written", folder.display()));
        }
    }
    Ok(())
}

/// `path` made absolute through its deepest existing ancestor's canonical
/// path (the graph's paths are canonical; `path` itself does not exist yet).
/// A target whose path runs through a file is refused (understood, and
/// impossible), as one that exists is; a path that does not read fails.
fn beside_existing(path: &Path) -> Result<PathBuf, Failure> {
    let absolute = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name().ok_or_else(|| format!("{} has no existing folder", path.display()))?);
        existing = existing.parent().ok_or_else(|| format!("{} has no existing folder", path.display()))?;
    }
    if !rest.is_empty() && !existing.is_dir() {
        return Err(refused(format!("{} is a file, not a folder: {} cannot be created in it; nothing was written", existing.display(), path.display())));
    }
    let mut out = canonical(existing)?;
    out.extend(rest.into_iter().rev());
    Ok(out)
}

#[cfg(test)]
#[path = "refactor_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "refactor_deep_tests.rs"]
mod deep_tests;
