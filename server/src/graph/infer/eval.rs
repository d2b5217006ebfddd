//! The inference itself: the type of a binding, a variable, a function's
//! result or an expression, computed on demand by the resolver and
//! memoised for the resolver's lifetime (one file's linking, or one query).
//! A type under computation reads as unknown (recursion guard), and
//! nesting is bounded by [`MAX_INFER_DEPTH`].

use rustc_hash::{FxHashMap, FxHashSet};

use super::exprs::ValueExpr;
use super::generics::CallSite;
use super::ty::{Ty, union};
use crate::graph::resolve::{ClassRef, Resolver, Value};
use crate::graph::summary::{BindingKind, DefinitionId, DefinitionKind, ParameterKind, ScopeId, ScopeKind};
use crate::graph::{FileId, Name};

/// Inference nested deeper than this gives up (unknown).
pub(super) const MAX_INFER_DEPTH: u32 = 24;
/// A union keeps at most this many alternatives.
pub(super) const MAX_UNION: usize = 8;
/// Members a name prefix reaches at most (`getattr(self, "visit_" + kind)`).
const MAX_PREFIXED: usize = 32;

pub(super) type Class = (FileId, DefinitionId);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Binding(FileId, u32),
    Variable(FileId, DefinitionId),
    Returns(FileId, DefinitionId, Option<Class>),
    Object(FileId, DefinitionId, Option<Class>),
}

/// Types computed so far, and those being computed.
#[derive(Debug, Default)]
pub(in crate::graph) struct Memo {
    done: FxHashMap<Key, Vec<Ty>>,
    active: FxHashSet<Key>,
    /// Type parameters of the classes asked about (see `generics`).
    pub(super) parameters: FxHashMap<Class, Vec<String>>,
}

/// Decorators that leave a function's type as it is.
fn transparent(decorator: &str) -> bool {
    matches!(
        decorator,
        "staticmethod"
            | "classmethod"
            | "abstractmethod"
            | "override"
            | "final"
            | "wraps"
            | "cache"
            | "lru_cache"
            | "overload"
            | "setter"
            | "getter"
            | "deleter"
            | "abstractproperty"
    )
}

