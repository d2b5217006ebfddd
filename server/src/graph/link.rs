//! Linking: every import, base and reference of a file resolved into the
//! graph's edges (contains, inherits, imports, references, calls), and
//! what the file consulted and missed on the way.

use petgraph::stable_graph::NodeIndex;

use super::implicit::LeftHand;
use super::resolve::{ClassRef, Resolved, Resolver, Value};
use super::summary::{DefinitionId, DefinitionKind, ScopeId, Span};
use super::{EdgeKind, FileId, Graph, reads};

pub(super) enum EdgeTarget {
    Node(NodeIndex),
    External(String),
}

pub(super) struct LinkEdge {
    pub source: NodeIndex,
    pub target: EdgeTarget,
    pub kind: EdgeKind,
    pub site: Span,
}

#[derive(Default)]
pub(super) struct Links {
    pub edges: Vec<LinkEdge>,
    pub consulted: Vec<FileId>,
    /// Definitions of other files (their nodes) whose recorded values
    /// (what is assigned or returned) type inference read.
    pub consulted_values: Vec<(FileId, NodeIndex)>,
    /// What the linking read of other files: some whole, and the names
    /// it looked up (sorted; see reads.rs).
    pub read_whole: Vec<FileId>,
    pub read_names: Vec<u32>,
    pub missing: Vec<String>,
    /// Where the imports and references that resolved to nothing start:
    /// a local update counts those of the region it replaces without
    /// linking the old region again (local.rs).
    pub unresolved: Vec<u32>,
    /// The calls in the file (their chains) that typed a parameter, with
    /// the function whose parameter it is (see `infer/callers.rs`).
    pub caller_typed: Vec<(String, Span)>,
    /// The functions and classes (by name) whose calls in the files that
    /// import them typed a parameter.
    pub caller_names: Vec<String>,
}

impl Links {
    /// These links with `more`'s, of other items of the same file.
    pub fn merge(&mut self, more: Links) {
        self.edges.extend(more.edges);
        self.consulted.extend(more.consulted);
        self.consulted_values.extend(more.consulted_values);
        self.read_whole.extend(more.read_whole);
        self.read_names.extend(more.read_names);
        self.missing.extend(more.missing);
        self.unresolved.extend(more.unresolved);
        self.caller_typed.extend(more.caller_typed);
        self.caller_names.extend(more.caller_names);
    }

    /// Moves the lists a file keeps (all but the edges) into blocks of
    /// their length: they grew by pushes, and stay for the file's life.
    pub(super) fn shrink_to_fit(&mut self) {
        use super::summary::exact;
        // No `..`: a new list must be shrunk too.
        let Links { edges: _, consulted, consulted_values, read_whole, read_names, missing, unresolved, caller_typed, caller_names } = self;
        exact(consulted);
        exact(consulted_values);
        exact(read_whole);
        exact(read_names);
        exact(missing);
        exact(unresolved);
        exact(caller_typed);
        exact(caller_names);
    }
}

/// Resolves every import, base and reference of `file` into edges.
pub(super) fn link(graph: &Graph, file: FileId) -> Links {
    link_until(graph, file, &|| false).unwrap_or_default()
}

/// References resolved between two looks at `stop`.
const STOP_EVERY: usize = 32;

/// [`link`], given up (`None`) as soon as `stop` says so: linking only
/// reads the graph, so work that can wait makes way for an update.
pub(super) fn link_until(graph: &Graph, file: FileId, stop: &dyn Fn() -> bool) -> Option<Links> {
    link_items(graph, file, stop, None, None)
}

/// What each segment of each reference of a file denotes, in the order of
/// the summary's references (see [`ReferenceResolver::segments`]).
///
/// [`ReferenceResolver::segments`]: super::ReferenceResolver::segments
pub type Answers = Vec<Vec<Option<Resolved>>>;

/// [`link`], with what each reference's segments denote: the answers the
/// linking found, which a resolver started afresh may not give (inference's
/// memo depends on what was resolved before, see answers.rs).
pub(super) fn link_with_answers(graph: &Graph, file: FileId) -> (Links, Answers) {
    let mut answers = Answers::new();
    let links = link_items(graph, file, &|| false, None, Some(&mut answers)).unwrap_or_default();
    (links, answers)
}

/// The links of the items of `file` that start inside `region` (the
/// statements an edit touched, see local.rs).
pub(super) fn link_region(graph: &Graph, file: FileId, region: Span) -> Links {
    link_items(graph, file, &|| false, Some(region), None).unwrap_or_default()
}

