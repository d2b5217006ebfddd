//! The Python each job's script is run with, in the guest app's namespace
//! (see `guest_app.py`, which the component was built from).

use std::path::PathBuf;

use crate::runtime::{GUEST_SCRATCH, GUEST_SITE_PACKAGES, GUEST_SOURCES};

/// Puts the job in its place (working directory, `sys.path`, recursion
/// limit), then runs `script`. Jobs see an empty `sys.stdin`.
///
/// `libraries` (the project's site-packages, mounted at their own paths)
/// come after the sources and pytest on `sys.path`; their `.pth` files are
/// not processed (no `site` run for them), so they add nothing else.
pub(crate) fn job_script(script: &str, recursion_limit: u32, libraries: &[PathBuf]) -> String {
    let paths: Vec<String> = [GUEST_SOURCES.to_owned(), GUEST_SITE_PACKAGES.to_owned()]
        .into_iter()
        .chain(libraries.iter().map(|library| library.to_string_lossy().into_owned()))
        .collect();
    // A JSON list of strings is also a Python list literal.
    let paths = serde_json::to_string(&paths).unwrap_or_else(|_| "[]".to_owned());
    format!(
        "import sys, os\n\
         os.chdir({GUEST_SCRATCH:?})\n\
         sys.path[:0] = {paths}\n\
         sys.setrecursionlimit({recursion_limit})\n\
         {script}"
    )
}
