//! The escape and exhaustion suite: each test runs hostile Python in the
//! real interpreter, checks it was contained, and checks the sandbox still
//! runs the next job normally.
//!
//! Needs the interpreter (`pyloom sandbox install`); fails loudly without it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use sandbox_wasi::{Job, Layout, Limits, Outcome, RunOutput, Sandbox, SandboxConfig, SourceFile, SourceText, cache_root};

const SECRET: &str = "sk-pyloom-test-0123456789";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    sandbox: Arc<Sandbox>,
    workspace: tempfile::TempDir,
    /// A virtualenv-like folder around a mounted site-packages (`library`),
    /// with a file beside it that must stay invisible.
    venv: tempfile::TempDir,
}

impl Fixture {
    fn library(&self) -> PathBuf {
        self.venv.path().join("lib/python3.12/site-packages")
    }
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        // An API key in the host environment must stay invisible to the guest.
        // SAFETY: set once, before any thread of this test binary reads the environment concurrently.
        unsafe { std::env::set_var("PYLOOM_TEST_API_KEY", SECRET) };
        let root = cache_root().expect("cache root");
        let layout = Layout::new(&root);
        let interpreter = layout.locate().expect("interpreter missing: run `pyloom sandbox install`");
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let limits = Limits { timeout_ms: 4_000, memory_bytes: 96 << 20, output_bytes: 64 << 10, disk_bytes: 1 << 20, recursion_limit: 1_000 };
        let venv = tempfile::tempdir().unwrap();
        let library = venv.path().join("lib/python3.12/site-packages");
        std::fs::create_dir_all(library.join("purelib")).unwrap();
        std::fs::write(library.join("purelib/__init__.py"), "def double(x):\n    return 2 * x\n").unwrap();
        std::fs::create_dir_all(library.join("fastlib")).unwrap();
        std::fs::write(library.join("fastlib/__init__.py"), "from ._speedups import triple\n").unwrap();
        std::fs::write(library.join("fastlib/_speedups.cpython-312-x86_64-linux-gnu.so"), b"\x7fELF not really").unwrap();
        // A .pth file runs code at start-up under `site`; the sandbox must not.
        std::fs::write(library.join("evil.pth"), "import builtins; builtins.PTH_RAN = True\n").unwrap();
        std::os::unix::fs::symlink("/etc", library.join("etc_link")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", library.join("passwd_link.py")).unwrap();
        std::os::unix::fs::symlink("../../../outside.txt", library.join("outside_link.txt")).unwrap();
        std::fs::write(venv.path().join("outside.txt"), SECRET).unwrap();
        let sandbox = runtime
            .block_on(async { Sandbox::new(SandboxConfig { interpreter, module_cache: layout.modules(), limits, libraries: vec![library.clone()] }) })
            .map(Arc::new)
            .expect("sandbox");
        let workspace = tempfile::tempdir().unwrap();
        std::fs::write(workspace.path().join("module.py"), "VALUE = 41\n").unwrap();
        Fixture { runtime, sandbox, workspace, venv }
    })
}

fn run_with(script: &str, collect: &[&str]) -> RunOutput {
    let fixture = fixture();
    let job = Job {
        script: script.to_owned(),
        sources: vec![SourceFile { guest_relative: "module.py".into(), text: SourceText::File(fixture.workspace.path().join("module.py")) }],
        collect: collect.iter().map(PathBuf::from).collect(),
    };
    let output = fixture.runtime.block_on(fixture.sandbox.run(job)).expect("host-side failure");
    assert_healthy();
    output
}

fn run(script: &str) -> RunOutput {
    run_with(script, &[])
}

/// The next run after anything hostile still works.
fn assert_healthy() {
    let fixture = fixture();
    let job = Job {
        script: "import module\nprint(module.VALUE + 1)\n".into(),
        sources: vec![SourceFile { guest_relative: "module.py".into(), text: SourceText::File(fixture.workspace.path().join("module.py")) }],
        collect: vec![],
    };
    let output = fixture.runtime.block_on(fixture.sandbox.run(job)).expect("host-side failure");
    assert_eq!((output.outcome, output.stdout.as_str()), (Outcome::Exited(0), "42\n"), "stderr: {}", output.stderr);
}

/// Runs `attempt` (Python statements) and expects it to raise: prints
/// `contained: <exception>` or `ESCAPED: <result>`.
fn assert_contained(attempt: &str) {
    let indented: String = attempt.lines().map(|line| format!("    {line}\n")).collect();
    let script =
        format!("try:\n{indented}    print('ESCAPED:', repr(result)[:200])\nexcept BaseException as error:\n    print('contained:', type(error).__name__)\n");
    let output = run(&script);
    assert_eq!(output.outcome, Outcome::Exited(0), "stderr: {}", output.stderr);
    assert!(output.stdout.starts_with("contained:"), "not contained: {}{}", output.stdout, output.stderr);
}

