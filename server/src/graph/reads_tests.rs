//! An interface change re-links the dependents that read a changed name
//! (or read the file whole), no other, and the graph still equals a cold
//! index.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::Graph;
use super::tests::{ROOT, build, canonical, replay};

/// Versions of a project whose class gains, loses and renames methods
/// (before others, shifting their definitions; inherited; as a class
/// attribute) that other files read by import, by attribute, through a
/// subclass, a star import and inferred values.
const NAMED_VARIANTS: &[(&str, &[&str])] = &[
    (
        "/ws/models.py",
        &[
            "class QuerySet:\n    def filter(self):\n        return self\n    def first(self):\n        return 1\n",
            "class QuerySet:\n    def filter(self):\n        return self\n    def recent(self, limit):\n        return self.filter()\n    def first(self):\n        return QuerySet()\n",
            "class QuerySet:\n    def filtered(self):\n        return self\n    def first(self):\n        return 1\n",
            "class Base:\n    def recent(self):\n        return 2\nclass QuerySet(Base):\n    def filter(self):\n        return QuerySet()\n",
            "def helper():\n    return QuerySet()\nclass QuerySet:\n    def filter(self, x=1):\n        return self\n    recent = helper\n",
        ],
    ),
    (
        "/ws/reader.py",
        &[
            "from models import QuerySet\nQuerySet().filter().first()\n",
            "from models import QuerySet\nq = QuerySet()\nq.recent()\nq.filter().recent()\n",
            "import models\nmodels.QuerySet().filtered()\nmodels.helper().filter()\n",
        ],
    ),
    (
        "/ws/sub.py",
        &[
            "from models import QuerySet\nclass Mine(QuerySet):\n    def recent(self):\n        return self.first()\nMine().filter().recent()\n",
            "from models import *\nQuerySet().first().filter()\n",
        ],
    ),
    ("/ws/values.py", &["from models import QuerySet\nq = QuerySet()\nq.first().filter()\n", "from reader import q\nq.first()\n"]),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Names added, removed and renamed, read or not by the other files:
    /// the incremental graph equals a cold index, written at once or
    /// deferred.
    #[test]
    fn incremental_updates_equal_a_cold_index_when_names_change(
        steps in prop::collection::vec((0..NAMED_VARIANTS.len(), 0..5usize, prop::option::of(0..3usize)), 1..25),
    ) {
        let (incremental, cold) = replay(NAMED_VARIANTS, steps);
        prop_assert_eq!(incremental, cold);
    }
}

const MODELS: &str = "class QuerySet:\n    def filter(self):\n        return self\n    def first(self):\n        return 1\n";

/// `models.py` as `before` and the given readers, linked; then
/// `models.py` written as `edited`, deferred. Gives the readers left
/// pending (by path), after checking the graph equals a cold index once
/// they are re-linked.
fn pending_after(before: &str, readers: &[(&str, &str)], edited: &str) -> Vec<String> {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/models.py"), before);
    for (path, text) in readers {
        graph.update_file(Path::new(path), text);
    }
    graph.update_file_deferred(Path::new("/ws/models.py"), edited);
    let mut pending: Vec<String> = graph.pending.iter().map(|&f| graph.file(f).expect("file").path.display().to_string()).collect();
    pending.sort();
    graph.flush_relinks();
    let mut files: Vec<(PathBuf, String)> = readers.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect();
    files.push((PathBuf::from("/ws/models.py"), edited.to_owned()));
    assert_eq!(canonical(&graph), canonical(&build(&files)));
    pending
}

const FILTERS: (&str, &str) = ("/ws/filters.py", "from models import QuerySet\nQuerySet().filter().first()\n");

#[test]
fn a_method_nobody_reads_relinks_no_importer() {
    let added = MODELS.replace("    def first", "    def recent_names(self, limit=10):\n        return self.filter()\n    def first");
    assert_eq!(pending_after(MODELS, &[FILTERS], &added), Vec::<String>::new());
}

#[test]
fn a_method_someone_reads_relinks_exactly_them() {
    let added = MODELS.replace("    def first", "    def recent_names(self, limit=10):\n        return self.filter()\n    def first");
    let reader = ("/ws/reader.py", "from models import QuerySet\nQuerySet().recent_names()\n");
    assert_eq!(pending_after(MODELS, &[FILTERS, reader], &added), vec!["/ws/reader.py"]);
}

#[test]
fn a_renamed_method_relinks_its_readers_only() {
    let renamed = MODELS.replace("def first", "def earliest");
    let other = ("/ws/other.py", "from models import QuerySet\nQuerySet().filter()\n");
    assert_eq!(pending_after(MODELS, &[FILTERS, other], &renamed), vec!["/ws/filters.py"]);
}

#[test]
fn a_removed_name_relinks_the_files_importing_it() {
    let with_helper = format!("{MODELS}def helper():\n    pass\n");
    let importer = ("/ws/importer.py", "from models import helper\nhelper()\n");
    assert_eq!(pending_after(&with_helper, &[FILTERS, importer], MODELS), vec!["/ws/importer.py"]);
}

/// A method added before the one whose returned value a file read, which
/// changes too: the reader re-links (values are known by node, which the
/// shift of definitions leaves in place).
#[test]
fn a_changed_value_behind_an_added_method_relinks_its_reader() {
    let edited =
        MODELS.replace("    def first(self):\n        return 1", "    def recent_names(self):\n        pass\n    def first(self):\n        return QuerySet()");
    let reader = ("/ws/reader.py", "from models import QuerySet\nq = QuerySet()\nq.first().filter()\n");
    let other = ("/ws/other.py", "from models import QuerySet\nQuerySet()\n");
    assert_eq!(pending_after(MODELS, &[reader, other], &edited), vec!["/ws/reader.py"]);
}

/// Its twin: a changed star import is no name's item: every dependent
/// re-links.
#[test]
fn a_changed_star_import_relinks_every_dependent() {
    let starred = format!("from os import *\n{MODELS}");
    let other = ("/ws/other.py", "from models import QuerySet\nQuerySet()\n");
    assert_eq!(pending_after(MODELS, &[FILTERS, other], &starred), vec!["/ws/filters.py", "/ws/other.py"]);
}
