//! Properties made by a workspace subclass of `property`: its `__get__`
//! hands the read on to `property.__get__(self, obj, type)` (or
//! `super().__get__(obj, type)`), C code that calls the getter the
//! property was made of. The getters are the functions decorated (bare)
//! with the class, or with a workspace function that constructs it (toolz'
//! `@instanceproperty` returns `InstanceProperty(fget=fget, ...)`). Added
//! at query time as [`Via::Protocol`] calls at that hand-over, like
//! override dispatch: no stored edge, nothing to re-link.

use super::decorated::is_bare_decorator;
use super::dispatch::Via;
use super::hooks::{add_sites, sort_sites};
use super::queries::Caller;
use super::{EdgeKind, Graph, Location, Span, SymbolId, SymbolKind};

impl Graph {
    /// The getters the `__get__` `id` runs through `property`'s (see the
    /// module's comment), as [`Via::Protocol`] callees.
    pub(super) fn property_getter_callees(&self, id: SymbolId) -> Vec<Caller> {
        let sites = self.property_hand_overs(id);
        let Some(class) = self.method_class(id).filter(|_| !sites.is_empty()) else { return Vec::new() };
        let mut out = Vec::new();
        for getter in self.getters_made_by(class) {
            add_sites(&mut out, getter, sites.iter().cloned(), Via::Protocol);
        }
        sort_sites(&mut out);
        out
    }

    /// The `property.__get__` hand-overs that run `id`, a getter decorated
    /// with a workspace `property` subclass (or a function constructing
    /// one), as [`Via::Protocol`] callers.
    pub(super) fn property_getter_callers(&self, id: SymbolId) -> Vec<Caller> {
        let mut out = Vec::new();
        for class in self.property_makers(id) {
            let Some(get) = self.self_and_ancestors(class).into_iter().find_map(|c| self.own_method(c, "__get__")) else { continue };
            add_sites(&mut out, get, self.property_hand_overs(get), Via::Protocol);
        }
        out.retain(|c| !c.sites.is_empty());
        sort_sites(&mut out);
        out
    }

    /// The calls in `get` (a `__get__` of a subclass of `property`) that
    /// hand the read on to `property.__get__`.
    fn property_hand_overs(&self, get: SymbolId) -> Vec<Location> {
        let Some(symbol) = self.symbol(get).filter(|s| s.name == "__get__") else { return Vec::new() };
        let Some(class) = self.method_class(get) else { return Vec::new() };
        let Some((file, entry)) = symbol.file.filter(|&f| !self.is_library(f)).and_then(|f| Some((f, self.file(f)?))) else { return Vec::new() };
        if !self.ancestors(class).into_iter().any(|a| self.symbol(a).is_some_and(|s| s.qualified_name == "builtins.property")) {
            return Vec::new();
        }
        entry
            .summary
            .references
            .iter()
            .filter(|r| r.call && r.receiver().is_none() && symbol.range.start <= r.start && r.start < symbol.range.end)
            .filter(|r| {
                let (name, _) = r.last_segment();
                name == "__get__"
                    && (r.from_super && r.segment_count() == 1 || r.segment_count() == 2 && r.segments().next().is_some_and(|(first, _)| first == "property"))
            })
            .map(|r| Location { file, span: r.last_segment().1 })
            .collect()
    }

    /// The functions decorated (bare) with `class` or with a workspace
    /// function that constructs it.
    fn getters_made_by(&self, class: SymbolId) -> Vec<SymbolId> {
        let mut makers = vec![class];
        // `Prop(...)` is a call edge to the class (or to its `__init__`,
        // beside a reference to the class).
        let constructions = self.in_edges(class, EdgeKind::Calls).chain(self.in_edges(class, EdgeKind::References));
        makers.extend(
            constructions
                .filter(|&(site, holder)| self.node(holder).is_some_and(|n| n.kind == SymbolKind::Function) && self.called_in(holder, site))
                .map(|(_, holder)| holder),
        );
        let mut out = Vec::new();
        for maker in makers {
            for (site, holder) in self.in_edges(maker, EdgeKind::Calls).chain(self.in_edges(maker, EdgeKind::References)) {
                if let Some(getter) = self.decorated_at(holder, site).filter(|g| !out.contains(g)) {
                    out.push(getter);
                }
            }
        }
        out
    }

    /// The workspace `property` subclasses whose instances `id`'s bare
    /// decorators make: a class, or the classes a function constructs.
    fn property_makers(&self, id: SymbolId) -> Vec<SymbolId> {
        let (Some((_, definition)), Some(holder)) = (self.definition_of(id), self.container(id)) else { return Vec::new() };
        let Some(text) = self.symbol(id).and_then(|s| self.file(s.file?)).map(|e| e.text()) else { return Vec::new() };
        let header = Span::new(definition.range.start, definition.name_range.start);
        let is_class = |s: SymbolId| self.node(s).is_some_and(|n| n.kind == SymbolKind::Class);
        let mut out = Vec::new();
        for (site, named) in self.out_edges(holder, EdgeKind::Calls).chain(self.out_edges(holder, EdgeKind::References)) {
            if site.start < header.start || header.end < site.end || !is_bare_decorator(text, site) {
                continue;
            }
            if is_class(named) {
                out.push(named);
            } else if self.node(named).is_some_and(|n| n.kind == SymbolKind::Function) {
                let constructions = self.out_edges(named, EdgeKind::Calls).chain(self.out_edges(named, EdgeKind::References));
                out.extend(constructions.filter(|&(at, c)| is_class(c) && self.called_in(named, at)).map(|(_, c)| c));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Whether the name at `site`, in `holder`'s file, is called there.
    fn called_in(&self, holder: SymbolId, site: Span) -> bool {
        self.symbol(holder)
            .and_then(|s| self.file(s.file?))
            .and_then(|e| e.text().get(site.end as usize..))
            .is_some_and(|rest| rest.trim_start().starts_with('('))
    }
}
