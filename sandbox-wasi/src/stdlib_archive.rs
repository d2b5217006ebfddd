//! The standard library of the component's CPython, taken from the verified
//! componentize-py wheel.
//!
//! componentize-py carries the library it pre-initialises against as a
//! zstd-compressed tar inside its native module (the wheel's SHA-256 covers
//! it). The component holds only the modules its build imported; jobs that
//! import any other standard module read it from this copy, mounted
//! read-only where the build saw it.

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use ruzstd::decoding::StreamingDecoder;

/// The start of every zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Unpacks the standard library from `native` (componentize-py's module)
/// into `dest`, which must not exist: the frame holding a tar whose root
/// has `os.py` and `encodings/`.
pub(crate) fn extract(native: &Path, dest: &Path) -> Result<()> {
    let bytes = fs::read(native).with_context(|| format!("reading {}", native.display()))?;
    let parent = dest.parent().context("the standard library's folder has no parent")?;
    let mut start = 0;
    while let Some(found) = find(&bytes[start..], &ZSTD_MAGIC) {
        let frame = &bytes[start + found..];
        start += found + 1;
        let Ok(mut decoder) = StreamingDecoder::new(frame) else { continue };
        let mut header = [0u8; 512];
        if decoder.read_exact(&mut header).is_err() || &header[257..262] != b"ustar" {
            continue;
        }
        let staged = tempfile::Builder::new().prefix(".stdlib-").tempdir_in(parent)?;
        if unpack(header.chain(decoder), staged.path()).is_err() || !is_stdlib(staged.path()) {
            continue;
        }
        fs::rename(staged.keep(), dest).with_context(|| format!("moving the standard library to {}", dest.display()))?;
        return Ok(());
    }
    bail!("no standard library found in {}", native.display())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Unpacks regular files and folders only, each inside `dest` (`unpack_in`
/// refuses paths that would leave it).
fn unpack(reader: impl Read, dest: &Path) -> Result<()> {
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_dir()) {
            continue;
        }
        if !entry.unpack_in(dest)? {
            bail!("unsafe path in the standard library's archive");
        }
    }
    Ok(())
}

fn is_stdlib(dir: &Path) -> bool {
    dir.join("os.py").is_file() && dir.join("encodings/__init__.py").is_file()
}
