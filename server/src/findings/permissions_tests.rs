//! Fixture tests for the modes [`super::permissions`] judges: `os.chmod`
//! and `Path.chmod` with the group's or others' write or execute bits, by
//! literal, `stat` constant (aliased, star-imported) or a name bound once,
//! each with a mode that stays silent.

use expect_test::expect;

use super::tests::check;

#[test]
fn modes_that_let_the_group_or_others_write_or_run_a_file() {
    check(
        "import os, pathlib, stat as S\nfrom stat import S_IXOTH as IXOTH\n\
         mode = 0x1FF\nos.chmod(name, mode)\n\
         os.chmod(name, 0o760)\n\
         os.lchmod(name, mode=IXOTH)\n\
         path = pathlib.Path(name)\npath.chmod(S.S_IXOTH)\n\
         pathlib.Path(name).chmod(mode=0o777 & ~(S.S_IWUSR | S.S_IWGRP | S.S_IWOTH))\n\
         os.chmod(name, 0o644)\npath.chmod(0o700 | S.S_IRGRP)\nos.chmod(name, other_mode)\n\
         sftp.chmod(name, 0o777)\nnotes.chmod(0o777)\n\
         changed = 0o777\nchanged = 0o600\nos.chmod(name, changed)\n",
        &["LOOM103", "S103"],
        expect![[r#"
            4:1 LOOM103 Warning `os.chmod` lets others on the machine write the file [confidence High]
            5:1 LOOM103 Warning `os.chmod` lets the group write the file [confidence High]
            6:1 LOOM103 Warning `os.lchmod` lets the group or others run the file [confidence High]
            8:1 LOOM103 Warning `chmod` lets the group or others run the file [confidence High]
            9:1 LOOM103 Warning `chmod` lets the group or others run the file [confidence High]
        "#]],
    );
}

#[test]
fn star_imported_stat_constants() {
    check(
        "import os\nfrom stat import *\nos.chmod(name, S_IXUSR | S_IXGRP | S_IXOTH)\nos.chmod(name, S_IRUSR | S_IWUSR)\n",
        &["LOOM103", "S103"],
        expect![[r#"
            3:1 LOOM103 Warning `os.chmod` lets the group or others run the file [confidence High]
        "#]],
    );
}
