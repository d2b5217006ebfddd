//! The wasmtime side: one engine and compiled interpreter component per
//! `Sandbox`, a fresh instance of it for every job, and the limits enforced
//! while a job runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use wasmtime::component::{InstancePre, Linker, ResourceTable};
use wasmtime::{Config, Engine, OptLevel, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder, UpdateDeadline};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtx, WasiCtxView, WasiView};

use crate::clock::Clock;
use crate::install::Interpreter;
use crate::module_cache::{self, ModuleSource};
use crate::output::CappedOutput;
use crate::quota::DiskQuota;
use crate::quota_calls::{self, QuotaView, SharedQuota};
use crate::{Limits, Outcome, RunOutput, boot, scratch};

/// How often the epoch advances, i.e. how often limits are checked while
/// guest code runs.
const TICK: Duration = Duration::from_millis(10);
/// How long compiling the installed Python's bytecode may take.
const PRECOMPILE_LIMIT: Duration = Duration::from_secs(600);
/// Core instances one component instance makes (CPython, its libraries,
/// the WASI adapter and the glue between them), with room to spare.
const CORE_INSTANCES: usize = 100;
/// Where the guest sees its directories.
pub const GUEST_SCRATCH: &str = "/scratch";
pub const GUEST_SOURCES: &str = "/src";
pub const GUEST_SITE_PACKAGES: &str = "/site-packages";
/// Where the component's build saw the standard library (componentize-py
/// sets `PYTHONHOME` there), so jobs see it there too.
pub const GUEST_STDLIB: &str = "/python";

/// What a `Sandbox` is built from.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub interpreter: Interpreter,
    /// Directory for compiled components (see `module_cache`).
    pub module_cache: PathBuf,
    pub limits: Limits,
    /// Host folders of pure-Python packages (a project's site-packages),
    /// each mounted read-only at its own path and put on `sys.path`.
    pub libraries: Vec<PathBuf>,
}

/// One file the job may read, placed in the read-only source mount.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path under `/src` in the guest (relative, no `..`).
    pub guest_relative: PathBuf,
    pub text: SourceText,
}

/// Where a source file's contents come from.
#[derive(Debug, Clone)]
pub enum SourceText {
    /// Copy this host file.
    File(PathBuf),
    /// Use this text (e.g. an editor buffer with unsaved changes).
    Text(String),
}

/// One piece of work: a Python script plus the sources it may import.
#[derive(Debug, Clone)]
pub struct Job {
    pub script: String,
    pub sources: Vec<SourceFile>,
    /// Files (relative to the scratch directory) to hand back after the run.
    pub collect: Vec<PathBuf>,
}

/// Python running in wasmtime with hard limits: the engine, the compiled
/// interpreter component and the limits. Every job runs in a fresh
/// instance of the component, a copy-on-write image of the interpreter as
/// its build left it (the runner, doctest, unittest and pytest imported):
/// about 2 ms, so nothing is started ahead and nothing one job does is
/// seen by the next.
pub struct Sandbox {
    engine: Engine,
    pre: InstancePre<Guest>,
    config: SandboxConfig,
    module_source: ModuleSource,
    module_elapsed: Duration,
    _ticker: EpochTicker,
}

