//! The workspace dependency graph.
//!
//! Nodes are modules, classes, functions, methods and variables of the
//! workspace's files, plus external nodes (stdlib, site-packages) named by
//! dotted path. Edges say a node contains, imports, calls, inherits from or
//! references another, each with the byte range (in the source node's file)
//! where that happens.
//!
//! The graph is built from per-file [`FileSummary`]s and updated one file at
//! a time: [`Graph::update_file`] replaces that file's nodes (keeping the
//! identity of symbols whose qualified name survives), re-links the file, and
//! re-links the files whose resolution consulted it only when what it exports
//! changed ([`Graph::update_file_deferred`] leaves those for later, see
//! `deferred.rs`). Names that do not resolve are kept in the summaries and link up
//! when the module or name they wait for appears.
//!
//! Readers hold an `Arc<Graph>` snapshot ([`SharedGraph`]); the single writer
//! updates a copy-on-write clone.

mod accessors;
mod answers;
mod apply;
mod binding_index;
mod branches;
mod build;
mod call_index;
mod callbacks;
mod carry;
mod decorated;
mod deferred;
mod descriptors;
mod dispatch;
mod dispatch_site;
pub mod docstring;
mod dunder_all;
mod dunders;
mod edge_room;
pub mod explain;
mod exported;
mod factories;
mod forwarded;
mod generators;
mod getattr_fallback;
mod hooks;
mod implementations;
mod implicit;
mod importers;
mod infer;
mod insert;
mod interface;
mod iterators;
mod library;
mod library_hooks;
mod link;
mod local;
mod memory;
mod metaclass;
mod modules;
mod property_getters;
mod qualified;
mod queries;
mod reaching;
mod reads;
mod rebound;
mod rebound_method;
mod resolve;
mod search;
mod self_protocol;
mod shared;
mod signature_branches;
mod spelled;
mod star_exports;
pub mod summary;
mod symbols;
mod tzinfo;
mod unread;

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use call_index::CallIndex;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use ruff_text_size::TextRange;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use binding_index::{BindingIndex, Named};
use insert::{Hashes, Prepared};
use qualified::QualifiedNames;

pub use build::PreparedFile;
pub use dispatch::{Via, mangled};
pub use infer::{InferredType, TypeSource, Value, ValueExpr};
pub use library::{Library, LibraryItem, LibraryMember, LibrarySymbol, Origin, SummaryCache};
pub use link::Answers;
pub use local::LocalUpdate;
pub use modules::{absolute_module, module_name, source_roots};
pub use queries::{Caller, IMPACT_BUDGET, Impact};
pub use resolve::{ReferenceResolver, Resolved};
pub use search::fuzzy_score;
pub use shared::SharedGraph;
use summary::Spliced;
pub use summary::{DefinitionId, DefinitionKind, Detail, FileSummary, Name, Parameter, ParameterKind, Reference, Region, Signature, Span, TextEdit};

/// A file of the graph. Stable while the file stays in the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u32);

/// A node of the graph. Stable across updates of its file as long as its
/// qualified name (and, for redefinitions, its rank) stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymbolId(NodeIndex);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    Module,
    Class,
    Function,
    Method,
    Variable,
    /// Outside the workspace (stdlib, site-packages), known by dotted path.
    External,
}

