//! What a function's parameters hold when a caller in another module gives
//! them data from outside: `storage.read(request.args["p"])` in `app.py`
//! makes `def read(path): open(path)` in `storage.py` a client's path, as
//! a caller of the same file does ([`super::callers`]).
//!
//! The graph says which function a call names; this module knows only
//! syntax trees and offsets. A module's functions that take a parameter and
//! hold a call that may be a sink are its open ones ([`open`]); the calls
//! the reporting walk meets that pass data from outside are kept
//! ([`passing`], no function is walked for them alone), and once the graph
//! has placed a call in an open function of another module, what its
//! arguments hold fills the parameters ([`given_by`]).

use std::ops::Range;
use std::path::Path;

use rustc_hash::FxHashMap;

use ruff_python_ast::{Expr, ExprCall, ModModule, StmtFunctionDef};
use ruff_text_size::{Ranged, TextSize};

use super::callers::{Given, outside_data};
use super::eval::Scope;
use super::value::{Value, range};
use super::{has_sink_call, nested_functions};
use crate::findings::Related;

/// Where an argument goes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Slot {
    Position(usize),
    Keyword(String),
}

/// A call in another module of one of this module's functions, with the
/// arguments that hold data from outside there.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Passed {
    /// Where the called name starts in the caller's file.
    pub site: u32,
    /// Called as an attribute (`obj.read(...)`): a method's receiver is
    /// then not among the arguments.
    pub attribute: bool,
    pub arguments: Vec<(Slot, Value)>,
}

/// Where the names of the module's open functions start: those that take
/// a parameter (other than the receiver) and hold a call that may be a sink
/// (`sink_calls` sorted).
pub(super) fn open(module: &ModModule, sink_calls: &[TextSize]) -> Vec<u32> {
    let mut open = Vec::new();
    let mut functions = nested_functions(&module.body);
    while let Some(function) = functions.pop() {
        if !has_sink_call(sink_calls, function.range()) {
            continue;
        }
        if function.parameters.iter().any(|p| !matches!(p.name().as_str(), "self" | "cls")) {
            open.push(function.name.start().to_u32());
        }
        functions.extend(nested_functions(&function.body));
    }
    open.sort_unstable();
    open
}

/// What `call` passes from outside, where the walk's names hold what
/// `scope` says: `None` when no argument holds data from outside.
pub(super) fn passing(scope: &Scope, call: &ExprCall) -> Option<Passed> {
    let (site, attribute) = match call.func.as_ref() {
        Expr::Name(name) => (name.start().to_u32(), false),
        Expr::Attribute(attribute) => (attribute.attr.start().to_u32(), true),
        _ => return None,
    };
    let positional = call.arguments.args.iter().take_while(|a| !a.is_starred_expr()).enumerate().map(|(i, a)| (Slot::Position(i), a));
    let keywords = call.arguments.keywords.iter().filter_map(|k| Some((Slot::Keyword(k.arg.as_ref()?.to_string()), &k.value)));
    let arguments: Vec<(Slot, Value)> = positional.chain(keywords).filter_map(|(slot, a)| Some((slot, elsewhere(outside_data(scope.eval(a))?)))).collect();
    (!arguments.is_empty()).then_some(Passed { site, attribute, arguments })
}

/// The module's functions (nested ones too), by where their names start.
fn by_name(module: &ModModule) -> FxHashMap<u32, &StmtFunctionDef> {
    let mut functions = nested_functions(&module.body);
    let mut by_name: FxHashMap<u32, &StmtFunctionDef> = FxHashMap::default();
    while let Some(function) = functions.pop() {
        by_name.insert(function.name.start().to_u32(), function);
        functions.extend(nested_functions(&function.body));
    }
    by_name
}

/// What the calls `passed` give the module's functions, each by where its
/// name starts (one of [`open`]'s).
pub(crate) fn given_by<'p>(module: &ModModule, passed: impl Iterator<Item = (u32, &'p Passed)>) -> Given {
    let mut given = Given::default();
    let by_name = by_name(module);
    for (callee, passed) in passed {
        let Some(function) = by_name.get(&callee) else { continue };
        let parameters: Vec<&str> = function.parameters.posonlyargs.iter().chain(&function.parameters.args).map(|p| p.parameter.name.as_str()).collect();
        let is_static = function.decorator_list.iter().any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod"));
        let bound = passed.attribute && !is_static && parameters.first().is_some_and(|p| matches!(*p, "self" | "cls"));
        let held = given.entry(function.start()).or_default();
        for (slot, value) in &passed.arguments {
            let parameter = match slot {
                Slot::Position(i) => parameters.get(i + usize::from(bound)).copied(),
                Slot::Keyword(k) => function.parameters.iter().map(|p| p.name().as_str()).find(|p| *p == k.as_str()),
            };
            let Some(parameter) = parameter else { continue };
            // It enters at the parameter, in this file (the caller's place
            // is in another).
            let Some(declared) = function.parameters.iter().find(|p| p.name().as_str() == parameter) else { continue };
            let mut value = value.clone();
            value.entry.iter_mut().for_each(|e| e.range = range(declared.name()));
            let joined = match held.remove(parameter) {
                Some(before) => before.either(value),
                None => value,
            };
            held.insert(parameter.to_owned(), joined);
        }
    }
    given.retain(|_, held| !held.is_empty());
    given
}

/// Where the data the calls `passed` (each by where the called function's
/// name starts, and from which file) give the module's functions entered
/// in the calling files, by the range of the function given it: a finding
/// in it points there too.
pub(crate) fn callers_of<'p>(module: &ModModule, passed: impl Iterator<Item = (u32, &'p Passed, &'p Path)>) -> Vec<(Range<usize>, Related)> {
    let by_name = by_name(module);
    let mut callers = Vec::new();
    for (callee, passed, caller) in passed {
        let Some(function) = by_name.get(&callee) else { continue };
        for entry in passed.arguments.iter().filter_map(|(_, value)| value.entry.as_ref()) {
            let related = Related { file: caller.to_owned(), range: entry.range.clone(), message: format!("{} enters here", entry.what) };
            if !callers.iter().any(|(_, r)| *r == related) {
                callers.push((range(*function), related));
            }
        }
    }
    callers
}

/// A value of another file, with the places in that file it keeps dropped
/// (a finding points into its own file).
fn elsewhere(value: Value) -> Value {
    Value { written: None, refers: None, ..value }
}
