//! An edit local to a few top-level statements: only their items are
//! linked again.
//!
//! A keystroke inside a function of a 2,700-line module re-linked its
//! ~9,000 references (~3 ms). When the edited statements were
//! re-summarised alone (summary/spliced.rs) and what the file shows other
//! statements and files is unchanged (its interface: names, kinds,
//! signatures, bases, decorators, module- and class-level bindings; and
//! the values inference reads of its definitions), every reference
//! outside those statements resolves as before: its edges are kept, their
//! sites moved with the text, and only the region's items are resolved.
//! Anything else takes the whole file's re-link.
//!
//! Within those statements, only the outermost function holding the edit
//! is linked again when one does (`Region::narrowed`): a method's local
//! names are seen only in it, and what it shows the rest of its class is
//! the interface and values found unchanged above, and the locals those
//! values read (exported.rs): a local no such value reads may be renamed
//! or bound to something else.
//!
//! What the region's linking consults is added to what the file's last
//! whole linking consulted (a file it no longer reads may re-link it once
//! more, which is harmless), and its unresolved names replace the old
//! region's in the file's count.

use std::path::Path;
use std::sync::Arc;

use super::exported::exported_order;
use super::infer::exprs::Slot;
use super::insert::{Hashes, Prepared};
use super::summary::{BindingKind, DefinitionId, Region, ScopeId, ScopeKind, TextEdit};
use super::unread::{Placed, Relinked, hidden_scopes, unread_changes};
use rustc_hash::FxHashSet;

use super::{FileEntry, FileId, FileSummary, Graph, Span, link};

/// The last update of the graph, when it was local to a region of one
/// file: what was computed for that file before it stays valid outside
/// the region once moved (see [`Graph::local_update`]).
#[derive(Debug, Clone)]
pub struct LocalUpdate {
    pub file: FileId,
    /// What names resolved to before and after the update (see
    /// `Graph::resolves`): re-links of files that follow it (the importers
    /// it left pending) change the graph's revision, not this, nor what
    /// was computed for the file from its answers.
    pub from: u64,
    pub to: u64,
    /// The file's text before and after.
    pub old_text: Arc<str>,
    pub new_text: Arc<str>,
    pub region: Region,
    /// The functions outside the region linked again with it, which read
    /// what changed by name (spelled.rs): where they were and are.
    pub readers: Vec<(Span, Span)>,
    pub edit: TextEdit,
}

impl Graph {
    /// Updates file `id` without re-linking it whole: its code only moved
    /// (carry.rs), or the edit was local to `splice` (a region and the
    /// edit). `None` when it could not; otherwise the other files to
    /// re-link: those whose parameters the edited calls typed (importers.rs).
    pub(super) fn update_in_place(
        &mut self,
        id: FileId,
        path: &Path,
        text: &Arc<str>,
        summary: &Arc<FileSummary>,
        splice: Option<(Region, TextEdit)>,
    ) -> Option<FxHashSet<FileId>> {
        if self.carry_over(id, text, summary, splice) {
            return Some(FxHashSet::default());
        }
        splice.and_then(|splice| self.update_local(id, path, text, summary, splice))
    }