impl From<DefinitionKind> for SymbolKind {
    fn from(kind: DefinitionKind) -> Self {
        match kind {
            DefinitionKind::Class => SymbolKind::Class,
            DefinitionKind::Function => SymbolKind::Function,
            DefinitionKind::Method => SymbolKind::Method,
            DefinitionKind::Variable => SymbolKind::Variable,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    Contains,
    Imports,
    Calls,
    /// Syntax runs a protocol method without naming it (`with x:` runs
    /// `__enter__`): a call for the call hierarchy, no reference.
    Runs,
    Inherits,
    References,
}

/// A place in a workspace file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: FileId,
    pub span: Span,
}

/// What the graph knows about one symbol. Borrowed from the snapshot.
#[derive(Debug, Clone)]
pub struct Symbol<'g> {
    pub id: SymbolId,
    pub kind: SymbolKind,
    /// Dotted: `package.module.Class.method`.
    pub qualified_name: &'g str,
    /// The short name (last segment).
    pub name: &'g str,
    /// `None` for external symbols.
    pub file: Option<FileId>,
    /// The whole definition (a module spans its file), in bytes.
    pub range: Span,
    pub name_range: Span,
    pub signature: Option<&'g Signature>,
    pub docstring: Option<&'g str>,
    pub bases: &'g [Name],
    pub decorators: &'g [Name],
    pub annotation: Option<&'g str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    kind: SymbolKind,
    /// Workspace nodes: their file, and the definition (`None` for the
    /// module node). Their qualified names are their file's (see
    /// [`Graph::qualified_name`]), an external's is in `external_names`.
    file: Option<FileId>,
    definition: Option<DefinitionId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edge {
    kind: EdgeKind,
    /// Where in the source node's file this edge comes from.
    site: Span,
}

/// One indexed file.
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub path: PathBuf,
    pub module: String,
    pub is_package: bool,
    /// The text the summary was extracted from (see [`FileEntry::text`]).
    held_text: Arc<str>,
    pub summary: Arc<FileSummary>,
    /// Content hash of `text` (the cache key).
    pub hash: u64,
    /// Syntax errors in `text`; `summary` is then the recovered one (see
    /// [`Graph::update_file`]).
    pub syntax_errors: u32,
    module_node: NodeIndex,
    /// Parallel to `summary.definitions`.
    nodes: Vec<NodeIndex>,
    /// Parallel to `summary.definitions`: their nodes' qualified names.
    qualified: QualifiedNames,
    /// Binding indices by name, for scope lookups.
    binding_index: BindingIndex,
    /// The module-level `from m import *` imports.
    star_imports: Vec<u32>,
    /// Overloads and property accessors that are one symbol to their users.
    families: Vec<Vec<DefinitionId>>,
    /// What the module's `__all__` lists (see dunder_all.rs), read from
    /// `text` when it is inserted or carried over.
    exports: Option<Box<[Name]>>,
    /// A hash of what other files' name resolution can see of this file;
    /// `None` in a graph that is never updated (a one-shot check's), and
    /// then any update of the file changes its interface.
    interface: Option<u64>,
    /// Parallel to `summary.definitions` when `interface` is known: a hash
    /// of each one's recorded values, which only type inference reads.
    value_hashes: Vec<u64>,
    /// Files this file's last linking consulted, and modules it missed.
    consulted: Vec<FileId>,
    /// Definitions (their nodes) of other files whose values that linking
    /// read: nodes, unlike definition ids, stay with a definition while
    /// definitions before it come and go.
    consulted_values: Vec<(FileId, NodeIndex)>,
    /// Of the files consulted, those read whole, and the names looked up
    /// (sorted; see reads.rs): a change of another file's interface
    /// re-links this file only when it read that file whole or one of
    /// the names whose items changed.
    read_whole: Vec<FileId>,
    read_names: Vec<u32>,
    missing: Vec<String>,
    /// The calls that typed a parameter in that linking, with the function
    /// whose parameter it is (see `infer/callers.rs`): an edit of such a
    /// call outside that function re-links the whole file.
    caller_typed: Vec<(String, Span)>,
    /// The names of functions and classes whose calls in other files typed
    /// a parameter in that linking (see `infer/callers.rs`, importers.rs).
    caller_names: Vec<String>,
    /// Where the names its links found nothing for start (see
    /// `link::Links::unresolved`).
    pub unresolved: Vec<u32>,
    /// The calls not on a receiver by the called name's last segment (see
    /// [`FileEntry::calls_named`]), built on first use for this summary:
    /// emptied wherever `summary` is replaced.
    call_index: OnceLock<CallIndex>,
}

