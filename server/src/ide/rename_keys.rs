//! A field of a `TypedDict` is a dictionary key: its instances are read
//! and built with strings (`m["title"]`, `{"title": ...}`), which rename
//! cannot tie to the class. Refused where such a string appears.

use ruff_python_ast::Expr;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_text_size::Ranged;

use super::occurrences::Target;
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::{Graph, Location, Span, SymbolKind};

pub(super) fn check(graph: &Graph, parsed: &ParsedFiles, target: &Target) -> Result<(), String> {
    for (_, class) in target.class_members(graph, &[SymbolKind::Variable]) {
        let typed_dict =
            graph.self_and_ancestors(class).into_iter().filter_map(|c| graph.symbol(c)).any(|c| c.bases.iter().any(|b| super::last_segment(b) == "TypedDict"));
        if !typed_dict {
            continue;
        }
        let class_name = graph.symbol(class).map(|c| c.qualified_name).unwrap_or_default();
        for (file, _) in graph.files().filter(|(_, e)| !graph.is_library_path(&e.path) && e.text().contains(target.name.as_str())) {
            let mut strings = Strings { name: &target.name, found: None };
            strings.visit_body(&parsed.get(file).syntax().body);
            if let Some(span) = strings.found {
                let at = place(graph, &Location { file, span });
                return Err(format!("`{}` is a key of the TypedDict `{class_name}`, spelled as a string at {at}, which rename cannot tie to it", target.name));
            }
        }
    }
    Ok(())
}

/// The first string literal equal to `name`.
struct Strings<'n> {
    name: &'n str,
    found: Option<Span>,
}

impl<'a> Visitor<'a> for Strings<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        if let Expr::StringLiteral(string) = expr
            && string.value.to_str() == self.name
        {
            self.found = Some(string.range().into());
            return;
        }
        visitor::walk_expr(self, expr);
    }
}