    /// Puts `summary`, spliced over `region` after `edit`, in place of file
    /// `id`'s, linking only the region's items; `None` when it could not
    /// (the file's interface or values changed, or its links are stale: the
    /// caller links the whole file), else the other files to re-link.
    fn update_local(
        &mut self,
        id: FileId,
        path: &Path,
        text: &Arc<str>,
        summary: &Arc<FileSummary>,
        (region, edit): (Region, TextEdit),
    ) -> Option<FxHashSet<FileId>> {
        // Why the whole file is linked instead (the typing benchmark's
        // tail is those updates).
        let refused = |reason: &str| tracing::debug!(reason, "not linked in part");
        let old = self.file(id)?;
        if self.pending.contains(&id) || old.interface.is_none() {
            refused("the file's links are stale");
            return None;
        }
        let prepared = Prepared::new(&self.roots, path, text, summary, Hashes::Compute)?;
        if prepared.module != old.module {
            refused("another module");
            return None;
        }
        // Only the references of the function holding the edit need
        // resolving again, when one does; and only the names the values it
        // shows the rest read need be where they were.
        let statements = region;
        let (region, edit) = region.narrowed((&old.summary, old.text()), summary, (edit, text));
        let old_region = Span::new(region.start, region.old_end);
        // Linked, a region reaching the text's end holds what recovery put
        // at the end (a name missing at the last line), and a function
        // what it put at the function's end (`return x:` misses its
        // annotation there), which a half-open span leaves to no region:
        // their unresolved names were not counted. Nothing else starts at
        // a function's end; a region ending at a line's start ends where
        // the next statement starts.
        let reach = |span: Span, text: &str| match text.as_bytes().get(..span.end as usize) {
            None => Span::new(span.start, u32::MAX),
            Some(before) if before.len() == text.len() => Span::new(span.start, u32::MAX),
            Some(before) if before.last() != Some(&b'\n') => Span::new(span.start, span.end + 1),
            Some(_) => span,
        };
        let (linked_old, linked_new) = (reach(old_region, old.text()), reach(region.new_span(), text));
        // The interface and values are unchanged but for functions no
        // reference outside the region and their readers names (unread.rs,
        // spelled.rs).
        let relinked = Relinked { statements, linked: region };
        let Some(mut unread) = unread_changes(old, text, summary, &prepared, &relinked) else {
            let interface = prepared.interface != old.interface;
            refused(if interface { "the file's interface changed" } else { "a value the file shows changed" });
            return None;
        };
        // Calls that typed another function's parameter keep their
        // arguments, and the locals those read are compared below.
        let typing = typing_calls(&old.summary, old.text(), linked_old, old_region, &old.caller_typed);
        if typing != typing_calls(summary, text, linked_new, old_region, &old.caller_typed) {
            refused("a call typing a parameter changed");
            return None;
        }
        let roots: Vec<&str> = typing.iter().flat_map(|(_, arguments)| arguments.iter().filter_map(|(_, chain, _)| chain.split('.').next())).collect();
        let same_order = |unread: &FxHashSet<&str>| match (
            exported_order(&old.summary, old.text(), old_region, &roots, unread),
            exported_order(summary, text, region.new_span(), &roots, unread),
        ) {
            (Some(before), Some(after)) => before == after,
            _ => {
                order_of_names(&old.summary, linked_old, unread, &Placed::new(&old.summary))
                    == order_of_names(summary, linked_new, unread, &Placed::new(summary))
            }
        };
        if !same_order(&unread.names) {
            // What the function shows reads its locals otherwise: its
            // readers are linked with it (spelled.rs), when they can be.
            let function = summary.definitions.iter().find(|d| d.range == region.new_span() && d.body.is_some()).map(|d| d.name.as_str());
            let mut wider = unread.clone();
            let widened = function.filter(|name| !unread.names.contains(name)).and_then(|name| wider.add(&old.summary, summary, text, region.new_span(), name));
            if widened.is_none() || !same_order(&wider.names) {
                refused("what the values read is bound elsewhere");
                return None;
            }
            unread = wider;
        }
        // The readers, in both texts (they are outside the edit), as the
        // region is (`reach`).
        let Some(moved) = unread.readers.iter().map(|&new| Some((edit.unmap_span(new)?, new))).collect::<Option<Vec<(Span, Span)>>>() else {
            refused("a reader holds the edit");
            return None;
        };
        let readers: Vec<(Span, Span)> = moved.iter().map(|&(old_span, new)| (reach(old_span, old.text()), reach(new, text))).collect();
        // A reader's calls that typed a parameter of a function not linked
        // again may pass it another type now, when what they pass reads
        // what changed: that function's links would be stale.
        let linked_again = |function: &Span| {
            let within = |span: &Span| span.start <= function.start && function.end <= span.end;
            within(&old_region) || readers.iter().any(|(old, _)| within(old))
        };
        let typing_elsewhere = unread.readers.iter().zip(&readers).any(|(&reader, (_, new))| {
            let calls = summary.references.iter().filter(|r| r.call && new.start <= r.start && r.start < new.end);
            let typing = |r: &&super::summary::Reference| old.caller_typed.iter().any(|(chain, function)| *chain == *r.chain && !linked_again(function));
            // Unless what it passes reads nothing that changed (spelled.rs).
            calls.filter(typing).any(|r| !unread.passes_unchanged(summary, text, reader, r.last_segment().1))
        });
        if typing_elsewhere {
            refused("a reader's call types a parameter");
            return None;
        }
        // The calls of imported functions the edit touched, which may have
        // typed their parameters (importers.rs).
        let mut callers = self.readers_of_calls_in(id, &old.summary, linked_old);
        callers.extend(self.readers_of_calls_in(id, summary, linked_new));
        for &(old_reader, new_reader) in &readers {
            callers.extend(self.readers_of_calls_in(id, &old.summary, old_reader));
            callers.extend(self.readers_of_calls_in(id, summary, new_reader));
        }
        // The unresolved names of what is linked again go with the old
        // summary; the others' move with the text.
        let old_spans: Vec<Span> = std::iter::once(linked_old).chain(readers.iter().map(|(old, _)| *old)).collect();
        let held_at = |at: u32| old_spans.iter().any(|span| span.start <= at && at < span.end);
        let kept_unresolved: Vec<u32> = old.unresolved.iter().copied().filter(|&at| !held_at(at)).collect();
        let old_text = old.text().clone();
        let from = self.resolves;
        let (_, change, _) = self.insert_prepared(path.to_owned(), text.clone(), summary.clone(), prepared)?;
        let mut links = link::link_region(self, id, linked_new);
        for &(_, new_reader) in &readers {
            links.merge(link::link_region(self, id, new_reader));
        }
        let entry = self.files[id.0 as usize].take()?;
        let held = |site: Span| held_at(site.start);
        let stale = self.out_edges_by_key(&entry, held);
        self.move_edges(&entry, |site| !held(site), edit);
        self.replace_edges(stale, std::mem::take(&mut links.edges));
        self.register_links(id, &links);
        self.files_linked += 1;
        let entry = Arc::unwrap_or_clone(entry);
        self.files[id.0 as usize] = Some(Arc::new(FileEntry {
            consulted: merged(entry.consulted.clone(), links.consulted),
            consulted_values: merged(entry.consulted_values.clone(), links.consulted_values),
            read_whole: merged(entry.read_whole.clone(), links.read_whole),
            read_names: merged(entry.read_names.clone(), links.read_names),
            missing: merged(entry.missing.clone(), links.missing),
            caller_typed: merged(moved_calls(&entry.caller_typed, edit), links.caller_typed),
            caller_names: merged(entry.caller_names.clone(), links.caller_names),
            unresolved: moved_starts(&kept_unresolved, edit).into_iter().chain(links.unresolved).collect(),
            ..entry
        }));
        self.local = Some(LocalUpdate { file: id, from, to: self.resolves, old_text, new_text: text.clone(), region, readers: moved, edit });
        // The dependents that looked up a changed function's name.
        callers.extend(self.relink_set(id, &change, false));
        callers.remove(&id);
        Some(callers)
    }

