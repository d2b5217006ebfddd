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
//! the files whose every test reported; the others (cut short by a limit
//! or a crash, or whose collection failed) are run again alone, as are
//! files with a test that hit the shared disk quota, so a limit is only
//! ever reported from a file's own run.

use anyhow::Result;

use super::project::FileTests;
use super::{SnippetKind, SnippetRunner, Staged, Status, TestResult, job, report};

impl SnippetRunner {
    /// Runs `files` (of one import root) in one interpreter. For each file,
    /// its results, or `None` when the batch cannot vouch for them (see the
    /// module's doc): the caller runs those alone.
    pub(super) async fn run_batch(&self, files: &[&FileTests]) -> Result<Vec<Option<Vec<TestResult>>>> {
        // A file that cannot be staged (no importable module name) is left
        // to its own run, which reports why; the others still share one.
        let staged: Vec<Option<Staged>> = files.iter().map(|tests| Staged::new(&tests.file, &tests.source).ok()).collect();
        let parts: Vec<_> =
            staged.iter().zip(files).filter_map(|(staged, tests)| Some((staged.as_ref()?, tests.selected.iter().collect::<Vec<_>>()))).collect();
        if parts.is_empty() {
            return Ok(vec![None; files.len()]);
        }
        let output = self.sandbox.run(job(&parts)?).await?;
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
        let mut next_id = 0;
        let mut vouched = parts.iter().map(|(staged, tests)| {
            let ids = next_id..next_id + tests.len();
            next_id = ids.end;
            let reported: Option<Vec<report::Reported>> = ids.map(|id| reports.finished.remove(&id)).collect();
            let reported = reported.filter(|reported| reported.iter().all(|entry| entry.status != Status::DiskLimit))?;
            let results = tests.iter().zip(reported).map(|(snippet, entry)| staged.result(snippet, entry.status, entry.duration_ms, entry.message, entry.line));
            Some(results.collect())
        });
        Ok(staged.iter().map(|staged| staged.as_ref().and_then(|_| vouched.next().flatten())).collect())
    }
}
