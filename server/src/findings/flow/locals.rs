//! The names a function's walk holds, shared between the copies the walk
//! keeps (the names before each branch, each loop pass and a `try`) until
//! one of them is written: most branches write no name (`if x: return y`,
//! `if debug: log(...)`), and copying every name and its value at each of
//! them, then merging the copies again, took a third of the flow's
//! instructions on Django's `db` package. Reading goes through
//! [`Deref`]; writing ([`DerefMut`]) copies the names first when another
//! copy still shares them, so each copy behaves as the owned map it
//! replaces.

use std::ops::{Deref, DerefMut};
use std::rc::Rc;

use rustc_hash::FxHashMap;

use super::value::Value;

#[derive(Clone, Default, Debug)]
pub(crate) struct Locals(Rc<FxHashMap<String, Value>>);

impl Deref for Locals {
    type Target = FxHashMap<String, Value>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Locals {
    fn deref_mut(&mut self) -> &mut Self::Target {
        Rc::make_mut(&mut self.0)
    }
}

impl PartialEq for Locals {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl From<FxHashMap<String, Value>> for Locals {
    fn from(names: FxHashMap<String, Value>) -> Self {
        Locals(Rc::new(names))
    }
}

impl Locals {
    /// The names as a map of their own (copied only if another copy
    /// shares them).
    pub(crate) fn into_map(self) -> FxHashMap<String, Value> {
        Rc::unwrap_or_clone(self.0)
    }

    /// Whether `self` and `other` are copies neither wrote since they
    /// were taken (the same names, without comparing them).
    fn shared_with(&self, other: &Locals) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What each name may hold after branches: any branch's value. Branches
/// that wrote nothing are the names they started from, merged as they are.
pub(super) fn merge(branches: Vec<Locals>) -> Locals {
    if let Some((first, rest)) = branches.split_first()
        && rest.iter().all(|branch| branch.shared_with(first))
    {
        return first.clone();
    }
    let mut merged: FxHashMap<String, Value> = FxHashMap::default();
    for branch in branches {
        for (name, value) in branch.into_map() {
            let joined = match merged.remove(&name) {
                Some(before) if before == value => value,
                Some(before) => before.either(value),
                None => value,
            };
            merged.insert(name, joined);
        }
    }
    Locals::from(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, Value)]) -> Locals {
        Locals::from(pairs.iter().map(|(name, value)| (name.to_string(), value.clone())).collect::<FxHashMap<_, _>>())
    }

    #[test]
    fn a_copy_is_shared_until_written_and_then_its_own() {
        let before = names(&[("x", Value::some_constant())]);
        let mut branch = before.clone();
        assert!(branch.shared_with(&before));
        branch.insert("y".to_owned(), Value::default());
        assert!(!branch.shared_with(&before));
        // The copy it was taken from is untouched by the write.
        assert_eq!(before.len(), 1);
        assert_eq!(branch.len(), 2);
        // Equal names are equal whether shared or not.
        assert_eq!(names(&[("x", Value::some_constant())]), before);
        assert_ne!(branch, before);
    }

    #[test]
    fn branches_that_wrote_nothing_merge_to_the_names_they_started_from() {
        let before = names(&[("x", Value::some_constant()), ("y", Value::default())]);
        let merged = merge(vec![before.clone(), before.clone(), before.clone()]);
        assert!(merged.shared_with(&before));
        assert_eq!(merged, before);
    }

    #[test]
    fn a_written_branch_merges_name_by_name() {
        let before = names(&[("x", Value::some_constant()), ("y", Value::default())]);
        let mut written = before.clone();
        written.insert("x".to_owned(), Value::default());
        written.insert("z".to_owned(), Value::some_constant());
        let merged = merge(vec![written.clone(), before.clone()]);
        assert!(!merged.shared_with(&before));
        // Each name holds any branch's value; one bound in a branch only
        // is kept; one the same in every branch is that value.
        assert_eq!(merged["x"], Value::default().either(Value::some_constant()));
        assert_eq!(merged["y"], Value::default());
        assert_eq!(merged["z"], Value::some_constant());
        // The copies merged are untouched.
        assert_eq!(before["x"], Value::some_constant());
        assert_eq!(written.len(), 3);
    }
}
