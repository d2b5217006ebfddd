//! Code outside the workspace: the standard library and the installed
//! packages, found as the interpreter finds them and read on first use.
//!
//! A module name is looked up once, in the interpreter's order (the graph
//! resolves the workspace's own modules before asking here): typeshed's
//! standard-library stubs, which shadow the interpreter's own library;
//! then each folder of the environment's `sys.path`, where a `-stubs`
//! package (PEP 561) comes before the package, a package's `__init__`
//! before a module file of the same name, and a `.pyi` before the `.py`
//! beside it; an untyped package is typed by typeshed's third-party stubs
//! where they have it (see `third_party`). A folder without `__init__` is
//! a namespace package, which a regular package found later wins over, as
//! in the interpreter.
//!
//! A file found is parsed the first time it is read, into the summary
//! workspace files get, as the environment's interpreter runs it (the `if
//! sys.version_info`/`sys.platform` branches it takes, see [`Platform`]).
//! Its [`FileEntry`] has a [`FileId`] of this layer's range and no graph
//! nodes: library code is never renamed and never a caller. What a
//! workspace reference resolves to here stays an external dotted path in
//! the graph's edges; the features ask this layer what the path names
//! ([`super::Graph::library_item`]). Memory grows with the modules read,
//! never with what is installed.

mod distribution;
mod files;
mod items;
mod resolve;
mod third_party;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use rustc_hash::FxHashMap;

use super::resolve::ClassRef;
use super::summary::{DefinitionId, Platform};
use super::{FileEntry, FileId, FileSummary, Hashes, Prepared};
use files::Files;

pub use items::{LibraryItem, LibraryMember, LibrarySymbol};
pub(super) use resolve::library_path;

/// Library files get ids from here up.
const FIRST_LIBRARY: u32 = 1 << 31;
/// How many modules [`Library::warm`] parses beyond those it is named.
const MAX_WARMED: usize = 256;
/// Files larger than this are not read (typeshed's largest stub is ~100 KB,
/// pandas' largest module ~500 KB; larger ones are generated tables).
const MAX_FILE_BYTES: u64 = 2 << 20;
/// The version assumed when the environment's interpreter is unknown.
const DEFAULT_VERSION: (u32, u32) = (3, 12);

/// How a library file was found, which says how far it is trusted: only
/// typed code is checked (an untyped library is dynamic: a name it does
/// not define may still be there at run time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// typeshed's standard-library stubs.
    StdlibStub,
    /// The interpreter's own standard library (typeshed's stubs not installed).
    Stdlib,
    /// A `.pyi` stub beside a source, or a `-stubs` package.
    Stub,
    /// A package marked `py.typed`.
    Typed,
    /// A package without types.
    Untyped,
}

impl Origin {
    /// Whether calls into it and its module attributes may be checked.
    pub fn is_typed(self) -> bool {
        matches!(self, Origin::StdlibStub | Origin::Stub | Origin::Typed)
    }

    pub fn is_stdlib(self) -> bool {
        matches!(self, Origin::StdlibStub | Origin::Stdlib)
    }
}

/// Where library summaries are kept between runs, by a key of the file's
/// content and the platform it was read for: a second start parses no
/// library file it parsed before.
pub trait SummaryCache: Send + Sync + std::fmt::Debug {
    fn load(&self, key: u64) -> Option<Arc<FileSummary>>;
    fn save(&self, key: u64, summary: &FileSummary);
}

/// What a module name is in the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    File(u32),
    /// A folder without `__init__`: its submodules are found, it has no file.
    Namespace,
    Missing,
}

/// A library file found, and its summary once read.
#[derive(Debug)]
struct Source {
    path: PathBuf,
    module: String,
    is_package: bool,
    origin: Origin,
    /// Which `sys.path` folder it was found in (`None`: typeshed).
    search_path: Option<usize>,
    entry: OnceLock<Option<FileEntry>>,
}

