//! What a function's local names change for the rest of its file.
//!
//! An edit inside one function that leaves the file's interface and the
//! shapes of its values unchanged is linked again for that function
//! alone (local.rs), unless it moved names or values inside it: a value
//! read outside the function (what it returns, `self.x = y` in a method)
//! may denote something else once the local it reads is bound elsewhere.
//! Renaming or re-assigning a local that no such value reads changes
//! nothing outside: only the locals those values read (and the locals
//! their values read, and so on) are compared, with the values
//! themselves, in their order in the text. A function or class defined
//! in the function is compared by its text, and every word of it is taken
//! for a local it may read.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use super::infer::exprs::{Narrowing, ValueExpr};
use super::summary::{Binding, BindingKind, FileSummary, ScopeId};
use super::{DefinitionKind, Span};

/// A hash of what the function of `summary` spanning `function` shows the
/// rest of the file through the values read in it (see the module's
/// documentation) and through the locals named `roots` (what it passes to
/// calls that type another function's parameters); `None` when
/// `function` spans no function of `text`, or what a value reads is not
/// known well enough (a comprehension): the caller compares all the
/// function's names then. The values and bindings of
/// the functions named in `unread` are left out: nothing outside the
/// region linked again reads them (unread.rs).
pub fn exported_order<'s>(summary: &'s FileSummary, text: &'s str, function: Span, roots: &[&'s str], unread: &FxHashSet<&str>) -> Option<u64> {
    let is_function = |kind| matches!(kind, DefinitionKind::Function | DefinitionKind::Method);
    summary.definitions.iter().find(|d| is_function(d.kind) && d.range == function)?;
    let inside = |offset: u32| function.start <= offset && offset < function.end;
    let local: FxHashSet<ScopeId> = (0..summary.scopes.len() as ScopeId).filter(|&s| s != 0 && inside(summary.scopes[s as usize].range.start)).collect();
    let is_local = |scope: ScopeId| local.contains(&scope);
    let mut places: Vec<(u32, u64)> = Vec::new();
    let mut hashed = |at: u32, item: &dyn Fn(&mut FxHasher)| {
        let mut h = FxHasher::default();
        item(&mut h);
        places.push((at, h.finish()));
    };
    // Values read in the function that definitions outside it hold (its
    // own returns, attributes it assigns), and bindings it makes outside
    // (`global`): the names they read.
    let mut names: Vec<&str> = roots.to_vec();
    for def in summary.definitions.iter().filter(|d| !is_local(d.scope) && !unread.contains(&*d.name)) {
        for value in def.values.iter().filter(|v| v.at().is_some_and(inside)) {
            read_names(value, &is_local, &mut names)?;
            hashed(value.at().unwrap_or(function.start), &|h| value.hash_shape(h));
        }
    }
    for b in summary.bindings.iter().filter(|b| inside(b.range.start) && !is_local(b.scope) && !unread.contains(&*b.name)) {
        hashed(b.visible_from, &|h| (0u8, &b.name, b.scope, b.kind).hash(h));
        if let Some(value) = &b.value {
            read_names(value, &is_local, &mut names)?;
            hashed(b.range.start, &|h| value.hash_shape(h));
        }
    }
    // The locals of those names and their narrowings, and the names
    // their values and classes read: by name, each looked up once (a
    // function defined in the function reads every word of its text, and
    // a scan of the file's bindings per word was most of a keystroke's
    // update in Django's query.py).
    let mut bindings: FxHashMap<&str, Vec<&Binding>> = FxHashMap::default();
    for b in summary.bindings.iter().filter(|b| is_local(b.scope)) {
        bindings.entry(b.name.as_str()).or_default().push(b);
    }
    let mut narrowings: FxHashMap<&str, Vec<&Narrowing>> = FxHashMap::default();
    for n in summary.narrowings.iter().filter(|n| is_local(n.scope)) {
        narrowings.entry(n.name.as_str()).or_default().push(n);
    }
    let mut read: FxHashSet<&str> = FxHashSet::default();
    while let Some(name) = names.pop() {
        if !read.insert(name) {
            continue;
        }
        for b in bindings.get(name).into_iter().flatten() {
            match b.kind {
                // What a function or class defined here gives is more
                // than its binding (its returns, members, signature): it
                // is the same when its text is, and the locals it reads
                // (Django's `bump_prefix` iterates a generator defined in
                // it, whose `prefix` it sets on `self`).
                BindingKind::Definition(def) => {
                    let defined = summary.definitions.get(def as usize)?;
                    let source = text.get(defined.range.range())?;
                    // The range holds the decorators.
                    hashed(b.visible_from, &|h| (7u8, &b.name, b.scope, defined.kind, source).hash(h));
                    names.extend(words(source));
                }
                BindingKind::Import(i) => {
                    let import = summary.imports.get(i as usize)?;
                    hashed(b.visible_from, &|h| (1u8, &b.name, b.scope, &import.module, import.level, &import.name).hash(h));
                }
                // An unannotated parameter is typed by its default too
                // (infer/callers.rs): `info=Info()` passed on to a call.
                BindingKind::Parameter { .. } => {
                    let default = parameter_default(summary, b);
                    hashed(b.visible_from, &|h| (2u8, &b.name, b.scope, b.kind, default).hash(h));
                }
                kind => hashed(b.visible_from, &|h| (2u8, &b.name, b.scope, kind).hash(h)),
            }
            if let Some(value) = &b.value {
                read_names(value, &is_local, &mut names)?;
                hashed(b.range.start, &|h| value.hash_shape(h));
            }
        }
        for n in narrowings.get(name).into_iter().flatten() {
            read_names(&n.classes, &is_local, &mut names)?;
            hashed(n.range.start, &|h| {
                (3u8, &n.name, n.scope, n.subclass).hash(h);
                n.classes.hash_shape(h);
            });
            hashed(n.range.end, &|h| (4u8, &n.name).hash(h));
        }
    }
    for branch in summary.branches.iter().filter(|b| inside(b.range.start)) {
        hashed(branch.range.start, &|h| (5u8, &branch.tests).hash(h));
        hashed(branch.range.end, &|h| 6u8.hash(h));
    }
    places.sort_unstable();
    let mut h = FxHasher::default();
    places.iter().for_each(|(_, item)| item.hash(&mut h));
    Some(h.finish())
}

