//! Work no keystroke waits for (indexing the workspace, parsing library
//! modules ahead) gives way to the work an edit waits for (its graph
//! update, its analysis, its diagnostics): between two files, a thread of
//! the background work waits while an edit's work runs. On a machine of
//! two cores the index's threads took both, and a notebook cell edit's
//! diagnostics, analysed meanwhile, took two to four times as long as once
//! the index was done. Nothing is lowered for good (an OS priority starved
//! the index while other programs kept the machine busy: minutes for a
//! small workspace): an idle editor leaves the index every core, and an
//! edit waits for the file each background thread is on, at most.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The edits whose work runs now (see [`Foreground`]).
static EDITS: AtomicUsize = AtomicUsize::new(0);

/// The longest one [`give_way`] waits: a typist keeps edits coming, and
/// the index must still go on.
const MAX_WAIT: Duration = Duration::from_millis(20);
/// How often a waiting thread looks again.
const POLL: Duration = Duration::from_micros(200);

/// Held while an edit's work runs: background work waits meanwhile.
#[must_use]
pub struct Foreground(());

impl Foreground {
    pub fn enter() -> Foreground {
        EDITS.fetch_add(1, Ordering::SeqCst);
        Foreground(())
    }
}

impl Drop for Foreground {
    fn drop(&mut self) {
        EDITS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Called by background work between two files: waits while an edit's
/// work runs, [`MAX_WAIT`] at most. Never called holding anything an
/// edit's work may wait for (the server's graph, a library module).
pub fn give_way() {
    if EDITS.load(Ordering::Relaxed) == 0 {
        return;
    }
    let started = Instant::now();
    while EDITS.load(Ordering::Relaxed) > 0 && started.elapsed() < MAX_WAIT {
        std::thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_work_waits_while_an_edit_runs_but_not_for_ever() {
        let edit = Foreground::enter();
        let started = Instant::now();
        give_way();
        assert!(started.elapsed() >= MAX_WAIT, "gave way until the longest wait");
        let second = Foreground::enter();
        drop(edit);
        assert!(EDITS.load(Ordering::SeqCst) >= 1, "an edit left: the other still runs");
        drop(second);
    }
}
