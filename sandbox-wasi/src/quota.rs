//! The disk quota on the guest's scratch directory, charged per call.
//!
//! Every WASI call that can make the directory bigger is charged for the
//! bytes it may add *before* it runs, and is refused (`EDQUOT`) if they do
//! not fit, so nothing past the quota ever reaches the disk.
//!
//! Charges are an upper bound of what the directory holds: calls that free
//! space (unlink, truncate, rename over a file) are not tracked, and a new
//! name is first charged a full entry without looking whether it exists.
//! Only when a charge does not fit is the directory measured again, so the
//! charges drop back to the truth (a guest that deletes what it wrote can
//! write again); that walk happens near the quota, not on every write.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::scratch;

/// The quota of one run. Lives in the store, so only the guest's own calls
/// touch it; the host reads `refused` once the run is over.
pub(crate) struct DiskQuota {
    dir: PathBuf,
    limit: u64,
    /// At least the bytes `scratch::usage` would measure now.
    charged: u64,
    refused: Arc<AtomicBool>,
}

/// The call would take the directory past its quota; it must not run.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OverQuota;

impl DiskQuota {
    pub(crate) fn new(dir: PathBuf, limit: u64, refused: Arc<AtomicBool>) -> Self {
        let charged = scratch::usage(&dir);
        Self { dir, limit, charged, refused }
    }

    /// Reserves `bound` bytes (at least what the call can add) if they fit
    /// under what is charged so far, without measuring; `false` asks for
    /// [`DiskQuota::charge`] with the call's exact growth.
    pub(crate) fn charge_within(&mut self, bound: u64) -> bool {
        let fits = self.fits(bound);
        if fits {
            self.charged += bound;
        }
        fits
    }

    /// Reserves `bytes` (what the call will add), measuring the directory
    /// again if they do not fit under the charges; refuses if they do not
    /// fit what it holds either, and records the refusal, which makes the
    /// run's outcome the disk limit.
    pub(crate) fn charge(&mut self, bytes: u64) -> Result<(), OverQuota> {
        if self.charge_within(bytes) {
            return Ok(());
        }
        self.charged = scratch::usage(&self.dir);
        if !self.charge_within(bytes) {
            self.refused.store(true, Ordering::SeqCst);
            return Err(OverQuota);
        }
        Ok(())
    }

    fn fits(&self, bytes: u64) -> bool {
        self.charged.checked_add(bytes).is_some_and(|total| total <= self.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scratch::ENTRY_COST;

    #[test]
    fn refuses_past_the_limit_and_counts_freed_space_again() {
        let dir = tempfile::tempdir().unwrap();
        let refused = Arc::new(AtomicBool::new(false));
        let mut quota = DiskQuota::new(dir.path().to_path_buf(), 3 * ENTRY_COST, refused.clone());
        std::fs::write(dir.path().join("a"), vec![0; ENTRY_COST as usize]).unwrap();
        assert!(quota.charge_within(2 * ENTRY_COST));
        assert_eq!(quota.charge(ENTRY_COST), Ok(()));
        assert!(!quota.charge_within(1));
        assert!(!refused.load(Ordering::SeqCst));
        // Measured, the directory holds 2 * ENTRY_COST (one entry and its
        // bytes): ENTRY_COST fits, one byte more does not.
        assert_eq!(quota.charge(ENTRY_COST + 1), Err(OverQuota));
        assert!(refused.load(Ordering::SeqCst));
        assert_eq!(quota.charge(ENTRY_COST), Ok(()));
        assert!(!quota.charge_within(1));
        // What the guest deleted is found by the next measurement.
        std::fs::remove_file(dir.path().join("a")).unwrap();
        assert_eq!(quota.charge(3 * ENTRY_COST), Ok(()));
        assert_eq!(quota.charge(u64::MAX), Err(OverQuota));
    }
}