impl FileEntry {
    /// The text the summary was extracted from. Every reader of a file's
    /// text goes through here, so that the texts of files no editor holds
    /// open can stop being held (issue #34; see bench/graph/README.md).
    pub fn text(&self) -> &Arc<str> {
        &self.held_text
    }

    /// Whether the module binds `name` at its top level (anywhere in it).
    pub fn binds_at_module_level(&self, name: &str) -> bool {
        self.bindings_named(0, name).next().is_some()
    }

    /// The names the module's `__all__` lists, when it is a plain list or
    /// tuple of quoted names nothing mutates (see dunder_all.rs).
    pub fn listed_exports(&self) -> Option<Vec<&str>> {
        self.exports.as_deref().map(|names| names.iter().map(|n| n.as_str()).collect())
    }

    /// The indices of the bindings of `name` in `scope`, in source order.
    fn bindings_named<'a>(&'a self, scope: summary::ScopeId, name: &'a str) -> Named<'a> {
        self.binding_index.named(&self.summary.bindings, scope, name)
    }

    /// The calls in this file whose called name's last segment is `name`
    /// (not on a receiver, not through `super()`), by index in its
    /// references, in source order. Typing a parameter by its callers
    /// reads them (`infer/callers.rs`); the index is built once per
    /// summary, where each linking and each request's resolver built it
    /// again (a quarter of the CPU while typing in Django's query.py).
    pub(crate) fn calls_named(&self, name: &str) -> &[u32] {
        self.call_index.get_or_init(|| CallIndex::new(&self.summary.references)).calls_named(name)
    }

    /// Puts a summary of the same code moved (see carry.rs) in place.
    fn replace_summary(&mut self, summary: Arc<FileSummary>) {
        self.summary = summary;
        self.call_index = OnceLock::new();
    }

    /// Whether the module does `from m import *` at its top level (any name
    /// may then come from `m`).
    pub fn has_star_import(&self) -> bool {
        !self.star_imports.is_empty()
    }

    /// A library file's entry: no graph nodes (nothing links to it), no
    /// text kept (what is shown of it is read again).
    fn library(path: PathBuf, summary: Arc<FileSummary>, prepared: Prepared) -> FileEntry {
        let Prepared { module, is_package, hash, binding_index, star_imports, families, exports, interface, value_hashes, .. } = prepared;
        FileEntry {
            path,
            module,
            is_package,
            held_text: Arc::from(""),
            summary,
            hash,
            syntax_errors: 0,
            module_node: NodeIndex::end(),
            nodes: Vec::new(),
            qualified: QualifiedNames::default(),
            binding_index,
            star_imports,
            families,
            exports,
            interface,
            value_hashes,
            consulted: Vec::new(),
            consulted_values: Vec::new(),
            read_whole: Vec::new(),
            read_names: Vec::new(),
            missing: Vec::new(),
            caller_typed: Vec::new(),
            caller_names: Vec::new(),
            unresolved: Vec::new(),
            call_index: OnceLock::new(),
        }
    }
}

