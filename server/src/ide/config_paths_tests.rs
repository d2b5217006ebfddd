//! Issue #31 case 01: a module or a symbol named by its dotted path in a
//! config file no edit follows (Hydra's `_target_`, a JSON factory, a
//! `logging.fileConfig` handler) is not moved; the CLI and
//! `willRenameFiles` share the check ([`super::refusal`]).

use std::path::Path;

use super::{mentions, names};
use crate::ide::entry_points::Moving;
use crate::index::refactor::{Failure, move_symbol, rename_module};

const MODULE: Moving = Moving::Module { old: "pkg.a", new: "pkg.b" };
const SYMBOL: Moving = Moving::Symbol { name: "factory", old: "pkg.a", new: "pkg.b" };

#[test]
fn a_dotted_path_is_named_as_a_whole_token_of_a_value() {
    for line in ["_target_: pkg.a.factory", r#"{"factory": "pkg.a:factory"}"#, "handler = pkg.a.factory", "args: [pkg.a:factory, 1]", "  - pkg.a.factory.Sub"] {
        assert!(names(line, "pkg.a", MODULE), "{line}");
        assert!(names(line, "pkg.a.factory", SYMBOL) || names(line, "pkg.a:factory", SYMBOL), "{line}");
    }
    assert!(names("module: pkg.a", "pkg.a", MODULE));
    // Must not: another module or name whose spelling holds or extends these.
    for line in ["x: pkg.ab.factory", "x: pkg.a_b", "x: mypkg.a.factory", "x: docs/pkg.a", "x: pkg.a-b", "x: pkg.a.factory_2", "x: pkg.a.factoryX"] {
        assert!(!names(line, "pkg.a.factory", SYMBOL), "{line}");
    }
    for line in [r#"{"note": "xpkg.a"}"#, r#"{"note": "the pkg.abc module"}"#, "x: sub.pkg.a"] {
        assert!(!names(line, "pkg.a", MODULE), "{line}");
    }
}

#[test]
fn a_module_of_one_part_is_named_qualified_or_as_a_whole_value() {
    let util = Moving::Module { old: "util", new: "tools" };
    for line in ["_target_: util.factory", "x = util:main", r#"["util", "other"]"#, "app: util", "  - util"] {
        assert!(names(line, "util", util), "{line}");
    }
    // Must not: `util` as a word of prose or of a longer value.
    for line in ["help: the util module", "name: utils.f", "x: util-tool", r#""a util""#] {
        assert!(!names(line, "util", util), "{line}");
    }
}

#[test]
fn comments_are_left_out_but_in_json_which_has_none() {
    let text = "# pkg.a.factory\n; pkg.a.factory\nx: 1  # pkg.a.factory\ny: pkg.a.factory\n";
    assert_eq!(mentions(text, SYMBOL, false), [(4, "y: pkg.a.factory".to_owned())]);
    assert_eq!(mentions("{\n  \"f\": \"#pkg.a.factory\"\n}\n", SYMBOL, true), [(2, "\"f\": \"#pkg.a.factory\"".to_owned())]);
}

/// A project with `pkg/a.py` (`factory` at line 1, `other` at 5, and
/// `main.py` importing both, `a_body` appended), and `files` written.
fn project(a_body: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pyproject.toml"), "").unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    std::fs::write(root.join("pkg/a.py"), format!("def factory():\n    return 1\n\n\ndef other():\n    return 2\n{a_body}")).unwrap();
    std::fs::write(root.join("main.py"), "from pkg.a import factory, other\n\nprint(factory(), other())\n").unwrap();
    for (path, text) in files {
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), text).unwrap();
    }
    dir
}

/// How `pyloom refactor rename-module pkg/a.py pkg/b.py` and `pyloom
/// refactor move pkg/a.py:LINE pkg/b.py` end: `applied` (shown, not
/// written), or the refusal.
fn outcomes(dir: &Path, line: usize) -> [String; 2] {
    let shown = |result: Result<String, Failure>| match result {
        Ok(_) => "applied".to_owned(),
        Err(error) => error.to_string(),
    };
    let renamed = shown(rename_module(&dir.join("pkg/a.py"), &dir.join("pkg/b.py"), Some(dir), false));
    let moved = shown(move_symbol(&format!("{}/pkg/a.py:{line}", dir.display()), &dir.join("pkg/b.py"), false));
    [renamed, moved]
}