/// The default written for parameter binding `b` in its function's
/// signature.
fn parameter_default<'s>(summary: &'s FileSummary, b: &Binding) -> Option<&'s str> {
    let function = summary.scopes.get(b.scope as usize)?.definition?;
    let signature = summary.definitions.get(function as usize)?.signature.as_ref()?;
    signature.parameters.iter().find(|p| p.name == b.name)?.default.as_deref()
}

/// Adds to `names` the first names of the chains `value` reads in a scope
/// `is_local` holds (every word of an annotation's text); `None` when what
/// it reads there is not known (a comprehension's element).
fn read_names<'s>(value: &'s ValueExpr, is_local: &impl Fn(ScopeId) -> bool, names: &mut Vec<&'s str>) -> Option<()> {
    match value {
        ValueExpr::Chain { chain, scope, .. } => {
            if is_local(*scope) {
                names.extend(chain.split('.').next());
            }
        }
        ValueExpr::Annotation { text, scope, .. } | ValueExpr::TypeExpr { text, scope, .. } => {
            if is_local(*scope) {
                names.extend(words(text));
            }
        }
        ValueExpr::Comprehension(..) => return None,
        _ => {
            for child in value.children() {
                read_names(child, is_local, names)?;
            }
        }
    }
    Some(())
}

/// The words of `text` that may be names (every run of letters, digits
/// and underscores).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty())
}
