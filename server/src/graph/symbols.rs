//! The graph's symbols: their nodes, names, places, children and
//! containers, the symbol at an offset, and the edges between them that
//! the queries and the linker read.

use petgraph::stable_graph::NodeIndex;

use super::{DefinitionId, EdgeKind, FileId, Graph, Location, Node, ReferenceResolver, Resolved, Span, Stats, Symbol, SymbolId, SymbolKind, resolve};

impl Graph {
    pub(super) fn node(&self, id: SymbolId) -> Option<&Node> {
        self.graph.node_weight(id.0)
    }

    /// A node's dotted qualified name: a workspace node's from its file
    /// (its module, or its definition's), an external's its own; empty
    /// for a node that is gone, or while its file's entry is out being
    /// replaced.
    pub(super) fn qualified_name(&self, node: NodeIndex) -> &str {
        let Some(weight) = self.graph.node_weight(node) else { return "" };
        let Some(file) = weight.file else { return self.external_names.get(&node).map_or("", |name| name) };
        let Some(entry) = self.file(file) else { return "" };
        match weight.definition {
            None => &entry.module,
            Some(def) => entry.qualified.get(def as usize).unwrap_or_default(),
        }
    }

    /// The symbol's details, or `None` for an id from an older snapshot whose
    /// node is gone.
    pub fn symbol(&self, id: SymbolId) -> Option<Symbol<'_>> {
        let node = self.node(id)?;
        let qualified_name = self.qualified_name(id.0);
        let name = qualified_name.rsplit('.').next().unwrap_or(qualified_name);
        let mut symbol = Symbol {
            id,
            kind: node.kind,
            qualified_name,
            name,
            file: node.file,
            range: Span::default(),
            name_range: Span::default(),
            signature: None,
            docstring: None,
            bases: &[],
            decorators: &[],
            annotation: None,
        };
        let Some(file) = node.file.and_then(|f| self.file(f)) else { return Some(symbol) };
        match node.definition {
            None => {
                symbol.range = Span::new(0, file.text().len() as u32);
                symbol.docstring = file.summary.docstring.as_deref();
            }
            Some(def) => {
                let d = file.summary.definitions.get(def as usize)?;
                symbol.range = d.range;
                symbol.name_range = d.name_range;
                symbol.signature = d.signature.as_deref();
                symbol.docstring = d.docstring.as_deref();
                symbol.bases = &d.bases;
                symbol.decorators = &d.decorators;
                symbol.annotation = d.annotation.as_deref();
            }
        }
        Some(symbol)
    }

    /// The symbol defined by `definition` of `file`.
    pub fn definition_symbol(&self, file: FileId, definition: DefinitionId) -> Option<SymbolId> {
        self.file(file)?.nodes.get(definition as usize).map(|&n| SymbolId(n))
    }

    /// Where a workspace symbol is defined (its name).
    pub fn location(&self, id: SymbolId) -> Option<Location> {
        let symbol = self.symbol(id)?;
        Some(Location { file: symbol.file?, span: symbol.name_range })
    }

    /// Top-level symbols of a file, each with its children (methods,
    /// nested functions, class variables), in source order.
    pub fn symbols_in_file(&self, file: FileId) -> Vec<SymbolId> {
        self.named_children(SymbolId(match self.file(file) {
            Some(f) => f.module_node,
            None => return Vec::new(),
        }))
    }

    /// [`Graph::children`] but those with no name: a half-typed `def
    /// (self):` or `class :` recovers as one, which an outline cannot show.
    pub fn named_children(&self, id: SymbolId) -> Vec<SymbolId> {
        let mut children = self.children(id);
        children.retain(|&child| self.symbol(child).is_some_and(|s| !s.name.trim().is_empty()));
        children
    }

    /// What a symbol contains, in source order.
    pub fn children(&self, id: SymbolId) -> Vec<SymbolId> {
        let mut children: Vec<(Span, SymbolId)> =
            self.out_edges(id, EdgeKind::Contains).filter_map(|(_, target)| Some((self.symbol(target)?.name_range, target))).collect();
        children.sort();
        children.dedup();
        children.into_iter().map(|(_, id)| id).collect()
    }

    /// The class whose body binds `id` (a method, a class attribute), if
    /// its container is a class.
    pub fn owner_class(&self, id: SymbolId) -> Option<SymbolId> {
        self.container(id).filter(|&c| self.symbol(c).is_some_and(|s| s.kind == SymbolKind::Class))
    }

    /// The symbol that contains `id` (its class, function or module): the
    /// source of its `Contains` edge, read from the summary (a widely used
    /// symbol has thousands of incoming edges to look through).
    pub fn container(&self, id: SymbolId) -> Option<SymbolId> {
        let node = self.node(id)?;
        let entry = self.file(node.file?)?;
        let scope = entry.summary.definitions.get(node.definition? as usize)?.scope;
        match entry.summary.enclosing_definition(scope) {
            Some(parent) => entry.nodes.get(parent as usize).map(|&n| SymbolId(n)),
            None => Some(SymbolId(entry.module_node)),
        }
    }

    /// The innermost class or function whose definition contains `offset`,
    /// or the module.
    pub fn enclosing_symbol(&self, file: FileId, offset: u32) -> Option<SymbolId> {
        let entry = self.file(file)?;
        let scope = entry.summary.scope_at(offset);
        match entry.summary.enclosing_definition(scope) {
            Some(def) => self.definition_symbol(file, def),
            None => Some(SymbolId(entry.module_node)),
        }
    }

    /// The symbol whose name is at `offset`, if any.
    pub fn symbol_at(&self, file: FileId, offset: u32) -> Option<SymbolId> {
        let entry = self.file(file)?;
        let def = entry.summary.definitions.iter().position(|d| d.name_range.touches(offset))?;
        self.definition_symbol(file, def as DefinitionId)
    }

    /// What the name at `offset` refers to: a symbol, a module, an external
    /// path or a local binding. `None` when there is no name there or it
    /// does not resolve.
    pub fn definition(&self, file: FileId, offset: u32) -> Option<Resolved> {
        resolve::definition_at(self, file, offset)
    }

    /// A resolver for many references of `file` in a row.
    pub fn reference_resolver(&self, file: FileId) -> ReferenceResolver<'_> {
        ReferenceResolver::new(self, file)
    }

    /// [`Graph::reference_resolver`] that also sees `companion`'s function
    /// locals (see [`ReferenceResolver::with_companion`]).
    pub fn reference_resolver_with(&self, file: FileId, companion: FileId) -> ReferenceResolver<'_> {
        ReferenceResolver::with_companion(self, file, companion)
    }

    /// Every place that refers to `id` (calls, references, imports,
    /// inheritance), sorted. For an overloaded function or a property,
    /// those of all its definitions, and the names of the others (see
    /// [`Graph::family`]). `Cls(...)` calls `__init__` but names the class:
    /// it is not a reference of `__init__` (a rename must not touch it).
    pub fn references(&self, id: SymbolId) -> Vec<Location> {
        let name = self.qualified_name(id.0).rsplit('.').next().unwrap_or_default();
        let constructor = matches!(name, "__init__" | "__new__");
        let spells_name = |file: FileId, span: Span| self.file(file).and_then(|e| e.text().get(span.range())) == Some(name);
        let family = self.family(id);
        let others = family.iter().filter(|&&member| member != id).filter_map(|&member| {
            let node = self.node(member)?;
            let name_range = self.file(node.file?)?.summary.definitions.get(node.definition? as usize)?.name_range;
            Some(Location { file: node.file?, span: name_range })
        });
        let mut locations: Vec<Location> = family
            .iter()
            .flat_map(|member| self.graph.edges_directed(member.0, petgraph::Direction::Incoming))
            .filter(|e| !matches!(e.weight().kind, EdgeKind::Contains | EdgeKind::Runs))
            .filter_map(|e| {
                let file = self.graph.node_weight(petgraph::visit::EdgeRef::source(&e))?.file?;
                let span = e.weight().site;
                let names_the_class = constructor && e.weight().kind == EdgeKind::Calls && !spells_name(file, span);
                (!names_the_class).then_some(Location { file, span })
            })
            .chain(others)
            .collect();
        locations.sort();
        locations.dedup();
        locations
    }

    /// Every symbol, workspace and external (for workspace symbol search).
    pub fn all_symbols(&self) -> impl Iterator<Item = SymbolId> + '_ {
        self.graph.node_indices().map(SymbolId)
    }

    pub fn stats(&self) -> Stats {
        let mut stats = Stats::default();
        for (_, f) in self.files() {
            stats.files += 1;
            stats.symbols += f.nodes.len() + 1;
            stats.unresolved += f.unresolved.len();
            stats.syntax_errors += usize::from(f.syntax_errors > 0);
        }
        stats.externals = self.externals.values().filter(|&&n| self.graph.neighbors_undirected(n).next().is_some()).count();
        stats.edges = self.graph.edge_count();
        stats
    }

    // ---- internals shared with resolve/queries/build ----

    pub(super) fn out_edges(&self, id: SymbolId, kind: EdgeKind) -> impl Iterator<Item = (Span, SymbolId)> + '_ {
        use petgraph::visit::EdgeRef;
        self.graph.edges_directed(id.0, petgraph::Direction::Outgoing).filter(move |e| e.weight().kind == kind).map(|e| (e.weight().site, SymbolId(e.target())))
    }

    pub(super) fn in_edges(&self, id: SymbolId, kind: EdgeKind) -> impl Iterator<Item = (Span, SymbolId)> + '_ {
        use petgraph::visit::EdgeRef;
        self.graph.edges_directed(id.0, petgraph::Direction::Incoming).filter(move |e| e.weight().kind == kind).map(|e| (e.weight().site, SymbolId(e.source())))
    }
}
