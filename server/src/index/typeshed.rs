//! Installing and locating typeshed's stubs, fetched with the ordinary
//! client like the sandbox's interpreter, verified by SHA-256 and kept
//! under the user's cache directory:
//! - the standard library's (`stdlib`), as bundled in the `typeshed_client`
//!   wheel on PyPI (MIT; the stubs themselves are typeshed's, Apache-2.0
//!   and MIT);
//! - the third-party stubs (`stubs/<distribution>/`, what `types-*`
//!   packages hold), as bundled in the `basedpyright` wheel (MIT), which
//!   carries typeshed whole as pyright does.
//!
//! Inference reads them when they are there (see `graph::Library`); without
//! them everything works as before, inference stopping at the standard
//! library and at untyped packages.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// One folder of typeshed, as one wheel carries it.
struct Bundle {
    /// What the log calls it.
    what: &'static str,
    /// Its folder under the cache's `typeshed/`.
    name: &'static str,
    wheel: &'static str,
    /// The wheel's SHA-256; anything else is rejected.
    sha256: &'static str,
    /// Where the folder is inside the wheel.
    inside: &'static str,
    /// The wheel's licence file, kept beside the stubs.
    licence: &'static str,
}

const STDLIB: Bundle = Bundle {
    what: "standard-library stubs",
    name: "stdlib",
    wheel: "typeshed-client==2.8.2",
    sha256: "4cf886d976c777689cd31889f13abf5bfb7797c82519b07e5969e541380c75ee",
    inside: "typeshed_client/typeshed",
    licence: "typeshed_client-2.8.2.dist-info/licenses/LICENSE",
};

const THIRD_PARTY: Bundle = Bundle {
    what: "third-party stubs",
    name: "stubs",
    wheel: "basedpyright==1.40.2",
    sha256: "3a53aeb93a86675ded0e12bc27bd8476c1742356de07ad8cab67bff18110c690",
    inside: "basedpyright/dist/typeshed-fallback/stubs",
    licence: "basedpyright/dist/typeshed-fallback/LICENSE",
};

/// The standard library's stubs' directory under the cache root.
pub fn location() -> Result<PathBuf> {
    bundle_location(&STDLIB)
}

fn bundle_location(bundle: &Bundle) -> Result<PathBuf> {
    Ok(sandbox_wasi::cache_root()?.join("typeshed").join(bundle.name))
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

/// The standard library's stubs' folder, when they are installed.
pub fn installed() -> Option<PathBuf> {
    installed_bundle(&STDLIB)
}

/// typeshed's third-party stubs' folder (`stubs/<distribution>/`), when
/// they are installed.
pub fn third_party_installed() -> Option<PathBuf> {
    installed_bundle(&THIRD_PARTY)
}

fn installed_bundle(bundle: &Bundle) -> Option<PathBuf> {
    let dir = bundle_location(bundle).ok()?;
    if marker(&dir).is_file() {
        return Some(dir);
    }
    tracing::debug!("no {} at {}", bundle.what, dir.display());
    None
}

/// Installs the stubs that are not there yet. Safe to run again.
pub fn install(mut log: impl FnMut(&str)) -> Result<()> {
    for bundle in [&STDLIB, &THIRD_PARTY] {
        install_bundle(bundle, &mut log)?;
    }
    Ok(())
}

fn install_bundle(bundle: &Bundle, log: &mut impl FnMut(&str)) -> Result<PathBuf> {
    let dir = bundle_location(bundle)?;
    if marker(&dir).is_file() {
        log(&format!("{} already installed: {}", bundle.what, dir.display()));
        return Ok(dir);
    }
    let parent = dir.parent().context("the stubs' directory has no parent")?;
    // Scratch space beside the destination: the final move is a rename.
    let scratch = parent.join(format!(".install-{}-{}", bundle.name, std::process::id()));
    let result = fetch(bundle, &scratch, &dir, log);
    let _ = fs::remove_dir_all(&scratch);
    result?;
    Ok(dir)
}

/// Downloads and verifies the bundle's wheel into `scratch`, unpacks it
/// there, and moves its stubs to `dir`.
fn fetch(bundle: &Bundle, scratch: &Path, dir: &Path, log: &mut impl FnMut(&str)) -> Result<()> {
    let (download, unpacked) = (scratch.join("download"), scratch.join("unpacked"));
    fs::create_dir_all(&download).with_context(|| format!("creating {}", download.display()))?;
    log(&format!("downloading {} with pip", bundle.wheel));
    let wheels = sandbox_wasi::pip_download(&[bundle.wheel], &download)?;
    let wheel = wheels.first().context("pip downloaded no wheel")?;
    let actual = sandbox_wasi::sha256_file(wheel)?;
    if actual != bundle.sha256 {
        bail!("{} has SHA-256 {actual}, expected {}; refusing to install it", wheel.display(), bundle.sha256);
    }
    sandbox_wasi::unpack_all(wheel, &unpacked)?;
    let stubs = unpacked.join(bundle.inside);
    let count = count_stubs(&stubs).with_context(|| format!("reading {}", stubs.display()))?;
    if count == 0 {
        bail!("{} holds no {}/*.pyi", bundle.wheel, bundle.inside);
    }
    let package = bundle.wheel.split("==").next().unwrap_or(bundle.wheel);
    fs::rename(unpacked.join(bundle.licence), stubs.join(format!("LICENSE.{package}"))).context("keeping the licence")?;
    fs::write(marker(&stubs), bundle.wheel)?;
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing the incomplete {}", dir.display()))?;
    }
    fs::rename(&stubs, dir).with_context(|| format!("moving the stubs to {}", dir.display()))?;
    log(&format!("installed {count} {} files into {}", bundle.what, dir.display()));
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
