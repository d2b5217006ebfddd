//! Members the running program reaches by their name where the graph links
//! no reference to them, so a rename would leave those uses behind: a
//! module's attribute read on a module object the resolver cannot name
//! (`importlib.import_module("pkg.core").helper`, `sys.modules["m"].X`);
//! a metaclass's member, which the classes using it read as their own
//! (`Model.make()` for `Meta.make`); a method of a class tied to another by
//! `Base.register(Impl)` (an ABC's virtual subclass implements it by name,
//! without inheriting it); and a parameter of a method that a sibling
//! class's method of the same name forwards `**kwargs` to through
//! `super()` in a subclass's order (`class Child(Mixin, Base)`); and a
//! member only a subclass defines, read on a receiver typed as its base
//! (`storage: Storage`, then `db.storage.handle` for `JSONStorage.handle`),
//! which the graph does not tie to the subclass. Each is refused, naming
//! the place; none is renamed by guess.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::occurrences::Target;
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::{Graph, Location, ParameterKind, Resolved, Span, SymbolId, SymbolKind};

pub(super) fn check(graph: &Graph, parsed: &ParsedFiles, target: &Target) -> Result<(), String> {
    for denoted in &target.denotes {
        let Resolved::Symbol(id) = denoted else { continue };
        let Some(symbol) = graph.symbol(*id) else { continue };
        let Some(container) = graph.container(*id).and_then(|c| graph.symbol(c)) else { continue };
        match container.kind {
            SymbolKind::Module => module_object_reads(graph, &target.name)?,
            SymbolKind::Class if matches!(symbol.kind, SymbolKind::Variable | SymbolKind::Method) => {
                let class = container.id;
                metaclass_member(graph, parsed, symbol.qualified_name, class)?;
                read_on_a_base(graph, class, &target.name)?;
                registered(graph, parsed, class, &target.name, *id)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// A read of `.name` on a module object of unknown identity (the resolver
/// types it `types.ModuleType`): it may be this module.
fn module_object_reads(graph: &Graph, name: &str) -> Result<(), String> {
    let attribute = format!("types.ModuleType.{name}");
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !entry.text().contains(name) {
            continue;
        }
        let mut resolver = graph.reference_resolver(file);
        for reference in &entry.summary.references {
            let segments: Vec<_> = reference.segments().collect();
            if !segments.iter().any(|(segment, _)| *segment == name) {
                continue;
            }
            let resolved = resolver.segments(reference);
            let read = segments.iter().zip(&resolved).find(|((segment, _), r)| *segment == name && matches!(r, Some(Resolved::External(p)) if *p == attribute));
            if let Some(((_, span), _)) = read {
                return Err(format!(
                    "`.{name}` is read at {} on a module object rename cannot tie to a module (`importlib.import_module(…)`, `sys.modules[…]`), which may be this one",
                    place(graph, &Location { file, span: *span })
                ));
            }
        }
    }
    Ok(())
}

/// A member of a metaclass (a class deriving from `type`): the classes
/// that use it read it as their own (`Model.make()`), which the graph does
/// not link. Named by the first class using it, else by the metaclass.
fn metaclass_member(graph: &Graph, parsed: &ParsedFiles, member: &str, class: SymbolId) -> Result<(), String> {
    if !graph.library_bases(class).iter().any(|base| base == "builtins.type") {
        return Ok(());
    }
    let user = graph.files().filter(|(_, e)| !graph.is_library_path(&e.path) && e.text().contains("metaclass")).find_map(|(file, _)| {
        let mut classes = ClassKeywords::default();
        classes.visit_body(&parsed.get(file).syntax().body);
        classes.metaclasses.into_iter().find_map(|(name, value)| {
            let Some(Resolved::Symbol(used)) = graph.definition(file, value.end) else { return None };
            graph.self_and_ancestors(used).contains(&class).then_some(Location { file, span: name })
        })
    });
    let (what, at) = match (user, graph.location(class)) {
        (Some(at), _) => ("the class at", place(graph, &at)),
        (None, Some(at)) => ("the metaclass at", place(graph, &at)),
        (None, None) => ("the metaclass", String::new()),
    };
    Err(format!(
        "`{member}` is a member of a metaclass, which the classes using it read as their own (`Class.{}`), where rename cannot follow them ({what} {at})",
        member.rsplit('.').next().unwrap_or(member),
    ))
}

/// A read of `.name` that resolves to nothing, on a receiver whose type is
/// a base of `class` lacking `name` (`db.storage.handle` with
/// `storage: Storage`): the object there may be a `class`, whose member
/// the read then is. (Untyped receivers are `rename_guard`'s.)
fn read_on_a_base(graph: &Graph, class: SymbolId, name: &str) -> Result<(), String> {
    let defines = |base: SymbolId| {
        graph.members(base).into_iter().any(|m| graph.symbol(m).is_some_and(|s| s.name == name))
            || graph.library_bases(base).iter().any(|library| graph.library_members(library, false).iter().any(|m| m.name == name))
    };
    let bases: Vec<SymbolId> = graph.self_and_ancestors(class).into_iter().skip(1).filter(|&base| !defines(base)).collect();
    if bases.is_empty() {
        return Ok(());
    }
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !entry.text().contains(name) {
            continue;
        }
        let mut resolver = graph.reference_resolver(file);
        for reference in &entry.summary.references {
            let segments: Vec<_> = reference.segments().collect();
            let Some(index) = segments.iter().position(|(segment, _)| *segment == name).filter(|&i| i > 0) else { continue };
            // Linked to a member, or read outside the workspace on a base
            // whose library bases lack it too (`abc.ABC._handle` for
            // tinydb's `Storage(ABC)`), which is no member either.
            if matches!(resolver.segments(reference).get(index), Some(Some(Resolved::Symbol(_) | Resolved::Local { .. }))) {
                continue;
            }
            let Some(typed) = graph.inferred_type_of(file, segments[index - 1].1.start) else { continue };
            if typed.classes.iter().any(|c| bases.contains(c)) {
                let shown = |id: SymbolId| graph.symbol(id).map(|s| s.name.to_owned()).unwrap_or_default();
                return Err(format!(
                    "`.{name}` is read at {} on a value typed `{}`, a base of `{}` without `{name}`: the object there may be a `{}`, whose member rename cannot tie to that read",
                    place(graph, &Location { file, span: segments[index].1 }),
                    typed.display,
                    shown(class),
                    shown(class),
                ));
            }
        }
    }
    Ok(())
}

/// `class C(metaclass=M)`: each class's name and its `metaclass=` value.
#[derive(Default)]
struct ClassKeywords {
    metaclasses: Vec<(Span, Span)>,
}

impl<'a> Visitor<'a> for ClassKeywords {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::ClassDef(class) = stmt
            && let Some(keyword) = class.keywords().iter().find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass"))
        {
            self.metaclasses.push((class.name.range().into(), keyword.value.range().into()));
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// A member of a class tied to another by `Base.register(Impl)` (or
/// `@Base.register`), when another class of the two's hierarchies defines
/// the same name: `b.run()` on a `Base` may run `Impl.run`, which does not
/// inherit it.
fn registered(graph: &Graph, parsed: &ParsedFiles, class: SymbolId, name: &str, member: SymbolId) -> Result<(), String> {
    for (file, _) in graph.files().filter(|(_, e)| !graph.is_library_path(&e.path) && e.text().contains(".register")) {
        let mut calls = Registrations::default();
        calls.visit_body(&parsed.get(file).syntax().body);
        for (at, abc, registered) in calls.found {
            let class_at = |span: Span| match graph.definition(file, span.end) {
                Some(Resolved::Symbol(id)) if graph.symbol(id).is_some_and(|s| s.kind == SymbolKind::Class) => Some(id),
                _ => None,
            };
            let (Some(abc), Some(registered)) = (class_at(abc), class_at(registered)) else { continue };
            let mut group: Vec<SymbolId> = Vec::new();
            for side in [abc, registered] {
                group.extend(graph.self_and_ancestors(side));
                group.extend(graph.implementations(side));
            }
            if !group.contains(&class) {
                continue;
            }
            let other = group.iter().find_map(|&c| {
                graph.children(c).into_iter().find(|&m| m != member && graph.symbol(m).is_some_and(|s| s.name == name && s.kind != SymbolKind::Class))
            });
            if let Some(other) = other {
                let shown = graph.symbol(other).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
                return Err(format!(
                    "{} registers a virtual subclass (`.register`), which implements the ABC by name without inheriting it: `{shown}` would keep the name `{name}`",
                    place(graph, &Location { file, span: at })
                ));
            }
        }
    }
    Ok(())
}

/// `X.register(Y)` calls and `@X.register` class decorators: the place,
/// `X` and `Y` (the class's name for a decorator).
#[derive(Default)]
struct Registrations {
    found: Vec<(Span, Span, Span)>,
}

impl<'a> Visitor<'a> for Registrations {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::ClassDef(class) = stmt {
            for decorator in &class.decorator_list {
                if let Expr::Attribute(attribute) = &decorator.expression
                    && attribute.attr.as_str() == "register"
                {
                    self.found.push((decorator.range().into(), attribute.value.range().into(), class.name.range().into()));
                }
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Attribute(attribute) = &*call.func
            && attribute.attr.as_str() == "register"
            && let [registered] = &*call.arguments.args
        {
            self.found.push((call.range().into(), attribute.value.range().into(), registered.range().into()));
        }
        visitor::walk_expr(self, expr);
    }
}

/// Why the parameter `parameter` of the method `function` cannot be
/// renamed at every call that reaches it: a subclass inherits `function`'s
/// class and another class defining the same method with `**kwargs`
/// (`class Child(Mixin, Base)`), whose `super().__init__(**kwargs)` hands
/// `Child(size=5)`'s keywords on to it.
pub(super) fn forwarded_by_a_sibling(graph: &Graph, function: SymbolId, parameter: &str) -> Result<(), String> {
    let takes_keywords =
        |sibling: SymbolId| graph.symbol(sibling).and_then(|s| s.signature).is_some_and(|s| s.parameters.iter().any(|p| p.kind == ParameterKind::VarKeyword));
    let Some((subclass, sibling)) = super::rename_guard::beside_in_a_subclass(graph, function, takes_keywords) else { return Ok(()) };
    let at = |id: SymbolId| graph.location(id).map(|l| place(graph, &l)).unwrap_or_default();
    let name = |id: SymbolId| graph.symbol(id).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
    Err(format!(
        "`{}` at {} takes `**` keywords and, in the order of `{}` at {}, may pass `{parameter}` on to `{}` through `super()`, from calls rename cannot follow",
        name(sibling),
        at(sibling),
        name(subclass),
        at(subclass),
        name(function)
    ))
}
