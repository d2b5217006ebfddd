//! Attribute and item reads that may run workspace code: `o.x` where a
//! class of the workspace makes `x` a property (or any decorated method:
//! a descriptor) or defines `__getattr__`/`__getattribute__`, `s[k]` where
//! one defines `__getitem__`. Such a read is a call: evaluated twice it
//! may do twice what it did once, or return another value. Which class the
//! object is is not always known (a parameter), so any workspace class
//! with the member counts; `functools.cached_property` computes once.

use ruff_python_ast::Expr;
use ruff_python_ast::visitor::{self, Visitor};

use crate::graph::explain::place;
use crate::graph::{DefinitionKind, Graph, Location, Name};

/// Why reading `value` may run workspace code (naming the member and
/// where it is defined), if it may.
pub(super) fn runs_code(graph: &Graph, value: &Expr) -> Option<String> {
    let mut reads = Reads::default();
    reads.visit_expr(value);
    let member = |wanted: &dyn Fn(&str, &[Name]) -> bool| {
        graph.files().filter(|(_, e)| !graph.is_library_path(&e.path)).find_map(|(file, entry)| {
            let d = entry.summary.definitions.iter().find(|d| d.kind == DefinitionKind::Method && wanted(d.name.as_str(), &d.decorators))?;
            Some((d.name.to_string(), place(graph, &Location { file, span: d.name_range })))
        })
    };
    let computed =
        |decorators: &[Name]| decorators.iter().any(|d| !matches!(d.rsplit('.').next().unwrap_or(d), "staticmethod" | "classmethod" | "cached_property"));
    let attribute = reads.attributes.iter().find_map(|attr| {
        member(&|name, decorators| (name == attr && computed(decorators)) || matches!(name, "__getattr__" | "__getattribute__")).map(|m| (attr, m))
    });
    if let Some((attr, (member, at))) = attribute {
        let what = if member == *attr { "a property or descriptor" } else { "a class's `__getattr__`" };
        return Some(format!("reads `.{attr}`, which may run code ({what} at {at})"));
    }
    let item = reads.items.then(|| member(&|name, _| name == "__getitem__")).flatten();
    item.map(|(_, at)| format!("reads an item, which may run code (a `__getitem__` at {at})"))
}

/// The attribute names read and whether an item is read.
#[derive(Default)]
struct Reads {
    attributes: Vec<String>,
    items: bool,
}

impl<'a> Visitor<'a> for Reads {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(a) => self.attributes.push(a.attr.to_string()),
            Expr::Subscript(_) => self.items = true,
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
#[path = "computed_reads_tests.rs"]
mod tests;
