//! Workspace code that reads a definition's name as a value, so the new
//! name would change what the program stores or prints, though every
//! reference is renamed: a descriptor class whose `__set_name__` receives
//! the attribute's name (`self.key = "_" + name`), a decorator filing the
//! function under its `__name__` (`COMMANDS[fn.__name__] = fn`), and `vars(obj)`
//! or `obj.__dict__` of an instance of the attribute's class handed to a
//! call, which gets its attributes keyed by their names (`json.dumps(vars(m))`),
//! as does `**obj` and a copy keyed by names (`norm1(**asdict(p))`).
//! Each is refused, naming the place.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::occurrences::Target;
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind, Value};

pub(super) fn check(graph: &Graph, parsed: &ParsedFiles, target: &Target) -> Result<(), String> {
    for denoted in &target.denotes {
        let Resolved::Symbol(id) = denoted else { continue };
        let Some(symbol) = graph.symbol(*id) else { continue };
        let Some(file) = symbol.file else { continue };
        let class = graph.owner_class(*id);
        match symbol.kind {
            SymbolKind::Variable => {
                if let Some(class) = class {
                    set_name(graph, parsed, file, symbol.name_range, symbol.qualified_name)?;
                    namespace_handed_over(graph, parsed, class, symbol.qualified_name)?;
                }
            }
            SymbolKind::Function | SymbolKind::Method => {
                for (decorator, callee_end) in decorators(parsed, file, symbol.name_range.start) {
                    let at = Location { file, span: decorator };
                    if let Some(descriptor) = class_at(graph, file, callee_end) {
                        set_name_reads(graph, parsed, descriptor, symbol.qualified_name, &at)?;
                    }
                    name_read_by_decorator(graph, parsed, file, callee_end, symbol.qualified_name, &at)?;
                }
            }
            SymbolKind::Class => methods_filed_by_qualified_name(graph, parsed, *id, symbol.qualified_name)?,
            _ => {}
        }
    }
    Ok(())
}

/// A method of `class` whose decorator files it under its `__qualname__`
/// (`REG[fn.__qualname__] = fn`), which spells the class's name
/// (`"Calc.add"`): renaming the class changes the key.
fn methods_filed_by_qualified_name(graph: &Graph, parsed: &ParsedFiles, class: SymbolId, shown: &str) -> Result<(), String> {
    let class_name = shown.rsplit('.').next().unwrap_or(shown);
    for method in graph.children(class) {
        let Some(symbol) = graph.symbol(method).filter(|s| s.kind == SymbolKind::Method && !s.decorators.is_empty()) else { continue };
        let Some(file) = symbol.file else { continue };
        for (decorator, callee_end) in decorators(parsed, file, symbol.name_range.start) {
            let Some((decorator_name, defined, read)) = decorator_name_read(graph, parsed, file, callee_end, &["__qualname__"]) else { continue };
            return Err(format!(
                "`{}` of the class `{shown}` is decorated at {} with `{decorator_name}`, which files it under its `__qualname__` at {} (`{class_name}.{}`): under a new name the class would file it under another key",
                symbol.name,
                place(graph, &Location { file, span: decorator }),
                place(graph, &Location { file: defined, span: read }),
                symbol.name,
            ));
        }
    }
    Ok(())
}

/// The decorators of the `def` whose name starts at `name` in `file`:
/// each one's span and the end of what it calls (`@expose`, `@route(…)`).
fn decorators(parsed: &ParsedFiles, file: FileId, name: u32) -> Vec<(Span, u32)> {
    let tree = parsed.get(file);
    let Some(def) = super::signature_guard::find_def(&tree.syntax().body, name) else { return Vec::new() };
    let callee = |expression: &Expr| match expression {
        Expr::Call(call) => call.func.end().to_u32(),
        other => other.end().to_u32(),
    };
    def.decorator_list.iter().map(|d| (Span::from(d.range()), callee(&d.expression))).collect()
}

/// The workspace class the name ending at `offset` of `file` denotes.
fn class_at(graph: &Graph, file: FileId, offset: u32) -> Option<SymbolId> {
    let Some(Resolved::Symbol(id)) = graph.definition(file, offset) else { return None };
    let class = graph.symbol(id).filter(|s| s.kind == SymbolKind::Class)?;
    class.file.and_then(|f| graph.file(f)).filter(|e| !graph.is_library_path(&e.path))?;
    Some(id)
}

/// `amount = Field()` in a class body (the binding at `name`), where
/// `Field` is a workspace class whose `__set_name__` reads the name.
fn set_name(graph: &Graph, parsed: &ParsedFiles, file: FileId, name: Span, member: &str) -> Result<(), String> {
    let tree = parsed.get(file);
    let mut find = Assigned { name, call: None };
    find.visit_body(&tree.syntax().body);
    let Some((callee_end, call)) = find.call else { return Ok(()) };
    match class_at(graph, file, callee_end) {
        Some(descriptor) => set_name_reads(graph, parsed, descriptor, member, &Location { file, span: call }),
        None => Ok(()),
    }
}

