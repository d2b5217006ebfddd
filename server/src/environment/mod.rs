//! The project's Python environment, found as users expect (pyright's
//! order): the `index.python` setting, else the `index.venv` setting, else
//! `$VIRTUAL_ENV`, else `.venv` then `venv` in a workspace folder, else
//! `$CONDA_PREFIX`, else `python3` on `PATH`.
//!
//! The interpreter found is asked once, in one subprocess, for its
//! `sys.path` (so uv, poetry, pdm, hatch, conda and plain venvs all work,
//! and the `.pth` files were processed by Python itself); the answer is
//! cached on disk by the interpreter's identity ([`probe`]). An interpreter
//! that cannot run leaves the venv's `site-packages` scanned instead. The
//! editable installs whose `.pth` files run an import hook rather than name
//! a folder (setuptools' and hatch's finders) are read from their modules
//! ([`editable`]).
//!
//! Plain data, no protocol types: the caller logs [`Environment`]'s
//! `Display` and its `warnings`.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

mod editable;
mod probe;
#[cfg(test)]
mod tests;

/// Where the environment's interpreter came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundBy {
    /// The `index.python` setting (an interpreter's path).
    Setting,
    /// The `index.venv` setting (a virtualenv's folder).
    VenvSetting,
    /// `$VIRTUAL_ENV` (an activated virtualenv).
    VirtualEnvVar,
    /// A virtualenv in a workspace folder: the virtualenv's own folder
    /// (`/ws/.venv` or `/ws/venv`).
    WorkspaceVenv(PathBuf),
    /// `$CONDA_PREFIX` (an activated conda environment).
    Conda,
    /// `python3` (else `python`) on `PATH`.
    Path,
    /// Nothing: no setting, no virtualenv, no Python on `PATH`.
    None,
}

impl fmt::Display for FoundBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FoundBy::Setting => f.write_str("the `index.python` setting"),
            FoundBy::VenvSetting => f.write_str("the `index.venv` setting"),
            FoundBy::VirtualEnvVar => f.write_str("$VIRTUAL_ENV"),
            FoundBy::WorkspaceVenv(venv) => write!(f, "the workspace's virtualenv {}", venv.display()),
            FoundBy::Conda => f.write_str("$CONDA_PREFIX"),
            FoundBy::Path => f.write_str("python3 on PATH"),
            FoundBy::None => f.write_str("nothing (no setting, no virtualenv, no python3 on PATH)"),
        }
    }
}

/// Where [`Environment::search_paths`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The interpreter was run and asked.
    Interpreter,
    /// The interpreter's earlier answer, cached on disk, still valid.
    Cache,
    /// The interpreter could not run (or there is none): the virtualenv's
    /// `site-packages` folders were scanned, with their `.pth` files.
    Scan,
    /// No environment at all.
    Nothing,
}

/// The Python environment the project runs in, as its interpreter sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// The Python executable asked (or that would have been asked).
    pub interpreter: Option<PathBuf>,
    pub found_by: FoundBy,
    /// `(major, minor)`.
    pub version: Option<(u32, u32)>,
    /// `sys.prefix` (the virtualenv's folder when one was scanned).
    pub prefix: Option<PathBuf>,
    /// The interpreter's `sys.path` in order: existing folders only, without
    /// `""` (the cwd), zip files and the workspace folders themselves; then
    /// the roots of the editable installs done by import hooks.
    pub search_paths: Vec<PathBuf>,
    /// Which of `search_paths` are the standard library (under sysconfig's
    /// `stdlib` or `platstdlib`, `lib-dynload` included, `site-packages`
    /// not), so that typeshed's stubs can shadow them.
    pub stdlib: Vec<PathBuf>,
    pub origin: Origin,
    /// What went wrong on the way, a sentence each, for the log.
    pub warnings: Vec<String>,
}