#[test]
fn host_files_are_invisible() {
    assert_contained("result = open('/etc/passwd').read()");
    assert_contained("result = open('/etc/hostname').read()");
    assert_contained("import os\nresult = os.listdir('/home')");
}

#[test]
fn path_traversal_stays_in_scratch() {
    assert_contained("result = open('/scratch/../etc/passwd').read()");
    assert_contained("result = open('../../../../../../etc/passwd').read()");
    assert_contained("result = open('/src/../../etc/passwd').read()");
}

#[test]
fn symlinks_out_of_scratch_are_useless() {
    assert_contained("import os\nos.symlink('/etc/passwd', '/scratch/abs')\nresult = open('/scratch/abs').read()");
    assert_contained("import os\nos.symlink('../../../etc/passwd', '/scratch/rel')\nresult = open('/scratch/rel').read()");
    // A link the guest leaves behind is not followed when the host collects results.
    let output = run_with("import os\ntry:\n    os.symlink('/etc/passwd', 'results.json')\nexcept OSError:\n    pass\n", &["results.json"]);
    assert_eq!(output.outcome, Outcome::Exited(0));
    assert!(output.collected.is_empty(), "collected through a symlink: {:?}", output.collected);
}

#[test]
fn sources_are_read_only() {
    assert_contained("result = open('/src/module.py', 'w').write('VALUE = 0')");
    assert_contained("import os\nos.remove('/src/module.py')\nresult = 'removed'");
    assert_contained("result = open('/src/new.py', 'x').write('x')");
    let host = std::fs::read_to_string(fixture().workspace.path().join("module.py")).unwrap();
    assert_eq!(host, "VALUE = 41\n");
}

#[test]
fn mounted_libraries_are_importable_and_nothing_more() {
    let fixture = fixture();
    let library = fixture.library().display().to_string();
    let venv = fixture.venv.path().display().to_string();
    // Pure Python imports from its own path; .pth files are not run.
    let output = run("import purelib, builtins\nprint(purelib.double(21), purelib.__file__, hasattr(builtins, 'PTH_RAN'))\n");
    assert_eq!(output.stdout, format!("42 {library}/purelib/__init__.py False\n"), "stderr: {}", output.stderr);
    // Read-only: no new files, no changes, no removals.
    assert_contained(&format!("result = open('{library}/purelib/__init__.py', 'w').write('x')"));
    assert_contained(&format!("result = open('{library}/new.py', 'x').write('x')"));
    assert_contained(&format!("import os\nos.remove('{library}/evil.pth')\nresult = 'removed'"));
    assert_contained(&format!("import os\nos.mkdir('{library}/d')\nresult = 'made'"));
    // Symlinks out of site-packages lead nowhere, absolute or relative.
    assert_contained(&format!("result = open('{library}/etc_link/passwd').read()"));
    assert_contained(&format!("result = open('{library}/passwd_link.py').read()"));
    assert_contained("import passwd_link\nresult = passwd_link");
    assert_contained(&format!("result = open('{library}/outside_link.txt').read()"));
    // The folders around the mount stay invisible.
    assert_contained(&format!("result = open('{venv}/outside.txt').read()"));
    assert_contained(&format!("result = open('{library}/../../../outside.txt').read()"));
    assert_contained(&format!("import os\nresult = os.listdir('{venv}')"));
    let host = std::fs::read_to_string(fixture.library().join("purelib/__init__.py")).unwrap();
    assert_eq!(host, "def double(x):\n    return 2 * x\n");
}

#[test]
fn pytest_imports_from_bytecode_compiled_at_install_and_stays_read_only() {
    // `pyloom sandbox install` compiles the bytecode in the guest; a run
    // finds it valid for the sources it sees (same magic, timestamp, size).
    let output = run("import importlib.util, struct, _pytest.python as module\n\
         with open(module.__spec__.cached, 'rb') as pyc:\n    \
             magic, flags, mtime, size = struct.unpack('<4sIII', pyc.read(16))\n\
         source = os.stat(module.__file__)\n\
         print(magic == importlib.util.MAGIC_NUMBER, flags, mtime == int(source.st_mtime) & 0xFFFFFFFF, size == source.st_size)\n");
    assert_eq!(output.stdout, "True 0 True True\n", "stderr: {}", output.stderr);
    // Jobs still see the packages read-only, bytecode included.
    assert_contained("result = open('/site-packages/pytest/__init__.py', 'a').write('x')");
    assert_contained("import _pytest.python as module\nresult = open(module.__spec__.cached, 'wb').write(b'x')");
    assert_contained("import os\nos.mkdir('/site-packages/pytest/__pycache__/new')\nresult = 'made'");
}

