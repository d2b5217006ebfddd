//! Where code sets a module's global from outside the module's own
//! statements: `old.x = …` (and `+=`, `del`, a `for` or `with` target),
//! `setattr(old, "x", …)`, `delattr`, `monkeypatch.setattr(old, "x", …)`
//! or `("old.x", …)`, `mock.patch("old.x")`, `patch.object(old, "x")`,
//! `patch.multiple(old, x=…)`, `patch.dict(vars(old), {"x": …})`, the
//! module's namespace written (`old.__dict__["x"] = …`, `vars(old)[k] = …`,
//! `.update(…)`, `globals()` in the module itself) or handed to code that
//! may write it (`exec(code, globals())`; a workspace function given it
//! sets what [`super::namespace_callees`] finds it sets). A string in an
//! annotation (`x: "old.C"`) is a type, read, not a patch target.
//!
//! Found by syntax, then the object is resolved by the graph: a store on
//! another module, a class, a function or `self` is not one on the module;
//! an object the graph cannot follow (a parameter, a call's result) is
//! reported as such where it may be the module: anywhere once the module
//! is handed on as a value (`configure(old)`, `m = old`), else in a file
//! that fetches modules or it by name (`sys.modules`, `import_module`, a
//! string naming it). Without that, a name the graph resolves elsewhere
//! is the only way to the module, and those are resolved.

use std::cell::OnceCell;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt};
use ruff_text_size::Ranged;
use rustc_hash::{FxHashMap, FxHashSet};

use super::namespace_callees::Handoff;
use crate::graph::summary::{BindingKind, DefinitionKind};
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolKind, Value};

/// A store of a module global found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Setter {
    /// Surely on the module.
    Module(Location),
    /// On an object that may be the module: `written` is the code as
    /// written (its first line), `why` what makes the object unknown.
    Unknown { place: Location, written: String, why: String },
}

impl Setter {
    /// Where it sets the global, as a refusal names it.
    pub(super) fn shown(&self, graph: &Graph) -> String {
        match self {
            Setter::Module(at) => crate::graph::explain::place(graph, at),
            Setter::Unknown { place: at, written, .. } => format!("`{written}` at {}", crate::graph::explain::place(graph, at)),
        }
    }
}

/// For each of `names` (module-level names of the module of `file`), the
/// first place (files in the graph's order, then source order) that sets
/// it from outside the module's own code.
pub(super) fn setters(graph: &Graph, file: FileId, names: &[&str]) -> FxHashMap<String, Setter> {
    let mut out: FxHashMap<String, Setter> = FxHashMap::default();
    let Some(module) = graph.file(file).map(|e| e.module.clone()) else { return out };
    if names.is_empty() {
        return out;
    }
    // `import_module("pkg.old")`. (Not its last part alone: `"cookies"` is
    // a dictionary key in many files; `getattr(pkg, "old")` is left.)
    let quoted = [format!("\"{module}\""), format!("'{module}'")];
    // Handed on as a value (`configure(old)`, `m = old`): any object anywhere
    // may be the module. Otherwise only a file that fetches it by name may
    // hold it other than by its names, which the graph resolves.
    let escapes = graph.module_symbol(file).is_some_and(|m| graph.references(m).iter().any(|l| escaping(graph, l)));
    let computed_markers = ["setattr", "delattr", "__dict__", "vars(", "globals(", "multiple(", ".dict("];
    // Where a module may reach a descriptor's instance parameter, found once.
    let reach = OnceCell::new();
    for (id, entry) in graph.files() {
        let text: &str = entry.text();
        if graph.is_library_path(&entry.path) || !(names.iter().any(|n| text.contains(n)) || computed_markers.iter().any(|m| text.contains(m))) {
            continue;
        }
        let by_name = ["sys.modules", "import_module(", "__import__("].iter().any(|m| text.contains(m));
        let reaches = escapes || by_name || quoted.iter().any(|q| text.contains(q.as_str()));
        for store in stores(text, &module, names) {
            let setter = match &store.object {
                Object::Chain(last) => match object_is_module(graph, id, *last, &module, &reach) {
                    Ok(true) => Some(Setter::Module(Location { file: id, span: store.span })),
                    Ok(false) => None,
                    // A descriptor's instance: a module's class may hold the descriptor, wherever the file is.
                    Err(Some(through)) => Some(Setter::Unknown {
                        place: Location { file: id, span: store.span },
                        written: store.written.clone(),
                        why: format!(
                            "its object is a descriptor's instance, which a module may be: `{}` at {}",
                            first_line(graph, &through),
                            crate::graph::explain::place(graph, &through)
                        ),
                    }),
                    Err(None) => reaches.then(|| unknown(id, &store)),
                },
                Object::Module(named) => (*named == module).then_some(Setter::Module(Location { file: id, span: store.span })),
                Object::Here => (id == file).then_some(Setter::Module(Location { file: id, span: store.span })),
                Object::Unknown => reaches.then(|| unknown(id, &store)),
            };
            let Some(setter) = setter else { continue };
            // Handed to a workspace function: the keys it sets, when it tells.
            let handed = store.handed.as_ref().and_then(|h| super::namespace_callees::keys_set(graph, id, h));
            let set: Vec<&str> = match (&store.name, &handed) {
                (Some(name), _) => vec![name.as_str()],
                (None, Some(keys)) => names.iter().copied().filter(|n| keys.iter().any(|k| k == n)).collect(),
                (None, None) => names.to_vec(),
            };
            for name in set {
                out.entry(name.to_owned()).or_insert_with(|| setter.clone());
            }
        }
    }
    out
}

