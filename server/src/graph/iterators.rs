//! Library iterators that iterate what they are given: `list(islice(it,
//! n))` iterates `it` there (`islice` calls `iter(it)` when it is made and
//! `next` on it at each of its own steps), as `for x in it:` would; so do
//! `zip`, `map`, `chain`, `enumerate` and the other `itertools`. Iterating
//! such a call runs the protocol methods of the iterables it wraps and
//! starts their generators (see generators.rs) at the same place.

use super::FileId;
use super::infer::ValueExpr;
use super::resolve::{Resolver, Value};
use super::summary::{ImplicitCall, Protocol};

/// Library functions whose result iterates some of their positional
/// arguments: the first position iterated and the last (`None`: every
/// one from the first on). `enumerate(it)` iterates `it` where it is
/// called already (`Protocol::of_builtin`).
const WRAPPERS: &[(&str, u32, Option<u32>)] = &[
    ("builtins.zip", 0, None),
    ("builtins.map", 1, None),
    ("builtins.filter", 1, Some(1)),
    ("itertools.islice", 0, Some(0)),
    ("itertools.chain", 0, None),
    ("itertools.zip_longest", 0, None),
    ("itertools.compress", 0, Some(1)),
    ("itertools.starmap", 1, Some(1)),
    ("itertools.takewhile", 1, Some(1)),
    ("itertools.dropwhile", 1, Some(1)),
    ("itertools.filterfalse", 1, Some(1)),
    ("itertools.accumulate", 0, Some(0)),
    ("itertools.cycle", 0, Some(0)),
    ("itertools.groupby", 0, Some(0)),
    ("itertools.pairwise", 0, Some(0)),
    ("itertools.batched", 0, Some(0)),
];

/// Whether a call of a name ending in `name` may be a wrapper's: the
/// summary keeps such a call's arguments where it is iterated (which
/// one it is, is known when the name is resolved).
pub(crate) fn may_wrap_iterables(name: &str) -> bool {
    WRAPPERS.iter().any(|(path, ..)| path.rsplit_once('.').is_some_and(|(_, last)| last == name))
}

/// How deep wrappers nest that are looked through (`sum(compress(ones,
/// zip(it)))` is two).
const MAX_NESTING: u32 = 4;

impl Resolver<'_> {
    /// The iterations of the iterables that the library iterators `call`'s
    /// value wraps (`it` of `list(islice(it, n))`), each as a call of its
    /// own at `call`'s place.
    pub(super) fn wrapped_iterations(&mut self, file: FileId, call: &ImplicitCall) -> Vec<ImplicitCall> {
        let mut out = Vec::new();
        if matches!(call.protocol, Protocol::Iterate | Protocol::Collect | Protocol::Iter | Protocol::Next) {
            self.add_wrapped(file, call, &call.receiver, 0, &mut out);
        }
        out
    }

    fn add_wrapped(&mut self, file: FileId, call: &ImplicitCall, value: &ValueExpr, depth: u32, out: &mut Vec<ImplicitCall>) {
        let ValueExpr::CallWith(callee, arguments) = value else { return };
        let ValueExpr::Chain { chain, scope, at } = &**callee else { return };
        let Some(Value::External(path)) = self.resolve_dotted(file, *scope, chain, *at) else { return };
        let Some(&(_, first, last)) = WRAPPERS.iter().find(|(wrapper, ..)| *wrapper == path) else { return };
        for (i, argument) in (0..).zip(&arguments.positional) {
            if i < first || last.is_some_and(|last| i > last) {
                continue;
            }
            out.push(ImplicitCall { scope: call.scope, protocol: Protocol::Iterate, receiver: argument.clone(), span: call.span });
            if depth < MAX_NESTING {
                self.add_wrapped(file, call, argument, depth + 1, out);
            }
        }
    }
}
