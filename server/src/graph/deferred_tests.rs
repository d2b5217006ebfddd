//! Deferred re-linking: the edited file is linked at once, its dependents
//! later, and the graph equals a cold index once they are.

use std::path::{Path, PathBuf};
use std::time::Duration;

use proptest::prelude::*;

use super::Graph;
use super::tests::{PROTOCOL_VARIANTS, ROOT, TYPED_VARIANTS, VARIANTS, build, canonical, replay};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Deferred writes, with any number of pending files re-linked between
    /// them, equal a cold index once the rest is re-linked.
    #[test]
    fn deferred_updates_equal_a_cold_index_after_a_flush(
        steps in prop::collection::vec((0..VARIANTS.len(), 0..5usize, prop::option::of(0..3usize)), 1..25),
    ) {
        let (incremental, cold) = replay(VARIANTS, steps);
        prop_assert_eq!(incremental, cold);
    }

    #[test]
    fn deferred_updates_equal_a_cold_index_when_types_change(
        steps in prop::collection::vec((0..TYPED_VARIANTS.len(), 0..5usize, prop::option::of(0..3usize)), 1..25),
    ) {
        let (incremental, cold) = replay(TYPED_VARIANTS, steps);
        prop_assert_eq!(incremental, cold);
    }

    #[test]
    fn deferred_updates_equal_a_cold_index_when_protocols_change(
        steps in prop::collection::vec((0..PROTOCOL_VARIANTS.len(), 0..5usize, prop::option::of(0..3usize)), 1..25),
    ) {
        let (incremental, cold) = replay(PROTOCOL_VARIANTS, steps);
        prop_assert_eq!(incremental, cold);
    }
}

const IMPORTERS: usize = 3;

fn models(signature: &str) -> String {
    format!("def total({signature}):\n    return 0\n")
}

fn importer(i: usize) -> String {
    format!("from models import total\ndef use_{i}():\n    return total(1)\n")
}

/// `models.py` and three files importing from it, linked.
fn project() -> Graph {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/models.py"), &models("x"));
    for i in 0..IMPORTERS {
        graph.update_file(&PathBuf::from(format!("/ws/user_{i}.py")), &importer(i));
    }
    graph
}

fn cold(models_text: &str) -> Vec<String> {
    let mut files = vec![(PathBuf::from("/ws/models.py"), models_text.to_owned())];
    files.extend((0..IMPORTERS).map(|i| (PathBuf::from(format!("/ws/user_{i}.py")), importer(i))));
    canonical(&build(&files))
}

/// A signature change re-links the edited file alone; what resolves on
/// demand in it sees the edit at once; its importers' links follow after
/// the flush.
#[test]
fn a_signature_change_links_the_edited_file_alone_and_its_importers_after_the_flush() {
    let mut graph = project();
    let before = graph.files_linked();
    // A new parameter name changes what importers' resolution can see.
    let edited = models("x, y=2");
    assert!(graph.update_file_deferred(Path::new("/ws/models.py"), &edited));
    assert_eq!(graph.files_linked() - before, 1, "only the edited file is linked before the request is answered");
    assert_eq!(graph.pending_relinks(), IMPORTERS);

    let file = graph.file_id(Path::new("/ws/models.py")).unwrap();
    let total = graph.symbol_at(file, 4).expect("total");
    let names: Vec<&str> = graph.symbol(total).unwrap().signature.unwrap().parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["x", "y"]);

    graph.flush_relinks();
    assert_eq!(graph.pending_relinks(), 0);
    assert_eq!(graph.files_linked() - before, 1 + IMPORTERS as u64);
    assert_eq!(graph.callers(total).len(), IMPORTERS);
    assert_eq!(canonical(&graph), cold(&edited));
}

/// Edits in a row re-link each importer once, a bounded slice at a time.
#[test]
fn edits_in_a_row_relink_each_dependent_once_in_slices() {
    let mut graph = project();
    let before = graph.files_linked();
    for signature in ["x, y", "x, y, z", "a"] {
        graph.update_file_deferred(Path::new("/ws/models.py"), &models(signature));
    }
    assert_eq!(graph.files_linked() - before, 3);
    assert_eq!(graph.relink_pending(2, Duration::MAX, &|| true), IMPORTERS, "an update waits: nothing is linked");
    assert_eq!(graph.files_linked() - before, 3);
    assert_eq!(graph.relink_pending(2, Duration::MAX, &|| false), IMPORTERS - 2);
    assert_eq!(graph.files_linked() - before, 5);
    assert_eq!(graph.relink_pending(2, Duration::MAX, &|| false), 0);
    assert_eq!(graph.files_linked() - before, 3 + IMPORTERS as u64);
    assert_eq!(canonical(&graph), cold(&models("a")));
}

/// Editing a pending file links it, which takes it off the queue.
#[test]
fn an_edited_pending_file_leaves_the_queue() {
    let mut graph = project();
    graph.update_file_deferred(Path::new("/ws/models.py"), &models("y"));
    let edited = format!("{}\n", importer(0));
    graph.update_file_deferred(Path::new("/ws/user_0.py"), &edited);
    assert_eq!(graph.pending_relinks(), IMPORTERS - 1);
    graph.remove_file(Path::new("/ws/user_1.py"));
    assert_eq!(graph.pending_relinks(), IMPORTERS - 2);
}

/// A proposed text is checked in a copy that links the proposed file alone
/// and resolves it against the rest; the graph itself is left as it was.
#[test]
fn a_copy_with_proposed_texts_links_only_them() {
    let graph = project();
    let before = (canonical(&graph), graph.files_linked());
    let proposed = graph.with_texts([(Path::new("/ws/models.py"), models("x, y=2").as_str()), (Path::new("/ws/new.py"), "from models import total\n")]);
    assert_eq!((canonical(&graph), graph.files_linked()), before, "the graph is untouched");
    assert_eq!(proposed.files_linked() - before.1, 2, "the proposed files alone are linked");
    assert_eq!(proposed.pending_relinks(), IMPORTERS);
    let new = proposed.file_id(Path::new("/ws/new.py")).unwrap();
    let import = proposed.file(new).unwrap().summary.imports[0].name_range;
    let Some(super::Resolved::Symbol(total)) = proposed.definition(new, import.start) else { panic!("the import resolves") };
    let names: Vec<&str> = proposed.symbol(total).unwrap().signature.unwrap().parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["x", "y"], "against the proposed text of the other file");
}
