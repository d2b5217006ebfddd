//! Updates that leave the edited file's own whole link pending
//! (`Graph::update_file_unlinked`): what resolves on demand is already
//! right, and once linked the graph equals a cold index.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::local_tests::{APP, BREAKING, LIB, METHODS, TYPED_METHODS, replace_at};
use super::tests::{ROOT, build, canonical};
use super::{FileId, Graph, Resolved};

const LIB_PATH: &str = "/ws/lib.py";

/// `lib.py` (`before`) and `app.py`, linked.
fn project(before: &str) -> Graph {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new(LIB_PATH), before);
    graph.update_file(Path::new("/ws/app.py"), APP);
    graph
}

fn lib(graph: &Graph) -> FileId {
    graph.file_id(Path::new(LIB_PATH)).unwrap()
}

/// What every reference segment of `lib.py` denotes, resolved on demand,
/// by qualified name (node indices differ between graphs).
fn definitions(graph: &Graph) -> Vec<(u32, Option<String>)> {
    let file = lib(graph);
    let entry = graph.file(file).unwrap();
    let named = |resolved: Resolved| match resolved {
        Resolved::Symbol(id) => graph.symbol(id).map(|s| s.qualified_name.to_string()).unwrap_or_default(),
        Resolved::External(path) => path,
        Resolved::Local { span, .. } => format!("local {span:?}"),
    };
    let starts = entry.summary.references.iter().flat_map(|r| r.segments().map(|(_, span)| span.start));
    starts.map(|at| (at, graph.definition(file, at).map(named))).collect()
}

#[test]
fn an_edit_that_must_link_the_file_whole_leaves_that_link_pending() {
    let text = LIB.replace("LIMIT = 3", "LIMITS = 3");
    let mut graph = project(LIB);
    graph.update_file_unlinked(Path::new(LIB_PATH), &text);
    let file = lib(&graph);
    assert!(graph.local_update().is_none(), "a module binding renamed: not local");
    assert!(graph.links_pending(file), "its whole link waits");
    // Resolved on demand, as a request that reads no links does.
    let fresh = build(&[(PathBuf::from(LIB_PATH), text.clone()), (PathBuf::from("/ws/app.py"), APP.to_owned())]);
    assert_eq!(definitions(&graph), definitions(&fresh));
    // A request that reads links links it.
    graph.link_file(Some(file));
    assert!(!graph.links_pending(file));
    graph.flush_relinks();
    assert_eq!(canonical(&graph), canonical(&fresh));
}

#[test]
fn an_edit_local_to_a_function_is_still_linked_at_once() {
    let text = LIB.replace("return Cart().label", "return Cart().label_");
    let mut graph = project(LIB);
    graph.update_file_unlinked(Path::new(LIB_PATH), &text);
    assert!(graph.local_update().is_some(), "linked in part");
    assert!(!graph.links_pending(lib(&graph)));
}

#[test]
fn a_deferred_update_still_links_the_file_whole_at_once() {
    let mut graph = project(LIB);
    graph.update_file_deferred(Path::new(LIB_PATH), &LIB.replace("LIMIT = 3", "LIMITS = 3"));
    assert!(!graph.links_pending(lib(&graph)));
}

const TARGET: &str = "def target():\n    pass\n";
const CALLER: &str = "from app import target\n\n\ndef use():\n    target()\n";

/// `app.py` (`TARGET`) and `lib.py` calling its `target`, linked, with
/// `lib.py` then edited to `edited` by a buffer's update.
fn caller_edited(edited: &str) -> Graph {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/app.py"), TARGET);
    graph.update_file(Path::new(LIB_PATH), CALLER);
    graph.update_file_unlinked(Path::new(LIB_PATH), edited);
    graph
}