/// Refuses when `descriptor` (or a workspace base of it) defines a
/// `__set_name__` that reads its `name` parameter.
fn set_name_reads(graph: &Graph, parsed: &ParsedFiles, descriptor: SymbolId, member: &str, at: &Location) -> Result<(), String> {
    for class in graph.self_and_ancestors(descriptor) {
        let Some(method) =
            graph.children(class).into_iter().find(|&m| graph.symbol(m).is_some_and(|s| s.kind == SymbolKind::Method && s.name == "__set_name__"))
        else {
            continue;
        };
        let Some(symbol) = graph.symbol(method) else { continue };
        let Some(file) = symbol.file else { continue };
        let tree = parsed.get(file);
        let Some(def) = super::signature_guard::find_def(&tree.syntax().body, symbol.name_range.start) else { continue };
        // `(self, owner, name)`: the third parameter, read in the body.
        let Some(parameter) = def.parameters.iter().nth(2).map(|p| p.name().as_str().to_owned()) else { continue };
        let mut reads = NameReads { name: &parameter, found: None };
        reads.visit_body(&def.body);
        if let Some(read) = reads.found {
            return Err(format!(
                "`{member}` holds a `{}` (at {}), whose `__set_name__` reads the attribute's name at {}: under a new name it would store or find another key",
                graph.symbol(descriptor).map(|s| s.name).unwrap_or_default(),
                place(graph, at),
                place(graph, &Location { file, span: read })
            ));
        }
        return Ok(());
    }
    Ok(())
}

/// The call a class body assigns to the name at `name`: its callee's end
/// and the whole call.
struct Assigned {
    name: Span,
    call: Option<(u32, Span)>,
}

impl<'a> Visitor<'a> for Assigned {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let (targets, value): (&[Expr], _) = match stmt {
            Stmt::Assign(assign) => (&assign.targets, Some(&*assign.value)),
            Stmt::AnnAssign(assign) => (std::slice::from_ref(&*assign.target), assign.value.as_deref()),
            _ => (&[], None),
        };
        if let Some(Expr::Call(call)) = value
            && targets.iter().any(|t| Span::from(t.range()) == self.name)
        {
            self.call = Some((call.func.end().to_u32(), call.range().into()));
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// The first read of a name in a body.
struct NameReads<'n> {
    name: &'n str,
    found: Option<Span>,
}

impl<'a> Visitor<'a> for NameReads<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr
            && name.id.as_str() == self.name
            && self.found.is_none()
        {
            self.found = Some(name.range().into());
        }
        visitor::walk_expr(self, expr);
    }
}

/// The decorator ending at `offset` of `file`, a workspace function,
/// reading some function's `__name__` other than to copy it to a wrapper.
fn name_read_by_decorator(graph: &Graph, parsed: &ParsedFiles, file: FileId, offset: u32, member: &str, at: &Location) -> Result<(), String> {
    match decorator_name_read(graph, parsed, file, offset, &["__name__", "__qualname__"]) {
        Some((decorator, defined, read)) => Err(format!(
            "`{member}` is decorated at {} with `{decorator}`, which files the function under its `__name__` at {} (a registry key, a command name): under a new name it would be filed under another",
            place(graph, at),
            place(graph, &Location { file: defined, span: read })
        )),
        None => Ok(()),
    }
}

/// The workspace function decorator ending at `offset` of `file` that
/// uses a function's `attributes` (`__name__`, `__qualname__`) as a key:
/// its name, its file and the read.
fn decorator_name_read<'g>(graph: &'g Graph, parsed: &ParsedFiles, file: FileId, offset: u32, attributes: &[&str]) -> Option<(&'g str, FileId, Span)> {
    let Some(Resolved::Symbol(id)) = graph.definition(file, offset) else { return None };
    let decorator = graph.symbol(id).filter(|s| s.kind == SymbolKind::Function)?;
    let defined = decorator.file.filter(|&f| graph.file(f).is_some_and(|e| !graph.is_library_path(&e.path)))?;
    let tree = parsed.get(defined);
    let def = super::signature_guard::find_def(&tree.syntax().body, decorator.name_range.start)?;
    Some((decorator.name, defined, dunder_name_read(def, attributes)?))
}

/// `fn.__name__` (or `__qualname__`) used in `def` as a key: a subscript
/// (`COMMANDS[fn.__name__] = fn`), a dict display's key, or the name
/// `setattr`/`setdefault`/`register` file it under. A message naming the
/// function (`f"{fn.__name__} is deprecated"`) or a copy to its wrapper
/// follows the rename and is let be.
fn dunder_name_read(def: &StmtFunctionDef, attributes: &[&str]) -> Option<Span> {
    let mut reads = DunderNames { attributes, found: None };
    reads.visit_body(&def.body);
    reads.found
}

struct DunderNames<'a> {
    attributes: &'a [&'a str],
    found: Option<Span>,
}

impl DunderNames<'_> {
    fn is_name_attribute(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Attribute(a) if self.attributes.contains(&a.attr.as_str()) && matches!(&*a.value, Expr::Name(_)))
    }
}

