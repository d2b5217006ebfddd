//! Names the runtime finds by their spelling refuse a rename: a pytest
//! fixture and an enum's member; their twins (a plain function, a plain
//! class's attribute, an enum's method) are renamed.

use expect_test::expect;

use super::tests::check_rename;

#[test]
fn a_pytest_fixture_is_not_renamed() {
    let fixture = "//- /tests/test_a.py\nimport pytest\n\n@pytest.fixture(scope=\"module\")\ndef cli$0ent():\n    return 1\n\ndef test_a(client):\n    assert client == 1\n";
    check_rename(
        fixture,
        "conn",
        expect!["refused: `client` at tests/test_a.py:4 is a pytest fixture, which tests request by naming a parameter after it; rename refused"],
    );
    // Must not: the same function undecorated is an ordinary function.
    check_rename(
        &fixture.replace("@pytest.fixture(scope=\"module\")\n", "").replace("def test_a(client):\n    assert client == 1\n", "print(client())\n"),
        "conn",
        expect![[r#"
            //- /tests/test_a.py
            import pytest

            def conn():
                return 1

            print(conn())
        "#]],
    );
}

#[test]
fn an_enum_member_is_not_renamed_through_a_workspace_base_too() {
    let colors = "//- /m.py\nfrom enum import Enum\n\nclass Color(Enum):\n    RED = 1\n\n    def label(self):\n        return self.name\n\nprint(Color.RE$0D, Color[\"RED\"])\n";
    check_rename(
        colors,
        "CRIMSON",
        expect![[r#"refused: `RED` at m.py:4 is a member of the enum `Color`, which code may look up by its name (`Color["RED"]`, `.name`); rename refused"#]],
    );
    let derived = colors.replace("class Color(Enum):", "class Base(Enum):\n    pass\n\nclass Color(Base):");
    let (graph, file, offset) = crate::graph::tests::fixture_graph(&derived);
    let refused = super::rename(&graph, file, offset, "CRIMSON").unwrap_err().to_string();
    assert!(refused.contains("member of the enum `Color`"), "{refused}");
    // An enum's method: its calls on members (`Color.RED.label()`) are
    // typed by the member's value, so they would be left behind.
    check_rename(
        &colors.replace("Color.RE$0D", "Color.RED.label()").replace("def label", "def lab$0el"),
        "text",
        expect![
            "refused: `label` at m.py:6 is a method of the enum `Color`, whose calls on its members (`Color.X.label()`) cannot all be found; rename refused"
        ],
    );
    // Must not: a plain class's attribute.
    check_rename(
        "//- /m.py\nclass Color:\n    RED = 1\n\nprint(Color.RE$0D)\n",
        "CRIMSON",
        expect![[r#"
            //- /m.py
            class Color:
                CRIMSON = 1

            print(Color.CRIMSON)
        "#]],
    );
}

#[test]
fn a_function_named_by_an_entry_point_is_not_renamed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    std::fs::write(root.join("pkg/cli.py"), "def main():\n    return 0\n\n\ndef helper():\n    return main()\n").unwrap();
    std::fs::write(root.join("pyproject.toml"), "[project]\nname = \"demo\"\n\n[project.scripts]\ndemo = \"pkg.cli:main\"\n").unwrap();
    let settings = crate::settings::Settings::default();
    let (graph, _) = crate::index::index(std::slice::from_ref(&root), &settings, None, &|_, _| {}).unwrap();
    let file = graph.file_id(&root.join("pkg/cli.py")).unwrap();
    let refused = super::rename(&graph, file, 4, "run").unwrap_err().to_string();
    assert_eq!(
        refused,
        "`main` at pkg/cli.py:1 is named by the project's entry points or module lists (pyproject.toml), which would keep the old name; rename refused"
    );
    // Must not: a function of the same module no entry point names.
    let helper = graph.file(file).unwrap().text().find("helper").unwrap() as u32;
    assert!(super::rename(&graph, file, helper, "assist").is_ok());
}

#[test]
fn an_entry_point_string_in_python_is_not_renamed() {
    let loaded = "//- /pkg/__init__.py\n//- /pkg/cli.py\ndef ma$0in():\n    return 0\n//- /main.py\nfrom server import run\n\nrun(\"pkg.cli:main\")\n";
    check_rename(
        loaded,
        "start",
        expect![[r#"refused: the string "pkg.cli:main" at main.py:3 names `main` in a string that rename cannot follow; rename refused"#]],
    );
    // Must not: a string naming another function of the module.
    check_rename(
        &loaded.replace("pkg.cli:main", "pkg.cli:other"),
        "start",
        expect![[r#"
            //- /pkg/cli.py
            def start():
                return 0
        "#]],
    );
}

#[test]
fn an_attribute_named_in_slots_is_not_renamed() {
    let slotted = "//- /m.py\nclass P:\n    __slots__ = (\"alpha\", \"beta\")\n\n    def __init__(self):\n        self.alp$0ha = 1\n        self.beta = 2\n\nprint(P().alpha)\n";
    check_rename(
        slotted,
        "al",
        expect![[r#"refused: `__slots__ = ("alpha", …)` at m.py:2 names `alpha` in a string that rename cannot follow; rename refused"#]],
    );
    // Must not: the same class without `__slots__`.
    check_rename(
        &slotted.replace("    __slots__ = (\"alpha\", \"beta\")\n\n", ""),
        "al",
        expect![[r#"
            //- /m.py
            class P:
                def __init__(self):
                    self.al = 1
                    self.beta = 2

            print(P().al)
        "#]],
    );
}
