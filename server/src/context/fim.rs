//! The graph's context for a cursor, for fill-in-the-middle models: what
//! the code around the cursor is likely to use next, as Python stubs the
//! model reads as other files of the repository.
//!
//! Candidates come from the graph, never from reading names ourselves: the
//! members of the receiver being typed (`order.`), the workspace symbols the
//! references around the cursor resolve to and the classes their receivers
//! are inferred to be, the enclosing class, the types of the function's
//! parameters, its callers, the names the file imports, and the places
//! edited last. They are ranked by personalised PageRank seeded at the
//! cursor (as the actions' context is), packed best first into the budget
//! and rendered per file in source order: `def f(a, b) -> int: ...` with
//! the first docstring line, methods under their class header.

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use super::neighbourhood::Tie;
use super::rank::personalized_pagerank;
use super::secrets;
use super::tokens::TokenCounter;
use crate::graph::explain::header;
use crate::graph::{FileId, Graph, Resolved, Symbol, SymbolId, SymbolKind, Value};
use crate::ide::{cursor_scope, dotted_before};

/// A place the user edited recently (most recent last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecentEdit {
    pub file: FileId,
    pub offset: usize,
}

/// One file of context: stubs of its definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextFile {
    /// Relative to the workspace root, `/`-separated.
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FimContext {
    /// Most relevant last (nearest the prefix in the prompt).
    pub files: Vec<ContextFile>,
    /// Tokens of every file's path line and text, as counted by the counter
    /// (at most the budget).
    pub tokens: usize,
    pub secrets_masked: usize,
}

/// Lines around a module-level cursor whose references count as "around".
const MODULE_WINDOW_LINES: usize = 40;
/// References of one function looked at, at most (generated code has
/// functions of thousands of lines).
const MAX_REFERENCES: usize = 400;
/// Receiver chains whose type is inferred, at most.
const MAX_RECEIVERS: usize = 48;
/// Members of one class (through its bases) or module considered, at most.
const MAX_MEMBERS: usize = 200;
const MAX_CALLERS: usize = 12;
/// About how much of the file before and after the cursor a prompt's prefix
/// and suffix hold (`inline::prepare` sends 12 kB and 4 kB): the file's
/// definitions beyond are context like any other file's.
const PREFIX_BYTES: u32 = 12_000;
const SUFFIX_BYTES: u32 = 4_000;

/// The context for the cursor at byte `offset` of `file`, within `budget`
/// tokens.
pub fn gather(graph: &Graph, counter: &TokenCounter, file: FileId, offset: usize, budget: usize, recent: &[RecentEdit]) -> FimContext {
    let Some(entry) = graph.file(file) else { return FimContext::default() };
    let offset = floor_char_boundary(entry.text(), offset);
    let mut candidates = Candidates::new(graph, file, offset as u32);
    candidates.collect(recent);
    let ranked = candidates.ranked();
    pack(graph, counter, budget, &ranked)
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    (0..=offset).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

/// The symbols that could go in, as nodes of a small graph whose node 0 is
/// the cursor.
struct Candidates<'g> {
    graph: &'g Graph,
    file: FileId,
    offset: u32,
    ids: Vec<SymbolId>,
    index: FxHashMap<SymbolId, usize>,
    edges: Vec<(usize, usize, f64)>,
    outlined: FxHashSet<SymbolId>,
    /// The function being written: its signature is in the prefix already.
    writing: Option<SymbolId>,
    /// [`Candidates::uses`] by symbol: a class's members are weighed once
    /// however often it is outlined, and a hub's references listed once.
    uses: FxHashMap<SymbolId, (usize, usize)>,
}

const CURSOR: usize = 0;

impl<'g> Candidates<'g> {
    fn new(graph: &'g Graph, file: FileId, offset: u32) -> Self {
        Self {
            graph,
            file,
            offset,
            ids: Vec::new(),
            index: FxHashMap::default(),
            edges: Vec::new(),
            outlined: FxHashSet::default(),
            writing: None,
            uses: FxHashMap::default(),
        }
    }

