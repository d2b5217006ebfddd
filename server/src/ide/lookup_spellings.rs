//! The spellings of a lookup of an attribute by a name held in a value
//! rather than written after a dot: `getattr(x, key)`, `hasattr(x, key)`,
//! `inspect.getattr_static(x, key)`, `object.__getattribute__(x, key)`,
//! `x.__getattribute__(key)`, `operator.attrgetter(key)`,
//! `operator.methodcaller(key, …)`, and a namespace's key: `vars(x)[key]`,
//! `x.__dict__[key]` (`.get`, `.pop`, `.__getitem__`). One recogniser, so
//! that every check refusing what it cannot follow (a lookup by a name
//! computed at run time, or by a name in a string) sees every spelling
//! (mistune dispatches its renderers by `object.__getattribute__`).

use ruff_python_ast::{Expr, ExprCall};

/// Words one of which a file spells if it holds a lookup: files without
/// any need no parse.
pub(super) const WORDS: [&str; 6] = ["getattr", "hasattr", "attrgetter", "methodcaller", "vars", "__dict__"];

/// What a lookup hands back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Via {
    /// The attribute: `getattr`, `getattr_static`, `__getattribute__`.
    Getattr,
    /// Whether there is one: `hasattr`, which hands nothing on.
    Hasattr,
    /// A function that looks it up (and calls it) when called itself:
    /// `attrgetter(key)`, `methodcaller(key, …)`; the object comes later.
    Getter,
    /// A namespace's entry: `vars(x)[key]`, `x.__dict__.get(key)`.
    Namespace,
}

pub(super) struct ByName<'a> {
    /// What the name is looked up on, when the lookup says
    /// (`x` in `getattr(x, key)` and `vars(x)[key]`).
    pub object: Option<&'a Expr>,
    pub key: &'a Expr,
    pub via: Via,
    /// The function as a message shows it (`getattr`,
    /// `object.__getattribute__`), or `None` for a namespace's subscript.
    pub function: Option<&'static str>,
}

impl ByName<'_> {
    /// Whether what it finds may be a method of the class whose body holds
    /// it: not a mere test (`hasattr`), nor an entry of the instance's own
    /// `vars(self)` / `self.__dict__`, which holds no method.
    pub fn may_find_a_method(&self) -> bool {
        let own_instance = matches!(self.object, Some(Expr::Name(n)) if n.id.as_str() == "self");
        match self.via {
            Via::Hasattr => false,
            Via::Namespace => !own_instance,
            Via::Getattr | Via::Getter => true,
        }
    }

    /// How a message shows it, the name being `name`:
    /// `getattr(…, "name")`, `attrgetter("name")`.
    pub fn written(&self, name: &str) -> String {
        match (self.function, self.via) {
            (Some(function), Via::Getter) => format!("{function}(\"{name}\"…)"),
            (Some(function), _) if function.starts_with('.') => format!("…{function}(\"{name}\")"),
            (Some(function), _) => format!("{function}(…, \"{name}\")"),
            (None, _) => format!("vars(…)[\"{name}\"]"),
        }
    }
}

/// `expr` as a lookup of an attribute by the name `key` holds, in any of
/// its spellings.
pub(super) fn by_name(expr: &Expr) -> Option<ByName<'_>> {
    match expr {
        Expr::Call(call) => call_by_name(call),
        Expr::Subscript(s) => {
            let object = namespace_of(&s.value)?;
            Some(ByName { object, key: &s.slice, via: Via::Namespace, function: None })
        }
        _ => None,
    }
}

fn call_by_name(call: &ExprCall) -> Option<ByName<'_>> {
    let args = &call.arguments.args;
    let on = |via, function| Some(ByName { object: args.first(), key: args.get(1)?, via, function: Some(function) });
    let later = |function| Some(ByName { object: None, key: args.first()?, via: Via::Getter, function: Some(function) });
    if let Expr::Attribute(a) = &*call.func {
        match a.attr.as_str() {
            // `object.__getattribute__(x, key)` (any class's), `x.__getattribute__(key)`.
            "__getattribute__" if args.len() == 2 => return on(Via::Getattr, "object.__getattribute__"),
            "__getattribute__" => return Some(ByName { object: Some(&a.value), key: args.first()?, via: Via::Getattr, function: Some(".__getattribute__") }),
            method @ ("get" | "pop" | "__getitem__") => {
                let object = namespace_of(&a.value)?;
                let function = match method {
                    "get" => ".get",
                    "pop" => ".pop",
                    _ => ".__getitem__",
                };
                return Some(ByName { object, key: args.first()?, via: Via::Namespace, function: Some(function) });
            }
            _ => {}
        }
    }
    match function_name(&call.func)? {
        "getattr" => on(Via::Getattr, "getattr"),
        "hasattr" => on(Via::Hasattr, "hasattr"),
        "getattr_static" => on(Via::Getattr, "getattr_static"),
        "attrgetter" => later("attrgetter"),
        "methodcaller" => later("methodcaller"),
        _ => None,
    }
}

/// `f`, or `f` of the modules that define the lookups
/// (`builtins.getattr`, `operator.attrgetter`, `inspect.getattr_static`).
fn function_name(func: &Expr) -> Option<&str> {
    match func {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) if matches!(&*a.value, Expr::Name(m) if matches!(m.id.as_str(), "builtins" | "operator" | "inspect")) => Some(a.attr.as_str()),
        _ => None,
    }
}

/// `vars(x)` or `x.__dict__`: `x`, if any.
fn namespace_of(expr: &Expr) -> Option<Option<&Expr>> {
    match expr {
        Expr::Call(call) if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "vars") => Some(call.arguments.args.first()),
        Expr::Attribute(a) if a.attr.as_str() == "__dict__" => Some(Some(&a.value)),
        _ => None,
    }
}

#[cfg(test)]
#[path = "lookup_spellings_tests.rs"]
mod tests;
