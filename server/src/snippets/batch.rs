//! Batches: several files' tests in one interpreter, one pytest session
//! for all their pytest tests and one runner pass for their doctests,
//! unittest methods and plain test functions, the way `python3 -m pytest
//! --doctest-modules DIR` runs them.
//!
//! A batch shares what one job has: the interpreter (what one file's tests
//! import or monkeypatch is seen by the next file's, as under pytest), the
//! scratch directory and its disk quota, the memory cap and the output cap.
//! The clock is each file's own: the runner laps before working for a file
//! (`sandbox_wasi` charges each part its time). A batch vouches only for
//! the files whose every test reported. When a limit, a crash or an exit
//! ends it early, the files it had not reached at all go on in a new batch
//! (a fresh interpreter); every other file it could not vouch for (the one
//! it was running, one whose collection failed, one with a test refused by
//! the shared disk quota) runs again alone, so a limit is only ever
//! reported from a file's own run.

use anyhow::Result;
use sandbox_wasi::Outcome;

use super::project::FileTests;
use super::{SnippetKind, SnippetRunner, Staged, Status, TestResult, job, report};

/// What a batch says of one of its files.
pub(super) enum Batched {
    /// Every test reported: the file's results.
    Reported(Vec<TestResult>),
    /// The batch cannot vouch for it: it runs alone.
    Alone,
    /// The batch ended early (in another file) before any of its tests:
    /// it goes on in a new batch.
    NotReached,
}

impl SnippetRunner {
    /// Runs `files` (of one import root) in one interpreter: what the
    /// batch says of each (see the module's doc).
    pub(super) async fn run_batch(&self, files: &[&FileTests]) -> Result<Vec<Batched>> {
        let staged = files.iter().map(|tests| Staged::new(&tests.file, &tests.source)).collect::<Result<Vec<_>>>()?;
        let parts: Vec<_> = staged.iter().zip(files).map(|(staged, tests)| (staged, tests.selected.iter().collect::<Vec<_>>())).collect();
        let rewritten = self.rewritten(&parts).await;
        let output = self.sandbox.run(job(&parts, &rewritten)?).await?;
        let pytest = parts.iter().filter(|(_, tests)| tests.iter().any(|snippet| snippet.kind == SnippetKind::Pytest)).count();
        tracing::debug!(
            "snippet batch: {} files ({pytest} in a pytest session), ran {:?}, {:?} in file {}",
            parts.len(),
            output.duration,
            output.outcome,
            output.part
        );
        let text = output.collected.first().map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned()).unwrap_or_default();
        let mut reports = report::parse(&text);
        let ended_early = !matches!(output.outcome, Outcome::Exited(0));
        let mut next_id = 0;
        Ok(parts
            .iter()
            .enumerate()
            .map(|(part, (staged, tests))| {
                let ids = next_id..next_id + tests.len();
                next_id = ids.end;
                let untouched = ids.clone().all(|id| !reports.finished.contains_key(&id) && !reports.started.contains(&id));
                if ended_early && untouched && part as u32 != output.part {
                    return Batched::NotReached;
                }
                let reported: Option<Vec<report::Reported>> = ids.map(|id| reports.finished.remove(&id)).collect();
                match reported.filter(|reported| reported.iter().all(|entry| entry.status != Status::DiskLimit)) {
                    Some(reported) => Batched::Reported(
                        tests
                            .iter()
                            .zip(reported)
                            .map(|(snippet, entry)| staged.result(snippet, entry.status, entry.duration_ms, entry.message, entry.line))
                            .collect(),
                    ),
                    None => Batched::Alone,
                }
            })
            .collect())
    }
}