/// The standard library and the installed packages of one environment.
#[derive(Debug)]
pub struct Library {
    files: Files,
    /// typeshed's `stdlib` folder, when its stubs are installed.
    typeshed: Option<PathBuf>,
    /// The environment's `sys.path`, in order.
    search_paths: Vec<PathBuf>,
    /// typeshed's third-party stubs, when installed (see `third_party`).
    third_party: third_party::ThirdParty,
    /// Which of them are the interpreter's own standard library.
    stdlib: Vec<PathBuf>,
    platform: Platform,
    lookups: RwLock<FxHashMap<String, Found>>,
    by_path: Mutex<FxHashMap<PathBuf, u32>>,
    sources: boxcar::Vec<Source>,
    /// The MROs of library classes computed so far: the same for every
    /// workspace file, so relinking a file does not walk `str`'s bases again.
    mros: Mutex<FxHashMap<(FileId, DefinitionId), Vec<ClassRef>>>,
    /// The type parameters of library classes computed so far, likewise.
    parameters: Mutex<FxHashMap<(FileId, DefinitionId), Vec<String>>>,
    /// Distributions by `(search path, top-level name)`, see [`distribution`].
    distributions: Mutex<FxHashMap<(usize, String), Option<distribution::Distribution>>>,
    cache: Option<Box<dyn SummaryCache>>,
    /// How many files were parsed (not found in the cache).
    parses: AtomicUsize,
    /// The sources of the modules stubs type, found apart (see
    /// [`Library::source_module`]).
    source_modules: Mutex<FxHashMap<String, Option<u32>>>,
}

impl Library {
    /// The library of an environment: typeshed's standard-library stubs
    /// (when installed), then `search_paths` (the interpreter's `sys.path`),
    /// `stdlib` naming those that hold its own standard library.
    pub fn new(typeshed: Option<PathBuf>, search_paths: Vec<PathBuf>, stdlib: Vec<PathBuf>, version: Option<(u32, u32)>) -> Library {
        Self::with_files(Files::Disk, typeshed, search_paths, stdlib, version)
    }

    /// Only typeshed's standard-library stubs, given as text by path
    /// relative to their root (tests).
    pub fn from_texts(files: Vec<(String, String)>) -> Library {
        Self::in_memory(files, Vec::new())
    }

    /// typeshed's stubs and one `site-packages`, given as text by path
    /// relative to their roots (tests: `requests/__init__.py`,
    /// `yaml-stubs/__init__.pyi`); typeshed's paths under `stubs/` are its
    /// third-party stubs (`stubs/types-yaml/yaml/__init__.pyi`).
    pub fn in_memory(typeshed: Vec<(String, String)>, site_packages: Vec<(String, String)>) -> Library {
        let (stdlib_root, site_root) = (PathBuf::from("/typeshed/stdlib"), PathBuf::from("/venv/site-packages"));
        let third_party_root = PathBuf::from("/typeshed/stubs");
        let has_third_party = typeshed.iter().any(|(path, _)| path.starts_with("stubs/"));
        let mut files = FxHashMap::default();
        for (root, texts) in [(&stdlib_root, typeshed), (&site_root, site_packages)] {
            for (path, text) in texts {
                let path = match path.strip_prefix("stubs/") {
                    Some(stub) if root == &stdlib_root => third_party_root.join(stub),
                    _ => root.join(path),
                };
                files.insert(path, Arc::from(text));
            }
        }
        Self::with_files(Files::Memory(files), Some(stdlib_root), vec![site_root], Vec::new(), None)
            .with_third_party_stubs(has_third_party.then_some(third_party_root))
    }

    fn with_files(files: Files, typeshed: Option<PathBuf>, search_paths: Vec<PathBuf>, stdlib: Vec<PathBuf>, version: Option<(u32, u32)>) -> Library {
        Library {
            files,
            typeshed,
            search_paths,
            third_party: third_party::ThirdParty::default(),
            stdlib,
            platform: Platform::host(version.unwrap_or(DEFAULT_VERSION)),
            lookups: RwLock::default(),
            by_path: Mutex::default(),
            sources: boxcar::Vec::new(),
            mros: Mutex::default(),
            parameters: Mutex::default(),
            distributions: Mutex::default(),
            cache: None,
            parses: AtomicUsize::new(0),
            source_modules: Mutex::default(),
        }
    }

    /// The same library, with typeshed's third-party stubs (the folder of
    /// `stubs/<distribution>/`) typing the untyped packages they cover.
    pub fn with_third_party_stubs(mut self, stubs: Option<PathBuf>) -> Library {
        self.third_party = third_party::ThirdParty::new(stubs);
        self
    }

    /// The same library, keeping its summaries in `cache`.
    pub fn with_cache(mut self, cache: Box<dyn SummaryCache>) -> Library {
        self.cache = Some(cache);
        self
    }

    /// How many library files were parsed so far (read from the cache
    /// ones are not counted).
    pub fn parses(&self) -> usize {
        self.parses.load(Ordering::Relaxed)
    }

    /// The folders searched, in order (typeshed's first; its third-party
    /// stubs last, though an untyped package's are read before it).
    pub fn search_paths(&self) -> impl Iterator<Item = &Path> {
        self.typeshed.iter().chain(&self.search_paths).map(PathBuf::as_path).chain(self.third_party.root())
    }

