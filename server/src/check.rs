//! `pyloom check`: findings for files and folders on disk.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use rayon::prelude::*;

use crate::findings::stored::CheckCache;
use crate::findings::{self, Amends, Callees, Category, Config, Configs, FileCheck, Located, Locator, NoqaEdits, Outside, PackageRoots, Severity};
use crate::graph::{Detail, FileId, FileInput, FileSummary, Graph, PreparedFile};
use crate::notebook::Notebook;
use crate::settings::Settings;
use crate::store::Store;

/// Python files under `paths`: folders are walked honouring `.gitignore`,
/// hidden files and ruff's `exclude`; paths named explicitly are taken as
/// they are, unless ruff's `force-exclude` leaves them out (as ruff does).
pub fn python_files(paths: &[PathBuf], configs: &Configs) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if forced_out(path, configs) {
            continue;
        }
        if meta.is_file() {
            files.push(path.clone());
            continue;
        }
        // Walked by its absolute path: the exclusions match absolute paths
        // and the check looks configurations up by them, so a relative walk
        // asked for the working directory at every entry and read each
        // folder's configuration twice. Reported as named all the same.
        let absolute = std::path::absolute(path)?;
        files.extend(walk(&absolute, configs)?.into_iter().map(|file| match file.strip_prefix(&absolute) {
            Ok(inside) => path.join(inside),
            Err(_) => file,
        }));
    }
    // Comparing paths is comparing their components: thousands of them
    // were a visible serial step before the check.
    files.par_sort();
    files.dedup();
    Ok(files)
}

/// Whether `path`, named on the command line, is left out by `force-exclude`:
/// it or a folder above it, up to its project's, matches ruff's `exclude`,
/// or it is a file `lint.exclude` matches.
fn forced_out(path: &Path, configs: &Configs) -> bool {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let config = configs.for_file(&absolute);
    if config.exclusion.force && absolute.is_file() && config.exclusion.lint_excludes(&absolute) {
        return true;
    }
    for at in absolute.ancestors().filter(|a| a.file_name().is_some()) {
        let config = configs.for_file(at);
        if !config.exclusion.force {
            return false;
        }
        if config.exclusion.matches(at) {
            return true;
        }
        if at == config.project_root() {
            break;
        }
    }
    false
}

/// The Python files under `folder`, walked on every core (a large tree's
/// walk is otherwise a serial start to a parallel check).
fn walk(folder: &Path, configs: &Configs) -> Result<Vec<PathBuf>, std::io::Error> {
    let found = std::sync::Mutex::new(Ok(Vec::new()));
    ignore::WalkBuilder::new(folder).build_parallel().run(|| {
        Box::new(|entry| {
            // What ruff's `exclude` leaves out, by the configuration that
            // governs it (a folder is not walked into), and the files
            // `lint.exclude` leaves out. A file that is no Python file is
            // not taken either way: its configuration is not looked up
            // (most of a tree's files are documentation, translations and
            // assets: 4,000 of Django's 6,800).
            if let Ok(entry) = &entry
                && entry.depth() > 0
                && let is_file = entry.file_type().is_some_and(|t| t.is_file())
                && (!is_file || is_python(entry.path()))
                && let exclusion = &configs.for_file(entry.path()).exclusion
                && (exclusion.matches(entry.path()) || is_file && exclusion.lint_excludes(entry.path()))
            {
                return ignore::WalkState::Skip;
            }
            let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
            let Ok(files) = found.as_mut() else { return ignore::WalkState::Quit };
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) && is_python(entry.path()) => {
                    files.push(entry.into_path());
                }
                Ok(_) => {}
                Err(e) => {
                    *found = Err(std::io::Error::other(e));
                    return ignore::WalkState::Quit;
                }
            }
            ignore::WalkState::Continue
        })
    });
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Python sources and Jupyter notebooks, as ruff takes them by default.
fn is_python(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyi" | "ipynb"))
}

