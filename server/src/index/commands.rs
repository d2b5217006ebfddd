//! `pyloom explain FILE:LINE:COL` and `pyloom graph PATH`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::graph::explain;
use crate::project::{canonical, load_graph, project_root, workspace_settings};

/// A position as given on the command line: `FILE:LINE:COL`, 1-based, the
/// column counting Unicode scalar values (as `pyloom check` prints them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePosition {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl std::str::FromStr for FilePosition {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut parts = s.rsplitn(3, ':');
        let (Some(column), Some(line), Some(file)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("expected FILE:LINE:COL, got `{s}`"));
        };
        let number = |n: &str, what: &str| match n.parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("{what} must be a positive number, got `{n}`")),
        };
        Ok(Self { file: PathBuf::from(file), line: number(line, "LINE")?, column: number(column, "COL")? })
    }
}

/// Byte offset of a 1-based line and scalar-value column in `text`, lines
/// ending where `pyloom check` (ruff) and the editor end them.
pub fn offset_of(text: &str, line: usize, column: usize) -> Option<u32> {
    let line_start = crate::line_ends::line_start(text, line.checked_sub(1)?)?;
    let line_text = crate::line_ends::line(text, line - 1)?;
    let within = line_text.char_indices().nth(column - 1).map_or(line_text.len(), |(i, _)| i);
    u32::try_from(line_start + within).ok()
}

/// The hover text at a position, as the editor would show it.
pub fn explain(position: &FilePosition, root: Option<&Path>, no_cache: bool) -> Result<Option<String>, String> {
    let file = canonical(&position.file)?;
    let root = match root {
        Some(root) => canonical(root)?,
        None => project_root(&file),
    };
    let settings = workspace_settings(&root);
    let (mut graph, _) = load_graph(&root, &settings, no_cache)?;
    let text = super::read_source(&file, settings.files.max_file_bytes)?;
    // The file may be outside the indexed folders or excluded: add it.
    graph.update_file(&file, &text);
    let id = graph.file_id(&file).ok_or_else(|| format!("{} is outside {}", file.display(), root.display()))?;
    let offset = offset_of(&text, position.line, position.column).ok_or_else(|| format!("{}: no line {}", file.display(), position.line))?;
    Ok(crate::ide::hover::hover(&graph, id, offset))
}

/// Index statistics of a folder, one `key: value` per line.
/// With `memory`, also what each part of the graph holds on the heap.
pub fn graph_stats(path: &Path, no_cache: bool, memory: bool) -> Result<String, String> {
    let root = canonical(path)?;
    let settings = workspace_settings(&root);
    if memory {
        crate::memory::follow_peaks();
    }
    let started = Instant::now();
    let (graph, report) = load_graph(&root, &settings, no_cache)?;
    let elapsed = started.elapsed();
    if memory {
        // What a server holds once indexed (see `index_for_server`).
        crate::memory::return_freed();
        crate::memory::phase("returned");
    }
    let stats = graph.stats();
    let peak_rss_mb = peak_rss_bytes() as f64 / (1024.0 * 1024.0);
    let heap = if memory {
        let parts = graph.free_by_part().ok_or("this build's allocator cannot count what the graph holds")?;
        let kb = |bytes: usize| bytes as f64 / 1024.0;
        // What each phase of indexing held at its end and at most.
        let phases = crate::memory::phases();
        let mut lines: String = phases
            .iter()
            .map(|p| {
                let name = p.name;
                let (live, peak, rss, rss_peak) = (kb(p.live), kb(p.peak), kb(p.rss), kb(p.rss_peak));
                format!("phase_{name}_heap_kb: {live:.1}\nphase_{name}_heap_peak_kb: {peak:.1}\nphase_{name}_rss_kb: {rss:.1}\nphase_{name}_rss_peak_kb: {rss_peak:.1}\n")
            })
            .collect();
        let total: crate::memory::Freed = parts.iter().map(|(_, freed)| *freed).sum();
        lines.extend(parts.iter().map(|(part, freed)| format!("heap_kb_{part}: {:.1}\n", kb(freed.asked))));
        lines.push_str(&format!("heap_kb_total: {:.1}\n", kb(total.asked)));
        // The same in the allocator's blocks: what the pages hold.
        lines.extend(parts.iter().map(|(part, freed)| format!("heap_blocks_kb_{part}: {:.1}\n", kb(freed.blocks))));
        lines.push_str(&format!("heap_blocks_kb_total: {:.1}\n", kb(total.blocks)));
        lines
    } else {
        graph.leave_to_exit();
        String::new()
    };
    for warning in report.skipped.iter().chain(&report.environment_warnings) {
        eprintln!("pyloom: warning: {warning}");
    }
    Ok(format!(
        "environment: {}\nfiles: {}\nfrom_cache: {}\nsymbols: {}\nexternal_symbols: {}\nedges: {}\nunresolved_references: {}\nfiles_with_syntax_errors: {}\nskipped_files: {}\ntime_ms: {:.1}\npeak_rss_mb: {:.1}\n",
        report.environment,
        stats.files,
        report.from_cache,
        stats.symbols,
        stats.externals,
        stats.edges,
        stats.unresolved,
        stats.syntax_errors,
        report.skipped.len(),
        elapsed.as_secs_f64() * 1000.0,
        peak_rss_mb,
    ) + &heap)
}

