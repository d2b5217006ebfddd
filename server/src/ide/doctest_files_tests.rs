use expect_test::{Expect, expect};

use super::*;

/// The `--doctest-glob` patterns a configuration file gives.
fn check(name: &str, text: &str, expected: Expect) {
    let addopts = if name == "pyproject.toml" { toml_addopts(text) } else { ini_addopts(text, if name == "setup.cfg" { "tool:pytest" } else { "pytest" }) };
    expected.assert_debug_eq(&doctest_globs(&addopts));
}

#[test]
fn the_doctest_globs_of_each_configuration_file_are_read() {
    check(
        "pyproject.toml",
        "[tool.pytest.ini_options]\naddopts = \"--doctest-glob=*.md -q\"\n",
        expect![[r#"
        [
            "*.md",
        ]
    "#]],
    );
    check(
        "pyproject.toml",
        "[tool.pytest]\naddopts = [\"--doctest-glob\", \"docs/*.rst\"]\n",
        expect![[r#"
        [
            "docs/*.rst",
        ]
    "#]],
    );
    check(
        "pytest.ini",
        "[pytest]\naddopts =\n    -q\n    --doctest-glob='*.txt'\ntestpaths = tests\n",
        expect![[r#"
        [
            "*.txt",
        ]
    "#]],
    );
    check(
        "setup.cfg",
        "[metadata]\naddopts = --doctest-glob=*.no\n\n[tool:pytest]\naddopts = --doctest-glob *.md\n",
        expect![[r#"
        [
            "*.md",
        ]
    "#]],
    );
    // Must not: another tool's section, or another option.
    check(
        "tox.ini",
        "[testenv]\naddopts = --doctest-glob=*.md\n\n[pytest]\naddopts = --doctest-modules\n",
        expect![[r#"
        []
    "#]],
    );
}

#[test]
fn a_glob_without_a_slash_matches_the_file_name_and_pytests_default_is_test_txt() {
    let dir = tempfile::tempdir().unwrap();
    let globs_of = |config: &str| {
        std::fs::write(dir.path().join("pytest.ini"), config).unwrap();
        let globs = globs(dir.path()).unwrap();
        ["docs/usage.md", "README.md", "docs/api/usage.rst", "tests/test_a.txt", "notes.txt"]
            .into_iter()
            .filter(|p| matches(&globs, Path::new(p)))
            .collect::<Vec<_>>()
    };
    assert_eq!(globs_of("[pytest]\naddopts = --doctest-glob=*.md --doctest-glob=docs/api/*.rst\n"), ["docs/usage.md", "README.md", "docs/api/usage.rst"]);
    assert_eq!(globs_of("[pytest]\naddopts = -q\n"), ["tests/test_a.txt"]);
}

#[test]
fn a_hidden_pytest_ini_is_read_as_pytest_ini_is() {
    // semver 3.1.2: `--doctest-glob='*.rst'` on a line of its own in `.pytest.ini`.
    let dir = tempfile::tempdir().unwrap();
    let config = "[pytest]\ntestpaths = tests docs\naddopts =\n    --import-mode=importlib\n    --doctest-glob='*.rst'\n    --doctest-modules\n";
    std::fs::write(dir.path().join(".pytest.ini"), config).unwrap();
    let globs = globs(dir.path()).unwrap();
    assert!(matches(&globs, Path::new("docs/usage/prereleases.rst")));
    // Must not: pytest's default is replaced, not kept beside.
    assert!(!matches(&globs, Path::new("tests/test_a.txt")));
}
