//! Asking an interpreter for its `sys.path`: one `python -I -c SCRIPT`
//! with no stdin and a time limit, its answer cached on disk by the
//! interpreter's identity.
//!
//! The cache file's name is a hash of the interpreter's path as given, its
//! resolved path, and the modification time and size of both the link and
//! the executable (a recreated venv has a new link). The entry records the
//! modification times of the site-packages folders the answer named:
//! installing or removing a package adds or removes a folder, `.dist-info`
//! or `.pth` there, which changes them, so the interpreter is asked again.
//!
//! A wrapper script (a `pyenv` or `asdf` shim, whose target changes with
//! `pyenv local 3.12` or `$PYENV_VERSION` while the shim stays the same
//! file) is cached with what such wrappers choose by: their version
//! variables and the `.python-version`/`.tool-versions` files from the
//! working directory up and in pyenv's root.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long an interpreter may take to answer.
const TIMEOUT: Duration = Duration::from_secs(5);

/// What the interpreter prints before its JSON line, so anything a
/// `sitecustomize` prints is skipped.
const MARKER: &str = "PYLOOM-ENVIRONMENT ";

/// Runs under `-I` (isolated: no `PYTHON*` variables, no user site, no
/// script folder on `sys.path`), so the answer is the environment's own.
const SCRIPT: &str = "import json, sys, sysconfig
paths = sysconfig.get_paths()
print('PYLOOM-ENVIRONMENT ' + json.dumps({
    'executable': sys.executable,
    'prefix': sys.prefix,
    'version': list(sys.version_info[:2]),
    'path': sys.path,
    'stdlib': paths.get('stdlib'),
    'platstdlib': paths.get('platstdlib'),
    'purelib': paths.get('purelib'),
    'platlib': paths.get('platlib'),
}))
";

/// The interpreter's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Answer {
    pub executable: String,
    pub prefix: String,
    pub version: (u32, u32),
    pub path: Vec<String>,
    pub stdlib: Option<String>,
    pub platstdlib: Option<String>,
    pub purelib: Option<String>,
    pub platlib: Option<String>,
}

impl Answer {
    /// The folders whose changes invalidate the answer: its site-packages.
    fn sites(&self) -> Vec<PathBuf> {
        let mut sites: Vec<PathBuf> = self
            .path
            .iter()
            .map(PathBuf::from)
            .filter(|p| super::is_site_dir(p))
            .chain([&self.purelib, &self.platlib].into_iter().flatten().map(PathBuf::from))
            .collect();
        sites.sort();
        sites.dedup();
        sites
    }
}

/// A cached answer and what it depends on.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    identity: String,
    answer: Answer,
    /// Each site-packages folder and its modification time (nanoseconds
    /// since the epoch; `None` when it did not exist).
    sites: Vec<(PathBuf, Option<u128>)>,
}

/// The interpreter's answer, from the cache in `cache` when it is still
/// valid (`true`), else by running it (`false`, calling `started` first).
pub(super) fn ask(python: &Path, cache: Option<&Path>, started: impl FnOnce()) -> Result<(Answer, bool), String> {
    let mut identity = identity(python)?;
    if is_script(python) {
        identity.push_str(&wrapper_state());
    }
    let file = cache.map(|dir| dir.join(format!("{}.json", hex(&Sha256::digest(identity.as_bytes())[..16]))));
    if let Some(file) = &file
        && let Ok(text) = std::fs::read(file)
        && let Ok(entry) = serde_json::from_slice::<Entry>(&text)
        && entry.identity == identity
        && entry.sites.iter().all(|(site, mtime)| modified(site) == *mtime)
    {
        return Ok((entry.answer, true));
    }
    started();
    let answer = run(python)?;
    if let Some(file) = &file {
        let sites = answer.sites().into_iter().map(|site| (modified(&site), site)).map(|(m, s)| (s, m)).collect();
        let entry = Entry { identity, answer: answer.clone(), sites };
        if let Err(e) = write_atomically(file, &serde_json::to_vec(&entry).map_err(|e| e.to_string())?) {
            tracing::debug!("environment cache not written ({}): {e}", file.display());
        }
    }
    Ok((answer, false))
}