/// Whether the name at `at` in `file` (a name, or a dotted chain's last
/// name) is the module `module` (by the graph); `None` when it cannot
/// tell (a parameter, a variable, a name it cannot resolve). `self`,
/// `cls`, a class, a function, a library's object and a local that only
/// ever holds a new instance (a constructor call, of a workspace class or
/// a standard library one) are not.
pub(super) fn is_module(graph: &Graph, file: FileId, at: Span, module: &str) -> Option<bool> {
    object_is_module(graph, file, at, module, &OnceCell::new()).ok()
}

/// [`is_module`]; when it cannot tell, where a module may reach it if it
/// is a descriptor's instance parameter (found once per `reach`).
fn object_is_module(graph: &Graph, file: FileId, at: Span, module: &str, reach: &OnceCell<Option<Location>>) -> Result<bool, Option<Location>> {
    if graph.file(file).and_then(|e| e.text().get(at.range())).is_some_and(|name| matches!(name, "self" | "cls")) {
        return Ok(false);
    }
    match graph.definition(file, at.start).ok_or(None)? {
        Resolved::Symbol(id) => match graph.symbol(id).ok_or(None)?.kind {
            SymbolKind::Module => Ok(graph.symbol(id).ok_or(None)?.qualified_name == module),
            SymbolKind::Variable => Err(None),
            SymbolKind::Class | SymbolKind::Function | SymbolKind::Method | SymbolKind::External => Ok(false),
        },
        Resolved::External(_) => Ok(false),
        // `ret = FunctionType(...)`: a new object, whatever a listing elsewhere in the file reads.
        Resolved::Local { file: bound_in, span } => {
            let name = graph.file(file).and_then(|e| e.text().get(at.range())).ok_or(None)?;
            if graph.holds_new_object(file, at.start, name) || library_instance(graph, file, at, name) {
                return Ok(false);
            }
            if !descriptor_instance(graph, bound_in, span, name) {
                return Err(None);
            }
            match reach.get_or_init(|| super::module_classes::module_reaching_descriptors(graph)) {
                None => Ok(false),
                Some(through) => Err(Some(through.clone())),
            }
        }
    }
}

/// Whether every value inference gives the local `name` at `at` is an
/// instance of a library class that is no module type (`args =
/// parser.parse_args()`, an `argparse.Namespace`: tester 27, L1). A
/// workspace class's instance is not judged: the class may derive from
/// `ModuleType`.
fn library_instance(graph: &Graph, file: FileId, at: Span, name: &str) -> bool {
    let values = graph.infer_chain(file, at.start, &[name]);
    !values.is_empty() && values.iter().all(|value| matches!(value, Value::ExternalInstance(class) if class != "types.ModuleType"))
}

