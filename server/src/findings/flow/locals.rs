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
    // The first branch's names are where the merge starts, and the others
    // are read where they lie: most of their names hold what the first's
    // do. Moving every name of every branch into an empty map (each branch
    // copied first, as another copy shared it) took 1.4% of a check of
    // Django, most of it growing that map.
    let mut branches = branches.into_iter();
    let Some(first) = branches.next() else { return Locals::default() };
    let mut merged = first.into_map();
    for branch in branches {
        for (name, value) in branch.iter() {
            match merged.get_mut(name) {
                Some(before) if before == value => {}
                Some(before) => *before = std::mem::take(before).either(value.clone()),
                None => {
                    merged.insert(name.clone(), value.clone());
                }
            }
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

    #[test]
    fn branches_merge_in_their_order_whichever_are_shared() {
        // A branch that wrote nothing, after one that wrote, is merged
        // name by name all the same: the first branch's value joins the
        // written one's.
        let before = names(&[("x", Value::constant("a"))]);
        let mut written = before.clone();
        written.insert("x".to_owned(), Value::constant("b"));
        let merged = merge(vec![before.clone(), written.clone(), before.clone()]);
        assert_eq!(merged["x"].text, "a b a");
        assert_eq!(merged["x"], Value::constant("a").either(Value::constant("b")).either(Value::constant("a")));
        // Read in place: none of the branches is changed.
        assert_eq!((before["x"].text.as_str(), written["x"].text.as_str()), ("a", "b"));
    }
}
