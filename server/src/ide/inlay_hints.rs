//! Inlay hints: parameter names at call sites (from the signature of what
//! the graph says each call calls) and inferred variable types.

use rustc_hash::FxHashMap;
use tree_sitter::{Node, Tree};

pub use crate::settings::inlay_hints::InlayHintSettings;

use crate::graph::summary::BindingKind;
use crate::graph::{Caller, DefinitionKind, FileId, Graph, ParameterKind, Resolved, Span, SymbolId, SymbolKind, TypeSource};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintKind {
    Parameter,
    Type,
}

/// A label shown at `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub offset: u32,
    pub label: String,
    pub kind: HintKind,
}

/// The hints of `file` inside `range`; `tree` is the buffer's syntax tree.
pub fn hints(graph: &Graph, file: FileId, tree: &Tree, range: Span, settings: &InlayHintSettings) -> Vec<Hint> {
    let mut out = Vec::new();
    if settings.parameter_names {
        parameter_names(graph, file, tree, range, &mut out);
    }
    if settings.variable_types {
        variable_types(graph, file, range, &mut out);
    }
    out.sort_by_key(|h| h.offset);
    out
}

/// `: T` after each assigned name whose type the graph infers, unless the
/// code already says it: an annotation, a constructor call (`c = Cart()`)
/// or a literal.
fn variable_types(graph: &Graph, file: FileId, range: Span, out: &mut Vec<Hint>) {
    let Some(entry) = graph.file(file) else { return };
    let summary = &entry.summary;
    for binding in &summary.bindings {
        if binding.range.end < range.start || binding.range.start > range.end {
            continue;
        }
        let assigned = match binding.kind {
            BindingKind::Local => true,
            BindingKind::Definition(def) => {
                let d = &summary.definitions[def as usize];
                d.kind == DefinitionKind::Variable && d.annotation.is_none()
            }
            // A join repeats the `else` branch's binding.
            BindingKind::Import(_) | BindingKind::Parameter { .. } | BindingKind::Join => false,
        };
        if !assigned {
            continue;
        }
        let Some(inferred) = graph.inferred_type_of(file, binding.range.start) else { continue };
        if matches!(inferred.source, TypeSource::Annotation | TypeSource::Constructor | TypeSource::Literal) {
            continue;
        }
        out.push(Hint { offset: binding.range.end, label: format!(": {}", inferred.display), kind: HintKind::Type });
    }
}

fn parameter_names(graph: &Graph, file: FileId, tree: &Tree, range: Span, out: &mut Vec<Hint>) {
    let Some(entry) = graph.file(file) else { return };
    let text = entry.text().as_bytes();
    let mut callees: FxHashMap<SymbolId, Vec<Caller>> = FxHashMap::default();
    let mut resolver = graph.reference_resolver(file);
    for reference in entry.summary.references.iter().filter(|r| r.call && !r.from_super) {
        let (_, site) = reference.last_segment();
        if site.end < range.start || site.start > range.end {
            continue;
        }
        // What this call calls, as the graph linked it (`Foo()` calls
        // `Foo.__init__`, found through the MRO).
        let Some(caller) = graph.enclosing_symbol(file, site.start) else { continue };
        let calls = callees.entry(caller).or_insert_with(|| graph.callees(caller));
        let Some(callee) = calls.iter().find(|c| c.sites.iter().any(|l| l.file == file && l.span == site)).map(|c| c.symbol) else {
            continue;
        };
        let Some(symbol) = graph.symbol(callee) else { continue };
        let Some(signature) = symbol.signature else { continue };
        let decorated = |name: &str| symbol.decorators.iter().any(|d| d == name);
        let bound = match symbol.kind {
            SymbolKind::Method if decorated("staticmethod") => false,
            SymbolKind::Method if decorated("classmethod") => true,
            // `Foo(...)` binds `self` of `__init__`.
            SymbolKind::Method if entry.text().get(site.range()) != Some(symbol.name) => true,
            SymbolKind::Method => {
                // `obj.m()` binds `self`; `Class.m(obj)` does not.
                let answers = resolver.segments(reference);
                let receiver = answers.len().checked_sub(2).and_then(|i| answers[i].clone());
                let on_class = matches!(receiver, Some(Resolved::Symbol(id)) if graph.symbol(id).is_some_and(|s| s.kind == SymbolKind::Class));
                reference.segment_count() > 1 && !on_class
            }
            _ => false,
        };
        let positional = signature
            .parameters
            .iter()
            .filter(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword))
            .skip(usize::from(bound));
        let Some(arguments) = call_arguments(tree, site) else { continue };
        for (argument, parameter) in arguments.into_iter().zip(positional) {
            if matches!(argument.kind(), "keyword_argument" | "list_splat" | "dictionary_splat") {
                break;
            }
            let written = argument.utf8_text(text).unwrap_or_default();
            let obvious = written == parameter.name || written.rsplit('.').next() == Some(&parameter.name);
            if !obvious && !parameter.name.starts_with('_') {
                out.push(Hint { offset: argument.start_byte() as u32, label: format!("{}=", parameter.name), kind: HintKind::Parameter });
            }
        }
    }
}