#[test]
fn compiled_extensions_fail_with_a_clear_import_error() {
    let output = run("try:\n    import fastlib\nexcept ImportError as error:\n    print(type(error).__name__, error)\n");
    assert_eq!(output.outcome, Outcome::Exited(0), "stderr: {}", output.stderr);
    let so = fixture().library().join("fastlib/_speedups.cpython-312-x86_64-linux-gnu.so");
    assert_eq!(
        output.stdout,
        format!(
            "ImportError cannot import fastlib._speedups: {} is a compiled extension module (package 'fastlib'); \
             the sandbox runs Python compiled to WebAssembly, which cannot load native code, so only pure-Python \
             packages can be imported\n",
            so.display()
        )
    );
    // A module that exists nowhere still reads as missing.
    let output = run("import no_such_module_anywhere\n");
    assert!(output.stderr.contains("ModuleNotFoundError: No module named 'no_such_module_anywhere'"), "stderr: {}", output.stderr);
}

#[test]
fn no_network() {
    assert_contained("import socket\nresult = socket.create_connection(('93.184.216.34', 80), timeout=1)");
    assert_contained("import socket\nresult = socket.getaddrinfo('example.com', 80)");
    assert_contained("import urllib.request\nresult = urllib.request.urlopen('http://example.com', timeout=1).read()");
}

#[test]
fn no_processes() {
    assert_contained("import subprocess\nresult = subprocess.run(['ls', '/'], capture_output=True)");
    assert_contained("import os\nresult = os.system('echo hi')");
    assert_contained("import os\nresult = os.fork()");
}

#[test]
fn host_environment_is_invisible() {
    let output = run("import os\nprint(dict(os.environ))\nprint(os.environ.get('PYLOOM_TEST_API_KEY'))\n");
    assert_eq!(output.outcome, Outcome::Exited(0), "stderr: {}", output.stderr);
    assert!(!output.stdout.contains(SECRET), "secret leaked: {}", output.stdout);
    assert_eq!(output.stdout, "{}\nNone\n");
}

#[test]
fn busy_loop_times_out() {
    assert_eq!(run("while True:\n    pass\n").outcome, Outcome::Timeout);
}

#[test]
fn sleeping_forever_times_out() {
    assert_eq!(run("import time\ntime.sleep(10_000)\n").outcome, Outcome::Timeout);
}

#[test]
fn memory_bomb_hits_the_cap() {
    assert_eq!(run("chunks = []\nwhile True:\n    chunks.append(bytearray(1 << 20))\n").outcome, Outcome::MemoryLimit);
    assert_eq!(run("data = b'x' * (1 << 30)\n").outcome, Outcome::MemoryLimit);
}

#[test]
fn output_flood_is_truncated() {
    // 1 GB if nothing stopped it.
    let output = run("import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(chunk)\n");
    assert_eq!(output.outcome, Outcome::OutputLimit);
    assert!(output.output_truncated);
    assert_eq!(output.stdout.len(), 64 << 10);
}

#[test]
fn filling_the_disk_hits_the_quota() {
    let output = run("with open('/scratch/fill', 'wb') as f:\n    while True:\n        f.write(b'x' * 65536)\n");
    assert_eq!(output.outcome, Outcome::DiskLimit, "stderr: {}", output.stderr);
    let output = run("import os\nfor i in range(100_000):\n    open(f'/scratch/f{i}', 'w').close()\n");
    assert_eq!(output.outcome, Outcome::DiskLimit, "stderr: {}", output.stderr);
}

