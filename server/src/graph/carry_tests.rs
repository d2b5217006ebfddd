//! Early cut-off (carry.rs): an edit that only moves code keeps the
//! graph's revision, and the graph still equals a cold index.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::Graph;
use super::tests::{ROOT, VARIANTS, build, canonical};

/// Text that moves code when put at a line's start, or changes a string
/// it lands in (the update is then a normal one). None breaks the code: a
/// file with syntax errors keeps parts of its last good summary, which a
/// cold index of the same text has not seen.
const INSERTS: [&str; 4] = ["\n", "# note\n", "    \n", "\n\n"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Files written, then edited by insertions at random lines: the graph
    /// equals a cold index of the final texts, carried over or not.
    #[test]
    fn moved_code_equals_a_cold_index(
        variants in prop::collection::vec(0..4usize, VARIANTS.len()),
        edits in prop::collection::vec((0..VARIANTS.len(), 0..12usize, 0..INSERTS.len()), 1..12),
    ) {
        let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
        let mut texts: Vec<String> = VARIANTS.iter().zip(&variants).map(|((_, texts), &v)| texts[v % texts.len()].to_owned()).collect();
        for ((path, _), text) in VARIANTS.iter().zip(&texts) {
            graph.update_file(Path::new(path), text);
        }
        for (file, line, insert) in edits {
            let text = &mut texts[file];
            let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
            text.insert_str(starts[line % starts.len()], INSERTS[insert]);
            graph.update_file_deferred(Path::new(VARIANTS[file].0), text);
        }
        graph.flush_relinks();
        let files: Vec<(PathBuf, String)> = VARIANTS.iter().zip(&texts).map(|((path, _), text)| (PathBuf::from(path), text.clone())).collect();
        prop_assert_eq!(canonical(&graph), canonical(&build(&files)));
    }
}

const USER: &str = "from lib import total\n\ndef checkout(cart):\n    return total(cart)\n";

fn project() -> Graph {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/lib.py"), "def total(cart):\n    return 0\n");
    graph.update_file(Path::new("/ws/user.py"), USER);
    graph
}

#[test]
fn a_blank_line_or_a_comment_keeps_the_revision_and_moves_the_call_sites() {
    let mut graph = project();
    let before = graph.revision();
    let edited = USER.replace("\ndef checkout", "\n# the cart's total\n\ndef checkout");
    assert!(graph.update_file_deferred(Path::new("/ws/user.py"), &edited));
    assert_eq!(graph.revision(), before, "nothing resolves differently");
    let total = graph.symbols_named("total")[0];
    let site = graph.references(total).into_iter().find(|l| graph.file(l.file).is_some_and(|f| f.path.ends_with("user.py")) && l.span.start > 30);
    let site = site.expect("the call site in checkout");
    assert_eq!(&graph.file(site.file).unwrap().text()[site.span.range()], "total");
    assert_eq!(site.span.start as usize, edited.rfind("total").unwrap());
}

#[test]
fn a_changed_name_or_a_syntax_error_is_a_new_revision() {
    let mut graph = project();
    let before = graph.revision();
    graph.update_file_deferred(Path::new("/ws/user.py"), &USER.replace("return total(cart)", "return total(bag)"));
    let renamed = graph.revision();
    assert_ne!(renamed, before);
    graph.update_file_deferred(Path::new("/ws/user.py"), &USER.replace("return total(cart)", "return total(bag"));
    assert_ne!(graph.revision(), renamed);
}

const LISTED: &str = "def _hidden():\n    return 0\n\n__all__ = ['_hidden']\n";

/// `lib` lists a private function in `__all__`; `user` calls it through
/// `*`. Whether that call reaches the function.
fn star_project() -> Graph {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/lib.py"), LISTED);
    graph.update_file(Path::new("/ws/user.py"), "from lib import *\n\n_hidden()\n");
    assert!(reaches_hidden(&graph));
    graph
}

fn reaches_hidden(graph: &Graph) -> bool {
    graph.symbols_named("_hidden").first().is_some_and(|&hidden| !graph.callers(hidden).is_empty())
}

#[test]
fn an_all_that_stops_being_a_plain_list_changes_what_star_brings() {
    let mut graph = star_project();
    // `1` is no name: what `__all__` lists is unknown, and `*` brings
    // public names only (the entry's list is read again from the text).
    graph.update_file(Path::new("/ws/lib.py"), &LISTED.replace("['_hidden']", "[1, '_hidden']"));
    assert!(!reaches_hidden(&graph));
}

#[test]
fn an_all_respaced_is_carried_over_and_lists_the_same() {
    let mut graph = star_project();
    let before = graph.revision();
    graph.update_file(Path::new("/ws/lib.py"), &LISTED.replace("['_hidden']", "[  '_hidden']"));
    assert_eq!(graph.revision(), before, "moved, not changed");
    assert!(reaches_hidden(&graph));
    let lib = graph.file_id(Path::new("/ws/lib.py")).and_then(|id| graph.file(id)).unwrap();
    assert_eq!(lib.listed_exports(), Some(vec!["_hidden"]));
}

/// Where `path`'s unresolved names start, in order.
fn unresolved_sites(graph: &Graph, path: &Path) -> Vec<u32> {
    let mut sites = graph.file(graph.file_id(path).unwrap()).unwrap().unresolved.clone();
    sites.sort_unstable();
    sites
}

const TWO_FUNCTIONS: &str = "X = 0\n\n\ndef f():\n    x = missing_a\n    return 0\n\n\ndef g():\n    y = missing_b\n    return 0\n";

/// Code moved by an edit above it keeps its unresolved names where they
/// moved to: a later edit local to the function holding one counts it
/// out of the file's names without linking its old text again (local.rs),
/// and one elsewhere keeps it.
#[test]
fn unresolved_names_move_with_carried_code_and_leave_with_their_region() {
    let path = Path::new("/ws/m.py");
    let moved = format!("# {}\n{TWO_FUNCTIONS}", "a comment long enough to move f past its old place ".repeat(2));
    for (edited, kept) in [("x = missing_a", "x = 1"), ("y = missing_b", "y = 2")] {
        let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
        graph.update_file(path, TWO_FUNCTIONS);
        graph.update_file_deferred(path, &moved);
        let text = moved.replace(edited, kept);
        graph.update_file_deferred(path, &text);
        assert!(graph.local_update().is_some(), "linked in part: {kept}");
        let fresh = build(&[(path.to_owned(), text.clone())]);
        assert_eq!(unresolved_sites(&graph, path), unresolved_sites(&fresh, path), "{kept}");
        assert_eq!(canonical(&graph), canonical(&fresh));
    }
}