/// The interpreter's identity: the path as given and resolved, and the
/// modification time and size of each.
fn identity(python: &Path) -> Result<String, String> {
    let link = std::fs::symlink_metadata(python).map_err(|e| format!("{e}"))?;
    let resolved = std::fs::canonicalize(python).map_err(|e| format!("{e}"))?;
    let target = std::fs::metadata(&resolved).map_err(|e| format!("{e}"))?;
    let stamp = |m: &std::fs::Metadata| nanos(m.modified().ok());
    Ok(format!(
        "{}\n{}\n{:?} {}\n{:?} {}",
        std::path::absolute(python).unwrap_or_else(|_| python.to_owned()).display(),
        resolved.display(),
        stamp(&link),
        link.len(),
        stamp(&target),
        target.len()
    ))
}

/// What version managers' shims choose the interpreter by.
fn wrapper_state() -> String {
    let mut state = String::new();
    for variable in ["PYENV_VERSION", "PYENV_ROOT", "ASDF_PYTHON_VERSION"] {
        state.push_str(&format!("\n{variable}={}", std::env::var(variable).unwrap_or_default()));
    }
    let pyenv_root = std::env::var_os("PYENV_ROOT").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
    let mut files: Vec<PathBuf> = pyenv_root.map(|r| r.join("version")).into_iter().collect();
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            files.extend([dir.join(".python-version"), dir.join(".tool-versions")]);
        }
    }
    for file in files {
        if let Ok(text) = std::fs::read_to_string(&file) {
            state.push_str(&format!("\n{}: {}", file.display(), text.trim()));
        }
    }
    state
}

/// Whether the interpreter is a script (`#!`) that runs another one.
fn is_script(python: &Path) -> bool {
    let mut start = [0u8; 2];
    std::fs::File::open(python).and_then(|mut f| f.read_exact(&mut start)).is_ok_and(|_| &start == b"#!")
}

fn modified(path: &Path) -> Option<u128> {
    nanos(std::fs::metadata(path).ok()?.modified().ok())
}

fn nanos(time: Option<SystemTime>) -> Option<u128> {
    time?.duration_since(SystemTime::UNIX_EPOCH).ok().map(|d| d.as_nanos())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a temporary file beside `file`, then renames it into place, so a
/// reader never sees half an entry.
fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// Runs the interpreter on [`SCRIPT`] and reads its answer.
fn run(python: &Path) -> Result<Answer, String> {
    let mut command = Command::new(python);
    // Its own process group: a wrapper that hangs is ended with what it started.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .args(["-I", "-c", SCRIPT])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start it: {e}"))?;
    let started = Instant::now();
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < TIMEOUT => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                #[cfg(unix)]
                if let Ok(group) = i32::try_from(child.id()) {
                    // SAFETY: a plain signal to the group this function made.
                    unsafe { libc::kill(-group, libc::SIGKILL) };
                }
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no answer within {} s", TIMEOUT.as_secs()));
            }
            Err(e) => return Err(format!("cannot wait for it: {e}")),
        }
    };
    // The pipes close when the process ends (unless it left a child
    // holding them: then what arrived in time is all there is).
    let remaining = TIMEOUT.saturating_sub(started.elapsed()).max(Duration::from_millis(100));
    let stdout = stdout.recv_timeout(remaining).unwrap_or_default();
    let stderr = stderr.recv_timeout(Duration::from_millis(100)).unwrap_or_default();
    if !status.success() {
        let said = String::from_utf8_lossy(&stderr);
        let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        return Err(format!("it exited with {status}{}{last}", if last.is_empty() { "" } else { ": " }));
    }
    parse(&String::from_utf8_lossy(&stdout))
}

/// Reads a pipe to its end on a thread.
fn drain(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (sender, receiver) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            let _ = sender.send(bytes);
        });
    }
    receiver
}

/// The answer in the interpreter's output: the line after the marker.
pub(super) fn parse(output: &str) -> Result<Answer, String> {
    let line = output.lines().find_map(|line| line.strip_prefix(MARKER)).ok_or("it printed no answer")?;
    serde_json::from_str(line).map_err(|e| format!("its answer is unreadable: {e}"))
}
