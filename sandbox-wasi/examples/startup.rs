//! Where a job's start-up goes: loading the compiled component, then for a
//! few jobs the time from a fresh instance to the job's end (instantiation
//! is part of it). Used by bench/sandbox/run.sh; needs `pyloom sandbox install`.
//!
//! `cargo run --release --example startup -p sandbox-wasi -- [RUNS]`

use std::time::Instant;

use sandbox_wasi::{Job, Layout, Limits, Sandbox, SandboxConfig, cache_root};

const JOBS: &[(&str, &str)] = &[
    ("empty job", "pass"),
    ("import doctest (in the snapshot)", "import doctest"),
    ("import pytest (in the snapshot)", "import pytest"),
    ("import fractions (compiled at install)", "import fractions"),
];

fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args().nth(1).map_or(Ok(10), |arg| arg.parse())?;
    let layout = Layout::new(cache_root()?);
    let interpreter = layout.locate()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let started = Instant::now();
        let sandbox = Sandbox::new(SandboxConfig {
            interpreter,
            module_cache: layout.modules(),
            limits: Limits { timeout_ms: 60_000, ..Limits::default() },
            libraries: Vec::new(),
        })?;
        println!("sandbox (engine, hash, component load): {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
        println!("{:40} {:>10} {:>10}", "job", "p50", "min");
        for (label, script) in JOBS {
            let mut times = Vec::new();
            for _ in 0..runs {
                let output = sandbox.run(Job { script: (*script).into(), sources: Vec::new(), collect: Vec::new() }).await?;
                anyhow::ensure!(output.outcome == sandbox_wasi::Outcome::Exited(0), "{label}: {:?} {}", output.outcome, output.stderr);
                times.push(output.duration.as_secs_f64() * 1e3);
            }
            times.sort_by(f64::total_cmp);
            println!("{label:40} {:8.1}ms {:8.1}ms", times[runs / 2], times[0]);
        }
        anyhow::Ok(())
    })
}