/// [`link_until`] of the items inside `region` (all when `None`), with
/// what it read of other files.
fn link_items(graph: &Graph, file: FileId, stop: &dyn Fn() -> bool, region: Option<Span>, answers: Option<&mut Answers>) -> Option<Links> {
    let (links, reads) = reads::recording(file, || resolve_items(graph, file, stop, region, answers));
    let mut links = links?;
    links.read_whole = reads.whole.into_iter().collect();
    links.read_whole.sort_unstable();
    links.read_names = reads.names.into_iter().collect();
    links.read_names.sort_unstable();
    Some(links)
}

/// The links of the items of `file` inside `region`; what each reference's
/// segments denote is pushed to `answers` when given.
fn resolve_items(graph: &Graph, file: FileId, stop: &dyn Fn() -> bool, region: Option<Span>, mut answers: Option<&mut Answers>) -> Option<Links> {
    let wanted = |start: u32| region.is_none_or(|r| r.start <= start && start < r.end);
    let mut r = Resolver::new(graph, file);
    let mut edges = Vec::new();
    let mut unresolved = Vec::new();
    let Some(entry) = graph.file(file) else {
        return Some(Links::default());
    };
    let summary = &entry.summary;
    let source_of = |scope: ScopeId| match summary.enclosing_definition(scope) {
        Some(def) => entry.nodes[def as usize],
        None => entry.module_node,
    };
    let mut push = |source: NodeIndex, target: Option<EdgeTarget>, kind: EdgeKind, site: Span| {
        if let Some(target) = target {
            edges.push(LinkEdge { source, target, kind, site });
        }
    };

    for (def, d) in summary.definitions.iter().enumerate().filter(|(_, d)| wanted(d.name_range.start)) {
        let node = entry.nodes[def];
        push(source_of(d.scope), Some(EdgeTarget::Node(node)), EdgeKind::Contains, d.name_range);
        if d.kind == DefinitionKind::Class {
            for (base, site) in r.bases(file, def as DefinitionId) {
                let target = match base {
                    ClassRef::Workspace(f, b) => r.target(&Value::Definition(f, b)),
                    ClassRef::External(path) => Some(EdgeTarget::External(path)),
                };
                push(node, target, EdgeKind::Inherits, site);
            }
        }
    }

    for (i, import) in summary.imports.iter().enumerate().filter(|(_, i)| wanted(i.range.start)) {
        let source = source_of(import.scope);
        let Some(module) = r.import_module(file, i as u32) else {
            unresolved.push(import.range.start);
            continue;
        };
        let module_value = r.module(&module);
        push(source, r.target(&module_value), EdgeKind::Imports, import.range);
        if let Some(name) = &import.name {
            match r.module_member(&module, name, 0) {
                Some(value @ Value::Module(_)) => push(source, r.target(&value), EdgeKind::Imports, import.name_range),
                Some(value) => {
                    push(source, r.target(&value), EdgeKind::References, import.name_range);
                    if let Some(span) = reexport_alias(entry.text(), import) {
                        // `from m import f as f` (a re-export): the alias
                        // spells the name too.
                        push(source, r.target(&value), EdgeKind::References, span);
                    }
                }
                None => unresolved.push(import.range.start),
            }
        }
    }

    for (i, reference) in summary.references.iter().enumerate().filter(|(_, r)| wanted(r.start)) {
        if i % STOP_EVERY == 0 && stop() {
            return None;
        }
        let source = source_of(reference.scope);
        let values = r.resolve_reference(file, reference);
        if let Some(answers) = answers.as_deref_mut() {
            answers.push(values.iter().map(|(_, value)| r.resolved_segment(value)).collect());
        }
        for (span, getattr) in r.forwarded_read(file, reference, &values) {
            push(source, r.target(&getattr), EdgeKind::Runs, span);
        }
        if values.is_empty() {
            // A member of `super()` or of a value of unknown type is not
            // a name that failed to resolve.
            if !reference.from_super && reference.receiver().is_none() {
                unresolved.push(reference.start);
            }
            continue;
        }
        let segments = reference.segment_count();
        // `self.__class__(...)` (the member no workspace class defines:
        // unresolved, or `object`'s of a library base) constructs the
        // instance's class.
        if reference.call
            && segments >= 2
            && values.len() + 1 >= segments
            && let ("__class__", span) = reference.last_segment()
            && let Some((_, owner)) = values.get(segments - 2)
            && values.get(segments - 1).is_none_or(|(_, v)| matches!(v, Value::External(_)))
        {
            for init in r.instance_class_construction(owner) {
                push(source, r.target(&init), EdgeKind::Calls, span);
            }
            if let Some(new) = r.instance_class_new(owner) {
                push(source, r.target(&new), EdgeKind::Runs, span);
            }
        }
        let mut previous: Option<Value> = None;
        for (i, (span, value)) in values.into_iter().enumerate() {
            let last = i + 1 == segments;
            let attribute = i > 0 || reference.receiver().is_some() || reference.from_super;
            for value in value.alternatives() {
                if attribute {
                    let site = (last && !reference.call).then_some(span);
                    let through_instance = !previous.as_ref().is_some_and(|p| r.is_class(p));
                    for method in r.descriptor_targets(value, entry.text(), site, through_instance) {
                        push(source, r.target(&method), EdgeKind::Runs, span);
                    }
                }
                if last && reference.call {
                    let callees = r.call_targets(value);
                    if callees.as_slice() != std::slice::from_ref(value) {
                        // `Foo()` calls `Foo.__init__` and uses the name `Foo`.
                        push(source, r.target(value), EdgeKind::References, span);
                    }
                    for callee in &callees {
                        push(source, r.target(callee), EdgeKind::Calls, span);
                    }
                    for method in r.instance_call_targets(value) {
                        push(source, r.target(&method), EdgeKind::Runs, span);
                    }
                } else if matches!(value, Value::Definition(..) | Value::Module(_)) {
                    push(source, r.target(value), EdgeKind::References, span);
                    if attribute && (r.is_property(value) || r.is_method(value)) && !previous.as_ref().is_some_and(|p| r.is_class(p)) {
                        // Reading `obj.prop` runs the property's getter;
                        // `obj.m` uncalled is a bound method taken to be
                        // called elsewhere (`append = text.append`), which
                        // the call hierarchy shows as a call, as pyright does.
                        push(source, r.target(value), EdgeKind::Calls, span);
                    }
                }
            }
            previous = Some(value);
        }
    }

    // A reflected operator's call follows its forward call at the same
    // place, so a statement taken whole keeps each pair together.
    let mut left = LeftHand::Other;
    for (i, call) in summary.implicit_calls.iter().enumerate().filter(|(_, c)| wanted(c.span.start)) {
        if i % STOP_EVERY == 0 && stop() {
            return None;
        }
        let source = source_of(call.scope);
        let (methods, found) = r.implicit_targets(file, call, left);
        left = found;
        let generators = r.generators_started(file, call, &methods);
        for method in methods.into_iter().chain(generators) {
            push(source, r.target(&method), EdgeKind::Runs, call.span);
        }
        // `list(islice(it, n))` iterates `it` there too.
        for wrapped in r.wrapped_iterations(file, call) {
            let (methods, _) = r.implicit_targets(file, &wrapped, LeftHand::Other);
            let generators = r.generators_started(file, &wrapped, &methods);
            for method in methods.into_iter().chain(generators) {
                push(source, r.target(&method), EdgeKind::Runs, call.span);
            }
        }
    }

    let mut consulted: Vec<FileId> = r.consulted.into_iter().collect();
    consulted.sort();
    let node = |(f, def): (FileId, DefinitionId)| Some((f, *graph.file_global(f)?.nodes.get(def as usize)?));
    let mut consulted_values: Vec<(FileId, NodeIndex)> = r.consulted_values.into_iter().filter_map(node).collect();
    consulted_values.sort();
    let mut missing: Vec<String> = r.missing.into_iter().collect();
    missing.sort();
    let mut caller_typed: Vec<(String, Span)> = r.caller_typed.into_iter().collect();
    caller_typed.sort();
    let mut caller_names: Vec<String> = r.caller_names.into_iter().collect();
    caller_names.sort();
    Some(Links { edges, consulted, consulted_values, read_whole: Vec::new(), read_names: Vec::new(), missing, unresolved, caller_typed, caller_names })
}

/// Where the alias of `from m import name as name` is written (the alias
/// ends the import's range).
fn reexport_alias(text: &str, import: &super::summary::Import) -> Option<Span> {
    let alias = import.alias.as_deref().filter(|alias| Some(*alias) == import.name.as_deref())?;
    let span = Span::new(import.range.end.checked_sub(alias.len() as u32)?, import.range.end);
    (span.start > import.name_range.start && text.get(span.range()) == Some(alias)).then_some(span)
}