    /// The last update, when it was local to a region of one file and
    /// nothing changed what names resolve to since (files may have been
    /// re-linked).
    pub fn local_update(&self) -> Option<&LocalUpdate> {
        self.local.as_ref().filter(|local| local.to == self.resolves)
    }
}

/// A hash of the order in which the names of `region` are bound, read by
/// the values inference follows, and narrowed: where a name's binding or a
/// value moved across another, what the value denotes may have changed
/// though its shape and the file's interface did not (`x = A()` typed
/// above a function's `return x`), and a statement outside the region
/// reading that value would resolve differently. Scopes and definitions
/// are known by where they start and their names (`place`, see
/// [`Placed`]), not by their indices, which a function added before them
/// shifts.
fn order_of_names(summary: &FileSummary, region: Span, unread: &FxHashSet<&str>, place: &Placed) -> u64 {
    use std::hash::{Hash, Hasher};
    // What only the functions no one outside reads show (unread.rs): seen
    // only in the region, which is linked again.
    let hidden = hidden_scopes(summary, unread);
    let inside = |offset: u32| region.start <= offset && offset < region.end;
    // By name only in a class or the module, or where the region reads no
    // such name: in a function, it is a local its returns may read (`def
    // value` typed before `return value` changes what a caller's
    // `self.read()()` runs).
    let in_function = |scope: ScopeId| summary.scopes.get(scope as usize).is_some_and(|s| s.kind == ScopeKind::Function);
    let read: FxHashSet<&str> = summary.references.iter().filter(|r| inside(r.start)).filter_map(|r| r.segments().next().map(|(name, _)| name)).collect();
    let unread_at = |name: &str, scope| unread.contains(name) && !(in_function(scope) && read.contains(name));
    let shown = |name: &str, scope| !unread_at(name, scope) && !hidden.contains(&scope);
    let scope_at = |scope: ScopeId| place.scope(scope);
    let named = |def: DefinitionId| summary.definitions.get(def as usize).map(|d| d.name);
    let mut places: Vec<(u32, u64)> = Vec::new();
    let mut hashed = |at: u32, item: &dyn Fn(&mut rustc_hash::FxHasher)| {
        let mut h = rustc_hash::FxHasher::default();
        item(&mut h);
        places.push((at, h.finish()));
    };
    for b in summary.bindings.iter().filter(|b| inside(b.range.start) && shown(b.name.as_str(), b.scope)) {
        hashed(b.visible_from, &|h| {
            (0u8, &b.name, scope_at(b.scope)).hash(h);
            match b.kind {
                BindingKind::Definition(def) => (0u8, named(def)).hash(h),
                BindingKind::Parameter { self_of } => (1u8, self_of.map(named)).hash(h),
                kind => (2u8, kind).hash(h),
            }
        });
        if let Some(value) = &b.value {
            hashed(b.range.start, &|h| place.hash_shape(value, h));
        }
    }
    for d in summary.definitions.iter().filter(|d| inside(d.range.start) && shown(d.name.as_str(), d.scope)) {
        for value in &d.values {
            hashed(value.at().unwrap_or(region.start), &|h| place.hash_shape(value, h));
        }
    }
    for n in summary.narrowings.iter().filter(|n| inside(n.range.start) && !hidden.contains(&n.scope)) {
        hashed(n.range.start, &|h| (1u8, &n.name, scope_at(n.scope), n.subclass).hash(h));
        hashed(n.range.end, &|h| (2u8, &n.name).hash(h));
    }
    places.sort_unstable();
    let mut h = rustc_hash::FxHasher::default();
    places.iter().for_each(|(_, item)| item.hash(&mut h));
    h.finish()
}

