//! Fields of classes whose `__init__` a decorator writes (attrs'
//! `@attr.s`/`@attrs`/`@define`, `@dataclass`): `validator = attrib()`
//! holds what the class's constructor calls pass for it, by position (the
//! fields in the body's order) or by keyword, so `self.validator(inst,
//! attr, value)` runs the `__call__` of the validator passed
//! (`_OptionalValidator(_AndValidator(vs))`, bench/graph/runtime_truth.py's
//! attrs). Read as an `__init__`'s parameters are (callers.rs): calls in
//! the class's file while it is linked, and in the files importing it.
//! A function passed counts too: no `__init__` parameter holds it for the
//! callback rule.

use super::callers::{Callers, Wanted};
use super::exprs::ValueExpr;
use super::ty::{Ty, union};
use crate::graph::FileId;
use crate::graph::descriptors::bound_in_class_body;
use crate::graph::resolve::Resolver;
use crate::graph::summary::{Definition, DefinitionId, DefinitionKind, ScopeKind};

/// How a decorator writes the class's `__init__`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Generated {
    /// attrs: a field `_x` is passed as `x`; annotated names are fields
    /// (`@define`, `auto_attribs`) as `attrib()`s are.
    Attrs,
    /// `@dataclass`: annotated names, passed by their own name.
    Dataclass,
}

impl Resolver<'_> {
    /// What the constructor calls of its class pass to the field `def`
    /// (nothing when `def` is no field of such a class).
    pub(super) fn field_argument_types(&mut self, file: FileId, def: DefinitionId, depth: u32) -> Vec<Ty> {
        let mut out = Vec::new();
        if !self.home(file) {
            return out;
        }
        let Some(entry) = self.graph.file(file) else { return out };
        let summary = &entry.summary;
        let Some(field) = summary.definitions.get(def as usize) else { return out };
        let body = field.scope;
        let Some(class) = summary.scopes.get(body as usize).filter(|s| s.kind == ScopeKind::Class).and_then(|s| s.definition) else { return out };
        let class_def = &summary.definitions[class as usize];
        let Some(generated) = class_def.decorators.iter().find_map(|d| generated_by(d)) else { return out };
        let is_field = |(i, d): &(usize, &Definition)| {
            d.scope == body && d.kind == DefinitionKind::Variable && is_field(d) && bound_in_class_body(entry, *i as DefinitionId)
        };
        let Some(index) = summary.definitions.iter().enumerate().filter(is_field).position(|(i, _)| i == def as usize) else { return out };
        let keyword = match generated {
            Generated::Attrs => field.name.trim_start_matches('_'),
            Generated::Dataclass => field.name.as_str(),
        };
        // A base's fields come first: the position is known without one.
        let wanted = Wanted { position: class_def.bases.is_empty().then_some(index), keyword: Some(keyword) };
        self.each_call_site(file, Callers::Constructor(class), class_def.name.as_str(), &wanted, class_def.range, &mut |r, site, index, wanted| {
            let passed = r.passed_types(site, index, wanted, depth, true);
            union(&mut out, passed);
        });
        out
    }
}

/// Which writer of `__init__` a class decorator is (`@attr.s(slots=True)`,
/// `@define`, `@dataclasses.dataclass`), if any.
fn generated_by(decorator: &str) -> Option<Generated> {
    let name = decorator.split('(').next().unwrap_or(decorator).trim();
    match name {
        "attr.s" | "attr.attrs" | "attrs" | "attr.define" | "attrs.define" | "define" | "attr.frozen" | "attrs.frozen" | "frozen" | "attr.mutable"
        | "attrs.mutable" | "mutable" => Some(Generated::Attrs),
        "dataclass" | "dataclasses.dataclass" => Some(Generated::Dataclass),
        _ => None,
    }
}

/// Whether a class-body variable is a field: made by attrs' `attrib()`
/// (`attr.ib()`, `field()`), or annotated (not as a `ClassVar`).
fn is_field(d: &Definition) -> bool {
    let made_by_field = d.values.iter().any(|v| {
        let callee = match v {
            ValueExpr::Call(callee) | ValueExpr::CallWith(callee, _) => callee,
            _ => return false,
        };
        matches!(&**callee, ValueExpr::Chain { chain, .. } if matches!(chain.rsplit('.').next(), Some("attrib" | "ib" | "field")))
    });
    made_by_field || d.annotation.as_deref().is_some_and(|a| !a.contains("ClassVar"))
}