/// The first line of the code at `at`.
fn first_line(graph: &Graph, at: &Location) -> String {
    let code = graph.file(at.file).and_then(|e| e.text().get(at.span.range())).unwrap_or_default();
    code.lines().next().unwrap_or_default().trim().to_owned()
}

/// Whether the local bound at `span` is the instance parameter of a
/// descriptor's `__get__`, `__set__` or `__delete__` (`obj` of `def
/// __get__(self, obj, objtype)`), read where that binding reaches: an
/// instance of a class the descriptor is set on. A module is one only
/// through a class deriving from `ModuleType` that may hold the
/// descriptor, or a call of `__get__` written out (asked apart:
/// [`super::module_classes`]).
fn descriptor_instance(graph: &Graph, file: FileId, span: Span, name: &str) -> bool {
    let Some(entry) = graph.file(file) else { return false };
    let parameter = entry.summary.bindings.iter().any(|b| b.range == span && b.name == name && matches!(b.kind, BindingKind::Parameter { .. }));
    let method = entry
        .summary
        .definitions
        .iter()
        .filter(|d| d.kind == DefinitionKind::Method && d.range.start <= span.start && span.end <= d.range.end)
        .min_by_key(|d| d.range.end - d.range.start);
    let second = method.is_some_and(|d| {
        matches!(d.name.as_str(), "__get__" | "__set__" | "__delete__")
            && d.signature.as_ref().and_then(|s| s.parameters.get(1)).is_some_and(|p| p.name == name)
    });
    parameter && second
}

/// Whether a reference to a module uses it as a value: not `m.attr`, not
/// an import statement, not the object given to `setattr`, `delattr` or
/// `patch.object`/`patch.multiple` (those are stores found as such).
fn escaping(graph: &Graph, reference: &Location) -> bool {
    let Some(entry) = graph.file(reference.file) else { return true };
    let text: &str = entry.text();
    let after = text.get(reference.span.end as usize..).unwrap_or_default().trim_start_matches([' ', '\t']);
    let before = text.get(..reference.span.start as usize).unwrap_or_default().trim_end();
    let within = |span: Span| span.start <= reference.span.start && reference.span.end <= span.end;
    let in_import = entry.summary.imports.iter().any(|i| within(i.range) || within(i.module_range));
    let store_object = ["setattr(", "delattr(", "object(", "multiple("].iter().any(|f| before.ends_with(f));
    // `__all__ = ["old"]` in its package.
    let quoted = before.ends_with(['"', '\'']);
    !(after.starts_with('.') || in_import || store_object || quoted)
}

fn unknown(file: FileId, store: &Store) -> Setter {
    let why = "which object it sets cannot be followed".to_owned();
    Setter::Unknown { place: Location { file, span: store.span }, written: store.written.clone(), why }
}

/// What a store writes into.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Object {
    /// A name or a dotted chain of names: the span of its last segment,
    /// which the graph resolves.
    Chain(Span),
    /// A module by its dotted name (`sys.modules["a.b"]`, `"a.b.x"`).
    Module(String),
    /// The file's own module (`globals()`, `sys.modules[__name__]`).
    Here,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Store {
    /// The name set; `None` when it is computed (any name).
    name: Option<String>,
    object: Object,
    span: Span,
    written: String,
    /// A namespace given to this call, which may set any name unless the
    /// function it calls tells ([`super::namespace_callees`]).
    handed: Option<Handoff>,
}

/// The stores in `text` of one of `names` (or of a computed name) on any
/// object, and strings naming `module.name` (what `mock.patch` and
/// `monkeypatch.setattr` are given).
fn stores(text: &str, module: &str, names: &[&str]) -> Vec<Store> {
    let parsed = ruff_python_parser::parse_unchecked_source(text, ast::PySourceType::Python);
    let mut finder = Finder { text, module, names, found: Vec::new(), consumed: FxHashSet::default(), annotation: false };
    finder.visit_body(&parsed.syntax().body);
    finder.found
}

