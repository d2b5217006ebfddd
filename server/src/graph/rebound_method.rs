//! A method rebound on the instance (issue 33's break-it case 13):
//! `if as_match: self.impl = self.impl_match` in `__init__` makes some
//! instances call `impl_match` for `self.impl()`, the others the class's
//! own `impl`; both may run. Assigned in `__init__`'s own body, outside
//! any block, the attribute hides the method on every instance: only what
//! it holds runs.

use super::FileId;
use super::resolve::{Resolver, Value};
use super::summary::{BindingKind, Block, DefinitionKind, FileSummary, ScopeId};

impl Resolver<'_> {
    /// What an instance's `name` holds when the class body `body` of
    /// `file` defines a method of that name and a method assigns it on
    /// the instance too (an attribute the summary keeps beside the
    /// method); `None` when the class does not do both.
    pub(super) fn rebound_method(&mut self, file: FileId, body: ScopeId, name: &str) -> Option<Value> {
        let entry = self.entry_global(file)?;
        let summary = &*entry.summary;
        let (mut method, mut attribute) = (None, None);
        for b in entry.bindings_named(body, name) {
            let binding = &summary.bindings[b as usize];
            let BindingKind::Definition(def) = binding.kind else { continue };
            let definition = &summary.definitions[def as usize];
            match definition.kind {
                DefinitionKind::Method => {
                    method.get_or_insert(def);
                }
                // An instance attribute: its range starts at `self`.
                DefinitionKind::Variable if definition.range.start < definition.name_range.start => {
                    attribute.get_or_insert((def, definition.range.start, summary.block_of(binding)));
                }
                _ => {}
            }
        }
        let (method, (attribute, assigned_at, block)) = (method?, attribute?);
        let attribute = Value::Definition(file, attribute);
        if block == Block::STRAIGHT && in_init(summary, assigned_at) {
            return Some(attribute);
        }
        Some(Value::Union([Value::Definition(file, method), attribute].into()))
    }
}

/// Whether `offset` is in `__init__`'s own scope (not in a function
/// nested in it).
fn in_init(summary: &FileSummary, offset: u32) -> bool {
    let scope = &summary.scopes[summary.scope_at(offset) as usize];
    scope.definition.is_some_and(|d| summary.definitions[d as usize].name.as_str() == "__init__")
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::graph::tests::calls_both_ways;

    /// What the function named by the cursor calls.
    fn check_callees(fixture: &str, outgoing: Expect) {
        outgoing.assert_eq(&calls_both_ways(fixture, false).0);
    }

    /// The fixture with the cursor on its last `go` (`Late.go`).
    fn last_go(fixture: &str) -> String {
        let at = fixture.rfind("def go").expect("a go");
        format!("{}def g$0o{}", &fixture[..at], &fixture[at + "def go".len()..])
    }

    const REBOUND: &str = r#"
//- /m.py
class Early:
    def __init__(self, as_match: bool):
        if as_match:
            self.impl = self.impl_match
    def impl(self): return 1
    def impl_match(self): return 2
    def go(self):
        return self.impl()
class Late:
    def impl(self): return 1
    def __init__(
        self,
        as_match: bool,
    ):
        super().__init__()
        if as_match:
            self.impl = self.impl_match
    def impl_match(self): return 2
    def go(self):
        return self.impl()
"#;

    /// Rebound in a branch of `__init__`, before or after the method: the
    /// instance's `impl` is the method or what the branch assigned; in a
    /// one-line `if` too (`if as_match: self.impl = ...`: in a block,
    /// though its line is indented as the body's).
    #[test]
    fn a_method_rebound_in_a_branch_stays_callable() {
        check_callees(
            &REBOUND.replacen("def go", "def g$0o", 1),
            expect![[r#"
                m.Early.impl at m.py:8:21
                m.Early.impl_match at m.py:8:21
            "#]],
        );
        check_callees(
            &last_go(REBOUND),
            expect![[r#"
                m.Late.impl at m.py:20:21
                m.Late.impl_match at m.py:20:21
            "#]],
        );
        let one_line = REBOUND.replace("        if as_match:\n            self.impl = self.impl_match", "        if as_match: self.impl = self.impl_match");
        check_callees(
            &one_line.replacen("def go", "def g$0o", 1),
            expect![[r#"
                m.Early.impl at m.py:7:21
                m.Early.impl_match at m.py:7:21
            "#]],
        );
    }

    /// Must not: assigned in `__init__`'s own body (after a multi-line
    /// signature), the attribute hides the method on every instance.
    #[test]
    fn a_method_rebound_unconditionally_in_init_is_hidden() {
        let always = REBOUND.replace("        if as_match:\n            self.impl = self.impl_match", "        self.impl = self.impl_match");
        check_callees(
            &always.replacen("def go", "def g$0o", 1),
            expect![[r#"
                m.Early.impl_match at m.py:7:21
            "#]],
        );
        check_callees(
            &last_go(&always),
            expect![[r#"
                m.Late.impl_match at m.py:18:21
            "#]],
        );
    }
}
