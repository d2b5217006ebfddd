//! Iterables passed on and iterated elsewhere: a parameter iterated
//! starts the generators its callers pass (in its file and in the files
//! importing it), also through the library iterators that wrap it
//! (`list(islice(it, n))`), and runs the protocol methods of the
//! instances they pass. Each rule with its twin.

use expect_test::expect;

use super::runtime_call_tests::check_calls as check_iterated;

const RECIPES: &str = r#"
//- /pkg/__init__.py
from .recipes import *
//- /pkg/recipes.py
from itertools import islice
def take(n, iterable):
    return list(islice(iterable, n))
def first(iterable):
    for x in iterable:
        return x
def pairs(xs):
    yield from zip(xs, xs[1:])
def listed(xs):
    return [xs]
def evens(xs):
    it = pairs(xs)
    return take(2, it)
//- /pkg/more.py
from .recipes import take, first
def repeat_last(xs):
    for x in xs:
        yield x
class Peek:
    def __iter__(self): return self
    def __next__(self): return 1
def padded(xs):
    return take(3, repeat_last(xs)) + [first(Peek())]
//- /tests/test_more.py
import pkg as mi
def window(xs):
    yield xs
def test_take():
    assert mi.take(1, window([1]))
"#;

/// `take(n, pairs(xs))` in another file (and a local bound to such a call
/// in the same file, and a call through the package in a test) starts the
/// generators passed where `take` iterates its parameter, through
/// `islice`; an instance passed to `first` runs its `__iter__` and
/// `__next__` at its `for`.
#[test]
fn a_parameter_iterated_starts_the_generators_its_callers_pass() {
    check_iterated(
        &RECIPES.replacen("def take", "def ta$0ke", 1),
        expect![[r#"
            builtins.list at pkg/recipes.py:3:12
            itertools.islice at pkg/recipes.py:3:17
            pkg.more.repeat_last at pkg/recipes.py:3:17 (implicit call)
            pkg.recipes.pairs at pkg/recipes.py:3:17 (implicit call)
            tests.test_more.window at pkg/recipes.py:3:17 (implicit call)
        "#]],
        expect![[r#"
            pkg.more.padded at pkg/more.py:9:12
            pkg.recipes.evens at pkg/recipes.py:13:12
            tests.test_more.test_take at tests/test_more.py:5:15
        "#]],
    );
    check_iterated(
        &RECIPES.replacen("def first", "def fi$0rst", 1),
        expect![[r#"
            pkg.more.Peek.__iter__ at pkg/recipes.py:5:14 (implicit call)
            pkg.more.Peek.__next__ at pkg/recipes.py:5:14 (implicit call)
        "#]],
        expect![[r#"
            pkg.more.padded at pkg/more.py:9:40
        "#]],
    );
}

/// What is not a generator starts nothing: a list-returning call passed,
/// a generator passed to a parameter that is never iterated, a parameter
/// rebound before it is iterated, a generator passed to another
/// parameter, and a generator iterated through a library call that does
/// not iterate it (`len`).
#[test]
fn no_generator_starts_where_none_is_passed_or_iterated() {
    check_iterated(
        r#"
//- /lib.py
from itertools import islice, repeat
def listed(xs):
    return [xs]
def gen(xs):
    yield xs
def t$0ake(n, iterable, other):
    first = list(islice(iterable, n))
    iterable = [1]
    for x in iterable:
        pass
    for y in repeat(other, 2):
        pass
    return first
def size(it):
    return len(it)
def keep(it):
    return it
def main():
    take(1, listed(2), gen(3))
    size(gen(4))
    keep(gen(5))
"#,
        expect![[r#"
            builtins.list at lib.py:7:13
            itertools.islice at lib.py:7:18
            itertools.repeat at lib.py:11:14
        "#]],
        expect![[r#"
            lib.main at lib.py:19:5
        "#]],
    );
}