impl Resolver<'_> {
    fn memo(&mut self, key: Key, compute: impl FnOnce(&mut Self) -> Vec<Ty>) -> Vec<Ty> {
        if let Some(known) = self.types.done.get(&key) {
            return known.clone();
        }
        if !self.types.active.insert(key.clone()) {
            return Vec::new();
        }
        let mut types = compute(self);
        types.truncate(MAX_UNION);
        self.types.active.remove(&key);
        self.types.done.insert(key, types.clone());
        types
    }

    /// The type of an expression of `file`.
    pub(in crate::graph) fn eval(&mut self, file: FileId, expr: &ValueExpr, depth: u32) -> Vec<Ty> {
        if depth > MAX_INFER_DEPTH {
            return Vec::new();
        }
        let depth = depth + 1;
        let mut out = Vec::new();
        match expr {
            ValueExpr::Chain { chain, scope, at } => {
                let mut parts = chain.split('.');
                let Some(first) = parts.next() else { return out };
                let Some(value) = self.resolve_name(file, *scope, first, *at, depth) else { return out };
                out = self.value_types(&value, depth);
                for part in parts {
                    out = self.members_types(&out, part, depth);
                }
            }
            ValueExpr::Call(callee) => {
                for ty in self.eval(file, callee, depth) {
                    let called = self.call_types(&ty, depth);
                    union(&mut out, called);
                }
            }
            ValueExpr::CallWith(callee, arguments) => {
                let call = CallSite { file, arguments };
                // `sorted(xs, key=...)`: keywords do not change the elements.
                let single = match &arguments.positional[..] {
                    [argument] => Some(argument),
                    _ => None,
                };
                for ty in self.eval(file, callee, depth) {
                    let result = match (&ty, single) {
                        // `partial(f, x)` calls `f` when it is called: it
                        // stands for the function (what its callers call).
                        (Ty::External(path), _) if path == "functools.partial" => match arguments.positional.first() {
                            Some(function) => self.eval(file, function, depth).into_iter().filter(|t| matches!(t, Ty::Function(..))).collect(),
                            None => Vec::new(),
                        },
                        (Ty::External(path), Some(argument)) if matches!(path.as_str(), "copy.copy" | "copy.deepcopy") => self.eval(file, argument, depth),
                        // `type(self)`: the instance's class.
                        (Ty::External(path), Some(argument)) if path == "builtins.type" => self
                            .eval(file, argument, depth)
                            .into_iter()
                            .filter_map(|t| match t {
                                Ty::Instance(f, c, _) => Some(Ty::Class(f, c)),
                                _ => None,
                            })
                            .collect(),
                        (Ty::External(path), Some(argument)) if matches!(path.as_str(), "builtins.min" | "builtins.max") => {
                            let containers = self.eval(file, argument, depth);
                            containers.iter().flat_map(|c| self.iterate_types(c, depth)).collect()
                        }
                        (Ty::External(path), Some(argument)) if keeps_elements(path) => {
                            let mut items = Vec::new();
                            for container in self.eval(file, argument, depth) {
                                let elements = self.iterate_types(&container, depth);
                                union(&mut items, elements);
                            }
                            let name = path.rsplit('.').next().unwrap_or(path.as_str());
                            vec![Ty::Sequence(if name == "sorted" || name == "reversed" { "list" } else { name }.to_owned(), items)]
                        }
                        (Ty::External(path), Some(argument)) if matches!(path.as_str(), "builtins.staticmethod" | "builtins.classmethod") => {
                            self.eval(file, argument, depth).into_iter().filter(|t| matches!(t, Ty::Function(..))).collect()
                        }
                        (&Ty::Function(f, def, _), _) => {
                            let mut returned = self.call_with(&ty, Some(call), depth);
                            self.choose_by_arguments((f, def), call, &mut returned, depth);
                            returned
                        }
                        _ => self.call_with(&ty, Some(call), depth),
                    };
                    union(&mut out, result);
                }
            }
            ValueExpr::Attribute(base, name) => {
                let base = self.eval(file, base, depth);
                out = self.members_types(&base, name, depth);
            }
            ValueExpr::Subscript(base, index) => {
                for ty in self.eval(file, base, depth) {
                    let item = self.subscript_types(&ty, *index, depth);
                    union(&mut out, item);
                }
            }
            ValueExpr::Iterate(base) => {
                for ty in self.eval(file, base, depth) {
                    let item = self.iterate_types(&ty, depth);
                    union(&mut out, item);
                }
            }
            ValueExpr::Enter(base) => {
                for ty in self.eval(file, base, depth) {
                    let entered = self.enter_types(&ty, depth);
                    union(&mut out, entered);
                }
            }
            ValueExpr::Unpack(base, index) => {
                for ty in self.eval(file, base, depth) {
                    let item = match ty {
                        Ty::Tuple(items) => items.get(*index as usize).cloned().unwrap_or_default(),
                        Ty::Instance(f, c, _) if self.is_named_tuple(f, c) => self.named_tuple_field(f, c, *index, depth),
                        other => self.iterate_types(&other, depth),
                    };
                    union(&mut out, item);
                }
            }
            ValueExpr::Annotation { text, scope, at } => {
                let class = self.enclosing_class_of(file, *scope);
                out = self.annotation_types(file, *scope, *at, text, class, depth);
            }
            // The alias is the classes it names, as objects.
            ValueExpr::TypeExpr { text, scope, at } => {
                out = self
                    .annotation_types(file, *scope, *at, text, None, depth)
                    .into_iter()
                    .filter_map(|t| match t {
                        Ty::Instance(f, c, _) => Some(Ty::Class(f, c)),
                        Ty::ExternalInstance(path) => Some(Ty::External(path)),
                        _ => None,
                    })
                    .collect();
            }
            ValueExpr::Either(items) => {
                for item in items {
                    let types = self.eval(file, item, depth);
                    union(&mut out, types);
                }
            }
            ValueExpr::Elements(items) => {
                let mut elements = Vec::new();
                for item in items {
                    let types = self.eval(file, item, depth);
                    union(&mut elements, types);
                }
                out = vec![Ty::Sequence("list".to_owned(), elements)];
            }
            ValueExpr::Mapping(names) => {
                let mut values = Vec::new();
                for name in names {
                    let types = self.eval(file, name, depth);
                    union(&mut values, types);
                }
                out = vec![Ty::Mapping("dict".to_owned(), Vec::new(), values)];
            }
            ValueExpr::Prefixed(base, prefix) => {
                for ty in self.eval(file, base, depth) {
                    for name in self.member_names(&ty, prefix) {
                        let member = self.member_types(&ty, &name, depth);
                        union(&mut out, member);
                    }
                }
                // Handlers by prefix are many more than a union's usual few.
                out.truncate(MAX_PREFIXED);
                return out;
            }
            ValueExpr::Tuple(items) => {
                let items = items.iter().take(MAX_UNION).map(|item| self.eval(file, item, depth)).collect();
                out = vec![Ty::Tuple(items)];
            }
            ValueExpr::LambdaParameter { callee, argument, index } => {
                for ty in self.eval(file, callee, depth) {
                    let parameter = self.lambda_parameter(&ty, argument, *index, depth);
                    union(&mut out, parameter);
                }
            }
            ValueExpr::Comprehension(container, element) => {
                let Some(entry) = self.entry(file) else { return out };
                let mut element = (**element).clone();
                element.rescope(&|at| entry.summary.scope_at(at));
                out = vec![Ty::Sequence(container.to_string(), self.eval(file, &element, depth))];
            }
        }
        out.truncate(MAX_UNION);
        out
    }

    /// Whether a workspace class is a `typing.NamedTuple` (its instances
    /// unpack into its fields).
    fn is_named_tuple(&mut self, file: FileId, class: DefinitionId) -> bool {
        self.definition(file, class).is_some_and(|d| d.bases.iter().any(|b| b == "NamedTuple" || b.ends_with(".NamedTuple")))
    }

    /// The type of field `index` of a `NamedTuple` class: its annotation
    /// in the class body (fields in source order).
    fn named_tuple_field(&mut self, file: FileId, class: DefinitionId, index: u32, depth: u32) -> Vec<Ty> {
        let Some(entry) = self.entry(file) else { return Vec::new() };
        let definitions = &entry.summary.definitions;
        let Some(body) = definitions[class as usize].body else { return Vec::new() };
        let mut fields = definitions.iter().filter(|d| {
            // Annotated names of the body; not `self.x` attributes, not
            // class variables.
            d.scope == body
                && d.kind == DefinitionKind::Variable
                && d.range.start == d.name_range.start
                && d.annotation.as_deref().is_some_and(|a| !a.contains("ClassVar"))
        });
        let Some(field) = fields.nth(index as usize) else { return Vec::new() };
        let (scope, at, annotation) = (field.scope, field.range.start, field.annotation.unwrap_or_default());
        self.annotation_types(file, scope, at, &annotation, Some((file, class)), depth)
    }

    /// What a call of a resolved value runs: a class's `__init__` (when the
    /// workspace defines one) or the value itself; for a module or class
    /// variable, the workspace functions and classes it holds (`handler =
    /// on_click`, `factory: type[Cart] = Cart`). A variable of unknown value
    /// names no callee: it is not what runs.
    /// A local holds the same (`self_add = self.add`, then `self_add(k)`),
    /// but a class it holds is called only through a workspace `__init__`:
    /// the local's name must not become a reference of the class.
    pub(in crate::graph) fn call_targets(&mut self, value: &Value) -> Vec<Value> {
        let local = matches!(value, Value::Local(..));
        let holds_value = match value {
            Value::Local(..) => true,
            Value::Definition(file, def) => self.definition(*file, *def).is_some_and(|d| d.kind == DefinitionKind::Variable),
            _ => return self.class_method_construction(value).unwrap_or_else(|| vec![self.callee(value.clone())]),
        };
        if !holds_value {
            return vec![self.callee(value.clone())];
        }
        let mut out = Vec::new();
        for ty in self.value_types(value, 0) {
            let target = match ty {
                // Library functions and classes are no callees of the graph.
                Ty::Function(f, ..) | Ty::Class(f, _) if self.graph.is_library(f) => continue,
                Ty::Function(f, d, _) => Value::Definition(f, d),
                Ty::Class(f, d) if local => match self.workspace_init(f, d) {
                    Some(init) => init,
                    None => continue,
                },
                Ty::Class(f, d) => self.callee(Value::Definition(f, d)),
                _ => continue,
            };
            if !out.contains(&target) {
                out.push(target);
            }
        }
        out
    }

    /// What a resolved value is.
    pub(in crate::graph) fn value_types(&mut self, value: &Value, depth: u32) -> Vec<Ty> {
        if depth > MAX_INFER_DEPTH {
            return Vec::new();
        }
        match value {
            Value::Definition(file, def) => {
                let Some(d) = self.definition(*file, *def) else { return Vec::new() };
                match d.kind {
                    DefinitionKind::Class => vec![Ty::Class(*file, *def)],
                    DefinitionKind::Function | DefinitionKind::Method => self.function_object(*file, *def, None, depth + 1),
                    DefinitionKind::Variable => self.variable_types(*file, *def, depth + 1),
                }
            }
            Value::Instance(class_file, class, file, span) => {
                let in_classmethod = self.entry(*file).is_some_and(|entry| {
                    let summary = &entry.summary;
                    let function = summary.enclosing_definition(summary.scope_at(span.start));
                    function.is_some_and(|f| is_class_level(&summary.definitions[f as usize]))
                });
                vec![if in_classmethod { Ty::Class(*class_file, *class) } else { Ty::instance(*class_file, *class) }]
            }
            Value::Module(name) => vec![Ty::Module(name.clone())],
            // What the library says it is, when it knows
            // (not for the callees with rules of their own, below).
            Value::External(path) if has_own_rule(path) => vec![Ty::External(path.clone())],
            Value::External(path) => match self.library_value(path, depth + 1) {
                Some(value) => self.value_types(&value, depth + 1),
                None => vec![Ty::External(path.clone())],
            },
            Value::Local(file, _, binding) => self.binding_types(*file, *binding, depth + 1),
            Value::Union(values) => {
                let mut out = Vec::new();
                for value in values.iter() {
                    let types = self.value_types(value, depth + 1);
                    union(&mut out, types);
                }
                out
            }
        }
    }

    /// A member looked up on each type, as a resolved value (several for
    /// a union): what a reference's next segment denotes.
    pub(in crate::graph) fn member_of_types(&mut self, types: &[Ty], name: &str, depth: u32) -> Option<Value> {
        // Of a union, the members that have it (`raw: bool | dict`,
        // `raw.items`: `dict.items`), when any does.
        let having: Vec<Ty> = match types {
            [_, _, ..] => types.iter().filter(|ty| !self.library_lacks(ty, name, depth)).cloned().collect(),
            _ => Vec::new(),
        };
        let types = if having.is_empty() { types } else { &having[..] };
        let mut found = Vec::new();
        for ty in types {
            let value = match ty {
                // Members of library classes stay outside the workspace.
                Ty::Instance(file, class, _) | Ty::Class(file, class) if self.graph.is_library(*file) => {
                    self.library_path(*file, *class).map(|path| Value::External(format!("{path}.{name}")))
                }
                Ty::Instance(file, class, _) | Ty::Class(file, class) => self.class_member(*file, *class, name, 0),
                Ty::Module(module) => self.module_member(module, name, depth + 1),
                Ty::External(path) | Ty::ExternalInstance(path) => Some(Value::External(format!("{path}.{name}"))),
                // A container's other methods, as the library's class has them.
                Ty::Sequence(..) | Ty::Mapping(..) | Ty::Tuple(_) => ty.container_class().map(|class| Value::External(format!("{class}.{name}"))),
                _ => None,
            };
            if let Some(value) = value
                && !found.contains(&value)
            {
                found.push(value);
            }
        }
        Value::union(found)
    }

    /// Whether `ty` is an instance (or the class) of a library class that
    /// the library says has no member `name`; unknown classes may have it.
    fn library_lacks(&mut self, ty: &Ty, name: &str, depth: u32) -> bool {
        let class = match ty {
            Ty::Instance(file, class, _) | Ty::Class(file, class) if self.graph.is_library(*file) => Value::Definition(*file, *class),
            Ty::External(path) | Ty::ExternalInstance(path) => match self.library_value(path, depth + 1) {
                Some(value) => value,
                None => return false,
            },
            Ty::Sequence(..) | Ty::Mapping(..) | Ty::Tuple(_) => match ty.container_class().and_then(|path| self.library_value(&path, depth + 1)) {
                Some(value) => value,
                None => return false,
            },
            _ => return false,
        };
        match class {
            Value::Definition(file, def) if self.is_class(&class) => self.class_member(file, def, name, 0).is_none(),
            _ => false,
        }
    }

    pub(in crate::graph) fn members_types(&mut self, types: &[Ty], name: &str, depth: u32) -> Vec<Ty> {
        let mut out = Vec::new();
        for ty in types {
            let member = self.member_types(ty, name, depth);
            union(&mut out, member);
        }
        out
    }

    pub(super) fn member_types(&mut self, ty: &Ty, name: &str, depth: u32) -> Vec<Ty> {
        if depth > MAX_INFER_DEPTH {
            return Vec::new();
        }
        match ty {
            // `self.__class__` is the instance's class (a subclass's at run
            // time, as any instance of the class may be): `isinstance(other,
            // self.__class__)` then narrows `other` as `self` is. Not where
            // a workspace class binds `__class__` (a proxy's property).
            Ty::Instance(file, class, _) if name == "__class__" && !self.graph.is_library(*file) && !self.binds_own_class(*file, *class) => {
                vec![Ty::Class(*file, *class)]
            }
            Ty::Instance(file, class, _) | Ty::Class(file, class) => {
                let Some(value) = self.class_member(*file, *class, name, 0) else {
                    // A library class's unknown member is as external as before.
                    return self.library_path(*file, *class).map(|path| vec![Ty::External(format!("{path}.{name}"))]).unwrap_or_default();
                };
                let types = match &value {
                    // A method knows the class it was looked up on (`Self`).
                    Value::Definition(f, d) if self.is_function(*f, *d) => self.function_object(*f, *d, Some((*file, *class)), depth + 1),
                    other => self.value_types(other, depth + 1),
                };
                let args: &[Vec<Ty>] = match ty {
                    Ty::Instance(_, _, args) => args,
                    _ => &[],
                };
                self.bind_receiver(types, &value, (*file, *class), args)
            }
            Ty::Module(module) => match self.module_member(module, name, depth + 1) {
                Some(value) => self.value_types(&value, depth + 1),
                None => Vec::new(),
            },
            Ty::External(path) | Ty::ExternalInstance(path) => vec![Ty::External(format!("{path}.{name}"))],
            Ty::Sequence(..) | Ty::Mapping(..) | Ty::Tuple(_) => vec![Ty::Method(Box::new(ty.clone()), name.to_owned())],
            _ => Vec::new(),
        }
    }

    /// Whether a workspace class of `class`'s MRO binds `__class__`.
    fn binds_own_class(&mut self, file: FileId, class: DefinitionId) -> bool {
        matches!(self.class_member(file, class, "__class__", 0), Some(Value::Definition(f, _)) if !self.graph.is_library(f))
    }

    /// The names of the members of a workspace class (or of its instance)
    /// that its body or a workspace base's binds and that start with
    /// `prefix` (`getattr(self, "visit_" + kind)`), nearest class first.
    fn member_names(&mut self, ty: &Ty, prefix: &str) -> Vec<Name> {
        let (Ty::Instance(file, class, _) | Ty::Class(file, class)) = ty else { return Vec::new() };
        let mut names: Vec<Name> = Vec::new();
        for class in self.mro(*file, *class, 0).iter() {
            let ClassRef::Workspace(f, d) = class else { continue };
            let Some(entry) = self.entry(*f) else { continue };
            let Some(body) = entry.summary.definitions[*d as usize].body else { continue };
            for binding in entry.summary.bindings.iter().filter(|b| b.scope == body && b.name.starts_with(prefix)) {
                if names.len() < MAX_PREFIXED && !names.contains(&binding.name) {
                    names.push(binding.name);
                }
            }
        }
        names
    }

    fn is_function(&mut self, file: FileId, def: DefinitionId) -> bool {
        self.definition(file, def).is_some_and(|d| matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method))
    }

    fn subscript_types(&mut self, ty: &Ty, index: Option<i32>, depth: u32) -> Vec<Ty> {
        match ty {
            Ty::Sequence(_, items) => items.clone(),
            Ty::Mapping(_, _, values) => values.clone(),
            Ty::Tuple(items) => match index {
                Some(i) => {
                    let at = if i < 0 { items.len() as i64 + i64::from(i) } else { i64::from(i) };
                    usize::try_from(at).ok().and_then(|at| items.get(at)).cloned().unwrap_or_default()
                }
                None => items.iter().flatten().cloned().collect(),
            },
            Ty::Instance(..) => {
                let getitem = self.member_types(ty, "__getitem__", depth + 1);
                getitem.iter().flat_map(|g| self.call_types(g, depth + 1)).collect()
            }
            // `Model[int]`: the class.
            Ty::Class(..) => vec![ty.clone()],
            _ => Vec::new(),
        }
    }

    /// The elements iterating over a value of this type gives.
    fn iterate_types(&mut self, ty: &Ty, depth: u32) -> Vec<Ty> {
        if depth > MAX_INFER_DEPTH {
            return Vec::new();
        }
        match ty {
            Ty::Sequence(_, items) => items.clone(),
            Ty::Mapping(_, keys, _) => keys.clone(),
            Ty::Tuple(items) => items.iter().flatten().cloned().collect(),
            Ty::Instance(..) => {
                let iter = self.member_types(ty, "__iter__", depth + 1);
                let mut out = Vec::new();
                for iterator in iter.iter().flat_map(|i| self.call_types(i, depth + 1)).collect::<Vec<_>>() {
                    let items = match &iterator {
                        // An iterator returning itself: its `__next__`.
                        Ty::Instance(..) => {
                            let next = self.member_types(&iterator, "__next__", depth + 1);
                            next.iter().flat_map(|n| self.call_types(n, depth + 1)).collect()
                        }
                        other => self.iterate_types(other, depth + 1),
                    };
                    union(&mut out, items);
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// What `with value as x` binds.
    fn enter_types(&mut self, ty: &Ty, depth: u32) -> Vec<Ty> {
        match ty {
            Ty::Manager(items) => items.clone(),
            Ty::Instance(..) => {
                let mut enter = self.member_types(ty, "__enter__", depth + 1);
                if enter.is_empty() {
                    enter = self.member_types(ty, "__aenter__", depth + 1);
                }
                enter.iter().flat_map(|e| self.call_types(e, depth + 1)).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The type of a name's binding.
    pub(super) fn binding_types(&mut self, file: FileId, binding: u32, depth: u32) -> Vec<Ty> {
        self.memo(Key::Binding(file, binding), |r| r.binding_types_uncached(file, binding, depth))
    }

    fn binding_types_uncached(&mut self, file: FileId, index: u32, depth: u32) -> Vec<Ty> {
        let Some(entry) = self.entry(file) else { return Vec::new() };
        let summary = &entry.summary;
        let binding = &summary.bindings[index as usize];
        match binding.kind {
            BindingKind::Local | BindingKind::Join => {
                let foreign = !self.home(file) && summary.scopes[binding.scope as usize].kind == ScopeKind::Function;
                match &binding.value {
                    Some(value) if !foreign => self.eval(file, value, depth),
                    _ => Vec::new(),
                }
            }
            BindingKind::Parameter { self_of: Some(class) } => {
                let function = summary.scopes[binding.scope as usize].definition;
                let class_level = function.is_some_and(|f| is_class_level(&summary.definitions[f as usize]));
                vec![if class_level { Ty::Class(file, class) } else { Ty::instance(file, class) }]
            }
            BindingKind::Parameter { self_of: None } => {
                let Some(function) = summary.scopes[binding.scope as usize].definition else { return Vec::new() };
                let def = &summary.definitions[function as usize];
                let Some(parameters) = def.signature.as_ref().map(|s| &s.parameters) else { return Vec::new() };
                let Some(position) = parameters.iter().position(|p| p.name == binding.name) else { return Vec::new() };
                let parameter = &parameters[position];
                let Some(annotation) = parameter.annotation.as_deref() else {
                    let mut types = self.caller_argument_types(file, function, position, depth);
                    union(&mut types, self.default_types(file, function, position, depth));
                    return types;
                };
                let (scope, at, kind) = (def.scope, def.range.start, parameter.kind);
                let class = summary.enclosing_class(scope);
                let types = self.annotation_types(file, scope, at, annotation, class.map(|c| (file, c)), depth);
                match kind {
                    ParameterKind::VarPositional => vec![Ty::Sequence("tuple".to_owned(), types)],
                    ParameterKind::VarKeyword => vec![Ty::Mapping("dict".to_owned(), vec![Ty::ExternalInstance("builtins.str".to_owned())], types)],
                    _ => types,
                }
            }
            BindingKind::Definition(_) | BindingKind::Import(_) => match self.binding_value(file, index, depth) {
                Some(value) => self.value_types(&value, depth + 1),
                None => Vec::new(),
            },
        }
    }

    /// The type of a module or class variable, or an instance attribute:
    /// its annotation, else the union of what is assigned to it.
    pub(super) fn variable_types(&mut self, file: FileId, def: DefinitionId, depth: u32) -> Vec<Ty> {
        self.memo(Key::Variable(file, def), |r| {
            // The definition's item holds all read of it here (the class
            // around it is in its qualified name); its values are read
            // apart.
            let Some(d) = r.definition(file, def) else { return Vec::new() };
            let Some(summary) = r.entry_global(file).map(|e| &e.summary) else { return Vec::new() };
            let class = summary.enclosing_class(d.scope).map(|c| (file, c));
            if let Some(annotation) = &d.annotation {
                let types = r.annotation_types(file, d.scope, d.range.start, annotation, class, depth);
                if !types.is_empty() {
                    return types;
                }
            }
            let mut out = Vec::new();
            for value in r.values(file, def) {
                let types = r.eval(file, value, depth);
                union(&mut out, types);
            }
            let passed = r.field_argument_types(file, def, depth);
            union(&mut out, passed);
            out
        })
    }

    /// A function as an object: what its decorators make of it (a
    /// property's value, a decorator's annotated result), else itself.
    /// A decorator whose result is unknown is taken to keep the function.
    fn function_object(&mut self, file: FileId, def: DefinitionId, receiver: Option<Class>, depth: u32) -> Vec<Ty> {
        self.memo(Key::Object(file, def, receiver), |r| {
            let Some(d) = r.definition(file, def) else { return Vec::new() };
            let (scope, at) = (d.scope, d.range.start);
            for decorator in &d.decorators {
                let name = decorator.split('(').next().unwrap_or(decorator).trim();
                let last = name.rsplit('.').next().unwrap_or(name);
                match last {
                    _ if transparent(last) => continue,
                    "property" | "cached_property" | "reify" => return r.returns(file, def, receiver, depth),
                    "contextmanager" | "asynccontextmanager" => {
                        let yielded: Vec<Ty> = r.returns(file, def, receiver, depth).iter().flat_map(|t| r.iterate_types(t, depth)).collect();
                        return vec![Ty::Callable(vec![Ty::Manager(yielded)])];
                    }
                    _ => {}
                }
                let chain = ValueExpr::Chain { chain: name.into(), scope, at };
                let expr = if decorator.trim_end().ends_with(')') { ValueExpr::Call(Box::new(chain)) } else { chain };
                let applied: Vec<Ty> = r.eval(file, &expr, depth).iter().flat_map(|t| r.call_types(t, depth)).collect();
                if !applied.is_empty() {
                    return applied;
                }
            }
            vec![Ty::Function(file, def, receiver)]
        })
    }

    /// What calling a function gives: its return annotation (`Self` is
    /// `receiver`), else its recorded `return` values, else, for an
    /// overloaded implementation, its signatures' annotations.
    pub(super) fn returns(&mut self, file: FileId, def: DefinitionId, receiver: Option<Class>, depth: u32) -> Vec<Ty> {
        self.memo(Key::Returns(file, def, receiver), |r| {
            // As in `variable_types`; the overloads below have its name.
            let Some(d) = r.definition(file, def) else { return Vec::new() };
            let Some(summary) = r.entry_global(file).map(|e| &e.summary) else { return Vec::new() };
            let class = receiver.or_else(|| summary.enclosing_class(d.scope).map(|c| (file, c)));
            if let Some(annotation) = d.signature.as_ref().and_then(|s| s.returns.as_deref()) {
                return r.annotation_types(file, d.scope, d.range.start, annotation, class, depth);
            }
            let mut out = Vec::new();
            for value in r.values(file, def) {
                let types = match value {
                    ValueExpr::Chain { chain, .. } if chain == "self" => class.map(|(f, c)| vec![Ty::instance(f, c)]).unwrap_or_default(),
                    other => r.eval(file, other, depth),
                };
                union(&mut out, types);
            }
            r.branch_twins(file, &mut out);
            if out.is_empty() {
                let overloads: Vec<DefinitionId> = (0..summary.definitions.len() as DefinitionId)
                    .filter(|&o| {
                        let other = &summary.definitions[o as usize];
                        o != def && other.name == d.name && other.scope == d.scope && other.decorators.iter().any(|x| x.ends_with("overload"))
                    })
                    .collect();
                for overload in overloads {
                    let types = r.returns(file, overload, receiver, depth + 1);
                    union(&mut out, types);
                }
            }
            out
        })
    }

    fn enclosing_class_of(&mut self, file: FileId, scope: ScopeId) -> Option<Class> {
        let entry = self.entry(file)?;
        entry.summary.enclosing_class(scope).map(|c| (file, c))
    }
}

/// A function whose first parameter is the class (`@classmethod`,
/// `__new__`, `__init_subclass__`).
fn is_class_level(def: &crate::graph::summary::Definition) -> bool {
    matches!(def.name.as_str(), "__new__" | "__init_subclass__" | "__class_getitem__")
        || def.decorators.iter().any(|d| d == "classmethod" || d.ends_with(".classmethod"))
}

/// Builtins whose result holds the elements of their argument.
fn keeps_elements(path: &str) -> bool {
    matches!(path, "builtins.list" | "builtins.set" | "builtins.frozenset" | "builtins.tuple" | "builtins.sorted" | "builtins.reversed" | "collections.deque")
}

/// Callees whose result inference knows from their argument (see
/// [`ValueExpr::CallWith`]).
fn has_own_rule(path: &str) -> bool {
    keeps_elements(path) || matches!(path, "copy.copy" | "copy.deepcopy" | "builtins.min" | "builtins.max" | "builtins.type" | "functools.partial")
}

/// What calling a container's method gives (`d.items()`, `xs.pop()`).
pub(super) fn container_method(receiver: &Ty, name: &str) -> Vec<Ty> {
    match (receiver, name) {
        (Ty::Mapping(_, keys, values), "items") => {
            vec![Ty::Sequence("ItemsView".to_owned(), vec![Ty::Tuple(vec![keys.clone(), values.clone()])])]
        }
        (Ty::Mapping(_, keys, _), "keys") => vec![Ty::Sequence("KeysView".to_owned(), keys.clone())],
        (Ty::Mapping(_, _, values), "values") => vec![Ty::Sequence("ValuesView".to_owned(), values.clone())],
        (Ty::Mapping(_, _, values), "get" | "pop" | "setdefault" | "__getitem__") => values.clone(),
        (Ty::Sequence(_, items), "pop" | "popleft" | "__getitem__" | "__next__") => items.clone(),
        (Ty::Mapping(..) | Ty::Sequence(..), "copy") => vec![receiver.clone()],
        _ => Vec::new(),
    }
}