impl Environment {
    /// A few words for a status bar: `Python 3.12 (.venv)`, the
    /// environment's folder name when one was chosen, `Python 3.12` for
    /// the interpreter on PATH, `no Python` when there is none.
    pub fn label(&self) -> String {
        if self.interpreter.is_none() && self.prefix.is_none() {
            return "no Python".to_owned();
        }
        let mut label = String::from("Python");
        if let Some((major, minor)) = self.version {
            label.push_str(&format!(" {major}.{minor}"));
        }
        let folder = self.prefix.as_deref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
        match (&self.found_by, folder) {
            (FoundBy::Path | FoundBy::None, _) | (_, None) => label,
            (_, Some(folder)) => format!("{label} ({folder})"),
        }
    }

    /// The search paths that are not the standard library: site-packages,
    /// `.pth` folders and editable installs' roots, in `sys.path`'s order.
    pub fn libraries(&self) -> Vec<PathBuf> {
        self.search_paths.iter().filter(|p| !self.stdlib.contains(p)).cloned().collect()
    }

    /// [`Environment::libraries`] of the project's own environment, for the
    /// sandbox to mount: none when the environment is only the machine's
    /// `python3` (its packages are not the project's, and the sandbox sees
    /// no more than it must).
    pub fn project_libraries(&self) -> Vec<PathBuf> {
        match self.found_by {
            FoundBy::Path | FoundBy::None => Vec::new(),
            _ => self.libraries(),
        }
    }
}

/// One line for the log: `Python 3.11 at /ws/.venv/bin/python, found by
/// the workspace's virtualenv /ws/.venv (asked): 5 search paths, 3 of them
/// the standard library`.
impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.origin == Origin::Nothing && self.interpreter.is_none() {
            return write!(f, "no Python environment: found by {}", self.found_by);
        }
        f.write_str("Python")?;
        if let Some((major, minor)) = self.version {
            write!(f, " {major}.{minor}")?;
        }
        match (&self.interpreter, &self.prefix) {
            (Some(python), _) => write!(f, " at {}", python.display())?,
            (None, Some(prefix)) => write!(f, " in {}", prefix.display())?,
            (None, None) => {}
        }
        let how = match self.origin {
            Origin::Interpreter => "asked",
            Origin::Cache => "cached answer",
            Origin::Scan => "interpreter did not run: site-packages scanned",
            Origin::Nothing => "interpreter did not run: nothing to scan",
        };
        write!(f, ", found by {} ({how}): {} search paths, {} of them the standard library", self.found_by, self.search_paths.len(), self.stdlib.len())
    }
}

/// The environment of a workspace with `folders`, given the `index.python`
/// (`python`) and `index.venv` (`venv`) settings; relative settings are
/// taken from the first folder. Reads `$VIRTUAL_ENV`, `$CONDA_PREFIX` and
/// `$PATH`; caches the interpreter's answer under the cache root. Never
/// fails: what went wrong is in [`Environment::warnings`].
pub fn discover(python: Option<&Path>, venv: Option<&Path>, folders: &[PathBuf]) -> Environment {
    let cache = sandbox_wasi::cache_root().ok().map(|root| root.join("environments"));
    Discovery::new(Vars::from_process(), cache).discover(python, venv, folders)
}

/// The environment variables discovery reads, passed explicitly so tests
/// never touch the process's.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vars {
    pub virtual_env: Option<OsString>,
    pub conda_prefix: Option<OsString>,
    pub path: Option<OsString>,
}

impl Vars {
    fn from_process() -> Self {
        let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
        Vars { virtual_env: var("VIRTUAL_ENV"), conda_prefix: var("CONDA_PREFIX"), path: var("PATH") }
    }
}

/// One discovery's inputs, and how many interpreters it ran (for tests).
pub(crate) struct Discovery {
    vars: Vars,
    cache: Option<PathBuf>,
    runs: AtomicUsize,
}

/// The interpreter chosen, before it is asked anything.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Choice {
    found_by: FoundBy,
    /// `None` when the virtualenv has no interpreter file at all.
    interpreter: Option<PathBuf>,
    /// The virtualenv or conda folder, scanned when the interpreter fails.
    root: Option<PathBuf>,
}

impl Discovery {
    pub(crate) fn new(vars: Vars, cache: Option<PathBuf>) -> Self {
        Discovery { vars, cache, runs: AtomicUsize::new(0) }
    }

    /// How many interpreter processes this discovery started.
    #[cfg(test)]
    pub(crate) fn runs(&self) -> usize {
        self.runs.load(Ordering::Relaxed)
    }

