//! Building the interpreter component: componentize-py pre-initialises
//! CPython with the guest app (`guest_app.py` around the caller's prelude)
//! and pytest imported, and writes the snapshot as a WASI preview 2
//! component that exports `run(script) -> s32`.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::runtime::GUEST_SITE_PACKAGES;

/// The component's world: an export that runs a job's script, an import
/// that says whether the host refused the last file-stream write for the
/// disk quota (see `quota_calls`), and one that says which part of the job
/// the guest now works for, each part having its own time limit (see
/// `clock`).
pub(crate) const WORLD: &str = "package pyloom:sandbox;\n\nworld runner {\n  import write-refused: func() -> bool;\n  import lap: func(part: u32);\n  export run: func(script: string) -> s32;\n}\n";
/// The guest app around the prelude.
const GUEST_APP: &str = include_str!("guest_app.py");
/// Explains failed imports of compiled extension modules.
const COMPILED_GUARD: &str = include_str!("compiled_guard.py");
/// The app's module name.
const APP_MODULE: &str = "pyloom_app";
/// Where the build sees pytest's site-packages: componentize-py mounts its
/// `-p` folders at `/0`, `/1`, ... in order, and the app is the first.
const BUILD_SITE_PACKAGES: &str = "/1";

/// The app's source with `prelude` in it.
pub(crate) fn app(prelude: &str) -> String {
    let mounts = format!("_BUILD_MOUNTS = {{{GUEST_SITE_PACKAGES:?}: {BUILD_SITE_PACKAGES:?}}}");
    GUEST_APP.replacen("_BUILD_MOUNTS = {}", &mounts, 1).replacen("# PYLOOM-GUARD\n", COMPILED_GUARD, 1).replacen("# PYLOOM-PRELUDE\n", prelude, 1)
}

/// Builds the component into `output` with the unpacked componentize-py
/// wheel in `componentize_py`, working in `build_dir`.
pub(crate) fn build(prelude: &str, componentize_py: &Path, site_packages: &Path, build_dir: &Path, output: &Path) -> Result<()> {
    if build_dir.exists() {
        fs::remove_dir_all(build_dir)?;
    }
    let app_dir = build_dir.join("app");
    fs::create_dir_all(&app_dir)?;
    fs::write(app_dir.join(format!("{APP_MODULE}.py")), app(prelude))?;
    let world = build_dir.join("runner.wit");
    fs::write(&world, WORLD)?;
    // componentize-py adds the active virtualenv's site-packages (else the
    // host Python's) to the build: an empty one keeps the host's out.
    let no_venv = build_dir.join("venv");
    fs::create_dir_all(no_venv.join("lib/python3.14/site-packages"))?;
    let staged = output.with_extension("wasm.partial");
    let python = std::env::var_os("PYLOOM_HOST_PYTHON").unwrap_or_else(|| "python3".into());
    let launcher =
        "import sys\nsys.path.insert(0, sys.argv.pop(1))\nimport componentize_py\nsys.argv[0] = 'componentize-py'\nsys.exit(componentize_py.script())";
    let result = Command::new(&python)
        .arg("-c")
        .arg(launcher)
        .arg(componentize_py)
        .arg("-q")
        .arg("-d")
        .arg(&world)
        .args(["-w", "runner", "componentize", "-p"])
        .arg(&app_dir)
        .arg("-p")
        .arg(site_packages)
        .arg(APP_MODULE)
        .arg("-o")
        .arg(&staged)
        .env("VIRTUAL_ENV", &no_venv)
        .env_remove("PYTHONPATH")
        .current_dir(build_dir)
        .output()
        .with_context(|| format!("running componentize-py with {}", python.to_string_lossy()))?;
    if !result.status.success() {
        bail!(
            "componentize-py failed to build the interpreter component:\n{}{}",
            String::from_utf8_lossy(&result.stdout).trim(),
            String::from_utf8_lossy(&result.stderr).trim()
        );
    }
    fs::rename(&staged, output).with_context(|| format!("moving the component to {}", output.display()))?;
    Ok(())
}