impl Sandbox {
    /// Builds the engine and loads (or compiles and caches) the component.
    pub fn new(config: SandboxConfig) -> Result<Self> {
        let config = SandboxConfig { libraries: mountable(config.libraries), ..config };
        let mut engine_config = Config::new();
        engine_config.epoch_interruption(true).cranelift_opt_level(OptLevel::Speed).wasm_component_model(true);
        let engine = Engine::new(&engine_config)?;
        let component = &config.interpreter.component;
        let sha256 = module_cache::interpreter_digest(component, &config.module_cache)?;
        let loaded = module_cache::load_or_compile(&engine, component, &sha256, &config.module_cache)?;
        // Compiling takes half a minute and is worth a line; loading the
        // cached result is every start's routine, which `pyloom test` would
        // otherwise print above its results.
        match loaded.source {
            ModuleSource::Compiled => tracing::info!("the interpreter component compiled in {:?}", loaded.elapsed),
            ModuleSource::Cached => tracing::debug!("the interpreter component loaded from the cache in {:?}", loaded.elapsed),
        }
        let mut linker: Linker<Guest> = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        quota_calls::add_to_linker(&mut linker)?;
        linker.root().func_wrap("lap", |store: wasmtime::StoreContextMut<'_, Guest>, (part,): (u32,)| {
            store.data().control.clock.lap(part);
            Ok(())
        })?;
        let pre = linker.instantiate_pre(&loaded.component)?;
        Ok(Self { _ticker: EpochTicker::start(engine.clone()), engine, pre, config, module_source: loaded.source, module_elapsed: loaded.elapsed })
    }

    /// Whether start-up compiled the component or loaded it, and how long it took.
    pub fn module_load(&self) -> (ModuleSource, Duration) {
        (self.module_source, self.module_elapsed)
    }

    pub fn limits(&self) -> Limits {
        self.config.limits
    }

    /// Runs `job` in a fresh instance. Errors are host-side failures only;
    /// what the guest does is always an `Outcome`.
    pub async fn run(&self, job: Job) -> Result<RunOutput> {
        self.run_with(job, self.config.limits, FsPerms::ReadOnly).await
    }

    /// Compiles the bytecode of the standard library and of the installed
    /// packages (pytest and its dependencies) into their `__pycache__`
    /// folders, in the guest so the `.pyc` files are its CPython's. Jobs see
    /// those folders read-only and cannot cache bytecode there, so without
    /// this every job that imports a module the component's build did not
    /// compiles its source again (tens of milliseconds each under wasm).
    /// This is the one run that sees them writable, and it runs only this
    /// fixed script. Up-to-date files are left alone, so it is cheap to
    /// repeat.
    pub async fn precompile(&self) -> Result<()> {
        let limits = Limits {
            timeout_ms: PRECOMPILE_LIMIT.as_millis().try_into().unwrap_or(u64::MAX),
            disk_bytes: u64::MAX,
            output_bytes: 16 << 20,
            ..self.config.limits
        };
        let script = format!(
            "import compileall\nok = all([compileall.compile_dir(folder, quiet=1, workers=1) for folder in ({GUEST_STDLIB:?}, {GUEST_SITE_PACKAGES:?})])\nsys.exit(0 if ok else 1)\n"
        );
        let output = self.run_with(Job { script, sources: Vec::new(), collect: Vec::new() }, limits, FsPerms::ReadWrite).await?;
        match output.outcome {
            Outcome::Exited(0) => Ok(()),
            other => bail!("compiling the bytecode of the standard library and pytest ended with {other:?}:\n{}{}", output.stdout, output.stderr),
        }
    }

    /// Runs `job` in a fresh instance with the installed Python (standard
    /// library and packages) mounted with `installed` permissions.
    async fn run_with(&self, job: Job, limits: Limits, installed: FsPerms) -> Result<RunOutput> {
        let scratch = tempfile::Builder::new().prefix("pyloom-scratch-").tempdir()?;
        let sources = tempfile::Builder::new().prefix("pyloom-src-").tempdir()?;
        stage_sources(sources.path(), &job.sources)?;
        let timeout = Duration::from_millis(limits.timeout_ms);
        let control = Arc::new(Control::new(timeout));
        let stdout = CappedOutput::new(limits.output_bytes, control.output_overflow.clone());
        let stderr = CappedOutput::new(limits.output_bytes, control.output_overflow.clone());
        let interpreter = &self.config.interpreter;

        let mut wasi = WasiCtx::builder();
        // No inherited environment, network or host directories: the guest
        // sees exactly what is listed here. CPython's build imports
        // `wasi:sockets`, so sockets are refused here (as they are by
        // default, every address failing the check). argparse (pytest)
        // needs a name.
        wasi.allow_tcp(false).allow_udp(false).allow_ip_name_lookup(false);
        // A lookup (stat, open, list, make a folder) on the folders this
        // sandbox made (scratch, sources, the installed Python) runs on the
        // job's own thread: they hold regular files and folders only (WASI
        // makes no FIFO or device), so one cannot block for long, and
        // handing each to the blocking pool cost two thread wake-ups apiece
        // (an import stats and opens dozens of paths; a folder run makes
        // thousands). Lookups in the project's libraries, host folders of
        // any kind, keep the pool, where the timeout can abandon one that
        // never returns. (wasmtime-wasi reads and writes a file's contents
        // through the pool whatever this says.)
        wasi.allow_blocking_current_thread(true);
        wasi.args(&["python"])
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .preopened_dir(scratch.path(), GUEST_SCRATCH, FsPerms::ReadWrite)?
            .preopened_dir(sources.path(), GUEST_SOURCES, FsPerms::ReadOnly)?
            .preopened_dir(&interpreter.stdlib, GUEST_STDLIB, installed)?
            .preopened_dir(&interpreter.site_packages, GUEST_SITE_PACKAGES, installed)?;
        // What it is when the last folder is mounted also decides for the
        // files the guest opens, wherever they are.
        wasi.allow_blocking_current_thread(self.config.libraries.is_empty());
        for library in &self.config.libraries {
            let guest = library.to_str().context("library paths must be UTF-8")?;
            wasi.preopened_dir(library, guest, FsPerms::ReadOnly)?;
        }
        let memory = usize::try_from(limits.memory_bytes).unwrap_or(usize::MAX);
        let guest = Guest {
            wasi: wasi.build(),
            table: ResourceTable::new(),
            limits: MemoryCap {
                limits: StoreLimitsBuilder::new().memory_size(memory).instances(CORE_INSTANCES).trap_on_grow_failure(true).build(),
                hit: control.memory_hit.clone(),
            },
            disk: Arc::new(Mutex::new(DiskQuota::new(scratch.path().to_path_buf(), limits.disk_bytes, control.disk_refused.clone()))),
            stream_refused: Arc::default(),
            control: control.clone(),
        };
        let mut store = Store::new(&self.engine, guest);
        store.limiter(|guest| &mut guest.limits);
        store.set_epoch_deadline(1);
        let tick_control = control.clone();
        store.epoch_deadline_callback(move |_| Ok(tick_control.on_tick()));

        let script = boot::job_script(&job.script, limits.recursion_limit, &self.config.libraries);
        let started = Instant::now();
        let pre = self.pre.clone();
        let run = async move {
            let instance = pre.instantiate_async(&mut store).await?;
            let run = instance.get_typed_func::<(String,), (i32,)>(&mut store, "run")?;
            let (status,) = run.call_async(&mut store, (script,)).await?;
            anyhow::Ok(status)
        };
        // Blocked in a host call (e.g. `time.sleep`), no epoch tick can
        // fire, so the run is also cancelled from outside; dropping it ends
        // the guest before scratch is read. A lap moves the deadline, so
        // the wait is renewed until the current part's time is up.
        let mut run = std::pin::pin!(run);
        let ended = loop {
            match tokio::time::timeout(control.clock.remaining(), &mut run).await {
                Ok(result) => break Some(result),
                Err(_elapsed) if control.clock.expired() => break None,
                Err(_elapsed) => continue,
            }
        };
        let duration = started.elapsed();
        let outcome = match ended {
            None => Outcome::Timeout,
            Some(result) => control.classify(result),
        };
        // Output past the cap wins over what the guest did afterwards, and a
        // call refused for the disk quota wins over an ordinary exit (the
        // guest may have caught the `OSError`).
        let outcome = if control.output_overflow.load(Ordering::Relaxed) {
            Outcome::OutputLimit
        } else if !matches!(outcome, Outcome::Timeout | Outcome::MemoryLimit) && control.disk_refused.load(Ordering::SeqCst) {
            Outcome::DiskLimit
        } else {
            outcome
        };
        let collected = job
            .collect
            .iter()
            .filter_map(|relative| {
                let bytes = scratch::read_guest_file(&scratch.path().join(relative), limits.output_bytes).ok()?;
                Some((relative.clone(), bytes))
            })
            .collect();
        Ok(RunOutput {
            output_truncated: control.output_overflow.load(Ordering::Relaxed),
            stdout: stdout.take(),
            stderr: stderr.take(),
            outcome,
            duration,
            part: control.clock.part(),
            collected,
        })
    }
}

