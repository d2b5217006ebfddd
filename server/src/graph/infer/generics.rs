//! Generics: the type parameters of a class (`Generic[T]`, `Protocol[T]`,
//! PEP 695's `class C[T]:`, else the type variables its bases' arguments
//! name), the type arguments of an instance (`ContextVar[AppContext]`),
//! what a member looked up on an instance binds its class's type variables
//! to (through the bases' arguments when an ancestor defines the member),
//! what a call's arguments bind a callee's type variables to
//! (`weakref.ref(self)` is a `ref[Flask]`), and which `@overload`
//! signatures a call's arguments fit.

use super::eval::{Class, MAX_INFER_DEPTH};
use super::exprs::{Arguments, ValueExpr};
use super::ty::{Ann, Substitution, Ty, parse_annotation, substitute, union};
use crate::graph::FileId;
use crate::graph::resolve::{ClassRef, Resolver, Value, is_overload_definition};
use crate::graph::summary::{DefinitionId, DefinitionKind, Name, Parameter, ParameterKind, ScopeId};

/// Inheritance followed from a receiver's class to the class that defines
/// a member.
const MAX_BASE_DEPTH: u32 = 8;

/// A call's arguments, and the file whose names they read.
#[derive(Clone, Copy)]
pub(in crate::graph) struct CallSite<'a> {
    pub file: FileId,
    pub arguments: &'a Arguments,
}