    fn collect(&mut self, recent: &[RecentEdit]) {
        let graph = self.graph;
        let enclosing = self.enclosing().and_then(|id| graph.symbol(id));
        if let Some(function) = enclosing.as_ref().filter(|s| s.kind != SymbolKind::Class) {
            self.writing = Some(function.id);
        }
        let function = enclosing.as_ref().filter(|s| matches!(s.kind, SymbolKind::Function | SymbolKind::Method)).map(|s| s.id);
        let class = enclosing.as_ref().and_then(|s| match s.kind {
            SymbolKind::Class => Some(s.id),
            SymbolKind::Method => graph.container(s.id).filter(|c| graph.symbol(*c).is_some_and(|c| c.kind == SymbolKind::Class)),
            _ => None,
        });
        self.receiver_at_cursor();
        if let Some(class) = class {
            self.outline(CURSOR, class, Tie::Member.weight() * 2.0);
        }
        self.references_around(enclosing.as_ref());
        if let Some(function) = function {
            self.parameter_types(function);
            for caller in graph.callers(function).into_iter().take(MAX_CALLERS) {
                self.tie(CURSOR, caller.symbol, Tie::Calls.weight() * 0.4);
            }
        }
        self.imports();
        self.far_in_file();
        let n = recent.len() as f64;
        for (i, edit) in recent.iter().enumerate() {
            let Ok(at) = u32::try_from(edit.offset) else { continue };
            if let Some(id) = graph.enclosing_symbol(edit.file, at) {
                self.tie(CURSOR, id, 0.4 + 0.4 * (i as f64 + 1.0) / n);
            }
        }
    }

    /// The definition the cursor is in, counting an indented line after a
    /// body's last statement (the next line being written) as inside it.
    fn enclosing(&self) -> Option<SymbolId> {
        let entry = self.graph.file(self.file)?;
        let scope = cursor_scope(&entry.summary, entry.text(), self.offset);
        match entry.summary.enclosing_definition(scope) {
            Some(def) => self.graph.definition_symbol(self.file, def),
            None => self.graph.module_symbol(self.file),
        }
    }

    /// `order.` or `order.to|`: the members of what `order` is.
    fn receiver_at_cursor(&mut self) {
        let Some(text) = self.graph.file(self.file).map(|e| e.text().clone()) else { return };
        let head = &text[..self.offset as usize];
        let typed = head.len() - head.trim_end_matches(|c: char| c == '_' || c.is_alphanumeric()).len();
        let Some(before_dot) = head[..head.len() - typed].strip_suffix('.') else { return };
        let Some((receiver, starts)) = dotted_before(&text, before_dot.len() as u32) else { return };
        let chain: Vec<&str> = receiver.split('.').collect();
        let at = starts.first().copied().unwrap_or(self.offset);
        for value in self.graph.infer_chain(self.file, at, &chain) {
            if let Value::Class(class) | Value::Instance(class) = value {
                self.outline(CURSOR, class, 4.0);
                for member in self.graph.members(class).into_iter().take(MAX_MEMBERS) {
                    self.tie(CURSOR, member, 1.0);
                }
            }
        }
    }

    /// The references of the enclosing function (or the lines around a
    /// module-level cursor): what they resolve to, nearer ones weighing
    /// more, and the classes of their receivers.
    fn references_around(&mut self, enclosing: Option<&Symbol<'_>>) {
        let graph = self.graph;
        let Some(entry) = graph.file(self.file) else { return };
        let newlines: Vec<u32> = entry.text().match_indices('\n').map(|(i, _)| i as u32).collect();
        let line_of = |at: u32| newlines.partition_point(|&n| n < at);
        let cursor_line = line_of(self.offset);
        let in_function = enclosing.filter(|s| s.kind != SymbolKind::Module).map(|s| s.range);
        let mut resolver = graph.reference_resolver(self.file);
        let mut receivers: Vec<(String, u32, f64)> = Vec::new();
        let mut seen_receivers = FxHashSet::default();
        let nearby = entry.summary.references.iter().filter(|r| {
            let span = r.span();
            match in_function {
                Some(range) => range.start <= span.start && span.end <= range.end,
                None => line_of(span.start).abs_diff(cursor_line) <= MODULE_WINDOW_LINES,
            }
        });
        for reference in nearby.take(MAX_REFERENCES) {
            let distance = line_of(reference.span().start).abs_diff(cursor_line) as f64;
            let proximity = 1.0 / (1.0 + distance / 8.0);
            let segments = resolver.segments(reference);
            let last = segments.len().saturating_sub(1);
            for (i, resolved) in segments.iter().enumerate() {
                let Some(Resolved::Symbol(id)) = resolved else { continue };
                let tie = if i == last && reference.call { Tie::Calls } else { Tie::Uses };
                if i < last {
                    // `nodes.Const(...)`: the module's other names are likely next.
                    self.module_members(*id, Tie::Member.weight() * 0.3 * proximity);
                }
                // A class comes with its members (`__init__` says how to call it).
                self.outline(CURSOR, *id, tie.weight() * proximity);
            }
            // `a.b.c()`: what `a` and `a.b` are (and `a.b.c` when it is not
            // called), once per chain: their members are likely next.
            let names: Vec<&str> = reference.chain.split('.').collect();
            let whole = usize::from(!reference.call);
            for end in 1..names.len() + whole {
                let receiver = names[..end].join(".");
                if receivers.len() < MAX_RECEIVERS && seen_receivers.insert(receiver.clone()) {
                    receivers.push((receiver, reference.start, proximity));
                }
            }
        }
        for (receiver, at, proximity) in receivers {
            let chain: Vec<&str> = receiver.split('.').collect();
            for value in graph.infer_chain(self.file, at, &chain) {
                if let Value::Instance(class) | Value::Class(class) = value {
                    self.outline(CURSOR, class, Tie::Uses.weight() * proximity);
                }
            }
        }
    }

