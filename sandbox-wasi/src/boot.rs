//! The Python every interpreter is started with (`python -c BOOT`).

use std::path::PathBuf;

use crate::runtime::{GUEST_SCRATCH, GUEST_SITE_PACKAGES, GUEST_SOURCES};

/// Explains failed imports of compiled extension modules.
const COMPILED_GUARD: &str = include_str!("compiled_guard.py");

/// Sets up paths and limits, runs the prelude, then serves jobs read from
/// stdin (see `job_input`), each executed in the prelude's namespace (so a
/// job can call what the prelude defined). A job that ends with status 0
/// is followed by the next one, if the host hands over another; the first
/// other status, or the end of the stream, ends the interpreter with it.
/// Jobs see an empty `sys.stdin` (the real one carries the jobs).
///
/// It ends with `os._exit` instead of a normal exit: finalizing the
/// interpreter tears down every module the prelude imported, which under
/// wasm costs more than the job itself (about 170 ms with `doctest` and
/// `unittest` loaded, against 3 ms for `os._exit`). What a job can observe is
/// kept as `python -c` has it: the exit status of `SystemExit`, the
/// traceback of an uncaught exception (status 1), `atexit` handlers, flushed
/// `sys.stdout`/`sys.stderr`. Skipped are `__del__` finalizers and the
/// flushing of files the job left open. `sys` and `os` are bound as
/// arguments so a job that rebinds those names cannot break the epilogue.
///
/// `libraries` (the project's site-packages, mounted at their own paths)
/// come after the sources and pytest on `sys.path`; their `.pth` files are
/// not processed (no `site` run for them), so they add nothing else.
pub(crate) fn script(prelude: &str, recursion_limit: u32, libraries: &[PathBuf]) -> String {
    let paths: Vec<String> = [GUEST_SOURCES.to_owned(), GUEST_SITE_PACKAGES.to_owned()]
        .into_iter()
        .chain(libraries.iter().map(|library| library.to_string_lossy().into_owned()))
        .collect();
    // A JSON list of strings is also a Python list literal.
    let paths = serde_json::to_string(&paths).unwrap_or_else(|_| "[]".to_owned());
    format!(
        "import sys, os, atexit\n\
         os.chdir({GUEST_SCRATCH:?})\n\
         sys.path[:0] = {paths}\n\
         sys.setrecursionlimit({recursion_limit})\n\
         {COMPILED_GUARD}\n\
         {prelude}\n\
         def _pyloom_serve(sys=sys, os=os, atexit=atexit):\n\
         \x20   def flush():\n\
         \x20       for stream in (sys.stdout, sys.stderr):\n\
         \x20           try:\n\
         \x20               stream.flush()\n\
         \x20           except Exception:\n\
         \x20               pass\n\
         \x20   jobs = sys.stdin.detach()\n\
         \x20   sys.stdin = sys.__stdin__ = __import__('io').StringIO()\n\
         \x20   status = 0\n\
         \x20   while status == 0:\n\
         \x20       header = jobs.readline()\n\
         \x20       if not header:\n\
         \x20           break\n\
         \x20       job = jobs.read(int(header))\n\
         \x20       try:\n\
         \x20           exec(compile(job, '<pyloom-job>', 'exec'), globals())\n\
         \x20       except SystemExit as exit:\n\
         \x20           status = 0 if exit.code is None else exit.code\n\
         \x20           if not isinstance(status, int):\n\
         \x20               print(status, file=sys.stderr)\n\
         \x20               status = 1\n\
         \x20       except BaseException:\n\
         \x20           sys.excepthook(*sys.exc_info())\n\
         \x20           status = 1\n\
         \x20       flush()\n\
         \x20   atexit._run_exitfuncs()\n\
         \x20   flush()\n\
         \x20   os._exit(status)\n\
         _pyloom_serve()\n"
    )
}