#[test]
fn the_disk_quota_refuses_each_write_that_would_pass_it() {
    // Whatever way a file grows, a call that would pass the 1 MiB quota is
    // refused whole: nothing of it reaches the disk, however fast it came.
    let grow = "import errno, os\nfd = os.open('/scratch/big', os.O_WRONLY | os.O_CREAT)\n\
        for grow in (lambda: os.write(fd, b'x' * (2 << 20)), lambda: os.pwrite(fd, b'x', 2 << 20), lambda: os.ftruncate(fd, 2 << 20)):\n\
        \x20   try:\n\
        \x20       grow()\n\
        \x20   except OSError as error:\n\
        \x20       print(errno.errorcode[error.errno], os.fstat(fd).st_size)\n";
    let output = run(grow);
    assert_eq!((output.outcome, output.stdout.as_str()), (Outcome::DiskLimit, "EDQUOT 0\nEDQUOT 0\nEDQUOT 0\n"), "stderr: {}", output.stderr);
    // A burst of small unbuffered writes fills the quota to the last write
    // that fits (the file's entry is charged 4 KiB) and not a byte further.
    let burst = "import errno, os\nfd = os.open('/scratch/burst', os.O_WRONLY | os.O_CREAT)\n\
        try:\n\
        \x20   while True:\n\
        \x20       os.write(fd, b'x' * 100)\n\
        except OSError as error:\n\
        \x20   print(errno.errorcode[error.errno], os.fstat(fd).st_size)\n";
    let room = (1 << 20) - 4096;
    let output = run(burst);
    assert_eq!((output.outcome, output.stdout), (Outcome::DiskLimit, format!("EDQUOT {}\n", room / 100 * 100)), "stderr: {}", output.stderr);
    // New names count too: a hard link counts its file's bytes again (as the
    // host's measurement does), directories and symlinks their entries.
    let names = "import errno, os\nopen('/scratch/half', 'wb').write(b'x' * (600 << 10))\n\
        for make in (lambda: os.link('half', 'again'), lambda: [os.mkdir(f'd{i}') for i in range(1000)], lambda: [os.symlink('half', f'l{i}') for i in range(1000)]):\n\
        \x20   try:\n\
        \x20       make()\n\
        \x20   except OSError as error:\n\
        \x20       print(errno.errorcode[error.errno])\n";
    let output = run(names);
    assert_eq!((output.outcome, output.stdout.as_str()), (Outcome::DiskLimit, "EDQUOT\nEDQUOT\nEDQUOT\n"), "stderr: {}", output.stderr);
    // Charging a write looks at the file's size without moving its position.
    let output = run(
        "import os\nfd = os.open('p', os.O_RDWR | os.O_CREAT)\nos.write(fd, b'abc')\nos.lseek(fd, 1, 0)\nos.write(fd, b'X')\nprint(os.lseek(fd, 0, 1), os.pread(fd, 9, 0))\n",
    );
    assert_eq!((output.outcome, output.stdout.as_str()), (Outcome::Exited(0), "2 b'aXc'\n"), "stderr: {}", output.stderr);
    // Uncaught, the refusal reads as a quota error in the traceback.
    let output = run("open('/scratch/fill', 'wb').write(b'x' * (2 << 20))\n");
    assert_eq!(output.outcome, Outcome::DiskLimit);
    assert!(output.stderr.contains("OSError: [Errno 19] Quota exceeded"), "stderr: {}", output.stderr);
}

#[test]
fn deep_recursion_is_contained() {
    let output = run("def f(n):\n    return f(n + 1)\nf(0)\n");
    assert_eq!(output.outcome, Outcome::Exited(1));
    assert!(output.stderr.contains("RecursionError"), "stderr: {}", output.stderr);
    // Raising the limit only trades the Python error for a contained trap.
    let output = run("import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1)\nf(0)\n");
    assert!(matches!(output.outcome, Outcome::Crash(_) | Outcome::Exited(1) | Outcome::MemoryLimit), "{:?}", output.outcome);
}

#[test]
fn exit_status_and_atexit_handlers_survive_the_fast_exit() {
    let output = run("import atexit\natexit.register(print, 'bye')\nprint('hi', end='')\nraise SystemExit(3)\n");
    assert_eq!((output.outcome, output.stdout.as_str()), (Outcome::Exited(3), "hibye\n"), "stderr: {}", output.stderr);
    let output = run("raise SystemExit('no good')\n");
    assert_eq!((output.outcome, output.stderr.as_str()), (Outcome::Exited(1), "no good\n"));
    let output = run("import sys\nsys.exit()\n");
    assert_eq!(output.outcome, Outcome::Exited(0), "stderr: {}", output.stderr);
    let output = run("sys = os = None\n1 / 0\n");
    assert_eq!(output.outcome, Outcome::Exited(1));
    assert!(output.stderr.contains("ZeroDivisionError"), "stderr: {}", output.stderr);
}