struct Finder<'t> {
    text: &'t str,
    module: &'t str,
    names: &'t [&'t str],
    found: Vec<Store>,
    /// Namespaces (`vars(m)`, `m.__dict__`, `globals()`) read or written in
    /// a way the finder follows; any other use hands them on.
    consumed: FxHashSet<Span>,
    /// Inside an annotation, whose strings are types (`x: "old.Cls"`), read.
    annotation: bool,
}

/// The value of a plain string literal.
fn literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(s) if s.value.as_slice().len() == 1 => Some(s.value.to_str()),
        _ => None,
    }
}

/// Methods of a mapping that only read it.
const READING: [&str; 8] = ["get", "keys", "values", "items", "copy", "__contains__", "__getitem__", "__len__"];

impl<'t> Finder<'t> {
    fn written(&self, expr: &Expr) -> String {
        let source = &self.text[expr.range().to_std_range()];
        let first = source.lines().next().unwrap_or_default();
        if first.len() < source.len() || first.chars().count() > 60 {
            let cut: String = first.chars().take(57).collect();
            format!("{}…", cut.trim_end())
        } else {
            first.to_owned()
        }
    }

    /// Records a store of `name` (a literal; `None` when computed) on
    /// `object`, unless the literal is none of the names.
    fn store(&mut self, name: Option<&str>, object: Object, at: &Expr) {
        if name.is_some_and(|n| !self.names.contains(&n)) {
            return;
        }
        let written = self.written(at);
        self.found.push(Store { name: name.map(str::to_owned), object, span: Span::from(at.range()), written, handed: None });
    }

    /// A store of the name an argument spells (a computed one when it is
    /// not a literal).
    fn store_named(&mut self, name: Option<&Expr>, object: Object, at: &Expr) {
        match name {
            Some(Expr::StringLiteral(_)) => {
                if let Some(name) = name.and_then(literal) {
                    self.store(Some(name), object, at);
                }
            }
            _ => self.store(None, object, at),
        }
    }

    /// The store of `"a.b.x"` (what `monkeypatch.setattr("a.b.x", v)` is given).
    fn store_path(&mut self, path: Option<&Expr>, at: &Expr) {
        match path.and_then(literal) {
            Some(path) => {
                if let Some((module, name)) = path.rsplit_once('.') {
                    self.store(Some(name), Object::Module(module.to_owned()), at);
                }
            }
            None => self.store(None, Object::Unknown, at),
        }
    }

    /// The object whose attributes a namespace expression holds:
    /// `vars(m)`, `m.__dict__`, `globals()`.
    fn namespace(&self, expr: &Expr) -> Option<Object> {
        match expr {
            Expr::Call(call) => match (&*call.func, &*call.arguments.args) {
                (Expr::Name(n), [of]) if n.id.as_str() == "vars" && call.arguments.keywords.is_empty() => Some(object(of)),
                (Expr::Name(n), []) if n.id.as_str() == "globals" => Some(Object::Here),
                _ => None,
            },
            Expr::Attribute(a) if a.attr.as_str() == "__dict__" => Some(object(&a.value)),
            _ => None,
        }
    }

    /// A store target: `m.x`, `ns["x"]`, and those inside tuples and lists.
    fn target(&mut self, target: &Expr) {
        match target {
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.target(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.target(e)),
            Expr::Starred(s) => self.target(&s.value),
            Expr::Attribute(a) => {
                let attr = a.attr.as_str();
                if self.names.contains(&attr) {
                    self.store(Some(attr), object(&a.value), target);
                }
            }
            Expr::Subscript(s) => {
                if let Some(ns) = self.namespace(&s.value) {
                    self.consumed.insert(Span::from(s.value.range()));
                    self.store_named(Some(&s.slice), ns, target);
                }
            }
            _ => {}
        }
    }

