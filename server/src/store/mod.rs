//! The summary cache: per-file summaries keyed by content hash in one
//! SQLite database (WAL) per workspace under the user's cache directory, so
//! a restart re-parses only what changed. The same database holds
//! `pyloom check`'s per-file results (see [`crate::findings::stored`]),
//! keyed by the file's text and everything else they depend on.
//!
//! The cache is never trusted blindly: a database with another schema
//! version, or one that cannot be read, is deleted and rebuilt with a
//! warning; an entry that does not decode is treated as missing.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::FxHashMap;

use crate::graph::FileSummary;

/// Bump when [`FileSummary`], the stored check results or the tables change.
pub const SCHEMA_VERSION: i64 = 36;

/// Overrides the cache directory (tests use a temporary one).
pub const CACHE_DIR_ENV: &str = "PYLOOM_CACHE_DIR";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no cache directory (set {CACHE_DIR_ENV})")]
    NoCacheDir,
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cache database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("written by another version of pyloom (cache schema {found}, this one reads {SCHEMA_VERSION})")]
    OtherSchema { found: i64 },
}

/// How long a write waits for another process's transaction.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

pub struct Store {
    connection: Mutex<Connection>,
    path: PathBuf,
}

/// The user's cache directory for pyloom.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CACHE_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories_next::ProjectDirs::from("", "", "pyloom").map(|d| d.cache_dir().to_owned())
}

