//! The wasmtime side: one engine and compiled interpreter per `Sandbox`,
//! interpreters started ahead of their job, and the limits enforced while a
//! job runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::runtime::Handle;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use wasmtime::{Config, Engine, InstancePre, Linker, OptLevel, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder, UpdateDeadline};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

use crate::install::Interpreter;
use crate::job_input::JobInput;
use crate::module_cache::{self, ModuleSource};
use crate::output::CappedOutput;
use crate::quota::DiskQuota;
use crate::{Limits, Outcome, RunOutput, boot, quota_calls, scratch};

/// How often the epoch advances, i.e. how often limits are checked while
/// guest code runs.
const TICK: Duration = Duration::from_millis(10);
/// How long a starting interpreter may take over its prelude.
const WARM_UP_LIMIT: Duration = Duration::from_secs(120);
/// How long compiling the installed packages' bytecode may take.
const PRECOMPILE_LIMIT: Duration = Duration::from_secs(300);
/// Where the guest sees its directories.
pub const GUEST_SCRATCH: &str = "/scratch";
pub const GUEST_SOURCES: &str = "/src";
pub const GUEST_SITE_PACKAGES: &str = "/site-packages";

/// What a `Sandbox` is built from.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub interpreter: Interpreter,
    /// Directory for compiled modules (see `module_cache`).
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
/// interpreter and the limits. Jobs run through a [`WarmPool`], which keeps
/// interpreters started with its prelude.
///
/// [`WarmPool`]: crate::WarmPool
pub struct Sandbox {
    engine: Engine,
    pre: InstancePre<Guest>,
    config: SandboxConfig,
    runtime: Handle,
    module_source: ModuleSource,
    module_elapsed: Duration,
    /// Held by an interpreter while it runs its prelude (see `warming_at_once`).
    warming: Arc<Semaphore>,
    _ticker: EpochTicker,
}

impl Sandbox {
    /// Builds the engine and loads (or compiles and caches) the interpreter.
    /// Must be called inside a tokio runtime.
    pub fn new(config: SandboxConfig) -> Result<Self> {
        let runtime = Handle::try_current().context("the sandbox needs a tokio runtime")?;
        let config = SandboxConfig { libraries: mountable(config.libraries), ..config };
        let mut engine_config = Config::new();
        engine_config.epoch_interruption(true).cranelift_opt_level(OptLevel::Speed);
        let engine = Engine::new(&engine_config)?;
        let wasm_sha256 = module_cache::interpreter_digest(&config.interpreter.wasm, &config.module_cache)?;
        let loaded = module_cache::load_or_compile(&engine, &config.interpreter.wasm, &wasm_sha256, &config.module_cache)?;
        // Compiling takes seconds and is worth a line; loading the cached
        // result is every start's routine, which `pyloom test` would
        // otherwise print above its results.
        match loaded.source {
            ModuleSource::Compiled => tracing::info!("python.wasm compiled in {:?}", loaded.elapsed),
            ModuleSource::Cached => tracing::debug!("python.wasm loaded from the cache in {:?}", loaded.elapsed),
        }
        let mut linker: Linker<Guest> = Linker::new(&engine);
        wasmtime_wasi::p1::add_to_linker_async(&mut linker, |guest| &mut guest.wasi)?;
        quota_calls::add_to_linker(&mut linker, Guest::files)?;
        let pre = linker.instantiate_pre(&loaded.module)?;
        Ok(Self {
            _ticker: EpochTicker::start(engine.clone()),
            engine,
            pre,
            config,
            runtime,
            module_source: loaded.source,
            module_elapsed: loaded.elapsed,
            warming: Arc::new(Semaphore::new(thread::available_parallelism().map_or(1, usize::from))),
        })
    }

    /// How many interpreters may run their prelude at once (by default one
    /// per core). An editor leaves a core to the run the user is waiting
    /// for; a batch that runs a file per core needs every core warming.
    pub fn warming_at_once(mut self, slots: usize) -> Self {
        self.warming = Arc::new(Semaphore::new(slots.max(1)));
        self
    }

    /// Whether start-up compiled the interpreter or loaded it, and how long it took.
    pub fn module_load(&self) -> (ModuleSource, Duration) {
        (self.module_source, self.module_elapsed)
    }

    pub fn limits(&self) -> Limits {
        self.config.limits
    }