/// Checks every file, in parallel; findings are sorted by file and position.
/// With `graph_roots`, the files are also indexed into a workspace graph
/// (module names relative to those roots) for the graph checks.
///
/// Each file is parsed once: the first pass lints it and summarises it for
/// the graph, the second adds the graph checks once the graph is complete.
/// With `cache`, the first pass of a file checked before with the same text
/// and settings is read from it instead (see [`crate::findings::stored`]),
/// and the new ones are saved to it.
pub fn check_files(files: &[PathBuf], settings: &Settings, configs: &Configs, graph_roots: Option<Vec<PathBuf>>, cache: Option<Arc<Store>>) -> Report {
    // ruff matches per-file ignores against absolute paths; the graph too.
    // Made absolute against the working directory read once: asking for it
    // per file was a system call per file.
    let cwd = std::env::current_dir().ok();
    let package_roots = PackageRoots::default();
    // The library (the environment asked for its search paths) is found
    // while the files are checked, off the serial path before the graph.
    let library = graph_roots.as_ref().map(|roots| {
        let (roots, settings) = (roots.clone(), settings.clone());
        std::thread::Builder::new().spawn(move || crate::index::library::for_workspace(&roots, &settings).0)
    });
    let cache = cache.map(|store| CheckCache::new(store, files, graph_roots.is_some()));
    // Every file is read first so that the pass below can take the largest
    // first: in the files' order, a run ended with one core linting a large
    // test module while the other waited (60 ms of Django's 0.75 s). The
    // cache's entries are looked up by what was read, in one pass.
    let read: Vec<Pending> = files
        .par_iter()
        .enumerate()
        .map(|(order, file)| {
            let joined = cwd.as_ref().map_or_else(|| file.clone(), |cwd| cwd.join(file));
            let absolute = std::path::absolute(&joined).unwrap_or_else(|_| file.clone());
            let source = read(file, settings);
            let key = match (&source, &cache) {
                (Source::Text(text, None, mode), Some(cache)) => Some(cache.key(text, &absolute, *mode, &configs.for_file(&absolute))),
                _ => None,
            };
            Pending { order, file, absolute, source, key, stored: None }
        })
        .collect();
    let mut stored = cache.as_ref().map(|cache| cache.load(read.iter().filter_map(|p| p.key))).unwrap_or_default();
    let mut sources: Vec<Pending> = read.into_iter().map(|p| Pending { stored: p.key.and_then(|key| stored.remove(&key)), ..p }).collect();
    sources.sort_by_key(|p| std::cmp::Reverse(p.source.len()));
    let restored_count = std::sync::atomic::AtomicUsize::new(0);
    let mut checked: Vec<(usize, Checked)> = sources
        .into_par_iter()
        .map(|Pending { order, file, absolute, source, key, stored }| {
            let outcome = match source {
                Source::Text(text, notebook, _) => {
                    let config = configs.for_file(&absolute);
                    let restored = stored.zip(cache.as_ref()).and_then(|(blob, cache)| cache.restore(&blob, &text));
                    let (check, summary) = match restored {
                        Some(restored) => {
                            restored_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            restored
                        }
                        None => {
                            let (check, summary) = first_pass(&absolute, &text, notebook.as_deref(), &config, graph_roots.is_some(), &package_roots);
                            if let (Some(cache), Some(key)) = (&cache, key) {
                                cache.keep(key, &check, summary.as_ref());
                            }
                            (check, summary)
                        }
                    };
                    let prepared = graph_roots.as_deref().zip(summary).and_then(|(roots, summary)| {
                        let input = FileInput { path: absolute.clone(), text: text.clone(), summary: Some(Arc::new(summary)) };
                        Graph::prepare_unlinked(roots, input).map(Box::new)
                    });
                    Outcome::Checked { text, notebook, config, check, prepared }
                }
                Source::Skipped => Outcome::Skipped,
                Source::Unreadable(message) => Outcome::Unreadable(message),
            };
            (order, Checked { file: file.clone(), absolute, outcome })
        })
        .collect();
    // The new entries are written while the graph is built and checked.
    let saving = cache.map(|cache| std::thread::spawn(move || cache.save()));
    // Back in the files' order: the graph's file ids and the report follow it.
    checked.par_sort_unstable_by_key(|(order, _)| *order);
    let mut checked: Vec<Checked> = checked.into_iter().map(|(_, checked)| checked).collect();
    let prepared: Vec<PreparedFile> = match graph_roots {
        Some(_) => checked
            .iter_mut()
            .filter_map(|c| match &mut c.outcome {
                Outcome::Checked { prepared, .. } => prepared.take().map(|p| *p),
                _ => None,
            })
            .collect(),
        None => Vec::new(),
    };
    // The graph is built on one core while the others locate what the
    // first pass found: building it was a pause of one core between the
    // passes.
    let (graph, mut located): (Option<Graph>, Vec<Vec<Located>>) = rayon::join(
        || {
            graph_roots.map(|roots| {
                let library = match library {
                    Some(Ok(finding)) => finding.join().ok().flatten(),
                    _ => crate::index::library::for_workspace(&roots, settings).0,
                };
                Graph::from_prepared(roots, prepared, library)
            })
        },
        || checked.par_iter_mut().map(Checked::locate).collect(),
    );
    let hidden: usize = checked
        .iter()
        .map(|c| match &c.outcome {
            Outcome::Checked { check, .. } => check.hidden(),
            _ => 0,
        })
        .sum();
    let callees = Callees::default();
    // The calls of each file that pass data from outside to another's functions.
    let outside = match &graph {
        Some(graph) => {
            let files: Vec<(FileId, &FileCheck)> =
                checked.iter().filter_map(|c| c.check().and_then(|check| Some((graph.file_id(&c.absolute)?, check)))).collect();
            Outside::of(graph, &files)
        }
        None => Outside::default(),
    };
    // Findings made or lowered elsewhere that the confidence setting hides
    // are counted with the first pass's.
    let hidden: usize = hidden
        + checked
            .into_par_iter()
            .zip(located.par_iter_mut())
            .map(|(checked, located)| graph.as_ref().map_or(0, |graph| checked.add_graph_findings(graph, &callees, &outside, located)))
            .sum::<usize>();
    let mut located: Vec<Located> = located.into_iter().flatten().collect();
    if let Some(graph) = graph {
        graph.leave_to_exit();
    }
    // Each file's findings are in order already, and `files` usually is:
    // a stable sort by file alone is then one pass (the whole sort of the
    // report was a serial tail).
    located.sort_by(|a, b| a.file.cmp(&b.file));
    if let Some(saving) = saving
        && saving.join().is_err()
    {
        tracing::warn!("check results not cached: the writer panicked");
    }
    Report { findings: located, hidden, restored: restored_count.into_inner() }
}

