//! Config and data files of the workspace that name what moves by its
//! dotted path where no edit follows them (issue #31): a Hydra
//! `_target_: pkg.a.factory`, a JSON `{"factory": "pkg.a:factory"}`, a
//! `handler = pkg.a.Handler` of `logging.fileConfig` or of a Celery or
//! Django-like settings file. The program imports that path when it runs,
//! and after the move it no longer imports: the move is refused, with
//! every place. The project files a move rewrites exactly
//! (`pyproject.toml`, `setup.cfg`, … see [`super::entry_points`]) are
//! left to it; prose (a `.md` file, a comment) imports nothing.

use std::path::PathBuf;

use super::data_files::{self, Wanted};
use super::entry_points::{self, Moving};
use crate::graph::Graph;
use crate::graph::explain::display_path;

/// The files that configure a program: JSON, YAML, TOML and INI-style
/// (`.ini`, `.cfg`, `.conf`), as `.gitignore` and the index leave them
/// (a file larger than a config is data no one edits by hand).
const WANTED: Wanted = Wanted { suffixes: &["json", "yaml", "yml", "toml", "ini", "cfg", "conf"], largest: 1 << 20, ignored_too: false };

/// How many places a refusal lists before counting the rest.
const LISTED: usize = 10;

/// Why `moving` cannot be placed: config files of the project's folders
/// name it (a module move: the module or anything under it; a symbol
/// move: the symbol, `pkg.a.name` or `pkg.a:name`). `None` when none does.
pub(super) fn refusal(graph: &Graph, moving: Moving) -> Option<String> {
    let rewritten: Vec<PathBuf> = entry_points::project_files(graph).map(|(folder, name)| folder.join(name)).collect();
    let needles = needles(moving);
    let mut places = Vec::new();
    for path in data_files::under(&entry_points::project_folders(graph), &WANTED).filter(|path| !rewritten.contains(path)) {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        if !needles.iter().any(|needle| memchr::memmem::find(&bytes, needle.as_bytes()).is_some()) {
            continue;
        }
        let json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let shown = display_path(graph, &path);
        places.extend(mentions(&String::from_utf8_lossy(&bytes), moving, json).into_iter().map(|(line, written)| (shown.clone(), line, written)));
    }
    places.sort();
    let what = match moving {
        Moving::Module { old, .. } => old.to_owned(),
        Moving::Symbol { name, old, .. } => format!("{old}.{name}"),
    };
    match places.as_slice() {
        [] => None,
        [(file, line, written)] => Some(format!(
            "{file}:{line} names `{what}` in `{written}`, a config value no edit of the move follows: after the move that path would no longer import; edit it by hand, then move; the move is refused"
        )),
        many => {
            let listed: String = many.iter().take(LISTED).map(|(file, line, written)| format!("\n- {file}:{line} `{written}`")).collect();
            let more = match many.len().saturating_sub(LISTED) {
                0 => String::new(),
                more => format!("\n- and {more} more"),
            };
            Some(format!(
                "config files name `{what}` in {} places, values no edit of the move follows: after the move that path would no longer import; edit them by hand, then move; the move is refused:{listed}{more}",
                many.len()
            ))
        }
    }
}

/// What spells `moving`: the module's dotted name, or the symbol's
/// `module.name` and `module:name`.
fn needles(moving: Moving) -> Vec<String> {
    match moving {
        Moving::Module { old, .. } => vec![old.to_owned()],
        Moving::Symbol { name, old, .. } => vec![format!("{old}.{name}"), format!("{old}:{name}")],
    }
}

/// The lines (1-based) of `text` that name `moving`, and their text
/// (shortened); comments left out unless the file is JSON, which has none.
fn mentions(text: &str, moving: Moving, json: bool) -> Vec<(usize, String)> {
    let needles = needles(moving);
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let code = if json { line } else { uncommented(line) };
            needles.iter().any(|needle| names(code, needle, moving))
        })
        .map(|(i, line)| (i + 1, line.trim().chars().take(80).collect()))
        .collect()
}

/// `line` before its comment (`# …`, `; …` on a line of its own).
fn uncommented(line: &str) -> &str {
    if line.trim_start().starts_with(['#', ';']) {
        return "";
    }
    line.find(" #").or_else(|| line.find("\t#")).map_or(line, |at| &line[..at])
}

/// Whether `code` holds `needle` as a whole token naming `moving`:
/// neither a longer name (`pkg.ab`, `pkg.a_b`, `mypkg.a`) nor a path or
/// a word it is part of (`docs/pkg.a`, `pkg.a-b`). A module of one part
/// (`util`) is named only qualified (`util.f`, `util:f`) or as a whole
/// value (`"util"`, `app: util`): a bare word is prose more often.
fn names(code: &str, needle: &str, moving: Moving) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let joined = |c: char| word(c) || matches!(c, '-' | '/' | '\\');
    code.match_indices(needle).any(|(at, _)| {
        let (before, after) = (&code[..at], &code[at + needle.len()..]);
        if before.ends_with(|c: char| joined(c) || c == '.') || after.starts_with(joined) {
            return false;
        }
        match moving {
            Moving::Module { old, .. } if !old.contains('.') => {
                let qualified = after.strip_prefix(['.', ':']).is_some_and(|rest| rest.starts_with(|c: char| c.is_alphabetic() || c == '_'));
                qualified || whole_value(before, after)
            }
            _ => true,
        }
    })
}

/// Whether what lies `before` and `after` a token makes it a whole value:
/// quoted alone (`"util"`), or all that follows a key (`app: util`,
/// `app = util`) or a YAML list's dash.
fn whole_value(before: &str, after: &str) -> bool {
    let (before, after) = (before.trim_end(), after.trim_start());
    let quoted = ['"', '\''].iter().any(|&q| before.ends_with(q) && after.starts_with(q));
    let bare = (before.ends_with([':', '=']) || before.trim_start() == "-") && (after.is_empty() || after.starts_with(','));
    quoted || bare
}

#[cfg(test)]
#[path = "config_paths_tests.rs"]
mod tests;