    /// `patch.dict(ns, {"x": 1}, y=2)`, `ns.update(…)`: the keys of the
    /// mappings and keywords given, or any name when one is not a literal.
    fn store_keys(&mut self, arguments: &ast::Arguments, skip: usize, object: &Object, at: &Expr) {
        for argument in arguments.args.iter().skip(skip) {
            match argument {
                Expr::Dict(dict) => {
                    for item in &dict.items {
                        self.store_named(item.key.as_ref(), object.clone(), at);
                    }
                }
                _ => self.store(None, object.clone(), at),
            }
        }
        for keyword in &arguments.keywords {
            match &keyword.arg {
                // `patch.dict(…, clear=True)` empties it.
                Some(arg) if arg.as_str() == "clear" => self.store(None, object.clone(), at),
                Some(arg) => self.store(Some(arg.as_str()), object.clone(), at),
                None => self.store(None, object.clone(), at),
            }
        }
    }

    /// `describe(mod.__dict__)`: a namespace handed to a named callee, by
    /// position (before any `*args`) or keyword.
    fn handoffs(&mut self, call: &ast::ExprCall) {
        let Some((callee, handed)) = super::namespace_callees::handed(call) else { return };
        for (argument, value) in handed {
            let Some(ns) = self.namespace(value).filter(|_| !self.consumed.contains(&Span::from(value.range()))) else { continue };
            self.consumed.insert(Span::from(value.range()));
            let written = self.written(value);
            let handoff = Handoff { callee, argument };
            self.found.push(Store { name: None, object: ns, span: Span::from(value.range()), written, handed: Some(handoff) });
        }
    }

    fn call(&mut self, expr: &Expr, call: &ast::ExprCall) {
        let args = &call.arguments.args;
        let (callee, receiver) = match &*call.func {
            Expr::Name(n) => (n.id.as_str(), None),
            Expr::Attribute(a) => (a.attr.as_str(), Some(&*a.value)),
            _ => return,
        };
        let on_patch =
            receiver.is_some_and(|r| matches!(r, Expr::Name(n) if n.id.as_str() == "patch") || matches!(r, Expr::Attribute(a) if a.attr.as_str() == "patch"));
        match callee {
            // `monkeypatch.setattr("a.b.x", value)`, `monkeypatch.delattr("a.b.x")`.
            "setattr" if receiver.is_some() && args.len() == 2 && !matches!(args[0], Expr::Name(_) | Expr::Attribute(_)) => self.store_path(args.first(), expr),
            "delattr" if receiver.is_some() && args.len() == 1 => self.store_path(args.first(), expr),
            "setattr" | "delattr" if !args.is_empty() => self.store_named(args.get(1), object(&args[0]), expr),
            "object" if on_patch && !args.is_empty() => self.store_named(args.get(1), object(&args[0]), expr),
            "multiple" if on_patch && !args.is_empty() => {
                let target = match literal(&args[0]) {
                    Some(module) => Object::Module(module.to_owned()),
                    None => object(&args[0]),
                };
                self.store_keys(&call.arguments, 1, &target, expr);
            }
            "dict" if on_patch && !args.is_empty() => {
                let target = match literal(&args[0]) {
                    Some(path) => path.strip_suffix(".__dict__").map(|m| Object::Module(m.to_owned())),
                    None => self.namespace(&args[0]),
                };
                if let Some(target) = target {
                    self.consumed.insert(Span::from(args[0].range()));
                    self.store_keys(&call.arguments, 1, &target, expr);
                }
            }
            // `object.__setattr__(m, "x", v)`, `m.__setattr__("x", v)`.
            "__setattr__" | "__delattr__" => {
                let plain = matches!(receiver, Some(Expr::Name(n)) if matches!(n.id.as_str(), "object" | "type"));
                match receiver {
                    Some(_) if plain && !args.is_empty() => self.store_named(args.get(1), object(&args[0]), expr),
                    Some(receiver) => self.store_named(args.first(), object(receiver), expr),
                    None => {}
                }
            }
            method => {
                // `state.update(r.__dict__)`: read, into another mapping.
                if method == "update" {
                    let read: Vec<Span> = args.iter().filter(|a| self.namespace(a).is_some()).map(|a| Span::from(a.range())).collect();
                    self.consumed.extend(read);
                }
                let Some(ns) = receiver.and_then(|r| self.namespace(r)) else { return };
                self.consumed.insert(Span::from(receiver.map(Ranged::range).unwrap_or_default()));
                match method {
                    _ if READING.contains(&method) => {}
                    "setdefault" | "pop" | "__setitem__" | "__delitem__" => self.store_named(args.first(), ns, expr),
                    "update" => self.store_keys(&call.arguments, 0, &ns, expr),
                    _ => self.store(None, ns, expr),
                }
            }
        }
    }
}