    /// Starts an interpreter that runs `prelude` and then blocks reading
    /// its job from stdin.
    pub(crate) fn spawn_warm(&self, prelude: &str) -> Result<Warm> {
        self.spawn(prelude, FsPerms::ReadOnly)
    }

    /// Compiles the bytecode of the installed packages (pytest and its
    /// dependencies) into their `__pycache__` folders, in the guest so the
    /// `.pyc` files are its CPython's. Jobs see that folder read-only and
    /// cannot cache bytecode there, so without this every interpreter that
    /// imports pytest compiles its sources again (seconds under wasm). This
    /// is the one run that sees the folder writable, and it runs only this
    /// fixed script; the disk quota applies as for any run. Up-to-date files
    /// are left alone, so it is cheap to repeat.
    pub async fn precompile_packages(&self) -> Result<()> {
        let Some(site_packages) = &self.config.interpreter.site_packages else {
            return Ok(());
        };
        let mut warm = self.spawn("", FsPerms::ReadWrite)?;
        warm.limits.timeout_ms = PRECOMPILE_LIMIT.as_millis().try_into().unwrap_or(u64::MAX);
        let script = format!("import compileall\nsys.exit(0 if compileall.compile_dir({GUEST_SITE_PACKAGES:?}, quiet=1, workers=1) else 1)\n");
        let output = warm.run(Job { script, sources: Vec::new(), collect: Vec::new() }).await?;
        match output.outcome {
            Outcome::Exited(0) => Ok(()),
            other => bail!("compiling the bytecode of {} ended with {other:?}:\n{}{}", site_packages.display(), output.stdout, output.stderr),
        }
    }

    /// Starts an interpreter with the installed packages mounted with `packages` permissions.
    fn spawn(&self, prelude: &str, packages: FsPerms) -> Result<Warm> {
        let limits = self.config.limits;
        let scratch = tempfile::Builder::new().prefix("pyloom-scratch-").tempdir()?;
        let sources = tempfile::Builder::new().prefix("pyloom-src-").tempdir()?;
        let control = Arc::new(Control::new());
        let stdout = CappedOutput::new(limits.output_bytes, control.output_overflow.clone());
        let stderr = CappedOutput::new(limits.output_bytes, control.output_overflow.clone());
        let job_input = JobInput::default();

        let boot = boot::script(prelude, limits.recursion_limit, &self.config.libraries);
        let mut wasi = WasiCtxBuilder::new();
        // No inherited environment, arguments, network or host directories:
        // the guest sees exactly what is listed here.
        wasi.args(&["python", "-B", "-s", "-c", boot.as_str()])
            .stdin(job_input.clone())
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .preopened_dir(scratch.path(), GUEST_SCRATCH, FsPerms::ReadWrite)?
            .preopened_dir(sources.path(), GUEST_SOURCES, FsPerms::ReadOnly)?;
        if let Some(site_packages) = &self.config.interpreter.site_packages {
            wasi.preopened_dir(site_packages, GUEST_SITE_PACKAGES, packages)?;
        }
        for library in &self.config.libraries {
            let guest = library.to_str().context("library paths must be UTF-8")?;
            wasi.preopened_dir(library, guest, FsPerms::ReadOnly)?;
        }
        if let Some(stdlib) = &self.config.interpreter.stdlib {
            wasi.preopened_dir(stdlib, "/usr/local/lib", FsPerms::ReadOnly)?;
            wasi.env("PYTHONHOME", "/usr/local");
        }
        let memory = usize::try_from(limits.memory_bytes).unwrap_or(usize::MAX);
        let guest = Guest {
            wasi: wasi.build_p1(),
            limits: MemoryCap {
                limits: StoreLimitsBuilder::new().memory_size(memory).instances(1).trap_on_grow_failure(true).build(),
                hit: control.memory_hit.clone(),
                size: control.memory_size.clone(),
            },
            disk: DiskQuota::new(scratch.path().to_path_buf(), limits.disk_bytes, control.disk_refused.clone()),
        };
        let mut store = Store::new(&self.engine, guest);
        store.limiter(|guest| &mut guest.limits);
        store.set_epoch_deadline(1);
        let tick_control = control.clone();
        store.epoch_deadline_callback(move |_| Ok(tick_control.on_tick()));

        let pre = self.pre.clone();
        let (warming, warmed) = (self.warming.clone(), job_input.clone());
        let task = self.runtime.spawn(async move {
            // Preludes take turns, one per core: of several interpreters
            // started together the first is ready soonest, instead of all
            // of them late.
            let slot = warming.acquire_owned().await?;
            let instance = pre.instantiate_async(&mut store).await?;
            let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
            let run = start.call_async(&mut store, ());
            tokio::pin!(run);
            tokio::select! {
                result = &mut run => return result.map_err(anyhow::Error::from),
                () = warmed.guest_waiting() => drop(slot),
            }
            run.await.map_err(anyhow::Error::from)
        });
        Ok(Warm { task: GuestTask(task), job_input, control, stdout, stderr, scratch, sources, limits, jobs: 0 })
    }
}

