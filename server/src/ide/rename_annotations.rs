//! Names inside strings that Python (or `typing.get_type_hints`) evaluates
//! as expressions in the file's scope: string annotations (`-> "Node"`,
//! `List["Node"]`), `cast("Node", x)` and a `TypeVar`'s `bound="Node"` or
//! constraints. Each string is parsed as an expression and its names are
//! resolved as if written there; those that denote the rename's target are
//! renamed, and a string that does not parse but spells the name refuses.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::occurrences::Target;
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::summary::{FileSummary, Name, Reference};
use crate::graph::{FileId, Graph, Location, Resolved, Span};

/// The spans, inside string annotations of the workspace, of the names
/// that denote `target`; refused (the reason) where such a string cannot
/// be read, or where `new_name` already means something else there.
pub(super) fn edits(graph: &Graph, parsed: &ParsedFiles, target: &Target, new_name: &str) -> Result<Vec<(FileId, Span)>, String> {
    if !target.denotes.iter().any(|d| matches!(d, Resolved::Symbol(_))) {
        return Ok(Vec::new());
    }
    let mut edits = Vec::new();
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !entry.text().contains(&target.name) {
            continue;
        }
        let mut strings = TypeStrings { text: entry.text(), found: Vec::new(), depth: 0 };
        strings.visit_body(&parsed.get(file).syntax().body);
        let mut resolver = graph.reference_resolver(file);
        let summary = &entry.summary;
        for (content, value) in strings.found {
            let at = |span: Span| place(graph, &Location { file, span });
            let Ok(expression) = ruff_python_parser::parse_expression(value) else {
                if super::mentions::whole_word_ends(value, &target.name).next().is_some() {
                    return Err(format!("the string annotation at {} spells `{}` but does not read as an expression", at(content), target.name));
                }
                continue;
            };
            let mut chains = Chains(Vec::new());
            chains.visit_expr(expression.expr());
            // A name in a string within the string (`"List['Node']"`).
            let named = chains.0.iter().flatten().filter(|(name, _)| name == &target.name).count();
            if super::mentions::whole_word_ends(value, &target.name).count() > named {
                return Err(format!("the string annotation at {} spells `{}` where rename cannot read it as a name", at(content), target.name));
            }
            for chain in chains.0.iter().filter(|c| c.iter().any(|(name, _)| name == &target.name)) {
                let scope = summary.scope_at(content.start);
                let reference = reference_of(summary, content, chain);
                let starts: Vec<u32> = reference.starts().collect();
                for (((name, _), start), answer) in chain.iter().zip(&starts).zip(resolver.segments(&reference)) {
                    if name != &target.name || !answer.is_some_and(|a| target.denotes.contains(&a)) {
                        continue;
                    }
                    let span = Span::new(*start, start + name.len() as u32);
                    // The new name read at the same place must not mean something already.
                    let mut renamed = starts.clone();
                    renamed.truncate(1);
                    let first = Reference::new(scope, Name::new(new_name), &renamed, false, false, None);
                    if *start == starts[0] && resolver.segments(&first).first().is_some_and(Option::is_some) {
                        return Err(format!("renaming to `{new_name}` would change what the string annotation at {} refers to", at(span)));
                    }
                    edits.push((file, span));
                }
            }
        }
    }
    Ok(edits)
}

/// The definition that the name at `offset`, inside a string annotation
/// of `file`, denotes (renaming from inside `"Optional[Node]"`).
pub(super) fn denoted_at(graph: &Graph, file: FileId, offset: u32) -> Option<Location> {
    let entry = graph.file(file)?;
    let parsed = ruff_python_parser::parse_unchecked_source(entry.text(), ast::PySourceType::Python);
    let mut strings = TypeStrings { text: entry.text(), found: Vec::new(), depth: 0 };
    strings.visit_body(&parsed.syntax().body);
    let &(content, value) = strings.found.iter().find(|(content, _)| content.touches(offset))?;
    let expression = ruff_python_parser::parse_expression(value).ok()?;
    let mut chains = Chains(Vec::new());
    chains.visit_expr(expression.expr());
    let chain = chains
        .0
        .into_iter()
        .find(|c| c.iter().any(|(name, start)| Span::new(content.start + start, content.start + start + name.len() as u32).touches(offset)))?;
    let reference = reference_of(&entry.summary, content, &chain);
    let index = chain.iter().position(|(name, start)| content.start + start <= offset && offset <= content.start + start + name.len() as u32)?;
    match graph.reference_resolver(file).segments(&reference).get(index)? {
        Some(Resolved::Symbol(id)) => graph.location(*id),
        _ => None,
    }
}