    pub(crate) fn discover(&self, python: Option<&Path>, venv: Option<&Path>, folders: &[PathBuf]) -> Environment {
        let mut warnings = Vec::new();
        let choice = self.choose(python, venv, folders, &mut warnings);
        let mut environment = Environment {
            interpreter: choice.interpreter.clone(),
            found_by: choice.found_by.clone(),
            version: None,
            prefix: None,
            search_paths: Vec::new(),
            stdlib: Vec::new(),
            origin: Origin::Nothing,
            warnings: Vec::new(),
        };
        let workspace: Vec<PathBuf> = folders.iter().map(|f| canonical(f)).collect();
        let answer = choice.interpreter.as_deref().and_then(|python| {
            match probe::ask(python, self.cache.as_deref(), || {
                self.runs.fetch_add(1, Ordering::Relaxed);
            }) {
                Ok(answer) => Some(answer),
                Err(error) => {
                    warnings.push(format!("{} could not be asked for its sys.path: {error}", python.display()));
                    None
                }
            }
        });
        if let Some((answer, cached)) = answer {
            environment.origin = if cached { Origin::Cache } else { Origin::Interpreter };
            environment.version = Some(answer.version);
            environment.prefix = Some(PathBuf::from(&answer.prefix));
            let stdlib_roots: Vec<PathBuf> = [&answer.stdlib, &answer.platstdlib].into_iter().flatten().map(|p| canonical(Path::new(p))).collect();
            for entry in &answer.path {
                let path = Path::new(entry);
                if entry.is_empty() || !path.is_absolute() || !path.is_dir() || workspace.contains(&canonical(path)) {
                    continue;
                }
                let path = path.to_path_buf();
                if environment.search_paths.contains(&path) {
                    continue;
                }
                let resolved = canonical(&path);
                if stdlib_roots.iter().any(|root| resolved.starts_with(root)) && !in_site_dir(&resolved) {
                    environment.stdlib.push(path.clone());
                }
                environment.search_paths.push(path);
            }
        } else if let Some(root) = &choice.root {
            environment.origin = Origin::Scan;
            environment.prefix = Some(root.clone());
            environment.version = editable::venv_version(root);
            for site in editable::scan_site_packages(root) {
                let pth = editable::pth_folders(&site);
                for path in std::iter::once(site).chain(pth) {
                    if !environment.search_paths.contains(&path) && !workspace.contains(&canonical(&path)) {
                        environment.search_paths.push(path);
                    }
                }
            }
            if choice.interpreter.is_some() {
                warnings.push(format!(
                    "scanned {}'s site-packages instead: the standard library's location and what .pth files import are not known",
                    root.display()
                ));
            } else {
                warnings.push(format!("{} has no python executable: its site-packages were scanned", root.display()));
            }
        }
        // Editable installs that hook the import system: their roots come
        // after sys.path, where their finders sit (on sys.meta_path, after
        // the path finder).
        let sites: Vec<PathBuf> = environment.search_paths.iter().filter(|p| is_site_dir(p)).cloned().collect();
        for site in sites {
            for root in editable::hooked_roots(&site) {
                if root.is_dir() && !environment.search_paths.contains(&root) && !workspace.contains(&canonical(&root)) {
                    environment.search_paths.push(root);
                }
            }
        }
        environment.warnings = warnings;
        environment
    }