#[test]
fn a_config_value_naming_what_moves_refuses_the_move_and_nothing_is_written() {
    let configs = [
        ("conf/app.json", "{\n  \"factory\": \"pkg.a:factory\"\n}\n", 2, "\"factory\": \"pkg.a:factory\""),
        ("conf/model.yaml", "model:\n  _target_: pkg.a.factory\n", 2, "_target_: pkg.a.factory"),
        ("conf/logging.ini", "[handler_main]\nclass = pkg.a.factory\n", 2, "class = pkg.a.factory"),
        ("settings.toml", "[celery]\ntask = \"pkg.a.factory\"\n", 2, "task = \"pkg.a.factory\""),
        ("app.cfg", "[app]\nhandler = pkg.a:factory\n", 2, "handler = pkg.a:factory"),
        ("deploy/app.conf", "handler=pkg.a.factory\n", 1, "handler=pkg.a.factory"),
    ];
    for (path, text, line, written) in configs {
        let dir = project("", &[(path, text)]);
        let [renamed, moved] = outcomes(dir.path(), 1);
        let why =
            "a config value no edit of the move follows: after the move that path would no longer import; edit it by hand, then move; the move is refused";
        assert_eq!(renamed, format!("{path}:{line} names `pkg.a` in `{written}`, {why}"));
        assert_eq!(moved, format!("{path}:{line} names `pkg.a.factory` in `{written}`, {why}"));
        // Refused (exit code 1), nothing written.
        let error = rename_module(&dir.path().join("pkg/a.py"), &dir.path().join("pkg/b.py"), Some(dir.path()), true).unwrap_err();
        assert_eq!(error.exit_code(), 1);
        let error = move_symbol(&format!("{}/pkg/a.py:1", dir.path().display()), &dir.path().join("pkg/b.py"), true).unwrap_err();
        assert_eq!(error.exit_code(), 1);
        assert!(dir.path().join("pkg/a.py").is_file() && !dir.path().join("pkg/b.py").exists());
        assert!(std::fs::read_to_string(dir.path().join("main.py")).unwrap().starts_with("from pkg.a import"));
    }
}

#[test]
fn every_place_is_listed_and_a_module_is_named_by_what_is_under_it() {
    let dir = project("", &[("conf/a.yaml", "f: pkg.a.other\ng: pkg.a\n"), ("conf/b.json", "[\"pkg.a:other\"]\n")]);
    let [renamed, moved] = outcomes(dir.path(), 1);
    assert_eq!(
        renamed,
        "config files name `pkg.a` in 3 places, values no edit of the move follows: after the move that path would no longer import; edit them by hand, then move; the move is refused:\n- conf/a.yaml:1 `f: pkg.a.other`\n- conf/a.yaml:2 `g: pkg.a`\n- conf/b.json:1 `[\"pkg.a:other\"]`"
    );
    // Must stay: the symbol moved is not the one they name.
    assert_eq!(moved, "applied");
}

#[test]
fn other_modules_prose_comments_and_ignored_files_do_not_refuse() {
    let files = [
        ("conf/app.yaml", "# was pkg.a.factory\nx: pkg.ab.factory\ny: pkg.a_b.factory\n"),
        ("conf/app.json", "{\"note\": \"see mypkg.a.factory and pkg.abc\"}\n"),
        ("README.md", "Call `pkg.a.factory` or set `_target_: pkg.a.factory`.\n"),
        (".gitignore", "local.yaml\n"),
        ("local.yaml", "_target_: pkg.a.factory\n"),
        (".hidden/app.yaml", "_target_: pkg.a.factory\n"),
        ("build/app.yaml", "_target_: pkg.a.factory\n"),
    ];
    let dir = project("", &files);
    assert_eq!(outcomes(dir.path(), 1), ["applied", "applied"]);
}

#[test]
fn what_the_move_rewrites_or_keeps_importable_is_not_refused() {
    // Must still apply: `pyproject.toml`'s entry point is rewritten, as before.
    let dir = project("", &[("pyproject.toml", "[project.scripts]\napp = \"pkg.a:factory\"\n")]);
    let diff = rename_module(&dir.path().join("pkg/a.py"), &dir.path().join("pkg/b.py"), Some(dir.path()), false).unwrap();
    assert!(diff.contains("+app = \"pkg.b:factory\""), "{diff}");
    let diff = move_symbol(&format!("{}/pkg/a.py:1", dir.path().display()), &dir.path().join("pkg/b.py"), false).unwrap();
    assert!(diff.contains("+app = \"pkg.b:factory\""), "{diff}");
    // Must still apply: `pkg.a` still uses `factory`, imports it back, and the path still holds it.
    let dir = project("\n\nDEFAULT = factory()\n", &[("conf/model.yaml", "_target_: pkg.a.factory\n")]);
    let [renamed, moved] = outcomes(dir.path(), 1);
    assert!(renamed.starts_with("conf/model.yaml:1 names `pkg.a`"), "{renamed}");
    assert_eq!(moved, "applied");
}
