//! A graph's first linking grows the edge list once, to the edges it
//! projects (edge_room.rs), with room left for the edges edits add.

use std::path::{Path, PathBuf};

use super::Graph;
use super::tests::build;

/// `count` modules calling a function of `base.py` a few times each.
fn callers(count: usize) -> Vec<(PathBuf, String)> {
    let mut files = vec![(PathBuf::from("/ws/base.py"), "def base(): pass\n".to_owned())];
    for i in 0..count {
        let calls = "    base()\n".repeat(1 + i % 5);
        files.push((PathBuf::from(format!("/ws/m{i}.py")), format!("from base import base\ndef f():\n{calls}")));
    }
    files
}

/// The edges, and the slots the edge list has room for.
fn edges_and_room(graph: &Graph) -> (usize, usize) {
    (graph.graph.edge_count(), graph.graph.capacity().1)
}

#[test]
fn a_cold_index_of_many_batches_holds_its_edges_without_a_doubling_left_unused() {
    let graph = build(&callers(700));
    let (edges, room) = edges_and_room(&graph);
    // Doubling leaves the list at the next power of two, 8,192 slots.
    assert!((4_100..5_400).contains(&edges), "{edges} edges");
    assert!(room >= edges && room <= edges + edges / 2, "{edges} edges in room for {room}");
}

#[test]
fn the_first_edit_after_a_cold_index_finds_room_for_its_edges() {
    let mut graph = build(&callers(300));
    let (edges, room) = edges_and_room(&graph);
    graph.update_file(Path::new("/ws/m0.py"), "from base import base\ndef f():\n    base()\n    base()\n    base()\n");
    let (more, same) = edges_and_room(&graph);
    assert!(more > edges, "{edges} -> {more} edges");
    assert_eq!(same, room, "the edge list was copied for the first edit");
}