    /// The classes the enclosing function's parameters are inferred to be.
    fn parameter_types(&mut self, function: SymbolId) {
        let graph = self.graph;
        let Some(symbol) = graph.symbol(function) else { return };
        let Some(signature) = symbol.signature else { return };
        for parameter in &signature.parameters {
            let Some(ty) = graph.inferred_type_of(self.file, parameter.range.start) else { continue };
            for class in ty.classes {
                self.outline(CURSOR, class, Tie::Uses.weight());
            }
        }
    }

    /// The file's own top-level definitions too far from the cursor for
    /// the prompt's prefix and suffix to show them, by how much the file
    /// uses them.
    fn far_in_file(&mut self) {
        let graph = self.graph;
        let Some(module) = graph.module_symbol(self.file) else { return };
        let (before, after) = (self.offset.saturating_sub(PREFIX_BYTES), self.offset.saturating_add(SUFFIX_BYTES));
        for id in graph.children(module).into_iter().take(MAX_MEMBERS) {
            let far = graph.symbol(id).is_some_and(|s| s.range.end < before || s.range.start > after);
            if far {
                let (all, here) = self.uses(id);
                self.tie(CURSOR, id, 0.1 * popularity(all, here));
            }
        }
    }

    /// What the file's imports bind, resolved by the graph.
    fn imports(&mut self) {
        let graph = self.graph;
        let Some(entry) = graph.file(self.file) else { return };
        for import in entry.summary.imports.iter().filter(|i| !i.star) {
            if let Some(Resolved::Symbol(id)) = graph.definition(self.file, import.name_range.start) {
                self.tie(CURSOR, id, 0.3);
            }
        }
    }

    /// The top-level definitions of a workspace module, each tied to the
    /// cursor (once per module).
    fn module_members(&mut self, module: SymbolId, weight: f64) {
        let is_module = self.graph.symbol(module).is_some_and(|m| m.kind == SymbolKind::Module);
        if !is_module || !self.outlined.insert(module) {
            return;
        }
        for member in self.graph.children(module).into_iter().take(MAX_MEMBERS) {
            // Only what this file already takes from the module: a module
            // of eighty node classes would otherwise fill the budget.
            let (all, here) = self.uses(member);
            if here > 0 {
                self.tie(CURSOR, member, weight * popularity(all, here));
            }
        }
    }

    /// A symbol tied to `from`; a class with its members tied to it.
    fn outline(&mut self, from: usize, class: SymbolId, weight: f64) {
        let Some(class_node) = self.tie(from, class, weight) else { return };
        if !self.outlined.insert(class) {
            return;
        }
        for member in self.graph.members(class).into_iter().take(MAX_MEMBERS) {
            // The constructor says how the class is called.
            let is_init = self.graph.symbol(member).is_some_and(|m| m.name == "__init__");
            let weight = if is_init { Tie::Calls.weight() } else { Tie::Member.weight() * self.popularity(member) };
            self.tie(class_node, member, weight);
        }
    }

