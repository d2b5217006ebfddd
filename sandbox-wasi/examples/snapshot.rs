//! Prototype for issue 17 ("start-up at the limit"), not used by pyloom:
//! runs snippet jobs in a pre-initialised CPython component (componentize-py
//! snapshot of the runner with doctest and unittest imported), one fresh
//! instance per job, with the standard library mounted read-only for the
//! modules the snapshot did not import. Prints where each run's time goes.
//! How the component and the stdlib are made: bench/sandbox/README.md,
//! "Snapshot prototype".
//!
//! `[SNAPSHOT_MOUNTS=HOST:GUEST,...] cargo run --example snapshot -p sandbox-wasi -- COMPONENT STDLIB [RUNS] [SCRIPT]`

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, OptLevel, Store, StoreLimits, StoreLimitsBuilder, UpdateDeadline};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxView, WasiView};

const MODULE: &str = "def add(a, b):\n    \"\"\"\n    >>> add(2, 3)\n    5\n    >>> import fractions; fractions.Fraction(1, 3) + add(0, 1)\n    Fraction(4, 3)\n    \"\"\"\n    return a + b\n";
const TIMEOUT: Duration = Duration::from_secs(5);
const DISK_QUOTA: u64 = 1 << 20;

struct Guest {
    wasi: WasiCtx,
    table: ResourceTable,
    limits: StoreLimits,
    /// Bytes the guest's file writes may still add (`DISK_QUOTA`).
    disk_left: Arc<AtomicU64>,
}

impl WasiView for Guest {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(component), Some(stdlib)) = (args.next(), args.next()) else {
        bail!("usage: snapshot COMPONENT STDLIB [RUNS] [SCRIPT]");
    };
    let runs: usize = args.next().map_or(Ok(10), |arg| arg.parse())?;
    let script = args.next();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(run_all(Path::new(&component), Path::new(&stdlib), runs, script))
}

async fn run_all(component: &Path, stdlib: &Path, runs: usize, script: Option<String>) -> Result<()> {
    let mut config = Config::new();
    config.epoch_interruption(true).cranelift_opt_level(OptLevel::Speed).wasm_component_model(true);
    let engine = Engine::new(&config)?;
    let started = Instant::now();
    let compiled = component.with_extension("cwasm");
    let component = if compiled.is_file() {
        // SAFETY: written by `Component::serialize` below with this engine.
        unsafe { Component::deserialize_file(&engine, &compiled)? }
    } else {
        let component = Component::from_file(&engine, component)?;
        std::fs::write(&compiled, component.serialize()?)?;
        println!("compiled the component in {:?}", started.elapsed());
        component
    };
    println!("component ready in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    let mut linker: Linker<Guest> = Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    quota::shadow_file_streams(&mut linker)?;
    let pre = linker.instantiate_pre(&component)?;
    let ticker = engine.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(10));
            ticker.increment_epoch();
        }
    });

    let mut totals = Vec::new();
    let mut instantiations = Vec::new();
    for run in 0..runs {
        let scratch = tempfile::tempdir()?;
        let sources = tempfile::tempdir()?;
        std::fs::write(sources.path().join("snippet.py"), MODULE)?;
        let stdout = MemoryOutputPipe::new(1 << 20);
        let stderr = MemoryOutputPipe::new(1 << 20);
        let started = Instant::now();
        let mut wasi = WasiCtx::builder();
        // The snapshot left `sys.argv` empty; argparse (pytest) needs a name.
        wasi.args(&["python"])
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .preopened_dir(scratch.path(), "/scratch", FsPerms::ReadWrite)?
            .preopened_dir(sources.path(), "/src", FsPerms::ReadOnly)?
            .preopened_dir(stdlib, "/python", FsPerms::ReadOnly)?;
        // Packages the snapshot imported from other folders, mounted where
        // the build saw them (`HOST:GUEST,...`): their lazy imports look there.
        for mount in std::env::var("SNAPSHOT_MOUNTS").unwrap_or_default().split(',').filter(|mount| !mount.is_empty()) {
            let (host, guest) = mount.split_once(':').context("SNAPSHOT_MOUNTS is HOST:GUEST,...")?;
            wasi.preopened_dir(host, guest, FsPerms::ReadOnly)?;
        }
        let limits = StoreLimitsBuilder::new().memory_size(256 << 20).instances(100).trap_on_grow_failure(true).build();
        let disk_left = Arc::new(AtomicU64::new(DISK_QUOTA));
        let mut store = Store::new(&engine, Guest { wasi: wasi.build(), table: ResourceTable::new(), limits, disk_left });
        store.limiter(|guest| &mut guest.limits);
        store.set_epoch_deadline(1);
        let deadline = Instant::now() + TIMEOUT;
        store.epoch_deadline_callback(move |_| Ok(if Instant::now() >= deadline { UpdateDeadline::Interrupt } else { UpdateDeadline::Yield(1) }));
        let instance = pre.instantiate_async(&mut store).await?;
        let instantiated = started.elapsed();
        let func = instance.get_typed_func::<(String,), (i32,)>(&mut store, "run")?;
        let job = script.clone().unwrap_or_else(doctest_job);
        let (status,) = tokio::time::timeout(TIMEOUT, func.call_async(&mut store, (job,))).await.context("timed out")??;
        let total = started.elapsed();
        let results = std::fs::read_to_string(scratch.path().join(".pyloom-results.jsonl")).unwrap_or_default();
        if run == 0 || status != 0 {
            println!(
                "run {run}: status {status}\nstdout: {}\nstderr: {}\nresults: {results}",
                String::from_utf8_lossy(&stdout.contents()),
                String::from_utf8_lossy(&stderr.contents())
            );
        }
        instantiations.push(instantiated.as_secs_f64() * 1e3);
        totals.push(total.as_secs_f64() * 1e3);
    }
    instantiations.sort_by(f64::total_cmp);
    totals.sort_by(f64::total_cmp);
    println!(
        "{runs} runs: instantiate p50 {:.1} ms, whole run p50 {:.1} ms (min {:.1}, max {:.1})",
        instantiations[runs / 2],
        totals[runs / 2],
        totals[0],
        totals[runs - 1]
    );
    Ok(())
}