/// The calls in `region` of `summary` that typed a parameter of a function
/// outside `old_region` in the file's last linking (`caller_typed`, see
/// `infer/callers.rs`), in text order, each with the names it passes: that
/// function's links are not redone, so they must not change.
type TypingCalls<'s> = Vec<(&'s str, Vec<(&'s Slot, &'s str, bool)>)>;

fn typing_calls<'s>(summary: &'s FileSummary, text: &'s str, region: Span, old_region: Span, caller_typed: &[(String, Span)]) -> TypingCalls<'s> {
    let outside = |function: &Span| function.start < old_region.start || function.end > old_region.end;
    let mut out = Vec::new();
    if caller_typed.is_empty() {
        return out;
    }
    for reference in summary.references.iter().filter(|r| r.call && region.start <= r.start && r.start < region.end) {
        if caller_typed.iter().any(|(chain, function)| chain == &reference.chain && outside(function)) {
            let (_, callee) = reference.last_segment();
            let arguments = summary.arguments_of(callee).map(|a| (&a.slot, a.chain(text).unwrap_or_default(), a.called(text))).collect();
            out.push((reference.chain.as_str(), arguments));
        }
    }
    out
}

/// The calls that typed a parameter (see `infer/callers.rs`), their
/// functions' places moved over `edit`.
pub(super) fn moved_calls(calls: &[(String, Span)], edit: TextEdit) -> Vec<(String, Span)> {
    calls.iter().map(|(chain, function)| (chain.clone(), edit.map_span(*function))).collect()
}

/// Offsets of the text outside an edit, moved over it.
pub(super) fn moved_starts(starts: &[u32], edit: TextEdit) -> Vec<u32> {
    starts.iter().map(|&at| edit.map_start(at)).collect()
}

/// `all` with `more` added, sorted and without repeats.
fn merged<T: Ord>(mut all: Vec<T>, more: Vec<T>) -> Vec<T> {
    all.extend(more);
    all.sort();
    all.dedup();
    all
}
