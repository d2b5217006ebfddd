//! What the flow needs to know of a module's calls before its walk
//! starts, gathered by the security checks' walk (the tree is not walked a
//! second time for them).

use rustc_hash::FxHashSet;

use ruff_python_ast::name::Name;
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextSize};

use super::{models, sinks};
use crate::findings::names::Names;

/// What the walk needs to know of a module's calls before it starts, from
/// one look at each call.
#[derive(Default)]
pub(in crate::findings) struct CallIndex {
    /// Where the calls that may be a sink start, in any order.
    pub(super) sink_calls: Vec<TextSize>,
    /// The names called bare (`f(...)`).
    pub(super) called: FxHashSet<Name>,
    /// Where the calls of a sanitiser or escaper the models know start
    /// (`os.path.basename`, `html.escape`), in any order: a function
    /// holding one may sanitise for callers elsewhere.
    pub(super) sanitising: Vec<TextSize>,
}

impl CallIndex {
    /// Takes in `call`, whose callee's qualified name is `qualified` (what
    /// [`Names::qualified`] says of it).
    pub(in crate::findings) fn add(&mut self, names: &Names, call: &ExprCall, qualified: Option<&str>) {
        // Most files have no call that may be a sink, and are not walked.
        if sinks::may_be_sink(names, call, qualified.unwrap_or_default()) {
            self.sink_calls.push(call.start());
        }
        if qualified.is_some_and(models::is_modelled_escaping) {
            self.sanitising.push(call.start());
        }
        if let Expr::Name(name) = call.func.as_ref() {
            self.called.insert(name.id.clone());
        }
    }
}