/// What `pyloom` would send for the doctest of `add`: the per-run part of
/// the boot script (paths, working directory), then the runner's call.
fn doctest_job() -> String {
    let spec = serde_json::json!({
        "module": "snippet", "file": "/src/snippet.py", "root": "/src",
        "results": "/scratch/.pyloom-results.jsonl",
        "tests": [{"id": 0, "name": "add", "kind": "doctest"}],
    });
    let literal = serde_json::to_string(&spec.to_string()).expect("a string");
    format!(
        "import os, sys\nos.chdir('/scratch')\nsys.path[:0] = ['/src', '/site-packages']\nsys.setrecursionlimit(1000)\n_pyloom_run(json.loads({literal}))\n"
    )
}

/// Whether a disk quota can be charged under preview 2 without forking
/// wasmtime-wasi: CPython's writes reach the host as `write-via-stream` /
/// `append-via-stream` streams (the preview 1 adapter inside the component
/// makes them), so those two methods are shadowed in the linker and their
/// stream wrapped in one that charges each write's growth before passing
/// it on. Only the stream path; `descriptor.write`, `set-size` and new
/// names would be shadowed the same way.
mod quota {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use bytes::Bytes;
    use wasmtime::component::{Linker, Resource};
    use wasmtime::{Result, StoreContextMut};
    use wasmtime_wasi::filesystem::{Descriptor, WasiFilesystemView};
    use wasmtime_wasi::p2::bindings::filesystem::types::{ErrorCode, HostDescriptor};
    use wasmtime_wasi::p2::{DynOutputStream, OutputStream, Pollable, StreamError, StreamResult};

    use super::Guest;

    const TYPES: &str = "wasi:filesystem/types@0.2.12";

    pub(super) fn shadow_file_streams(linker: &mut Linker<Guest>) -> Result<()> {
        linker.allow_shadowing(true);
        let mut types = linker.instance(TYPES)?;
        types.func_wrap_async("[method]descriptor.write-via-stream", |store: StoreContextMut<'_, Guest>, (fd, offset): (Resource<Descriptor>, u64)| {
            Box::new(async move { wrap(store, fd, Some(offset)) })
        })?;
        types.func_wrap_async("[method]descriptor.append-via-stream", |store: StoreContextMut<'_, Guest>, (fd,): (Resource<Descriptor>,)| {
            Box::new(async move { wrap(store, fd, None) })
        })?;
        linker.allow_shadowing(false);
        Ok(())
    }

    /// wasmtime-wasi's own stream for `fd`, wrapped in a charging one.
    fn wrap(mut store: StoreContextMut<'_, Guest>, fd: Resource<Descriptor>, offset: Option<u64>) -> Result<(Result<Resource<DynOutputStream>, ErrorCode>,)> {
        let guest = store.data_mut();
        let file = match guest.table.get(&fd)? {
            Descriptor::File(file) => Some(file.file.clone()),
            Descriptor::Dir(_) => None,
        };
        let stream = {
            let mut view = guest.filesystem();
            match offset {
                Some(offset) => HostDescriptor::write_via_stream(&mut view, Resource::new_borrow(fd.rep()), offset),
                None => HostDescriptor::append_via_stream(&mut view, Resource::new_borrow(fd.rep())),
            }
        };
        let stream = match stream {
            Ok(stream) => stream,
            Err(error) => return Ok((Err(error.downcast()?),)),
        };
        let Some(file) = file else { return Ok((Ok(stream),)) };
        let inner: DynOutputStream = guest.table.delete(stream)?;
        let charged = Charged { inner, file, position: offset, left: guest.disk_left.clone() };
        Ok((Ok(guest.table.push(Box::new(charged) as DynOutputStream)?),))
    }

    struct Charged {
        inner: DynOutputStream,
        file: Arc<std::fs::File>,
        /// `None` for an append stream (always at the end).
        position: Option<u64>,
        left: Arc<AtomicU64>,
    }

    impl OutputStream for Charged {
        fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
            let len = bytes.len() as u64;
            let size = self.file.metadata().map_err(|error| StreamError::LastOperationFailed(error.into()))?.len();
            let start = self.position.unwrap_or(size);
            let growth = (start + len).saturating_sub(size);
            let charged = self.left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| left.checked_sub(growth));
            if charged.is_err() {
                let quota = std::io::Error::from_raw_os_error(libc::EDQUOT);
                return Err(StreamError::LastOperationFailed(quota.into()));
            }
            self.inner.write(bytes)?;
            self.position = self.position.map(|position| position + len);
            Ok(())
        }

        fn flush(&mut self) -> StreamResult<()> {
            self.inner.flush()
        }

        fn check_write(&mut self) -> StreamResult<usize> {
            self.inner.check_write()
        }
    }

    #[wasmtime_wasi::async_trait]
    impl Pollable for Charged {
        async fn ready(&mut self) {
            self.inner.ready().await;
        }
    }
}
