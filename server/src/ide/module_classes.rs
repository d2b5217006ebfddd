//! Whether a module can be the instance a workspace descriptor's
//! `__get__`, `__set__` or `__delete__` receives (`obj` of `def
//! __get__(self, obj, objtype)`): Python passes the object an attribute is
//! looked up on, and finds the descriptor on that object's class. A
//! module is such an object only when its class derives from `ModuleType`
//! (a module's class set to one, or `sys.modules` given an instance) and
//! that class has the descriptor as a class attribute; or when code calls
//! `__get__` itself.
//!
//! So a module may reach a descriptor's instance parameter only through:
//! a call of `__get__`/`__set__`/`__delete__` written out (not `super()`'s,
//! which hands on its own); `ModuleType` used otherwise than as a base
//! or in `isinstance` (`type("M", (ModuleType,), {...})`); a class
//! deriving from it (by name or `type(sys)`) whose body or a workspace
//! base's is more than plain methods and constants (a decorator, a
//! metaclass, a value computed, `__init_subclass__`); or whose name is
//! used otherwise than to call it, derive from it or test `isinstance`
//! (`C.x = cachedproperty(f)`, a class handed on). Found by syntax, the
//! classes by the graph; the first such place is the answer.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet;

use super::parsed_files::ParsedFiles;
use crate::graph::{FileId, Graph, Location, Span, SymbolId, SymbolKind};

/// The first place that may hand a module to a workspace descriptor's
/// instance parameter; `None` when nothing can.
pub(super) fn module_reaching_descriptors(graph: &Graph) -> Option<Location> {
    let parsed = ParsedFiles::new(graph);
    let workspace: Vec<FileId> = graph.files().filter(|(_, e)| !graph.is_library_path(&e.path)).map(|(id, _)| id).collect();
    let spells = |id: FileId, words: &[&str]| graph.file(id).is_some_and(|e| words.iter().any(|w| e.text().contains(w)));
    let mut classes: Vec<SymbolId> = Vec::new();
    for &file in workspace.iter().filter(|&&f| spells(f, &["__get__(", "__set__(", "__delete__(", "ModuleType", "type("])) {
        let mut scan = Scan { found: None, module_bases: Vec::new(), allowed: FxHashSet::default(), names: &["ModuleType"] };
        scan.visit_body(&parsed.get(file).syntax().body);
        if let Some(span) = scan.found {
            return Some(Location { file, span });
        }
        for name in scan.module_bases {
            classes.extend(graph.symbol_at(file, name.start().to_u32()).filter(|&c| graph.symbol(c).is_some_and(|s| s.kind == SymbolKind::Class)));
        }
    }
    // Their subclasses are module classes too; their workspace bases lend them attributes.
    let mut seen: FxHashSet<SymbolId> = FxHashSet::default();
    let mut module_classes = Vec::new();
    while let Some(class) = classes.pop() {
        if seen.insert(class) {
            module_classes.push(class);
            classes.extend(graph.subclasses(class));
        }
    }
    let mut lending: Vec<SymbolId> = module_classes.clone();
    let mut at = 0;
    while let Some(&class) = lending.get(at) {
        at += 1;
        for base in graph.bases(class) {
            let in_workspace = graph.location(base).is_some_and(|l| workspace.contains(&l.file));
            if in_workspace && seen.insert(base) {
                lending.push(base);
            }
        }
    }
    for class in lending {
        let location = graph.location(class)?;
        let tree = parsed.get(location.file);
        let Some(def) = class_def(&tree.syntax().body, location.span) else { return Some(location) };
        if let Some(span) = not_plain(def) {
            return Some(Location { file: location.file, span });
        }
    }
    for class in module_classes {
        let symbol = graph.symbol(class)?;
        let name = symbol.qualified_name.rsplit('.').next().unwrap_or_default().to_owned();
        let references = graph.references(class);
        // The names it is read by: its own, and an alias it is imported as.
        let mut names: Vec<String> = vec![name];
        let mut files: Vec<FileId> = graph.location(class).map(|l| l.file).into_iter().collect();
        for reference in &references {
            let written = graph.file(reference.file).and_then(|e| e.text().get(reference.span.range())).unwrap_or_default();
            let last = written.rsplit('.').next().unwrap_or_default().trim().to_owned();
            if !last.is_empty() && !names.contains(&last) {
                names.push(last);
            }
            if !files.contains(&reference.file) {
                files.push(reference.file);
            }
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        for file in files {
            let mut scan = Scan { found: None, module_bases: Vec::new(), allowed: FxHashSet::default(), names: &names };
            scan.visit_body(&parsed.get(file).syntax().body);
            if let Some(span) = scan.found {
                return Some(Location { file, span });
            }
        }
    }
    None
}

/// The `class` statement whose name is at `name`.
fn class_def(body: &[Stmt], name: Span) -> Option<&ast::StmtClassDef> {
    struct Find<'a> {
        name: Span,
        found: Option<&'a ast::StmtClassDef>,
    }
    impl<'a> Visitor<'a> for Find<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::ClassDef(class) if Span::from(class.name.range()) == self.name => self.found = Some(class),
                _ if self.found.is_none() => visitor::walk_stmt(self, stmt),
                _ => {}
            }
        }
    }
    let mut find = Find { name, found: None };
    find.visit_body(body);
    find.found
}

