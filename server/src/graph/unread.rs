//! Names an edit changed that nothing outside the edited region reads.
//!
//! Typing a new method changes its class's interface at most keystrokes:
//! the method's name appears, its signature and returns change as they
//! are typed. local.rs re-linked the whole file then (~9,000 references
//! in Django's query.py), though no reference outside the method can read
//! a name the rest of the file never spells. Here such a change is told
//! apart: every interface item it changed is a function or method whose
//! name is no dunder (the interpreter runs those unnamed) and is written
//! nowhere in the file's text outside the region re-linked (not in a
//! reference, a string nor a comment). A reference outside that region
//! resolves through names it spells, so none of them reaches those
//! functions, nor the locals and values only they show: the region's
//! re-link and the dependents that looked up one of the names (or read
//! the file whole, see reads.rs) are all that changed. Where the name is
//! spelled outside, only in functions that show the rest nothing but
//! what they return, those functions are linked with the region
//! (spelled.rs), and they count among the changed in turn.
//!
//! The function the region is (the one holding the edit) counts among
//! them when its name is not spelled outside either, whether its
//! interface changed or only what it returns; when it is spelled outside
//! and what it returns changed, with its readers. Whatever else changed (a
//! class, a variable, an attribute set in a method, an import, a value of
//! another definition) is refused: the caller re-links the whole file.
//! Values are compared with their scopes known by name and rank
//! ([`Placed`]): a scope's index shifts when a method or a comprehension
//! is added before it, which changed the whole file's value hashes.

use std::hash::Hasher;

use rustc_hash::{FxHashSet, FxHasher};

use super::infer::exprs::ValueExpr;
use super::insert::{Prepared, qualified_names};
use super::interface::Interface;
use super::reads::name_key;
use super::spelled::{Unread, by_name_only};
use super::summary::{Definition, FileSummary, Region, ScopeId};
use super::{DefinitionKind, FileEntry, Span};

/// What is linked again after an edit: the statements re-summarised
/// (`statements`) and, within them, the region linked (`linked`, the
/// function holding the edit or the statements).
pub(super) struct Relinked {
    pub statements: Region,
    pub linked: Region,
}

/// The names of the functions nothing outside the region reads (see the
/// module's documentation) when only they changed between `old` and
/// `new` (the summary of `text`, `prepared`) in what other statements and
/// files see; empty when nothing changed, `None` when something else did.
pub(super) fn unread_changes<'s>(old: &'s FileEntry, text: &str, new: &'s FileSummary, prepared: &Prepared, relinked: &Relinked) -> Option<Unread<'s>> {
    if prepared.interface == old.interface && prepared.value_hashes == old.value_hashes {
        return Some(Unread::default());
    }
    let (old_region, region) = (Span::new(relinked.linked.start, relinked.linked.old_end), relinked.linked.new_span());
    // The interface's hash holds the scopes' indices, which a function
    // added before them shifts; its items do not.
    let changed = match prepared.interface == old.interface {
        true => Vec::new(),
        false => {
            let qualified = qualified_names(&old.module, &old.summary);
            let before =
                Interface { module: &old.module, is_package: old.is_package, exports: old.exports.as_deref(), summary: &old.summary, qualified: &qualified };
            let after = Interface {
                module: &prepared.module,
                is_package: prepared.is_package,
                exports: prepared.exports.as_deref(),
                summary: new,
                qualified: &prepared.qualified,
            };
            before.changed_names(&after)?
        }
    };
    // The functions of the region, old and new, by name.
    let is_function = |kind| matches!(kind, DefinitionKind::Function | DefinitionKind::Method);
    let within = |span: Span, inside: Span| inside.start <= span.start && span.end <= inside.end;
    let candidates = old
        .summary
        .definitions
        .iter()
        .filter(|d| within(d.range, old_region))
        .chain(new.definitions.iter().filter(|d| within(d.range, region)))
        .filter(|d| is_function(d.kind));
    let mut names: FxHashSet<&str> = FxHashSet::default();
    for def in candidates {
        if changed.binary_search(&name_key(&def.name)).is_ok() {
            names.insert(def.name.as_str());
        }
    }
    // Every changed item is one of them (a name's key alone may be shared).
    if changed.iter().any(|key| !names.iter().any(|n| name_key(n) == *key)) {
        return None;
    }
    // Their readers outside the region are linked with it (spelled.rs).
    let mut unread = Unread::default();
    for name in names {
        unread.add(&old.summary, new, text, region, name)?;
    }
    // The function linked again: when nothing outside names it, what it
    // returns is read only in the region; when something does and what
    // it returns changed, its readers are linked with it.
    let statements = relinked.statements;
    if let Some(function) = new.definitions.iter().find(|d| is_function(d.kind) && d.range == region)
        && !unread.names.contains(function.name.as_str())
    {
        let name = function.name.as_str();
        let alone = by_name_only(&old.summary, name) && by_name_only(new, name) && !Unread::spelled_outside(new, text, name, region);
        if alone {
            unread.names.insert(name);
        } else if returns(&old.summary, old_region) != returns(new, region) {
            unread.add(&old.summary, new, text, region, name)?;
        }
    }
    // The other definitions' values are what they were: outside the
    // statements re-summarised, the splice kept them (moved, their scopes
    // renumbered); inside, their shapes with each scope known by where it
    // starts.
    let before = other_values(&old.summary, Span::new(statements.start, statements.old_end), &unread.names, &Placed::new(&old.summary));
    let after = other_values(new, statements.new_span(), &unread.names, &Placed::new(new));
    (before == after).then_some(unread)
}