impl Resolver<'_> {
    /// The name of the type variable `resolved` is: a variable assigned
    /// `TypeVar(...)`, `ParamSpec(...)` or `TypeVarTuple(...)`.
    pub(super) fn type_var_name(&mut self, resolved: &Value) -> Option<String> {
        let Value::Definition(file, def) = resolved else { return None };
        let d = self.definition(*file, *def)?;
        if d.kind != DefinitionKind::Variable {
            return None;
        }
        let name = d.name.to_string();
        let (ValueExpr::Call(callee) | ValueExpr::CallWith(callee, _)) = self.values(*file, *def).first()? else { return None };
        let ValueExpr::Chain { chain, .. } = &**callee else { return None };
        matches!(chain.rsplit('.').next(), Some("TypeVar" | "ParamSpec" | "TypeVarTuple")).then_some(name)
    }

    /// Whether `name`, read in `scope` at `at`, is a PEP 695 type parameter
    /// (`class Box[T]:`, `def first[T](xs: list[T]) -> T`) of a class or
    /// function around it, or of the function whose signature starts at `at`.
    pub(super) fn is_declared_type_parameter(&mut self, file: FileId, scope: ScopeId, at: u32, name: &str) -> bool {
        let Some(entry) = self.entry(file) else { return false };
        let summary = &entry.summary;
        let declares = |def: DefinitionId| pep695_parameters(entry.text(), summary.definitions[def as usize].name_range.end).contains(&name);
        if summary.definitions.iter().position(|d| d.scope == scope && d.range.start == at).is_some_and(|d| declares(d as DefinitionId)) {
            return true;
        }
        let mut current = Some(scope);
        while let Some(s) = current {
            let scope = &summary.scopes[s as usize];
            if scope.definition.is_some_and(declares) {
                return true;
            }
            current = scope.parent;
        }
        false
    }

    /// The type parameters of a class, in order.
    pub(super) fn type_parameters(&mut self, file: FileId, class: DefinitionId, depth: u32) -> Vec<String> {
        if let Some(known) = self.types.parameters.get(&(file, class)) {
            return known.clone();
        }
        // A library class's are the same for every file that reads it.
        let library = if self.graph.is_library(file) { self.graph.library() } else { None };
        let parameters = match library.as_ref().and_then(|l| l.type_parameters((file, class))) {
            Some(known) => known,
            None => {
                let parameters = self.type_parameters_uncached(file, class, depth);
                if let Some(library) = &library {
                    library.keep_type_parameters((file, class), parameters.clone());
                }
                parameters
            }
        };
        self.types.parameters.insert((file, class), parameters.clone());
        parameters
    }

    fn type_parameters_uncached(&mut self, file: FileId, class: DefinitionId, depth: u32) -> Vec<String> {
        let Some(entry) = self.entry(file) else { return Vec::new() };
        let d = &entry.summary.definitions[class as usize];
        let declared = pep695_parameters(entry.text(), d.name_range.end);
        if !declared.is_empty() {
            return declared.into_iter().map(str::to_owned).collect();
        }
        let (scope, at) = (d.scope, d.range.start);
        let mut out = Vec::new();
        for base in d.bases.iter().filter(|b| b.contains('[')) {
            let Ann::Generic(name, args) = parse_annotation(base) else { continue };
            let mut names = Vec::new();
            args.iter().for_each(|a| ann_names(a, &mut names));
            let mut vars = Vec::new();
            for n in names {
                let is_var = depth < MAX_INFER_DEPTH && self.resolve_dotted(file, scope, &n, at).and_then(|v| self.type_var_name(&v)).is_some();
                if is_var && !vars.contains(&n) {
                    vars.push(n);
                }
            }
            // `Generic[...]` and `Protocol[...]` list them all, in order.
            if matches!(name.rsplit('.').next(), Some("Generic" | "Protocol")) {
                return vars;
            }
            vars.into_iter().for_each(|v| {
                if !out.contains(&v) {
                    out.push(v)
                }
            });
        }
        out
    }

    /// `Self` in the body of a class: an instance whose type arguments are
    /// its own type parameters (bound when a member is looked up).
    pub(super) fn self_type(&mut self, class: Class, depth: u32) -> Ty {
        let params = self.type_parameters(class.0, class.1, depth);
        Ty::Instance(class.0, class.1, params.into_iter().map(|p| vec![Ty::TypeVar(p)]).collect())
    }

    /// What the type variables of `owner` stand for when a member `owner`
    /// defines is looked up on an instance of `class` whose type arguments
    /// are `args`: `owner`'s own when it is `class`, else through the type
    /// arguments `class` gives the base that leads to `owner`.
    pub(super) fn receiver_substitution(&mut self, class: Class, args: &[Vec<Ty>], owner: Class, depth: u32) -> Substitution {
        if depth > MAX_BASE_DEPTH {
            return Vec::new();
        }
        let params = self.type_parameters(class.0, class.1, depth);
        let own: Substitution = params.into_iter().zip(args.iter().cloned()).collect();
        if class == owner {
            return own;
        }
        let Some(entry) = self.entry(class.0) else { return Vec::new() };
        let d = &entry.summary.definitions[class.1 as usize];
        let (scope, at) = (d.scope, d.range.start);
        for base in &d.bases {
            let (name, base_args) = match parse_annotation(base) {
                Ann::Generic(name, args) => (name, args),
                Ann::Name(name) => (name, Vec::new()),
                _ => continue,
            };
            let Some(Value::Definition(f, c)) = self.resolve_dotted(class.0, scope, &name, at) else { continue };
            if self.graph.file(f).is_none_or(|e| e.summary.definitions[c as usize].kind != DefinitionKind::Class)
                || !self.mro(f, c, 0).contains(&ClassRef::Workspace(owner.0, owner.1))
            {
                continue;
            }
            let mut types = Vec::new();
            for arg in &base_args {
                let arg = self.ann_types(class.0, scope, at, arg, Some(class), depth + 1);
                types.push(substitute(&arg, &own));
            }
            return self.receiver_substitution((f, c), &types, owner, depth + 1);
        }
        Vec::new()
    }

    /// What a call's arguments bind the type variables of a function's
    /// parameter annotations to, leaving those `bound` already binds.
    pub(super) fn bind_arguments(
        &mut self,
        file: FileId,
        def: DefinitionId,
        receiver: Option<Class>,
        call: CallSite,
        bound: &Substitution,
        depth: u32,
    ) -> Substitution {
        let mut out = Substitution::new();
        if depth > MAX_INFER_DEPTH {
            return out;
        }
        // The definition's item holds all read of it (and of the class
        // around it, in its qualified name).
        let Some(d) = self.definition(file, def) else { return out };
        let Some(summary) = self.entry_global(file).map(|e| &e.summary) else { return out };
        let Some(signature) = &d.signature else { return out };
        let class = receiver.or_else(|| summary.enclosing_class(d.scope).map(|c| (file, c)));
        let (scope, at) = (d.scope, d.range.start);
        let parameters = own_parameters(d.kind, &d.decorators, &signature.parameters);
        let mut pairs: Vec<(&str, &ValueExpr)> = Vec::new();
        let positional = parameters.iter().filter(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword));
        for (parameter, argument) in positional.zip(&call.arguments.positional) {
            pairs.extend(parameter.annotation.as_deref().map(|a| (a, argument)));
        }
        for (name, argument) in &call.arguments.keywords {
            let parameter = parameters.iter().find(|p| p.name == *name && p.kind != ParameterKind::PositionalOnly);
            pairs.extend(parameter.and_then(|p| p.annotation.as_deref()).map(|a| (a, argument)));
        }
        for (annotation, argument) in pairs {
            let expected = self.annotation_types(file, scope, at, annotation, class, depth);
            // Arguments are evaluated only where a type variable waits for them.
            if !expected.iter().any(|t| free_variable(t, bound)) {
                continue;
            }
            let actual = self.eval(call.file, argument, depth);
            bind(&expected, &actual, bound, &mut out);
        }
        out
    }

    /// The signatures a call of `def` may run: `def` itself, or when it is
    /// an `@overload` signature, its siblings that accept the call's
    /// arguments (all of them when none or every one does not).
    pub(in crate::graph) fn overload_candidates(&mut self, file: FileId, def: DefinitionId, call: Option<CallSite>) -> Vec<DefinitionId> {
        // Its siblings have its name: its item's readers read theirs.
        let Some(d) = self.definition(file, def) else { return vec![def] };
        let Some(definitions) = self.entry_global(file).map(|e| &e.summary.definitions) else { return vec![def] };
        // An implementation with a return annotation answers for itself.
        let annotated = d.signature.as_ref().is_some_and(|s| s.returns.is_some());
        if !is_overload_definition(d) && (annotated || d.kind == DefinitionKind::Variable) {
            return vec![def];
        }
        let siblings: Vec<DefinitionId> = (0..definitions.len() as DefinitionId)
            .filter(|&o| {
                let other = &definitions[o as usize];
                other.name == d.name && other.scope == d.scope && is_overload_definition(other)
            })
            .collect();
        if siblings.is_empty() {
            return vec![def];
        }
        let Some(call) = call else { return siblings };
        let fitting: Vec<DefinitionId> = siblings
            .iter()
            .copied()
            .filter(|&o| {
                let other = &definitions[o as usize];
                other.signature.as_ref().is_some_and(|s| accepts(own_parameters(other.kind, &other.decorators, &s.parameters), call.arguments))
            })
            .collect();
        if fitting.is_empty() { siblings } else { fitting }
    }
}