/// Index statistics (`pyloom graph`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub symbols: usize,
    pub externals: usize,
    pub edges: usize,
    pub unresolved: usize,
    pub syntax_errors: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Graph {
    roots: Vec<PathBuf>,
    /// The folder messages name paths from (the CLI's project root, as its
    /// diffs do), instead of the source root (`src/`) a module is under.
    shown_from: Option<PathBuf>,
    /// Behind `Arc`: copying the graph for an update while a reader holds
    /// a snapshot copies pointers here, and only the entries the update
    /// changes are copied (`Arc::make_mut`).
    files: Vec<Option<Arc<FileEntry>>>,
    free_files: Vec<FileId>,
    by_path: FxHashMap<PathBuf, FileId>,
    /// Module name to the files that provide it; the first is used.
    modules: FxHashMap<String, Vec<FileId>>,
    graph: StableDiGraph<Node, Edge>,
    externals: FxHashMap<Arc<str>, NodeIndex>,
    /// The qualified name of each external node, shared with its key in
    /// `externals`: an `Arc`, so that copying the graph for an update
    /// while a reader holds a snapshot allocates nothing.
    external_names: FxHashMap<NodeIndex, Arc<str>>,
    /// File to the files whose linking consulted it.
    dependents: FxHashMap<FileId, FxHashSet<FileId>>,
    /// Definition to the files whose linking read its values: a keystroke
    /// in a function body that changes what it returns re-links these, not
    /// every importer of the file.
    value_dependents: FxHashMap<(FileId, NodeIndex), FxHashSet<FileId>>,
    /// How many bindings of each dunder name workspace class bodies hold
    /// (see dunders.rs).
    class_dunders: FxHashMap<String, u32>,
    /// Missing module to the files that looked for it.
    waiting: FxHashMap<String, FxHashSet<FileId>>,
    /// A name to the workspace files that import it (`from m import name`),
    /// in a graph that is linked (see importers.rs).
    importers: FxHashMap<String, Vec<FileId>>,
    /// A function's or class's name to the files whose linking typed its
    /// parameters by its calls in the files that import it.
    caller_readers: FxHashMap<String, FxHashSet<FileId>>,
    /// Files whose links are stale: an update left them for later (see
    /// [`Graph::update_file_deferred`]).
    pending: FxHashSet<FileId>,
    /// The pending files whose own link an update left for later
    /// ([`Graph::update_file_unlinked`]): their edges are still those of
    /// the text before the edit (sites included), so whatever reads edges
    /// links them first ([`Graph::link_file`]).
    unlinked: FxHashSet<FileId>,
    /// Files linked since the graph was created.
    files_linked: u64,
    /// The standard library and installed packages (see [`Library`]).
    library: Option<Arc<Library>>,
    /// Python files of the workspace that are symbolic links to workspace
    /// files: (the link, the file it is). Not indexed, but the module they
    /// name is the file's, which an edit of the file changes too.
    module_links: Arc<Vec<(PathBuf, PathBuf)>>,
    /// Changes whenever what the graph resolves may have changed (see
    /// [`Graph::revision`]).
    revision: u64,
    /// The revision at which what a name resolves to last changed: a
    /// re-link changes the revision, not this (see answers.rs).
    resolves: u64,
    /// The last update, when it was local to some statements of one file.
    local: Option<LocalUpdate>,
    /// What the references of the file an update last linked whole denote
    /// (see answers.rs).
    answers: Option<Arc<answers::ReferenceAnswers>>,
    /// A file whose syntax errors a method splice found all in one method:
    /// the file, the hash of its text then, the method's span (see
    /// summary/method.rs). Another text of the file makes it stale.
    broken_method: Option<(FileId, u64, Span)>,
    /// The code cells each open notebook was last parsed with (ranges of
    /// its joined text): splitting or merging cells may leave that text as
    /// it was while what parses changes (IPython runs each cell on its own).
    notebook_cells: FxHashMap<FileId, Arc<[TextRange]>>,
}

/// A file to add to the graph: its path, text, and its summary when it was
/// cached (it is extracted otherwise).
pub struct FileInput {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub summary: Option<Arc<FileSummary>>,
}

fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The content hash used as the summary cache key.
pub fn content_hash(text: &str) -> u64 {
    seahash::hash(text.as_bytes())
}

impl Graph {
    /// An empty graph whose module names are relative to `roots` (see
    /// [`source_roots`]).
    pub fn new(roots: Vec<PathBuf>) -> Self {
        let revision = next_revision();
        Self { roots, revision, resolves: revision, ..Self::default() }
    }

    /// A number no other state of any graph had: answers computed from a
    /// graph at one revision hold for every later graph at the same one.
    /// An update that only moves a file's code (see carry.rs) keeps it;
    /// what was computed for that file then holds with its offsets moved.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The revision at which what a name resolves to last changed: what
    /// was computed from a file's answers at one holds at every later
    /// state with the same (re-links of files change only the revision).
    pub fn resolves(&self) -> u64 {
        self.resolves
    }

