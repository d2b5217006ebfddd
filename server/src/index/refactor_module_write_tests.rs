use super::*;

fn change(path: &Path, original: &str, candidate: &str) -> FileChange {
    FileChange { path: path.to_owned(), original: original.to_owned(), candidate: candidate.to_owned() }
}

#[test]
fn a_failed_rename_puts_back_the_edits_folders_and_files_written_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let importer = dir.path().join("run.py");
    std::fs::write(&importer, "import pkg.a\n").unwrap();
    let (folder, init) = (dir.path().join("new/deep"), dir.path().join("new/deep/__init__.py"));
    let missing = dir.path().join("pkg/a.py");
    let error = write_move(
        &[change(&importer, "import pkg.a\n", "import new.deep.a\n")],
        Some(&folder),
        std::slice::from_ref(&init),
        &[(&missing, &folder.join("a.py"))],
    )
    .unwrap_err();
    assert!(error.starts_with(&format!("moving {} to ", missing.display())), "{error}");
    assert!(error.ends_with("what was written before it was put back, nothing is changed"), "{error}");
    assert_eq!(std::fs::read_to_string(&importer).unwrap(), "import pkg.a\n");
    assert!(!dir.path().join("new").exists(), "the folders made for the move are gone");
}

#[test]
fn a_move_that_succeeds_writes_everything() {
    // Must stay: every step done, nothing put back.
    let dir = tempfile::tempdir().unwrap();
    let (importer, module) = (dir.path().join("run.py"), dir.path().join("a.py"));
    std::fs::write(&importer, "import a\n").unwrap();
    std::fs::write(&module, "X = 1\n").unwrap();
    let (folder, init) = (dir.path().join("new"), dir.path().join("new/__init__.py"));
    let to = folder.join("a.py");
    write_move(&[change(&importer, "import a\n", "import new.a\n")], Some(&folder), std::slice::from_ref(&init), &[(&module, &to)]).unwrap();
    assert_eq!(std::fs::read_to_string(&importer).unwrap(), "import new.a\n");
    assert_eq!(std::fs::read_to_string(&to).unwrap(), "X = 1\n");
    assert!(init.is_file() && !module.exists());
}

#[test]
fn a_folder_moved_into_itself_is_refused_by_the_dry_run_and_the_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg/sub")).unwrap();
    for init in ["pkg/__init__.py", "pkg/sub/__init__.py"] {
        std::fs::write(dir.path().join(init), "").unwrap();
    }
    std::fs::write(dir.path().join("pkg/sub/m.py"), "def h():\n    return 1\n").unwrap();
    std::fs::write(dir.path().join("run.py"), "from pkg.sub.m import h\n").unwrap();
    let sub = dir.path().join("pkg/sub");
    for apply_it in [false, true] {
        let error = super::super::rename_module(&sub, &sub.join("inner"), Some(dir.path()), apply_it).unwrap_err();
        assert_eq!(&*error, "pkg/sub would move into pkg/sub/inner, inside itself: a folder cannot be moved into itself; move its contents instead");
    }
    assert_eq!(std::fs::read_to_string(dir.path().join("run.py")).unwrap(), "from pkg.sub.m import h\n", "nothing written");
    // Must stay: a sibling whose name starts with the folder's is no move into it.
    super::super::rename_module(&sub, &dir.path().join("pkg/sub2"), Some(dir.path()), true).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("run.py")).unwrap(), "from pkg.sub2.m import h\n");
}