/// The guest's store data.
struct Guest {
    wasi: WasiCtx,
    table: ResourceTable,
    limits: MemoryCap,
    disk: SharedQuota,
    stream_refused: Arc<AtomicBool>,
    /// For the imported `lap` (see `clock`).
    control: Arc<Control>,
}

impl WasiView for Guest {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl QuotaView for Guest {
    fn quota(&self) -> SharedQuota {
        self.disk.clone()
    }

    fn stream_refused(&self) -> Arc<AtomicBool> {
        self.stream_refused.clone()
    }
}

/// `StoreLimits` plus a record of whether it ever said no, so a run that
/// died on a denied growth is reported as the memory limit, whatever the
/// trap message says.
struct MemoryCap {
    limits: StoreLimits,
    hit: Arc<AtomicBool>,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum);
        if !matches!(allowed, Ok(true)) {
            self.hit.store(true, Ordering::SeqCst);
        }
        allowed
    }

    fn table_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

/// Why the host stopped a run, set by whichever check fired first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
enum Stop {
    None = 0,
    Timeout = 1,
    Output = 2,
}

/// State shared between the host and the epoch callback of one run.
struct Control {
    clock: Clock,
    stop: AtomicU64,
    output_overflow: Arc<AtomicBool>,
    memory_hit: Arc<AtomicBool>,
    /// A call was refused for the disk quota (see `quota`).
    disk_refused: Arc<AtomicBool>,
}

