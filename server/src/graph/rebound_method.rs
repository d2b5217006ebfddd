//! A method rebound on the instance (issue 33's break-it case 13):
//! `if as_match: self.impl = self.impl_match` in `__init__` makes some
//! instances call `impl_match` for `self.impl()`, the others the class's
//! own `impl`; both may run. Assigned in `__init__`'s own body, outside
//! any block, the attribute hides the method on every instance: only what
//! it holds runs.

use super::FileId;
use super::resolve::{Resolver, Value};
use super::summary::{BindingKind, DefinitionKind, ScopeId};

impl Resolver<'_> {
    /// What an instance's `name` holds when the class body `body` of
    /// `file` defines a method of that name and a method assigns it on
    /// the instance too (an attribute the summary keeps beside the
    /// method); `None` when the class does not do both.
    pub(super) fn rebound_method(&mut self, file: FileId, body: ScopeId, name: &str) -> Option<Value> {
        let entry = self.entry_global(file)?;
        let summary = &entry.summary;
        let (mut method, mut attribute) = (None, None);
        for b in entry.bindings_named(body, name) {
            let BindingKind::Definition(def) = summary.bindings[b as usize].kind else { continue };
            let definition = &summary.definitions[def as usize];
            match definition.kind {
                DefinitionKind::Method => {
                    method.get_or_insert(def);
                }
                // An instance attribute: its range starts at `self`.
                DefinitionKind::Variable if definition.range.start < definition.name_range.start => {
                    attribute.get_or_insert((def, definition.range.start));
                }
                _ => {}
            }
        }
        let (method, (attribute, assigned_at)) = (method?, attribute?);
        let attribute = Value::Definition(file, attribute);
        if in_init_body(entry, assigned_at) {
            return Some(attribute);
        }
        Some(Value::Union([Value::Definition(file, method), attribute].into()))
    }
}

/// Whether `offset` is in a statement of `__init__`'s own body (not in a
/// block of it): indented as little as any line of the function after its
/// `def` line (its body's statements; a signature's continuation lines
/// and a closing `)` are not less indented than they).
fn in_init_body(entry: &super::FileEntry, offset: u32) -> bool {
    let summary = &entry.summary;
    let scope = &summary.scopes[summary.scope_at(offset) as usize];
    let Some(def) = scope.definition.map(|d| &summary.definitions[d as usize]) else { return false };
    if def.name.as_str() != "__init__" {
        return false;
    }
    let text: &str = &entry.text;
    let indent = |line: &str| line.len() - line.trim_start().len();
    let line_of = |at: usize| text[text[..at].rfind('\n').map_or(0, |i| i + 1)..].lines().next().unwrap_or_default();
    let def_indent = indent(line_of(def.name_range.start as usize));
    let Some(function) = text.get(def.name_range.start as usize..scope.range.end as usize) else { return false };
    let body_indent = function
        .lines()
        .skip(1)
        .filter(|line| {
            let trimmed = line.trim_start();
            !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with(')') && indent(line) > def_indent
        })
        .map(indent)
        .min();
    body_indent == Some(indent(line_of(offset as usize)))
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
    /// instance's `impl` is the method or what the branch assigned.
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
