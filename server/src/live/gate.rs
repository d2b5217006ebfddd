//! Whether the first index of a workspace is done: a request that arrives
//! before it waits for it (bounded, with progress) instead of answering
//! from an empty graph.

use std::time::Duration;

use tokio::sync::watch;

/// Where the first index of a workspace is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexState {
    /// No index is coming (no workspace folder yet): requests answer from
    /// what the graph holds.
    NotStarted,
    Indexing {
        done: usize,
        total: usize,
    },
    Ready,
    Failed(String),
}

/// Why a request could not wait for the index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    #[error("the workspace is still being indexed ({done}/{total} files after {waited_s} s); ask again shortly")]
    TimedOut { done: usize, total: usize, waited_s: u64 },
    #[error("indexing the workspace failed: {0}")]
    Failed(String),
}

/// The first index's state, shared by its writer and the requests waiting.
#[derive(Debug)]
pub struct IndexGate {
    state: watch::Sender<IndexState>,
}

impl Default for IndexGate {
    fn default() -> Self {
        Self { state: watch::Sender::new(IndexState::NotStarted) }
    }
}

impl IndexGate {
    pub fn set(&self, state: IndexState) {
        self.state.send_replace(state);
    }

    /// Notes progress, unless the index finished meanwhile (progress is
    /// reported from worker threads and may arrive late).
    pub fn progress(&self, done: usize, total: usize) {
        self.state.send_if_modified(|state| match state {
            IndexState::Indexing { .. } | IndexState::NotStarted => {
                *state = IndexState::Indexing { done, total };
                true
            }
            _ => false,
        });
    }

    #[cfg(test)]
    fn state(&self) -> IndexState {
        self.state.borrow().clone()
    }

    /// Waits until the index is done, at most `limit`; `progress(done,
    /// total)` hears of each step meanwhile. Returns at once when no index
    /// is under way.
    pub async fn wait(&self, limit: Duration, mut progress: impl FnMut(usize, usize)) -> Result<(), NotReady> {
        let mut receiver = self.state.subscribe();
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let state = receiver.borrow_and_update().clone();
            match state {
                IndexState::NotStarted | IndexState::Ready => return Ok(()),
                IndexState::Failed(reason) => return Err(NotReady::Failed(reason)),
                IndexState::Indexing { done, total } => {
                    progress(done, total);
                    match tokio::time::timeout_at(deadline, receiver.changed()).await {
                        Ok(Ok(())) => {}
                        // The writer is gone: nothing will change any more.
                        Ok(Err(_)) => return Ok(()),
                        Err(_) => return Err(NotReady::TimedOut { done, total, waited_s: limit.as_secs() }),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn requests_wait_for_the_index_with_progress() {
        let gate = std::sync::Arc::new(IndexGate::default());
        assert_eq!(gate.wait(Duration::ZERO, |_, _| panic!("no progress without an index")).await, Ok(()));
        gate.set(IndexState::Indexing { done: 0, total: 4 });
        let writer = gate.clone();
        let finish = tokio::spawn(async move {
            writer.progress(2, 4);
            writer.set(IndexState::Ready);
            writer.progress(3, 4);
        });
        let mut seen = Vec::new();
        let waited = gate.wait(Duration::from_secs(30), |done, total| seen.push((done, total))).await;
        finish.await.unwrap();
        assert_eq!(waited, Ok(()));
        assert_eq!(seen.first(), Some(&(0, 4)));
        assert_eq!(gate.state(), IndexState::Ready, "late progress does not reopen the gate");
    }

    #[tokio::test]
    async fn waiting_is_bounded_and_failures_are_told() {
        let gate = IndexGate::default();
        gate.set(IndexState::Indexing { done: 1, total: 9 });
        let waited = gate.wait(Duration::from_millis(20), |_, _| {}).await;
        assert!(matches!(waited, Err(NotReady::TimedOut { done: 1, total: 9, .. })), "{waited:?}");
        gate.set(IndexState::Failed("no such folder".to_owned()));
        assert_eq!(gate.wait(Duration::from_secs(1), |_, _| {}).await, Err(NotReady::Failed("no such folder".to_owned())));
    }
}