impl Control {
    fn new(timeout: Duration) -> Self {
        Self {
            clock: Clock::start(timeout),
            stop: AtomicU64::new(Stop::None as u64),
            output_overflow: Arc::new(AtomicBool::new(false)),
            memory_hit: Arc::new(AtomicBool::new(false)),
            disk_refused: Arc::new(AtomicBool::new(false)),
        }
    }

    fn stop_reason(&self) -> Stop {
        match self.stop.load(Ordering::SeqCst) {
            1 => Stop::Timeout,
            2 => Stop::Output,
            _ => Stop::None,
        }
    }

    fn request_stop(&self, reason: Stop) -> UpdateDeadline {
        let _ = self.stop.compare_exchange(Stop::None as u64, reason as u64, Ordering::SeqCst, Ordering::SeqCst);
        UpdateDeadline::Interrupt
    }

    /// Runs on the guest's thread every tick while wasm executes.
    fn on_tick(&self) -> UpdateDeadline {
        if self.output_overflow.load(Ordering::Relaxed) {
            return self.request_stop(Stop::Output);
        }
        if self.clock.expired() {
            return self.request_stop(Stop::Timeout);
        }
        // Yield so the executor stays responsive and a cancelled run is
        // dropped promptly even while the guest spins.
        UpdateDeadline::Yield(1)
    }

    /// What the guest's return value means, given why the host stopped it.
    fn classify(&self, result: Result<i32>) -> Outcome {
        let error = match result {
            Ok(status) => return Outcome::Exited(status),
            Err(error) => error,
        };
        // `os._exit` in a job (the adapter passes on 0 or 1 only).
        if let Some(exit) = error.downcast_ref::<I32Exit>() {
            return Outcome::Exited(exit.0);
        }
        match self.stop_reason() {
            Stop::Timeout => return Outcome::Timeout,
            Stop::Output => return Outcome::OutputLimit,
            Stop::None => {}
        }
        if self.memory_hit.load(Ordering::SeqCst) {
            return Outcome::MemoryLimit;
        }
        Outcome::Crash(format!("{error:#}"))
    }
}

/// The libraries that can be mounted at their own path: absolute, UTF-8,
/// existing folders that do not shadow (or sit under) the guest's own
/// directories. The rest are left out with a warning.
fn mountable(libraries: Vec<PathBuf>) -> Vec<PathBuf> {
    let reserved = [GUEST_SCRATCH, GUEST_SOURCES, GUEST_SITE_PACKAGES, GUEST_STDLIB].map(Path::new);
    libraries
        .into_iter()
        .filter(|library| {
            let fine = library.is_absolute()
                && library.to_str().is_some()
                && library.is_dir()
                && !library.components().any(|part| matches!(part, std::path::Component::ParentDir))
                && !reserved.iter().any(|guest| library.starts_with(guest) || guest.starts_with(library));
            if !fine {
                tracing::warn!("not mounting {} in the sandbox (not an absolute folder, or clashes with the guest's own)", library.display());
            }
            fine
        })
        .collect()
}

/// Copies the job's sources into the read-only mount (the guest cannot write
/// there; the host can, before the job starts).
fn stage_sources(root: &Path, sources: &[SourceFile]) -> Result<()> {
    for source in sources {
        if source.guest_relative.is_absolute() || source.guest_relative.components().any(|part| !matches!(part, std::path::Component::Normal(_))) {
            bail!("source path {} must be relative and plain", source.guest_relative.display());
        }
        let target = root.join(&source.guest_relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        match &source.text {
            SourceText::File(host) => fs::copy(host, &target).map(drop).with_context(|| format!("staging {}", host.display()))?,
            SourceText::Text(text) => fs::write(&target, text).with_context(|| format!("staging {}", target.display()))?,
        }
    }
    Ok(())
}

/// Advances the engine's epoch every `TICK` until dropped.
struct EpochTicker {
    stopped: Arc<AtomicBool>,
}

impl EpochTicker {
    fn start(engine: Engine) -> Self {
        let stopped = Arc::new(AtomicBool::new(false));
        let flag = stopped.clone();
        thread::Builder::new()
            .name("pyloom-epoch".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    thread::sleep(TICK);
                    engine.increment_epoch();
                }
            })
            .map(drop)
            .unwrap_or_else(|error| tracing::error!("no epoch ticker, runaway guests will only stop at the timeout: {error}"));
        Self { stopped }
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}