/// The environment a folder's project resolves names outside the
/// workspace in (`pyloom environment`), and what finding it warned of.
pub fn environment(path: &Path) -> Result<String, String> {
    let root = canonical(path)?;
    let settings = workspace_settings(&root);
    let (library, environment) = super::library::for_workspace(std::slice::from_ref(&root), &settings);
    for warning in &environment.warnings {
        eprintln!("pyloom: warning: {warning}");
    }
    let mut out = format!("{}\n", super::library::describe(library.as_deref(), &environment));
    for path in library.iter().flat_map(|l| l.search_paths().map(Path::to_path_buf).collect::<Vec<_>>()) {
        out.push_str(&format!("  {}\n", path.display()));
    }
    Ok(out)
}

/// Where each `FILE:LINE:COL` line of `positions` (paths relative to
/// `path`) goes to by definition: `FILE:LINE:COL` lines (1-based, columns in
/// characters), `module FILE` for modules, `-` for nothing or outside the
/// workspace. For comparing with other tools (bench/graph).
pub fn resolve_positions(path: &Path, positions: &Path) -> Result<String, String> {
    let root = canonical(path)?;
    let settings = workspace_settings(&root);
    let (graph, _) = load_graph(&root, &settings, false)?;
    let input = std::fs::read_to_string(positions).map_err(|e| format!("{}: {e}", positions.display()))?;
    let mut out = String::new();
    for line in input.lines().filter(|l| !l.trim().is_empty()) {
        let answer = line
            .parse::<FilePosition>()
            .ok()
            .and_then(|p| {
                let file = graph.file_id(&root.join(&p.file))?;
                let offset = offset_of(graph.file(file)?.text(), p.line, p.column)?;
                graph.definition(file, offset)
            })
            .and_then(|resolved| {
                let (file, span, is_module) = match resolved {
                    crate::graph::Resolved::Symbol(id) => {
                        let symbol = graph.symbol(id)?;
                        (symbol.file?, symbol.name_range, symbol.kind == crate::graph::SymbolKind::Module)
                    }
                    crate::graph::Resolved::Local { file, span } => (file, span, false),
                    crate::graph::Resolved::External(_) => return None,
                };
                let entry = graph.file(file)?;
                let relative = entry.path.strip_prefix(&root).unwrap_or(&entry.path).display().to_string();
                if is_module {
                    return Some(format!("module {relative}"));
                }
                let (line, _) = explain::line_col(entry.text(), span.start);
                let line_start = entry.text()[..span.start as usize].rfind('\n').map_or(0, |i| i + 1);
                let column = entry.text()[line_start..span.start as usize].chars().count() + 1;
                Some(format!("{relative}:{line}:{column}"))
            })
            .unwrap_or_else(|| "-".to_owned());
        out.push_str(&answer);
        out.push('\n');
    }
    Ok(out)
}