/// Where `target` is called from, by file and span.
fn target_callers(graph: &Graph) -> Vec<(FileId, u32, u32)> {
    let app = graph.file_id(Path::new("/ws/app.py")).unwrap();
    let target = graph.definition_symbol(app, 0).unwrap();
    graph.callers(target).iter().flat_map(|c| c.sites.iter().map(|l| (l.file, l.span.start, l.span.end))).collect()
}

#[test]
fn a_request_on_another_document_links_the_edited_file_first() {
    // A binding added above the call: the file's interface changed, and
    // the call's old site (its edge's) is no longer where `target()` is.
    let edited = format!("LIMIT = 3\n{CALLER}");
    let mut graph = caller_edited(&edited);
    assert!(graph.links_pending(lib(&graph)), "the edit's link waits");
    let app = graph.file_id(Path::new("/ws/app.py"));
    assert!(graph.needs_link(app), "a request on app.py reads lib.py's edges (callers)");
    graph.link_file(app);
    assert!(!graph.links_pending(lib(&graph)));
    let fresh = build(&[(PathBuf::from("/ws/app.py"), TARGET.to_owned()), (PathBuf::from(LIB_PATH), edited)]);
    assert_eq!(target_callers(&graph), target_callers(&fresh));
    assert_eq!(canonical(&graph), canonical(&fresh));
}

#[test]
fn a_request_on_another_document_leaves_importers_pending() {
    // `lib.py` linked at once: the importers `app.py`'s edit leaves
    // pending stay so for a request on `lib.py` (only a flush links them).
    let mut graph = caller_edited(CALLER);
    let app = graph.file_id(Path::new("/ws/app.py")).unwrap();
    graph.update_file_deferred(Path::new("/ws/app.py"), &TARGET.replace("target()", "target(limit)"));
    assert!(graph.links_pending(lib(&graph)), "lib.py imports what changed");
    assert!(!graph.links_pending(app));
    assert!(!graph.needs_link(Some(app)), "nothing left unlinked by a buffer's update");
    graph.link_file(Some(app));
    assert!(graph.links_pending(lib(&graph)));
}

/// After each of `edits` (a replacement, then: 0 nothing, 1 a request
/// linking the file, 2 everything re-linked), what resolves on demand
/// equals a cold index's; re-linked, the whole graph does.
fn unlinked_edits_equal_a_cold_index(base: &str, typed: &[&str], edits: Vec<(usize, usize, usize, u8)>) -> Result<(), TestCaseError> {
    let mut graph = project(base);
    let mut text = base.to_owned();
    for (at, removed, which, then) in edits {
        text = replace_at(&text, at, removed, typed[which]);
        graph.update_file_unlinked(Path::new(LIB_PATH), &text);
        let fresh = build(&[(PathBuf::from(LIB_PATH), text.clone()), (PathBuf::from("/ws/app.py"), APP.to_owned())]);
        // A broken text's summary may hold what recovery lost (recovered.rs),
        // which a cold index lacks; compared whenever it holds nothing more.
        let same = graph.file(lib(&graph)).unwrap().summary == fresh.file(lib(&fresh)).unwrap().summary;
        if same {
            prop_assert_eq!(definitions(&graph), definitions(&fresh), "after {:?}", text);
        }
        match then {
            1 => graph.link_file(Some(lib(&graph))),
            2 => {
                graph.flush_relinks();
                if same {
                    prop_assert_eq!(canonical(&graph), canonical(&fresh), "after {:?}", text);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Edits that break statements and mend them, with or without a
    /// request linking the file between them.
    #[test]
    fn unlinked_breaking_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..BREAKING.len(), 0..3u8), 1..10)) {
        unlinked_edits_equal_a_cold_index(LIB, &BREAKING, edits)?;
    }

    /// Methods typed into a class and renamed, the same.
    #[test]
    fn unlinked_method_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..TYPED_METHODS.len(), 0..3u8), 1..10)) {
        unlinked_edits_equal_a_cold_index(METHODS, &TYPED_METHODS, edits)?;
    }
}