/// The first statement or part of a class that may give it a class
/// attribute holding a workspace object: a class decorator, a keyword (a
/// metaclass), a method decorated otherwise than by the standard ones,
/// `__init_subclass__`, a value other than a constant, any other statement.
fn not_plain(class: &ast::StmtClassDef) -> Option<Span> {
    if let Some(decorator) = class.decorator_list.first() {
        return Some(decorator.range().into());
    }
    if let Some(keyword) = class.arguments.as_ref().and_then(|a| a.keywords.first()) {
        return Some(keyword.range().into());
    }
    let standard = |d: &ast::Decorator| match &d.expression {
        Expr::Name(n) => matches!(n.id.as_str(), "staticmethod" | "classmethod" | "property" | "abstractmethod" | "override" | "final"),
        Expr::Attribute(a) => matches!(a.attr.as_str(), "setter" | "getter" | "deleter"),
        _ => false,
    };
    class
        .body
        .iter()
        .find(|stmt| !match stmt {
            Stmt::Pass(_) => true,
            Stmt::Expr(e) => constant(&e.value),
            Stmt::FunctionDef(f) => f.name.as_str() != "__init_subclass__" && f.decorator_list.iter().all(standard),
            Stmt::Assign(a) => constant(&a.value),
            Stmt::AnnAssign(a) => a.value.as_deref().is_none_or(constant),
            _ => false,
        })
        .map(|stmt| stmt.range().into())
}

/// A literal, or a container of literals.
fn constant(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) | Expr::EllipsisLiteral(_) => {
            true
        }
        Expr::Tuple(t) => t.elts.iter().all(constant),
        Expr::List(l) => l.elts.iter().all(constant),
        Expr::Set(s) => s.elts.iter().all(constant),
        Expr::Dict(d) => d.items.iter().all(|i| i.key.as_ref().is_none_or(constant) && constant(&i.value)),
        _ => false,
    }
}

/// One file's walk: the first use of one of `names` (a class's names, or
/// `ModuleType`) otherwise than as a base, a call's callee or a type
/// `isinstance`/`issubclass` tests; a descriptor call written out; the
/// names of the classes deriving from `ModuleType` or `type(...)`.
struct Scan<'n> {
    found: Option<Span>,
    module_bases: Vec<TextRange>,
    /// The ranges of the uses seen to be harmless, marked from above.
    allowed: FxHashSet<TextRange>,
    names: &'n [&'n str],
}

impl Scan<'_> {
    fn named(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Name(n) => self.names.contains(&n.id.as_str()),
            Expr::Attribute(a) => self.names.contains(&a.attr.as_str()),
            _ => false,
        }
    }

    fn allow(&mut self, expr: &Expr) {
        match expr {
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.allow(e)),
            other => {
                self.allowed.insert(other.range());
            }
        }
    }
}

impl<'a> Visitor<'a> for Scan<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found.is_some() {
            return;
        }
        if let Stmt::ClassDef(class) = stmt {
            for base in class.bases() {
                self.allow(base);
                let type_of = matches!(base, Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "type"));
                let module =
                    matches!(base, Expr::Name(n) if n.id.as_str() == "ModuleType") || matches!(base, Expr::Attribute(a) if a.attr.as_str() == "ModuleType");
                if (type_of || module) && self.names == ["ModuleType"] {
                    self.module_bases.push(class.name.range());
                }
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        match expr {
            Expr::Call(call) => {
                self.allow(&call.func);
                let tests = matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "isinstance" | "issubclass"));
                if let (true, [_, classes]) = (tests, &*call.arguments.args) {
                    self.allow(classes);
                }
                // `desc.__get__(module, type(module))`; `super().__get__(obj, …)` hands on its own.
                if let Expr::Attribute(a) = &*call.func
                    && matches!(a.attr.as_str(), "__get__" | "__set__" | "__delete__")
                    && !matches!(&*a.value, Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "super"))
                {
                    self.found = Some(expr.range().into());
                    return;
                }
            }
            _ if self.named(expr) && !self.allowed.contains(&expr.range()) => {
                self.found = Some(expr.range().into());
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
