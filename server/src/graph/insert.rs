//! Putting a file's symbols into the graph: its nodes (kept by kind,
//! qualified name and rank, so an update keeps what did not change), what
//! it provides, and which files re-link after it changed.

use super::edge_room::EdgeRoom;
use super::interface::Interface;
use super::*;

impl Graph {
    /// Adds or replaces the entry and its nodes, keeping node identity by
    /// kind, qualified name and rank among redefinitions. Does not link;
    /// gives, with the change, the files whose parameters the calls of
    /// names the file imports (or imported) typed (see importers.rs).
    pub(super) fn insert_file(&mut self, path: &Path, text: Arc<str>, summary: Arc<FileSummary>) -> Option<(FileId, Change, FxHashSet<FileId>)> {
        let prepared = Prepared::new(&self.roots, path, &text, &summary, Hashes::Compute)?;
        self.insert_prepared(path.to_owned(), text, summary, prepared)
    }

    /// [`Graph::insert_file`] with what does not touch the graph computed
    /// already (in parallel, when building).
    pub(super) fn insert_prepared(
        &mut self,
        path: PathBuf,
        text: Arc<str>,
        summary: Arc<FileSummary>,
        prepared: Prepared,
    ) -> Option<(FileId, Change, FxHashSet<FileId>)> {
        let Prepared { module, is_package, hash, qualified, binding_index, star_imports, families, exports, interface, value_hashes } = prepared;
        self.touch();
        let existing = self.file_id(&path);
        let old = existing.and_then(|id| self.files[id.0 as usize].take());
        let id = existing.unwrap_or_else(|| {
            let id = self.free_files.pop().unwrap_or(FileId(self.files.len() as u32));
            if id.0 as usize == self.files.len() {
                self.files.push(None);
            }
            self.by_path.insert(path.clone(), id);
            id
        });
        let mut reusable: FxHashMap<(SymbolKind, &str, u32), NodeIndex> = FxHashMap::default();
        let module_node = match &old {
            Some(old) => {
                let mut ranks: FxHashMap<(SymbolKind, &str), u32> = FxHashMap::default();
                for (def, &node) in old.nodes.iter().enumerate() {
                    let (kind, name) = (self.graph[node].kind, old.qualified.get(def).unwrap_or_default());
                    let rank = ranks.entry((kind, name)).or_default();
                    reusable.insert((kind, name, *rank), node);
                    *rank += 1;
                }
                old.module_node
            }
            None => self.graph.add_node(Node { kind: SymbolKind::Module, file: Some(id), definition: None }),
        };
        let mut ranks: FxHashMap<(SymbolKind, &str), u32> = FxHashMap::default();
        let mut nodes = Vec::with_capacity(summary.definitions.len());
        for (def, name) in summary.definitions.iter().zip(&qualified) {
            let kind = SymbolKind::from(def.kind);
            // Ranks matter only while old nodes are left to reuse.
            let reused = if reusable.is_empty() {
                None
            } else {
                let rank = ranks.entry((kind, name.as_str())).or_default();
                let key = (kind, name.as_str(), *rank);
                *rank += 1;
                reusable.remove(&key)
            };
            let weight = Node { kind, file: Some(id), definition: Some(nodes.len() as DefinitionId) };
            let node = match reused {
                Some(node) => {
                    self.graph[node] = weight;
                    node
                }
                None => self.graph.add_node(weight),
            };
            nodes.push(node);
        }
        for (_, node) in reusable {
            self.graph.remove_node(node);
        }
        let dunders = self.count_dunders(old.as_ref().map(|o| &*o.summary), Some(&*summary));
        let change = match &old {
            // Equal interfaces bind the same names in class bodies.
            Some(o) if interface.is_some() && o.interface == interface => Change::Values(
                // Equal interfaces have the same definitions in the same order.
                (0..value_hashes.len()).filter(|&i| o.value_hashes.get(i) != Some(&value_hashes[i])).map(|i| nodes[i]).collect(),
            ),
            Some(o) if interface.is_some() && o.interface.is_some() => {
                let before = Interface {
                    module: &o.module,
                    is_package: o.is_package,
                    exports: o.exports.as_deref(),
                    summary: &o.summary,
                    qualified: &qualified_names(&o.module, &o.summary),
                };
                let names =
                    before.changed_names(&Interface { module: &module, is_package, exports: exports.as_deref(), summary: &summary, qualified: &qualified });
                // The definitions kept (their nodes) whose values changed.
                let old_values: FxHashMap<NodeIndex, u64> = o.nodes.iter().copied().zip(o.value_hashes.iter().copied()).collect();
                let values = nodes.iter().zip(&value_hashes).filter(|(n, h)| old_values.get(n).is_some_and(|old| old != *h)).map(|(&n, _)| n).collect();
                Change::Interface { dunders, names, values }
            }
            _ => Change::Interface { dunders, names: None, values: Vec::new() },
        };
        let syntax_errors = summary.syntax_errors;
        // Only a graph that is linked reads who imports what.
        let callers = match interface {
            Some(_) => {
                let mut callers = old.as_ref().map(|o| self.forget_importer(id, &o.summary)).unwrap_or_default();
                callers.extend(self.add_importer(id, &path, &summary));
                callers
            }
            None => FxHashSet::default(),
        };
        let (consulted, consulted_values, read_whole, read_names, missing, caller_typed, caller_names) = old
            .map(|o| {
                (
                    o.consulted.clone(),
                    o.consulted_values.clone(),
                    o.read_whole.clone(),
                    o.read_names.clone(),
                    o.missing.clone(),
                    o.caller_typed.clone(),
                    o.caller_names.clone(),
                )
            })
            .unwrap_or_default();
        self.files[id.0 as usize] = Some(Arc::new(FileEntry {
            path,
            module,
            is_package,
            held_text: text,
            summary,
            hash,
            syntax_errors,
            module_node,
            nodes,
            qualified: QualifiedNames::new(&qualified),
            binding_index,
            star_imports,
            families,
            exports,
            interface,
            value_hashes,
            consulted,
            consulted_values,
            read_whole,
            read_names,
            missing,
            caller_typed,
            caller_names,
            unresolved: Vec::new(),
            call_index: std::sync::OnceLock::new(),
        }));
        if existing.is_none() {
            self.add_provider(id);
        }
        Some((id, change, callers))
    }

