//! Keywords that name a parameter or an attribute where the graph sees no
//! call of it: `type(self)(name=…)` builds an instance through its
//! class's `__init__`; `class Csv(Plugin, key="csv")` passes `key` to the
//! bases' `__init_subclass__`; `case Point(x=0)` reads the attribute `x`.
//! Rename edits each one it can tie to its target and refuses the rest.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Pattern, Stmt};
use ruff_text_size::Ranged;

use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

/// The keywords `parameter=` passing the parameter of `function` where
/// Python calls it itself: in `type(self)(…)` when `function` is the
/// `__init__` of the instance's class, in class statements when it is
/// their bases' `__init_subclass__`.
pub(super) fn of_parameter(graph: &Graph, function: SymbolId, parameter: &str) -> Result<Vec<(FileId, Span)>, String> {
    let Some(symbol) = graph.symbol(function).filter(|s| s.kind == SymbolKind::Method) else { return Ok(Vec::new()) };
    let Some(class) = graph.container(function) else { return Ok(Vec::new()) };
    let method = symbol.name;
    let nearest = |class: SymbolId| graph.members(class).into_iter().find(|&m| graph.symbol(m).is_some_and(|s| s.name == method));
    let mut classes = vec![class];
    classes.extend(graph.implementations(class));
    let mut edits = Vec::new();
    for each in classes {
        let Some(location) = graph.location(each) else { continue };
        let Some(entry) = graph.file(location.file) else { continue };
        if !entry.text.contains(parameter) {
            continue;
        }
        let parsed = ruff_python_parser::parse_unchecked_source(&entry.text, ast::PySourceType::Python);
        let mut found = Found { name: parameter, class_at: location.span.start, statement: Vec::new(), rebuilt: Vec::new(), unpacked: None };
        found.visit_body(&parsed.syntax().body);
        let file = location.file;
        let at = |span: Span| place(graph, &Location { file, span });
        match method {
            // `type(self)(…)` in a method of a class whose constructor is `function`.
            "__init__" if nearest(each) == Some(function) => {
                for (call, span) in found.rebuilt {
                    let owner = graph.enclosing_symbol(file, call.start).and_then(|m| graph.container(m));
                    if owner == Some(each) {
                        edits.extend(span.map(|span| (file, span)));
                    }
                }
            }
            // `class Csv(Plugin, key=…)`: the hook its bases give it.
            "__init_subclass__" if each != class && graph.bases(each).into_iter().any(|base| nearest(base) == Some(function)) => {
                if let Some(span) = found.unpacked {
                    return Err(format!("the class statement at {} passes keywords as `**` a mapping, whose keys may name `{parameter}`", at(span)));
                }
                edits.extend(found.statement.into_iter().map(|span| (file, span)));
            }
            "__init_subclass__" if each != class && !found.statement.is_empty() => {
                return Err(format!(
                    "the class statement at {} passes `{parameter}` to another `__init_subclass__` of its bases, which may hand it on to this one",
                    at(found.statement[0])
                ));
            }
            _ => {}
        }
    }
    Ok(edits)
}

/// In one file: the keywords `name=` of the class statement starting at
/// `class_at` (and where it unpacks `**` a mapping), and of the calls
/// `type(x)(…)` (each call's span, and the keyword's span when it has one).
struct Found<'n> {
    name: &'n str,
    class_at: u32,
    statement: Vec<Span>,
    rebuilt: Vec<(Span, Option<Span>)>,
    unpacked: Option<Span>,
}

impl Found<'_> {
    fn keyword(&self, keywords: &[ast::Keyword]) -> Option<Span> {
        keywords.iter().filter_map(|k| k.arg.as_ref()).find(|arg| arg.as_str() == self.name).map(|arg| Span::from(arg.range()))
    }
}

impl<'a> Visitor<'a> for Found<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::ClassDef(class) = stmt
            && class.range().start().to_u32() <= self.class_at
            && self.class_at <= class.name.range().start().to_u32()
            && let Some(arguments) = &class.arguments
        {
            self.statement.extend(self.keyword(&arguments.keywords));
            self.unpacked = arguments.keywords.iter().find(|k| k.arg.is_none()).map(|k| Span::from(k.range()));
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Call(inner) = &*call.func
            && super::signature_guard::is_call_of(&inner.func, "type")
            && inner.arguments.args.len() == 1
        {
            self.rebuilt.push((Span::from(call.range()), self.keyword(&call.arguments.keywords)));
        }
        visitor::walk_expr(self, expr);
    }
}

/// The keywords `case C(name=…)` of class patterns matching an instance of
/// `class` (or of a subclass) by the attribute `name`; refused where a
/// pattern's class does not resolve.
pub(super) fn of_attribute(graph: &Graph, class: SymbolId, name: &str) -> Result<Vec<(FileId, Span)>, String> {
    let mut edits = Vec::new();
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !entry.text.contains("case") || !entry.text.contains(name) {
            continue;
        }
        let parsed = ruff_python_parser::parse_unchecked_source(&entry.text, ast::PySourceType::Python);
        let mut patterns = Patterns { name, found: Vec::new() };
        patterns.visit_body(&parsed.syntax().body);
        for (cls, keyword) in patterns.found {
            match graph.definition(file, cls.end) {
                Some(Resolved::Symbol(matched)) if graph.self_and_ancestors(matched).contains(&class) => edits.push((file, keyword)),
                Some(_) => {}
                None => {
                    let at = place(graph, &Location { file, span: keyword });
                    return Err(format!("the class pattern at {at} reads `{name}` of a class that does not resolve, which may be this one"));
                }
            }
        }
    }
    Ok(edits)
}

/// The class patterns with a keyword `name=`: the span of the pattern's
/// class (its last name) and of the keyword.
struct Patterns<'n> {
    name: &'n str,
    found: Vec<(Span, Span)>,
}

impl<'a> Visitor<'a> for Patterns<'_> {
    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        if let Pattern::MatchClass(class) = pattern {
            let cls = match &*class.cls {
                Expr::Attribute(a) => Span::from(a.attr.range()),
                other => Span::from(other.range()),
            };
            for keyword in class.arguments.keywords.iter().filter(|k| k.attr.as_str() == self.name) {
                self.found.push((cls, Span::from(keyword.attr.range())));
            }
        }
        visitor::walk_pattern(self, pattern);
    }
}

/// The attribute that the keyword at `offset` of a class pattern
/// (`case Point(x=0)`) reads, where its class resolves to a workspace class.
pub(super) fn pattern_attribute_at(graph: &Graph, file: FileId, offset: u32) -> Option<Location> {
    let entry = graph.file(file)?;
    let name = entry.text.get(super::occurrences::name_span(&entry.text, offset)?.range())?;
    let parsed = ruff_python_parser::parse_unchecked_source(&entry.text, ast::PySourceType::Python);
    let mut patterns = Patterns { name, found: Vec::new() };
    patterns.visit_body(&parsed.syntax().body);
    let (cls, _) = patterns.found.into_iter().find(|(_, keyword)| keyword.touches(offset))?;
    let Some(Resolved::Symbol(class)) = graph.definition(file, cls.end) else { return None };
    let member = graph.members(class).into_iter().find(|&m| graph.symbol(m).is_some_and(|s| s.name == name))?;
    graph.location(member)
}
