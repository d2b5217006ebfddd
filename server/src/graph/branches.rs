//! Conditional definitions in workspace files: of the branches of an `if`
//! on the interpreter's version or platform (`if sys.version_info >=
//! (3, 14):`, `if WIN:` with `WIN = sys.platform.startswith("win")`), the
//! resolver prefers the definitions the environment's interpreter runs, as
//! pyright does. Summaries keep every branch (a rename must see all of
//! them); undecided tests and a workspace without an environment leave
//! every branch's definition in play.

use std::rc::Rc;

use super::resolve::Resolver;
use super::summary::{Branch, Condition, Platform};
use super::{FileEntry, FileId, Graph};

impl Graph {
    /// The interpreter names resolve for, when the environment is known.
    pub(super) fn interpreter(&self) -> Option<Platform> {
        self.library.as_ref().map(|library| library.platform())
    }
}

/// The constants that decide a file's branches: its own, and those its
/// tests import (`from ._compat import PY_3_14_PLUS`), each decided in the
/// module that defines it.
pub(super) type Constants = Rc<Vec<(String, Condition)>>;

impl Resolver<'_> {
    /// The constants of `file`'s branches (see [`Constants`]), found once.
    pub(super) fn branch_constants(&mut self, file: FileId, platform: Platform) -> Constants {
        if let Some(known) = self.constants.get(&file) {
            return known.clone();
        }
        // Branch tests and constants are the file's global part (see
        // interface.rs); a name a test reads is imported below, by name.
        let Some(entry) = self.entry_global(file) else { return Constants::default() };
        let summary = &entry.summary;
        let mut constants = summary.constants.clone();
        let mut named = Vec::new();
        for (condition, _) in summary.branches.iter().flat_map(|b| &b.tests) {
            condition.constant_names(&mut named);
        }
        named.sort_unstable();
        named.dedup();
        for name in named.into_iter().filter(|name| !summary.constants.iter().any(|(known, _)| known == name)) {
            if let Some(value) = self.imported_constant(file, name, platform) {
                constants.push((name.to_owned(), Condition::decided(value)));
            }
        }
        let constants = Rc::new(constants);
        self.constants.insert(file, constants.clone());
        constants
    }

    /// The value of a module-level `from m import NAME` (or `as name`) that
    /// is a constant test in `m`.
    fn imported_constant(&mut self, file: FileId, name: &str, platform: Platform) -> Option<bool> {
        let summary = &self.entry(file)?.summary;
        let index = summary.imports.iter().position(|i| i.scope == 0 && !i.star && i.alias.as_deref().or(i.name.as_deref()) == Some(name))?;
        let original = summary.imports[index].name?.to_string();
        let module = self.import_module(file, index as u32)?;
        let defining = self.graph.resolve_module(&module)?;
        let constants = &self.entry(defining)?.summary.constants;
        platform.evaluate(&Condition::Constant(original), constants)
    }
}

/// The branches of `entry` that hold the code at `offset`.
fn branches_at(entry: &FileEntry, offset: u32) -> impl Iterator<Item = &Branch> {
    entry.summary.branches.iter().filter(move |branch| branch.range.start <= offset && offset < branch.range.end)
}

/// Whether the code at `offset` of `entry` is in a branch (one the
/// interpreter may skip): code in none is never skipped, whatever the
/// constants, so they need not be found for it.
pub(super) fn in_branch(entry: &FileEntry, offset: u32) -> bool {
    branches_at(entry, offset).next().is_some()
}

/// Whether binding `b` of `entry` is written in a branch ([`in_branch`]).
pub(super) fn binding_in_branch(entry: &FileEntry, b: u32) -> bool {
    in_branch(entry, entry.summary.bindings[b as usize].range.start)
}

/// Whether the code at `offset` of `entry` is in a branch the interpreter
/// does not take, `constants` deciding the tests that name them.
pub(super) fn skipped(entry: &FileEntry, platform: Platform, constants: &[(String, Condition)], offset: u32) -> bool {
    branches_at(entry, offset)
        .any(|branch| branch.tests.iter().any(|(condition, runs_when)| platform.evaluate(condition, constants).is_some_and(|v| v != *runs_when)))
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

    /// A constant imported from the module that defines it decides too
    /// (`from ._compat import PY_3_14_PLUS`), under its alias as well; a
    /// name imported that is no such constant decides nothing (`DEBUG =
    /// True` is no test of the interpreter: the last definition, as for
    /// any undecided test).
    #[test]
    fn an_imported_constant_decides_in_the_module_that_defines_it() {
        let fixture = r#"
//- /compat.py
import sys
PY4 = sys.version_info >= (4,)
LEGACY = sys.version_info < (4,)
DEBUG = True
//- /main.py
from compat import PY4, LEGACY as OLD, DEBUG
if PY4:
    def load(): return 4
else:
    def load(): return 3
if not OLD:
    def save(): return 4
else:
    def save(): return 3
if DEBUG:
    def dump(): return 1
else:
    def dump(): return 2
load$0(), save(), dump()
"#;
        check_definition(&with_environment(fixture), expect!["Function main.load at main.py:5:9"]);
        check_definition(&with_environment(&fixture.replace("load$0(), save()", "load(), save$0()")), expect!["Function main.save at main.py:9:9"]);
        check_definition(
            &with_environment(&fixture.replace("save(), dump()", "save(), dump$0()").replace("load$0()", "load()")),
            expect!["Function main.dump at main.py:13:9"],
        );
    }

    /// A read outside every branch still finds the constants when one of
    /// the bindings it may pick is in a branch: the definition after the
    /// skipped one, not the first (the constants are found only for reads
    /// that may need them, see `in_branch`). Without an environment, that
    /// definition, made whenever the module runs, hides the branch's too.
    #[test]
    fn a_read_outside_the_branches_passes_a_definition_in_a_skipped_one() {
        let fixture = r#"
//- /compat.py
import sys
if sys.version_info >= (4, 0):
    def load(): return 4
def load(): return 0
def run():
    return load$0()
"#;
        check_definition(&with_environment(fixture), expect!["Function compat.load at compat.py:4:5"]);
        check_definition(fixture, expect!["Function compat.load at compat.py:4:5"]);
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
