//! Every binding of a renamed variable goes with it (rebindings,
//! augmented and tuple targets, `global`/`nonlocal` declarations and the
//! uses in their functions, lambda defaults, a dataclass field's keyword
//! arguments), each with a twin that must stay untouched; and what rename
//! cannot follow (code in strings, IPython escapes) is refused.

use expect_test::expect;

use super::tests::check_rename;

#[test]
fn a_rebinding_that_reads_the_old_value_is_renamed() {
    // Must not: a function's own `df` stays.
    check_rename(
        "//- /m.py\ndf = 1\ndf = df + 1\nprint(df$0)\n\ndef f():\n    df = 2\n    return df\n",
        "frame",
        expect![[r#"
            //- /m.py
            frame = 1
            frame = frame + 1
            print(frame)

            def f():
                df = 2
                return df
        "#]],
    );
}

#[test]
fn augmented_and_tuple_targets_at_module_level_are_renamed() {
    check_rename(
        "//- /m.py\nn$0 = 0\nn += 1\na, n = n, 2\nfor n in range(3): pass\nprint(n, a)\n",
        "m",
        expect![[r#"
            //- /m.py
            m = 0
            m += 1
            a, m = m, 2
            for m in range(3): pass
            print(m, a)
        "#]],
    );
}

#[test]
fn a_global_declaration_and_its_uses_are_renamed() {
    // Must not: a function without the declaration binds a local of its own.
    check_rename(
        "//- /m.py\ncounter$0 = 0\ndef inc():\n    global counter\n    counter += 1\ndef own():\n    counter = 5\n    return counter\ninc(); print(counter)\n",
        "n",
        expect![[r#"
            //- /m.py
            n = 0
            def inc():
                global n
                n += 1
            def own():
                counter = 5
                return counter
            inc(); print(n)
        "#]],
    );
}

#[test]
fn a_nonlocal_declaration_and_its_uses_are_renamed() {
    // From the inner function's side too; must not: a sibling's own `k`.
    let fixture = "//- /m.py\ndef outer():\n    k = 1\n    def inner():\n        nonlocal k\n        k += 1\n        return k\n    def other():\n        k = 7\n        return k\n    inner()\n    return k\n";
    // One snapshot from either cursor.
    let cursors = [fixture.replace("    k = 1", "    k$0 = 1"), fixture.replace("        return k\n    def", "        return k$0\n    def")];
    for fixture in cursors {
        check_rename(
            &fixture,
            "kk",
            expect![[r#"
            //- /m.py
            def outer():
                kk = 1
                def inner():
                    nonlocal kk
                    kk += 1
                    return kk
                def other():
                    k = 7
                    return k
                inner()
                return kk
        "#]],
        );
    }
}

#[test]
fn a_lambda_default_reading_the_module_variable_is_renamed() {
    // Must not: the lambda's own parameter of the same name stays.
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
fn a_dataclass_field_takes_its_keyword_arguments() {
    // Must not: another class's keyword of the same name stays.
    check_rename(
        "//- /m.py\nfrom dataclasses import dataclass\n@dataclass\nclass Pt:\n    x$0: int\n    y: int = 0\nclass Other:\n    def __init__(self, x): pass\np = Pt(x=1)\no = Other(x=2)\nprint(p.x)\n",
        "xx",
        expect![[r#"
            //- /m.py
            from dataclasses import dataclass
            @dataclass
            class Pt:
                xx: int
                y: int = 0
            class Other:
                def __init__(self, x): pass
            p = Pt(xx=1)
            o = Other(x=2)
            print(p.xx)
        "#]],
    );
}

#[test]
fn a_field_of_a_class_made_a_dataclass_by_a_workspace_decorator_or_a_transformed_base_takes_its_keywords() {
    // Tester cases 21 and 02: `return dataclass(frozen=True)(cls)` in a
    // decorator of ours; `@dataclass_transform()` on a base (PEP 681).
    let wrapped = "//- /m.py\nfrom dataclasses import dataclass\n\ndef model(cls):\n    return dataclass(frozen=True)(cls)\n\n@model\nclass Pt:\n    x$0: int\n\np = Pt(x=1)\n";
    check_rename(
        wrapped,
        "xx",
        expect![[r#"
            //- /m.py
            from dataclasses import dataclass

            def model(cls):
                return dataclass(frozen=True)(cls)

            @model
            class Pt:
                xx: int

            p = Pt(xx=1)
        "#]],
    );
    check_rename(
        "//- /m.py\nfrom typing import dataclass_transform\n\n@dataclass_transform()\nclass ModelBase:\n    def __init_subclass__(cls): pass\n\nclass Pt(ModelBase):\n    x$0: int\n\np = Pt(x=1)\n",
        "xx",
        expect![[r#"
            //- /m.py
            from typing import dataclass_transform

            @dataclass_transform()
            class ModelBase:
                def __init_subclass__(cls): pass

            class Pt(ModelBase):
                xx: int

            p = Pt(xx=1)
        "#]],
    );
    check_rename(
        "//- /m.py\nfrom typing import dataclass_transform\n\n@dataclass_transform()\nclass Meta(type):\n    pass\n\nclass Base(metaclass = Meta):\n    pass\n\nclass Pt(Base):\n    x$0: int\n\np = Pt(x=1)\n",
        "xx",
        expect![[r#"
            //- /m.py
            from typing import dataclass_transform

            @dataclass_transform()
            class Meta(type):
                pass

            class Base(metaclass = Meta):
                pass

            class Pt(Base):
                xx: int

            p = Pt(xx=1)
        "#]],
    );
    // Must not: a decorator of ours that makes no dataclass leaves the
    // keyword (it belongs to no generated `__init__`).
    check_rename(
        &wrapped.replace("dataclass(frozen=True)(cls)", "cls"),
        "xx",
        expect![[r#"
            //- /m.py
            from dataclasses import dataclass

            def model(cls):
                return cls

            @model
            class Pt:
                xx: int

            p = Pt(x=1)
        "#]],
    );
}

#[test]
fn a_field_whose_keywords_cannot_all_be_found_is_refused() {
    let base = "//- /m.py\nfrom typing import NamedTuple\nclass Pt(NamedTuple):\n    x$0: int\np = Pt(x=1)\n";
    check_rename(
        &format!("{base}q = p._replace(x=2)\n"),
        "xx",
        expect!["refused: `x=` at m.py:5 may set the field `x` of `m.Pt` on a copy, where rename cannot tell; rename refused"],
    );
    check_rename(
        &base
            .replace("from typing import NamedTuple\nclass Pt(NamedTuple):", "import dataclasses\n@dataclasses.dataclass\nclass Pt:")
            .replace("p = Pt(x=1)\n", "class Sub(Pt): pass\ns = Sub(x=1)\n"),
        "xx",
        expect!["refused: `x` is a field of `m.Pt`, whose subclass `m.Sub` takes it as a keyword of its constructor too; rename refused"],
    );
    check_rename(
        &format!("{base}opts = {{}}\nPt(**opts)\n"),
        "xx",
        expect!["refused: the call at m.py:6 passes keyword arguments as `**` a mapping, whose keys may name the parameter `x`; rename refused"],
    );
    // Must not: a plain class's attribute has no constructor keyword.
    check_rename(
        "//- /m.py\nclass Pt:\n    x$0 = 0\np = Pt(x=1)\n",
        "xx",
        expect![[r#"
            //- /m.py
            class Pt:
                xx = 0
            p = Pt(x=1)
        "#]],
    );
}

#[test]
fn a_name_in_a_string_of_code_refuses() {
    check_rename(
        "//- /m.py\nspeed$0 = 1\nprint(eval('speed + 1'))\n",
        "v",
        expect!["refused: a string of code (for `eval` or `exec`) at m.py:2 names `speed` in a string that rename cannot follow; rename refused"],
    );
    check_rename(
        "//- /m.py\ndef f():\n    speed$0 = 1\n    exec('print(speed)')\n",
        "v",
        expect!["refused: a string of code (for `eval` or `exec`) at m.py:3 names `speed` in a string that rename cannot follow; rename refused"],
    );
    // Must not: code that does not spell the name, or spells another
    // module's own `speed`.
    check_rename(
        "//- /m.py\nspeed$0 = 1\n//- /n.py\nspeed = 2\nprint(eval('speed + 1'))\n",
        "v",
        expect![[r#"
        //- /m.py
        v = 1
    "#]],
    );
    check_rename(
        "//- /m.py\nspeed$0 = 1\nprint(eval('speedy + 1'))\n",
        "v",
        expect![[r#"
        //- /m.py
        v = 1
        print(eval('speedy + 1'))
    "#]],
    );
}

#[test]
fn a_name_spelled_in_an_ipython_escape_refuses() {
    let cells = "total$0 = 10\nlimit = 3\n%time doubled = total * 2\n!echo {limit}\nprint(doubled)\n";
    check_rename(
        &format!("//- /nb.ipynb\n{cells}"),
        "grand",
        expect![
            "refused: the IPython escape at nb.ipynb:3 (a `%` magic, a `!` shell line or a string IPython runs) spells `total`, which rename cannot edit exactly; rename refused"
        ],
    );
    check_rename(
        &format!("//- /nb.ipynb\n{}", cells.replace("total$0", "total").replace("limit =", "limit$0 =")),
        "cap",
        expect![
            "refused: the IPython escape at nb.ipynb:4 (a `%` magic, a `!` shell line or a string IPython runs) spells `limit`, which rename cannot edit exactly; rename refused"
        ],
    );
    // A module's function that a notebook reaches only through an escape
    // (`helper.greet` is no name the notebook's code reads).
    check_rename(
        "//- /helper.py\ndef greet$0():\n    return 'hi'\n//- /nb.ipynb\nimport helper\n%time r = helper.greet()\n",
        "salute",
        expect![
            "refused: the IPython escape at nb.ipynb:2 (a `%` magic, a `!` shell line or a string IPython runs) spells `greet`, which rename cannot edit exactly; rename refused"
        ],
    );
    check_rename(
        "//- /helper.py\ndef greet$0():\n    return 'hi'\n//- /nb.ipynb\nimport helper\n%time r = helper.wave()\n",
        "salute",
        expect![[r#"
        //- /helper.py
        def salute():
            return 'hi'
    "#]],
    );
    // Must not: escapes that do not spell it, or another notebook's.
    check_rename(
        "//- /nb.ipynb\ntotal$0 = 10\n//- /other.ipynb\ntotal = 1\n%time total * 2\n",
        "grand",
        expect![[r#"
        //- /nb.ipynb
        grand = 10
    "#]],
    );
    check_rename(
        "//- /nb.ipynb\ntotal$0 = 10\n%matplotlib inline\n!ls\nprint(total)\n",
        "grand",
        expect![[r#"
        //- /nb.ipynb
        grand = 10
        %matplotlib inline
        !ls
        print(grand)
    "#]],
    );
}

#[test]
fn a_field_a_copy_may_set_from_a_mapping_is_refused() {
    let base = "//- /m.py\nfrom dataclasses import dataclass, replace\n@dataclass\nclass Pt:\n    x$0: int\n    y: int\n";
    check_rename(
        &format!("{base}changes = dict(x=5)\np = replace(Pt(1, 2), **changes)\n"),
        "px",
        expect![
            "refused: the copy at m.py:7 takes its changes from `**` a mapping, whose keys may set the field `x` of `m.Pt`, where rename cannot tell; rename refused"
        ],
    );
    // Must not: the changes as keywords, which rename follows.
    check_rename(
        &format!("{base}p = replace(Pt(1, 2), y=5)\n"),
        "px",
        expect![[r#"
        //- /m.py
        from dataclasses import dataclass, replace
        @dataclass
        class Pt:
            px: int
            y: int
        p = replace(Pt(1, 2), y=5)
    "#]],
    );
}

#[test]
fn every_spelling_python_normalises_to_the_name_is_renamed() {
    // `ｒａｔｅ` and `𝓻𝓪𝓽𝓮` are `rate` to Python (NFKC): each spelling is replaced whole.
    check_rename(
        "//- /m.py\ndef f():\n    ra$0te = 3\n    return ｒａｔｅ * 2 + 𝓻𝓪𝓽𝓮 + rate\n",
        "speed",
        expect![[r#"
            //- /m.py
            def f():
                speed = 3
                return speed * 2 + speed + speed
        "#]],
    );
    // From a spelling Python normalises, the same rename.
    check_rename(
        "//- /m.py\ndef f(ｙ$0):\n    return ｙ + 𝑦 + y\n",
        "nn",
        expect![[r#"
            //- /m.py
            def f(nn):
                return nn + nn + nn
        "#]],
    );
    // Must not: an import binding the name under another spelling of it
    // (`as ｙ`) is refused, with no edit.
    check_rename(
        "//- /m.py\ndef y():\n    return 1\n//- /a.py\nfrom m import y as ｙ\nprint(ｙ$0(), y())\n",
        "nn",
        expect!["refused: renaming to `nn` would change what `ｙ` at a.py:2 refers to"],
    );
    // Must not: `ráte` is another name (NFKC keeps its accent) and stays.
    check_rename(
        "//- /m.py\nrate = 3\nráte = 1\nprint(ra$0te, ráte)\n",
        "speed",
        expect![[r#"
            //- /m.py
            speed = 3
            ráte = 1
            print(speed, ráte)
        "#]],
    );
}
