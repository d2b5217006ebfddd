//! The answers an update's linking keeps (answers.rs).

use std::path::Path;
use std::sync::Arc;

use super::link;
use super::local_tests::METHODS;
use super::tests::build;

/// `METHODS` with a parameter added to `__init__`: what the class shows
/// changed, the file is linked whole.
/// An importer of the class whose `__init__` changes.
const APP: &str = "from lib import Meter\n\nMeter(2).report()\n";

fn whole_edit() -> String {
    METHODS.replace("def __init__(self, rate=1)", "def __init__(self, rate=1, k=1)")
}

#[test]
fn an_update_linking_the_file_whole_keeps_its_answers_until_the_text_moves() {
    let (lib, app) = (Path::new("/ws/lib.py"), Path::new("/ws/app.py"));
    let mut graph = build(&[(lib.to_owned(), METHODS.to_owned()), (app.to_owned(), APP.to_owned())]);
    let file = graph.file_id(lib).unwrap();
    let edited = whole_edit();
    graph.update_file_deferred(lib, &edited);
    assert!(graph.local_update().is_none(), "linked whole");
    assert_eq!(graph.pending_relinks(), 1, "the importer waits");
    let kept = graph.reference_answers(file);
    assert!(Arc::ptr_eq(&kept, &graph.reference_answers(file)), "the linking's answers, not resolved again");
    assert_eq!(*kept, link::link_with_answers(&graph, file).1, "what the linking replayed finds");
    assert!(kept.iter().flatten().any(|answer| matches!(answer, Some(super::Resolved::Local { .. }))), "`rate` is a local");
    // Re-linking the importer changes the revision, not what names resolve to.
    let revision = graph.revision();
    graph.flush_relinks();
    assert_ne!(graph.revision(), revision);
    assert!(Arc::ptr_eq(&kept, &graph.reference_answers(file)), "still the linking's answers");
    // A blank line only moves code (the revision stays, carry.rs): the
    // locals' spans moved, so the answers are found again.
    let revision = graph.revision();
    let moved = edited.replace("class Meter", "\nclass Meter");
    graph.update_file_deferred(lib, &moved);
    assert_eq!(graph.revision(), revision, "code only moved");
    let after = graph.reference_answers(file);
    assert!(!Arc::ptr_eq(&kept, &after), "not the answers of the text before");
    assert_ne!(*kept, *after, "a local's span moved");
    assert_eq!(*after, link::link_with_answers(&graph, file).1);
}

#[test]
fn an_update_linked_in_part_keeps_no_answers() {
    // A renamed method is linked in part with its readers (local.rs): the
    // answers the last whole linking kept are of another text.
    let (lib, app) = (Path::new("/ws/lib.py"), Path::new("/ws/app.py"));
    let mut graph = build(&[(lib.to_owned(), METHODS.to_owned()), (app.to_owned(), APP.to_owned())]);
    let file = graph.file_id(lib).unwrap();
    graph.update_file_deferred(lib, &whole_edit());
    graph.flush_relinks();
    let kept = graph.reference_answers(file);
    graph.update_file_deferred(lib, &whole_edit().replace("def read(", "def read_("));
    assert!(graph.local_update().is_some(), "linked in part");
    let after = graph.reference_answers(file);
    assert!(!Arc::ptr_eq(&kept, &after));
    assert_eq!(*after, link::link_with_answers(&graph, file).1);
}

#[test]
fn a_local_update_outlives_the_re_links_that_follow_it() {
    // The importer re-linked after an edit linked in part changes the
    // revision, not what names resolve to: the semantic tokens of the
    // edited file still move its last answer's and compute the region's
    // only (ide/semantic_tokens.rs), instead of replaying its linking.
    let (lib, app) = (Path::new("/ws/lib.py"), Path::new("/ws/app.py"));
    let mut graph = build(&[(lib.to_owned(), METHODS.to_owned()), (app.to_owned(), APP.to_owned())]);
    let importer = graph.file_id(app).unwrap();
    graph.update_file_deferred(lib, &METHODS.replace("def read(", "def read_("));
    assert!(graph.local_update().is_some(), "linked in part");
    let (revision, resolves) = (graph.revision(), graph.resolves());
    graph.pending.insert(importer);
    graph.flush_relinks();
    assert_ne!(graph.revision(), revision, "the importer re-linked");
    assert_eq!(graph.resolves(), resolves);
    assert!(graph.local_update().is_some(), "still the last update, linked in part");
    // Must not: an update that changes what names resolve to ends it.
    graph.update_file_deferred(app, &format!("{APP}x = 1\n"));
    assert!(graph.local_update().is_none(), "another update since");
}