impl Store {
    /// Opens (creating or rebuilding as needed) the cache of the workspace
    /// made of `folders`.
    pub fn open_for_workspace(folders: &[PathBuf]) -> Result<Self, StoreError> {
        let dir = cache_dir().ok_or(StoreError::NoCacheDir)?.join("workspaces");
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io { path: dir.clone(), source })?;
        let mut key = String::new();
        for folder in folders {
            key.push_str(&std::fs::canonicalize(folder).unwrap_or_else(|_| folder.clone()).display().to_string());
            key.push('\n');
        }
        let name = folders.first().and_then(|f| f.file_name()).and_then(|n| n.to_str()).unwrap_or("workspace");
        Self::open(&dir.join(format!("{name}-{:016x}.sqlite3", seahash::hash(key.as_bytes()))))
    }

    /// Opens the database at `path`; one that is corrupt or from another
    /// schema version is deleted and created afresh.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        match Self::open_waiting(path) {
            Ok(store) => Ok(store),
            // In use by another process for longer than the busy timeout:
            // not broken, and deleting it would break the other's.
            Err(StoreError::Sqlite(e)) if is_busy(&e) => Err(StoreError::Sqlite(e)),
            Err(e) => {
                // After an upgrade a rebuild is expected, not a problem.
                if matches!(e, StoreError::OtherSchema { .. }) {
                    tracing::debug!(path = %path.display(), "summary cache {e}: rebuilding it");
                } else {
                    tracing::warn!(path = %path.display(), "summary cache unusable, rebuilding: {e}");
                }
                for suffix in ["", "-wal", "-shm"] {
                    let file = PathBuf::from(format!("{}{suffix}", path.display()));
                    if let Err(e) = std::fs::remove_file(&file)
                        && e.kind() != std::io::ErrorKind::NotFound
                    {
                        return Err(StoreError::Io { path: file, source: e });
                    }
                }
                Self::open_waiting(path)
            }
        }
    }

    /// [`Store::open_checked`], again while another process holds the
    /// database: switching to WAL and a first open's recovery answer "busy"
    /// at once, without waiting the busy timeout.
    fn open_waiting(path: &Path) -> Result<Self, StoreError> {
        let started = std::time::Instant::now();
        loop {
            match Self::open_checked(path) {
                Err(StoreError::Sqlite(e)) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                    std::thread::sleep(std::time::Duration::from_millis(5 + fastrand::u64(0..20)));
                }
                opened => return opened,
            }
        }
    }

    fn open_checked(path: &Path) -> Result<Self, StoreError> {
        let connection = Connection::open(path)?;
        // Another pyloom (the language server and the MCP server on one
        // workspace, two editors) may be writing: wait for its transaction
        // instead of failing with "database is locked" (longer than
        // rusqlite's 5 s: a cold index of a large workspace saves all its
        // summaries in one transaction).
        connection.busy_timeout(BUSY_TIMEOUT)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.execute_batch(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS summaries (hash INTEGER PRIMARY KEY, data BLOB NOT NULL);
             CREATE TABLE IF NOT EXISTS checks (key INTEGER PRIMARY KEY, data BLOB NOT NULL);",
        )?;
        let version: Option<i64> = connection.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |row| row.get(0)).optional()?;
        match version {
            Some(SCHEMA_VERSION) => {}
            // Another process may create the database at the same moment.
            None => {
                connection.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?1)", [SCHEMA_VERSION])?;
            }
            Some(found) => return Err(StoreError::OtherSchema { found }),
        }
        Ok(Self { connection: Mutex::new(connection), path: path.to_owned() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The cached summaries among `hashes`. Entries that fail to decode are
    /// left out (and re-extracted by the caller). The blobs are read in one
    /// pass and decoded in parallel (decoding is most of a warm start's
    /// cache time).
    pub fn load(&self, hashes: impl Iterator<Item = u64>) -> FxHashMap<u64, Arc<FileSummary>> {
        use rayon::prelude::*;
        let blobs: Vec<(u64, Vec<u8>)> = {
            let connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
            let Ok(mut statement) = connection.prepare_cached("SELECT data FROM summaries WHERE hash = ?1") else {
                return FxHashMap::default();
            };
            let mut blobs = Vec::new();
            for hash in hashes {
                match statement.query_row([hash as i64], |row| row.get(0)).optional() {
                    Ok(Some(blob)) => blobs.push((hash, blob)),
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!("summary cache read failed: {e}");
                        break;
                    }
                }
            }
            blobs
        };
        blobs
            .into_par_iter()
            .filter_map(|(hash, blob)| match postcard::from_bytes::<FileSummary>(&blob) {
                Ok(summary) if summary.is_consistent() => Some((hash, Arc::new(summary))),
                Ok(_) => {
                    tracing::warn!(hash, "summary cache entry is inconsistent, re-extracting");
                    None
                }
                Err(e) => {
                    tracing::warn!(hash, "summary cache entry does not decode, re-extracting: {e}");
                    None
                }
            })
            .collect()
    }

    /// Stores summaries by content hash, in one transaction.
    pub fn save(&self, summaries: &[(u64, &FileSummary)]) -> Result<(), StoreError> {
        if summaries.is_empty() {
            return Ok(());
        }
        let mut connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        // Immediate: the write lock is taken (waiting the busy timeout for
        // another process's) before anything is read.
        let transaction = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut statement = transaction.prepare_cached("INSERT OR REPLACE INTO summaries (hash, data) VALUES (?1, ?2)")?;
            for (hash, summary) in summaries {
                let Ok(blob) = postcard::to_stdvec(summary) else { continue };
                statement.execute(params![*hash as i64, blob])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }
}

impl Store {
    /// The stored check results among `keys`, undecoded (the caller decodes
    /// them on every core and treats one that does not decode as missing).
    /// A read that fails ends the look-up: what was not read is checked.
    pub fn load_checks(&self, keys: impl Iterator<Item = u64>) -> FxHashMap<u64, Vec<u8>> {
        let connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(mut statement) = connection.prepare_cached("SELECT data FROM checks WHERE key = ?1") else {
            return FxHashMap::default();
        };
        let mut blobs = FxHashMap::default();
        for key in keys {
            match statement.query_row([key as i64], |row| row.get(0)).optional() {
                Ok(Some(blob)) => {
                    blobs.insert(key, blob);
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!("check cache read failed: {e}");
                    break;
                }
            }
        }
        blobs
    }

    /// Stores check results by key, in one transaction.
    pub fn save_checks(&self, entries: &[(u64, Vec<u8>)]) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        let transaction = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut statement = transaction.prepare_cached("INSERT OR REPLACE INTO checks (key, data) VALUES (?1, ?2)")?;
            for (key, blob) in entries {
                statement.execute(params![*key as i64, blob])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }
}

/// The library's summaries, in a store of their own shared by every
/// workspace (see [`crate::graph::SummaryCache`]).
impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl crate::graph::SummaryCache for Store {
    fn load(&self, key: u64) -> Option<Arc<FileSummary>> {
        Store::load(self, std::iter::once(key)).remove(&key)
    }

    fn save(&self, key: u64, summary: &FileSummary) {
        if let Err(e) = Store::save(self, &[(key, summary)]) {
            tracing::debug!("library summary not cached: {e}");
        }
    }
}

impl Store {
    /// Opens (creating as needed) the cache of library summaries.
    pub fn open_for_library() -> Result<Self, StoreError> {
        let dir = cache_dir().ok_or(StoreError::NoCacheDir)?;
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io { path: dir.clone(), source })?;
        Self::open(&dir.join("library.sqlite3"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache file in a fresh folder that is removed with the guard.
    fn temp_db() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite3");
        (dir, path)
    }

    #[test]
    fn summaries_round_trip_by_content_hash() {
        let (_dir, path) = temp_db();
        let summary = FileSummary::extract("class A:\n    def f(self, x: int = 1) -> str:\n        '''Doc.'''\n");
        let store = Store::open(&path).unwrap();
        store.save(&[(7, &summary)]).unwrap();
        drop(store);
        let loaded = Store::open(&path).unwrap().load([7, 8].into_iter());
        assert_eq!(loaded.len(), 1);
        assert_eq!(*loaded[&7], summary);
    }

    #[test]
    fn a_corrupt_or_outdated_cache_is_rebuilt() {
        let (_dir, path) = temp_db();
        std::fs::write(&path, b"this is not a database, just bytes that look wrong").unwrap();
        let store = Store::open(&path).unwrap();
        assert!(store.load([1].into_iter()).is_empty());
        store.connection.lock().unwrap().execute("UPDATE meta SET value = 999 WHERE key = 'schema'", []).unwrap();
        store.connection.lock().unwrap().execute("INSERT INTO summaries VALUES (1, x'00ff')", []).unwrap();
        drop(store);
        let reopened = Store::open(&path).unwrap();
        assert!(reopened.load([1].into_iter()).is_empty(), "outdated entries are gone");
    }

    #[test]
    fn stores_created_and_written_at_once_lose_no_entries() {
        // Several processes opening one new cache at the same moment (the
        // language server and the MCP server started together): each
        // creates the tables and the schema row, then all write at once.
        const WRITERS: u64 = 8;
        let summary = FileSummary::extract("def f(x):\n    return x\n");
        for round in 0..10 {
            let (_dir, path) = temp_db();
            let start = std::sync::Barrier::new(WRITERS as usize);
            std::thread::scope(|scope| {
                for writer in 0..WRITERS {
                    let (path, summary, start) = (&path, &summary, &start);
                    scope.spawn(move || {
                        start.wait();
                        let store = Store::open(path).unwrap();
                        let entries: Vec<(u64, &FileSummary)> = (0..50).map(|i| (writer * 1000 + i, summary)).collect();
                        store.save(&entries).unwrap();
                    });
                }
            });
            let all = (0..WRITERS).flat_map(|w| (0..50).map(move |i| w * 1000 + i));
            assert_eq!(Store::open(&path).unwrap().load(all).len(), (WRITERS * 50) as usize, "round {round}");
        }
    }

    #[test]
    fn undecodable_entries_are_skipped() {
        let (_dir, path) = temp_db();
        let store = Store::open(&path).unwrap();
        store.connection.lock().unwrap().execute("INSERT INTO summaries VALUES (3, x'ffffffff')", []).unwrap();
        assert!(store.load([3].into_iter()).is_empty());
    }
}