/// A file read for the first pass, with its entry in the check cache.
struct Pending<'a> {
    /// Its place in the files' order.
    order: usize,
    file: &'a PathBuf,
    absolute: PathBuf,
    source: Source,
    /// Its key in the check cache (`None`: not stored, or no cache).
    key: Option<u64>,
    /// Its stored entry, undecoded.
    stored: Option<Vec<u8>>,
}

/// The first pass over a file: every check but the graph checks, and the
/// file's summary for the graph when `graph`.
fn first_pass(
    absolute: &Path,
    text: &str,
    notebook: Option<&Notebook>,
    config: &Config,
    graph: bool,
    roots: &PackageRoots,
) -> (FileCheck, Option<FileSummary>) {
    let (parsed, check) = match notebook {
        Some(notebook) => {
            let parsed = notebook.parse_cells();
            let check = FileCheck::notebook(absolute, notebook, &parsed, config, NoqaEdits::Skip, roots);
            (parsed, check)
        }
        None => {
            let parsed = findings::parse(absolute, text);
            let check = FileCheck::new(absolute, text, &parsed, config, NoqaEdits::Skip, roots);
            (parsed, check)
        }
    };
    let summary = graph.then(|| {
        let mut summary = FileSummary::from_parsed_with(text, &parsed, Detail::Checks);
        findings::keep_checked_references(&mut summary);
        summary
    });
    (check, summary)
}

/// What [`check_files`] found.
pub struct Report {
    /// The findings shown, sorted by file and position.
    pub findings: Vec<Located>,
    /// How many security findings the `confidence` setting hid.
    pub hidden: usize,
    /// How many files' first pass was read from the cache.
    pub restored: usize,
}