/// What an expression holding an object is: a chain of names, a module
/// fetched by name, or something the finder cannot follow.
fn object(expr: &Expr) -> Object {
    match expr {
        Expr::Name(n) => Object::Chain(Span::from(n.range())),
        Expr::Attribute(a) => match object(&a.value) {
            Object::Chain(_) => Object::Chain(Span::from(a.attr.range())),
            Object::Module(m) => Object::Module(format!("{m}.{}", a.attr.as_str())),
            _ => Object::Unknown,
        },
        // `importlib.import_module("a.b")`.
        Expr::Call(call) => {
            let import = matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "import_module")
                || matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "import_module");
            match (import, call.arguments.args.first().and_then(literal)) {
                (true, Some(module)) if call.arguments.args.len() == 1 && !module.starts_with('.') => Object::Module(module.to_owned()),
                _ => Object::Unknown,
            }
        }
        // `sys.modules["a.b"]`, `sys.modules[__name__]`.
        Expr::Subscript(s) if matches!(&*s.value, Expr::Attribute(a) if a.attr.as_str() == "modules") => match (&*s.slice, literal(&s.slice)) {
            (_, Some(module)) => Object::Module(module.to_owned()),
            (Expr::Name(n), None) if n.id.as_str() == "__name__" => Object::Here,
            _ => Object::Unknown,
        },
        _ => Object::Unknown,
    }
}

impl<'a> Visitor<'a> for Finder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Assign(s) => s.targets.iter().for_each(|t| self.target(t)),
            Stmt::AugAssign(s) => self.target(&s.target),
            Stmt::AnnAssign(s) if s.value.is_some() => self.target(&s.target),
            Stmt::Delete(s) => s.targets.iter().for_each(|t| self.target(t)),
            Stmt::For(s) => self.target(&s.target),
            Stmt::With(s) => s.items.iter().filter_map(|i| i.optional_vars.as_deref()).for_each(|t| self.target(t)),
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_annotation(&mut self, expr: &'a Expr) {
        let outer = std::mem::replace(&mut self.annotation, true);
        visitor::walk_annotation(self, expr);
        self.annotation = outer;
    }

    fn visit_comprehension(&mut self, comprehension: &'a ast::Comprehension) {
        self.target(&comprehension.target);
        visitor::walk_comprehension(self, comprehension);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                self.call(expr, call);
                self.handoffs(call);
            }
            // `ns["x"]` read, `"x" in ns`: reads of the namespace.
            Expr::Subscript(s) if self.namespace(&s.value).is_some() => {
                self.consumed.insert(Span::from(s.value.range()));
            }
            Expr::Compare(c) if c.ops.iter().any(|op| matches!(op, CmpOp::In | CmpOp::NotIn)) => {
                for operand in c.comparators.iter() {
                    if self.namespace(operand).is_some() {
                        self.consumed.insert(Span::from(operand.range()));
                    }
                }
            }
            Expr::StringLiteral(_) if !self.annotation => {
                // `mock.patch("old.x")`: what the string names is set.
                let named = literal(expr).and_then(|s| s.strip_prefix(self.module)).and_then(|rest| rest.strip_prefix('.'));
                if let Some(name) = named.filter(|n| self.names.contains(n)) {
                    self.store(Some(name), Object::Module(self.module.to_owned()), expr);
                }
            }
            _ => {}
        }
        // Handed on (`exec(code, globals())`, `d = vars(m)`): any name may be set.
        if let Some(ns) = self.namespace(expr).filter(|_| !self.consumed.contains(&Span::from(expr.range()))) {
            self.store(None, ns, expr);
        }
        visitor::walk_expr(self, expr);
    }
}
