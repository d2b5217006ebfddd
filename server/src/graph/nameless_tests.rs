//! A nameless function (what recovery makes of `def ` or of a decorator
//! whose `def` is misspelled) is refused by the readers' search at once
//! (spelled.rs): searched for, the empty name is found between every two
//! bytes of the file, and a dangling `self.` elsewhere (recovery's empty
//! member) may read it; the search refused it only once a hit fell
//! outside every function.

use expect_test::expect;

use super::local_tests::{LIB, METHODS, check_update};

/// `typed` at `$0` in `fixture`, checked as `check_update` does (the graph
/// equals a cold index), and the readers' refusals it logged.
fn refusals(fixture: &str, typed: &str, outcome: expect_test::Expect) -> String {
    let log = crate::logging::captured(tracing::Level::DEBUG, || check_update(fixture, typed, outcome));
    log.lines().filter(|line| line.contains("readers not linked")).map(|line| line.split("reason=").nth(1).unwrap_or(line)).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_nameless_function_is_refused_before_its_readers_are_searched() {
    let end_of_read = "        return value\n";
    let log = refusals(&METHODS.replace(end_of_read, "        return value\n$0"), "\n    def ", expect!["whole file"]);
    assert!(log.contains("a nameless function"), "{log}");
    // A decorator whose `def` is misspelled, as typing `_` after `def`.
    let log = refusals(&METHODS.replace("    def make(", "    def$0 make("), "_", expect!["whole file"]);
    assert!(log.contains("a nameless function"), "{log}");
    assert!(!log.contains("spelled outside any function"), "{log}");
}

#[test]
fn a_named_function_typed_is_still_linked_with_its_region() {
    let end_of_read = "        return value\n";
    let log = refusals(&METHODS.replace(end_of_read, "        return value\n$0"), "\n    def fresh(self, k", expect![[r#"local: "class Meter:""#]]);
    assert!(!log.contains("a nameless function"), "{log}");
    let log = refusals(&LIB.replace("def label", "def label$0"), "_", expect![[r#"local: "@property" + "def checkout(cart):" + "async def later(y):""#]]);
    assert_eq!(log, "");
}
