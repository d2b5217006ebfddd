//! What a method that defines a function shows the rest of its file
//! (exported.rs): the defined function's text and the locals it reads.

use std::path::{Path, PathBuf};

use expect_test::expect;
use rustc_hash::FxHashSet;

use super::Graph;
use super::exported::exported_order;
use super::local_tests::check_update;
use super::tests::ROOT;

/// Django's `Query.bump_prefix`, shortened: it iterates a generator it
/// defines, and sets what that yields on `self`.
const PREFIXES: &str = "\"\"\"Queries.\"\"\"\n\n\nclass Query:\n    prefix = \"T\"\n\n    def bump(self, other):\n        start = self.prefix\n\n        def gen():\n            prefix = chr(ord(start) + 1)\n            yield prefix\n\n        limit = 16\n        for pos, prefix in enumerate(gen()):\n            if pos > limit:\n                break\n            self.prefix = prefix\n        other.prefix = self.prefix\n";

/// [`exported_order`] of `bump` in `text`.
fn order(text: &str) -> Option<u64> {
    let lib = Path::new("/ws/lib.py");
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(lib, text);
    let entry = graph.file(graph.file_id(lib).unwrap()).unwrap();
    let bump = entry.summary.definitions.iter().find(|d| d.name.as_str() == "bump").unwrap().range;
    exported_order(&entry.summary, entry.text(), bump, &[], &FxHashSet::default())
}

/// A local that neither the values the method shows nor the function it
/// defines read is renamed: what it shows is the same (the function is
/// compared, not given up on). Its twins: the function edited, or a local
/// it reads renamed, change it.
#[test]
fn a_method_defining_a_function_shows_its_text_and_the_locals_it_reads() {
    let before = order(PREFIXES);
    assert!(before.is_some(), "the defined function is compared");
    assert_eq!(order(&PREFIXES.replace("limit", "limit_")), before, "`limit` read by nothing shown");
    assert_ne!(order(&PREFIXES.replace("+ 1)", "+ 10)")), before, "what `gen` yields changed");
    assert_ne!(order(&PREFIXES.replace("start", "first")), before, "`gen` reads `start`");
    let rebound = PREFIXES.replace("        limit = 16\n", "        start = 1\n        limit = 16\n");
    assert_ne!(order(&rebound), before, "`start` bound again before `gen` is called");
}

/// A parameter's default types it (infer/callers.rs): a changed default
/// of a name the function passes to a typing call links the whole file,
/// though no one calls the function; twin: another local's edit does not.
#[test]
fn a_changed_default_of_a_passed_parameter_links_the_whole_file() {
    let passed = "class Info:\n    def hms(self, t):\n        return t\n\n\nclass Parser:\n    def parse(self, text, info=Info()):\n        count = 1\n        return self._token(text, info)\n\n    def _token(self, text, info):\n        return info.hms(text)\n";
    check_update(&passed.replace("info=Info()", "info=$0Info()"), "O", expect!["whole file"]);
    check_update(&passed.replace("count = 1", "count$0 = 1"), "_", expect![[r#"local: "def parse(self, text, info=Info()):""#]]);
}
