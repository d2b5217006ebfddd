//! Pickles of the workspace that name what moves (tester 25 case 09).
//!
//! A pickle records a class (or function) by its module path and name
//! (`pkg.util` and `Thing`); unpickled after a move, that path no longer
//! imports, or no longer holds the name. No reader of it is in the code
//! the graph sees, so the move is refused where the workspace unpickles
//! (`pickle.load`, `shelve.open`, `joblib.load`, …) and a data file of its
//! folders names what moves. Protocols 0 to 5 write both names as plain
//! bytes; a compressed file (`joblib` with `compress=`) is not seen.
//! Looked for only when a file unpickles; small files, a bounded walk.

use std::path::{Path, PathBuf};

use super::data_files::{self, Wanted};
use crate::graph::Graph;
use crate::graph::explain::display_path;

/// How code spells reading a pickle: `pickle.load(s)` (`cPickle`,
/// `cloudpickle`, `dill` too), `pickle.Unpickler`, `shelve.open`,
/// `joblib.load`, `torch.load`, `pandas.read_pickle`, and their imports.
const UNPICKLERS: [&str; 12] = [
    "pickle.load",
    "Unpickler",
    "shelve.open",
    "joblib.load",
    "dill.load",
    "torch.load",
    "read_pickle",
    "copyreg",
    "from pickle import",
    "from joblib import",
    "from dill import",
    "from shelve import",
];

/// The suffixes of the files that may hold pickles: pickle's own,
/// joblib's, shelve's (`dbm` files), torch's (a zip of uncompressed pickles).
const DATA_SUFFIXES: [&str; 14] = ["pkl", "pickle", "pck", "pcl", "p", "dill", "joblib", "jbl", "sav", "db", "dat", "shelve", "pt", "pth"];

/// Which files may hold pickles, ignored ones too (pickles usually are).
const WANTED: Wanted = Wanted { suffixes: &DATA_SUFFIXES, largest: 16 << 20, ignored_too: true };

/// Why a move of `names` (each a dotted module and, for a symbol move,
/// the name that moves out of it) cannot be placed: a data file of the
/// project's folders names one, and the workspace unpickles. `None` when
/// nothing unpickles or no data file names them.
pub(super) fn refusal(graph: &Graph, names: &[(&str, Option<&str>)]) -> Option<String> {
    let (reader, spelled) = unpickler(graph)?;
    let (file, module, name) = data_file(&super::entry_points::project_folders(graph), names)?;
    let what = match name {
        Some(name) => format!("`{module}.{name}`"),
        None => format!("`{module}`"),
    };
    Some(format!(
        "{} holds a pickle that names {what}, and the workspace unpickles (`{spelled}` at {reader}): pickle finds it by that module path, which the move changes",
        display_path(graph, &file)
    ))
}

/// The first workspace file that reads a pickle: its place (`pkg/store.py:6`) and spelling.
fn unpickler(graph: &Graph) -> Option<(String, &'static str)> {
    graph.files().filter(|(_, entry)| !graph.is_library_path(&entry.path)).find_map(|(_, entry)| {
        let (at, spelled) = UNPICKLERS.iter().filter_map(|s| Some((entry.text().find(s)?, *s))).min()?;
        let line = entry.text()[..at].matches('\n').count() + 1;
        Some((format!("{}:{line}", display_path(graph, &entry.path)), spelled))
    })
}

/// The first data file under `folders` naming one of `names`, with the name.
fn data_file<'n>(folders: &[&Path], names: &[(&'n str, Option<&'n str>)]) -> Option<(PathBuf, &'n str, Option<&'n str>)> {
    data_files::under(folders, &WANTED).find_map(|path| {
        let bytes = std::fs::read(&path).ok()?;
        let &(module, name) = names.iter().find(|(module, name)| names_in(&bytes, module, *name))?;
        Some((path, module, name))
    })
}

/// Whether `bytes` spell `module`, and `name` when given, each a whole
/// dotted name (`pkg.util`, not `pkg.util2` nor `pkg.util.sub`).
pub(super) fn names_in(bytes: &[u8], module: &str, name: Option<&str>) -> bool {
    let whole = |word: &str| {
        let part = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
        memchr::memmem::find_iter(bytes, word.as_bytes()).any(|at| {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + word.len()).copied();
            // Protocols 0-3 write `cpkg.util\n` (the opcode `c` right
            // before), 4 and 5 the length byte.
            let opcode = |b: u8| b == b'c' || usize::from(b) == word.len();
            !before.is_some_and(|b| part(b) && !opcode(b)) && !after.is_some_and(part)
        })
    };
    whole(module) && name.is_none_or(whole)
}

#[cfg(test)]
#[path = "pickled_data_tests.rs"]
mod tests;
