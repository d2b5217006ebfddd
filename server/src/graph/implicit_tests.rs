//! Protocol methods that syntax runs, as calls of their own kind.

use expect_test::{Expect, expect};

use super::tests::{describe_calls, describe_location, fixture_graph};

fn check_callees(fixture: &str, expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    expect.assert_eq(&describe_calls(&graph, graph.callees_with_overrides(symbol)));
}

const BAG: &str = r#"
//- /bag.py
class Bag:
    def __init__(self): self.items = []
    def __enter__(self): return self
    def __exit__(self, *exc): return False
    def __len__(self): return len(self.items)
    def __iter__(self): return iter(self.items)
    def __getitem__(self, i): return self.items[i]
    def __setitem__(self, i, v): self.items[i] = v
    def __eq__(self, other): return self.items == other.items
    def __add__(self, other): return Bag()
    def __repr__(self): return "Bag()"
    def __contains__(self, item): return item in self.items
class Plain:
    pass
"#;

#[test]
fn syntax_runs_the_protocol_methods_of_a_workspace_instance() {
    let fixture = format!(
        "{BAG}//- /main.py
from bag import Bag
def u$0se(other: Bag):
    bag = Bag()
    with bag:
        n = len(bag)
        for item in bag:
            bag[0] = bag[1]
        if bag != other and 3 in bag:
            total = bag + other
        text = f\"{{bag!r}}\"
        bag += other
        return text, total, n
"
    );
    check_callees(
        &fixture,
        expect![[r#"
            bag.Bag.__init__ at main.py:3:11
            builtins.len at main.py:5:13
            bag.Bag.__enter__ at main.py:4:10 (implicit call)
            bag.Bag.__exit__ at main.py:4:10 (implicit call)
            bag.Bag.__len__ at main.py:5:17 (implicit call)
            bag.Bag.__iter__ at main.py:6:21 (implicit call)
            bag.Bag.__setitem__ at main.py:7:13 (implicit call)
            bag.Bag.__getitem__ at main.py:7:22 (implicit call)
            bag.Bag.__eq__ at main.py:8:12 (implicit call)
            bag.Bag.__contains__ at main.py:8:34 (implicit call)
            bag.Bag.__add__ at main.py:9:21, main.py:11:9 (implicit call)
            bag.Bag.__repr__ at main.py:10:19 (implicit call)
        "#]],
    );
}

/// What runs no workspace method: a class's own subscript (`Bag[int]` is
/// the metaclass's), a class without the method (object's runs), builtin
/// values, identity tests, a value of unknown type.
#[test]
fn no_implicit_call_where_no_workspace_method_runs() {
    let fixture = format!(
        "{BAG}//- /main.py
from bag import Bag, Plain
def u$0se(unknown, items: list):
    alias = Bag[int]
    p = Plain()
    same = p == Plain() or p is unknown
    with unknown:
        return len(items) + len(unknown) + len(p), f\"{{p}}\", same, alias
"
    );
    check_callees(
        &fixture,
        expect![[r#"
            bag.Plain at main.py:4:9, main.py:5:17
            builtins.len at main.py:7:16, main.py:7:29, main.py:7:44
        "#]],
    );
}

/// Builtins that iterate their argument run its `__iter__` as `for`
/// does; not `max(a, b)` (it compares), nor a local named `list`.
#[test]
fn builtins_that_iterate_their_argument_run_iter() {
    let fixture = format!(
        "{BAG}//- /main.py
from bag import Bag
def u$0se(bag: Bag, other: Bag):
    items = list(bag) + sorted(bag)
    for i, item in enumerate(bag):
        pass
    return items, max(bag, other), any(bag)
def shadowed(bag: Bag, list):
    return list(bag)
"
    );
    check_callees(
        &fixture,
        expect![[r#"
            builtins.list at main.py:3:13
            builtins.sorted at main.py:3:25
            builtins.enumerate at main.py:4:20
            builtins.max at main.py:6:19
            builtins.any at main.py:6:36
            bag.Bag.__iter__ at main.py:3:18, main.py:3:32, main.py:4:30, main.py:6:40 (implicit call)
            bag.Bag.__len__ at main.py:3:18, main.py:3:32 (implicit call)
        "#]],
    );
    check_callees(&fixture.replacen("def u$0se", "def use", 1).replacen("def shadowed", "def sha$0dowed", 1), expect![""]);
}

/// `list(v)`, `tuple(v)` and `sorted(v)` ask `v`'s length first (CPython's
/// length hint, to allocate the result): they run its `__len__` besides
/// iterating it; `set(v)`, `enumerate(v)` and `any(v)` do not.
#[test]
fn builtins_that_collect_their_argument_run_len() {
    let fixture = format!(
        "{BAG}//- /main.py
from bag import Bag
def u$0se(bag: Bag):
    return list(bag), tuple(bag), sorted(bag)
def other(bag: Bag):
    return set(bag), enumerate(bag), any(bag)
"
    );
    let lens = |fixture: &str| {
        let (graph, file, offset) = super::tests::fixture_graph(fixture);
        let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
        let calls = describe_calls(&graph, graph.callees_with_overrides(symbol));
        calls.lines().filter(|l| l.contains("__len__")).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(lens(&fixture), "bag.Bag.__len__ at main.py:3:17, main.py:3:29, main.py:3:42 (implicit call)");
    assert_eq!(lens(&fixture.replacen("def u$0se", "def use", 1).replacen("def other", "def ot$0her", 1)), "");
}

/// An implicit call names nothing: the method's references (what a
/// rename rewrites) and its callers by name (what a change of signature
/// rewrites) leave it out; the call hierarchy's callers list it.
#[test]
fn an_implicit_call_is_no_reference_and_no_call_by_name() {
    let fixture = format!(
        "{BAG}//- /main.py
from bag import Bag
def use():
    with Bag() as bag:
        return bag.__enter__()
"
    );
    let fixture = fixture.replacen("def __enter__", "def __en$0ter__", 1);
    let (graph, file, offset) = fixture_graph(&fixture);
    let enter = graph.symbol_at(file, offset).expect("__enter__");
    let references: Vec<String> = graph.references(enter).iter().map(|l| describe_location(&graph, l)).collect();
    assert_eq!(references, ["main.py:4:20"]);
    assert_eq!(describe_calls(&graph, graph.callers(enter)), "main.use at main.py:4:20\n");
    expect![[r#"
        main.use at main.py:4:20
        main.use at main.py:3:10 (implicit call)
    "#]]
    .assert_eq(&describe_calls(&graph, graph.callers_with_overrides(enter)));
}

/// A call of what a call returns: a decorator factory's decorator, a
/// function returned by a function, a callable instance's `__call__`.
#[test]
fn calling_what_a_call_returns_runs_it() {
    check_callees(
        "//- /main.py
def route(path):
    def register(view):
        return view
    return register
class Handler:
    def __call__(self, request):
        return request
def make() -> Handler:
    return Handler()
def u$0se(request):
    @route(\"/\")
    def view():
        return 1
    return route(\"/x\")(view), make()(request), (lambda: 1)()
",
        expect![[r#"
            main.route at main.py:11:6, main.py:14:12
            main.make at main.py:14:31
            main.route.register at main.py:11:6, main.py:14:12 (implicit call)
            main.Handler.__call__ at main.py:14:31 (implicit call)
        "#]],
    );
}

/// A name spelled like a builtin but bound to something else runs no
/// protocol: an import, a module function, a parameter, a local.
#[test]
fn a_shadowed_builtin_runs_no_protocol() {
    check_callees(
        &format!(
            "{BAG}//- /mylib.py
def len(o): return 0
//- /main.py
from bag import Bag
from mylib import len
def str(o): return \"x\"
def u$0se(b: Bag, repr):
    hash = id
    return len(b), str(b), repr(b), hash(b), iter(b)
"
        ),
        expect![[r#"
            mylib.len at main.py:6:12
            main.str at main.py:6:20
            builtins.iter at main.py:6:46
            bag.Bag.__iter__ at main.py:6:51 (implicit call)
        "#]],
    );
}

/// A class with `__call__` and one without.
const CALLABLE: &str = "//- /main.py
class Adder:
    def __call__(self, x):
        return x + 1
class Plain:
    pass
";

/// Calling a name that holds a callable instance runs its `__call__`:
/// a local, a parameter annotated with the class, an attribute. Not a
/// name holding an instance of a class without one, nor a function (the
/// function itself is called there).
#[test]
fn calling_a_name_that_holds_a_callable_instance_runs_its_call() {
    check_callees(
        &format!(
            "{CALLABLE}def helper(x):
    return x
class Box:
    def __init__(self):
        self.add = Adder()
def u$0se(given: Adder, box: Box):
    add = Adder()
    plain = Plain()
    fn = helper
    return add(1), given(2), box.add(3), plain(4), fn(5)
"
        ),
        expect![[r#"
            main.Adder at main.py:12:11
            main.Plain at main.py:13:13
            main.helper at main.py:15:52
            main.Adder.__call__ at main.py:15:12, main.py:15:20, main.py:15:34 (implicit call)
        "#]],
    );
}

/// Calling a property runs the `__call__` of the instance its getter
/// returns (`with source.state(restore=True):`). Not when the instance
/// has none, nor for a method, whose call runs the method.
#[test]
fn calling_a_property_runs_its_value_s_call() {
    check_callees(
        &format!(
            "{CALLABLE}class Box:
    @property
    def add(self):
        return Adder()
    @property
    def plain(self):
        return Plain()
    def make(self):
        return Adder()
def u$0se(box: Box):
    return box.add(1), box.plain(2), box.make()
"
        ),
        expect![[r#"
            main.Box.add at main.py:16:16
            main.Box.plain at main.py:16:28
            main.Box.make at main.py:16:42
            main.Adder.__call__ at main.py:16:16 (implicit call)
        "#]],
    );
}

/// A dict display's keys and a set display's members are hashed; a
/// dict's values and a list's items are not.
#[test]
fn dict_keys_and_set_members_are_hashed() {
    check_callees(
        "//- /main.py
class Key:
    def __hash__(self):
        return 1
def u$0se(key: Key):
    return {key: 1}, {key}, {1: key}, [key]
",
        expect![[r#"
            main.Key.__hash__ at main.py:5:13, main.py:5:23 (implicit call)
        "#]],
    );
}

/// A reflected operator runs on the right-hand value when the left-hand
/// one is a builtin's (a literal) or its class has no such operator; not
/// when the left-hand class has it.
#[test]
fn a_reflected_operator_runs_when_the_left_has_none() {
    check_callees(
        "//- /main.py
class Money:
    def __radd__(self, other):
        return self
    def __rmul__(self, other):
        return self
class Vector:
    def __add__(self, other):
        return self
    def __radd__(self, other):
        return self
def u$0se(m: Money, v: Vector, w: Vector):
    return 1 + m, 2 * m, v + w, m + v, \"a\" + w
",
        expect![[r#"
            main.Money.__radd__ at main.py:12:16 (implicit call)
            main.Money.__rmul__ at main.py:12:23 (implicit call)
            main.Vector.__add__ at main.py:12:26 (implicit call)
            main.Vector.__radd__ at main.py:12:37, main.py:12:46 (implicit call)
        "#]],
    );
}

const JOBS: &str = r#"
//- /jobs.py
import heapq
from bisect import insort
class Job:
    def __init__(self, rank): self.rank = rank
    def __lt__(self, other): return self.rank < other.rank
class Later:
    def __gt__(self, other): return True
"#;

#[test]
fn the_standard_library_ordering_workspace_instances_runs_their_comparisons() {
    check_callees(
        &format!(
            "{JOBS}def sch$0edule(queue: list[Job], done: list[Later]):
    job = Job(1)
    heapq.heappush(queue, job)
    first = heapq.heappop(queue)
    insort(queue, job)
    queue.sort()
    return sorted(queue), min(job, first), max(done)
"
        ),
        expect![[r#"
            jobs.Job.__init__ at jobs.py:9:11
            heapq.heappush at jobs.py:10:11
            heapq.heappop at jobs.py:11:19
            bisect.insort at jobs.py:12:5
            builtins.list.sort at jobs.py:13:11
            builtins.sorted at jobs.py:14:12
            builtins.min at jobs.py:14:27
            builtins.max at jobs.py:14:44
            jobs.Job.__lt__ at jobs.py:10:20, jobs.py:10:27, jobs.py:11:27, jobs.py:12:12, jobs.py:12:19, jobs.py:13:5, jobs.py:14:19, jobs.py:14:31 (implicit call)
            jobs.Later.__gt__ at jobs.py:14:48 (implicit call)
        "#]],
    );
}

/// With a `key`, the keys are compared; a workspace `sort` method with
/// arguments, a `heappush` of another module and a class without the
/// comparisons run nothing.
#[test]
fn no_comparison_runs_with_a_key_or_outside_the_standard_library() {
    check_callees(
        &format!(
            "{JOBS}class Deck:
    def sort(self, by): return by
def heappush(heap, item): return heap
def sch$0edule(queue: list[Job], deck: Deck, plain: list[object]):
    job = Job(1)
    deck.sort(job)
    heappush(queue, job)
    plain.sort()
    return sorted(queue, key=id), min(job, job, key=id)
"
        ),
        expect![[r#"
            jobs.Job.__init__ at jobs.py:12:11
            jobs.Deck.sort at jobs.py:13:10
            jobs.heappush at jobs.py:14:5
            builtins.list.sort at jobs.py:15:11
            builtins.sorted at jobs.py:16:12
            builtins.min at jobs.py:16:35
        "#]],
    );
}

/// A generator's body starts where it is first iterated, not where it is
/// called; a function that returns a list (one whose comment says
/// `yield`) starts nowhere else.
#[test]
fn iterating_a_generator_runs_the_generator_function() {
    check_callees(
        r#"
//- /rules.py
class Rule:
    def _iter(self):
        def inner():
            yield 2
        yield 1
    def items(self):
        return [1]  # no yield here
    def __iter__(self):
        return self._iter()
    def co$0unt(self):
        gen = self._iter()
        n = 0
        for x in gen:
            n += 1
        for y in self:
            n += 1
        plain = self.items()
        for z in plain:
            n += 1
        return n
"#,
        expect![[r#"
            rules.Rule._iter at rules.py:11:20
            rules.Rule.items at rules.py:17:22
            rules.Rule._iter at rules.py:13:18, rules.py:15:18 (implicit call)
            rules.Rule.__iter__ at rules.py:15:18 (implicit call)
        "#]],
    );
}

const READER: &str = r#"
//- /reader.py
class Reader:
    def __init__(self, it, lines):
        self._it = self._read(it)
        self._lines = self._all(lines)
    def _read(self, it):
        yield from it
    def _all(self, lines):
        return list(lines)
    def __next__(self):
        return next(self._it)
    def first(self):
        return next(self._lines)
"#;

/// `next(self._it)` with `self._it` bound to a generator call in a method
/// starts that generator; an attribute bound to a list-returning call
/// starts nothing.
#[test]
fn next_on_an_attribute_bound_to_a_generator_runs_the_generator_function() {
    check_callees(
        &READER.replacen("def __next__", "def __ne$0xt__", 1),
        expect![[r#"
        builtins.next at reader.py:10:16
        reader.Reader._read at reader.py:10:21 (implicit call)
    "#]],
    );
    check_callees(
        &READER.replacen("def first", "def fi$0rst", 1),
        expect![[r#"
        builtins.next at reader.py:12:16
    "#]],
    );
}

/// Iterating `iter(f, sentinel)` calls `f` each time, also through
/// `functools.partial`; `iter(xs)` with one argument calls nothing.
#[test]
fn iterating_iter_with_a_sentinel_calls_the_callable() {
    check_callees(
        r#"
//- /chunks.py
from functools import partial
def take(n, it): return [next(it)]
def read(): return b""
def chu$0nked(xs, n, f):
    chunks = iter(partial(take, n, iter(xs)), [])
    for c in chunks:
        pass
    blocks = iter(read, b"")
    for b in blocks:
        pass
    plain = iter([take])
    for p in plain:
        pass
"#,
        expect![[r#"
            builtins.iter at chunks.py:5:14, chunks.py:5:36, chunks.py:8:14, chunks.py:11:13
            functools.partial at chunks.py:5:19
            chunks.take at chunks.py:6:14 (implicit call)
            chunks.read at chunks.py:9:14 (implicit call)
        "#]],
    );
}

/// Iterating what a call returns starts the generators its function
/// returns (and calls the `f` of a returned `iter(f, sentinel)`); so does
/// `next(self[k])` through `__getitem__`. A function returning a list
/// starts nothing.
#[test]
fn iterating_a_returned_generator_runs_the_generator_function() {
    check_callees(
        r#"
//- /groups.py
def take(n, it): return [next(it)]
def chunked(xs, n):
    chunks = iter(partial(take, n, iter(xs)), [])
    return chunks
def _values(k):
    yield k
def listed(k):
    return [k]
def as_list(k):
    return listed(k)
class Groups:
    def __getitem__(self, k):
        return _values(k)
    def fi$0rst(self, xs):
        for c in chunked(xs, 2):
            pass
        for v in as_list(1):
            pass
        return next(self[1])
from functools import partial
"#,
        expect![[r#"
            groups.chunked at groups.py:15:18
            groups.as_list at groups.py:17:18
            builtins.next at groups.py:19:16
            groups.take at groups.py:15:18 (implicit call)
            groups.Groups.__getitem__ at groups.py:19:21 (implicit call)
            groups._values at groups.py:19:21 (implicit call)
        "#]],
    );
}

/// `reversed(v)` runs `v`'s `__reversed__`; not for a class without one
/// (its `__len__` and `__getitem__` run, left out), nor through a local
/// named `reversed`.
#[test]
fn reversed_runs_the_reversed_method() {
    let fixture = r#"
//- /rows.py
class Rows:
    def __reversed__(self): return iter([])
    def backwards(self): return reversed(self)
class Plain:
    def __len__(self): return 0
    def __getitem__(self, i): return i
//- /main.py
from rows import Rows, Plain
def u$0se(rows: Rows, plain: Plain):
    return list(reversed(rows)), reversed(plain)
def shadowed(rows: Rows, reversed):
    return reversed(rows)
"#;
    check_callees(
        fixture,
        expect![[r#"
            builtins.list at main.py:3:12
            builtins.reversed at main.py:3:17, main.py:3:34
            rows.Rows.__reversed__ at main.py:3:26 (implicit call)
        "#]],
    );
    check_callees(&fixture.replacen("def u$0se", "def use", 1).replacen("def shadowed", "def sha$0dowed", 1), expect![""]);
}