    /// Marks a change of what the graph resolves.
    fn touch(&mut self) {
        self.revision = next_revision();
        self.resolves = self.revision;
    }

    /// Marks new links of a file: what the graph's edges answer changed,
    /// not what a name resolves to (resolving reads no edges).
    fn touch_links(&mut self) {
        self.revision = next_revision();
    }

    /// Builds the graph of `files` at once: extraction and linking run in
    /// parallel. Equivalent to adding them one by one.
    pub fn build(roots: Vec<PathBuf>, files: Vec<FileInput>, library: Option<Arc<Library>>) -> Self {
        let mut graph = build::nodes(roots, files, library, Hashes::Compute);
        crate::phase::end("nodes");
        let all = graph.files().map(|(id, _)| id).collect();
        graph.relink(all);
        crate::phase::end("linked");
        graph
    }

    /// The symbols and modules of `files` without the edges between them:
    /// names still resolve on demand ([`Graph::definition`],
    /// [`Graph::reference_resolver`]), which is all a one-shot check needs,
    /// but callers, references and impact see nothing. Linking is a good
    /// part of building, so `pyloom check` saves it.
    pub fn build_unlinked(roots: Vec<PathBuf>, files: Vec<FileInput>, library: Option<Arc<Library>>) -> Self {
        build::nodes(roots, files, library, Hashes::Skip)
    }

    /// One file of [`Graph::build_unlinked`] made ready on the caller's
    /// thread (a one-shot check prepares each file where it summarises it,
    /// so building the graph is only the serial insertion); `None` when the
    /// file is outside `roots`.
    pub fn prepare_unlinked(roots: &[PathBuf], file: FileInput) -> Option<PreparedFile> {
        PreparedFile::new(roots, file, Hashes::Skip)
    }

    /// [`Graph::build_unlinked`] of files made ready with
    /// [`Graph::prepare_unlinked`] against the same `roots`.
    pub fn from_prepared(roots: Vec<PathBuf>, files: Vec<PreparedFile>, library: Option<Arc<Library>>) -> Self {
        build::insert_all(roots, files, library)
    }

