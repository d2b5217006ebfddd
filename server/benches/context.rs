//! Context assembly and token counting over a real project (run by
//! `bench/context/run.sh`, which fetches Django): p50/p95 of assembling an
//! 8K-token context for every function and method, and tokens counted per
//! second over every file.
//!
//! Usage: cargo bench -p pyloom --bench context -- PROJECT_DIR [SAMPLE]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use pyloom::context::{ContextSettings, Encoding, NameCounts, TokenCounter, assemble_in_graph};
use pyloom::graph::SymbolKind;
use pyloom::settings::Settings;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let Some(root) = args.next().map(PathBuf::from) else {
        // `cargo test --all-targets` runs benches without arguments too.
        eprintln!("no project given (usage: cargo bench -p pyloom --bench context -- PROJECT_DIR [SAMPLE]); see bench/context/run.sh");
        return;
    };
    let sample: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(2_000);
    let root = std::fs::canonicalize(&root).expect("project folder exists");
    let settings = Settings::default();

    let started = Instant::now();
    let (graph, report) = pyloom::index::index(std::slice::from_ref(&root), &settings, None, &|_, _| {}).expect("indexing works");
    println!("indexed {} files in {:.2?}", report.files, started.elapsed());

    // Token counting: every file, both encodings.
    let texts: Vec<&str> = graph.files().map(|(_, f)| &**f.text()).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    for encoding in [Encoding::O200k, Encoding::Cl100k] {
        let counter = TokenCounter::with_encoding(encoding, 0);
        let started = Instant::now();
        let tokens: usize = texts.iter().map(|t| counter.count(t)).sum();
        let elapsed = started.elapsed().as_secs_f64();
        println!(
            "count {}: {tokens} tokens in {:.1} MB, {elapsed:.2}s: {:.2} M tokens/s, {:.1} MB/s",
            encoding.name(),
            bytes as f64 / 1e6,
            tokens as f64 / elapsed / 1e6,
            bytes as f64 / elapsed / 1e6
        );
    }

    // Assembly: every function and method (an evenly spaced sample).
    let targets: Vec<_> = graph
        .all_symbols()
        .filter_map(|id| graph.symbol(id))
        .filter(|s| matches!(s.kind, SymbolKind::Function | SymbolKind::Method) && s.file.is_some())
        .map(|s| (s.file.expect("filtered"), s.name_range.start))
        .collect();
    let step = (targets.len() / sample.max(1)).max(1);
    let counter = TokenCounter::for_model(settings.llm.primary.provider, &settings.llm.primary.model, None);
    let context_settings = ContextSettings { budget: 8192, ..ContextSettings::default() };
    let started = Instant::now();
    let names = NameCounts::new(&graph);
    println!("name counts for {} symbols in {:.2?} (once per graph snapshot)", targets.len(), started.elapsed());
    let mut times: Vec<Duration> = Vec::new();
    let mut tokens = 0;
    for &(file, offset) in targets.iter().step_by(step) {
        let Some(entry) = graph.file(file) else { continue };
        let line = entry.text()[..offset as usize].matches('\n').count() + 1;
        let started = Instant::now();
        let result = assemble_in_graph(&graph, &names, file, line, 8192, &context_settings, &counter);
        times.push(started.elapsed());
        if let Ok(context) = result {
            assert!(context.packed.tokens <= context.packed.level1.budget + context.packed.level2.budget);
            tokens += context.packed.tokens;
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "assemble 8K context: {} targets, mean {} tokens, p50 {:.2?}, p95 {:.2?}, max {:.2?}",
        times.len(),
        tokens / times.len().max(1),
        pct(0.50),
        pct(0.95),
        times[times.len() - 1]
    );
    println!("ratio p95 / 20 ms target: {:.2}", pct(0.95).as_secs_f64() / 0.020);
}