    /// Whether typeshed's standard-library stubs are part of it.
    pub fn has_stdlib_stubs(&self) -> bool {
        self.typeshed.is_some()
    }

    /// Whether typeshed's third-party stubs are part of it.
    pub fn has_third_party_stubs(&self) -> bool {
        self.third_party.root().is_some()
    }

    /// How many library files have been parsed so far.
    pub fn parsed(&self) -> usize {
        self.sources.iter().filter(|(_, s)| s.entry.get().is_some()).count()
    }

    /// Parses the modules named (with `builtins`, which every name falls
    /// back to) ahead of the first request that needs them, and the
    /// modules of their own package they import (`requests` imports
    /// `requests.api` and `requests.models`, where its names are defined),
    /// at most [`MAX_WARMED`] of those; other imports are parsed when first
    /// read. Returns how many were parsed.
    pub fn warm<'a>(&self, modules: impl IntoIterator<Item = &'a str>) -> usize {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut named = Vec::new();
        for name in modules.into_iter().chain(["builtins"]) {
            // `import a.b.c` needs `a` and `a.b` too.
            let mut prefix = String::new();
            for part in name.split('.') {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(part);
                let Found::File(index) = self.lookup(&prefix) else { break };
                if seen.insert(index) {
                    self.entry(FileId(FIRST_LIBRARY + index));
                    named.push(index);
                }
            }
        }
        let mut extra = 0;
        for index in named {
            let Some(entry) = self.entry(FileId(FIRST_LIBRARY + index)) else { continue };
            let top = entry.module.split('.').next().unwrap_or_default();
            for import in &entry.summary.imports {
                let Some(module) = super::absolute_module(&entry.module, entry.is_package, import.level, import.module.as_deref()) else { continue };
                let own = module.split('.').next() == Some(top);
                // `from . import sub` names the submodule.
                let submodule = import.name.as_deref().map(|name| format!("{module}.{name}"));
                for candidate in std::iter::once(module.clone()).chain(submodule).filter(|_| own) {
                    if extra >= MAX_WARMED {
                        return seen.len();
                    }
                    if let Found::File(found) = self.lookup(&candidate)
                        && seen.insert(found)
                    {
                        self.entry(FileId(FIRST_LIBRARY + found));
                        extra += 1;
                    }
                }
            }
        }
        seen.len()
    }

    /// The file of a module, when the library has one.
    pub(super) fn module(&self, name: &str) -> Option<FileId> {
        match self.lookup(name) {
            Found::File(index) => Some(FileId(FIRST_LIBRARY + index)),
            Found::Namespace | Found::Missing => None,
        }
    }

    /// Whether the library has a module (a namespace package too).
    pub fn has_module(&self, name: &str) -> bool {
        self.lookup(name) != Found::Missing
    }

    pub(super) fn lookup(&self, name: &str) -> Found {
        if let Some(&found) = self.lookups.read().unwrap_or_else(|e| e.into_inner()).get(name) {
            return found;
        }
        let found = self.find(name);
        self.lookups.write().unwrap_or_else(|e| e.into_inner()).insert(name.to_owned(), found);
        found
    }

    fn find(&self, name: &str) -> Found {
        let parts: Vec<&str> = name.split('.').collect();
        if parts.iter().any(|p| !is_identifier(p)) {
            return Found::Missing;
        }
        // A submodule needs a package above it: `os.path.join` is no module
        // once `os.path` is a plain module file, `numpy.x` none without
        // `numpy` (no file system look-up for either).
        if let Some((parent, _)) = name.rsplit_once('.') {
            match self.lookup(parent) {
                Found::Missing => return Found::Missing,
                Found::File(index) => {
                    let Some(package) = self.sources.get(index as usize).filter(|s| s.is_package) else { return Found::Missing };
                    // Under a package typeshed's third-party stubs type, the
                    // stubs' submodules first: `six.moves` is a stub package,
                    // where `six` installs one module made at run time.
                    if let Some(search_path) = package.search_path.filter(|_| self.third_party.holds(&package.path))
                        && let Some(found) = self.third_party_stub(&parts, name, search_path)
                    {
                        return found;
                    }
                }
                Found::Namespace => {}
            }
        }
        // Backports typeshed keeps among the standard library's stubs are
        // installed packages: the installed version is the one that runs.
        let backport = matches!(parts[0], "typing_extensions" | "mypy_extensions");
        if let Some(root) = self.typeshed.as_ref().filter(|_| !backport)
            && let found @ Found::File(_) = self.probe(root, None, &parts, name, false)
        {
            return found;
        }
        let mut namespace = false;
        for (i, root) in self.search_paths.iter().enumerate() {
            // A stub-only package shadows the package it types (PEP 561).
            let stubs = format!("{}-stubs", parts[0]);
            let stub_parts: Vec<&str> = std::iter::once(stubs.as_str()).chain(parts[1..].iter().copied()).collect();
            if let found @ Found::File(_) = self.probe(root, Some(i), &stub_parts, name, false) {
                return found;
            }
            match self.probe(root, Some(i), &parts, name, false) {
                Found::File(index) if self.sources.get(index as usize).is_some_and(|s| s.origin == Origin::Untyped) => {
                    return self.third_party_stub(&parts, name, i).unwrap_or(Found::File(index));
                }
                found @ Found::File(_) => return found,
                Found::Namespace => namespace = true,
                Found::Missing => {}
            }
        }
        if let Some(root) = self.typeshed.as_ref().filter(|_| backport && !namespace)
            && let found @ Found::File(_) = self.probe(root, None, &parts, name, false)
        {
            return found;
        }
        if namespace { Found::Namespace } else { Found::Missing }
    }

    /// `parts` under `root`: a package's `__init__`, else a module file,
    /// each as a stub before its source; else a namespace folder.
    fn probe(&self, root: &Path, search_path: Option<usize>, parts: &[&str], module: &str, sources_only: bool) -> Found {
        let (last, parents) = parts.split_last().expect("a module name has a part");
        let mut parent = root.to_path_buf();
        parent.extend(parents);
        let dir = parent.join(last);
        let candidates = [
            (dir.join("__init__.pyi"), true),
            (dir.join("__init__.py"), true),
            (parent.join(format!("{last}.pyi")), false),
            (parent.join(format!("{last}.py")), false),
        ];
        for (path, is_package) in candidates.into_iter().filter(|(p, _)| !sources_only || p.extension().is_some_and(|e| e == "py")) {
            if self.files.is_file(&path) {
                let origin = self.origin(root, search_path, parts[0], &path);
                return Found::File(self.add(path, module, is_package, origin, search_path));
            }
        }
        if self.files.is_dir(&dir) { Found::Namespace } else { Found::Missing }
    }

    fn origin(&self, root: &Path, search_path: Option<usize>, top: &str, path: &Path) -> Origin {
        if search_path.is_none() {
            return Origin::StdlibStub;
        }
        if path.extension().is_some_and(|e| e == "pyi") || top.ends_with("-stubs") {
            return Origin::Stub;
        }
        if self.stdlib.iter().any(|s| s == root) {
            return Origin::Stdlib;
        }
        // `py.typed` in the top-level package, or (PEP 561) in the package
        // of a namespace package that holds the file (`acme/two/py.typed`).
        let typed = path.ancestors().skip(1).take_while(|dir| dir.starts_with(root.join(top))).any(|dir| self.files.is_file(&dir.join("py.typed")));
        if typed { Origin::Typed } else { Origin::Untyped }
    }

    fn add(&self, path: PathBuf, module: &str, is_package: bool, origin: Origin, search_path: Option<usize>) -> u32 {
        let mut by_path = self.by_path.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&index) = by_path.get(&path) {
            return index;
        }
        let source = Source { path: path.clone(), module: module.to_owned(), is_package, origin, search_path, entry: OnceLock::new() };
        let index = self.sources.push(source) as u32;
        by_path.insert(path, index);
        index
    }

    fn source(&self, id: FileId) -> Option<&Source> {
        self.sources.get(id.0.checked_sub(FIRST_LIBRARY)? as usize)
    }

    /// The source a module's stub types (the `.py` the interpreter runs),
    /// for what stubs leave out: docstrings.
    pub(super) fn source_module(&self, name: &str) -> Option<FileId> {
        if let Some(&known) = self.source_modules.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return known.map(|i| FileId(FIRST_LIBRARY + i));
        }
        let parts: Vec<&str> = name.split('.').collect();
        let found = if parts.iter().all(|p| is_identifier(p)) {
            self.search_paths.iter().enumerate().find_map(|(i, root)| match self.probe(root, Some(i), &parts, name, true) {
                Found::File(index) => Some(index),
                _ => None,
            })
        } else {
            None
        };
        self.source_modules.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_owned(), found);
        found.map(|i| FileId(FIRST_LIBRARY + i))
    }

    /// The summary of a library file, parsed the first time it is asked for.
    pub(super) fn entry(&self, id: FileId) -> Option<&FileEntry> {
        let source = self.source(id)?;
        source
            .entry
            .get_or_init(|| {
                let text = self.files.read(&source.path, MAX_FILE_BYTES)?;
                let key = self.cache_key(&text);
                let summary = match self.cache.as_ref().and_then(|c| c.load(key)) {
                    Some(summary) => summary,
                    None => {
                        let summary = Arc::new(self.summarise(&text));
                        if let Some(cache) = &self.cache {
                            cache.save(key, &summary);
                        }
                        summary
                    }
                };
                // A library file is never updated: no hashes to compare;
                // what its `__all__` lists is read from its summary (see
                // `dunder_all` below), not its text.
                let prepared = Prepared::for_module(source.module.clone(), source.is_package, &text, &summary, None, Hashes::Skip);
                Some(FileEntry::library(source.path.clone(), summary, prepared))
            })
            .as_ref()
    }

    /// A library file's summary as the platform reads it. Nothing resolves
    /// a library file's references: only what it binds is kept, and the
    /// names its `__all__` lists (references that start right after a quote).
    fn summarise(&self, text: &str) -> FileSummary {
        self.parses.fetch_add(1, Ordering::Relaxed);
        let mut summary = FileSummary::extract_for(text, self.platform);
        let quoted = |start: u32| start > 0 && matches!(text.as_bytes().get(start as usize - 1), Some(b'"' | b'\''));
        summary.references.retain(|r| r.scope == 0 && !r.call && r.segment_count() == 1 && quoted(r.start));
        summary.references.shrink_to_fit();
        summary
    }

    /// The cache key of a library file's summary: its content and the
    /// platform it is read for.
    fn cache_key(&self, text: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        ("library summary", super::content_hash(text), self.platform.version, self.platform.name).hash(&mut h);
        h.finish()
    }

    /// How a library file was found.
    pub fn origin_of(&self, id: FileId) -> Option<Origin> {
        self.source(id).map(|s| s.origin)
    }

    /// The text of a library file (read again: entries keep none).
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        self.files.read(path, MAX_FILE_BYTES)
    }

    /// The modules directly under `parent` (the top-level ones when it is
    /// empty), without private ones (`_name`, `__pycache__`).
    pub fn submodules(&self, parent: &str) -> Vec<String> {
        let parts: Vec<&str> = if parent.is_empty() { Vec::new() } else { parent.split('.').collect() };
        let mut names = Vec::new();
        for root in self.search_paths() {
            let mut dirs = vec![root.join(parts.join("/"))];
            if let Some(top) = parts.first() {
                dirs.push(root.join(format!("{top}-stubs")).join(parts[1..].join("/")));
            }
            for dir in dirs {
                for (name, is_dir) in self.files.list(&dir) {
                    let module = if is_dir {
                        name.strip_suffix("-stubs").unwrap_or(&name)
                    } else {
                        match name.strip_suffix(".pyi").or_else(|| name.strip_suffix(".py")) {
                            Some(stem) => stem,
                            None => continue,
                        }
                    };
                    // Private and compiled-cache folders are no modules to offer.
                    if is_identifier(module) && !module.starts_with('_') {
                        names.push(module.to_owned());
                    }
                }
            }
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    pub(super) fn mro(&self, class: (FileId, DefinitionId)) -> Option<Vec<ClassRef>> {
        self.mros.lock().ok()?.get(&class).cloned()
    }

    pub(super) fn keep_mro(&self, class: (FileId, DefinitionId), mro: Vec<ClassRef>) {
        if let Ok(mut mros) = self.mros.lock() {
            mros.insert(class, mro);
        }
    }

    pub(super) fn type_parameters(&self, class: (FileId, DefinitionId)) -> Option<Vec<String>> {
        self.parameters.lock().ok()?.get(&class).cloned()
    }

    pub(super) fn keep_type_parameters(&self, class: (FileId, DefinitionId), parameters: Vec<String>) {
        if let Ok(mut known) = self.parameters.lock() {
            known.insert(class, parameters);
        }
    }
}

/// The names a library module lists in `__all__`, when it has one.
pub(super) fn dunder_all(entry: &FileEntry) -> Option<impl Iterator<Item = &str>> {
    (!entry.summary.references.is_empty()).then(|| entry.summary.references.iter().map(|r| r.chain.as_str()))
}

/// Whether a file id is a library file's.
impl Library {
    /// The interpreter the environment runs (its version and platform).
    pub(super) fn platform(&self) -> Platform {
        self.platform
    }
}

pub(super) fn is_library(id: FileId) -> bool {
    id.0 >= FIRST_LIBRARY
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic()) && chars.all(|c| c == '_' || c.is_alphanumeric())
}

#[cfg(test)]
mod tests;
