//! Which files may read a notebook's names by string. A notebook is no
//! module an import reaches: its globals are read by its own code, by a
//! file that runs it or that it runs with its globals
//! (`%run helper.ipynb`, `%run -i script.py`, nbconvert's
//! `get_ipython().run_line_magic('run', …)`: any file naming the other),
//! and by code reading the kernel's main module (`import __main__`,
//! `sys.modules["__main__"]`, `get_ipython().user_ns`). A string spelling
//! the name in any other file (another notebook's `df['data']`, a doctest
//! of a `.py` nothing runs from the notebook) cannot reach it, so rename's
//! checks for names read by string skip those files. A name defined in a
//! `.py` module is read from anywhere, as before.

use std::path::Path;

use super::occurrences::Target;
use crate::graph::{FileEntry, FileId, Graph, Resolved};
use crate::notebook::Notebook;

/// The files that may read the names of one rename's target.
pub(super) struct Readers<'g> {
    /// The notebook the target is defined in (its id, file name and code);
    /// `None` when some definition is in an importable module.
    notebook: Option<(FileId, &'g str, &'g str)>,
}

impl<'g> Readers<'g> {
    pub(super) fn of(graph: &'g Graph, target: &Target) -> Self {
        let mut files = target.denotes.iter().map(|denoted| match denoted {
            Resolved::Symbol(id) => graph.symbol(*id).and_then(|s| s.file),
            Resolved::Local { file, .. } => Some(*file),
            Resolved::External(_) => None,
        });
        let first = files.next().flatten();
        let notebook = first.filter(|first| files.all(|f| f == Some(*first))).and_then(|file| {
            let entry = graph.file(file).filter(|entry| Notebook::is_notebook(&entry.path))?;
            Some((file, file_name(&entry.path)?, &**entry.text()))
        });
        Readers { notebook }
    }

    /// Whether the code of `file` may read the target's names.
    pub(super) fn may_read(&self, file: FileId, entry: &FileEntry) -> bool {
        let Some((notebook, name, code)) = self.notebook else { return true };
        let text = &**entry.text();
        let names_it = text.contains(name);
        let named = file_name(&entry.path).is_some_and(|other| code.contains(other));
        let main_module = text.contains("import __main__") || text.contains("user_ns") || (text.contains("modules[") && text.contains("__main__"));
        file == notebook || names_it || named || main_module
    }
}

fn file_name(path: &Path) -> Option<&str> {
    path.file_name()?.to_str()
}

// Tested through rename: `rename.rs` mounts `notebook_readers_tests.rs`.
