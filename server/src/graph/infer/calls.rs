//! What calling a value gives: a class's instance (a generic one's type
//! arguments bound by its constructor's arguments), a function's return
//! (the `@overload`s the arguments fit, type variables bound by the
//! receiver and the arguments), an instance's `__call__`; a member's
//! types as seen through a generic receiver; and what a callee calls the
//! lambdas passed to it with.

use super::eval::{Class, MAX_INFER_DEPTH, container_method};
use super::exprs::{Slot, ValueExpr};
use super::generics::{CallSite, own_parameters};
use super::ty::{Ann, Special, Substitution, Ty, parse_annotation, special, substitute, union};
use crate::graph::FileId;
use crate::graph::resolve::{Resolver, Value};
use crate::graph::summary::{DefinitionId, ParameterKind, ScopeId};

/// Where an annotation is written: its names resolve there.
#[derive(Clone, Copy)]
struct Written {
    file: FileId,
    scope: ScopeId,
    at: u32,
}

impl Resolver<'_> {
    /// The types of a member looked up on an instance of `class` with type
    /// arguments `args`, its class's type variables bound: a method binds
    /// them when called (see [`Ty::Bound`]), anything else at once.
    pub(super) fn bind_receiver(&mut self, types: Vec<Ty>, member: &Value, class: Class, args: &[Vec<Ty>]) -> Vec<Ty> {
        let Value::Definition(f, d) = member else { return types };
        // The class around a definition is in its qualified name: read by name.
        let Some(scope) = self.definition(*f, *d).map(|d| d.scope) else { return types };
        let Some(owner) = self.entry_global(*f).and_then(|e| e.summary.enclosing_class(scope)) else { return types };
        let owner = (*f, owner);
        // Nothing to bind in a class without type parameters (most).
        if (owner == class && args.is_empty()) || self.type_parameters(owner.0, owner.1, 0).is_empty() {
            return types;
        }
        let substitution = self.receiver_substitution(class, args, owner, 0);
        if substitution.is_empty() {
            return types;
        }
        let mut out = Vec::new();
        for ty in types {
            match ty {
                Ty::Function(..) => union(&mut out, [Ty::Bound(Box::new(ty), substitution.clone())]),
                other => union(&mut out, substitute(&[other], &substitution)),
            }
        }
        out
    }

    /// What calling a value of this type gives, its arguments unknown.
    pub(super) fn call_types(&mut self, ty: &Ty, depth: u32) -> Vec<Ty> {
        self.call_with(ty, None, depth)
    }

    /// What calling a value of this type gives: a class's instance (its
    /// type arguments bound by the arguments of its `__init__` or
    /// `__new__`), a function's return (of the `@overload`s the arguments
    /// fit, its type variables bound by the receiver and the arguments),
    /// an instance's `__call__`.
    pub(super) fn call_with(&mut self, ty: &Ty, call: Option<CallSite>, depth: u32) -> Vec<Ty> {
        if depth > MAX_INFER_DEPTH {
            return Vec::new();
        }
        match ty {
            Ty::Class(file, class) => vec![self.construct((*file, *class), call, depth + 1)],
            Ty::Function(file, def, receiver) => self.call_function(*file, *def, *receiver, call, &Vec::new(), depth + 1),
            Ty::Bound(inner, bound) => match &**inner {
                Ty::Function(file, def, receiver) => self.call_function(*file, *def, *receiver, call, bound, depth + 1),
                other => {
                    let types = self.call_with(other, call, depth + 1);
                    substitute(&types, bound)
                }
            },
            Ty::Callable(returns) => returns.clone(),
            Ty::Instance(..) => {
                let call_method = self.member_types(ty, "__call__", depth + 1);
                let mut out = Vec::new();
                for method in call_method {
                    let types = self.call_with(&method, call, depth + 1);
                    union(&mut out, types);
                }
                out
            }
            // `pkg.Session()`: by convention, a class.
            Ty::External(path) if path.rsplit('.').next().is_some_and(|last| last.starts_with(char::is_uppercase)) => {
                vec![Ty::ExternalInstance(path.clone())]
            }
            Ty::Method(receiver, name) => container_method(receiver, name),
            _ => Vec::new(),
        }
    }

    /// What a call of a function returns: the union over the signatures
    /// the call may run, type variables bound by the receiver (`bound`)
    /// and by the call's arguments.
    fn call_function(&mut self, file: FileId, def: DefinitionId, receiver: Option<Class>, call: Option<CallSite>, bound: &Substitution, depth: u32) -> Vec<Ty> {
        let mut out = Vec::new();
        for candidate in self.overload_candidates(file, def, call) {
            let mut types = self.returns(file, candidate, receiver, depth);
            if let Some(call) = call
                && types.iter().any(|t| t.mentions_type_var())
            {
                let from_arguments = self.bind_arguments(file, candidate, receiver, call, bound, depth);
                types = substitute(&types, &from_arguments);
            }
            union(&mut out, substitute(&types, bound));
        }
        // A type variable nothing bound is unknown (so `def deco(f: F) -> F`
        // keeps the function it decorates).
        out.retain(|t| !matches!(t, Ty::TypeVar(_)));
        out
    }

    /// An instance of a class; when it is generic, its type arguments as
    /// the call's arguments bind its `__init__` or `__new__` parameters.
    fn construct(&mut self, class: Class, call: Option<CallSite>, depth: u32) -> Ty {
        let Some(call) = call else { return Ty::instance(class.0, class.1) };
        let parameters = self.type_parameters(class.0, class.1, depth);
        if parameters.is_empty() {
            return Ty::instance(class.0, class.1);
        }
        let mut bound = Substitution::new();
        for method in ["__init__", "__new__"] {
            let Some(Value::Definition(f, d)) = self.class_member(class.0, class.1, method, 0) else { continue };
            for candidate in self.overload_candidates(f, d, Some(call)) {
                for (name, types) in self.bind_arguments(f, candidate, Some(class), call, &Vec::new(), depth) {
                    match bound.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, known)) => union(known, types),
                        None => bound.push((name, types)),
                    }
                }
            }
            if !bound.is_empty() {
                break;
            }
        }
        let args: Vec<Vec<Ty>> = parameters.iter().map(|p| bound.iter().find(|(n, _)| n == p).map(|(_, t)| t.clone()).unwrap_or_default()).collect();
        if args.iter().all(Vec::is_empty) { Ty::instance(class.0, class.1) } else { Ty::Instance(class.0, class.1, args) }
    }

    /// What parameter `index` of a callable passed at `argument` to a call
    /// of `callee` is called with, as the callee's parameter annotation
    /// says (`Callable[[A, B], R]`, directly, in a union or through an alias).
    pub(super) fn lambda_parameter(&mut self, callee: &Ty, argument: &Slot, index: u32, depth: u32) -> Vec<Ty> {
        let (file, def, receiver, bound) = match callee {
            Ty::Function(f, d, receiver) => (*f, *d, *receiver, Vec::new()),
            Ty::Bound(inner, bound) => match &**inner {
                Ty::Function(f, d, receiver) => (*f, *d, *receiver, bound.clone()),
                _ => return Vec::new(),
            },
            Ty::Class(f, c) => match self.class_member(*f, *c, "__init__", 0) {
                Some(Value::Definition(init_file, init)) => (init_file, init, Some((*f, *c)), Vec::new()),
                _ => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        // What is read of the definition (and the class around it, in its
        // qualified name) is its item's: read by name.
        let Some(d) = self.definition(file, def) else { return Vec::new() };
        let Some(summary) = self.entry_global(file).map(|e| &e.summary) else { return Vec::new() };
        let Some(signature) = &d.signature else { return Vec::new() };
        let parameters = own_parameters(d.kind, &d.decorators, &signature.parameters);
        let parameter = match argument {
            Slot::Position(i) => {
                parameters.iter().filter(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword)).nth(*i as usize)
            }
            Slot::Keyword(name) => parameters.iter().find(|p| p.name == *name && p.kind != ParameterKind::PositionalOnly),
        };
        let Some(annotation) = parameter.and_then(|p| p.annotation.as_deref()) else { return Vec::new() };
        let class = receiver.or_else(|| summary.enclosing_class(d.scope).map(|c| (file, c)));
        let (scope, at) = (d.scope, d.range.start);
        let types = self.callable_parameter(Written { file, scope, at }, &parse_annotation(annotation), index, class, depth);
        substitute(&types, &bound)
    }

    fn callable_parameter(&mut self, written: Written, ann: &Ann, index: u32, class: Option<Class>, depth: u32) -> Vec<Ty> {
        if depth > MAX_INFER_DEPTH {
            return Vec::new();
        }
        let depth = depth + 1;
        let Written { file, scope, at } = written;
        match ann {
            Ann::Generic(name, args) if special(name) == Some(Special::Callable) => match args.first() {
                Some(Ann::List(parameters)) => parameters.get(index as usize).map(|p| self.ann_types(file, scope, at, p, class, depth)).unwrap_or_default(),
                _ => Vec::new(),
            },
            Ann::Union(items) => self.callable_parameter_of_any(written, items, index, class, depth),
            Ann::Generic(name, items) if special(name) == Some(Special::Optional) => self.callable_parameter_of_any(written, items, index, class, depth),
            // An alias: `DeferredSetupFunction = t.Callable[["State"], None]`.
            Ann::Name(name) => match self.resolve_dotted(file, scope, name, at) {
                Some(Value::Definition(f, d)) => match self.values(f, d) {
                    [ValueExpr::TypeExpr { text, scope, at }] => {
                        let (written, ann) = (Written { file: f, scope: *scope, at: *at }, parse_annotation(text));
                        self.callable_parameter(written, &ann, index, None, depth)
                    }
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn callable_parameter_of_any(&mut self, written: Written, items: &[Ann], index: u32, class: Option<Class>, depth: u32) -> Vec<Ty> {
        let mut out = Vec::new();
        for item in items {
            let types = self.callable_parameter(written, item, index, class, depth);
            union(&mut out, types);
        }
        out
    }
}