/// The guest's store data.
struct Guest {
    wasi: WasiP1Ctx,
    limits: MemoryCap,
    disk: DiskQuota,
}

impl Guest {
    /// What the quota-charging WASI calls work on.
    fn files(&mut self) -> (&mut WasiP1Ctx, &mut DiskQuota) {
        (&mut self.wasi, &mut self.disk)
    }
}

/// `StoreLimits` plus a record of whether it ever said no, so a run that
/// died on a denied growth is reported as the memory limit, whatever the
/// trap message says.
struct MemoryCap {
    limits: StoreLimits,
    hit: Arc<AtomicBool>,
    /// The linear memory's size as last grown, for the host to decide
    /// whether the interpreter may take another job.
    size: Arc<AtomicU64>,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum);
        if matches!(allowed, Ok(true)) {
            self.size.store(u64::try_from(desired).unwrap_or(u64::MAX), Ordering::Relaxed);
        } else {
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
    /// Milliseconds since `epoch`; 0 while the interpreter is still waiting for its job.
    deadline_ms: AtomicU64,
    epoch: Instant,
    stop: AtomicU64,
    output_overflow: Arc<AtomicBool>,
    memory_hit: Arc<AtomicBool>,
    memory_size: Arc<AtomicU64>,
    /// A call was refused for the disk quota (see `quota`).
    disk_refused: Arc<AtomicBool>,
}

impl Control {
    fn new() -> Self {
        Self {
            deadline_ms: AtomicU64::new(0),
            epoch: Instant::now(),
            stop: AtomicU64::new(Stop::None as u64),
            output_overflow: Arc::new(AtomicBool::new(false)),
            memory_hit: Arc::new(AtomicBool::new(false)),
            memory_size: Arc::new(AtomicU64::new(0)),
            disk_refused: Arc::new(AtomicBool::new(false)),
        }
    }

    fn arm(&self, timeout: Duration) {
        let deadline = self.epoch.elapsed() + timeout;
        self.deadline_ms.store(u64::try_from(deadline.as_millis()).unwrap_or(u64::MAX).max(1), Ordering::SeqCst);
    }

    /// No deadline while the interpreter waits for its next job.
    fn disarm(&self) {
        self.deadline_ms.store(0, Ordering::SeqCst);
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
        let deadline = self.deadline_ms.load(Ordering::SeqCst);
        if deadline != 0 && self.epoch.elapsed().as_millis() >= u128::from(deadline) {
            return self.request_stop(Stop::Timeout);
        }
        // Yield so the executor stays responsive and a cancelled run is
        // dropped promptly even while the guest spins.
        UpdateDeadline::Yield(1)
    }

