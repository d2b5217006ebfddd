//! Renames that depend on which scope Python binds or reads a name in:
//! comprehensions (their first iterable is read in the enclosing scope; an
//! assignment expression inside binds outside them), each with a twin that
//! must stay untouched or refused.

use expect_test::expect;

use super::tests::check_rename;

#[test]
fn a_walrus_in_a_comprehension_is_renamed_with_the_reads_of_the_enclosing_function() {
    // PEP 572: `last` is the function's; must not: the loop variable `d`
    // stays the comprehension's (another function's `last` is untouched).
    let fixture = "//- /m.py\ndef scan(data):\n    found = [last := d * 2 for d in data if d > 0]\n    return found, last\n\ndef anyneg(data):\n    if any((bad := d) < 0 for d in data):\n        return f\"neg {bad}\"\n\ndef other():\n    last = 0\n    return last\n";
    for fixture in [fixture.replace("[last :=", "[la$0st :="), fixture.replace("found, last", "found, la$0st")] {
        check_rename(
            &fixture,
            "final",
            expect![[r#"
                //- /m.py
                def scan(data):
                    found = [final := d * 2 for d in data if d > 0]
                    return found, final

                def anyneg(data):
                    if any((bad := d) < 0 for d in data):
                        return f"neg {bad}"

                def other():
                    last = 0
                    return last
            "#]],
        );
    }
    check_rename(
        &fixture.replace("(bad := d)", "(b$0ad := d)"),
        "negative",
        expect![[r#"
            //- /m.py
            def scan(data):
                found = [last := d * 2 for d in data if d > 0]
                return found, last

            def anyneg(data):
                if any((negative := d) < 0 for d in data):
                    return f"neg {negative}"

            def other():
                last = 0
                return last
        "#]],
    );
}

#[test]
fn a_comprehension_loop_variable_stays_in_the_comprehension() {
    // Must not: renaming the loop variable `d` to `data` is exact (the
    // first iterable `data` is read outside the comprehension), and the
    // function's own `d` is another variable.
    check_rename(
        "//- /m.py\ndef f(data):\n    d = 1\n    return [d$0 * 2 for d in data], d\n",
        "data",
        expect![[r#"
            //- /m.py
            def f(data):
                d = 1
                return [data * 2 for data in data], d
        "#]],
    );
    // Must not: a later iterable is read inside the comprehension.
    check_rename(
        "//- /m.py\ndef f(data, rows):\n    return [r for d$0 in data for r in rows]\n",
        "rows",
        expect!["refused: renaming to `rows` would change what `rows` at m.py:2 refers to"],
    );
}

#[test]
fn a_class_attribute_read_by_a_comprehension_s_first_iterable_is_renamed() {
    // The first iterable runs in the class body; must not: the element
    // `n` runs in the comprehension, which does not see class names, so
    // it stays the module's.
    check_rename(
        "//- /m.py\nn = 100\n\nclass K:\n    si$0ze = 3\n    a = [i for i in range(size)]\n    b = [n for i in range(2)]\n",
        "n",
        expect![[r#"
            //- /m.py
            n = 100

            class K:
                n = 3
                a = [i for i in range(n)]
                b = [n for i in range(2)]
        "#]],
    );
    // The reverse: the module's `n` renamed to `size` is exact too (the
    // element does not see the class's `size`).
    check_rename(
        "//- /m.py\nn$0 = 100\n\nclass K:\n    size = 3\n    a = [i for i in range(size)]\n    b = [n for i in range(2)]\n",
        "size",
        expect![[r#"
            //- /m.py
            size = 100

            class K:
                size = 3
                a = [i for i in range(size)]
                b = [size for i in range(2)]
        "#]],
    );
}

#[test]
fn a_later_star_import_that_may_bind_the_new_name_refuses() {
    // `from .local import *` at the end of a settings module: `local` sets
    // `CACHE_TTL`, which would replace the renamed `TIMEOUT`.
    let fixture = "//- /conf/__init__.py\n//- /conf/local.py\nCACHE_TTL = 5\n//- /conf/settings.py\nTIME$0OUT = 30\n\nfrom .local import *\n//- /main.py\nfrom conf.settings import TIMEOUT\nprint(TIMEOUT)\n";
    check_rename(
        fixture,
        "CACHE_TTL",
        expect![
            "refused: `from .local import *` at conf/settings.py:3 runs after `TIMEOUT` is bound and may bind `CACHE_TTL` again, which would replace the renamed one; rename refused"
        ],
    );
    // Must not: a name `local` does not set is renamed.
    check_rename(
        fixture,
        "LIMIT",
        expect![[r#"
            //- /conf/settings.py
            LIMIT = 30

            from .local import *
            //- /main.py
            from conf.settings import LIMIT
            print(LIMIT)
        "#]],
    );
    // A module the graph does not hold may bind any name.
    check_rename(
        "//- /m.py\nv$0al = 16\nfrom math import *\nprint(val)\n",
        "tau",
        expect![
            "refused: `from math import *` at m.py:2 runs after `val` is bound and may bind `tau` again, which would replace the renamed one; rename refused"
        ],
    );
    // Must not: a star import before the binding is replaced by it.
    check_rename(
        "//- /lib.py\ntau = 6.28\n//- /m.py\nfrom lib import *\nv$0al = 16\nprint(val)\n",
        "size",
        expect![[r#"
            //- /m.py
            from lib import *
            size = 16
            print(size)
        "#]],
    );
}

#[test]
fn a_star_importer_that_binds_the_new_name_refuses() {
    // `main.py` is not edited: its star import would now bind the renamed
    // function over its own `total`.
    let fixture = "//- /mod.py\ndef hel$0per():\n    return 'h'\n//- /main.py\ntotal = 5\nfrom mod import *\nprint(total)\n//- /user.py\nimport mod\nprint(mod.helper())\n";
    check_rename(
        fixture,
        "total",
        expect![
            "refused: `from mod import *` at main.py:2 would bring the renamed `total` into a module that binds a `total` of its own at main.py:1; rename refused"
        ],
    );
    // Must not: another new name is renamed; a private one is not exported.
    check_rename(
        fixture,
        "assist",
        expect![[r#"
            //- /mod.py
            def assist():
                return 'h'
            //- /user.py
            import mod
            print(mod.assist())
        "#]],
    );
}

#[test]
fn a_class_attribute_overridden_in_a_subclass_refuses() {
    let fixture = "//- /m.py\nclass Animal:\n    sound = \"...\"\n\n    def speak(self):\n        return self.sound\n\nclass Dog(Animal):\n    sound = \"woof\"\n\nclass Cat(Animal):\n    def __init__(self):\n        self.sound = \"meow\"\n\nclass Fish:\n    sound = \"\"\n";
    check_rename(
        &fixture.replace("    sound = \"...\"", "    so$0und = \"...\""),
        "noise",
        expect![
            "refused: `m.Dog.sound` at m.py:8 overrides or is overridden by `m.Animal.sound`: renaming one attribute of a class hierarchy would change what `self.sound` finds in the others; rename refused"
        ],
    );
    check_rename(
        &fixture.replace("    sound = \"woof\"", "    so$0und = \"woof\""),
        "noise",
        expect![
            "refused: `m.Animal.sound` at m.py:2 overrides or is overridden by `m.Dog.sound`: renaming one attribute of a class hierarchy would change what `self.sound` finds in the others; rename refused"
        ],
    );
    // The subclass's `self.sound` shadows the class attribute as well.
    check_rename(
        &fixture
            .replace("class Dog(Animal):\n    sound = \"woof\"\n", "class Dog(Animal):\n    pass\n")
            .replace("    sound = \"...\"", "    so$0und = \"...\""),
        "noise",
        expect![
            "refused: `m.Cat.sound` at m.py:12 overrides or is overridden by `m.Animal.sound`: renaming one attribute of a class hierarchy would change what `self.sound` finds in the others; rename refused"
        ],
    );
    // Must not: a class outside the hierarchy is renamed alone.
    check_rename(
        &fixture.replace("    sound = \"\"", "    so$0und = \"\""),
        "noise",
        expect![[r#"
            //- /m.py
            class Animal:
                sound = "..."

                def speak(self):
                    return self.sound

            class Dog(Animal):
                sound = "woof"

            class Cat(Animal):
                def __init__(self):
                    self.sound = "meow"

            class Fish:
                noise = ""
        "#]],
    );
}

#[test]
fn code_strings_in_a_star_importer_that_is_not_edited_refuse() {
    // `other.py` reads `LEVEL` only through `eval`, after `from conf import *`.
    let fixture = "//- /conf.py\n__all__ = [\"LEVEL\"]\nLEV$0EL = 1\n//- /other.py\nfrom conf import *\n\ndef show():\n    print(eval(\"LEVEL * 10\"))\n";
    check_rename(
        fixture,
        "DEPTH",
        expect!["refused: a string of code (for `eval` or `exec`) at other.py:4 names `LEVEL` in a string that rename cannot follow; rename refused"],
    );
    // Must not: a module that does not import `conf` keeps its own strings.
    check_rename(
        &fixture.replace("from conf import *", "LEVEL = 2"),
        "DEPTH",
        expect![[r#"
            //- /conf.py
            __all__ = ["DEPTH"]
            DEPTH = 1
        "#]],
    );
}

#[test]
fn a_keyword_argument_at_a_call_renames_its_parameter() {
    let fixture = "//- /m.py\ndef area(width, height=1):\n    return width * height\n\nclass Box:\n    def __init__(self, width):\n        self.w = width\n\nprint(area(width=2, height=3), Box(width=1))\n";
    check_rename(
        &fixture.replace("area(width=2", "area(wi$0dth=2"),
        "w",
        expect![[r#"
            //- /m.py
            def area(w, height=1):
                return w * height

            class Box:
                def __init__(self, width):
                    self.w = width

            print(area(w=2, height=3), Box(width=1))
        "#]],
    );
    check_rename(
        &fixture.replace("Box(width=1", "Box(wi$0dth=1"),
        "w",
        expect![[r#"
        //- /m.py
        def area(width, height=1):
            return width * height

        class Box:
            def __init__(self, w):
                self.w = w

        print(area(width=2, height=3), Box(w=1))
    "#]],
    );
    // Must not: a keyword of a call the graph cannot resolve stays unresolved.
    check_rename("//- /m.py\nprint(unknown(wi$0dth=2))\n", "w", expect!["refused: `width` does not resolve to a definition the workspace can see"]);
}

#[test]
fn an_import_alias_of_an_external_module_is_refused_as_an_alias() {
    check_rename(
        "//- /m.py\nimport os.path as o$0sp\nprint(osp.sep)\n",
        "ospath",
        expect!["refused: `osp` is an import alias of `os.path`: rename the alias where it is bound, or `os.path` where it is defined"],
    );
    // Must not: the external name itself keeps its own reason.
    check_rename(
        "//- /m.py\nimport os.path as osp\nprint(os$0p.se$0p)\n".replacen("$0", "", 1).as_str(),
        "s",
        expect!["refused: `os.path.sep` is defined outside the workspace"],
    );
}

#[test]
fn an_annotation_naming_a_class_passes_nothing_on() {
    // `m: Movie` types `m`: the refusal gives the subscript's real reason,
    // not "passed on as a value" at the annotation.
    let fixture = "//- /m.py\nfrom typing import TypedDict\n\nclass Movie(TypedDict):\n    ti$0tle: str\n\ndef show(m: Movie) -> str:\n    return m['title']\n\nm = Movie(title='Alien')\n";
    check_rename(
        fixture,
        "name",
        expect!["refused: `title` is a key of the TypedDict `m.Movie`, spelled as a string at m.py:7, which rename cannot tie to it; rename refused"],
    );
    // Must not: a field no string spells is renamed with its keywords.
    check_rename(
        &fixture.replace("m['title']", "m.get"),
        "name",
        expect![[r#"
        //- /m.py
        from typing import TypedDict

        class Movie(TypedDict):
            name: str

        def show(m: Movie) -> str:
            return m.get

        m = Movie(name='Alien')
    "#]],
    );
    // A value bound to a name whose calls the graph follows goes along.
    check_rename(
        &fixture.replace("m['title']", "m.get").replace("m = Movie(title='Alien')", "make = Movie\nm = make(title='Alien')"),
        "name",
        expect![[r#"
        //- /m.py
        from typing import TypedDict

        class Movie(TypedDict):
            name: str

        def show(m: Movie) -> str:
            return m.get

        make = Movie
        m = make(name='Alien')
    "#]],
    );
}

#[test]
fn a_dataclass_field_whose_class_is_only_annotated_elsewhere_is_renamed() {
    // `p: Point` passes nothing on: the unrelated string "y" cannot reach
    // the constructor through it (was refused, "passed on as a value" at the annotation).
    let fixture = "//- /m.py\nfrom dataclasses import dataclass\n\n@dataclass\nclass Point:\n    x$0: int\n\ndef norm(p: Point) -> int:\n    return p.x\n\nlabel = \"y\"\nprint(norm(Point(x=1)), label)\n";
    check_rename(
        fixture,
        "left",
        expect![[r#"
        //- /m.py
        from dataclasses import dataclass

        @dataclass
        class Point:
            left: int

        def norm(p: Point) -> int:
            return p.left

        label = "y"
        print(norm(Point(left=1)), label)
    "#]],
    );
    // Must not: the class passed on as a value still refuses.
    check_rename(
        &fixture.replace("label = \"y\"", "label = \"x\"").replace("print(norm(Point(x=1)), label)", "make = Point\nprint(make(x=1))"),
        "left",
        expect![
            "refused: `Point` is passed on as a value at m.py:11, and `x` at m.py:10 may reach it through that value, where the rename cannot follow; rename refused"
        ],
    );
}

#[test]
fn a_store_after_global_or_nonlocal_renames_its_binding() {
    check_rename(
        "//- /m.py\ndef outer():\n    count = 0\n    def bump():\n        nonlocal count\n        count$0 += 1\n    return bump\n",
        "total",
        expect![[r#"
            //- /m.py
            def outer():
                total = 0
                def bump():
                    nonlocal total
                    total += 1
                return bump
        "#]],
    );
    // From a store after `global` (renamed from the module's binding, the
    // same global) as from a read, every place is renamed.
    for cursor in ["count$0 += 1\n    return count\n", "count += 1\n    return count$0\n"] {
        check_rename(
            &format!("//- /m.py\ncount = 0\ndef bump():\n    global count\n    {cursor}"),
            "total",
            expect![[r#"
                //- /m.py
                total = 0
                def bump():
                    global total
                    total += 1
                    return total
            "#]],
        );
    }
}