impl<'a> Visitor<'a> for DunderNames<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let key = match expr {
            Expr::Subscript(subscript) => Some(&*subscript.slice).filter(|slice| self.is_name_attribute(slice)),
            Expr::Dict(dict) => dict.items.iter().filter_map(|item| item.key.as_ref()).find(|key| self.is_name_attribute(key)),
            Expr::Call(call) if matches!(super::rename_strings::callee_name(&call.func), "setattr" | "setdefault" | "register") => {
                call.arguments.args.iter().take(2).find(|argument| self.is_name_attribute(argument))
            }
            _ => None,
        };
        if self.found.is_none()
            && let Some(key) = key
        {
            self.found = Some(key.range().into());
        }
        visitor::walk_expr(self, expr);
    }
}

/// `vars(x)` or `x.__dict__` handed to a call, `x` itself unpacked into
/// one (`show(**movie)` for a `TypedDict`), or a copy keyed by names made
/// anywhere (`asdict(x)`, `x._asdict()`, `x.model_dump()`), where `x` is an
/// instance (or the class object) of `class`'s hierarchy: its attributes
/// are handed over keyed by their names (`norm1(**asdict(p))` passes `x=`).
fn namespace_handed_over(graph: &Graph, parsed: &ParsedFiles, class: SymbolId, member: &str) -> Result<(), String> {
    let hierarchy: Vec<SymbolId> = graph.self_and_ancestors(class).into_iter().chain(graph.implementations(class)).collect();
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !KEYED_COPIES.iter().any(|spelled| entry.text().contains(spelled)) {
            continue;
        }
        let mut found = Namespaces::default();
        found.visit_body(&parsed.get(file).syntax().body);
        for (whole, value) in found.spans {
            let Some(text) = entry.text().get(value.range()) else { continue };
            let reaches = graph.infer_expression(file, value.start, text).into_iter().any(|v| match v {
                Value::Instance(c) | Value::Class(c) => hierarchy.contains(&c),
                _ => false,
            });
            if reaches {
                let shown = entry.text().get(whole.range()).unwrap_or_default();
                return Err(format!(
                    "`{shown}` at {} hands the attributes of a `{}` over keyed by their names (a serialiser, a repr, a copy): under a new name `{member}` would be another key",
                    place(graph, &Location { file, span: whole }),
                    graph.symbol(class).map(|s| s.name).unwrap_or_default()
                ));
            }
        }
    }
    Ok(())
}

/// What a file spells to hand attributes over by name.
const KEYED_COPIES: &[&str] = &["vars(", "__dict__", "**", "asdict(", "model_dump(", "to_dict("];

/// `vars(x)` and `x.__dict__` handed to a call (`json.dumps(vars(m))`,
/// `repr(self.__dict__)`), `**x` in a call, and `asdict(x)`, `x._asdict()`
/// or `x.model_dump()` anywhere (each builds a new mapping keyed by the
/// names): the whole expression and `x`. Copied into another instance's
/// namespace (`rv.__dict__.update(self.__dict__)`), or read in place, the
/// names stay the attributes' own.
#[derive(Default)]
struct Namespaces {
    spans: Vec<(Span, Span)>,
}

fn namespace_of(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Call(call) if matches!(&*call.func, Expr::Name(f) if f.id.as_str() == "vars") => match &*call.arguments.args {
            [value] => Some(value),
            _ => None,
        },
        Expr::Attribute(attribute) if attribute.attr.as_str() == "__dict__" => Some(&attribute.value),
        _ => None,
    }
}

/// `asdict(x)` (dataclasses, attrs), `x._asdict()` (a named tuple),
/// `x.model_dump()`/`x.to_dict()`: `x`.
fn keyed_copy_of(expr: &Expr) -> Option<&Expr> {
    let Expr::Call(call) = expr else { return None };
    match (&*call.func, &*call.arguments.args) {
        (Expr::Name(f), [value]) if f.id.as_str() == "asdict" => Some(value),
        (Expr::Attribute(a), [value]) if a.attr.as_str() == "asdict" => Some(value),
        (Expr::Attribute(a), []) if matches!(a.attr.as_str(), "_asdict" | "model_dump" | "to_dict") => Some(&a.value),
        _ => None,
    }
}

impl<'a> Visitor<'a> for Namespaces {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Some(value) = keyed_copy_of(expr) {
            self.spans.push((expr.range().into(), value.range().into()));
        }
        if let Expr::Call(call) = expr
            && super::rename_strings::callee_name(&call.func) != "update"
        {
            let arguments = call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value));
            for argument in arguments {
                if let Some(value) = namespace_of(argument) {
                    self.spans.push((argument.range().into(), value.range().into()));
                }
            }
            for unpacked in call.arguments.keywords.iter().filter(|k| k.arg.is_none()) {
                if namespace_of(&unpacked.value).is_none() && keyed_copy_of(&unpacked.value).is_none() {
                    self.spans.push((unpacked.range().into(), unpacked.value.range().into()));
                }
            }
        }
        visitor::walk_expr(self, expr);
    }
}
