//! The types an annotation stands for (`Cart`, `list["Item"]`,
//! `Optional[A | B]`, `type[Cart]`, `Self`, aliases of workspace classes),
//! its names resolved where it is written.

use super::eval::{Class, MAX_INFER_DEPTH, MAX_UNION};
use super::exprs::ValueExpr;
use super::ty::{Ann, Special, Ty, parse_annotation, special, union};
use crate::graph::FileId;
use crate::graph::resolve::{Resolver, Value};
use crate::graph::summary::{DefinitionKind, ScopeId};

impl Resolver<'_> {
    /// The types an annotation stands for, its names read in `scope` at
    /// `at`; `Self` is `class`.
    pub(in crate::graph) fn annotation_types(&mut self, file: FileId, scope: ScopeId, at: u32, text: &str, class: Option<Class>, depth: u32) -> Vec<Ty> {
        let ann = parse_annotation(text);
        let mut out = self.ann_types(file, scope, at, &ann, class, depth);
        out.truncate(MAX_UNION);
        out
    }

    pub(super) fn ann_types(&mut self, file: FileId, scope: ScopeId, at: u32, ann: &Ann, class: Option<Class>, depth: u32) -> Vec<Ty> {
        if depth > MAX_INFER_DEPTH {
            return Vec::new();
        }
        let depth = depth + 1;
        let each = |r: &mut Self, items: &[Ann]| -> Vec<Ty> {
            let mut out = Vec::new();
            for item in items {
                let types = r.ann_types(file, scope, at, item, class, depth);
                union(&mut out, types);
            }
            out
        };
        match ann {
            Ann::Union(items) => each(self, items),
            Ann::Name(name) => {
                let resolved = self.resolve_dotted(file, scope, name, at);
                if let Some(var) = resolved.as_ref().and_then(|r| self.type_var_name(r)) {
                    return vec![Ty::TypeVar(var)];
                }
                if resolved.is_none() && self.is_declared_type_parameter(file, scope, at, name) {
                    return vec![Ty::TypeVar(name.clone())];
                }
                if let Some(types) = self.named_type(resolved.as_ref(), depth) {
                    return types;
                }
                let container = name.rsplit('.').next().unwrap_or(name).to_owned();
                match special(name) {
                    Some(Special::SelfType) => class.map(|c| vec![self.self_type(c, depth)]).unwrap_or_default(),
                    Some(Special::NoneType) => vec![Ty::None],
                    Some(Special::Sequence | Special::Tuple) => vec![Ty::Sequence(container, Vec::new())],
                    Some(Special::Mapping) => vec![Ty::Mapping(container, Vec::new(), Vec::new())],
                    Some(_) => Vec::new(),
                    None => match resolved {
                        Some(Value::External(path)) => vec![self.external_instance(path, Vec::new(), depth)],
                        _ => Vec::new(),
                    },
                }
            }
            Ann::Generic(name, args) => {
                let resolved = self.resolve_dotted(file, scope, name, at);
                if let Some(mut types) = self.named_type(resolved.as_ref(), depth) {
                    // `Box[Item]`: a generic class with its type arguments.
                    if let [Ty::Instance(_, _, type_args)] = &mut types[..] {
                        *type_args = args.iter().map(|a| self.ann_types(file, scope, at, a, class, depth)).collect();
                    }
                    return types;
                }
                let container = name.rsplit('.').next().unwrap_or(name).to_owned();
                let arg = |r: &mut Self, i: usize| args.get(i).map(|a| r.ann_types(file, scope, at, a, class, depth)).unwrap_or_default();
                match special(name) {
                    Some(Special::Optional) => {
                        let mut out = arg(self, 0);
                        union(&mut out, [Ty::None]);
                        out
                    }
                    Some(Special::Union) => each(self, args),
                    Some(Special::Sequence) => vec![Ty::Sequence(container, arg(self, 0))],
                    Some(Special::Tuple) if args.len() == 2 && args[1] == Ann::Other => vec![Ty::Sequence(container, arg(self, 0))],
                    Some(Special::Tuple) => vec![Ty::Tuple((0..args.len().min(MAX_UNION)).map(|i| arg(self, i)).collect())],
                    Some(Special::Mapping) => vec![Ty::Mapping(container, arg(self, 0), arg(self, 1))],
                    Some(Special::Items) => vec![Ty::Sequence(container, vec![Ty::Tuple(vec![arg(self, 0), arg(self, 1)])])],
                    Some(Special::Type) => arg(self, 0)
                        .into_iter()
                        .filter_map(|t| match t {
                            Ty::Instance(f, c, _) => Some(Ty::Class(f, c)),
                            Ty::ExternalInstance(path) => Some(Ty::External(path)),
                            _ => None,
                        })
                        .collect(),
                    Some(Special::Wrapper) => arg(self, 0),
                    Some(Special::LastArgument) => arg(self, args.len().saturating_sub(1)),
                    Some(Special::Callable) => vec![Ty::Callable(arg(self, args.len().saturating_sub(1)))],
                    Some(Special::Manager) => vec![Ty::Manager(arg(self, 0))],
                    Some(_) => Vec::new(),
                    None => match resolved {
                        Some(Value::External(path)) => {
                            let type_args = args.iter().map(|a| self.ann_types(file, scope, at, a, class, depth)).collect();
                            vec![self.external_instance(path, type_args, depth)]
                        }
                        _ => Vec::new(),
                    },
                }
            }
            Ann::List(_) | Ann::Other => Vec::new(),
        }
    }

    /// A name in an annotation that denotes a workspace class (its
    /// instances), or a workspace type alias (`Alias = Cart`).
    fn named_type(&mut self, resolved: Option<&Value>, depth: u32) -> Option<Vec<Ty>> {
        let Value::Definition(file, def) = resolved? else { return None };
        let d = self.definition(*file, *def)?;
        let alias = d.annotation.as_deref().is_none_or(|a| a == "TypeAlias" || a.ends_with(".TypeAlias"));
        if d.kind == DefinitionKind::Variable
            && alias
            && depth < MAX_INFER_DEPTH
            && let [ValueExpr::TypeExpr { text, scope, at }] = self.values(*file, *def)
        {
            // `LN = Union[Leaf, Node]`, `Nodes: TypeAlias = list[Node]`:
            // what the alias's text names. A recursive alias's mention of
            // itself is unknown: expanded, each level would multiply the
            // work by its mentions.
            let key = (*file, *def);
            if !self.in_progress.insert(key) {
                return None;
            }
            let types = self.annotation_types(*file, *scope, *at, text, None, depth);
            self.in_progress.remove(&key);
            return (!types.is_empty()).then_some(types);
        }
        match d.kind {
            DefinitionKind::Class => Some(vec![Ty::instance(*file, *def)]),
            DefinitionKind::Variable if alias && depth < MAX_INFER_DEPTH => {
                let classes: Vec<Ty> = self
                    .variable_types(*file, *def, depth)
                    .into_iter()
                    .filter_map(|t| match t {
                        Ty::Class(f, c) => Some(Ty::instance(f, c)),
                        _ => None,
                    })
                    .collect();
                (!classes.is_empty()).then_some(classes)
            }
            _ => None,
        }
    }
}
