//! `pyloom check`'s per-file results, stored in the workspace's cache
//! database so that a file checked before with the same text and settings
//! is not parsed, linted or walked again (what ruff's cache does for ruff).
//!
//! What is stored is what the first pass finds in one file alone — ruff's
//! diagnostics, pyloom's security walk and data flow, secrets — with what
//! the graph pass needs of the file: its calls, its `# noqa` directives,
//! what its data flow tells the checks of other files (its functions data
//! from outside may reach a sink through, its calls passing such data) and
//! its summary. The graph checks read other files and always run.
//!
//! An entry's key holds everything its findings depend on: the text, the
//! file's absolute path, its permissions (ruff's shebang rules), its package
//! (the highest folder with an `__init__.py` above it), the configuration
//! that governs it ([`Config::cache_key`]), the working directory (ruff
//! names paths relative to it), this pyloom (version, cache schema and the
//! executable itself, so a rebuilt binary starts afresh), and whether the
//! graph is built. Where ruff tells first-party modules by the files under
//! `src` (an `__init__.py`'s unused imports; import sorting and the
//! typing-only import rules when enabled), the list of files checked is
//! part of the key too.
//!
//! Notebooks are not stored. An entry that does not decode, or does not
//! fit the text it is looked up for, is a miss.

use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ruff_cache::{CacheKey, CacheKeyHasher};
use ruff_source_file::LineIndex;
use rustc_hash::FxHashMap;

use super::callers_elsewhere::Facts;
use super::graph_checks::CallSites;
use super::{Config, FileCheck, Finding, NoqaEdits, PackageRoots, noqa};
use crate::graph::FileSummary;
use crate::store::Store;

#[cfg(test)]
#[path = "stored_tests.rs"]
mod tests;

/// What an entry holds, in this order: the first pass's findings in check
/// order, how many the confidence setting hid, the calls (`None`: the file
/// does not parse), the `# noqa` directives, the data flow's facts for the
/// other files, and the summary when the graph is built.
type Entry = (Vec<Finding>, usize, Option<CallSites>, noqa::Stored, Facts, Option<FileSummary>);

/// The check cache of one run of `pyloom check`.
pub struct CheckCache {
    store: Arc<Store>,
    /// The key of what every entry of this run depends on alike.
    run: u64,
    /// The files checked, for the files whose findings read the layout.
    layout: u64,
    graph: bool,
    roots: PackageRoots,
    new: Mutex<Vec<(u64, Vec<u8>)>>,
}

impl CheckCache {
    /// The cache of a check of `files` (in the order given), with the graph
    /// checks or without (`graph`).
    pub fn new(store: Arc<Store>, files: &[PathBuf], graph: bool) -> Self {
        let mut hasher = CacheKeyHasher::new();
        crate::store::SCHEMA_VERSION.cache_key(&mut hasher);
        env!("CARGO_PKG_VERSION").cache_key(&mut hasher);
        // The executable itself: a rebuilt pyloom (another commit, the same
        // version number) must not read what an older build stored.
        if let Some(meta) = std::env::current_exe().ok().and_then(|exe| std::fs::metadata(exe).ok()) {
            meta.len().cache_key(&mut hasher);
            if let Ok(since) = meta.modified().map(|m| m.duration_since(std::time::UNIX_EPOCH).unwrap_or_default()) {
                since.as_nanos().cache_key(&mut hasher);
            }
        }
        std::env::current_dir().ok().cache_key(&mut hasher);
        graph.cache_key(&mut hasher);
        let run = hasher.finish();
        let mut hasher = CacheKeyHasher::new();
        files.cache_key(&mut hasher);
        CheckCache { store, run, layout: hasher.finish(), graph, roots: PackageRoots::default(), new: Mutex::default() }
    }

    /// The key of the entry of the file at `absolute` holding `text`, with
    /// permissions `mode`, governed by `config`.
    pub fn key(&self, text: &str, absolute: &Path, mode: u32, config: &Config) -> u64 {
        let mut hasher = CacheKeyHasher::new();
        self.run.cache_key(&mut hasher);
        text.cache_key(&mut hasher);
        absolute.cache_key(&mut hasher);
        mode.cache_key(&mut hasher);
        self.roots.of(absolute).cache_key(&mut hasher);
        config.cache_key().cache_key(&mut hasher);
        if config.reads_layout() || absolute.file_name().is_some_and(|name| name == "__init__.py") {
            self.layout.cache_key(&mut hasher);
        }
        hasher.finish()
    }

    /// The stored entries among `keys`, undecoded.
    pub fn load(&self, keys: impl Iterator<Item = u64>) -> FxHashMap<u64, Vec<u8>> {
        self.store.load_checks(keys)
    }

    /// The check and summary stored in `blob` for `source`; `None` when the
    /// entry does not decode or does not fit `source` (then the file is
    /// checked afresh).
    pub fn restore(&self, blob: &[u8], source: &str) -> Option<(FileCheck, Option<FileSummary>)> {
        let (findings, hidden, calls, noqa, facts, summary): Entry = match postcard::from_bytes(blob) {
            Ok(entry) => entry,
            Err(e) => {
                tracing::debug!("check cache entry does not decode, checking afresh: {e}");
                return None;
            }
        };
        let fits = findings.iter().all(|f| fits(source, f)) && summary.as_ref().is_none_or(FileSummary::is_consistent) && summary.is_some() == self.graph;
        if !fits {
            tracing::debug!("check cache entry does not fit its file, checking afresh");
            return None;
        }
        let noqa = noqa::Directives::from_stored(noqa, LineIndex::from_source_text(source), source.len())?;
        let check = FileCheck { findings, noqa, noqa_edits: NoqaEdits::Skip, calls, hidden, facts, cells: None };
        Some((check, summary))
    }

    /// Keeps `check` (made by the check's first pass, its findings not yet
    /// taken) and `summary` to be saved under `key`, unless the check is
    /// one that is not stored (see the module's comment).
    pub fn keep(&self, key: u64, check: &FileCheck, summary: Option<&FileSummary>) {
        if check.cells.is_some() || check.noqa_edits != NoqaEdits::Skip {
            return;
        }
        let entry = (&check.findings, check.hidden, &check.calls, check.noqa.to_stored(), &check.facts, summary);
        match postcard::to_stdvec(&entry) {
            Ok(blob) => self.new.lock().unwrap_or_else(|e| e.into_inner()).push((key, blob)),
            Err(e) => tracing::debug!("check result not cached: {e}"),
        }
    }

    /// Writes the entries kept, in one transaction.
    pub fn save(self) {
        let new = self.new.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = self.store.save_checks(&new) {
            tracing::warn!("check results not cached: {e}");
        }
    }
}

/// Whether every offset of `finding` lies on a character boundary of
/// `source` (locating one that does not would panic).
fn fits(source: &str, finding: &Finding) -> bool {
    let fix = finding.fix.iter().flat_map(|fix| &fix.edits);
    let ranges = std::iter::once(&finding.range).chain(fix.map(|e| &e.range)).chain(finding.suppress.iter().map(|e| &e.range));
    ranges.into_iter().all(|r| r.start <= r.end && source.is_char_boundary(r.start) && source.is_char_boundary(r.end))
}
