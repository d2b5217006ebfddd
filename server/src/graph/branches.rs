//! Conditional definitions in workspace files: of the branches of an `if`
//! on the interpreter's version or platform (`if sys.version_info >=
//! (3, 14):`, `if WIN:` with `WIN = sys.platform.startswith("win")`), the
//! resolver prefers the definitions the environment's interpreter runs, as
//! pyright does. Summaries keep every branch (a rename must see all of
//! them); undecided tests and a workspace without an environment leave
//! every branch's definition in play.

use super::summary::Platform;
use super::{FileEntry, Graph};

impl Graph {
    /// The interpreter names resolve for, when the environment is known.
    pub(super) fn interpreter(&self) -> Option<Platform> {
        self.library.as_ref().map(|library| library.platform())
    }
}

/// Whether the code at `offset` of `entry` is in a branch the interpreter
/// does not take.
pub(super) fn skipped(entry: &FileEntry, platform: Platform, offset: u32) -> bool {
    let summary = &entry.summary;
    summary.branches.iter().any(|branch| {
        branch.range.start <= offset
            && offset < branch.range.end
            && branch.tests.iter().any(|(condition, runs_when)| platform.evaluate(condition, &summary.constants).is_some_and(|v| v != *runs_when))
    })
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::graph::tests::check_definition;

    /// An environment (any stub makes the fixture's library, whose
    /// interpreter runs on this machine: not Windows, not Python 4).
    const ENVIRONMENT: &str = "//- /typeshed/sys.pyi\nplatform: str\n";

    fn with_environment(fixture: &str) -> String {
        format!("{ENVIRONMENT}{fixture}")
    }

    const VERSIONED: &str = r#"
//- /compat.py
import sys
if sys.version_info >= (4, 0):
    def load(): return 4
elif sys.platform == "win32":
    def load(): return "win"
else:
    def load(): return 3
//- /main.py
from compat import load
load$0()
"#;

    #[test]
    fn the_branch_the_interpreter_takes_defines_the_name() {
        check_definition(&with_environment(VERSIONED), expect!["Function compat.load at compat.py:7:9"]);
        // Without an environment nothing is decided: the first definition.
        check_definition(VERSIONED, expect!["Function compat.load at compat.py:3:9"]);
    }

    #[test]
    fn a_module_constant_that_tests_the_interpreter_decides_too() {
        let fixture = r#"
//- /compat.py
import sys
WIN = sys.platform.startswith("win")
PY4 = sys.version_info >= (4,) and not WIN
if WIN or PY4:
    from winreg import open_key
else:
    def open_key(): pass
def read():
    return open_key$0()
"#;
        check_definition(&with_environment(fixture), expect!["Function compat.open_key at compat.py:7:9"]);
        // A constant assigned twice is no test; nor is a name of unknown value.
        let twice = fixture.replace("PY4 = sys.version_info >= (4,) and not WIN", "PY4 = sys.version_info >= (4,)\nPY4 = DEBUG");
        check_definition(&with_environment(&twice), expect!["external winreg.open_key"]);
        check_definition(&with_environment(&fixture.replace("if WIN or PY4:", "if DEBUG:")), expect!["external winreg.open_key"]);
    }

    #[test]
    fn code_in_a_skipped_branch_reads_its_own_definitions() {
        let fixture = r#"
//- /compat.py
import sys
if sys.platform == "win32":
    def helper(): pass
    def run():
        return helper$0()
else:
    def helper(): pass
"#;
        check_definition(&with_environment(fixture), expect!["Function compat.helper at compat.py:3:9"]);
    }
}
