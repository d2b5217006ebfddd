//! The summary of a file whose new text has syntax errors: what ruff's
//! recovering parser made of it, and the previous summary only where that
//! recovery lost what the edit did not touch.
//!
//! Recovery keeps almost everything (a half-typed `def f(`, an unclosed
//! bracket or a dangling `c.` end at the next statement), so a name bound
//! since the last clean parse is known at once. An unclosed triple-quoted
//! string is the exception: it swallows the rest of the file, and the
//! definitions after it would vanish at each keystroke until it is closed.

use rustc_hash::FxHashSet;

use super::moved::TextEdit;
use super::{BindingKind, FileSummary, ScopeId};

impl FileSummary {
    /// The summary for `new`, a text with syntax errors whose recovered
    /// parse is `fresh`, after `old`, whose summary was `previous`: `fresh`,
    /// unless it lacks module-level definitions `previous` had whose names
    /// the edit did not touch. From the first of those on, `previous` carried
    /// over to `new` stands in for what did not parse. Also whether that
    /// is `fresh` whole.
    pub fn recovered(fresh: FileSummary, previous: &FileSummary, old: &str, new: &str) -> (FileSummary, bool) {
        let edit = TextEdit::between(old, new);
        let parsed: FxHashSet<&str> = fresh.definitions.iter().filter(|d| d.scope == 0).map(|d| d.name.as_str()).collect();
        let lost: Vec<usize> = (previous.definitions.iter().enumerate())
            .filter(|(_, d)| d.scope == 0 && edit.spares(d.name_range) && !parsed.contains(d.name.as_str()))
            .map(|(i, _)| i)
            .collect();
        if lost.is_empty() {
            return (fresh, true);
        }
        let carried = previous.untouched_by(edit).moved(old, new);
        let Some(cut) = lost.iter().map(|&i| carried.definitions[i].range.start).min() else { return (fresh, true) };
        let mut out = FileSummary { docstring: fresh.docstring.clone(), syntax_errors: fresh.syntax_errors, ..FileSummary::default() };
        out.append(&fresh, |start| start < cut, 0);
        out.append(&carried, |start| start >= cut, 0);
        (out, false)
    }

    /// This summary without the references and plain bindings whose names
    /// `edit` touched: carried over, they would name the old text's names
    /// over the new one (`total` over `tal(c` once `to` is deleted, its
    /// hover and token `def total`). Definitions and imports stay, their
    /// bindings with them: other items are numbered after them.
    fn untouched_by(&self, edit: TextEdit) -> FileSummary {
        let mut out = self.clone();
        out.references.retain(|r| edit.spares(r.span()));
        out.bindings.retain(|b| matches!(b.kind, BindingKind::Definition(_) | BindingKind::Import(_)) || edit.spares(b.range));
        out
    }