    /// Registers a new file as a provider of its module, keeping providers
    /// ordered (sources before stubs, then by path) so the choice does not
    /// depend on the order files arrive in.
    pub(super) fn add_provider(&mut self, id: FileId) {
        let Some(entry) = self.file(id) else { return };
        let module = entry.module.clone();
        let key = |g: &Graph, f: FileId| g.file(f).map(|e| (e.path.extension().is_some_and(|x| x == "pyi"), e.path.clone()));
        let mut providers = self.modules.remove(&module).unwrap_or_default();
        providers.push(id);
        providers.sort_by_cached_key(|&f| key(self, f));
        self.modules.insert(module, providers);
    }

    /// The files to re-link after inserting `file`: itself, and when what it
    /// exports changed, the files that consulted it or waited for its module
    /// (or that consulted the module's previous provider).
    pub(super) fn relink_set(&self, file: FileId, change: &Change, is_new: bool) -> FxHashSet<FileId> {
        let mut relink = FxHashSet::default();
        relink.insert(file);
        let Some(entry) = self.file(file) else { return relink };
        match change {
            Change::Interface { dunders, names, values } => {
                let dependents = self.dependents.get(&file).into_iter().flatten().copied();
                relink.extend(dependents.filter(|&d| names.as_ref().is_none_or(|names| self.read_any(d, file, names))));
                relink.extend(self.implicit_users(dunders));
                self.extend_value_dependents(&mut relink, file, values);
            }
            Change::Values(nodes) => self.extend_value_dependents(&mut relink, file, nodes),
        }
        if is_new {
            relink.extend(self.waiting.get(&entry.module).into_iter().flatten().copied());
            for &provider in self.modules.get(&entry.module).into_iter().flatten() {
                relink.insert(provider);
                relink.extend(self.dependents.get(&provider).into_iter().flatten().copied());
            }
        }
        relink
    }

