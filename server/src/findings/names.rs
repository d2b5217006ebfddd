//! What a dotted expression refers to, through the file's imports:
//! `from yaml import load as l` makes `l(...)` a call of `yaml.load`. The
//! security checks match calls by these qualified names, the way bandit
//! does. Imports anywhere in the file count (scopes are ignored, as in
//! bandit); names that were not imported stand for themselves.

use rustc_hash::FxHashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ModModule, Stmt};

/// The bytes a qualified name is given room for at first
/// (`django.db.models.Manager.get_queryset` is 38).
const QUALIFIED_ROOM: usize = 64;

#[derive(Default)]
pub(super) struct Names {
    aliases: FxHashMap<String, String>,
    /// Top-level modules imported anywhere in the file, each once.
    modules: Vec<String>,
    /// The modules imported with `from module import *`.
    stars: Vec<String>,
}

impl Names {
    pub(super) fn of(module: &ModModule) -> Names {
        let mut names = Names::default();
        for stmt in &module.body {
            names.visit_stmt(stmt);
        }
        names
    }

    /// The dotted name `expr` stands for; a call in the chain shows as `()`
    /// (`pickle.Unpickler().load`).
    pub(super) fn qualified(&self, expr: &Expr) -> Option<String> {
        if !matches!(expr, Expr::Name(_) | Expr::Attribute(_) | Expr::Call(_)) {
            return None;
        }
        // Room for most names at once: grown segment by segment, the
        // buffer was copied two or three times a name (1.4% of a check
        // of Django's instructions).
        let mut out = String::with_capacity(QUALIFIED_ROOM);
        self.write_qualified(expr, &mut out).then_some(out)
    }

    /// Whether the name `expr` stands for ([`Names::qualified`]) may have
    /// `part` as its last part: false only where it has another, which is
    /// told without building the name (a call's may be anything).
    pub(super) fn may_end_in(&self, expr: &Expr, part: &str) -> bool {
        match expr {
            Expr::Name(name) => last_part(self.aliases.get(name.id.as_str()).map_or(name.id.as_str(), String::as_str)) == part,
            Expr::Attribute(attribute) => attribute.attr.as_str() == part,
            _ => true,
        }
    }

    /// Writes the name into one buffer: the checks ask for the name of
    /// every call, and a string per segment was a visible share of a check.
    fn write_qualified(&self, expr: &Expr, out: &mut String) -> bool {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                out.push_str(self.aliases.get(id).map_or(id, String::as_str));
                true
            }
            Expr::Attribute(attribute) => {
                if !self.write_qualified(&attribute.value, out) {
                    return false;
                }
                out.push('.');
                out.push_str(attribute.attr.as_str());
                true
            }
            Expr::Call(call) => {
                if let Some(dynamic) = self.dynamic(call) {
                    out.push_str(&dynamic);
                    return true;
                }
                let written = self.write_qualified(&call.func, out);
                out.push_str("()");
                written
            }
            _ => false,
        }
    }

    /// What a lookup by a constant name stands for: `getattr(os, "system")`
    /// is `os.system`, `__import__("os")` and `importlib.import_module("os")`
    /// are `os`.
    pub(super) fn dynamic(&self, call: &ExprCall) -> Option<String> {
        // Only these three look a name up, and the question is asked of
        // every call: answer the others without building any name.
        // Only an alias's target is dotted (a name and an attribute never
        // are): splitting every callee's name was a tenth of the question.
        let last = match call.func.as_ref() {
            Expr::Name(name) => self.aliases.get(name.id.as_str()).map_or(name.id.as_str(), |target| last_part(target)),
            Expr::Attribute(attribute) => attribute.attr.as_str(),
            _ => return None,
        };
        if !matches!(last, "getattr" | "__import__" | "import_module") {
            return None;
        }
        let args = &call.arguments.args;
        let constant = |i: usize| args.get(i).and_then(Expr::as_string_literal_expr).map(|s| s.value.to_str().to_owned());
        match self.qualified(&call.func)?.as_str() {
            "getattr" if args.len() == 2 => Some(format!("{}.{}", self.qualified(&args[0])?, constant(1)?)),
            "__import__" | "importlib.import_module" => constant(0),
            _ => None,
        }
    }

    /// Whether the file imports `module` or something inside it.
    pub(super) fn imports(&self, module: &str) -> bool {
        self.modules.iter().any(|m| m == module)
    }

    /// Whether the file imports every public name of `module` (`from
    /// stat import *`), which then stand bare for `module`'s.
    pub(super) fn star_imports(&self, module: &str) -> bool {
        self.stars.iter().any(|m| m == module)
    }

    /// Each top-level module once: `imports` is asked for every call, and
    /// a file has many imports from few packages.
    fn add_module(&mut self, top: &str) {
        if !self.imports(top) {
            self.modules.push(top.to_owned());
        }
    }
}

