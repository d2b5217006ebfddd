//! Fixture tests for pyloom's findings that are the same as one of ruff's
//! on the same call: silencing ruff's (`# noqa: S605`, `ignore`,
//! `per-file-ignores`) silences pyloom's too; silencing another rule, or
//! a call ruff would not report, leaves pyloom's.

use expect_test::{Expect, expect};

use crate::findings::flow::tests::check_with;
use crate::settings::LintSettings;

const APP: &str = "import asyncio, os, pickle, subprocess\nfrom flask import request\n\ndef run():\n    c = request.args['c']\n";

fn check_silenced(calls: &str, lint: LintSettings, expect: Expect) {
    check_with(&format!("{APP}{calls}"), lint, expect);
}

#[test]
fn noqa_of_ruffs_code_silences_the_same_finding_of_pyloom() {
    check_silenced(
        "    os.system(c)  # noqa: S605\n    subprocess.run(c, shell=True)  # noqa: S602\n    pickle.loads(c)  # noqa: S301\n",
        LintSettings::default(),
        expect![""],
    );
}

#[test]
fn noqa_of_a_code_ruff_would_not_report_there_leaves_pyloom_finding() {
    // No rule of ruff's reports `create_subprocess_shell`: pyloom's finding is its own.
    check_silenced(
        "    asyncio.create_subprocess_shell(c)  # noqa: S605\n    os.system(c)  # noqa: S602\n",
        LintSettings::default(),
        expect![[r#"
            6:5 LOOM621 Error Command built from `request.args` reaches `asyncio.create_subprocess_shell`; pass an argument list and validate it [confidence High]
              entered 5:9 `request.args` enters here
            7:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 5:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn ignored_rule_silences_the_same_finding_of_pyloom() {
    let lint = LintSettings { ignore: Some(vec!["S605".into(), "S602".into()]), ..LintSettings::default() };
    check_silenced("    os.system(c)\n    subprocess.run(c, shell=True)\n", lint, expect![""]);
}

#[test]
fn ignored_rule_leaves_calls_it_would_not_report() {
    let lint = LintSettings { ignore: Some(vec!["S605".into(), "S602".into()]), ..LintSettings::default() };
    check_silenced(
        "    asyncio.create_subprocess_shell(c)\n    subprocess.call(['ls', c])\n",
        lint,
        expect![[r#"
        6:5 LOOM621 Error Command built from `request.args` reaches `asyncio.create_subprocess_shell`; pass an argument list and validate it [confidence High]
          entered 5:9 `request.args` enters here
        7:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence High]
          entered 5:9 `request.args` enters here
    "#]],
    );
}

#[test]
fn per_file_ignore_silences_the_same_finding_of_pyloom() {
    let ignores = [("snippet.py".to_owned(), vec!["S605".to_owned()])].into_iter().collect();
    let lint = LintSettings { per_file_ignores: Some(ignores), ..LintSettings::default() };
    check_silenced("    os.system(c)\n", lint, expect![""]);
}

#[test]
fn rule_the_selection_leaves_out_is_not_silenced() {
    // Not selecting `S` says nothing of pyloom's checks, which stay on.
    let lint = LintSettings { select: Some(vec!["E".into()]), extend_select: vec![], ..LintSettings::default() };
    check_silenced(
        "    os.system(c)\n",
        lint,
        expect![[r#"
        6:5 LOOM621 Error Command built from `request.args` reaches `os.system`; pass an argument list and validate it [confidence High]
          entered 5:9 `request.args` enters here
    "#]],
    );
}

/// ruff reports S506 on the `Loader=` line of a call over several lines,
/// pyloom LOOM506 on its first: the same call, so one finding, silenced
/// by the noqa that silences ruff's.
#[test]
fn noqa_on_another_line_of_the_call_silences_the_same_finding_of_pyloom() {
    let load = |noqa: &str| format!("import yaml\n\ndef load(d):\n    return yaml.load(\n        d,\n        Loader=yaml.Loader,{noqa}\n    )\n");
    check_with(&load("  # noqa: S506"), LintSettings::default(), expect![""]);
    // Must stay: without the noqa, one finding (ruff's) for the call.
    check_with(
        &load(""),
        LintSettings::default(),
        expect![[r#"
            6:16 S506 Warning Probable use of unsafe loader `Loader` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Medium] [fix Unsafe: Use `yaml.safe_load`]
        "#]],
    );
}

#[test]
fn noqa_of_ruffs_code_silences_pyloom_finding_in_a_file_with_a_syntax_error() {
    // ruff runs no rule on the file; `# noqa: S605` still speaks for the
    // call, `# noqa: S301` does not.
    check_silenced(
        "    os.system(c)  # noqa: S605\n    os.system(c)  # noqa: S301\n\ndef broken(:\n    pass\n",
        LintSettings::default(),
        expect![[r#"
            7:5 LOOM621 Error Command built from `request.args` reaches `os.system`; pass an argument list and validate it [confidence High]
              entered 5:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn file_exemption_of_ruffs_code_silences_the_same_finding_of_pyloom() {
    // The file's own findings of ruff's are read instead of asking ruff
    // again only where no comment can silence: this one does, for the
    // whole file.
    check_with(&format!("# ruff: noqa: S605\n{APP}    os.system(c)\n"), LintSettings::default(), expect![""]);
}

#[test]
fn suppression_comment_of_ruffs_code_silences_the_same_finding_of_pyloom() {
    check_with(&format!("{APP}    # ruff: disable[S605]\n    os.system(c)\n    # ruff: enable[S605]\n"), LintSettings::default(), expect![""]);
}

#[test]
fn nothing_silenced_reports_a_call_ruff_reports_too_once() {
    // Twin: nothing silences ruff's finding (its rules are read from its
    // one run over the file, not a second): it is shown, and once.
    check_with(
        "import yaml\n\ndef load(data):\n    return yaml.load(data, Loader=yaml.UnsafeLoader)\n",
        LintSettings { confidence: crate::findings::Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            4:35 S506 Warning Probable use of unsafe loader `UnsafeLoader` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Medium] [fix Unsafe: Use `yaml.safe_load`]
        "#]],
    );
}
