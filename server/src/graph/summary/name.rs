//! Names in summaries, interned: one copy of each distinct name or chain
//! for the process's life, and a [`Name`] is one pointer to it. A
//! workspace's summaries hold a million names (Django: every reference's
//! chain, binding, definition, parameter and value), nearly all repeated
//! (`self`, `models.CharField`), and the ten copies of a project in the
//! 4.7M-line workspace share them all.
//!
//! Interned text is never freed: what a session adds by editing (each
//! name as it is typed) stays, a few bytes a name.

use std::borrow::Borrow;
use std::cell::Cell;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{LazyLock, RwLock};

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An interned string: equal names are the same pointer.
#[derive(Clone, Copy)]
pub struct Name(&'static &'static str);

/// Shards of the table, each with its own lock (indexing interns from
/// every thread at once).
const SHARDS: usize = 16;
/// Bytes of text, and names, allocated at a time.
const TEXT_CHUNK: usize = 64 * 1024;
const SLOT_CHUNK: usize = 4096;

static TABLE: LazyLock<[RwLock<Shard>; SHARDS]> = LazyLock::new(|| std::array::from_fn(|_| RwLock::default()));

/// The empty name, shared without a look-up.
static EMPTY: &str = "";

#[derive(Default)]
struct Shard {
    /// By the text's hash, computed once per look-up: a set hashing the
    /// text itself hashed it again for the read look-up and once more for
    /// the insert (interning is a visible share of `pyloom check`).
    names: HashTable<Name>,
    /// The unused rest of the current chunks.
    text: &'static mut [u8],
    slots: &'static mut [&'static str],
    /// Bytes of chunks allocated so far (for `pyloom graph --memory`).
    chunks: usize,
}

impl Shard {
    /// The name of `text`, whose hash is `hash`.
    fn find(&self, hash: u64, text: &str) -> Option<Name> {
        self.names.find(hash, |name| *name.0 == text).copied()
    }

    fn insert(&mut self, hash: u64, text: &str) -> Name {
        if let Some(name) = self.find(hash, text) {
            return name;
        }
        let stored = self.store(text);
        if self.slots.is_empty() {
            self.slots = Box::leak(vec![""; SLOT_CHUNK].into_boxed_slice());
            self.chunks += SLOT_CHUNK * size_of::<&str>();
        }
        let (slot, rest) = std::mem::take(&mut self.slots).split_first_mut().expect("a slot is left");
        *slot = stored;
        self.slots = rest;
        let name = Name(slot);
        self.names.insert_unique(hash, name, |name| FxBuildHasher.hash_one(name.0));
        name
    }

    /// A copy of `text` that lives as long as the process.
    fn store(&mut self, text: &str) -> &'static str {
        if text.len() > TEXT_CHUNK / 4 {
            self.chunks += text.len();
            return Box::leak(text.into());
        }
        if self.text.len() < text.len() {
            self.text = Box::leak(vec![0; TEXT_CHUNK].into_boxed_slice());
            self.chunks += TEXT_CHUNK;
        }
        let (head, rest) = std::mem::take(&mut self.text).split_at_mut(text.len());
        head.copy_from_slice(text.as_bytes());
        self.text = rest;
        // Valid UTF-8: a copy of a `str`'s bytes.
        std::str::from_utf8(head).unwrap_or_default()
    }
}

/// Names each thread looked up last, by their hash: most look-ups are of a
/// name seen moments ago (`self`, the file's imports), and these take no
/// lock (a shard's lock is shared by every indexing thread). Each slot
/// holds the name's text beside it: comparing through the name's own slot
/// was a cache miss at most look-ups (most of interning's time).
const RECENT_SLOTS: usize = 4096;

thread_local! {
    /// Empty slots hold an empty name, which no look-up asks for.
    static RECENT: [Cell<(&'static str, Name)>; RECENT_SLOTS] = const { [const { Cell::new(("", Name(&""))) }; RECENT_SLOTS] };
}

impl Name {
    pub fn new(text: &str) -> Name {
        if text.is_empty() {
            return Name::default();
        }
        let hash = FxBuildHasher.hash_one(text);
        let slot = hash as usize % RECENT_SLOTS;
        if let Ok(Some((_, name))) = RECENT.try_with(|recent| Some(recent[slot].get()).filter(|(known, _)| *known == text)) {
            return name;
        }
        // Bits the sets inside do not use (their buckets take the low
        // bits, their tags the top ones).
        let shard = &TABLE[(hash >> 32) as usize % SHARDS];
        let known = shard.read().unwrap_or_else(|e| e.into_inner()).find(hash, text);
        let name = known.unwrap_or_else(|| shard.write().unwrap_or_else(|e| e.into_inner()).insert(hash, text));
        // A thread being torn down has no cache left; nothing is lost.
        let _ = RECENT.try_with(|recent| recent[slot].set((*name.0, name)));
        name
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The heap the table holds: its chunks of text and names, and its
    /// sets (from their capacities).
    pub fn interned_bytes() -> usize {
        TABLE
            .iter()
            .map(|shard| {
                let shard = shard.read().unwrap_or_else(|e| e.into_inner());
                let set = shard.names.capacity() * 8 / 7 * (size_of::<Name>() + 1);
                shard.chunks + set
            })
            .sum()
    }
}

impl Default for Name {
    fn default() -> Self {
        Name(&EMPTY)
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.0
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        // Interned: equal text is the same slot.
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        *self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == other
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self == *other.0
    }
}

/// By text, like a `str` (so lookups by `&str` find it, and orders do not
/// depend on which thread interned first).
impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.0.cmp(other.0)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::new(&text)
    }
}

impl From<&String> for Name {
    fn from(text: &String) -> Name {
        Name::new(text)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, text: &str) -> Result<Name, E> {
                Ok(Name::new(text))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}
