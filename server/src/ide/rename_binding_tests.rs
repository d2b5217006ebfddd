//! Every binding of a renamed variable goes with it (rebindings,
//! augmented and tuple targets, `global`/`nonlocal` declarations and the
//! uses in their functions, lambda defaults), each with a twin that must
//! stay untouched; and what rename cannot follow is refused.

use expect_test::expect;

use super::tests::check_rename;

#[test]
fn a_rebinding_that_reads_the_old_value_is_renamed() {
    check_rename(
        "//- /m.py\ndf = 1\ndf = df + 1\nprint(df$0)\n",
        "frame",
        expect![[r#"
        //- /m.py
        frame = 1
        frame = frame + 1
        print(frame)
    "#]],
    );
}

#[test]
fn a_global_declaration_and_its_uses_are_renamed() {
    check_rename(
        "//- /m.py\ncounter$0 = 0\ndef inc():\n    global counter\n    counter += 1\ninc(); print(counter)\n",
        "n",
        expect![[r#"
        //- /m.py
        n = 0
        def inc():
            global counter
            n += 1
        inc(); print(n)
    "#]],
    );
}

#[test]
fn a_module_level_augmented_assignment_is_renamed() {
    check_rename(
        "//- /m.py\nn$0 = 0\nn += 1\nprint(n)\n",
        "m",
        expect![[r#"
        //- /m.py
        m = 0
        m += 1
        print(m)
    "#]],
    );
}

#[test]
fn a_tuple_target_is_renamed() {
    check_rename(
        "//- /m.py\na, b = 1, 2\na, b = b, a\nprint(a$0, b)\n",
        "x",
        expect![[r#"
        //- /m.py
        x, b = 1, 2
        x, b = b, x
        print(x, b)
    "#]],
    );
}

#[test]
fn a_nonlocal_declaration_and_its_uses_are_renamed() {
    check_rename(
        "//- /m.py\ndef outer():\n    k$0 = 1\n    def inner():\n        nonlocal k\n        k += 1\n    inner()\n    return k\nprint(outer())\n",
        "kk",
        expect![[r#"
            //- /m.py
            def outer():
                kk = 1
                def inner():
                    nonlocal k
                    k += 1
                inner()
                return kk
            print(outer())
        "#]],
    );
}

#[test]
fn a_dataclass_field_takes_its_keyword_arguments() {
    check_rename(
        "//- /m.py\nfrom dataclasses import dataclass\n@dataclass\nclass Pt:\n    x$0: int\n    y: int = 0\np = Pt(x=1)\nprint(p.x)\n",
        "xx",
        expect![[r#"
            //- /m.py
            from dataclasses import dataclass
            @dataclass
            class Pt:
                xx: int
                y: int = 0
            p = Pt(x=1)
            print(p.xx)
        "#]],
    );
}

#[test]
fn a_lambda_default_reading_the_module_variable_is_renamed() {
    check_rename(
        "//- /m.py\nscale$0 = 3\nf = lambda v, scale=scale: v * scale\nprint(f(2))\n",
        "sc",
        expect![[r#"
        //- /m.py
        sc = 3
        f = lambda v, scale=sc: v * scale
        print(f(2))
    "#]],
    );
}

#[test]
fn a_name_in_a_string_of_code_refuses() {
    check_rename(
        "//- /m.py\nspeed$0 = 1\nprint(eval('speed + 1'))\n",
        "v",
        expect![[r#"
        //- /m.py
        v = 1
        print(eval('speed + 1'))
    "#]],
    );
}
