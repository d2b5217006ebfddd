//! Parameters passed on: a function that hands its parameter to code that
//! calls it calls what it was passed there. `def valmap(func, d): return
//! map(func, d.values())` calls `func` where `map` is called (the builtin
//! has no code of its own to call it from); `def relay(fn, x): return
//! apply(fn, x)` hands `fn` to `apply`, whose call of its parameter runs
//! what `relay`'s callers pass. Found at query time, as the callbacks of
//! [`super::callbacks`] are, following at most [`MAX_FORWARDS`] hand-overs.

use super::callbacks::ParameterCall;
use super::summary::{Argument, FileSummary};
use super::{EdgeKind, Graph, Location, Span, SymbolId, SymbolKind};

/// How many functions a parameter is handed through (`relay` → `apply`
/// is one): a bound, since a query follows them all.
pub(super) const MAX_FORWARDS: usize = 3;

/// A parameter handed on by name to a workspace function's parameter.
pub(super) struct Forward {
    /// The index of the parameter handed on, in the handing function.
    pub(super) parameter: usize,
    /// The function it is handed to, and the index of its parameter there.
    pub(super) to: SymbolId,
    pub(super) to_parameter: usize,
    /// The call handing it on (its callee's last name).
    pub(super) call: Location,
}

impl Graph {
    /// The places `function`'s parameters are passed, by name, to a
    /// library function that calls what it is passed (`map(func, xs)`),
    /// as calls of the parameter there.
    pub(super) fn higher_order_passes(&self, function: SymbolId) -> Vec<ParameterCall> {
        let mut out = Vec::new();
        let Some(file) = self.node(function).and_then(|n| n.file) else { return out };
        self.each_passed_parameter(function, |index, argument| {
            if let Some(runs_in) = self.enclosing_symbol(file, argument.span.start)
                && self.out_edges(runs_in, EdgeKind::Calls).any(|(at, callee)| at == argument.callee && self.higher_order(callee, &argument.slot))
            {
                out.push(ParameterCall { parameter: index, runs_in, at: Location { file, span: argument.span } });
            }
        });
        out
    }

    /// `function`'s parameters passed, by name, to a parameter of a
    /// workspace function (`apply(fn, x)` in `relay`).
    pub(super) fn forwards(&self, function: SymbolId) -> Vec<Forward> {
        let mut out = Vec::new();
        let Some(file) = self.node(function).and_then(|n| n.file) else { return out };
        self.each_passed_parameter(function, |index, argument| {
            let Some(runs_in) = self.enclosing_symbol(file, argument.span.start) else { return };
            let Some((_, to)) = self.out_edges(runs_in, EdgeKind::Calls).find(|&(at, _)| at == argument.callee) else { return };
            if self.node(to).is_some_and(|n| n.kind == SymbolKind::External) {
                return;
            }
            let call = Location { file, span: argument.callee };
            if let Some(to_parameter) = self.parameter_for(to, &call, &argument.slot) {
                out.push(Forward { parameter: index, to, to_parameter, call });
            }
        });
        out
    }

    /// The parameters of `holder` passed by name at the call at `call`
    /// (written in `holder`), with the index of each in its signature.
    pub(super) fn parameters_passed_to(&self, holder: SymbolId, call: &Location) -> Vec<(Argument, usize)> {
        let mut out = Vec::new();
        self.each_passed_parameter(holder, |index, argument| {
            if argument.callee == call.span {
                out.push((argument.clone(), index));
            }
        });
        out
    }

    /// Calls `each` with every argument in `function`'s body (and the
    /// functions nested in it) that is one of its parameters passed by
    /// name, not called (`f(fn)`, not `f(fn())`), with the parameter's index.
    fn each_passed_parameter(&self, function: SymbolId, mut each: impl FnMut(usize, &Argument)) {
        let Some((_, definition)) = self.definition_of(function) else { return };
        let Some(text) = self.node(function).and_then(|n| self.file(n.file?)).map(|e| e.text()) else { return };
        let range = definition.range;
        self.each_parameter(function, |summary: &FileSummary, index, name, means_parameter| {
            for argument in arguments_within(summary, range) {
                if argument.chain(text) == Some(name) && !argument.called(text) && means_parameter(argument.span.start) {
                    each(index, argument);
                }
            }
        });
    }
}

/// The arguments passed in a text range (they are kept in text order).
fn arguments_within(summary: &FileSummary, range: Span) -> &[Argument] {
    let first = summary.arguments.partition_point(|a| a.span.start < range.start);
    let last = summary.arguments.partition_point(|a| a.span.start < range.end);
    &summary.arguments[first..last.max(first)]
}