/// The names an annotation mentions (`T` and `U` of `dict[T, list[U]]`).
fn ann_names(ann: &Ann, out: &mut Vec<String>) {
    match ann {
        Ann::Name(name) => out.push(name.clone()),
        Ann::Generic(_, items) | Ann::Union(items) | Ann::List(items) => items.iter().for_each(|i| ann_names(i, out)),
        Ann::Other => {}
    }
}

/// The names between the brackets of a PEP 695 declaration that follows a
/// class or function name ending at `name_end` (`[T, *Ts, **P]`).
fn pep695_parameters(text: &str, name_end: u32) -> Vec<&str> {
    let Some(rest) = text.get(name_end as usize..) else { return Vec::new() };
    let Some(rest) = rest.strip_prefix('[') else { return Vec::new() };
    let Some(end) = rest.find(']') else { return Vec::new() };
    rest[..end]
        .split(',')
        .filter_map(|p| {
            let p = p.trim().trim_start_matches('*');
            let name = p.split([':', '=']).next()?.trim();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// A function's parameters without the `self` or `cls` a method receives.
pub(in crate::graph) fn own_parameters<'a>(kind: DefinitionKind, decorators: &[Name], parameters: &'a [Parameter]) -> &'a [Parameter] {
    let is_static = decorators.iter().any(|d| d == "staticmethod" || d.ends_with(".staticmethod"));
    let bound = kind == DefinitionKind::Method && !is_static && parameters.first().is_some_and(|p| p.kind != ParameterKind::VarPositional);
    if bound { &parameters[1..] } else { parameters }
}

/// Whether parameters accept a call's positional and keyword arguments.
fn accepts(parameters: &[Parameter], arguments: &Arguments) -> bool {
    let takes_any = |kind| parameters.iter().any(|p| p.kind == kind);
    let positional: Vec<&Parameter> =
        parameters.iter().filter(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword)).collect();
    let given = arguments.positional.len();
    if given > positional.len() && !takes_any(ParameterKind::VarPositional) {
        return false;
    }
    let named = |p: &Parameter| arguments.keywords.iter().any(|(name, _)| *name == p.name);
    for keyword in &arguments.keywords {
        let known = parameters.iter().any(|p| p.name == keyword.0 && matches!(p.kind, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly));
        if !known && !takes_any(ParameterKind::VarKeyword) {
            return false;
        }
    }
    let missing_positional = positional.iter().skip(given).any(|p| p.default.is_none() && !named(p));
    let missing_keyword = parameters.iter().any(|p| p.kind == ParameterKind::KeywordOnly && p.default.is_none() && !named(p));
    !missing_positional && !missing_keyword
}

