use expect_test::expect;

use crate::ide::inline_variable::tests::inlined;

fn outcomes(fixtures: &[&str]) -> Vec<String> {
    fixtures.iter().map(|f| inlined(f, true)).collect()
}

#[test]
fn a_value_read_through_workspace_code_is_not_inlined_into_two_reads() {
    let order = "import itertools\n\n_ids = itertools.count(1)\n\n\nclass Order:\n    DECORATOR\n    def next_id(self):\n        return next(_ids)\n\n\n";
    let seq = "class Seq:\n    def __getitem__(self, i):\n        return i * 2\n\n\n";
    let shown = outcomes(&[
        &format!("{}def pair(o):\n    i$0 = o.next_id\n    return (i, i)\n", order.replace("DECORATOR", "@property")),
        &format!("{seq}def pair(s):\n    v$0 = s[3]\n    return v + v\n"),
        // Twins: a cached property computes once; one read runs it once;
        // an item read where no workspace class defines `__getitem__`.
        &format!("{}def pair(o):\n    i$0 = o.next_id\n    return (i, i)\n", order.replace("DECORATOR", "@functools.cached_property")),
        &format!("{}def one(o):\n    i$0 = o.next_id\n    return i\n", order.replace("DECORATOR", "@property")),
        "def pair(s):\n    v$0 = s[3]\n    return v + v\n",
    ]);
    expect![[r#"
        [
            "refused: `i` is read 2 times, and `o.next_id` reads `.next_id`, which may run code (a property or descriptor at m.py:8): it would run 2 times instead of once\n",
            "refused: `v` is read 2 times, and `s[3]` reads an item, which may run code (a `__getitem__` at m.py:2): it would run 2 times instead of once\n",
            "Inline `i` (2 reads)\nimport itertools\n\n_ids = itertools.count(1)\n\n\nclass Order:\n    @functools.cached_property\n    def next_id(self):\n        return next(_ids)\n\n\ndef pair(o):\n    return (o.next_id, o.next_id)\n",
            "Inline `i` (1 read)\nimport itertools\n\n_ids = itertools.count(1)\n\n\nclass Order:\n    @property\n    def next_id(self):\n        return next(_ids)\n\n\ndef one(o):\n    return o.next_id\n",
            "Inline `v` (2 reads)\ndef pair(s):\n    return s[3] + s[3]\n",
        ]
    "#]].assert_debug_eq(&shown);
}