    /// The interpreter to ask, in pyright's order. Settings and variables
    /// that name nothing are warned about and skipped.
    fn choose(&self, python: Option<&Path>, venv: Option<&Path>, folders: &[PathBuf], warnings: &mut Vec<String>) -> Choice {
        let base = folders.first().map(PathBuf::as_path);
        if let Some(python) = python {
            let python = absolute(python, base);
            if python.is_dir() {
                // A folder is taken for the environment it is.
                if let Some(interpreter) = interpreter_in(&python) {
                    return Choice { found_by: FoundBy::Setting, interpreter: Some(interpreter), root: Some(python) };
                }
                warnings.push(format!("the `index.python` setting names a folder without a Python interpreter, ignored: {}", python.display()));
            } else if python.is_file() {
                let root = venv_of(&python);
                return Choice { found_by: FoundBy::Setting, interpreter: Some(python), root };
            } else {
                warnings.push(format!("the `index.python` setting names no file, ignored: {}", python.display()));
            }
        }
        if let Some(venv) = venv {
            let venv = absolute(venv, base);
            if venv.is_dir() {
                return Choice { found_by: FoundBy::VenvSetting, interpreter: interpreter_in(&venv), root: Some(venv) };
            }
            warnings.push(format!("the `index.venv` setting names no folder, ignored: {}", venv.display()));
        }
        if let Some(venv) = &self.vars.virtual_env {
            // A relative `$VIRTUAL_ENV` is the shell's working folder's.
            let venv = std::env::current_dir().map_or_else(|_| PathBuf::from(venv), |cwd| normalised(&cwd.join(venv)));
            if venv.is_dir() {
                return Choice { found_by: FoundBy::VirtualEnvVar, interpreter: interpreter_in(&venv), root: Some(venv) };
            }
            warnings.push(format!("$VIRTUAL_ENV names no folder, ignored: {}", venv.display()));
        }
        for folder in folders {
            for name in [".venv", "venv"] {
                let venv = folder.join(name);
                if venv.join("pyvenv.cfg").is_file() {
                    return Choice { found_by: FoundBy::WorkspaceVenv(venv.clone()), interpreter: interpreter_in(&venv), root: Some(venv) };
                }
            }
        }
        if let Some(conda) = &self.vars.conda_prefix {
            let conda = PathBuf::from(conda);
            if conda.is_dir() {
                return Choice { found_by: FoundBy::Conda, interpreter: interpreter_in(&conda), root: Some(conda) };
            }
            warnings.push(format!("$CONDA_PREFIX names no folder, ignored: {}", conda.display()));
        }
        if let Some(python) = self.vars.path.as_ref().and_then(on_path) {
            return Choice { found_by: FoundBy::Path, interpreter: Some(python), root: None };
        }
        Choice { found_by: FoundBy::None, interpreter: None, root: None }
    }
}

/// A `site-packages` (or Debian's `dist-packages`) folder.
fn is_site_dir(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "site-packages" || name == "dist-packages")
}

/// A `site-packages` folder or a folder in one.
fn in_site_dir(path: &Path) -> bool {
    path.components().any(|part| part.as_os_str() == "site-packages" || part.as_os_str() == "dist-packages")
}

/// `path` resolved through symlinks, or as given when it cannot be.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// A setting's path: `~/` is the home folder; a relative path is taken from
/// `base` (the first workspace folder), else left as it is.
fn absolute(path: &Path, base: Option<&Path>) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(home) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))
    {
        return PathBuf::from(home).join(rest);
    }
    match base {
        Some(base) if path.is_relative() => normalised(&base.join(path)),
        _ => normalised(path),
    }
}

/// `path` without `.` and `..` segments (a folder's `..` is its parent, as
/// the shell reads a typed path), so that logs and `pyloom environment`
/// name the folder plainly.
fn normalised(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The interpreter of a virtualenv or conda environment: `bin/python`
/// (Unix) or `Scripts/python.exe` (a Windows venv) or `python.exe` (a
/// Windows conda environment); a dangling link counts as none.
fn interpreter_in(env: &Path) -> Option<PathBuf> {
    ["bin/python", "bin/python3", "Scripts/python.exe", "python.exe"].into_iter().map(|p| env.join(p)).find(|p| p.is_file())
}

/// The virtualenv an interpreter sits in (`<venv>/bin/python`), if any.
fn venv_of(python: &Path) -> Option<PathBuf> {
    python.ancestors().skip(1).take(2).find(|dir| dir.join("pyvenv.cfg").is_file() || dir.join("conda-meta").is_dir()).map(Path::to_owned)
}

/// `python3`, else `python`, in the folders of a `PATH` value.
fn on_path(path: &OsString) -> Option<PathBuf> {
    let names: &[&str] = if cfg!(windows) { &["python3.exe", "python.exe"] } else { &["python3", "python"] };
    names.iter().find_map(|name| std::env::split_paths(path).map(|dir| dir.join(name)).find(|candidate| is_executable(candidate)))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}
