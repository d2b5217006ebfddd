//! A moved class that code finds through an ancestor's `__subclasses__()`
//! (plugin discovery without a registry): it exists only once its module
//! has been imported. Moved to a module nothing imports where the old one
//! was, it is silently missing from that list, so the move refuses unless
//! the old module imports it back (and so brings the new module in).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::parsed_files::ParsedFiles;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

/// The first `X.__subclasses__` read in the workspace that may list the
/// moved `class` (whose definition is `block`): any but one on a
/// workspace class that is not among its ancestors (`cls`, `type(self)`,
/// a parameter or a library class may be one of them). `None` for a class
/// without bases.
pub(super) fn listing(graph: &Graph, parsed: &ParsedFiles, class: SymbolId, block: &str) -> Option<Location> {
    if graph.symbol(class).is_none_or(|s| s.kind != SymbolKind::Class) || !has_bases(block) {
        return None;
    }
    let mut ancestors = Vec::new();
    let mut bases = graph.bases(class);
    while let Some(base) = bases.pop() {
        if !ancestors.contains(&base) {
            ancestors.push(base);
            bases.extend(graph.bases(base));
        }
    }
    for (file, entry) in graph.files().filter(|(_, e)| e.text().contains("__subclasses__")) {
        if graph.is_library_path(&entry.path) {
            continue;
        }
        let mut scan = Scan { graph, file, ancestors: &ancestors, found: None };
        scan.visit_body(&parsed.get(file).syntax().body);
        if let Some(span) = scan.found {
            return Some(Location { file, span });
        }
    }
    None
}

/// Whether the `class` statement in `block` names a base.
fn has_bases(block: &str) -> bool {
    let Ok(parsed) = ruff_python_parser::parse_module(block) else { return true };
    parsed.syntax().body.iter().any(|stmt| matches!(stmt, Stmt::ClassDef(c) if c.arguments.as_ref().is_some_and(|a| !a.args.is_empty())))
}

struct Scan<'g> {
    graph: &'g Graph,
    file: FileId,
    ancestors: &'g [SymbolId],
    found: Option<Span>,
}

impl Scan<'_> {
    /// A workspace class other than the ancestors: its subclasses are not the moved one's.
    fn unrelated(&self, receiver: &Expr) -> bool {
        let at = match receiver {
            Expr::Name(n) => n.range.start(),
            Expr::Attribute(a) => a.attr.range.start(),
            _ => return false,
        };
        match self.graph.definition(self.file, at.to_u32()) {
            Some(Resolved::Symbol(id)) => !self.ancestors.contains(&id) && self.graph.symbol(id).is_some_and(|s| s.kind == SymbolKind::Class),
            _ => false,
        }
    }
}

impl<'a> Visitor<'a> for Scan<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        if let Expr::Attribute(a) = expr
            && a.attr.as_str() == "__subclasses__"
            && !self.unrelated(&a.value)
        {
            self.found = Some(Span::from(expr.range()));
            return;
        }
        visitor::walk_expr(self, expr);
    }
}