    /// Adds to `relink` the files whose linking read the values of the
    /// definitions of `file` whose nodes are `nodes`.
    fn extend_value_dependents(&self, relink: &mut FxHashSet<FileId>, file: FileId, nodes: &[NodeIndex]) {
        for &node in nodes {
            relink.extend(self.value_dependents.get(&(file, node)).into_iter().flatten().copied());
        }
    }

    /// Whether the last linking of `reader` read `file` whole or looked up
    /// one of `names` (sorted [`reads::name_key`]s) anywhere.
    fn read_any(&self, reader: FileId, file: FileId, names: &[u32]) -> bool {
        let Some(entry) = self.files.get(reader.0 as usize).and_then(Option::as_deref) else { return true };
        entry.read_whole.binary_search(&file).is_ok() || names.iter().any(|n| entry.read_names.binary_search(n).is_ok())
    }

    /// Re-links `files`: resolves them again (in parallel; resolution only
    /// reads summaries, never edges) and puts the new links in place of the
    /// old ones.
    pub(super) fn relink(&mut self, files: FxHashSet<FileId>) {
        for f in &files {
            self.pending.remove(f);
            self.unlinked.remove(f);
        }
        let mut files: Vec<FileId> = files.into_iter().filter(|&f| self.file(f).is_some()).collect();
        files.sort();
        // A graph's first linking (a cold or warm index) adds every edge.
        let mut room = (self.files_linked == 0).then(|| EdgeRoom::new(self, &files));
        self.files_linked += files.len() as u64;
        // A batch's links are put in place before the next batch is
        // resolved (which reads no edges, so the graph is the same): a cold
        // index holds one batch's links at a time, not every file's.
        // On a first linking, what a batch's files consulted is registered
        // beside the next batch's resolution, not on this thread while the
        // others wait.
        let mut registrations = room.is_some().then(|| self.take_registrations());
        let mut unregistered: &[FileId] = &[];
        let (mut resolving, mut applying) = (crate::phase::Tally::new(), crate::phase::Tally::new());
        for batch in files.chunks(LINK_BATCH) {
            let linked = resolving.time(|| match &mut registrations {
                Some(registrations) => {
                    let graph = &*self;
                    rayon::join(|| link_batch(graph, batch), || graph.register_entries(registrations, unregistered)).0
                }
                None => link_batch(self, batch),
            });
            applying.time(|| {
                if let Some(room) = &mut room {
                    room.make(self, batch, linked.iter().map(|(_, links)| links.edges.len()).sum());
                }
                for (id, links) in linked {
                    match registrations {
                        Some(_) => self.apply_first_links(id, links),
                        None => self.apply_links(id, links),
                    }
                }
            });
            unregistered = batch;
        }
        if let Some(mut registrations) = registrations {
            self.register_entries(&mut registrations, unregistered);
            self.put_registrations(registrations);
        }
        if files.len() > LINK_BATCH {
            resolving.log("linking: resolved");
            applying.log("linking: put in place");
        }
    }
}

/// Files re-linked at a time (see [`Graph::relink`]).
const LINK_BATCH: usize = 256;

/// The links of `batch`, in its order, resolved in parallel largest file
/// first (by references): a batch ends when its last file is linked, and
/// one large file left to the end kept the other threads idle behind it,
/// batch after batch (the cold index's wall time grew more than its CPU).
fn link_batch(graph: &Graph, batch: &[FileId]) -> Vec<(FileId, link::Links)> {
    use rayon::prelude::*;
    if batch.len() <= 8 {
        return batch.iter().map(|&f| (f, link::link(graph, f))).collect();
    }
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by_cached_key(|&i| std::cmp::Reverse(graph.file(batch[i]).map_or(0, |entry| entry.summary.references.len())));
    // One file a task: a thread that runs out takes the next file left.
    let linked = order.par_iter().with_max_len(1).map(|&i| {
        let mut links = link::link(graph, batch[i]);
        graph.find_externals(&mut links);
        (i, links)
    });
    let mut linked: Vec<(usize, link::Links)> = linked.collect();
    linked.sort_unstable_by_key(|(i, _)| *i);
    linked.into_iter().map(|(i, links)| (batch[i], links)).collect()
}

