//! Metaclasses: calling a class runs its metaclass's `__call__` (which
//! runs `__new__` and `__init__` through `type.__call__`, or not: a
//! metaclass caching instances returns one made before). The metaclass a
//! class statement names is kept as the class definition's value.

use ruff_python_ast::{self as ast, Expr};

use super::infer::{Ty, ValueExpr};
use super::resolve::{ClassRef, Resolver, Value};
use super::{DefinitionId, FileId};

/// The metaclass a class statement names: `metaclass=M`, or six's
/// `@add_metaclass(M)` (which makes the class again with `M`).
pub(super) fn written(class: &ast::StmtClassDef) -> Option<&Expr> {
    if let Some(keyword) = class.arguments.as_deref().and_then(|a| a.find_keyword("metaclass")) {
        return Some(&keyword.value);
    }
    class.decorator_list.iter().find_map(|decorator| {
        let Expr::Call(call) = &decorator.expression else { return None };
        let name = match &*call.func {
            Expr::Name(name) => name.id.as_str(),
            Expr::Attribute(attribute) => attribute.attr.as_str(),
            _ => return None,
        };
        match (&call.arguments.args[..], call.arguments.keywords.is_empty()) {
            ([only], true) if name == "add_metaclass" => Some(only),
            _ => None,
        }
    })
}

impl Resolver<'_> {
    /// The workspace `__call__` of the metaclass of the workspace class
    /// `(file, class)`, which calling the class runs.
    ///
    /// The metaclass is the one its MRO's workspace classes name: a
    /// library metaclass (`ABCMeta`, `Enum`'s) is a base of any workspace
    /// one beside it, so it is passed over; two different workspace ones,
    /// or one not known, leave it unknown (the most derived of them is
    /// the class's).
    pub(super) fn metaclass_call(&mut self, file: FileId, class: DefinitionId) -> Option<Value> {
        let mut metaclass: Option<(FileId, DefinitionId)> = None;
        for base in self.mro(file, class, 0).iter() {
            let ClassRef::Workspace(f, d) = *base else { continue };
            if self.graph.is_library(f) {
                continue;
            }
            let Some(written) = self.metaclass_written(f, d) else { continue };
            let named = match self.eval(f, &written, 0)[..] {
                [Ty::Class(mf, _)] if self.graph.is_library(mf) => continue,
                [Ty::Class(mf, md)] => (mf, md),
                [Ty::External(_)] => continue,
                _ => return None,
            };
            if metaclass.is_some_and(|m| m != named) {
                return None;
            }
            metaclass = Some(named);
        }
        let (f, d) = metaclass?;
        match self.class_member(f, d, "__call__", 0)? {
            call @ Value::Definition(f, _) if !self.graph.is_library(f) => Some(call),
            _ => None,
        }
    }

    /// The metaclass expression of a workspace class definition (its
    /// only value).
    fn metaclass_written(&mut self, file: FileId, class: DefinitionId) -> Option<ValueExpr> {
        match self.values(file, class) {
            [written] => Some(written.clone()),
            _ => None,
        }
    }
}
