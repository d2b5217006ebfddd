//! `pyloom explain FILE:LINE:COL` and `pyloom graph PATH`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::graph::{Graph, explain};
use crate::settings::{self, Settings};
use crate::store::Store;

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

/// The project folder of `file`: the nearest ancestor holding a
/// `pyproject.toml`, `setup.py`, `setup.cfg` or `.git`, else its folder.
pub fn project_root(file: &Path) -> PathBuf {
    let start = file.parent().unwrap_or(Path::new("."));
    start
        .ancestors()
        .find(|dir| ["pyproject.toml", "setup.py", "setup.cfg", ".git"].iter().any(|m| dir.join(m).exists()))
        .unwrap_or(start)
        .to_owned()
}

/// Byte offset of a 1-based line and scalar-value column in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> Option<u32> {
    let line_start = if line == 1 { 0 } else { text.match_indices('\n').nth(line - 2)?.0 + 1 };
    let line_text = text[line_start..].split('\n').next().unwrap_or("");
    let within = line_text.char_indices().nth(column - 1).map_or(line_text.len(), |(i, _)| i);
    u32::try_from(line_start + within).ok()
}

/// Workspace settings of `root`, warnings printed to stderr.
pub fn workspace_settings(root: &Path) -> Settings {
    let (layers, mut warnings) = settings::workspace_layers(root);
    let resolved = settings::resolve(&layers);
    warnings.extend(resolved.warnings);
    for warning in warnings {
        eprintln!("pyloom: warning: {warning}");
    }
    resolved.settings
}

/// Indexes `root` with the workspace's settings and, unless `no_cache`, the
/// summary cache.
pub fn load_graph(root: &Path, settings: &Settings, no_cache: bool) -> Result<(Graph, super::IndexReport), String> {
    let store = if settings.index.cache && !no_cache {
        Store::open_for_workspace(&[root.to_owned()])
            .map_err(|e| eprintln!("pyloom: warning: summary cache disabled: {e}"))
            .ok()
    } else {
        None
    };
    super::index(&[root.to_owned()], settings, store.as_ref(), &|_, _| {})
}

/// The hover text at a position, as the editor would show it.
pub fn explain(position: &FilePosition, root: Option<&Path>, no_cache: bool) -> Result<Option<String>, String> {
    let file = std::fs::canonicalize(&position.file).map_err(|e| format!("{}: {e}", position.file.display()))?;
    let root = match root {
        Some(root) => std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?,
        None => project_root(&file),
    };
    let settings = workspace_settings(&root);
    let (mut graph, _) = load_graph(&root, &settings, no_cache)?;
    let text = super::read_source(&file, settings.files.max_file_bytes)?;
    // The file may be outside the indexed folders or excluded: add it.
    graph.update_file(&file, &text);
    let id = graph.file_id(&file).ok_or_else(|| format!("{} is outside {}", file.display(), root.display()))?;
    let offset = offset_of(&text, position.line, position.column)
        .ok_or_else(|| format!("{}: no line {}", file.display(), position.line))?;
    Ok(explain::hover(&graph, id, offset))
}

/// Index statistics of a folder, one `key: value` per line.
pub fn graph_stats(path: &Path, no_cache: bool) -> Result<String, String> {
    let root = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let settings = workspace_settings(&root);
    let started = Instant::now();
    let (graph, report) = load_graph(&root, &settings, no_cache)?;
    let elapsed = started.elapsed();
    let stats = graph.stats();
    for skipped in &report.skipped {
        eprintln!("pyloom: warning: {skipped}");
    }
    Ok(format!(
        "files: {}\nfrom_cache: {}\nsymbols: {}\nexternal_symbols: {}\nedges: {}\nunresolved_references: {}\nfiles_with_syntax_errors: {}\nskipped_files: {}\ntime_ms: {:.1}\npeak_rss_mb: {:.1}\n",
        stats.files,
        report.from_cache,
        stats.symbols,
        stats.externals,
        stats.edges,
        stats.unresolved,
        stats.syntax_errors,
        report.skipped.len(),
        elapsed.as_secs_f64() * 1000.0,
        peak_rss_bytes() as f64 / (1024.0 * 1024.0),
    ))
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
    }
}