    /// Leaves the graph for the process's exit to reclaim, for a command
    /// about to print and exit: freeing a large graph node by node took
    /// ~20 ms of CPU (Django), and on a thread of its own it competed with
    /// printing the report and made the exit's unmapping wait on it.
    pub fn leave_to_exit(self) {
        std::mem::forget(self);
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Messages name paths relative to `folder` (see [`explain::display_path`]).
    pub fn show_paths_from(&mut self, folder: &Path) {
        self.shown_from = Some(folder.to_owned());
    }

    pub fn shown_from(&self) -> Option<&Path> {
        self.shown_from.as_deref()
    }

    /// Records the workspace's Python files that are symbolic links, with
    /// the workspace file each is (links out of the workspace are dropped:
    /// no module of the workspace's).
    pub fn set_module_links(&mut self, links: &[PathBuf]) {
        let roots: Vec<PathBuf> = self.roots.iter().filter_map(|r| std::fs::canonicalize(r).ok()).collect();
        let within = |target: &PathBuf| roots.iter().any(|root| target.starts_with(root));
        let links = links.iter().filter_map(|link| Some((link.clone(), std::fs::canonicalize(link).ok().filter(within)?))).collect();
        self.module_links = Arc::new(links);
        self.touch();
    }

    /// The links (see [`Graph::set_module_links`]) that are the file at `path`.
    pub fn links_to(&self, path: &Path) -> impl Iterator<Item = &Path> {
        let real = std::fs::canonicalize(path).ok();
        self.module_links.iter().filter(move |(_, target)| real.as_ref() == Some(target)).map(|(link, _)| link.as_path())
    }

    // ---- files ----

    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// A workspace file, or a library file (see [`Library`]). Read while
    /// another file links, the whole file counts as read (see reads.rs).
    pub fn file(&self, id: FileId) -> Option<&FileEntry> {
        if library::is_library(id) {
            return self.library.as_deref()?.entry(id);
        }
        reads::whole(id);
        self.files.get(id.0 as usize)?.as_deref()
    }

    /// A file read for what its interface item of `name` holds (see
    /// reads.rs, interface.rs).
    pub(super) fn file_by_name(&self, id: FileId, name: &str) -> Option<&FileEntry> {
        if library::is_library(id) {
            return self.library.as_deref()?.entry(id);
        }
        reads::name(id, name);
        self.files.get(id.0 as usize)?.as_deref()
    }

    /// A file read for what any change of its interface re-links every
    /// dependent for: that it exists, its module, star imports, branch
    /// tests and constants (see interface.rs).
    pub(super) fn file_global(&self, id: FileId) -> Option<&FileEntry> {
        if library::is_library(id) {
            return self.library.as_deref()?.entry(id);
        }
        self.files.get(id.0 as usize)?.as_deref()
    }

    /// Definition `def` of a file, read by its name (see reads.rs).
    pub(super) fn definition_by_name(&self, id: FileId, def: DefinitionId) -> Option<&summary::Definition> {
        let definition = self.file_global(id)?.summary.definitions.get(def as usize)?;
        if !library::is_library(id) {
            reads::name(id, &definition.name);
        }
        Some(definition)
    }

    /// Whether a file is a library file (outside the workspace).
    pub(crate) fn is_library(&self, id: FileId) -> bool {
        library::is_library(id)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &FileEntry)> {
        self.files.iter().enumerate().filter_map(|(i, f)| Some((FileId(i as u32), f.as_deref()?)))
    }

    /// The file that provides module `name`, if it is in the workspace.
    pub fn resolve_module(&self, name: &str) -> Option<FileId> {
        self.modules.get(name).and_then(|files| files.first().copied())
    }

    /// The module node of a file.
    pub fn module_symbol(&self, file: FileId) -> Option<SymbolId> {
        self.file(file).map(|f| SymbolId(f.module_node))
    }

    /// Adds or replaces a file with `text`. Returns false (and changes
    /// nothing) when the path is outside the roots or the text is unchanged.
    ///
    /// Text with syntax errors is summarised from the parser's recovered
    /// tree, so what parses is known at once; where recovery lost
    /// definitions the edit did not touch (an unclosed `"""` swallows the
    /// rest of the file), the previous summary, carried over to the new
    /// text, stands in until the file parses again (see
    /// [`FileSummary::recovered`]).
    pub fn update_file(&mut self, path: &Path, text: &str) -> bool {
        let Some((summary, errors, splice)) = self.summary_for(path, text, None) else { return false };
        let updated = self.update_summarised(path, Arc::from(text), Arc::new(summary), splice);
        if let Some(file) = self.file_id(path) {
            self.set_syntax_errors(file, errors);
        }
        updated
    }

    /// Whether `path` is in the graph with the text whose
    /// [`content_hash`] is `hash` (an update with it would change nothing).
    pub fn holds(&self, path: &Path, hash: u64) -> bool {
        self.file_id(path).and_then(|id| self.file(id)).is_some_and(|f| f.hash == hash)
    }

    /// [`Graph::holds`] for a notebook's joined text parsed as `cells`.
    pub fn holds_cells(&self, path: &Path, hash: u64, cells: &[TextRange]) -> bool {
        self.holds(path, hash) && !self.cells_changed(path, Some(cells))
    }

    /// Whether `cells` (a notebook's layout, `None` for other files) is
    /// not the one the file was last parsed with.
    fn cells_changed(&self, path: &Path, cells: Option<&[TextRange]>) -> bool {
        cells.is_some_and(|cells| self.file_id(path).and_then(|id| self.cells(id)) != Some(cells))
    }

    /// The code cells (ranges of its joined text) an open notebook was
    /// last parsed with.
    pub fn cells(&self, file: FileId) -> Option<&[TextRange]> {
        self.notebook_cells.get(&file).map(|cells| &**cells)
    }

    /// The summary `text` gives `path` (the last good one carried over when
    /// it does not parse), its syntax errors, and the statements it
    /// re-summarised when not the whole file; `None` when the file holds
    /// this text already. Notes the method a splice found all of a broken
    /// text's syntax errors in, for the next edit. A notebook's text whose
    /// `cells` are known is parsed cell by cell ([`crate::notebook::parse_module`]).
    fn summary_for(&mut self, path: &Path, text: &str, cells: Option<&[TextRange]>) -> Option<(FileSummary, u32, Option<(Region, TextEdit)>)> {
        // A new cell layout is a new text, though the text be the same.
        let relaid = self.cells_changed(path, cells);
        if !relaid && self.holds(path, content_hash(text)) {
            return None;
        }
        let id = self.file_id(path);
        let existing = id.and_then(|id| self.file(id));
        // Only the statements the edit touched, when that is exact.
        let source_type = ruff_python_ast::PySourceType::from(path);
        // Code only moved (whitespace between lines) needs no statement
        // re-summarised. Only a method may be spliced with syntax errors
        // (all in it: method.rs), the others refuse them.
        let errors_in = self.broken_method.filter(|&(file, hash, _)| Some(file) == id && existing.is_some_and(|old| old.hash == hash)).map(|(_, _, span)| span);
        // A notebook's splice must read as its cells do: a keystroke in a
        // cell moves the cells after it (a new layout), and is spliced
        // when the statements re-parsed lie in that cell (in_cell.rs).
        let laid_out = |spliced: &Spliced| match cells {
            Some(new) => id.and_then(|id| self.cells(id)).is_some_and(|old| spliced.within_cell(old, new)),
            None => true,
        };
        let spliced = existing
            .and_then(|old| old.summary.respaced(old.text(), text, source_type).or_else(|| old.summary.spliced(old.text(), text, source_type, errors_in)))
            .filter(laid_out);
        if let Some(spliced) = spliced {
            self.broken_method = id.zip(spliced.errors_in()).map(|(file, span)| (file, content_hash(text), span));
            let errors = spliced.summary.syntax_errors;
            return Some((spliced.summary, errors, Some((spliced.region, spliced.edit))));
        }
        let existing = id.and_then(|id| self.file(id));
        let started = std::time::Instant::now();
        let parsed = crate::notebook::parse_code(text, path, cells);
        let parse_ms = started.elapsed().as_secs_f64() * 1000.0;
        let (fresh, holder) = FileSummary::extract_attributed(text, &parsed);
        tracing::debug!(parse_ms, summary_ms = started.elapsed().as_secs_f64() * 1000.0 - parse_ms, errors = fresh.syntax_errors, "whole text summarised");
        let errors = fresh.syntax_errors;
        let (summary, whole) = match existing {
            Some(old) if errors > 0 => FileSummary::recovered(fresh, &old.summary, old.text(), text, parsed.tokens()),
            _ => (fresh, true),
        };
        // A method holding all the errors of a summary that is the recovered
        // parse's whole (not the last good one's in part) may be spliced next.
        // The whole parse may still differ from the last only in the
        // statements the edit touched: those alone are re-linked.
        let splice = existing.and_then(|old| old.summary.splice_of(old.text(), text, &summary));
        self.broken_method = id.zip(holder.filter(|_| whole)).map(|(file, span)| (file, content_hash(text), span));
        Some((summary, errors, splice))
    }

    fn set_syntax_errors(&mut self, file: FileId, errors: u32) {
        if let Some(entry) = self.files.get_mut(file.0 as usize).and_then(Option::as_mut) {
            Arc::make_mut(entry).syntax_errors = errors;
        }
    }

    /// Like [`Graph::update_file`] with an already extracted summary.
    pub fn update_with_summary(&mut self, path: &Path, text: Arc<str>, summary: Arc<FileSummary>) -> bool {
        self.update_summarised(path, text, summary, None)
    }

    /// [`Graph::update_with_summary`] of a summary re-summarised over
    /// `splice` when not `None`.
    fn update_summarised(&mut self, path: &Path, text: Arc<str>, summary: Arc<FileSummary>, splice: Option<(Region, TextEdit)>) -> bool {
        if let Some(callers) = self.file_id(path).and_then(|id| self.update_in_place(id, path, &text, &summary, splice)) {
            self.relink(callers);
            return true;
        }
        let is_new = self.file_id(path).is_none();
        let Some((file, change, callers)) = self.insert_file(path, text, summary) else { return false };
        let mut relink = self.relink_set(file, &change, is_new);
        relink.extend(callers);
        self.relink(relink);
        true
    }

    /// Removes a file; its dependents are re-linked.
    pub fn remove_file(&mut self, path: &Path) -> bool {
        let Some(id) = self.by_path.remove(path) else { return false };
        self.touch();
        let Some(entry) = self.files[id.0 as usize].take() else { return false };
        self.free_files.push(id);
        self.pending.remove(&id);
        self.unlinked.remove(&id);
        // The id is reused: another notebook must not read these cells.
        self.notebook_cells.remove(&id);
        for node in entry.nodes.iter().chain([&entry.module_node]) {
            self.graph.remove_node(*node);
        }
        // Its value readers are among its dependents: re-linking them below
        // forgets their reads of it (see `Resolver::values`).
        self.forget_links(id, &entry);
        let mut relink: FxHashSet<FileId> = self.dependents.remove(&id).unwrap_or_default();
        relink.extend(self.forget_importer(id, &entry.summary));
        let dunders = self.count_dunders(Some(&*entry.summary), None);
        relink.extend(self.implicit_users(&dunders));
        let providers = self.modules.get_mut(&entry.module);
        if let Some(providers) = providers {
            providers.retain(|&f| f != id);
            if let Some(&next) = providers.first() {
                relink.insert(next);
                relink.extend(self.dependents.get(&next).into_iter().flatten().copied());
            }
            if providers.is_empty() {
                self.modules.remove(&entry.module);
            }
        }
        relink.remove(&id);
        self.relink(relink);
        true
    }
}

#[cfg(test)]
mod answers_tests;
#[cfg(test)]
mod apply_tests;
#[cfg(test)]
mod binding_tests;
#[cfg(test)]
mod call_tests;
#[cfg(test)]
mod callback_tests;
#[cfg(test)]
mod carry_tests;
#[cfg(test)]
mod class_end_tests;
#[cfg(test)]
mod conditional_tests;
#[cfg(test)]
mod construction_tests;
#[cfg(test)]
mod constructor_dispatch_tests;
#[cfg(test)]
mod deferred_tests;
#[cfg(test)]
mod descriptor_tests;
#[cfg(test)]
mod edge_room_tests;
#[cfg(test)]
mod exact_narrowing_tests;
#[cfg(test)]
mod excluded_override_tests;
#[cfg(test)]
mod exported_tests;
#[cfg(test)]
mod field_tests;
#[cfg(test)]
mod forwarded_tests;
#[cfg(test)]
mod getattr_fallback_tests;
#[cfg(test)]
mod implicit_tests;
#[cfg(test)]
mod iterated_tests;
#[cfg(test)]
pub(crate) mod local_tests;
#[cfg(test)]
mod mend_tests;
#[cfg(test)]
mod metaclass_tests;
#[cfg(test)]
mod nameless_tests;
#[cfg(test)]
mod negative_narrowing_tests;
#[cfg(test)]
mod override_tests;
#[cfg(test)]
mod parameter_default_tests;
#[cfg(test)]
mod property_getter_tests;
#[cfg(test)]
mod protocol_fallback_tests;
#[cfg(test)]
mod reads_tests;
#[cfg(test)]
mod receiver_tests;
#[cfg(test)]
mod recovery_tests;
#[cfg(test)]
mod runtime_call_tests;
#[cfg(test)]
mod signature_branch_tests;
#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod unlinked_tests;
