//! Keywords that name a parameter or an attribute where the graph sees no
//! call of it: `type(self)(name=…)` builds an instance through its
//! class's `__init__`; `class Csv(Plugin, key="csv")` passes `key` to the
//! bases' `__init_subclass__` (and, with `metaclass=Meta`, to the
//! metaclass's `__new__`, `__init__` and `__prepare__` at once); `case
//! Point(x=0)` and attrs' `fields(Point).x` read the attribute `x`.
//! Rename edits each one it can tie to its target and refuses the rest.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Pattern, Stmt};
use ruff_text_size::Ranged;

use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

/// The keywords `parameter=` passing the parameter of `function` where
/// Python calls it itself: in `type(self)(…)` when `function` is the
/// `__init__` of the instance's class, in class statements when it is
/// their bases' `__init_subclass__`.
pub(super) fn of_parameter(graph: &Graph, parsed: &ParsedFiles, function: SymbolId, parameter: &str) -> Result<Vec<(FileId, Span)>, String> {
    let Some(symbol) = graph.symbol(function).filter(|s| s.kind == SymbolKind::Method) else { return Ok(Vec::new()) };
    let Some(class) = graph.container(function) else { return Ok(Vec::new()) };
    let method = symbol.name;
    if matches!(method, "__new__" | "__init__" | "__prepare__") && is_metaclass(graph, class) {
        return metaclass_keyword(graph, parsed, method, parameter);
    }
    if method == "__init__" {
        rebuilt_unpacking(graph, parsed, class)?;
    }
    let nearest = |class: SymbolId| graph.members(class).into_iter().find(|&m| graph.symbol(m).is_some_and(|s| s.name == method));
    let mut classes = vec![class];
    classes.extend(graph.implementations(class));
    let mut edits = Vec::new();
    for each in classes {
        let Some(location) = graph.location(each) else { continue };
        let Some(entry) = graph.file(location.file) else { continue };
        if !entry.text().contains(parameter) {
            continue;
        }
        let mut found = Found::new(parameter, location.span.start);
        found.visit_body(&parsed.get(location.file).syntax().body);
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

/// Whether `class` derives from `type`: its instances are classes, made by
/// class statements.
pub(super) fn is_metaclass(graph: &Graph, class: SymbolId) -> bool {
    graph.self_and_ancestors(class).into_iter().filter_map(|c| graph.symbol(c)).any(|c| c.bases.iter().any(|b| super::last_segment(b) == "type"))
}

/// A class statement's keyword `parameter=` goes to its metaclass's
/// `__new__`, `__init__` and `__prepare__` together (`class A(metaclass=Meta,
/// flag=True)`): renaming it in one of them breaks the statement, renaming
/// it in all of them is not what was asked. Refused where one is passed.
fn metaclass_keyword(graph: &Graph, parsed: &ParsedFiles, method: &str, parameter: &str) -> Result<Vec<(FileId, Span)>, String> {
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !entry.text().contains(parameter) {
            continue;
        }
        let mut statements = ClassKeywords { name: parameter, found: None };
        statements.visit_body(&parsed.get(file).syntax().body);
        if let Some(span) = statements.found {
            return Err(format!(
                "the class statement at {} passes `{parameter}` to its metaclass, whose `__new__`, `__init__` and `__prepare__` all take it: renaming it in `{method}` alone would break that statement",
                place(graph, &Location { file, span })
            ));
        }
    }
    Ok(Vec::new())
}

/// The first keyword `name=` of a class statement.
struct ClassKeywords<'n> {
    name: &'n str,
    found: Option<Span>,
}

impl<'a> Visitor<'a> for ClassKeywords<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::ClassDef(class) = stmt
            && let Some(arguments) = &class.arguments
            && let Some(keyword) = arguments.keywords.iter().filter_map(|k| k.arg.as_ref()).find(|arg| arg.as_str() == self.name)
        {
            self.found.get_or_insert(Span::from(keyword.range()));
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// Why a constructor keyword of `class` cannot be renamed: a method of it
/// (or of a subclass) builds an instance of its own class from `**` a
/// mapping (`cls(**data)`, `type(self)(**data)`, `self.__class__(**data)`),
/// whose keys may name it.
pub(super) fn rebuilt_unpacking(graph: &Graph, parsed: &ParsedFiles, class: SymbolId) -> Result<(), String> {
    let mut classes = vec![class];
    classes.extend(graph.implementations(class));
    for each in classes {
        let Some(location) = graph.location(each) else { continue };
        let Some(entry) = graph.file(location.file) else { continue };
        if !entry.text().contains("**") {
            continue;
        }
        let mut found = Found::new("", location.span.start);
        found.visit_body(&parsed.get(location.file).syntax().body);
        let owned = |span: &&Span| graph.enclosing_symbol(location.file, span.start).and_then(|m| graph.container(m)) == Some(each);
        if let Some(&span) = found.rebuilt_unpacking.iter().find(owned) {
            return Err(format!(
                "the call at {} builds an instance of its own class from `**` a mapping, whose keys may name the keyword",
                place(graph, &Location { file: location.file, span })
            ));
        }
    }
    Ok(())
}

/// In one file: the keywords `name=` of the class statement starting at
/// `class_at` (and where it unpacks `**` a mapping), and of the calls
/// `type(x)(…)` (each call's span, and the keyword's span when it has one),
/// and the calls of `type(x)`, `cls` or `x.__class__` unpacking `**` a
/// mapping.
struct Found<'n> {
    name: &'n str,
    class_at: u32,
    statement: Vec<Span>,
    rebuilt: Vec<(Span, Option<Span>)>,
    rebuilt_unpacking: Vec<Span>,
    unpacked: Option<Span>,
}

