//! Where the module or class variable a name reads was bound last before
//! the read: the binding that reaches it, in the reading scope
//! (`x = 1` … `x = 'a'` … `x.upper()` reads the second). A variable is one
//! symbol however often its scope rebinds it, and the symbol's place is
//! its first binding; going to the definition of a read in that same
//! scope goes where the value came from, as a notebook's later cell
//! rebinding `df` is where `df` comes from for the cells after it.

use super::resolve::Resolver;
use super::summary::{BindingKind, DefinitionKind};
use super::{FileId, Graph, Location, SymbolId};

impl Graph {
    /// The binding of variable `id` that reaches the read at `offset` of
    /// `file`, when the read is in the scope that binds it; `None`
    /// elsewhere (a function reading a global runs later, after any of
    /// the module's bindings).
    pub fn reaching_binding(&self, file: FileId, offset: u32, id: SymbolId) -> Option<Location> {
        let entry = self.file(file)?;
        let summary = &entry.summary;
        let reference = summary.references.iter().find(|r| r.start <= offset && offset <= r.reach() && r.receiver().is_none() && !r.from_super)?;
        let (name, span) = reference.segments().next().filter(|(_, span)| span.touches(offset))?;
        let binding = Resolver::new(self, file).lookup(file, reference.scope, name, span.start)?;
        let binding = summary.bindings.get(binding as usize)?;
        let BindingKind::Definition(def) = binding.kind else { return None };
        let variable = summary.definitions.get(def as usize).is_some_and(|d| d.kind == DefinitionKind::Variable);
        let same = entry.nodes.get(def as usize).is_some_and(|&node| SymbolId(node) == id);
        (variable && same && binding.scope == reference.scope).then_some(Location { file, span: binding.range })
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::super::Resolved;
    use super::super::tests::{describe_location, fixture_graph};

    /// Where going to the definition of the name at the cursor lands.
    fn check_reaching(fixture: &str, expected: Expect) {
        let (graph, file, offset) = fixture_graph(fixture);
        let Some(Resolved::Symbol(id)) = graph.definition(file, offset) else { panic!("no symbol at the cursor") };
        let at = graph.reaching_binding(file, offset, id).or_else(|| graph.location(id)).expect("a place");
        expected.assert_eq(&describe_location(&graph, &at));
    }

    #[test]
    fn a_read_goes_to_the_binding_that_reaches_it() {
        check_reaching("//- /m.py\nx = 1\ny = x\nx = 'a'\n$0x.upper()\n", expect!["m.py:3:1"]);
        check_reaching("//- /m.py\nx = 1\ny = x$0\nx = 'a'\n", expect!["m.py:1:1"]);
        check_reaching("//- /m.py\nclass C:\n    k = 1\n    k = k + 1\n    j = k$0\n", expect!["m.py:3:5"]);
    }

    #[test]
    fn a_read_in_a_function_or_of_a_function_keeps_the_symbols_place() {
        // Must not: a function runs after the module's bindings; a function
        // redefined is its own symbol, found by the resolver already.
        check_reaching("//- /m.py\nx = 1\ndef f():\n    return x$0\nx = 2\n", expect!["m.py:1:1"]);
        check_reaching("//- /m.py\ndef g(): pass\ng$0()\ndef g(): return 1\n", expect!["m.py:1:5"]);
    }
}
