//! Where the guest's file lookups run (stat, open, list): on the job's own
//! thread for the folders the sandbox made, in tokio's blocking pool for the project's
//! libraries (host folders of any kind), where the timeout can abandon a
//! call that never returns. Each test holds the pool's only thread, so a
//! call that waits for the pool never runs.
//!
//! Needs the interpreter (`pyloom sandbox install`); fails loudly without it.

use std::path::PathBuf;
use std::sync::mpsc;

use sandbox_wasi::{Job, Layout, Limits, Outcome, RunOutput, Sandbox, SandboxConfig, SourceFile, SourceText, cache_root};

/// Runs `script` with `libraries` mounted, on a runtime whose one
/// blocking thread is held for the whole job.
fn run_with_the_pool_held(libraries: Vec<PathBuf>, script: &str) -> RunOutput {
    let layout = Layout::new(cache_root().expect("cache root"));
    let interpreter = layout.locate().expect("interpreter missing: run `pyloom sandbox install`");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).max_blocking_threads(1).enable_all().build().unwrap();
    let limits = Limits { timeout_ms: 3_000, ..Limits::default() };
    let sandbox = runtime.block_on(async { Sandbox::new(SandboxConfig { interpreter, module_cache: layout.modules(), limits, libraries }) }).expect("sandbox");
    let workspace = tempfile::tempdir().unwrap();
    std::fs::write(workspace.path().join("module.py"), "VALUE = 41\n").unwrap();
    let job = Job {
        script: script.to_owned(),
        sources: vec![SourceFile { guest_relative: "module.py".into(), text: SourceText::File(workspace.path().join("module.py")) }],
        collect: Vec::new(),
    };
    let (release, held) = mpsc::channel::<()>();
    let (taken, pool_taken) = mpsc::channel();
    let holder = runtime.spawn_blocking(move || {
        taken.send(()).unwrap();
        held.recv().ok();
    });
    pool_taken.recv().unwrap();
    let output = runtime.block_on(sandbox.run(job)).expect("host-side failure");
    release.send(()).unwrap();
    runtime.block_on(holder).unwrap();
    output
}

#[test]
fn lookups_in_the_sandboxs_own_folders_do_not_wait_for_the_blocking_pool() {
    // What an import does before it reads a file, in the sources, the
    // standard library, pytest's site-packages and scratch: stat, list,
    // open, make a folder. (Reading and writing a file's contents still go
    // through the pool: wasmtime-wasi's file streams always do.)
    let script = "import os\n\
                  print(os.listdir('/src'), os.stat('/src/module.py').st_size)\n\
                  assert os.path.isfile('/python/fractions.py') and os.path.isdir('/site-packages/_pytest')\n\
                  assert not os.path.exists('/src/absent.py')\n\
                  os.close(os.open('/src/module.py', os.O_RDONLY))\n\
                  os.mkdir('made')\n\
                  print(sorted(os.listdir('.')))\n";
    let output = run_with_the_pool_held(Vec::new(), script);
    assert_eq!((output.outcome, output.stdout.as_str()), (Outcome::Exited(0), "['module.py'] 11\n['made']\n"), "stderr: {}", output.stderr);
}

#[test]
fn a_lookup_in_a_library_that_never_returns_is_cut_by_the_timeout() {
    // The call waits for the pool, which never frees up: the job must
    // still end, at its timeout.
    let venv = tempfile::tempdir().unwrap();
    let library = venv.path().join("site-packages");
    std::fs::create_dir_all(&library).unwrap();
    std::fs::write(library.join("purelib.py"), "X = 1\n").unwrap();
    // A lookup, which the sandbox's own folders answer on the job's thread.
    let script = format!("import os\nprint(os.stat({:?}).st_size)\n", library.join("purelib.py").display().to_string());
    let output = run_with_the_pool_held(vec![library], &script);
    assert_eq!(output.outcome, Outcome::Timeout, "stdout: {} stderr: {}", output.stdout, output.stderr);
}
