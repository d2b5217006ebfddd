//! The graph shared between one writer and many readers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use super::Graph;

/// The graph shared between one writer and many readers. Readers take an
/// `Arc` snapshot (a pointer copy) and keep it as long as they like; the
/// writer updates in place, or a copy when a reader still holds the current
/// snapshot. Readers arriving during an update wait for it (milliseconds).
#[derive(Debug, Default)]
pub struct SharedGraph {
    current: RwLock<Arc<Graph>>,
    /// Readers waiting for the lock, and updates waiting for it or holding
    /// it: background work ([`SharedGraph::update_in_place`]) gives way to
    /// them (the lock is not fair, and a loop of short background updates
    /// could otherwise keep taking it first on a busy machine).
    urgent: AtomicUsize,
}

impl SharedGraph {
    pub fn new(graph: Graph) -> Self {
        Self { current: RwLock::new(Arc::new(graph)), urgent: AtomicUsize::new(0) }
    }

    pub fn snapshot(&self) -> Arc<Graph> {
        let _urgent = Urgent::new(&self.urgent);
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Reads the current graph without keeping a snapshot (a snapshot
    /// held makes the writer's next update copy the graph).
    pub fn read<R>(&self, read: impl FnOnce(&Graph) -> R) -> R {
        let current = {
            let _urgent = Urgent::new(&self.urgent);
            self.current.read().unwrap_or_else(|e| e.into_inner())
        };
        read(&current)
    }

    /// Applies `change` as the single writer (writers serialise here). Blocking: call it off the async runtime.
    pub fn update<R>(&self, change: impl FnOnce(&mut Graph) -> R) -> R {
        let _urgent = Urgent::new(&self.urgent);
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        change(unshared(&mut current))
    }

    /// [`SharedGraph::update`] when `needed` holds of the graph under the
    /// writer's lock, else `None`: another writer may have done the work
    /// since the caller looked (two requests linking the same edit, two
    /// updates of the same text), and an update that changes nothing must
    /// not copy the graph a reader holds.
    pub fn update_when<R>(&self, needed: impl FnOnce(&Graph) -> bool, change: impl FnOnce(&mut Graph) -> R) -> Option<R> {
        let _urgent = Urgent::new(&self.urgent);
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        needed(&current).then(|| change(unshared(&mut current)))
    }

    /// Applies `change` in place, or returns `None` when another update
    /// waits or a reader holds the current snapshot (the update would copy
    /// the whole graph first: tens of milliseconds on a large workspace,
    /// which work that can wait should not spend).
    /// `change` is also told whether an update has come to wait since,
    /// to stop early.
    pub fn update_in_place<R>(&self, change: impl FnOnce(&mut Graph, &dyn Fn() -> bool) -> R) -> Option<R> {
        let waited_for = || self.urgent.load(Ordering::SeqCst) > 0;
        if waited_for() {
            return None;
        }
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        // Weak pointers alone (caches keyed by snapshot) do not copy it.
        (Arc::strong_count(&current) == 1).then(|| change(Arc::make_mut(&mut current), &waited_for))
    }

    /// Replaces the whole graph (after a workspace index).
    pub fn replace(&self, graph: Graph) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(graph);
    }
}

/// The graph to update: a copy when a reader holds the current snapshot.
fn unshared(current: &mut Arc<Graph>) -> &mut Graph {
    if Arc::strong_count(current) > 1 {
        let started = std::time::Instant::now();
        Arc::make_mut(current);
        tracing::debug!(copy_ms = started.elapsed().as_secs_f64() * 1000.0, "graph copied for an update");
    }
    Arc::make_mut(current)
}

/// Counts an update from before it waits for the lock until it is done.
struct Urgent<'a>(&'a AtomicUsize);

impl<'a> Urgent<'a> {
    fn new(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(count)
    }
}

impl Drop for Urgent<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use super::{Graph, SharedGraph};

    fn shared() -> SharedGraph {
        let mut graph = Graph::new(vec![PathBuf::from("/ws")]);
        graph.update_file(Path::new("/ws/m.py"), "def f():\n    return 1\n");
        SharedGraph::new(graph)
    }

    /// Two requests link the same edit: the second finds nothing to do
    /// under the writer's lock and leaves the graph a reader holds as it is.
    #[test]
    fn an_update_no_longer_needed_copies_nothing_a_reader_holds() {
        let graph = shared();
        let held = graph.snapshot();
        assert_eq!(graph.update_when(|_| false, |g| g.update_file(Path::new("/ws/m.py"), "x = 1\n")), None);
        assert!(Arc::ptr_eq(&held, &graph.snapshot()), "no copy");
        assert!(graph.read(|g| g.holds(Path::new("/ws/m.py"), crate::graph::content_hash("def f():\n    return 1\n"))));
    }

    /// Twin: a needed update goes to a copy; the reader's snapshot keeps
    /// the graph it took.
    #[test]
    fn a_needed_update_goes_to_a_copy_while_a_reader_holds_the_graph() {
        let graph = shared();
        let held = graph.snapshot();
        assert!(graph.update_when(|_| true, |g| g.update_file(Path::new("/ws/m.py"), "x = 1\n")).is_some());
        assert!(!Arc::ptr_eq(&held, &graph.snapshot()), "a copy");
        assert!(held.holds(Path::new("/ws/m.py"), crate::graph::content_hash("def f():\n    return 1\n")));
        assert!(graph.read(|g| g.holds(Path::new("/ws/m.py"), crate::graph::content_hash("x = 1\n"))));
    }
}
