//! Re-linking a file keeps the edges that still hold and touches only the
//! ones that changed, and the graph still equals a cold index.

use std::path::{Path, PathBuf};

use petgraph::visit::EdgeRef;
use rustc_hash::FxHashSet;

use super::Graph;
use super::tests::{ROOT, build, canonical};

const MODELS: &str = "class Cart:\n    def total(self): pass\ndef make() -> Cart: ...\ndef other(): pass\n";

/// The outgoing edges of `path`'s nodes, by index, source, target and kind:
/// an edge kept by a re-link keeps all four.
fn edges(graph: &Graph, path: &str) -> FxHashSet<String> {
    let entry = graph.file(graph.file_id(Path::new(path)).expect("file")).expect("entry");
    let mut out = FxHashSet::default();
    for &node in entry.nodes.iter().chain([&entry.module_node]) {
        for edge in graph.graph.edges_directed(node, petgraph::Direction::Outgoing) {
            out.insert(format!("{:?} {:?} {:?} {:?}", edge.id(), edge.source(), edge.target(), edge.weight().kind));
        }
    }
    out
}

/// Links `models.py` and `app.py` as `before`, updates `app.py` to
/// `after`, and checks how many of its edges were kept, removed and added,
/// and that the graph equals a cold index of the final files.
fn check_relink(before: &str, after: &str, (kept, removed, added): (usize, usize, usize)) {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/models.py"), MODELS);
    graph.update_file(Path::new("/ws/app.py"), before);
    let old = edges(&graph, "/ws/app.py");
    graph.update_file(Path::new("/ws/app.py"), after);
    let new = edges(&graph, "/ws/app.py");
    let counts = (old.intersection(&new).count(), old.difference(&new).count(), new.difference(&old).count());
    assert_eq!(counts, (kept, removed, added), "{before:?} -> {after:?}");
    let cold = build(&[(PathBuf::from("/ws/models.py"), MODELS.to_owned()), (PathBuf::from("/ws/app.py"), after.to_owned())]);
    assert_eq!(canonical(&graph), canonical(&cold));
}

const APP: &str = "from models import make, other\ndef run():\n    c = make()\n    c.total()\n    other()\n";

#[test]
fn an_edit_that_shifts_every_site_keeps_every_edge() {
    // The sites move (a comment above), the edges stay.
    let edges = edges_of(APP);
    check_relink(APP, &format!("# a comment above\n{APP}"), (edges, 0, 0));
}

#[test]
fn a_call_taken_out_removes_its_edges_alone() {
    let without = APP.replace("    other()\n", "    pass\n");
    check_relink(APP, &without, (edges_of(APP) - 1, 1, 0));
}

#[test]
fn a_call_added_adds_its_edges_alone() {
    let with = APP.replace("    other()\n", "    other()\n    make()\n");
    // A function's call is one edge (a class's would add a reference).
    check_relink(APP, &with, (edges_of(APP), 0, 1));
}

#[test]
fn a_member_that_no_longer_resolves_removes_its_call() {
    let to_other = APP.replace("    c.total()\n", "    c.missing()\n");
    check_relink(APP, &to_other, (edges_of(APP) - 1, 1, 0));
}

fn edges_of(text: &str) -> usize {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/models.py"), MODELS);
    graph.update_file(Path::new("/ws/app.py"), text);
    edges(&graph, "/ws/app.py").len()
}

#[test]
fn the_batches_after_the_first_call_the_external_it_added() {
    // More files than a batch links at once: the later batches find
    // `os.getcwd` in the graph where their links are resolved.
    let files: Vec<(PathBuf, String)> = (0..300).map(|i| (PathBuf::from(format!("/ws/m{i:03}.py")), "import os\nos.getcwd()\n".to_owned())).collect();
    let graph = build(&files);
    let getcwd = graph.externals["os.getcwd"];
    let calls = graph.graph.edges_directed(getcwd, petgraph::Direction::Incoming).filter(|e| e.weight().kind == super::EdgeKind::Calls).count();
    assert_eq!(calls, 300);
    // The same graph as the files added one by one, each linked alone.
    let mut added = Graph::new(vec![PathBuf::from(ROOT)]);
    for (path, text) in &files {
        added.update_file(path, text);
    }
    assert_eq!(canonical(&added), canonical(&graph));
}

#[test]
fn every_batch_of_a_first_linking_registers_what_its_files_consulted_and_missed() {
    // Files in every batch (the last one's too) import `base` and the
    // module `later` that is not there yet: each is re-linked when `later`
    // comes and when `base` changes.
    let importer = "from base import f\nfrom later import h\nf()\nh()\n";
    let mut files = vec![(PathBuf::from("/ws/base.py"), "def f(): pass\n".to_owned())];
    files.extend((0..600).map(|i| (PathBuf::from(format!("/ws/m{i:03}.py")), importer.to_owned())));
    let mut graph = build(&files);
    for (path, text) in [("/ws/later.py", "def h(): pass\n"), ("/ws/base.py", "def g(): pass\n")] {
        graph.update_file(Path::new(path), text);
        files.retain(|(p, _)| p != Path::new(path));
        files.push((PathBuf::from(path), text.to_owned()));
        assert_eq!(canonical(&graph), canonical(&build(&files)), "after {path}");
    }
}
