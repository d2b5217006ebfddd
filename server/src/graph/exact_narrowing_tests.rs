//! `type(x) is C` narrows `x` to exactly a `C` (issue 33's break-it case
//! 6), as pyright does: a call on it runs `C`'s method and no override of
//! a subclass of `C`. Where the test fails `x` may still be a subclass's
//! instance, so nothing is narrowed there; `isinstance` keeps the
//! subclasses' overrides.

use expect_test::{Expect, expect};

use super::tests::calls_both_ways;

/// What the function named by the cursor calls.
fn check_callees(fixture: &str, outgoing: Expect) {
    outgoing.assert_eq(&calls_both_ways(fixture, false).0);
}

const SHAPES: &str = r#"
//- /m.py
class Base:
    def m(self): return 0
class Other(Base):
    def m(self): return 1
class OtherLeaf(Other):
    def m(self): return 2
def exact(x: Base):
    if type(x) is Other:
        return x.m()
    return None
def equal(x: Base):
    if type(x) == Other:
        return x.m()
def rest(x: Base):
    if type(x) is not Other:
        return None
    return x.m()
def loose(x: Base):
    if isinstance(x, Other):
        return x.m()
def failed(x: Base):
    if type(x) is Other:
        return None
    return x.m()
"#;

#[test]
fn type_is_narrows_to_exactly_the_class() {
    for name in ["exact", "equal", "rest"] {
        let fixture = SHAPES.replacen(&format!("def {name}("), &format!("def $0{name}("), 1);
        let calls = calls_both_ways(&fixture, false).0;
        assert_eq!(
            calls.lines().map(|l| l.split(" at ").next().unwrap_or_default()).filter(|c| c.starts_with("m.")).collect::<Vec<_>>(),
            ["m.Other.m"],
            "{name}"
        );
    }
}

/// Must not: `isinstance` admits a subclass's override; a failed `type(x)
/// is C` leaves `x` what it was (a `C`'s subclass fails it too).
#[test]
fn isinstance_and_a_failed_type_test_keep_the_overrides() {
    check_callees(
        &SHAPES.replacen("def loose", "def $0loose", 1),
        expect![[r#"
            builtins.isinstance at m.py:19:8
            m.Other.m at m.py:20:18
            m.OtherLeaf.m at m.py:20:18 (via override)
        "#]],
    );
    check_callees(
        &SHAPES.replacen("def failed", "def $0failed", 1),
        expect![[r#"
            builtins.type at m.py:22:8
            m.Base.m at m.py:24:14
            m.Other.m at m.py:24:14 (via override)
            m.OtherLeaf.m at m.py:24:14 (via override)
        "#]],
    );
}
