//! The kernel's file events (inotify) for the folders of a workspace: read,
//! without waiting, before an answer. A write that returned before the
//! agent asked has its event queued already, so nothing is missed and
//! nothing is waited for; and reading the queue costs microseconds where
//! looking at every file took tens of milliseconds on a large workspace.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};
use rustc_hash::{FxHashMap, FxHashSet};

/// What is watched in each folder: entries written, created, deleted or
/// moved in or out.
const MASK: WatchMask = WatchMask::MODIFY
    .union(WatchMask::CLOSE_WRITE)
    .union(WatchMask::CREATE)
    .union(WatchMask::DELETE)
    .union(WatchMask::MOVED_FROM)
    .union(WatchMask::MOVED_TO)
    .union(WatchMask::ONLYDIR);

pub struct Events {
    inotify: Inotify,
    folders: FxHashMap<WatchDescriptor, PathBuf>,
}

impl Events {
    /// Watches `folders`; `None` (logged) when the kernel refuses one (the
    /// watch limit): the caller then looks at the files instead.
    pub fn watch<'a>(folders: impl Iterator<Item = &'a Path>) -> Option<Events> {
        let mut events = Events {
            inotify: Inotify::init().map_err(|e| tracing::info!("no file events ({e}): changes on disk are looked for")).ok()?,
            folders: FxHashMap::default(),
        };
        for folder in folders {
            if !events.add(folder) {
                return None;
            }
        }
        Some(events)
    }

    /// Watches one more folder (a new one).
    pub fn add(&mut self, folder: &Path) -> bool {
        match self.inotify.watches().add(folder, MASK) {
            Ok(watch) => {
                self.folders.insert(watch, folder.to_owned());
                true
            }
            // Gone again already: nothing to watch.
            Err(e) if e.kind() == ErrorKind::NotFound => true,
            Err(e) => {
                tracing::info!(folder = %folder.display(), "cannot watch ({e}): changes on disk are looked for");
                false
            }
        }
    }

    /// The paths whose entries changed since the last call (each with
    /// whether it was a folder), or `None` when events were lost (the
    /// queue overflowed): then everything must be looked at.
    pub fn drain(&mut self) -> Option<FxHashSet<(PathBuf, bool)>> {
        let mut buffer = [0u8; 64 * 1024];
        let mut touched = FxHashSet::default();
        loop {
            let events = match self.inotify.read_events(&mut buffer) {
                Ok(events) => events,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Some(touched),
                Err(e) => {
                    tracing::warn!("reading file events failed: {e}");
                    return None;
                }
            };
            let mut read = 0;
            for event in events {
                read += 1;
                if event.mask.contains(EventMask::Q_OVERFLOW) {
                    return None;
                }
                if event.mask.contains(EventMask::IGNORED) {
                    self.folders.remove(&event.wd);
                    continue;
                }
                let (Some(folder), Some(name)) = (self.folders.get(&event.wd), event.name) else { continue };
                touched.insert((folder.join(name), event.mask.contains(EventMask::ISDIR)));
            }
            if read == 0 {
                return Some(touched);
            }
        }
    }
}
