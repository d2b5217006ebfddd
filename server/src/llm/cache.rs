//! Answers already paid for: a SQLite table keyed by a hash of endpoint,
//! model and prompt, with a time-to-live and a bound on the entry count.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, params};

use super::Usage;

pub struct ResponseCache {
    // rusqlite connections are not `Sync`; every use is a short synchronous
    // statement, never held across an await.
    conn: Mutex<Connection>,
    ttl: Duration,
    max_entries: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CachedAnswer {
    pub text: String,
    pub usage: Usage,
}

impl ResponseCache {
    pub fn open(path: &Path, ttl: Duration, max_entries: u32) -> rusqlite::Result<Self> {
        if let Some(dir) = path.parent() {
            // A failure here surfaces as the open error just below.
            let _ = std::fs::create_dir_all(dir);
        }
        Self::with_connection(Connection::open(path)?, ttl, max_entries)
    }

    pub fn in_memory(ttl: Duration, max_entries: u32) -> rusqlite::Result<Self> {
        Self::with_connection(Connection::open_in_memory()?, ttl, max_entries)
    }

    fn with_connection(conn: Connection, ttl: Duration, max_entries: u32) -> rusqlite::Result<Self> {
        // Several pyloom processes may share the file.
        conn.busy_timeout(Duration::from_secs(2))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS responses (
                 key TEXT PRIMARY KEY,
                 text TEXT NOT NULL,
                 prompt_tokens INTEGER NOT NULL,
                 completion_tokens INTEGER NOT NULL,
                 created INTEGER NOT NULL
             );
             CREATE INDEX IF NOT EXISTS responses_created ON responses(created);",
        )?;
        Ok(Self { conn: Mutex::new(conn), ttl, max_entries })
    }

    pub fn get(&self, key: &str) -> rusqlite::Result<Option<CachedAnswer>> {
        let oldest = now_secs().saturating_sub(self.ttl.as_secs()) as i64;
        self.conn()
            .query_row("SELECT text, prompt_tokens, completion_tokens FROM responses WHERE key = ?1 AND created >= ?2", params![key, oldest], |row| {
                Ok(CachedAnswer {
                    text: row.get(0)?,
                    usage: Usage { prompt_tokens: row.get::<_, i64>(1)? as u64, completion_tokens: row.get::<_, i64>(2)? as u64 },
                })
            })
            .optional()
    }

    pub fn put(&self, key: &str, answer: &CachedAnswer) -> rusqlite::Result<()> {
        let now = now_secs() as i64;
        let conn = self.conn();
        conn.execute(
            "INSERT OR REPLACE INTO responses VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key, answer.text, answer.usage.prompt_tokens as i64, answer.usage.completion_tokens as i64, now],
        )?;
        // Expired entries first, then the oldest beyond the bound.
        conn.execute("DELETE FROM responses WHERE created < ?1", params![now - self.ttl.as_secs() as i64])?;
        conn.execute(
            "DELETE FROM responses WHERE key NOT IN (SELECT key FROM responses ORDER BY created DESC, rowid DESC LIMIT ?1)",
            params![self.max_entries],
        )?;
        Ok(())
    }

    /// How many answers are stored.
    pub fn entries(&self) -> rusqlite::Result<u64> {
        self.conn().query_row("SELECT COUNT(*) FROM responses", [], |row| row.get::<_, i64>(0)).map(|n| n as u64)
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &str) -> CachedAnswer {
        CachedAnswer { text: text.to_owned(), usage: Usage { prompt_tokens: 5, completion_tokens: 2 } }
    }

    #[test]
    fn stores_and_bounds_entries_newest_kept() {
        let cache = ResponseCache::in_memory(Duration::from_secs(3600), 2).unwrap();
        for key in ["a", "b", "c"] {
            cache.put(key, &answer(key)).unwrap();
        }
        assert_eq!(cache.entries().unwrap(), 2);
        assert_eq!(cache.get("a").unwrap(), None);
        assert_eq!(cache.get("c").unwrap(), Some(answer("c")));
    }

    #[test]
    fn expired_entries_are_not_served() {
        let cache = ResponseCache::in_memory(Duration::ZERO, 10).unwrap();
        cache.conn().execute("INSERT INTO responses VALUES ('old', 'x', 0, 0, 0)", []).unwrap();
        assert_eq!(cache.get("old").unwrap(), None);
    }

    #[test]
    fn persists_in_a_file() {
        let dir = std::env::temp_dir().join(format!("pyloom-cache-{}", std::process::id()));
        let path = dir.join("nested").join("cache.sqlite3");
        ResponseCache::open(&path, Duration::from_secs(60), 10).unwrap().put("k", &answer("kept")).unwrap();
        let reopened = ResponseCache::open(&path, Duration::from_secs(60), 10).unwrap();
        assert_eq!(reopened.get("k").unwrap(), Some(answer("kept")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