/// Latencies measured on an indexed graph (`pyloom graph --measure`).
pub fn measure(path: &Path, edit_file: &Path, samples: usize) -> Result<String, String> {
    let root = canonical(path)?;
    let edit_file = canonical(edit_file)?;
    let settings = workspace_settings(&root);
    let (mut graph, _) = load_graph(&root, &settings, true)?;
    let text = super::read_source(&edit_file, settings.files.max_file_bytes)?;
    if graph.file_id(&edit_file).is_none() {
        return Err(format!("{} is not indexed", edit_file.display()));
    }

    // One keystroke at a time inside function bodies: type a character at
    // the end of a line, then delete it, as an editor sends them.
    let lines: Vec<usize> =
        text.match_indices('\n').map(|(i, _)| i).filter(|&i| text[..i].rsplit('\n').next().is_some_and(|l| l.starts_with("        "))).collect();
    if lines.is_empty() {
        return Err(format!("{} has no indented lines to edit", edit_file.display()));
    }
    let mut updates = Vec::with_capacity(samples);
    for i in 0..samples {
        let at = lines[(i * 7919) % lines.len()];
        for edited in [format!("{}x{}", &text[..at], &text[at..]), text.clone()] {
            let started = Instant::now();
            graph.update_file(&edit_file, &edited);
            updates.push(started.elapsed());
        }
    }

    // Hover and definition on name references spread over the files.
    let mut positions = Vec::new();
    for (id, entry) in graph.files() {
        for reference in entry.summary.references.iter().step_by(53) {
            positions.push((id, reference.span().end.saturating_sub(1)));
        }
    }
    let stride = (positions.len() / samples.max(1)).max(1);
    let positions: Vec<_> = positions.into_iter().step_by(stride).take(samples).collect();
    let mut hovers = Vec::with_capacity(positions.len());
    let mut definitions = Vec::with_capacity(positions.len());
    // The fastest of three runs per position too: on a loaded machine a
    // single run's p99 is mostly the scheduler preempting it.
    let mut hovers_min3 = Vec::with_capacity(positions.len());
    for &(id, offset) in &positions {
        let started = Instant::now();
        let _ = explain::hover(&graph, id, offset);
        hovers.push(started.elapsed());
        let started = Instant::now();
        let _ = graph.definition(id, offset);
        definitions.push(started.elapsed());
        let fastest = (0..2)
            .map(|_| {
                let started = Instant::now();
                let _ = explain::hover(&graph, id, offset);
                started.elapsed()
            })
            .chain([hovers[hovers.len() - 1]])
            .min()
            .unwrap_or_default();
        hovers_min3.push(fastest);
    }
    Ok(format!(
        "update_p50_ms: {:.3}\nupdate_p99_ms: {:.3}\nhover_p50_ms: {:.3}\nhover_p99_ms: {:.3}\nhover_min3_p99_ms: {:.3}\ndefinition_p50_ms: {:.3}\ndefinition_p99_ms: {:.3}\npeak_rss_mb: {:.1}\n",
        percentile(&mut updates, 50),
        percentile(&mut updates, 99),
        percentile(&mut hovers, 50),
        percentile(&mut hovers, 99),
        percentile(&mut hovers_min3, 99),
        percentile(&mut definitions, 50),
        percentile(&mut definitions, 99),
        peak_rss_bytes() as f64 / (1024.0 * 1024.0),
    ))
}

fn percentile(samples: &mut [std::time::Duration], p: usize) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort();
    let index = ((samples.len() - 1) * p).div_ceil(100);
    samples[index].as_secs_f64() * 1000.0
}

/// The peak resident set size of this process.
pub fn peak_rss_bytes() -> u64 {
    #[cfg(unix)]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage fills the struct it is given.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } == 0 {
            let usage = unsafe { usage.assume_init() };
            // Linux reports kilobytes, macOS bytes.
            let scale = if cfg!(target_os = "macos") { 1 } else { 1024 };
            return usage.ru_maxrss as u64 * scale;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_positions_and_offsets() {
        let p: FilePosition = "a/b.py:3:7".parse().unwrap();
        assert_eq!(p, FilePosition { file: "a/b.py".into(), line: 3, column: 7 });
        assert!("a/b.py:0:1".parse::<FilePosition>().is_err());
        assert!("b.py:3".parse::<FilePosition>().is_err());
        assert_eq!(offset_of("ab\nc😀d\n", 2, 3), Some(8));
        assert_eq!(offset_of("ab\n", 5, 1), None);
        // A bare `\r` ends a line as `pyloom check` counts them; a U+2028
        // in a string ends none.
        assert_eq!(offset_of("a = 1\rb = 2\r\nc", 2, 1), Some(6));
        assert_eq!(offset_of("a = 1\rb = 2\r\nc", 3, 1), Some(13));
        assert_eq!(offset_of("s = '\u{2028}'\nb", 2, 1), Some(10));
        assert_eq!(offset_of("a\r", 2, 1), Some(2), "the line after a final break");
    }
}