/// The argument nodes of the call whose callee ends at `site`.
fn call_arguments(tree: &Tree, site: Span) -> Option<Vec<Node<'_>>> {
    let mut node = tree.root_node().descendant_for_byte_range(site.start as usize, site.end as usize);
    while let Some(current) = node {
        if current.kind() == "call" && current.child_by_field_name("function").is_some_and(|f| f.end_byte() == site.end as usize) {
            let arguments = current.child_by_field_name("arguments")?;
            if arguments.kind() != "argument_list" {
                return None; // a generator argument: `f(x for x in y)`
            }
            let mut cursor = arguments.walk();
            return Some(arguments.named_children(&mut cursor).filter(|n| n.kind() != "comment").collect());
        }
        node = current.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::graph::tests::fixture_graph;

    /// The text of the cursor's file and its hints.
    fn fixture_hints(fixture: &str, settings: &InlayHintSettings) -> (String, Vec<Hint>) {
        let (graph, file, _) = fixture_graph(fixture);
        let text = graph.file(file).unwrap().text().to_string();
        let tree = crate::syntax::parse_rope(&ropey::Rope::from_str(&text), None).unwrap();
        let found = hints(&graph, file, &tree, Span::new(0, text.len() as u32), settings);
        (text, found)
    }

    /// The cursor's file with each hint written in at its place: `⟨label⟩`.
    fn check_hints(fixture: &str, settings: InlayHintSettings, expected: Expect) {
        let (text, found) = fixture_hints(fixture, &settings);
        let mut out = String::new();
        let mut at = 0;
        for hint in found {
            out.push_str(&text[at..hint.offset as usize]);
            out.push_str(&format!("⟨{}⟩", hint.label));
            at = hint.offset as usize;
        }
        out.push_str(&text[at..]);
        expected.assert_eq(&out);
    }

    const CALLS: &str = r#"
        //- /m.py
        class Cart:
            def __init__(self, items, owner=None):
                self.items = items

            def add(self, item, count=1):
                return count

            @staticmethod
            def empty(kind):
                return kind

            @classmethod
            def of(cls, items):
                return cls(items)

        def total(cart, shipping, *rest, _private=0):
            return shipping

        def main(cart, items):
            c = Cart([1], "me")$0
            cart.add(2)
            Cart.add(c, 3, count=4)
            Cart.empty("x")
            Cart.of(items)
            total(cart, 5, 6, 7)
            total(*items)
            len(items)
    "#;

    #[test]
    fn parameter_names_at_resolved_calls() {
        check_hints(
            CALLS,
            InlayHintSettings::default(),
            expect![[r#"
                class Cart:
                    def __init__(self, items, owner=None):
                        self.items = items

                    def add(self, item, count=1):
                        return count

                    @staticmethod
                    def empty(kind):
                        return kind

                    @classmethod
                    def of(cls, items):
                        return cls(items)

                def total(cart, shipping, *rest, _private=0):
                    return shipping

                def main(cart, items):
                    c = Cart(⟨items=⟩[1], ⟨owner=⟩"me")
                    cart.add(2)
                    Cart.add(⟨self=⟩c, ⟨item=⟩3, count=4)
                    Cart.empty(⟨kind=⟩"x")
                    Cart.of(items)
                    total(cart, ⟨shipping=⟩5, 6, 7)
                    total(*items)
                    len(items)

            "#]],
        );
    }

    #[test]
    fn variable_types_where_the_code_does_not_say_them() {
        let settings = InlayHintSettings { parameter_names: false, ..InlayHintSettings::default() };
        check_hints(
            r#"
            //- /m.py
            class Cart:
                def owner(self) -> "User":
                    return User()

            class User:
                pass

            def main():
                cart = Cart()$0
                typed: Cart = cart
                owner = cart.owner()
                again = owner
                for item in [owner]:
                    pass
            "#,
            settings,
            expect![[r#"
                class Cart:
                    def owner(self) -> "User":
                        return User()

                class User:
                    pass

                def main():
                    cart = Cart()
                    typed: Cart = cart
                    owner⟨: User⟩ = cart.owner()
                    again⟨: User⟩ = owner
                    for item⟨: User⟩ in [owner]:
                        pass

            "#]],
        );
    }

    #[test]
    fn parameter_names_can_be_turned_off() {
        let settings = InlayHintSettings { parameter_names: false, ..InlayHintSettings::default() };
        assert_eq!(fixture_hints(CALLS, &settings).1, []);
    }
}
