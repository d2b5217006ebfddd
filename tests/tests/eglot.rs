//! pyloom in a third editor, GNU Emacs with eglot (Debian's packages,
//! installed by `scripts/install-emacs.sh` on first use), driven as a user
//! would: `tests/emacs/eglot.el` opens the demo project in batch Emacs,
//! waits for diagnostics, hovers, jumps to a definition, edits, completes
//! and renames when the server advertises them, and shuts the server down.
//! Every step reports itself in the transcript, compared here whole.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use expect_test::expect;
use pyloom_e2e::{installed_tool, pyloom_bin, repo_root};

/// Copies the folder `from` to `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("creating the copy");
    for entry in fs::read_dir(from).expect("reading the fixture") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copying a fixture file");
        }
    }
}

/// The whole scenario, as a server with completion and rename answers it
/// (the steps name what the server does not advertise instead).
#[test]
fn eglot_diagnoses_hovers_navigates_syncs_and_shuts_down() {
    let dir = repo_root().join("target/tmp/eglot");
    let _ = fs::remove_dir_all(&dir);
    // A space in the path, as users' folders have.
    let project = dir.join("demo project");
    copy_dir(&repo_root().join("fixtures/demo"), &project);
    let output = Command::new(installed_tool("PYLOOM_EMACS", "install-emacs.sh"))
        .args(["--batch", "-q", "--no-site-file", "-l"])
        .arg(repo_root().join("tests/emacs/eglot.el"))
        .env("PYLOOM_BIN", pyloom_bin())
        .env("PYLOOM_PROJECT", &project)
        .env("PYLOOM_TEST_DIR", &dir)
        .env_remove("PYLOOM_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("emacs runs");
    let transcript = fs::read_to_string(dir.join("transcript")).unwrap_or_default();
    assert!(
        output.status.success(),
        "emacs exited with {}\n--- transcript\n{transcript}\n--- stderr\n{}\n--- server log\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        fs::read_to_string(dir.join("server.log")).unwrap_or_default(),
    );
    expect![[r#"
        ok eglot starts pyloom serve for a Python file of the project
        ok diagnostics reach flymake with their rule codes
        ok hover shows the graph's explanation, in plain text as eglot asks
        ok go to definition jumps across files
        ok several changes in one didChange, multi-byte text included, keep the server in sync
        ok completion after `s.` offers the module's members
        ok rename changes the definition and its uses
        ok shutdown (params null) is answered and exit follows
    "#]]
    .assert_eq(&transcript);
}