/// What inserting a file computes from its path and summary alone.
pub(super) struct Prepared {
    pub(super) module: String,
    pub(super) is_package: bool,
    pub(super) hash: u64,
    pub(super) qualified: Vec<String>,
    pub(super) binding_index: BindingIndex,
    pub(super) star_imports: Vec<u32>,
    pub(super) families: Vec<Vec<DefinitionId>>,
    pub(super) exports: Option<Box<[Name]>>,
    pub(super) interface: Option<u64>,
    pub(super) value_hashes: Vec<u64>,
}

/// Whether inserting a file computes the hashes only an update of it
/// compares (its interface and its definitions' values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hashes {
    Compute,
    /// A graph that is never updated (a one-shot check's).
    Skip,
}

/// What an update changed of what other files' linking can see.
pub(super) enum Change {
    /// Names, definitions, signatures or imports: the dependents that read
    /// the file whole or looked up one of `names` (every dependent when
    /// `None`: a new file, or its module, star imports, branch tests or
    /// constants changed; see interface.rs) re-link, and so do those that
    /// read the `values` (nodes of definitions kept) that changed; and
    /// when a dunder name first appeared in or last left the graph's class
    /// bodies (see dunders.rs), every file that may run it.
    Interface { dunders: Vec<String>, names: Option<Vec<u32>>, values: Vec<NodeIndex> },
    /// Only the recorded values of these definitions (their nodes).
    Values(Vec<NodeIndex>),
}

impl Prepared {
    /// `None` when `path` is outside `roots`.
    pub(super) fn new(roots: &[PathBuf], path: &Path, text: &str, summary: &FileSummary, hashes: Hashes) -> Option<Self> {
        let (module, is_package) = module_name(path, roots)?;
        let exports = dunder_all::names(text, summary);
        Some(Self::for_module(module, is_package, text, summary, exports, hashes))
    }

    /// A file whose module name is known already (a library file, found
    /// by its name), with what its `__all__` lists when that is read.
    pub(super) fn for_module(module: String, is_package: bool, text: &str, summary: &FileSummary, exports: Option<Box<[Name]>>, hashes: Hashes) -> Self {
        let qualified = qualified_names(&module, summary);
        let interface =
            (hashes == Hashes::Compute).then(|| Interface { module: &module, is_package, exports: exports.as_deref(), summary, qualified: &qualified }.hash());
        let value_hashes = match hashes {
            Hashes::Compute => summary
                .definitions
                .iter()
                .map(|def| {
                    let mut h = FxHasher::default();
                    def.values.iter().for_each(|v| v.hash_shape(&mut h));
                    h.finish()
                })
                .collect(),
            Hashes::Skip => Vec::new(),
        };
        let binding_index = BindingIndex::new(&summary.bindings);
        let star_imports = (0..summary.imports.len() as u32).filter(|&i| summary.imports[i as usize].star && summary.imports[i as usize].scope == 0).collect();
        let families = queries::families(summary);
        Self { module, is_package, hash: content_hash(text), qualified, binding_index, star_imports, families, exports, interface, value_hashes }
    }
}

/// The dotted qualified name of every definition of a summary.
pub(super) fn qualified_names(module: &str, summary: &FileSummary) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(summary.definitions.len());
    for def in &summary.definitions {
        let parent = summary.enclosing_definition(def.scope);
        let prefix = match parent {
            Some(p) => names[p as usize].as_str(),
            None => module,
        };
        names.push(if prefix.is_empty() {
            def.name.to_string()
        } else {
            let mut name = String::with_capacity(prefix.len() + 1 + def.name.len());
            name.push_str(prefix);
            name.push('.');
            name.push_str(&def.name);
            name
        });
    }
    names
}
