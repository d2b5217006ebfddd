//! Completion and signature help answer before the edited file is linked
//! (`Graph::update_file_unlinked`): what they read must be what a cold
//! index of the edited text holds, not the edges of the text before.

use std::path::{Path, PathBuf};

use crate::graph::{FileId, Graph};
use crate::ide::completion::{Imports, Trigger, complete};
use crate::ide::signature_help::signature_help;

const PATH: &str = "/ws/lib.py";

/// `before` linked, then `after` by a buffer's update, and a cold index
/// of `after`; `after`'s file in each.
fn edited_and_cold(before: &str, after: &str) -> ((Graph, FileId), (Graph, FileId)) {
    let mut edited = Graph::new(vec![PathBuf::from("/ws")]);
    edited.update_file(Path::new(PATH), before);
    edited.update_file_unlinked(Path::new(PATH), after);
    let mut cold = Graph::new(vec![PathBuf::from("/ws")]);
    cold.update_file(Path::new(PATH), after);
    let file = |graph: &Graph| graph.file_id(Path::new(PATH)).unwrap();
    let (edited_file, cold_file) = (file(&edited), file(&cold));
    assert!(edited.links_pending(edited_file), "the edit's link waits");
    ((edited, edited_file), (cold, cold_file))
}

fn labels(graph: &Graph, file: FileId, offset: u32) -> Vec<String> {
    complete(graph, file, offset, Trigger::Typed, Imports::Off).items.into_iter().map(|item| item.label).collect()
}

fn signatures(graph: &Graph, file: FileId, offset: u32) -> Vec<String> {
    signature_help(graph, file, offset).map(|help| help.signatures.into_iter().map(|s| s.label).collect()).unwrap_or_default()
}

const BASE: &str = "class Base:\n    def inherited(self):\n        pass\n";

#[test]
fn super_completes_the_bases_of_a_class_typed_since_the_link() {
    let after = format!("{BASE}\n\nclass Child(Base):\n    def own(self):\n        return super().inh\n");
    let ((edited, file), (cold, cold_file)) = edited_and_cold(BASE, &after);
    let offset = after.len() as u32 - 1;
    let expected = labels(&cold, cold_file, offset);
    assert!(expected.iter().any(|label| label == "inherited"), "{expected:?}");
    assert_eq!(labels(&edited, file, offset), expected);
}

#[test]
fn super_completes_nothing_of_a_base_the_edit_removed() {
    let before = format!("{BASE}\n\nclass Child(Base):\n    def own(self):\n        return super().inh\n");
    let after = before.replace("class Child(Base):", "class Child:");
    let ((edited, file), (cold, cold_file)) = edited_and_cold(&before, &after);
    let offset = after.len() as u32 - 1;
    let labels_now = labels(&edited, file, offset);
    assert!(!labels_now.iter().any(|label| label == "inherited"), "{labels_now:?}");
    assert_eq!(labels_now, labels(&cold, cold_file, offset));
}

const ONE: &str = "def f(x):\n    return x\n\n\nf(1)\n";
const OVERLOADED: &str =
    "from typing import overload\n\n\n@overload\ndef f(x: int) -> int: ...\n@overload\ndef f(x: str) -> str: ...\ndef f(x):\n    return x\n\n\nf(1)\n";

#[test]
fn signature_help_shows_overloads_typed_since_the_link() {
    let ((edited, file), (cold, cold_file)) = edited_and_cold(ONE, OVERLOADED);
    let offset = OVERLOADED.len() as u32 - 3;
    let expected = signatures(&cold, cold_file, offset);
    assert_eq!(expected.len(), 2, "{expected:?}");
    assert_eq!(signatures(&edited, file, offset), expected);
}

#[test]
fn signature_help_shows_one_signature_without_overloads() {
    let two = ONE.replace("f(1)", "def g(y):\n    return y\n\n\nf(1)");
    let ((edited, file), (cold, cold_file)) = edited_and_cold(ONE, &two);
    let offset = two.len() as u32 - 3;
    assert_eq!(signatures(&edited, file, offset), signatures(&cold, cold_file, offset));
    assert_eq!(signatures(&edited, file, offset).len(), 1);
}
