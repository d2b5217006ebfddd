//! Fields of classes whose `__init__` a decorator writes (infer/fields.rs):
//! what the constructor calls pass is what the field holds (attrs'
//! validators, bench/graph/runtime_truth.py). Each rule with its twin.

use expect_test::expect;

use super::local_tests::check_update;
use super::runtime_call_tests::check_calls;

const VALIDATORS: &str = r#"
//- /validators.py
import attr
from attr import attrib, attrs
from dataclasses import dataclass
from functools import total_ordering
class Checker:
    def __call__(self, value): return True
class Other:
    def __call__(self, value): return True
def check(value): return True
@attrs(slots=True)
class Optional:
    validator = attrib()
    def __call__(self, value):
        if value is None: return
        self.validator(value)
@attr.s
class Pair:
    _first = attr.ib()
    second = attr.ib()
    def run(self, value):
        return self._first(value), self.second(value)
@dataclass
class Hook:
    name: str
    hook: object
    def fire(self):
        return self.hook(self.name)
@total_ordering
class Plain:
    validator = attrib()
    def __call__(self, value):
        return self.validator(value)
def optional(validator):
    return Optional(validator)
def make():
    return Optional(Checker()), Pair(check, second=Other()), Hook("x", hook=Other()), Plain(Checker())
"#;

/// An attrs field takes what the constructor passes at its position or
/// by its keyword (a private `_first` by `first`); a dataclass's annotated
/// field by its own name.
#[test]
fn a_field_of_a_generated_init_holds_what_the_constructor_calls_pass() {
    check_calls(
        &VALIDATORS.replacen("def __call__(self, value):\n        if", "def __ca$0ll__(self, value):\n        if", 1),
        expect![[r#"
            validators.Checker.__call__ at validators.py:15:14 (implicit call)
        "#]],
        expect![""],
    );
    check_calls(
        &VALIDATORS.replacen("def check", "def ch$0eck", 1),
        expect![""],
        expect![[r#"
        validators.Pair.run at validators.py:21:21
    "#]],
    );
    check_calls(
        &VALIDATORS.replacen("def run", "def r$0un", 1),
        expect![[r#"
        validators.check at validators.py:21:21
        validators.Other.__call__ at validators.py:21:41 (implicit call)
    "#]],
        expect![""],
    );
    check_calls(
        &VALIDATORS.replacen("def fire", "def fi$0re", 1),
        expect![[r#"
        validators.Other.__call__ at validators.py:27:21 (implicit call)
    "#]],
        expect![""],
    );
}

/// A class whose decorator writes no `__init__` (`@total_ordering`) has
/// no fields: its attribute holds nothing the constructor passes; a
/// parameter of unknown type passed adds nothing.
#[test]
fn no_field_without_a_generated_init() {
    check_calls(
        &VALIDATORS.replacen("def __call__(self, value):\n        return self.validator", "def __ca$0ll__(self, value):\n        return self.validator", 1),
        expect![""],
        expect![""],
    );
}

/// A field typed by the constructor calls in its file (`Holder(Checker())`
/// in `make`): an edit of what such a call passes re-links the whole file
/// (the field's readers elsewhere in it change), an edit beside it stays
/// in its function; the graph equals a cold index either way.
const HOLDER: &str = "from attr import attrib, attrs\n\n\nclass Checker:\n    def __call__(self, value):\n        return True\n\n\nclass Other:\n    def __call__(self, value):\n        return True\n\n\n@attrs\nclass Holder:\n    check = attrib()\n\n    def run(self, value):\n        return self.check(value)\n\n\ndef make():\n    count = 1\n    return Holder(Checker())\n";

#[test]
fn an_edit_of_what_a_constructor_passes_to_a_field_links_the_whole_file() {
    check_update(&HOLDER.replace("Holder(Checker())", "Holder($0Checker())"), "Other() if count else ", expect!["whole file"]);
    check_update(&HOLDER.replace("count = 1", "count$0 = 1"), "_", expect![[r#"local: "def make():""#]]);
}
