//! Mistake memory: the checks generated code failed, remembered per model
//! and project in SQLite, so the next similar request can tell the model
//! what to avoid. One project's names never reach another's prompts.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, params};

/// Rows kept at most; the least recently seen go first.
const MAX_ROWS: i64 = 2_000;

pub struct MistakeMemory {
    connection: Mutex<Connection>,
    /// The project the mistakes are remembered for, kept with the model's
    /// name in the `model` column (the table's shape stays as it was).
    project: String,
}

impl MistakeMemory {
    pub fn open(path: &Path, project: &Path) -> rusqlite::Result<Self> {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.execute_batch(
            "CREATE TABLE IF NOT EXISTS mistakes (
                model TEXT NOT NULL,
                kind TEXT NOT NULL,
                pattern TEXT NOT NULL,
                count INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                PRIMARY KEY (model, kind, pattern)
            );",
        )?;
        Ok(Self { connection: Mutex::new(connection), project: project.display().to_string() })
    }

    /// Counts one more occurrence of `pattern` (an error message) of `kind`
    /// (a rule code or check name) made by `model`.
    pub fn record(&self, model: &str, kind: &str, pattern: &str) -> rusqlite::Result<()> {
        let connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        connection.execute(
            "INSERT INTO mistakes (model, kind, pattern, count, last_seen)
             VALUES (?1, ?2, ?3, 1, (SELECT COALESCE(MAX(last_seen), 0) + 1 FROM mistakes))
             ON CONFLICT (model, kind, pattern) DO UPDATE
             SET count = count + 1, last_seen = excluded.last_seen",
            params![self.key(model), kind, pattern],
        )?;
        connection.execute(
            "DELETE FROM mistakes WHERE rowid IN
             (SELECT rowid FROM mistakes ORDER BY last_seen DESC LIMIT -1 OFFSET ?1)",
            params![MAX_ROWS],
        )?;
        Ok(())
    }

    /// The `limit` past mistakes of `model` most relevant to a request about
    /// `request_text`: those sharing identifiers with it first, then the most
    /// frequent.
    pub fn relevant(&self, model: &str, request_text: &str, limit: usize) -> rusqlite::Result<Vec<String>> {
        let connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        let mut statement = connection.prepare("SELECT kind, pattern, count FROM mistakes WHERE model = ?1")?;
        let rows = statement.query_map(params![self.key(model)], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, i64>(2)?)))?;
        let words = identifiers(request_text);
        let mut scored = Vec::new();
        for row in rows {
            let (kind, pattern, count) = row?;
            let shared = identifiers(&pattern).intersection(&words).count() as i64;
            scored.push(((shared, count), format!("{kind}: {pattern} (seen {count}×)")));
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(scored.into_iter().take(limit).map(|(_, text)| text).collect())
    }
}

impl MistakeMemory {
    fn key(&self, model: &str) -> String {
        format!("{model} in {}", self.project)
    }
}

fn identifiers(text: &str) -> HashSet<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| w.len() > 2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_mistakes_come_back_most_relevant_first() {
        let dir = std::env::temp_dir().join(format!("pyloom-memory-{}", std::process::id()));
        let memory = MistakeMemory::open(&dir.join("mistakes.sqlite3"), Path::new("/a")).unwrap();
        memory.record("m1", "F821", "undefined name `numpy`").unwrap();
        memory.record("m1", "arity", "`total` takes 2 positional arguments but 3 were given").unwrap();
        memory.record("m1", "arity", "`total` takes 2 positional arguments but 3 were given").unwrap();
        memory.record("m2", "F821", "undefined name `pandas`").unwrap();

        let found = memory.relevant("m1", "import numpy as np\ndef mean(xs): ...", 5).unwrap();
        assert_eq!(found, ["F821: undefined name `numpy` (seen 1×)", "arity: `total` takes 2 positional arguments but 3 were given (seen 2×)",]);
        assert_eq!(memory.relevant("m1", "x", 1).unwrap(), ["arity: `total` takes 2 positional arguments but 3 were given (seen 2×)"]);
        drop(memory);
        // Persistent across opens.
        let reopened = MistakeMemory::open(&dir.join("mistakes.sqlite3"), Path::new("/a")).unwrap();
        assert_eq!(reopened.relevant("m2", "", 5).unwrap().len(), 1);
        // Another project's mistakes are not told.
        let other = MistakeMemory::open(&dir.join("mistakes.sqlite3"), Path::new("/b")).unwrap();
        assert_eq!(other.relevant("m1", "import numpy", 5).unwrap(), Vec::<String>::new());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