/// The dotted chains read inside the string annotations of `body`, each
/// as a reference of its file, read where the string is: a string
/// annotation is code that `typing.get_type_hints` evaluates there.
pub(super) fn references(summary: &FileSummary, text: &str, body: &[Stmt]) -> Vec<Reference> {
    let mut strings = TypeStrings { text, found: Vec::new(), depth: 0 };
    strings.visit_body(body);
    let mut out = Vec::new();
    for (content, value) in strings.found {
        let Ok(expression) = ruff_python_parser::parse_expression(value) else { continue };
        let mut chains = Chains(Vec::new());
        chains.visit_expr(expression.expr());
        out.extend(chains.0.iter().map(|chain| reference_of(summary, content, chain)));
    }
    out
}

/// The reference of `chain`, found in the string whose content is at `content`.
fn reference_of(summary: &FileSummary, content: Span, chain: &[(String, u32)]) -> Reference {
    let starts: Vec<u32> = chain.iter().map(|(_, start)| content.start + start).collect();
    let dotted = chain.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(".");
    Reference::new(summary.scope_at(content.start), Name::new(&dotted), &starts, false, false, None)
}

/// The strings read as type expressions, each as the span of its content
/// and its value: only those written exactly as their value (no escapes,
/// one part), so that offsets in the value are offsets in the file.
struct TypeStrings<'t> {
    text: &'t str,
    found: Vec<(Span, &'t str)>,
    /// How deep inside a type expression.
    depth: u32,
}

impl<'t> TypeStrings<'t> {
    fn annotation(&mut self, expr: &Expr) {
        self.depth += 1;
        self.visit_expr(expr);
        self.depth -= 1;
    }
}

impl<'a> Visitor<'a> for TypeStrings<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                for parameter in def.parameters.iter() {
                    if let Some(annotation) = parameter.annotation() {
                        self.annotation(annotation);
                    }
                }
                if let Some(returns) = &def.returns {
                    self.annotation(returns);
                }
            }
            Stmt::AnnAssign(assign) => {
                self.annotation(&assign.annotation);
                // `X: TypeAlias = "Node"`.
                if let Some(value) = assign.value.as_deref().filter(|_| super::last_segment(&expr_text(self.text, &assign.annotation)) == "TypeAlias") {
                    self.annotation(value);
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            // `Literal["Node"]` holds values, not forward references.
            Expr::Subscript(subscript) if self.depth > 0 && super::last_segment(&expr_text(self.text, &subscript.value)) == "Literal" => return,
            Expr::StringLiteral(literal) if self.depth > 0 => {
                if let [part] = literal.value.as_slice() {
                    let content: Span = part.content_range().into();
                    if let Some(written) = self.text.get(content.range()).filter(|w| *w == &*part.value) {
                        self.found.push((content, written));
                    }
                }
            }
            // `cast("Node", x)`, `TypeVar("T", "A", bound="Node")`.
            Expr::Call(call) => {
                let callee = expr_text(self.text, &call.func);
                match super::last_segment(&callee) {
                    "cast" => {
                        if let Some(first) = call.arguments.args.first() {
                            self.annotation(first);
                        }
                    }
                    "TypeVar" => {
                        for argument in call.arguments.args.iter().skip(1) {
                            self.annotation(argument);
                        }
                        for keyword in call.arguments.keywords.iter().filter(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "bound")) {
                            self.annotation(&keyword.value);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

fn expr_text(text: &str, expr: &Expr) -> String {
    text.get(expr.range().to_std_range()).unwrap_or_default().to_owned()
}

/// The names and dotted chains of names in an expression, each segment
/// with its offset in the expression's text.
struct Chains(Vec<Vec<(String, u32)>>);

impl<'a> Visitor<'a> for Chains {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Some(chain) = chain(expr) {
            self.0.push(chain);
            return;
        }
        visitor::walk_expr(self, expr);
    }
}

fn chain(expr: &Expr) -> Option<Vec<(String, u32)>> {
    match expr {
        Expr::Name(n) => Some(vec![(n.id.to_string(), n.range().start().to_u32())]),
        Expr::Attribute(a) => {
            let mut chain = chain(&a.value)?;
            chain.push((a.attr.to_string(), a.attr.range().start().to_u32()));
            Some(chain)
        }
        _ => None,
    }
}
