//! Calling a class runs its metaclass's `__call__` (metaclass.rs), each
//! way of naming the metaclass with its twin, and kept correct across
//! edits of the metaclass, the class and the caller.

use expect_test::expect;
use proptest::prelude::*;

use super::runtime_call_tests::check_calls;
use super::tests::replay;

const FACTORIES: &str = r#"
//- /factories.py
class Cached(type):
    def __call__(cls, *args):
        return type.__call__(cls, *args)
class Counted(Cached):
    pass
class Quiet(type):
    def describe(cls):
        return cls.__name__
"#;

#[test]
fn a_class_call_runs_the_call_of_the_metaclass_it_names() {
    check_calls(
        &format!(
            "{FACTORIES}//- /main.py
import six
from factories import Cached, Counted
class Offset(metaclass=Cached):
    def __init__(self, n=0): self.n = n
@six.add_metaclass(Counted)
class Zone:
    pass
class Local(Offset):
    pass
def ma$0ke():
    Offset(1)
    Zone()
    Local()
"
        ),
        expect![[r#"
            main.Offset.__init__ at main.py:11:5, main.py:13:5
            main.Zone at main.py:12:5
            factories.Cached.__call__ at main.py:11:5, main.py:12:5, main.py:13:5 (implicit call)
        "#]],
        expect![""],
    );
}

#[test]
fn no_metaclass_call_without_a_workspace_one_defining_it() {
    check_calls(
        &format!(
            "{FACTORIES}//- /main.py
from abc import ABCMeta
from factories import Quiet
class Plain:
    def __init__(self): pass
class Abstract(metaclass=ABCMeta):
    pass
class Described(metaclass=Quiet):
    pass
from nowhere import Meta
class Unknown(metaclass=Meta):
    pass
def ma$0ke():
    Plain()
    Abstract()
    Described()
    Unknown()
"
        ),
        expect![[r#"
            main.Plain.__init__ at main.py:13:5
            main.Abstract at main.py:14:5
            main.Described at main.py:15:5
            main.Unknown at main.py:16:5
        "#]],
        expect![""],
    );
}

/// A metaclass gaining and losing `__call__`, classes naming it or not,
/// and callers of the classes.
const METACLASS_VARIANTS: &[(&str, &[&str])] = &[
    (
        "/ws/meta.py",
        &[
            "class Meta(type):\n    def __call__(cls, *a):\n        return type.__call__(cls, *a)\n",
            "class Meta(type):\n    pass\n",
            "class Base(type):\n    def __call__(cls, *a):\n        return None\nclass Meta(Base):\n    pass\n",
        ],
    ),
    (
        "/ws/model.py",
        &[
            "from meta import Meta\nclass Model(metaclass=Meta):\n    pass\n",
            "class Model:\n    pass\n",
            "import six\nfrom meta import Meta\n@six.add_metaclass(Meta)\nclass Model:\n    pass\n",
            "from meta import Meta\nclass Root(metaclass=Meta):\n    pass\nclass Model(Root):\n    pass\n",
        ],
    ),
    ("/ws/use.py", &["from model import Model\ndef f():\n    return Model()\n", "import model\nm = model.Model()\n"]),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn metaclass_edits_equal_a_cold_index(
        steps in prop::collection::vec((0..METACLASS_VARIANTS.len(), 0..4usize, prop::option::of(0..3usize)), 1..20),
    ) {
        let (incremental, cold) = replay(METACLASS_VARIANTS, steps);
        prop_assert_eq!(incremental, cold);
    }
}
