//! The project files that name a module or a function by its dotted path,
//! where the graph does not look: the entry points of `pyproject.toml`
//! (`[project.scripts]`, `[project.entry-points.*]`, `"pkg.cli:main"`, and
//! module lists such as `packages = ["pkg.cli"]`), of `setup.cfg`
//! (`app-cli = pkg.cli:main`) and the `"app-cli = pkg.cli:main"` strings of
//! `setup.py` (its `"pkg.cli:main"` strings are a Python file's, which the
//! move rewrites already). A module renamed or a symbol moved rewrites each
//! value that names it, written out whole, in the same edit; any other
//! spelling of what moves in `pyproject.toml` or `setup.cfg` (a comment
//! aside) is refused: the installed script would no longer import.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::edits::Replacement;
use crate::actions::edit::FileChange;
use crate::graph::{Graph, Span};

/// The files of the project that declare its entry points, beside each
/// source root (a `src/` root's folder too), and the INI-style files that
/// name modules a program imports when it starts: pytest's plugins
/// (`addopts = -p pkg.plugin`), `logging.fileConfig`'s handler classes,
/// a `Procfile`'s command, a `Makefile`'s recipes (`python -m pkg.cli`, as
/// tox.ini's `commands`). A whole dotted value is rewritten; any other
/// spelling refuses, listed.
const PROJECT_FILES: [&str; 10] =
    ["pyproject.toml", "setup.cfg", "setup.py", "pytest.ini", ".pytest.ini", "tox.ini", "logging.conf", "logging.ini", "Procfile", "Makefile"];

/// What moves.
#[derive(Debug, Clone, Copy)]
pub enum Moving<'a> {
    /// A module or package (its submodules with it), by dotted name.
    Module { old: &'a str, new: &'a str },
    /// A top-level name of module `old`, to module `new`.
    Symbol { name: &'a str, old: &'a str, new: &'a str },
}

/// The edits of one project file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFileEdit {
    pub path: PathBuf,
    pub original: String,
    pub replacements: Vec<Replacement>,
}

impl ProjectFileEdit {
    /// The file before and after.
    pub fn change(&self) -> FileChange {
        FileChange { path: self.path.clone(), original: self.original.clone(), candidate: super::edits::apply(&self.original, &self.replacements) }
    }
}

/// The edits of the project files of `graph`'s roots that name what
/// moves, or every place where one cannot be updated exactly (all of
/// them at once: the user edits them by hand in one go).
pub fn edits(graph: &Graph, moving: Moving) -> Result<Vec<ProjectFileEdit>, String> {
    edits_or_places(graph, moving).map_err(|refused| match refused.as_slice() {
        [(place, written)] => format!(
            "{place} names `{}` in `{written}`, which is not an entry point or module path written out whole: it cannot be updated exactly; edit it by hand, then move",
            moving.spelled()
        ),
        many => format!(
            "the project files name `{}` where it cannot be updated exactly (not an entry point or module path written out whole); edit them by hand, then move:{}",
            moving.spelled(),
            many.iter().map(|(place, written)| format!("\n- {place} `{written}`")).collect::<String>()
        ),
    })
}

/// The folders that hold the project files: the source roots and the
/// project folder above a `src/` root.
pub(super) fn project_folders(graph: &Graph) -> Vec<&Path> {
    let mut folders: Vec<&Path> = graph.roots().iter().map(PathBuf::as_path).collect();
    folders.extend(graph.roots().iter().filter(|r| r.ends_with("src")).filter_map(|r| r.parent()));
    folders.sort();
    folders.dedup();
    folders
}