/// The shapes of the values of the function spanning `span` in `summary`
/// (what it returns), its scopes placed; `None` when no function does.
fn returns(summary: &FileSummary, span: Span) -> Option<u64> {
    let function = summary.definitions.iter().find(|d| matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method) && d.range == span)?;
    let (place, mut h) = (Placed::new(summary), FxHasher::default());
    function.values.iter().for_each(|value| place.hash_shape(value, &mut h));
    Some(h.finish())
}

/// The names and value shapes of the definitions of `summary` in `span`
/// not named in `names`, in order, their scopes placed (see [`Placed`]).
fn other_values(summary: &FileSummary, span: Span, names: &FxHashSet<&str>, place: &Placed) -> Vec<(&'static str, u64)> {
    let inside = |d: &&Definition| span.start <= d.range.start && d.range.start < span.end;
    let mut values = Vec::new();
    for def in summary.definitions.iter().filter(inside).filter(|d| !names.contains(&*d.name)) {
        let mut h = FxHasher::default();
        def.values.iter().for_each(|value| place.hash_shape(value, &mut h));
        values.push((def.name.as_str(), h.finish()));
    }
    values
}

/// The scopes of a summary known by what they are rather than by their
/// index, which a scope added before them shifts: a class's or
/// function's body by the names (and kinds) of its definition and those
/// around it, a lambda's or comprehension's by its place among its
/// parent's; the n-th of equal ones by its rank. Keys are 32-bit hashes,
/// as the values' scopes they stand for.
pub(super) struct Placed(Vec<u32>);

impl Placed {
    pub(super) fn new(summary: &FileSummary) -> Self {
        let mut keys: Vec<Option<u32>> = vec![None; summary.scopes.len()];
        let mut ranks: rustc_hash::FxHashMap<u64, u32> = rustc_hash::FxHashMap::default();
        for scope in 0..summary.scopes.len() {
            place(summary, scope as ScopeId, &mut keys, &mut ranks);
        }
        Placed(keys.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// [`ValueExpr::hash_shape`] with each scope placed.
    pub(super) fn hash_shape(&self, value: &ValueExpr, h: &mut FxHasher) {
        let mut value = value.clone();
        value.map_scopes(&|scope| self.scope(scope));
        value.hash_shape(h);
    }

    pub(super) fn scope(&self, scope: ScopeId) -> u32 {
        self.0.get(scope as usize).copied().unwrap_or(u32::MAX)
    }
}

/// The key of `scope` (see [`Placed`]), its parents' found first.
fn place(summary: &FileSummary, scope: ScopeId, keys: &mut Vec<Option<u32>>, ranks: &mut rustc_hash::FxHashMap<u64, u32>) -> u32 {
    use std::hash::Hash;
    if let Some(key) = keys[scope as usize] {
        return key;
    }
    let s = &summary.scopes[scope as usize];
    let parent = s.parent.filter(|&p| p != scope).map(|p| place(summary, p, keys, ranks));
    let mut h = FxHasher::default();
    parent.hash(&mut h);
    match s.definition.and_then(|d| summary.definitions.get(d as usize)) {
        Some(def) => (0u8, &def.name, def.kind).hash(&mut h),
        None => (1u8, s.kind as u8).hash(&mut h),
    }
    let base = h.finish();
    let rank = ranks.entry(base).or_default();
    let mut h = FxHasher::default();
    (base, *rank).hash(&mut h);
    *rank += 1;
    let key = h.finish() as u32;
    keys[scope as usize] = Some(key);
    key
}

/// The scopes of `summary` that only the functions named in `names` show
/// the rest of the file: their bodies and every scope inside them.
pub(super) fn hidden_scopes(summary: &FileSummary, names: &FxHashSet<&str>) -> FxHashSet<ScopeId> {
    let mut hidden = FxHashSet::default();
    if names.is_empty() {
        return hidden;
    }
    let bodies: FxHashSet<ScopeId> = summary.definitions.iter().filter(|d| names.contains(&*d.name)).filter_map(|d| d.body).collect();
    for scope in 0..summary.scopes.len() as ScopeId {
        let mut at = Some(scope);
        while let Some(s) = at {
            if bodies.contains(&s) {
                hidden.insert(scope);
                break;
            }
            at = summary.scopes[s as usize].parent;
        }
    }
    hidden
}
