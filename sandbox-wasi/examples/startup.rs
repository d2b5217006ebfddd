//! Where an interpreter's start-up goes: for each prelude, the time from
//! spawning a fresh interpreter to its first read of the job (instantiate,
//! CPython's own init, `site`, the boot script, the prelude), then the run
//! of an empty job. Used by bench/sandbox/run.sh; needs `pyloom sandbox install`.
//!
//! `cargo run --release --example startup -p sandbox-wasi -- [RUNS]`

use std::sync::Arc;
use std::time::Instant;

use sandbox_wasi::{Job, Layout, Limits, Sandbox, SandboxConfig, WarmPool, cache_root};

const PRELUDES: &[(&str, &str)] = &[
    ("bare interpreter", ""),
    ("import doctest", "import doctest"),
    ("import unittest", "import unittest"),
    ("doctest + unittest + json + ast", "import doctest, unittest, json, ast"),
    ("import pytest", "import pytest"),
];

fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args().nth(1).map_or(Ok(5), |arg| arg.parse())?;
    let layout = Layout::new(cache_root()?);
    let interpreter = layout.locate()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let started = Instant::now();
        let sandbox = Arc::new(Sandbox::new(SandboxConfig {
            interpreter,
            module_cache: layout.modules(),
            limits: Limits { timeout_ms: 60_000, ..Limits::default() },
            libraries: Vec::new(),
        })?);
        println!("sandbox (engine, hash, module load): {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
        println!("{:34} {:>10} {:>10} {:>10}", "prelude", "warm p50", "min", "job p50");
        for (label, prelude) in PRELUDES {
            let pool = WarmPool::new(sandbox.clone(), *prelude, 0);
            let mut warm = Vec::new();
            let mut jobs = Vec::new();
            for _ in 0..runs {
                let output = pool.run(Job { script: "pass".into(), sources: Vec::new(), collect: Vec::new() }).await?;
                anyhow::ensure!(output.outcome == sandbox_wasi::Outcome::Exited(0), "{label}: {:?} {}", output.outcome, output.stderr);
                warm.push(output.prelude_wait.as_secs_f64() * 1e3);
                jobs.push(output.duration.as_secs_f64() * 1e3);
            }
            warm.sort_by(f64::total_cmp);
            jobs.sort_by(f64::total_cmp);
            println!("{label:34} {:8.1}ms {:8.1}ms {:8.1}ms", warm[runs / 2], warm[0], jobs[runs / 2]);
        }
        anyhow::Ok(())
    })
}