/// [`edits`], or the place (`setup.py:17`) and line of each mention that
/// cannot be updated exactly.
pub(super) fn edits_or_places(graph: &Graph, moving: Moving) -> Result<Vec<ProjectFileEdit>, Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut refused = Vec::new();
    for (folder, name) in project_files(graph) {
        let path = folder.join(name);
        let Ok(original) = std::fs::read_to_string(&path) else { continue };
        // `setup.py` in the graph: the module move rewrites its dotted strings.
        let dotted_rewritten = graph.file_id(&path).is_some();
        match file_edits(name, &original, moving, dotted_rewritten) {
            Ok(replacements) if !replacements.is_empty() => out.push(ProjectFileEdit { path, original, replacements }),
            Ok(_) => {}
            Err(lines) => {
                let shown = path.strip_prefix(folder).unwrap_or(&path).display().to_string();
                refused.extend(lines.into_iter().map(|(line, written)| (format!("{shown}:{line}"), written)));
            }
        }
    }
    if refused.is_empty() { Ok(out) } else { Err(refused) }
}

/// Where the project files may be (each folder of [`project_folders`]
/// and each name of [`PROJECT_FILES`]): what a move rewrites exactly or
/// refuses.
pub(super) fn project_files(graph: &Graph) -> impl Iterator<Item = (&Path, &'static str)> {
    project_folders(graph).into_iter().flat_map(|folder| PROJECT_FILES.into_iter().map(move |name| (folder, name)))
}

/// The edits of the project file `name` (one of [`PROJECT_FILES`]), or
/// the line and text of each mention they leave behind.
fn file_edits(name: &str, text: &str, moving: Moving, dotted_rewritten: bool) -> Result<Vec<Replacement>, Vec<(usize, String)>> {
    match name {
        "pyproject.toml" => toml_edits(text, moving),
        "setup.py" => setup_py_edits(text, moving, dotted_rewritten),
        _ => cfg_edits(text, moving),
    }
}

impl Moving<'_> {
    /// The new value of an entry point or module path `value` that names
    /// what moves (with its extras and spaces as they were).
    fn renamed(&self, value: &str) -> Option<String> {
        let spec = Spec::of(value)?;
        let module = &value[spec.module.clone()];
        let new_module = match *self {
            Moving::Module { old, new } => {
                let rest = module.strip_prefix(old).filter(|rest| rest.is_empty() || rest.starts_with('.'))?;
                format!("{new}{rest}")
            }
            // `old:name` or, as `logging.fileConfig` spells a class, `old.name`.
            Moving::Symbol { name, old, new } => match spec.attribute.map(|a| &value[a]) {
                Some(attribute) => (module == old && attribute.split('.').next() == Some(name)).then(|| new.to_owned())?,
                None => {
                    let rest = module.strip_prefix(old)?.strip_prefix('.')?.strip_prefix(name)?;
                    (rest.is_empty() || rest.starts_with('.')).then(|| format!("{new}.{name}{rest}"))?
                }
            },
        };
        Some(format!("{}{new_module}{}", &value[..spec.module.start], &value[spec.module.end..]))
    }

    /// How the messages name what moves.
    fn spelled(&self) -> String {
        match self {
            Moving::Module { old, .. } => (*old).to_owned(),
            Moving::Symbol { name, old, .. } => format!("{old}:{name}"),
        }
    }

    /// Where `text` still spells what moves: the module's dotted name
    /// (whole, or a submodule's start), or `module:name` / `module.name`.
    fn mentioned(&self, text: &str) -> Option<usize> {
        let needles = match self {
            Moving::Module { old, .. } => vec![(*old).to_owned()],
            Moving::Symbol { name, old, .. } => vec![format!("{old}:{name}"), format!("{old}.{name}")],
        };
        let word = |c: char| c.is_alphanumeric() || c == '_';
        needles
            .iter()
            .filter_map(|needle| {
                text.match_indices(needle.as_str()).map(|(at, _)| at).find(|&at| {
                    let before_ok = !text[..at].ends_with(|c: char| word(c) || c == '.');
                    before_ok && text[at + needle.len()..].chars().next().is_none_or(|c| !word(c))
                })
            })
            .min()
    }
}

/// An entry point (`pkg.mod:attr [extra]`) or a module path (`pkg.mod`)
/// as written: the byte ranges of its module and attribute.
struct Spec {
    module: Range<usize>,
    attribute: Option<Range<usize>>,
}