/// A file after the first pass.
struct Checked {
    file: PathBuf,
    absolute: PathBuf,
    outcome: Outcome,
}

impl Checked {
    /// What the first pass found, located and in report order.
    fn locate(&mut self) -> Vec<Located> {
        match &mut self.outcome {
            Outcome::Checked { text, notebook, check, .. } => {
                let locator = locator(text, notebook.as_deref(), check);
                let mut located: Vec<Located> = check.take_findings().into_iter().map(|f| locator.locate(self.file.clone(), f)).collect();
                sort_for_report(&mut located);
                located
            }
            Outcome::Skipped => Vec::new(),
            Outcome::Unreadable(message) => vec![unreadable(&self.file, std::mem::take(message))],
        }
    }

    /// The file's first check, where it was checked.
    fn check(&self) -> Option<&FileCheck> {
        match &self.outcome {
            Outcome::Checked { check, .. } => Some(check),
            _ => None,
        }
    }

    /// Adds the graph checks' findings to `located`, this file's findings
    /// in report order; gives how many findings the confidence setting
    /// hides of those made or lowered there.
    fn add_graph_findings(&self, graph: &Graph, callees: &Callees, outside: &Outside, located: &mut Vec<Located>) -> usize {
        let Outcome::Checked { text, notebook, config, check, .. } = &self.outcome else { return 0 };
        let Some(file) = graph.file_id(&self.absolute) else { return 0 };
        let (found, amends) = check.graph_findings(&self.absolute, text, config, (graph, file), callees, outside);
        if found.is_empty() && amends == Amends::default() {
            return 0;
        }
        let mut hidden = amends.hidden;
        let locator = locator(text, notebook.as_deref(), check);
        locator.amend(located, amends);
        let shown = located.len();
        located.retain(|f| config.confident_enough(f.confidence));
        hidden += shown - located.len();
        located.extend(found.into_iter().map(|f| locator.locate(self.file.clone(), f)));
        sort_for_report(located);
        hidden
    }
}

fn locator<'a>(text: &'a str, notebook: Option<&'a Notebook>, check: &FileCheck) -> Locator<'a> {
    let locator = Locator::with_index(text, check.line_index());
    match notebook {
        Some(notebook) => locator.in_cells(notebook),
        None => locator,
    }
}

/// A file's findings in the report's order: by position, code, then end
/// (what sorting by range, then stably by position and code, gives).
fn sort_for_report(located: &mut [Located]) {
    located.sort_by(|a, b| (a.cell, a.line, a.column, &a.code, a.end_line, a.end_column).cmp(&(b.cell, b.line, b.column, &b.code, b.end_line, b.end_column)));
}

enum Outcome {
    /// `prepared` is the file made ready for the graph, until the graph
    /// takes it.
    Checked {
        /// A notebook's module text.
        text: Arc<str>,
        notebook: Option<Box<Notebook>>,
        config: Arc<Config>,
        check: FileCheck,
        prepared: Option<Box<PreparedFile>>,
    },
    Skipped,
    Unreadable(String),
}

enum Source {
    /// The text to check: a notebook's module text, with the notebook; and
    /// the file's permissions (ruff's shebang rules read them).
    Text(Arc<str>, Option<Box<Notebook>>, u32),
    /// Larger than `files.max_file_bytes`.
    Skipped,
    Unreadable(String),
}

impl Source {
    /// The bytes there are to check.
    fn len(&self) -> usize {
        match self {
            Source::Text(text, ..) => text.len(),
            Source::Skipped | Source::Unreadable(_) => 0,
        }
    }
}