    /// How much a member is used, uses in the cursor's file counting more:
    /// `self.write` in a code generator is written again far more often
    /// than its rarely called helpers.
    fn popularity(&mut self, id: SymbolId) -> f64 {
        let (all, here) = self.uses(id);
        popularity(all, here)
    }

    /// References to `id`: everywhere, and in the cursor's file.
    fn uses(&mut self, id: SymbolId) -> (usize, usize) {
        let (graph, file) = (self.graph, self.file);
        *self.uses.entry(id).or_insert_with(|| {
            let uses = graph.references(id);
            let here = uses.iter().filter(|l| l.file == file).count();
            (uses.len(), here)
        })
    }

    /// Ties `from` to the workspace definition `id`; its node, or `None`
    /// for what is not one (locals, modules, externals) or is the code
    /// being written (a definition around the cursor).
    fn tie(&mut self, from: usize, id: SymbolId, weight: f64) -> Option<usize> {
        let symbol = self.graph.symbol(id)?;
        let file = symbol.file?;
        let around_cursor = Some(id) == self.writing || (file == self.file && symbol.range.start <= self.offset && self.offset <= symbol.range.end);
        let wanted = match symbol.kind {
            SymbolKind::Function | SymbolKind::Method | SymbolKind::Variable => !around_cursor,
            SymbolKind::Class => true,
            SymbolKind::Module | SymbolKind::External => false,
        };
        if !wanted {
            return None;
        }
        let next = self.ids.len() + 1;
        let node = *self.index.entry(id).or_insert(next);
        if node == next {
            self.ids.push(id);
        }
        self.edges.push((from, node, weight));
        Some(node)
    }

    /// Candidates best first.
    fn ranked(&self) -> Vec<SymbolId> {
        let rank = personalized_pagerank(self.ids.len() + 1, &self.edges, CURSOR);
        let mut order: Vec<usize> = (1..=self.ids.len()).collect();
        order.sort_by(|&a, &b| rank[b].total_cmp(&rank[a]).then(a.cmp(&b)));
        order.into_iter().map(|node| self.ids[node - 1]).collect()
    }
}

fn popularity(all: usize, here: usize) -> f64 {
    1.0 + ((all + 3 * here) as f64).ln_1p()
}

/// What one chosen symbol shows, and where.
struct Stub {
    id: SymbolId,
    file: FileId,
    start: u32,
    depth: usize,
    text: String,
}

/// Candidates looked at when packing, best first: counting each stub's
/// tokens is most of the cost of a request, and what ranks lower is noise.
const MAX_CONSIDERED: usize = 256;
/// No stub (a path line and `x = ...`) costs less.
const MIN_STUB_TOKENS: usize = 4;

/// The best-ranked symbols whose stubs fit in `budget`, rendered per file.
fn pack(graph: &Graph, counter: &TokenCounter, budget: usize, ranked: &[SymbolId]) -> FimContext {
    let mut stubs: FxHashMap<SymbolId, Stub> = FxHashMap::default();
    let mut files: FxHashSet<FileId> = FxHashSet::default();
    // What each choice added, in tokens, in the order chosen.
    let mut chosen: Vec<(SymbolId, usize)> = Vec::new();
    let mut estimate = 0;
    for &id in ranked.iter().take(MAX_CONSIDERED) {
        if estimate + MIN_STUB_TOKENS > budget {
            break;
        }
        if stubs.contains_key(&id) {
            continue;
        }
        // A member needs its class's header, a symbol its file's path line.
        let missing: Vec<Stub> = std::iter::once(id).chain(containers(graph, id)).filter(|c| !stubs.contains_key(c)).filter_map(|c| stub(graph, c)).collect();
        let Some(file) = missing.first().map(|s| s.file) else { continue };
        let mut cost: usize = missing.iter().map(|s| counter.count(&s.text)).sum();
        if !files.contains(&file) {
            cost += counter.count(&format!("{}\n", path_of(graph, file)));
        }
        if estimate + cost > budget {
            continue;
        }
        estimate += cost;
        files.insert(file);
        stubs.extend(missing.into_iter().map(|s| (s.id, s)));
        chosen.push((id, cost));
    }
    // Seams between stubs may merge or split tokens: count the result
    // exactly and drop the worst-ranked choices until it fits.
    loop {
        let context = render(graph, counter, &chosen, &stubs);
        if context.tokens <= budget || chosen.is_empty() {
            return context;
        }
        let mut over = context.tokens - budget;
        while let Some((_, cost)) = chosen.pop() {
            if cost >= over {
                break;
            }
            over -= cost;
        }
    }
}