impl<'n> Found<'n> {
    fn new(name: &'n str, class_at: u32) -> Self {
        Found { name, class_at, statement: Vec::new(), rebuilt: Vec::new(), rebuilt_unpacking: Vec::new(), unpacked: None }
    }

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
        if let Expr::Call(call) = expr {
            let type_of =
                matches!(&*call.func, Expr::Call(inner) if super::signature_guard::is_call_of(&inner.func, "type") && inner.arguments.args.len() == 1);
            if type_of {
                self.rebuilt.push((Span::from(call.range()), self.keyword(&call.arguments.keywords)));
            }
            let own_class =
                type_of || super::signature_guard::is_call_of(&call.func, "cls") || matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "__class__");
            if own_class && call.arguments.keywords.iter().any(|k| k.arg.is_none()) {
                self.rebuilt_unpacking.push(Span::from(call.range()));
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// The keywords `case C(name=…)` of class patterns matching an instance of
/// `class` (or of a subclass) by the attribute `name`, and the attributes
/// `fields(C).name` of attrs' field tables; refused where the class named
/// there does not resolve.
pub(super) fn of_attribute(graph: &Graph, parsed: &ParsedFiles, class: SymbolId, name: &str) -> Result<Vec<(FileId, Span)>, String> {
    let mut edits = Vec::new();
    for (file, entry) in graph.files() {
        let read = entry.text().contains("case") || entry.text().contains("fields(");
        if graph.is_library_path(&entry.path) || !read || !entry.text().contains(name) {
            continue;
        }
        let mut patterns = Patterns { name, found: Vec::new() };
        patterns.visit_body(&parsed.get(file).syntax().body);
        for (cls, keyword) in patterns.found {
            match graph.definition(file, cls.end) {
                Some(Resolved::Symbol(matched)) if graph.self_and_ancestors(matched).contains(&class) => edits.push((file, keyword)),
                Some(_) => {}
                None => {
                    let at = place(graph, &Location { file, span: keyword });
                    return Err(format!(
                        "{at} reads `{name}` of a class that does not resolve (in a class pattern or attrs' `fields(…)`), which may be this one"
                    ));
                }
            }
        }
    }
    Ok(edits)
}

/// The class patterns with a keyword `name=`, and the attributes
/// `fields(C).name`: the span of the class (its last name) and of the
/// keyword or attribute.
struct Patterns<'n> {
    name: &'n str,
    found: Vec<(Span, Span)>,
}

impl<'a> Visitor<'a> for Patterns<'_> {
    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        if let Pattern::MatchClass(class) = pattern {
            for keyword in class.arguments.keywords.iter().filter(|k| k.attr.as_str() == self.name) {
                self.found.push((last_name(&class.cls), Span::from(keyword.attr.range())));
            }
        }
        visitor::walk_pattern(self, pattern);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Attribute(attribute) = expr
            && attribute.attr.as_str() == self.name
            && let Expr::Call(call) = &*attribute.value
            && is_fields(&call.func)
            && let [cls] = call.arguments.args.as_ref()
        {
            self.found.push((last_name(cls), Span::from(attribute.attr.range())));
        }
        visitor::walk_expr(self, expr);
    }
}

/// `fields`, `attr.fields` or `attrs.fields`.
fn is_fields(func: &Expr) -> bool {
    match func {
        Expr::Name(n) => n.id.as_str() == "fields",
        Expr::Attribute(a) => a.attr.as_str() == "fields" && matches!(&*a.value, Expr::Name(m) if matches!(m.id.as_str(), "attr" | "attrs")),
        _ => false,
    }
}

/// The span of the last name of `C` or `m.C`.
fn last_name(expr: &Expr) -> Span {
    match expr {
        Expr::Attribute(a) => Span::from(a.attr.range()),
        other => Span::from(other.range()),
    }
}

/// The attribute that the keyword at `offset` of a class pattern
/// (`case Point(x=0)`) reads, where its class resolves to a workspace class.
pub(super) fn pattern_attribute_at(graph: &Graph, file: FileId, offset: u32) -> Option<Location> {
    let entry = graph.file(file)?;
    let name = entry.text().get(super::occurrences::name_span(entry.text(), offset)?.range())?;
    let parsed = ruff_python_parser::parse_unchecked_source(entry.text(), ast::PySourceType::Python);
    let mut patterns = Patterns { name, found: Vec::new() };
    patterns.visit_body(&parsed.syntax().body);
    let (cls, _) = patterns.found.into_iter().find(|(_, keyword)| keyword.touches(offset))?;
    let Some(Resolved::Symbol(class)) = graph.definition(file, cls.end) else { return None };
    let member = graph.members(class).into_iter().find(|&m| graph.symbol(m).is_some_and(|s| s.name == name))?;
    graph.location(member)
}