impl<'a> Visitor<'a> for Names {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.as_str();
                    self.add_module(top_level(full));
                    match &alias.asname {
                        Some(asname) => self.aliases.insert(asname.to_string(), full.to_owned()),
                        None => self.aliases.insert(top_level(full).to_owned(), top_level(full).to_owned()),
                    };
                }
            }
            Stmt::ImportFrom(import) if import.level == 0 => {
                let Some(module) = &import.module else { return };
                self.add_module(top_level(module.as_str()));
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        self.stars.push(module.to_string());
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                    self.aliases.insert(bound, format!("{}.{}", module.as_str(), alias.name.as_str()));
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    // Imports are statements; expressions cannot hold any.
    fn visit_expr(&mut self, _: &'a Expr) {}
}

fn top_level(dotted: &str) -> &str {
    dotted.split('.').next().unwrap_or(dotted)
}

/// The last part of a dotted name (`load` of `pickle.Unpickler().load`).
/// Searched back byte by byte (`.` is ASCII, never inside a longer UTF-8
/// character): asked of every call's name by several checks, `rsplit`'s
/// general searcher cost ~190 instructions a name (1.5% of a check of
/// Django), this loop ~80 (and fewer unoptimised too, unlike `rposition`).
pub(super) fn last_part(name: &str) -> &str {
    let bytes = name.as_bytes();
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] != b'.' {
        end -= 1;
    }
    &name[end..]
}

/// `module` is `parent` or inside it (`xml.etree.ElementTree` in `xml`),
/// asked without building `parent.` for every import.
pub(super) fn is_module_or_submodule(module: &str, parent: &str) -> bool {
    module.strip_prefix(parent).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qualified(source: &str) -> Option<String> {
        let parsed = ruff_python_parser::parse_module(source).expect("test source parses");
        let names = Names::of(parsed.syntax());
        let Some(Stmt::Expr(last)) = parsed.syntax().body.last() else { panic!("ends with an expression") };
        names.qualified(&last.value)
    }

    #[test]
    fn resolves_through_imports() {
        assert_eq!(qualified("import yaml as y\ny.load").as_deref(), Some("yaml.load"));
        assert_eq!(qualified("from torch import load as l\nl").as_deref(), Some("torch.load"));
        assert_eq!(qualified("import os.path\nos.path.join").as_deref(), Some("os.path.join"));
        assert_eq!(qualified("def f():\n    import pickle as p\np.Unpickler().load").as_deref(), Some("pickle.Unpickler().load"));
        assert_eq!(qualified("tempfile.mktemp").as_deref(), Some("tempfile.mktemp"));
        assert_eq!(qualified("x[0].y"), None);
        assert_eq!(qualified("import os\ngetattr(os, 'system')").as_deref(), Some("os.system"));
        assert_eq!(qualified("getattr(__import__('os'), 'popen')").as_deref(), Some("os.popen"));
        assert_eq!(qualified("import importlib\nimportlib.import_module('pickle').loads").as_deref(), Some("pickle.loads"));
        assert_eq!(qualified("getattr(os, name)().x").as_deref(), Some("getattr()().x"));
    }

    #[test]
    fn a_name_is_written_into_room_for_most_names_at_once() {
        let name = qualified("from django.db import models\nmodels.Manager.get_queryset").expect("a name");
        assert_eq!((name.as_str(), name.capacity()), ("django.db.models.Manager.get_queryset", QUALIFIED_ROOM));
        // A longer one grows; a chain off something unnamed has no name.
        let long = format!("import {0}\n{0}.{0}.{0}", "a_module_name_of_thirty_letters");
        assert_eq!(qualified(&long).map(|n| n.len()), Some(95));
        assert_eq!(qualified("'text'.upper"), None);
        assert_eq!(qualified("(a or b).c"), None);
    }

    #[test]
    fn a_name_may_end_in_a_part_as_its_qualified_name_does() {
        let source = "from ssl import _create_default_https_context as d\nimport ssl as s\nx = 1";
        let parsed = ruff_python_parser::parse_module(source).expect("test source parses");
        let names = Names::of(parsed.syntax());
        let expr = |text: &str| ruff_python_parser::parse_expression(text).expect("an expression").into_expr();
        let part = "_create_default_https_context";
        for (text, may) in
            [("d", true), ("s._create_default_https_context", true), ("ssl.x", false), ("x", false), ("_create_default_https_context", true), ("f()", true)]
        {
            let expr = expr(text);
            assert_eq!(names.may_end_in(&expr, part), may, "{text}");
            // Never false where the qualified name ends so.
            if names.qualified(&expr).is_some_and(|q| last_part(&q) == part) {
                assert!(names.may_end_in(&expr, part), "{text}");
            }
        }
    }

    #[test]
    fn the_last_part_is_what_follows_the_last_dot() {
        assert_eq!(last_part("pickle.Unpickler().load"), "load");
        assert_eq!(last_part("getattr()().x"), "x");
        // Undotted, empty and ending in a dot; letters past ASCII on
        // either side of the dot stay whole.
        assert_eq!(last_part("eval"), "eval");
        assert_eq!(last_part(""), "");
        assert_eq!(last_part("os."), "");
        assert_eq!(last_part("módulo.función"), "función");
        assert_eq!(last_part("ναι.λ"), "λ");
    }

    #[test]
    fn a_lookup_by_name_is_known_through_an_alias_of_its_dotted_path() {
        assert_eq!(qualified("from importlib import import_module as load\nload('pickle').loads").as_deref(), Some("pickle.loads"));
        assert_eq!(qualified("from builtins import getattr as g\nimport os\ng(os, 'system')").as_deref(), Some("builtins.getattr()"));
        assert_eq!(qualified("from x import getattrs as g\nimport os\ng(os, 'system')").as_deref(), Some("x.getattrs()"));
    }
}
