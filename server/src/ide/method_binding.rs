//! How a function binds its first parameter: `self`, `cls`, none, or
//! read as a property.

use crate::graph::Name;

/// How a function binds its first parameter, as its decorators say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Instance,
    Static,
    Class,
    Property,
}

impl std::fmt::Display for Binding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Binding::Instance => "plain function",
            Binding::Static => "staticmethod",
            Binding::Class => "classmethod",
            Binding::Property => "property",
        })
    }
}

impl Binding {
    pub fn of(decorators: &[Name]) -> Binding {
        let has = |names: &[&str]| decorators.iter().any(|d| names.iter().any(|n| d == n || d.ends_with(&format!(".{n}"))));
        if has(&["property", "cached_property"]) || decorators.iter().any(|d| d.ends_with(".setter") || d.ends_with(".getter")) {
            Binding::Property
        } else if has(&["staticmethod"]) {
            Binding::Static
        } else if has(&["classmethod"]) {
            Binding::Class
        } else {
            Binding::Instance
        }
    }
}
