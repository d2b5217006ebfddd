//! What a file's linking read of the other workspace files: by name, or
//! whole.
//!
//! An edit that changes a file's interface used to re-link every file
//! whose linking consulted it: typing a method into Django's `QuerySet`
//! re-linked its ~350 importers at each keystroke, for a name none of them
//! reads. The change is now told apart by names (see interface.rs), and
//! a dependent re-links only when it read one of them, or read the file
//! in a way that is not known to depend on names alone.
//!
//! Reads are noted while a file links, on its thread (linking is one
//! task a file): every [`super::Graph::file`] of another workspace file
//! counts as reading it whole, so code that reads a summary any other
//! way is safe by default. Lookups by name (a module's or a class's
//! member, a binding's value, a definition reached by name) read through
//! [`super::Graph::file_by_name`] and note the name only: what they read
//! is what the interface item of that name holds.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashSet, FxHasher};

use super::FileId;

/// What a linking read of the files other than its own.
#[derive(Default)]
pub(super) struct Reads {
    /// Files read in a way not known to depend on names alone.
    pub whole: FxHashSet<FileId>,
    /// The names looked up (as [`name_key`]s), in any file.
    pub names: FxHashSet<u32>,
}

struct Recording {
    origin: FileId,
    reads: Reads,
}

thread_local! {
    static RECORDING: RefCell<Option<Recording>> = const { RefCell::new(None) };
}

/// Runs `link` (the linking of `origin`) noting what it reads.
pub(super) fn recording<T>(origin: FileId, link: impl FnOnce() -> T) -> (T, Reads) {
    let outer = RECORDING.with(|r| r.borrow_mut().replace(Recording { origin, reads: Reads::default() }));
    let result = link();
    let recorded = RECORDING.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    (result, recorded.map(|r| r.reads).unwrap_or_default())
}

/// Notes that `file` was read whole (when a linking is being recorded).
pub(super) fn whole(file: FileId) {
    RECORDING.with(|r| {
        if let Some(recording) = r.borrow_mut().as_mut()
            && recording.origin != file
        {
            recording.reads.whole.insert(file);
        }
    });
}

/// Notes that `name` was looked up in `file`.
pub(super) fn name(file: FileId, name: &str) {
    RECORDING.with(|r| {
        if let Some(recording) = r.borrow_mut().as_mut()
            && recording.origin != file
        {
            recording.reads.names.insert(name_key(name));
        }
    });
}

/// A name as [`Reads::names`] holds it: a hash (two names sharing one
/// only re-link a file more often).
pub(super) fn name_key(name: &str) -> u32 {
    let mut h = FxHasher::default();
    name.hash(&mut h);
    h.finish() as u32
}