impl Spec {
    fn of(value: &str) -> Option<Spec> {
        let start = value.len() - value.trim_start().len();
        let body = value.trim();
        let body = body.split_once('[').map_or(body, |(before, _)| before).trim_end();
        let word = |s: &str| ruff_python_stdlib::identifiers::is_identifier(s);
        let (module, attribute) = match body.split_once(':') {
            Some((module, attribute)) => {
                let module = module.trim_end();
                let attribute = attribute.trim_start();
                let at = start + body.len() - attribute.len();
                (module, Some(at..at + attribute.len()))
            }
            None => (body, None),
        };
        let dotted = |s: &str| !s.is_empty() && s.split('.').all(word);
        let valid = dotted(module) && attribute.as_ref().is_none_or(|a| dotted(&value[a.clone()])) && (module.contains('.') || attribute.is_some());
        valid.then(|| Spec { module: start..start + module.len(), attribute })
    }
}

/// A quoted value of `pyproject.toml` (basic or literal, on one line, no
/// escapes), not a key (followed by `=` or `.`) nor in a table header: the
/// content's range.
fn toml_values(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut rest = 0;
        while let Some(open) = line[rest..].find(['"', '\'']).map(|i| rest + i) {
            if line[..open].trim_start().starts_with('#') || line[..open].contains(" #") {
                break;
            }
            let quote = &line[open..open + 1];
            let Some(close) = line[open + 1..].find(quote).map(|i| open + 1 + i) else { break };
            let content = &line[open + 1..close];
            let is_value = !line.trim_start().starts_with('[') && !line[close + 1..].trim_start().starts_with(['=', '.']);
            if is_value && !content.contains('\\') && !line[open..].starts_with(&quote.repeat(3)) {
                found.push(offset + open + 1..offset + close);
            }
            rest = close + 1;
        }
        offset += line.len();
    }
    found
}

/// The edits of `pyproject.toml`, or the line and text of each mention
/// they leave behind.
fn toml_edits(text: &str, moving: Moving) -> Result<Vec<Replacement>, Vec<(usize, String)>> {
    let replacements: Vec<Replacement> = toml_values(text)
        .into_iter()
        .filter_map(|range| Some(Replacement { text: moving.renamed(&text[range.clone()])?, span: Span::new(range.start as u32, range.end as u32) }))
        .collect();
    left_behind(text, &replacements, moving, &['#'], &["project", "tool.poetry"])?;
    Ok(replacements)
}

/// The edits of `setup.cfg`: on each line, the value after its last `=`
/// (`app-cli = pkg.cli:main`, `console_scripts = app-cli = pkg.cli:main`),
/// or the whole line (a module of a list).
fn cfg_edits(text: &str, moving: Moving) -> Result<Vec<Replacement>, Vec<(usize, String)>> {
    let mut replacements = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let start = content.rfind('=').map_or(0, |i| i + 1);
        let commented = content.trim_start().starts_with(['#', ';']);
        if let Some(new) = moving.renamed(&content[start..]).filter(|_| !commented) {
            replacements.push(Replacement { span: Span::new((offset + start) as u32, (offset + content.len()) as u32), text: new });
        }
        offset += line.len();
    }
    left_behind(text, &replacements, moving, &['#', ';'], &["metadata"])?;
    Ok(replacements)
}