#[test]
fn back_to_back_jobs_each_get_a_fresh_interpreter() {
    // A burst of runs (keystrokes in a row): each instance starts from the
    // component's snapshot and sees nothing an earlier job did.
    let fixture = fixture();
    for run in 0..4 {
        let job = Job {
            script: format!("import builtins\nprint({run}, hasattr(builtins, 'seen'))\nbuiltins.seen = True\n"),
            sources: Vec::new(),
            collect: Vec::new(),
        };
        let output = fixture.runtime.block_on(fixture.sandbox.run(job)).unwrap();
        assert_eq!((output.outcome, output.stdout), (Outcome::Exited(0), format!("{run} False\n")), "stderr: {}", output.stderr);
    }
}

#[test]
fn each_job_starts_from_the_snapshot_and_leaves_nothing_behind() {
    let fixture = fixture();
    let job = |script: &str| Job { script: script.to_owned(), sources: Vec::new(), collect: Vec::new() };
    // What the build imported and defined is there; what a job adds is not seen by the next.
    let leaky = "import builtins, sys\nbuiltins.leaked = True\nsys.modules['json'].leaked = True\nopen('left-behind', 'w').close()\n\
        print('pytest' in sys.modules, callable(_pyloom_run))\n";
    let first = fixture.runtime.block_on(fixture.sandbox.run(job(leaky))).unwrap();
    assert_eq!((first.outcome, first.stdout.as_str()), (Outcome::Exited(0), "True True\n"), "stderr: {}", first.stderr);
    let second = fixture
        .runtime
        .block_on(fixture.sandbox.run(job("import builtins, json\nprint(hasattr(builtins, 'leaked'), hasattr(json, 'leaked'), os.listdir('.'))\n")))
        .unwrap();
    assert_eq!((second.outcome, second.stdout.as_str()), (Outcome::Exited(0), "False False []\n"), "stderr: {}", second.stderr);
}

#[test]
fn every_job_has_its_own_limits() {
    // Jobs one after the other each get the whole clock, output cap and
    // disk quota, however much of them the one before used; one that hits
    // a limit does not touch the next.
    let fixture = fixture();
    let job = |script: &str| Job { script: script.to_owned(), sources: Vec::new(), collect: Vec::new() };
    let run = |script: &str| fixture.runtime.block_on(fixture.sandbox.run(job(script))).unwrap();
    let most_of_everything = "import time\ntime.sleep(2.5)\nopen('big', 'w').write('x' * (700 << 10))\nprint('x' * (40 << 10))\nprint(sorted(os.listdir('.')), sys.stdin.read() == '')\n";
    for _ in 0..2 {
        let output = run(most_of_everything);
        assert_eq!(output.outcome, Outcome::Exited(0), "stderr: {}", output.stderr);
        assert!(output.stdout.ends_with("['big'] True\n"), "{}", &output.stdout[(40 << 10)..]);
    }
    assert_eq!(run("while True:\n    pass\n").outcome, Outcome::Timeout);
    assert_eq!(run("raise SystemExit(3)\n").outcome, Outcome::Exited(3));
    assert_eq!(run("hoard = bytearray(200 << 20)\n").outcome, Outcome::MemoryLimit);
    assert_eq!(run("try:\n    open('fill', 'wb').write(b'x' * (2 << 20))\nexcept OSError:\n    pass\n").outcome, Outcome::DiskLimit);
    let output = run(most_of_everything);
    assert_eq!(output.outcome, Outcome::Exited(0), "stderr: {}", output.stderr);
}

#[test]
fn each_part_of_a_job_has_its_own_clock() {
    // The clock (4 s here) is per part: three parts of 1.5 s each finish,
    // spinning and sleeping; the same work in one part runs out of time,
    // as does a part that comes back after using most of its time.
    let spin = "def spin(seconds):\n    end = time.monotonic() + seconds\n    while time.monotonic() < end:\n        pass\n";
    let three = format!("import time, wit_world\n{spin}for part in range(3):\n    wit_world.lap(part)\n    spin(1.0)\n    time.sleep(0.5)\nprint('done')\n");
    let output = run(&three);
    assert_eq!((output.outcome, output.part, output.stdout.as_str()), (Outcome::Exited(0), 2, "done\n"), "stderr: {}", output.stderr);
    let one = format!("import time, wit_world\n{spin}wit_world.lap(1)\nfor part in range(3):\n    spin(1.0)\n    time.sleep(0.5)\n");
    let output = run(&one);
    assert_eq!((output.outcome, output.part), (Outcome::Timeout, 1), "stderr: {}", output.stderr);
    let back = format!("import time, wit_world\n{spin}spin(2.5)\nwit_world.lap(1)\nwit_world.lap(0)\ntime.sleep(2.5)\n");
    let output = run(&back);
    assert_eq!((output.outcome, output.part), (Outcome::Timeout, 0), "stderr: {}", output.stderr);
}