fn read(file: &Path, settings: &Settings) -> Source {
    let (bytes, mode) = match read_with_mode(file) {
        Ok(read) => read,
        Err(e) => return Source::Unreadable(format!("cannot read file: {e}")),
    };
    let too_large = |bytes: usize| {
        let skip = bytes > settings.files.max_file_bytes;
        if skip {
            tracing::warn!(file = %file.display(), bytes, "file larger than files.max_file_bytes, skipped");
        }
        skip
    };
    // A notebook's outputs (images) are no code: its limit is on its code.
    let notebook = Notebook::is_notebook(file);
    if !notebook && too_large(bytes.len()) {
        return Source::Skipped;
    }
    match String::from_utf8(bytes) {
        Ok(source) if notebook => match Notebook::parse(&source) {
            Ok(notebook) if !notebook.is_python() => {
                tracing::info!(file = %file.display(), "not a Python notebook, skipped");
                Source::Skipped
            }
            Ok(notebook) if too_large(notebook.source().len()) => Source::Skipped,
            Ok(notebook) => Source::Text(notebook.source().into(), Some(Box::new(notebook)), mode),
            Err(message) => Source::Unreadable(message),
        },
        Ok(source) => Source::Text(source.into(), None, mode),
        // ruff reads only UTF-8 too (its E902), whatever a `# coding:`
        // cookie says: the file is reported, not decoded another way.
        Err(e) => Source::Unreadable(format!("file is not valid UTF-8 (byte {}): nothing in it was checked, security included", e.utf8_error().valid_up_to())),
    }
}

/// The file's bytes and its permission bits, from one open (what
/// `std::fs::read` does, keeping the metadata it reads anyway).
fn read_with_mode(file: &Path) -> std::io::Result<(Vec<u8>, u32)> {
    use std::io::Read;
    let mut opened = std::fs::File::open(file)?;
    let meta = opened.metadata()?;
    #[cfg(unix)]
    let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
    #[cfg(not(unix))]
    let mode = u32::from(meta.permissions().readonly());
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    opened.read_to_end(&mut bytes)?;
    Ok((bytes, mode))
}

fn unreadable(file: &Path, message: String) -> Located {
    Located {
        file: file.to_owned(),
        cell: None,
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
        code: "E902".to_owned(),
        category: Category::Syntax,
        severity: Severity::Error,
        message,
        fix: None,
        url: None,
        confidence: None,
        related: Vec::new(),
    }
}

/// The findings as a pretty-printed JSON array (what `serde_json` prints
/// for the whole list), each finding serialised on its own core: a large
/// tree's report is megabytes, and printing it was a serial tail.
pub fn format_json(findings: &[Located]) -> String {
    if findings.is_empty() {
        return "[]\n".to_owned();
    }
    let items: Vec<String> = findings
        .par_iter()
        .map(|f| {
            // Printed as the one item of a list, then read out of its
            // brackets: nested one level as in the whole list. Indenting
            // each line of the item printed alone cost as much again as
            // printing it (Django's 9,166 findings: 53M instructions of
            // splitting lines beside 58M of printing).
            serde_json::to_string_pretty(std::slice::from_ref(f)).expect("findings serialize")
        })
        .collect();
    let items: Vec<&str> = items.iter().map(|item| &item["[\n".len()..item.len() - "\n]".len()]).collect();
    // One buffer of the report's size: joining, then formatting, copied
    // the megabytes twice and held three copies at the run's peak.
    let mut out = String::with_capacity(items.iter().map(|i| i.len() + 2).sum::<usize>() + 6);
    out.push_str("[\n");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(item);
    }
    out.push_str("\n]\n");
    out
}

/// One line per finding, like compilers print them; formatted on every
/// core (thousands of lines were a serial tail of a large check).
pub fn format_text(findings: &[Located]) -> String {
    use std::fmt::Write;
    let chunks: Vec<String> = findings
        .par_chunks(512)
        .map(|chunk| {
            let mut out = String::new();
            for f in chunk {
                // ruff's way of naming a place in a notebook: `cell 3:` first.
                let cell = f.cell.map(|cell| format!("cell {cell}:")).unwrap_or_default();
                // A security finding's confidence decides whether it is shown.
                let confidence = f.confidence.map(|c| format!(", {}", c.as_str())).unwrap_or_default();
                let _ = writeln!(out, "{}:{cell}{}:{}: {} [{}{confidence}] {}", f.file.display(), f.line, f.column, f.code, f.severity.as_str(), f.message);
            }
            out
        })
        .collect();
    chunks.concat()
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