/// Whether a type mentions a type variable `bound` does not bind.
fn free_variable(ty: &Ty, bound: &Substitution) -> bool {
    let any = |items: &[Ty]| items.iter().any(|t| free_variable(t, bound));
    match ty {
        Ty::TypeVar(name) => !bound.iter().any(|(n, _)| n == name),
        Ty::Instance(_, _, args) => args.iter().any(|a| any(a)),
        Ty::Sequence(_, items) | Ty::Callable(items) | Ty::Manager(items) => any(items),
        Ty::Mapping(_, keys, values) => any(keys) || any(values),
        Ty::Tuple(items) => items.iter().any(|i| any(i)),
        _ => false,
    }
}

/// Binds the type variables of `expected` (a parameter's annotation) that
/// `bound` leaves free to what the argument is (`actual`), matching type
/// arguments and container elements of the same shape.
fn bind(expected: &[Ty], actual: &[Ty], bound: &Substitution, out: &mut Substitution) {
    for e in expected {
        match e {
            Ty::TypeVar(name) if !bound.iter().any(|(n, _)| n == name) => {
                let values: Vec<Ty> = actual.iter().filter(|t| !matches!(t, Ty::TypeVar(_))).cloned().collect();
                if values.is_empty() {
                    continue;
                }
                match out.iter_mut().find(|(n, _)| n == name) {
                    Some((_, types)) => union(types, values),
                    None => out.push((name.clone(), values)),
                }
            }
            Ty::Instance(f, c, args) => {
                for a in actual {
                    if let Ty::Instance(af, ac, actual_args) = a
                        && (af, ac) == (f, c)
                    {
                        args.iter().zip(actual_args).for_each(|(e, a)| bind(e, a, bound, out));
                    }
                }
            }
            Ty::Sequence(_, items) => {
                for a in actual {
                    if let Ty::Sequence(_, actual_items) = a {
                        bind(items, actual_items, bound, out);
                    }
                }
            }
            Ty::Mapping(_, keys, values) => {
                for a in actual {
                    if let Ty::Mapping(_, actual_keys, actual_values) = a {
                        bind(keys, actual_keys, bound, out);
                        bind(values, actual_values, bound, out);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep695_parameters_are_read_after_the_name() {
        let text = "class Box[T, *Ts, **P: int = str](Base): ...";
        assert_eq!(pep695_parameters(text, 9), vec!["T", "Ts", "P"]);
        assert!(pep695_parameters("class Box(Base): ...", 9).is_empty());
        assert!(pep695_parameters("class Box[T", 9).is_empty());
        assert!(pep695_parameters("", 70).is_empty());
    }
}
