use super::*;
use crate::findings::{Applicability, Confidence, LocatedEdit, LocatedFix, LocatedRelated};

/// Issue 32, case 25: two `os.system` calls differed only in wording.
#[test]
fn text_lines_show_a_security_findings_confidence() {
    let found = |confidence| Located { code: "S605".into(), category: Category::Security, confidence, ..unreadable(Path::new("a.py"), "m".into()) };
    let text = format_text(&[found(Some(Confidence::High)), found(Some(Confidence::Low)), unreadable(Path::new("b.py"), "m".into())]);
    assert_eq!(text, "a.py:1:1: S605 [error, high] m\na.py:1:1: S605 [error, low] m\nb.py:1:1: E902 [error] m\n");
}

/// Issue 32, the second security tester's case 26: a latin-1 file
/// with a coding cookie is E902 for ruff and pyloom alike; the message
/// says that its security checks did not run either.
#[test]
fn a_file_not_in_utf8_says_nothing_in_it_was_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.py");
    std::fs::write(&file, b"# -*- coding: latin-1 -*-\nname = '\xe9'\nimport os\nos.system(input())\n").unwrap();
    let Source::Unreadable(message) = read(&file, &Settings::default()) else { panic!("a latin-1 file read as text") };
    assert_eq!(message, "file is not valid UTF-8 (byte 34): nothing in it was checked, security included");
}

#[test]
fn a_folder_is_walked_by_its_absolute_path_and_its_files_named_under_the_folder_as_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg/sub")).unwrap();
    for file in ["pkg/a.py", "pkg/sub/b.pyi", "pkg/notes.txt"] {
        std::fs::write(dir.path().join(file), "x = 1\n").unwrap();
    }
    let configs = Configs::new(dir.path(), &Default::default()).0;
    // Spelled as given, `.` and all (the absolute path drops it; paths
    // compare equal without it, their text does not).
    let named = dir.path().join("pkg/./sub/../.");
    let files = python_files(std::slice::from_ref(&named), &configs).unwrap();
    let spelled: Vec<&std::ffi::OsStr> = files.iter().map(|f| f.as_os_str()).collect();
    assert_eq!(spelled, [named.join("a.py").as_os_str(), named.join("sub/b.pyi").as_os_str()]);
}

/// The walk looks no configuration up for files that are not Python
/// files; folders and Python files are still matched: a folder ruff's
/// `extend-exclude` names is not walked into (nor a sub-project's),
/// a Python file `lint.exclude` names is left out.
#[test]
fn the_walk_still_leaves_out_what_the_exclusions_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pyproject.toml"), "[tool.ruff]\nextend-exclude = [\"gen\"]\n[tool.ruff.lint]\nexclude = [\"skip.py\"]\n").unwrap();
    std::fs::create_dir_all(dir.path().join("pkg/gen")).unwrap();
    std::fs::create_dir_all(dir.path().join("sub/own")).unwrap();
    std::fs::write(dir.path().join("sub/ruff.toml"), "extend-exclude = [\"own\"]\n").unwrap();
    for file in ["pkg/a.py", "pkg/skip.py", "pkg/gen/b.py", "pkg/notes.txt", "sub/c.py", "sub/own/d.py", "sub/own/e.txt"] {
        std::fs::write(dir.path().join(file), "x = 1\n").unwrap();
    }
    let configs = Configs::new(dir.path(), &Default::default()).0;
    let files = python_files(&[dir.path().to_owned()], &configs).unwrap();
    let found: Vec<String> = files.iter().map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
    assert_eq!(found, ["pkg/a.py", "sub/c.py"]);
}

#[test]
fn json_report_is_what_serde_prints_for_the_list() {
    let mut first = unreadable(Path::new("a b/x.py"), "cannot read file: \"quoted\"\nsecond line".to_owned());
    first.confidence = Some(Confidence::High);
    first.related.push(LocatedRelated { file: "a b/y.py".into(), cell: None, line: 3, column: 4, message: "entered here".to_owned() });
    let mut second = unreadable(Path::new("z.py"), "tab\there".to_owned());
    second.fix = Some(LocatedFix {
        message: "Fix".to_owned(),
        applicability: Applicability::Safe,
        edits: vec![LocatedEdit { cell: None, line: 1, column: 1, end_line: 2, end_column: 1, content: "x = 1\n  y".to_owned() }],
    });
    let findings = [first, second];
    assert_eq!(format_json(&findings), serde_json::to_string_pretty(&findings).unwrap() + "\n");
    assert_eq!(format_json(&findings[1..]), serde_json::to_string_pretty(&findings[1..]).unwrap() + "\n");
    assert_eq!(format_json(&[]), serde_json::to_string_pretty::<[Located]>(&[]).unwrap() + "\n");
}