    /// What the guest's return value means, given why the host stopped it.
    fn classify(&self, result: Result<()>) -> Outcome {
        let error = match result {
            Ok(()) => return Outcome::Exited(0),
            Err(error) => error,
        };
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

/// The task running one interpreter. Dropping it stops the guest, so a
/// cancelled run (its future dropped) or a discarded warm instance never
/// keeps running in the background.
struct GuestTask(JoinHandle<Result<()>>);

impl Drop for GuestTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A started interpreter waiting for its job.
pub(crate) struct Warm {
    task: GuestTask,
    job_input: JobInput,
    control: Arc<Control>,
    stdout: CappedOutput,
    stderr: CappedOutput,
    scratch: tempfile::TempDir,
    sources: tempfile::TempDir,
    limits: Limits,
    /// Jobs handed over so far.
    jobs: usize,
}

/// How the guest's part of a job ended.
enum Ended {
    /// The interpreter ended (exit, trap, host error).
    Exited(Result<()>),
    /// The job ran to its end and the interpreter asks for the next one.
    Waiting,
}

impl Warm {
    /// Runs `job`, the interpreter's last.
    pub(crate) async fn run(self, job: Job) -> Result<RunOutput> {
        Ok(self.run_then(job, false).await?.0)
    }

    /// Runs `job`; with `keep`, the interpreter comes back for another job
    /// when this one ran to its end (status 0) within every limit, using
    /// under half of its memory cap. The next job then starts with an
    /// empty scratch directory, its own clock and output cap, but sees
    /// what this one imported (as tests of one pytest process do).
    pub(crate) async fn run_then(mut self, job: Job, keep: bool) -> Result<(RunOutput, Option<Warm>)> {
        let limits = self.limits;
        stage_sources(self.sources.path(), &job.sources)?;
        // Wait for the prelude (or the previous job) to finish, instant when
        // the instance is warm, before the clock starts; a guest that died
        // while warming ends the wait too.
        let waiting = Instant::now();
        let warmed = tokio::select! {
            () = self.job_input.guest_waiting_after(self.jobs) => true,
            _ = tokio::time::sleep(WARM_UP_LIMIT) => false,
            _ = &mut self.task.0 => false,
        };
        let prelude_wait = waiting.elapsed();
        let timeout = Duration::from_millis(limits.timeout_ms);
        let started = Instant::now();
        self.control.arm(timeout);
        self.jobs = self.job_input.hand_over(&job.script, !keep);
        let joined = if warmed || !self.task.0.is_finished() {
            // Only a kept interpreter asks for more: the stream ends after
            // the last job.
            let task = &mut self.task.0;
            let asks = self.job_input.guest_waiting_after(self.jobs);
            tokio::time::timeout(timeout, async {
                tokio::select! {
                    joined = task => joined.map(Ended::Exited),
                    () = asks => Ok(Ended::Waiting),
                }
            })
            .await
        } else {
            Ok(Ok(Ended::Exited(Err(anyhow::anyhow!("the interpreter exited before taking its job")))))
        };
        let duration = started.elapsed();
        let asks_for_more = matches!(joined, Ok(Ok(Ended::Waiting)));
        let outcome = match joined {
            Err(_elapsed) => {
                // Blocked in a host call (e.g. `time.sleep`): no epoch tick
                // can fire, so the run is cancelled from outside. Waiting for
                // the abort means nothing writes to scratch while we read it.
                self.task.0.abort();
                let _ = (&mut self.task.0).await;
                Outcome::Timeout
            }
            Ok(Err(join_error)) => Outcome::Crash(format!("sandbox task failed: {join_error}")),
            Ok(Ok(Ended::Exited(result))) => self.control.classify(result),
            Ok(Ok(Ended::Waiting)) => Outcome::Exited(0),
        };
        // Output past the cap wins over what the guest did afterwards, and a
        // call refused for the disk quota wins over an ordinary exit (the
        // guest may have caught the `OSError`).
        let outcome = if self.control.output_overflow.load(Ordering::Relaxed) {
            Outcome::OutputLimit
        } else if !matches!(outcome, Outcome::Timeout | Outcome::MemoryLimit) && self.control.disk_refused.load(Ordering::SeqCst) {
            Outcome::DiskLimit
        } else {
            outcome
        };
        let collected = job
            .collect
            .iter()
            .filter_map(|relative| {
                let bytes = scratch::read_guest_file(&self.scratch.path().join(relative), limits.output_bytes).ok()?;
                Some((relative.clone(), bytes))
            })
            .collect();
        let output = RunOutput {
            output_truncated: self.control.output_overflow.load(Ordering::Relaxed),
            stdout: self.stdout.take(),
            stderr: self.stderr.take(),
            outcome,
            duration,
            prewarmed: false,
            prelude_wait,
            collected,
        };
        let roomy = self.control.memory_size.load(Ordering::Relaxed) <= limits.memory_bytes / 2;
        if !(keep && asks_for_more && output.outcome == Outcome::Exited(0) && roomy) {
            return Ok((output, None));
        }
        self.control.disarm();
        scratch::empty(self.scratch.path())?;
        Ok((output, Some(self)))
    }
}

/// The libraries that can be mounted at their own path: absolute, UTF-8,
/// existing folders that do not shadow (or sit under) the guest's own
/// directories. The rest are left out with a warning.
fn mountable(libraries: Vec<PathBuf>) -> Vec<PathBuf> {
    let reserved = [GUEST_SCRATCH, GUEST_SOURCES, GUEST_SITE_PACKAGES, "/usr/local/lib"].map(Path::new);
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
