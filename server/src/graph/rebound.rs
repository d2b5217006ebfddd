//! A function's name rebound at module level (`orig = repl` after
//! `def orig`, `name = a` / `name = b` in branches, a `def` in each branch
//! of an `if` whose test is no version or platform check, `try: from fast
//! import f` / `except ImportError: def f()`). Code that runs once the
//! module has run (a function's body, another module) calls what the name
//! holds then: the rebinding's target, each branch's, and the first
//! definition too while no unconditional rebinding follows it. Bindings in
//! a branch the environment's interpreter skips are none of these (see
//! `branches.rs`): a version check still picks its branch.
//!
//! Only rebindings to a plain name or dotted chain count (an alias), or a
//! `def`, `class` or import; a rebinding to anything else (`orig =
//! wrap(orig)`) leaves the answer as it was, the first definition.

use super::FileId;
use super::infer::ValueExpr;
use super::resolve::{MAX_DEPTH, Resolver, Value};
use super::summary::{BindingKind, DefinitionKind, ScopeId, ScopeKind};

impl Resolver<'_> {
    /// Whether code in `scope` runs after the module body (inside a function).
    pub(super) fn runs_later(&mut self, file: FileId, scope: ScopeId) -> bool {
        // The scope came from a read of this file that is already counted.
        let Some(entry) = self.entry_global(file) else { return false };
        let scopes = &entry.summary.scopes;
        std::iter::successors(Some(scope), |&s| scopes[s as usize].parent).any(|s| scopes[s as usize].kind == ScopeKind::Function)
    }

    /// What the module-level `first` binding's name holds once the module
    /// has run, when later module-level aliases rebind it.
    pub(super) fn rebound(&mut self, file: FileId, first: u32, depth: u32) -> Option<Value> {
        let peek = self.entry_global(file)?;
        let bound = peek.summary.bindings.get(first as usize)?;
        if bound.scope != 0 || depth > MAX_DEPTH {
            return None;
        }
        // No later binding of the name: what was read is that name's item
        // (a rebinding added later changes it). Otherwise the answer also
        // reads where the rebindings stand (at column zero or in a block),
        // which no item holds: the file counts as read whole.
        if peek.bindings_named(0, &bound.name).all(|b| peek.summary.bindings[b as usize].range.start <= bound.range.start) {
            self.entry_by_name(file, &bound.name);
            return None;
        }
        let entry = self.entry(file)?;
        let summary = &entry.summary;
        let bound = &summary.bindings[first as usize];
        let platform = self.graph.interpreter().filter(|_| !summary.branches.is_empty());
        let constants = platform.map(|p| self.branch_constants(file, p)).unwrap_or_default();
        let skipped = |start: u32| platform.is_some_and(|p| super::branches::skipped(entry, p, &constants, start));
        let later: Vec<(u32, bool)> = entry
            .bindings_named(0, &bound.name)
            .filter(|&b| summary.bindings[b as usize].range.start > bound.range.start && !skipped(summary.bindings[b as usize].range.start))
            .map(|b| (b, unconditional(&entry.text, summary.bindings[b as usize].range.start)))
            .collect();
        // The last unconditional binding hides the ones before it.
        let from = later.iter().rposition(|&(_, unconditional)| unconditional);
        let kept = &later[from.unwrap_or(0)..];
        let mut values = Vec::new();
        if from.is_none() {
            values.extend(self.binding_value(file, first, depth));
        }
        let mut aliases = Vec::new();
        for &(b, _) in kept {
            let binding = &summary.bindings[b as usize];
            match binding.kind {
                // A variable's bindings share its definition, whose
                // values are every alias it is assigned.
                BindingKind::Definition(def) if summary.definitions[def as usize].kind == DefinitionKind::Variable => {
                    if !aliases.contains(&def) {
                        aliases.push(def);
                    }
                }
                BindingKind::Definition(_) => values.extend(self.binding_value(file, b, depth)),
                // A fallback import from outside the workspace (`except
                // ImportError: from typing_extensions import Literal`)
                // adds no call to link, and the checks of a move want the
                // one target they have always read: the first.
                BindingKind::Import(_) => values.extend(self.binding_value(file, b, depth).filter(|v| self.in_workspace(v))),
                _ => return None,
            }
        }
        for def in aliases {
            for value in self.values(file, def).to_vec() {
                let ValueExpr::Chain { chain, scope, at } = value else { return None };
                let mut parts = chain.split('.');
                let mut target = self.resolve_name(file, scope, parts.next()?, at, depth + 1)?;
                // A function's local (`global last` then `[last := x for x
                // in xs]`) is no alias the module's name keeps.
                if matches!(target, Value::Local(..)) {
                    return None;
                }
                for part in parts {
                    target = self.member(&target, part, depth + 1)?;
                }
                if !values.contains(&target) {
                    values.push(target);
                }
            }
        }
        Value::union(values)
    }
}

impl Resolver<'_> {
    /// Whether a value is a workspace definition or module (no library's).
    fn in_workspace(&self, value: &Value) -> bool {
        match value {
            Value::Definition(file, _) => !self.graph.is_library(*file),
            Value::Module(module) => self.graph.resolve_module(module).is_some_and(|file| !self.graph.is_library(file)),
            _ => false,
        }
    }
}

/// Whether a module-level binding at `start` is made whenever the module
/// runs: its statement starts the line at column zero (`orig = repl`,
/// `def orig():`, `from fast import parse`), not in a block nor after a
/// compound statement's colon (`if flag: orig = repl`).
fn unconditional(text: &str, start: u32) -> bool {
    let Some(before) = text.get(..start as usize) else { return false };
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let first_word = line.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default();
    !line.starts_with(char::is_whitespace) && !matches!(first_word, "if" | "elif" | "else" | "try" | "except" | "finally" | "for" | "while" | "with")
}
