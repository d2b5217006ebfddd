//! Tester 25 case 09: a class whose instances are pickled in a data file
//! of the workspace, which the workspace unpickles, is not moved; the CLI
//! and `willRenameFiles` share the check ([`super::refusal`]).

use std::path::Path;

use super::names_in;
use crate::index::refactor::{move_symbol, rename_module};

/// `pickle.dumps(Thing(5), protocol=p)` of `pkg.util.Thing`, protocols 0, 2 and 4.
const PROTOCOL_0: &[u8] = b"ccopy_reg\n_reconstructor\np0\n(cpkg.util\nThing\np1\nc__builtin__\nobject\np2\nNtp3\nRp4\n(dp5\nVv\np6\nI5\nsb.";
const PROTOCOL_2: &[u8] = b"\x80\x02cpkg.util\nThing\nq\x00)\x81q\x01}q\x02X\x01\x00\x00\x00vq\x03K\x05sb.";
const PROTOCOL_4: &[u8] = b"\x80\x04\x95#\x00\x00\x00\x00\x00\x00\x00\x8c\x08pkg.util\x94\x8c\x05Thing\x94\x93\x94)\x81\x94}\x94\x8c\x01v\x94K\x05sb.";

#[test]
fn each_protocol_names_the_module_and_class_as_whole_names() {
    for bytes in [PROTOCOL_0, PROTOCOL_2, PROTOCOL_4] {
        assert!(names_in(bytes, "pkg.util", None));
        assert!(names_in(bytes, "pkg.util", Some("Thing")));
        // Must not: another module or class whose name holds or extends these.
        assert!(!names_in(bytes, "pkg.uti", None));
        assert!(!names_in(bytes, "pkg", None));
        assert!(!names_in(bytes, "util", None));
        assert!(!names_in(bytes, "pkg.util", Some("Thin")));
        assert!(!names_in(bytes, "pkg.util", Some("Other")));
    }
}

/// A project with `pkg/util.py: class Thing`, `pkg/store.py` reading
/// `STORE`, and `data/thing.pkl` holding `data`.
fn project(store: &str, data: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(root.join("pyproject.toml"), "").unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    std::fs::write(root.join("pkg/util.py"), "class Thing:\n    def __init__(self, v):\n        self.v = v\n\n\nclass Other:\n    pass\n").unwrap();
    std::fs::write(root.join("pkg/store.py"), store).unwrap();
    std::fs::write(root.join("data/thing.pkl"), data).unwrap();
    std::fs::write(root.join("main.py"), "from pkg.util import Other, Thing\n\nprint(Thing, Other)\n").unwrap();
    dir
}

const LOADS: &str = "import pickle\n\n\ndef load():\n    with open(\"data/thing.pkl\", \"rb\") as fh:\n        return pickle.load(fh)\n";

/// How `pyloom refactor rename-module pkg/util.py pkg/tools.py` and
/// `pyloom refactor move pkg/util.py:LINE pkg/thing.py` end: `applied`, or the refusal.
fn outcomes(dir: &Path, line: usize) -> [String; 2] {
    let shown = |result: Result<String, crate::index::refactor::Failure>| match result {
        Ok(_) => "applied".to_owned(),
        Err(error) => error.to_string(),
    };
    let renamed = shown(rename_module(&dir.join("pkg/util.py"), &dir.join("pkg/tools.py"), Some(dir), false));
    let moved = shown(move_symbol(&format!("{}/pkg/util.py:{line}", dir.display()), &dir.join("pkg/thing.py"), false));
    [renamed, moved]
}

#[test]
fn a_pickled_class_of_a_module_the_workspace_unpickles_is_not_moved() {
    let dir = project(LOADS, PROTOCOL_4);
    let why = "holds a pickle that names";
    let [renamed, moved] = outcomes(dir.path(), 1);
    assert!(renamed.starts_with("data/thing.pkl holds a pickle that names `pkg.util`, and the workspace unpickles (`pickle.load` at pkg/store.py:6): pickle finds it by that module path, which the move changes"), "{renamed}");
    assert!(moved.starts_with("data/thing.pkl holds a pickle that names `pkg.util.Thing`, and the workspace unpickles"), "{moved}");
    // Other spellings of reading one: `shelve`, `joblib`, an import of `load`.
    for store in ["import shelve\n\nDB = shelve.open(\"data/thing\")\n", "import joblib\n\nX = joblib.load(\"data/thing.pkl\")\n", "from pickle import loads\n"]
    {
        let dir = project(store, PROTOCOL_0);
        assert!(outcomes(dir.path(), 1).iter().all(|o| o.contains(why)), "{store}: {:?}", outcomes(dir.path(), 1));
    }
}

#[test]
fn without_an_unpickling_call_or_a_pickle_naming_what_moves_the_move_is_applied() {
    // Must stay: the pickle is there, nothing of the workspace reads one.
    let dir = project("import json\n\n\ndef load():\n    return json.load(open(\"data/thing.json\"))\n", PROTOCOL_4);
    assert_eq!(outcomes(dir.path(), 1), ["applied", "applied"]);
    // Must stay: unpickled, but the data file names another module.
    let other = String::from_utf8(PROTOCOL_0.to_vec()).unwrap().replace("pkg.util", "pkg.util2");
    let dir = project(LOADS, other.as_bytes());
    assert_eq!(outcomes(dir.path(), 1), ["applied", "applied"]);
    // Must stay: the class moved is not the pickled one (the module is, so renaming it refuses).
    let dir = project(LOADS, PROTOCOL_4);
    let [renamed, moved] = outcomes(dir.path(), 6);
    assert!(renamed.contains("holds a pickle that names `pkg.util`"), "{renamed}");
    assert_eq!(moved, "applied");
}