/// The classes (and functions) `id` is nested in, innermost first.
fn containers(graph: &Graph, id: SymbolId) -> Vec<SymbolId> {
    let mut out = Vec::new();
    let mut current = graph.container(id);
    while let Some(c) = current.filter(|c| graph.symbol(*c).is_some_and(|s| s.kind != SymbolKind::Module)) {
        out.push(c);
        current = graph.container(c);
    }
    out
}

/// The chosen symbols' stubs (and their classes'), per file in source
/// order, the files least relevant first.
fn render(graph: &Graph, counter: &TokenCounter, chosen: &[(SymbolId, usize)], stubs: &FxHashMap<SymbolId, Stub>) -> FimContext {
    let mut shown: Vec<&Stub> = Vec::new();
    let mut seen = FxHashSet::default();
    let mut file_rank: Vec<FileId> = Vec::new();
    for &(id, _) in chosen {
        for s in std::iter::once(id).chain(containers(graph, id)) {
            if seen.insert(s) {
                shown.extend(stubs.get(&s));
            }
        }
        if let Some(file) = stubs.get(&id).map(|s| s.file).filter(|f| !file_rank.contains(f)) {
            file_rank.push(file);
        }
    }
    shown.sort_by_key(|s| (s.file, s.start));
    let mut out = FimContext::default();
    for &file in file_rank.iter().rev() {
        let mut text = String::new();
        let in_file: Vec<&Stub> = shown.iter().copied().filter(|s| s.file == file).collect();
        for (i, s) in in_file.iter().enumerate() {
            text.push_str(&s.text);
            // A class shown without members or docstring still needs a body.
            let has_body = in_file.get(i + 1).is_some_and(|next| next.depth > s.depth);
            if !has_body && s.text.ends_with(":\n") {
                text.push_str(&"    ".repeat(s.depth + 1));
                text.push_str("...\n");
            }
        }
        let (text, masked) = secrets::mask(&text);
        out.secrets_masked += masked;
        let path = path_of(graph, file);
        out.tokens += counter.count(&format!("{path}\n{text}"));
        out.files.push(ContextFile { path, text });
    }
    out
}

/// A definition as Python, indented as it is nested: its header
/// (decorators included) and the first line of its docstring; a function
/// without one ends in `: ...`.
fn stub(graph: &Graph, id: SymbolId) -> Option<Stub> {
    let symbol = graph.symbol(id)?;
    let file = symbol.file?;
    let doc = symbol.docstring.and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()));
    let doc = doc.map(|d| format!("    \"\"\"{}\"\"\"\n", d.replace("\"\"\"", "'''")));
    let text = match symbol.kind {
        SymbolKind::Variable => match symbol.annotation {
            Some(_) => format!("{}\n", header(&(&symbol).into())),
            None => format!("{} = ...\n", symbol.name),
        },
        SymbolKind::Class | SymbolKind::Function | SymbolKind::Method => match doc {
            Some(doc) => format!("{}:\n{doc}", header(&(&symbol).into())),
            None if symbol.kind == SymbolKind::Class => format!("{}:\n", header(&(&symbol).into())),
            None => format!("{}: ...\n", header(&(&symbol).into())),
        },
        SymbolKind::Module | SymbolKind::External => return None,
    };
    let depth = containers(graph, id).len();
    let indent = "    ".repeat(depth);
    let text = text.lines().map(|line| format!("{indent}{line}\n")).collect();
    Some(Stub { id, file, start: symbol.range.start, depth, text })
}

/// The file's path relative to the workspace folder it is under.
fn path_of(graph: &Graph, file: FileId) -> String {
    graph.file(file).map(|entry| workspace_path(graph, &entry.path).1).unwrap_or_default()
}

/// The name of the workspace folder `path` is under and `path` relative to
/// it, with `/`: the outermost root, so `src/` layouts keep their `src/`.
/// The prompt names the current file and the context's files this one way.
pub fn workspace_path(graph: &Graph, path: &Path) -> (String, String) {
    let root = graph.roots().iter().filter(|r| path.starts_with(r)).min_by_key(|r| r.components().count());
    let relative = root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path);
    let shown: Vec<_> = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    let name = root.and_then(|r| r.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    (name, shown.join("/"))
}