    /// Appends the items of `part` that start where `keep` says, with their
    /// indices renumbered; items whose scope, definition or import is not
    /// kept go too. Scope 0 is the module in both: `part`'s is taken only
    /// when `self` has none yet. Constants are by name: the first part's
    /// stand. The first `shared` definitions of `part` are `self`'s first
    /// ones, kept in place (a splice's, see spliced.rs): items of `part`
    /// may refer to them without keeping them.
    pub(super) fn append(&mut self, part: &FileSummary, keep: impl Fn(u32) -> bool, shared: u32) {
        // Every field named: one added to summaries must be spliced too.
        let FileSummary {
            docstring: _,
            scopes: part_scopes,
            definitions: part_definitions,
            imports: part_imports,
            bindings,
            references,
            implicit_calls,
            arguments,
            narrowings,
            branches,
            constants,
            statements,
            syntax_errors: _,
        } = part;
        let mut kept_scopes: Vec<bool> = Vec::with_capacity(part_scopes.len());
        for (i, s) in part_scopes.iter().enumerate() {
            let kept = i == 0 || (keep(s.range.start) && s.parent.is_some_and(|p| kept_scopes[p as usize]));
            kept_scopes.push(kept);
        }
        let take_module = self.scopes.is_empty();
        let mut scopes = renumber(kept_scopes.iter().skip(1).copied(), self.scopes.len() as u32 + u32::from(take_module));
        scopes.insert(0, Some(0));
        let scope = |s: ScopeId| scopes.get(s as usize).copied().flatten();
        let definitions = renumber(
            part_definitions.iter().map(|d| keep(d.range.start) && scope(d.scope).is_some() && d.body.is_none_or(|b| scope(b).is_some())),
            self.definitions.len() as u32,
        );
        let definition = |d: u32| definitions.get(d as usize).copied().flatten().or((d < shared).then_some(d));
        let imports = renumber(part_imports.iter().map(|i| keep(i.range.start) && scope(i.scope).is_some()), self.imports.len() as u32);
        let import = |i: u32| imports.get(i as usize).copied().flatten();
        let rescope = |s: ScopeId| scope(s).unwrap_or(0);

        for (i, s) in part_scopes.iter().enumerate().skip(usize::from(!take_module)) {
            if scopes[i].is_some() {
                let mut s = s.clone();
                s.parent = s.parent.and_then(scope);
                s.definition = s.definition.and_then(definition);
                self.scopes.push(s);
            }
        }
        for (i, d) in part_definitions.iter().enumerate() {
            if definitions[i].is_some() {
                let mut d = d.clone();
                d.scope = rescope(d.scope);
                d.body = d.body.and_then(scope);
                d.values.iter_mut().for_each(|v| v.map_scopes(&rescope));
                self.definitions.push(d);
            }
        }
        for (i, import_) in part_imports.iter().enumerate() {
            if imports[i].is_some() {
                let mut import_ = import_.clone();
                import_.scope = rescope(import_.scope);
                self.imports.push(import_);
            }
        }
        for b in bindings {
            let kind = match b.kind {
                BindingKind::Definition(d) => definition(d).map(BindingKind::Definition),
                BindingKind::Import(i) => import(i).map(BindingKind::Import),
                BindingKind::Parameter { self_of } => Some(BindingKind::Parameter { self_of: self_of.and_then(definition) }),
                other => Some(other),
            };
            if let (Some(kind), Some(s), true) = (kind, scope(b.scope), keep(b.range.start)) {
                let mut b = b.clone();
                (b.kind, b.scope) = (kind, s);
                b.value.iter_mut().for_each(|v| v.map_scopes(&rescope));
                self.bindings.push(b);
            }
        }
        for r in references {
            if let (Some(s), true) = (scope(r.scope), keep(r.start)) {
                let mut r = r.clone();
                r.scope = s;
                r.receiver.iter_mut().for_each(|v| v.map_scopes(&rescope));
                self.references.push(r);
            }
        }
        for call in implicit_calls {
            if let (Some(s), true) = (scope(call.scope), keep(call.span.start)) {
                let mut call = call.clone();
                call.scope = s;
                call.receiver.map_scopes(&rescope);
                self.implicit_calls.push(call);
            }
        }
        self.arguments.extend(arguments.iter().filter(|a| keep(a.span.start)).cloned());
        self.sort_arguments();
        for n in narrowings {
            if let (Some(s), true) = (scope(n.scope), keep(n.range.start)) {
                let mut n = n.clone();
                n.scope = s;
                n.classes.map_scopes(&rescope);
                self.narrowings.push(n);
            }
        }
        self.branches.extend(branches.iter().filter(|b| keep(b.range.start)).cloned());
        self.statements.extend(statements.iter().copied().filter(|&s| keep(s)));
        for (name, condition) in constants {
            if !self.constants.iter().any(|(known, _)| known == name) {
                self.constants.push((name.clone(), condition.clone()));
            }
        }
    }
}

/// Each kept item's index once the others are gone, numbered from `from`.
fn renumber(kept: impl IntoIterator<Item = bool>, from: u32) -> Vec<Option<u32>> {
    let mut next = from;
    kept.into_iter()
        .map(|kept| {
            kept.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}