/// The `"name = pkg.mod:attr"` strings of `setup.py` (its
/// `entry_points={"console_scripts": [...]}`) that name what moves; for a
/// module, refused where another string names it (`py_modules=["mod"]`,
/// `packages=["pkg"]`, `package_dir={"pkg": "src/pkg"}`: a word or a path
/// no rewrite follows exactly), but the distribution's `name="pkg"`.
/// Its dotted strings (`"pkg.sub"`) are the module move's when `setup.py`
/// is a module of the workspace (`dotted_rewritten`).
fn setup_py_edits(text: &str, moving: Moving, dotted_rewritten: bool) -> Result<Vec<Replacement>, Vec<(usize, String)>> {
    let read = super::module_move_syntax::read(Path::new("setup.py"), text);
    let mut replacements = Vec::new();
    for literal in &read.literals {
        let Some((name, value)) = literal.value.split_once('=') else { continue };
        let Some(content) = literal.content else { continue };
        if name.trim().is_empty() || name.contains(':') {
            continue;
        }
        if let Some(new) = moving.renamed(value) {
            let start = content.start as usize + name.len() + 1;
            replacements.push(Replacement { span: Span::new(start as u32, (start + value.len()) as u32), text: new });
        }
    }
    let Moving::Module { old, .. } = moving else { return Ok(replacements) };
    let parts: Vec<&str> = old.split('.').collect();
    let names_module = |value: &str| {
        let value = value.trim();
        if value.contains("://") {
            return false;
        }
        let dotted = value.strip_prefix(old).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'));
        let path: Vec<&str> = value.split(['/', '\\']).map(|seg| seg.strip_suffix(".py").unwrap_or(seg)).collect();
        value == old || (dotted && !dotted_rewritten) || (path.len() > 1 && path.windows(parts.len()).any(|w| w == parts.as_slice()))
    };
    let mut left = Vec::new();
    for literal in &read.literals {
        let written = literal.content.is_some_and(|c| replacements.iter().any(|r| c.start <= r.span.start && r.span.end <= c.end));
        if written || read.distribution_names.contains(&literal.range) || !names_module(&literal.value) {
            continue;
        }
        let line = crate::line_ends::line_index(text, literal.range.start as usize);
        let shown = crate::line_ends::line(text, line).unwrap_or_default().trim();
        if left.last().is_none_or(|(l, _)| *l != line + 1) {
            left.push((line + 1, shown.to_owned()));
        }
    }
    if left.is_empty() { Ok(replacements) } else { Err(left) }
}

/// Keys whose values describe the distribution, never a module path
/// (`name = "pkg"`, `description = "…"`).
const METADATA_KEYS: [&str; 9] = ["name", "description", "summary", "version", "readme", "license", "author", "keywords", "requires-python"];

/// Whether the line `code` of the table `table` sets a key of
/// [`METADATA_KEYS`] or a URL (`Homepage = "https://…/pkg"`): what spells
/// the module there is the project's name or an address, not an import.
/// `name` is the distribution's in `distribution_tables` only: elsewhere
/// it may be the import name (flit's `[tool.flit.module] name = "pkg"`).
fn metadata(code: &str, table: &str, distribution_tables: &[&str]) -> bool {
    let Some((key, value)) = code.split_once('=') else { return false };
    let key = key.trim();
    let distribution = key != "name" || distribution_tables.contains(&table);
    (METADATA_KEYS.contains(&key) && distribution) || value.trim().trim_matches(['"', '\'']).contains("://")
}

/// The lines (1-based) and their text where `text` still spells what
/// moves outside `replacements` and comments (each of `comment` starts one).
fn left_behind(text: &str, replacements: &[Replacement], moving: Moving, comment: &[char], distribution_tables: &[&str]) -> Result<(), Vec<(usize, String)>> {
    let mut offset = 0;
    let mut table = "";
    let mut left = Vec::new();
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let code = line.split(comment).next().unwrap_or_default();
        if let Some(header) = code.trim().strip_prefix('[') {
            table = header.trim_start_matches('[').split(']').next().unwrap_or_default().trim();
        }
        if metadata(code, table, distribution_tables) {
            offset += line.len();
            continue;
        }
        // A key (`pkg-cli = "pkg.cli:main"`, the script's name) names no module.
        let mut from = code.find('=').map_or(0, |i| i + 1);
        while let Some(at) = moving.mentioned(&code[from..]).map(|at| from + at) {
            let absolute = (offset + at) as u32;
            if !replacements.iter().any(|r| r.span.start <= absolute && absolute < r.span.end) {
                left.push((number + 1, line.trim().to_owned()));
                break;
            }
            from = at + 1;
        }
        offset += line.len();
    }
    if left.is_empty() { Ok(()) } else { Err(left) }
}

#[cfg(test)]
#[path = "entry_points_tests.rs"]
mod tests;
