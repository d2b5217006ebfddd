//! The disk quota on the guest's scratch directory, charged per call.
//!
//! Every WASI call that can make the directory bigger asks [`DiskQuota::charge`]
//! for the bytes it may add *before* it runs, and is refused (`EDQUOT`) if
//! they do not fit, so nothing past the quota ever reaches the disk.
//!
//! Charges are an upper bound of what the directory holds: calls that free
//! space (unlink, truncate, rename over a file) are not tracked. When a charge
//! would not fit, the directory is measured again and the bound drops back to
//! the truth, so a guest that deletes what it wrote can write again; the walk
//! only happens near the quota, not on every write.

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

    /// Reserves `bytes` of growth, or refuses (and records the refusal, which
    /// makes the run's outcome the disk limit).
    pub(crate) fn charge(&mut self, bytes: u64) -> Result<(), OverQuota> {
        if !self.fits(bytes) {
            self.charged = scratch::usage(&self.dir);
            if !self.fits(bytes) {
                self.refused.store(true, Ordering::SeqCst);
                return Err(OverQuota);
            }
        }
        self.charged += bytes;
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
        assert_eq!(quota.charge(2 * ENTRY_COST), Ok(()));
        assert_eq!(quota.charge(ENTRY_COST), Ok(()));
        assert!(!refused.load(Ordering::SeqCst));
        // Charged full; measured, the directory holds 2 * ENTRY_COST (one
        // entry and its bytes), and ENTRY_COST + 1 more still does not fit.
        assert_eq!(quota.charge(ENTRY_COST + 1), Err(OverQuota));
        assert!(refused.load(Ordering::SeqCst));
        // What the guest deleted is found by the measurement a refusal triggers.
        std::fs::remove_file(dir.path().join("a")).unwrap();
        assert_eq!(quota.charge(3 * ENTRY_COST), Ok(()));
        assert_eq!(quota.charge(u64::MAX), Err(OverQuota));
    }
}
