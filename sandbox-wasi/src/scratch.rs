//! The guest's writable scratch directory, seen from the host.
//!
//! Everything here treats the directory's contents as hostile: sizes are
//! measured and files are read without following any symlink the guest made.

use std::fs;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Bytes charged per directory entry, so a flood of empty files counts too.
pub(crate) const ENTRY_COST: u64 = 4096;

/// Bytes the guest has stored under `dir`, never following symlinks. Sparse
/// files count at their apparent size, which errs on the side of stopping.
pub(crate) fn usage(dir: &Path) -> u64 {
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            // `DirEntry::metadata` does not traverse symlinks.
            let Ok(metadata) = entry.metadata() else { continue };
            total += ENTRY_COST;
            if metadata.is_dir() {
                pending.push(entry.path());
            } else if metadata.is_file() {
                total += metadata.len();
            }
        }
    }
    total
}

/// Reads a regular file the guest wrote, refusing symlinks (`O_NOFOLLOW`)
/// and anything but a regular file, and reading at most `max_bytes`.
pub fn read_guest_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .with_context(|| format!("opening {} without following links", path.display()))?;
    if !file.metadata()?.is_file() {
        bail!("{} is not a regular file", path.display());
    }
    let mut bytes = Vec::new();
    file.take(max_bytes).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_symlinks_and_counts_entries() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("real"), b"hello").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("link")).unwrap();
        assert_eq!(read_guest_file(&dir.path().join("real"), 3).unwrap(), b"hel");
        assert!(read_guest_file(&dir.path().join("link"), 100).is_err());
        // Two entries, five bytes; the link's target is not measured.
        assert_eq!(usage(dir.path()), 2 * ENTRY_COST + 5);
    }
}
