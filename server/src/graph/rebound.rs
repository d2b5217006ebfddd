//! A function's name rebound at module level (`orig = repl` after
//! `def orig`, or `name = a` / `name = b` in branches). Code that runs once
//! the module has run (a function's body, another module) calls what the
//! name holds then: the rebinding's target, each branch's, and the first
//! definition too while no unconditional rebinding follows it.
//!
//! Only rebindings to a plain name or dotted chain count (an alias); a
//! rebinding to anything else (`orig = wrap(orig)`) leaves the answer as
//! it was, the first definition.

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
        let at_column_zero = |start: u32| entry.text.get(..start as usize).is_some_and(|before| before.ends_with('\n') || before.is_empty());
        let later: Vec<(u32, bool)> = entry
            .bindings_named(0, &bound.name)
            .map(|b| &summary.bindings[b as usize])
            .filter(|b| b.range.start > bound.range.start)
            .map(|b| (b.range.start, at_column_zero(b.range.start)))
            .collect();
        // The last unconditional binding hides the ones before it.
        let from = later.iter().rposition(|&(_, unconditional)| unconditional);
        let kept = &later[from.unwrap_or(0)..];
        let mut aliases = Vec::new();
        for b in entry.bindings_named(0, &bound.name) {
            let binding = &summary.bindings[b as usize];
            if !kept.iter().any(|&(start, _)| start == binding.range.start) {
                continue;
            }
            let BindingKind::Definition(def) = binding.kind else { return None };
            let definition = &summary.definitions[def as usize];
            if definition.kind != DefinitionKind::Variable {
                return None;
            }
            aliases.push(def);
        }
        if aliases.is_empty() {
            return None;
        }
        aliases.dedup();
        let mut values = Vec::new();
        if from.is_none() {
            values.extend(self.binding_value(file, first, depth));
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
        match values.len() {
            0 => None,
            1 => values.pop(),
            _ => Some(Value::Union(values.into())),
        }
    }
}
