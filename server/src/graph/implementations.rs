//! Implementations: the classes below a class, and the methods that
//! override a method, from the inheritance edges (what "go to
//! implementation" shows).

use std::collections::VecDeque;

use rustc_hash::FxHashSet;

use super::{EdgeKind, Graph, SymbolId, SymbolKind};

/// Bounds the walk down a hierarchy (generated code can have thousands of
/// subclasses; an editor list of more helps nobody).
const MAX_SUBCLASSES: usize = 500;

impl Graph {
    /// For a class, its subclasses at any depth; for a method, the methods
    /// of the same name defined in those subclasses of its class. Nearest
    /// first. Empty for anything else.
    pub fn implementations(&self, id: SymbolId) -> Vec<SymbolId> {
        let Some(symbol) = self.symbol(id) else { return Vec::new() };
        match symbol.kind {
            SymbolKind::Class => self.all_subclasses(id),
            SymbolKind::Method => {
                let Some(class) = self.owner_class(id) else {
                    return Vec::new();
                };
                self.all_subclasses(class)
                    .into_iter()
                    .filter_map(|sub| {
                        self.out_edges(sub, EdgeKind::Contains)
                            .map(|(_, member)| member)
                            .find(|&member| self.symbol(member).is_some_and(|m| m.kind == SymbolKind::Method && m.name == symbol.name))
                    })
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The method a method overrides: the one of the same name a
    /// workspace base class of its class has (its own or inherited).
    pub fn overridden(&self, method: SymbolId) -> Option<SymbolId> {
        let name = self.symbol(method).filter(|s| s.kind == SymbolKind::Method)?.name;
        let class = self.container(method)?;
        self.bases(class).into_iter().find_map(|base| {
            self.members(base).into_iter().find(|&m| m != method && self.symbol(m).is_some_and(|s| s.kind == SymbolKind::Method && s.name == name))
        })
    }

    /// Subclasses at any depth, breadth first, each once.
    pub(super) fn all_subclasses(&self, class: SymbolId) -> Vec<SymbolId> {
        let mut seen = FxHashSet::from_iter([class]);
        let mut out = Vec::new();
        let mut queue = VecDeque::from([class]);
        while let Some(current) = queue.pop_front() {
            for sub in self.subclasses(current) {
                if out.len() == MAX_SUBCLASSES {
                    return out;
                }
                if seen.insert(sub) {
                    out.push(sub);
                    queue.push_back(sub);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::graph::Resolved;
    use crate::graph::tests::fixture_graph;

    fn check_implementations(fixture: &str, expect: Expect) {
        let (graph, file, offset) = fixture_graph(fixture);
        let Some(Resolved::Symbol(id)) = graph.definition(file, offset) else { panic!("nothing at the cursor") };
        let names: Vec<String> = graph.implementations(id).into_iter().map(|s| graph.symbol(s).unwrap().qualified_name.to_owned()).collect();
        expect.assert_eq(&names.join("\n"));
    }

    const SHAPES: &str = r#"
//- /shapes.py
class Shape:
    def area(self): ...
    def name(self): ...
class Square(Shape):
    def area(self): ...
class Cube(Square):
    def area(self): ...
    def name(self): ...
//- /circle.py
from shapes import Shape
class Circle(Shape):
    def area(self): ...
"#;

    #[test]
    fn a_class_lists_its_subclasses_at_any_depth() {
        check_implementations(
            &SHAPES.replacen("class Shape:", "class Sh$0ape:", 1),
            expect![[r#"
            circle.Circle
            shapes.Square
            shapes.Cube"#]],
        );
    }

    #[test]
    fn a_method_lists_the_overrides_below_its_class() {
        check_implementations(
            &SHAPES.replacen("def area", "def ar$0ea", 1),
            expect![[r#"
            circle.Circle.area
            shapes.Square.area
            shapes.Cube.area"#]],
        );
        check_implementations(&SHAPES.replacen("def name", "def na$0me", 1), expect!["shapes.Cube.name"]);
    }

    #[test]
    fn a_function_has_none() {
        check_implementations("//- /m.py\ndef f$0(): ...\n", expect![""]);
    }
}
