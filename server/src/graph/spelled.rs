//! The functions that read a changed function by name, linked again with
//! the region instead of the whole file.
//!
//! Appending `_` to a returned name or to a method's name changes what
//! the method shows (its return values, its name), and a method of
//! Django's query.py is called from a few others: the whole file's
//! ~9,000 references were linked again (~6 ms) where a few functions'
//! would do. A reference resolves through the names it spells, and a
//! value through the names its expression spells (unread.rs), so the
//! references that may see the change are those in the functions whose
//! text spells a changed name (in a reference, a string or a comment:
//! `getattr(m, "make")` reads it). Each such function is linked again
//! whole, and counts as changed in turn (what it returns may read the
//! changed one), until no function outside spells a changed name.
//!
//! Refused (the caller links the whole file) when a changed name is a
//! dunder (the interpreter calls those unnamed) or bound other than by a
//! function, when it is spelled outside every function (a class body, a
//! module-level statement, a lambda in a class body: what they bind is
//! seen by name anywhere), or when a function that spells it shows the
//! rest anything but its own return values: an attribute it sets
//! (`self.x = ...`) or a `global` it binds. Past [`MAX_READERS`]
//! functions the whole file's link is as cheap.

use rustc_hash::FxHashSet;

use super::summary::{BindingKind, Definition, DefinitionId, FileSummary, ScopeId};
use super::{DefinitionKind, Span};

/// Functions linked again besides the region at most.
const MAX_READERS: usize = 24;

/// The names of the changed functions whose readers are linked again, and
/// those readers (the functions spelling them, outside the region).
#[derive(Debug, Clone, Default)]
pub(super) struct Unread<'s> {
    pub names: FxHashSet<&'s str>,
    /// Where the readers are in the new text, in the order found.
    pub readers: Vec<Span>,
}

impl<'s> Unread<'s> {
    /// Counts the function `name` (of both `old` and `new`, the summary of
    /// `text`) among the changed, with the functions outside `region` that
    /// spell it, and theirs in turn; `None` when one cannot be linked
    /// alone (see the module's documentation).
    pub(super) fn add(&mut self, old: &'s FileSummary, new: &'s FileSummary, text: &str, region: Span, name: &'s str) -> Option<()> {
        let mut queue = vec![name];
        if !self.names.insert(name) {
            return Some(());
        }
        // Why the whole file is linked instead (the benchmarks' tail).
        let refused = |reason: &str, name: &str| {
            tracing::debug!(reason, name, "readers not linked");
            None
        };
        while let Some(name) = queue.pop() {
            if !by_name_only(old, name) || !by_name_only(new, name) {
                return refused("a dunder, or bound other than by a function", name);
            }
            for at in spelled_at(text, name) {
                let end = at + name.len() as u32;
                let linked = |span: &Span| span.start <= at && end <= span.end;
                if linked(&region) || self.readers.iter().any(linked) {
                    continue;
                }
                let Some(reader) = outermost_function(new, at).filter(|(_, d)| d.range.end <= region.start || d.range.start >= region.end) else {
                    return refused("spelled outside any function", name);
                };
                if !shows_only_returns(new, reader) {
                    return refused("a reader shows more than its returns", name);
                }
                if self.readers.len() == MAX_READERS {
                    return refused("too many readers", name);
                }
                let (_, d) = reader;
                self.readers.push(d.range);
                if self.names.insert(d.name.as_str()) {
                    queue.push(d.name.as_str());
                }
            }
        }
        Some(())
    }

    /// Whether `name` is spelled outside `region` of `text` at all.
    pub(super) fn spelled_outside(text: &str, name: &str, region: Span) -> bool {
        spelled_at(text, name).any(|at| at < region.start || at + name.len() as u32 > region.end)
    }
}

/// Where `name` is written as a word in `text`.
fn spelled_at<'t>(text: &'t str, name: &'t str) -> impl Iterator<Item = u32> + 't {
    let is_word = |c: Option<&u8>| c.is_some_and(|&c| c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80);
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, name.as_bytes())
        .filter(move |&at| !is_word(at.checked_sub(1).and_then(|i| bytes.get(i))) && !is_word(bytes.get(at + name.len())))
        .map(|at| at as u32)
}

/// Whether `name` is no dunder and every definition of it in `summary` a
/// function, every binding of it in a class or module body one of those
/// definitions' (an import or an assignment of that name is refused).
pub(super) fn by_name_only(summary: &FileSummary, name: &str) -> bool {
    let dunder = name.len() > 4 && name.starts_with("__") && name.ends_with("__");
    let is_function = |def: u32| summary.definitions.get(def as usize).is_some_and(|d| matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method));
    !dunder
        && summary.definitions.iter().filter(|d| *d.name == *name).all(|d| matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method))
        && summary.bindings.iter().filter(|b| *b.name == *name).all(|b| match b.kind {
            BindingKind::Definition(def) => is_function(def),
            BindingKind::Import(_) => false,
            _ => summary.scopes.get(b.scope as usize).is_some_and(|s| s.kind == super::summary::ScopeKind::Function),
        })
}

/// The outermost function (a `def`, its decorators included) of
/// `summary` holding offset `at`.
fn outermost_function(summary: &FileSummary, at: u32) -> Option<(DefinitionId, &Definition)> {
    (summary.definitions.iter().enumerate())
        .filter(|(_, d)| matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method) && d.range.start <= at && at < d.range.end)
        .min_by_key(|(_, d)| d.range.start)
        .map(|(id, d)| (id as DefinitionId, d))
}

/// Whether function `id` of `summary` binds nothing outside its own body
/// but its name (a `self.x` attribute, a `global`), defines nothing
/// there, and adds no value to a definition outside it: then what it
/// shows the rest of the file is what it returns, read through its name.
fn shows_only_returns(summary: &FileSummary, (id, function): (DefinitionId, &Definition)) -> bool {
    let Some(body) = function.body else { return false };
    let in_body = |mut scope: ScopeId| loop {
        if scope == body {
            return true;
        }
        match summary.scopes.get(scope as usize).and_then(|s| s.parent) {
            Some(parent) if parent != scope => scope = parent,
            _ => return false,
        }
    };
    let inside = |offset: u32| function.range.start <= offset && offset < function.range.end;
    let binds_outside = summary.bindings.iter().any(|b| inside(b.range.start) && !in_body(b.scope) && b.kind != BindingKind::Definition(id));
    let defines_outside = summary.definitions.iter().enumerate().any(|(d, def)| {
        let outside = d as DefinitionId != id && !in_body(def.scope);
        (outside && inside(def.range.start)) || (outside && def.values.iter().any(|v| v.at().is_some_and(inside)))
    });
    let narrows_outside = summary.narrowings.iter().any(|n| inside(n.range.start) && !in_body(n.scope));
    !binds_outside && !defines_outside && !narrows_outside
}
