//! Calls that construct a class without naming it: `cls(...)` in a class
//! method and `self.__class__(...)` in a method run the `__init__` of the
//! class they are called on (the enclosing class, or a subclass: see
//! dispatch.rs).

use super::ty::Ty;
use crate::graph::FileId;
use crate::graph::resolve::{Resolver, Value};
use crate::graph::summary::DefinitionId;

impl Resolver<'_> {
    /// `cls(...)` in a class method (or `__new__`) constructs the class:
    /// it calls the `__init__` the workspace defines for it (a subclass's
    /// on a subclass, see dispatch.rs). Without one, no callee: the class
    /// itself is not named at `cls`, so no edge may point there (a rename
    /// of the class would rewrite `cls`).
    pub(in crate::graph) fn class_method_construction(&mut self, value: &Value) -> Option<Vec<Value>> {
        let Value::Instance(class_file, class, ..) = value else { return None };
        if self.graph.is_library(*class_file) || !self.value_types(value, 0).iter().any(|t| matches!(t, Ty::Class(..))) {
            return None;
        }
        Some(self.workspace_init(*class_file, *class).into_iter().collect())
    }

    /// `self.__class__(...)` in a method: the `__init__` the workspace
    /// defines for the instance's class (`cls.__class__` is a metaclass,
    /// no workspace class).
    pub(in crate::graph) fn instance_class_construction(&mut self, value: &Value) -> Vec<Value> {
        let Some((file, class)) = self.instance_class(value) else { return Vec::new() };
        self.workspace_init(file, class).into_iter().collect()
    }

    /// `self.__class__(...)` in a method: the `__new__` the workspace
    /// defines for the instance's class, which runs beside its `__init__`.
    pub(in crate::graph) fn instance_class_new(&mut self, value: &Value) -> Option<Value> {
        let (file, class) = self.instance_class(value)?;
        self.workspace_new(file, class)
    }

    /// The workspace class `value` is an instance of, when it is one.
    fn instance_class(&mut self, value: &Value) -> Option<(FileId, DefinitionId)> {
        let Value::Instance(class_file, class, ..) = value else { return None };
        if self.graph.is_library(*class_file) || !self.value_types(value, 0).iter().all(|t| matches!(t, Ty::Instance(..))) {
            return None;
        }
        Some((*class_file, *class))
    }

    /// The `__init__` the workspace defines for a class (its own or
    /// inherited), the callee of a call that constructs it without
    /// naming it.
    pub(in crate::graph) fn workspace_init(&mut self, file: FileId, class: DefinitionId) -> Option<Value> {
        let init = self.callee(Value::Definition(file, class));
        (init != Value::Definition(file, class)).then_some(init)
    }
}
