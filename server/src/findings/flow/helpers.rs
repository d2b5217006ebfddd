//! Functions of the same file called by their bare name: what each
//! returns, in terms of its parameters, and that value at a call, where
//! every argument that reaches the return value (positional, keyword,
//! `*args`, `**kwargs`) stands for the parameter it is passed to.

use rustc_hash::FxHashMap;

use ruff_python_ast::{Expr, ExprCall, StmtFunctionDef};

use super::Walk;
use super::eval::Scope;
use super::value::{Entry, Escaped, Value, surest};
use crate::findings::names::Names;

/// More parameters than this are not followed one by one (a walk each):
/// only the one the return value names.
const MAX_FOLLOWED: usize = 8;

/// A function of the same file: what it returns, in terms of its
/// parameters.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Helper {
    /// The return value with every parameter holding the caller's data.
    pub returns: Value,
    /// Each parameter, in order.
    pub params: Vec<Param>,
    /// The return value is computed from constants alone when every
    /// parameter is (`build("ls", "-l")` of `return tool + " " + flag`).
    constant_of_constants: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Param {
    name: String,
    /// What enters at it in the helper's walk, as [`Entry::what`] names it
    /// (wherever the walk reads it: `name.strip()`).
    what: String,
    kind: Kind,
    /// What it gives the return value when the caller's data is passed to
    /// it (its own entry; the default's when nothing is passed); none
    /// when it does not reach the return value.
    reaches: Option<Entry>,
}

impl Helper {
    /// Whether what it returns is safer than what it is given: its
    /// parameters' data escaped, checked or host-listed on the way, or
    /// none of it returned (`return os.path.basename(name)`,
    /// `return int(x)`).
    /// (What it returns from constants alone is not asked: see
    /// [`summarise_kept`].)
    pub(super) fn sanitises(&self) -> bool {
        !self.params.is_empty()
            && (self.returns.entry.is_none()
                || self.params.iter().filter_map(|p| p.reaches.as_ref()).any(|e| e.escaped != Escaped::No || e.unjudged || e.host_listed))
    }
}

impl Param {
    /// Whether `entry` is this parameter's data.
    fn holds(&self, entry: &Entry) -> bool {
        !self.what.is_empty() && entry.what == self.what
    }
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
enum Kind {
    /// Passed at this place among the positional arguments, or by name.
    Positional(usize),
    KeywordOnly,
    /// `*args`: the positional arguments after the named ones.
    Rest,
    /// `**kwargs`: the keywords no parameter is named for.
    Keywords,
}

/// What `function` returns, for its callers; none when it returns nothing.
pub(super) fn summarise(names: &Names, globals: &FxHashMap<String, Value>, helpers: &FxHashMap<String, Helper>, function: &StmtFunctionDef) -> Option<Helper> {
    summarise_kept(names, globals, helpers, function, |_| true)
}

/// [`summarise`] of a function whose summary `keep` wants: it is asked
/// before the walk with constants for parameters, which only what a helper
/// returns from constants needs (a module's exported sanitisers are the
/// few of its functions with a sanitiser's call that sanitise).
pub(super) fn summarise_kept(
    names: &Names,
    globals: &FxHashMap<String, Value>,
    helpers: &FxHashMap<String, Helper>,
    function: &StmtFunctionDef,
    keep: impl Fn(&Helper) -> bool,
) -> Option<Helper> {
    let (returns, whats) = returned(names, globals, helpers, function, Bound::Caller);
    let returns = returns?;
    let mut params = params(function);
    for (param, what) in params.iter_mut().zip(whats) {
        param.what = what;
    }
    let named = params.iter().position(|p| returns.entry.as_ref().is_some_and(|e| p.holds(e)));
    match named {
        // The return value holds no data of the caller's (or data surer
        // than a parameter's, which no argument changes).
        None => {}
        Some(only) if params.len() == 1 || params.len() > MAX_FOLLOWED => params[only].reaches.clone_from(&returns.entry),
        // The return value keeps the surest part only: which parameters
        // reach it is asked of one walk each, with only that parameter
        // holding the caller's data.
        Some(_) => {
            for (index, param) in params.iter_mut().enumerate() {
                let alone = returned(names, globals, helpers, function, Bound::Alone(index)).0.and_then(|v| v.entry);
                param.reaches = alone.filter(|e| param.holds(e));
            }
        }
    }
    let mut helper = Helper { returns, params, constant_of_constants: false };
    if !keep(&helper) {
        return None;
    }
    // Asked only where an argument can make a difference: the return value
    // names a parameter.
    helper.constant_of_constants =
        named.is_some() && returned(names, globals, helpers, function, Bound::Constants).0.is_some_and(|v| v.computed_from_constants());
    Some(helper)
}

/// What the parameters hold in a walk of the helper.
#[derive(Clone, Copy)]
enum Bound {
    /// Each its caller's data.
    Caller,
    /// Only this one the caller's data, the others nothing of it.
    Alone(usize),
    /// Each a value computed from constants alone.
    Constants,
}

/// What `function` returns, every `return` joined, and what enters at each
/// parameter (as [`Entry::what`] names it), its parameters `bound` so.
fn returned(
    names: &Names,
    globals: &FxHashMap<String, Value>,
    helpers: &FxHashMap<String, Helper>,
    function: &StmtFunctionDef,
    bound: Bound,
) -> (Option<Value>, Vec<String>) {
    let mut walk = Walk::function(names, globals, helpers, function, None);
    let mut whats = Vec::new();
    for (index, parameter) in function.parameters.iter().enumerate() {
        let name = parameter.name().as_str();
        whats.push(walk.scope.locals.get(name).and_then(|v| v.entry.as_ref()).map(|e| e.what.clone()).unwrap_or_default());
        match bound {
            Bound::Caller => {}
            Bound::Alone(alone) if alone == index => {}
            Bound::Alone(_) => {
                walk.scope.locals.insert(name.to_owned(), Value::default());
            }
            Bound::Constants => {
                walk.scope.locals.insert(name.to_owned(), Value::some_constant());
            }
        }
    }
    walk.body(&function.body);
    (walk.returns, whats)
}

fn params(function: &StmtFunctionDef) -> Vec<Param> {
    let p = &function.parameters;
    let param = |parameter: &ruff_python_ast::Parameter, kind| Param { name: parameter.name.to_string(), what: String::new(), kind, reaches: None };
    let positional = p.posonlyargs.iter().chain(&p.args).enumerate().map(|(i, a)| param(&a.parameter, Kind::Positional(i)));
    let rest = p.vararg.iter().map(|a| param(a, Kind::Rest));
    let keyword_only = p.kwonlyargs.iter().map(|a| param(&a.parameter, Kind::KeywordOnly));
    let keywords = p.kwarg.iter().map(|a| param(a, Kind::Keywords));
    // The order of `Parameters::iter`, which the walk's parameters follow.
    positional.chain(rest).chain(keyword_only).chain(keywords).collect()
}

impl Scope<'_> {
    /// A helper's return value at a call: each parameter that reaches it
    /// stands for what is passed to it.
    pub(super) fn through_helper(&self, helper: &Helper, call: &ExprCall) -> Value {
        let mut value = helper.returns.clone();
        let Some(entry) = &value.entry else { return value };
        if !helper.params.iter().any(|p| p.holds(entry)) {
            return value;
        }
        let arguments = &call.arguments;
        // `f(*xs)`, `f(**kw)`: which argument goes where is not known; all
        // of them may reach the result.
        if arguments.args.iter().any(Expr::is_starred_expr) || arguments.keywords.iter().any(|k| k.arg.is_none()) {
            value.entry = arguments.args.iter().chain(arguments.keywords.iter().map(|k| &k.value)).map(|a| self.eval(a).entry).fold(None, surest);
            return value;
        }
        value.entry = None;
        let positional = helper.params.iter().filter(|p| matches!(p.kind, Kind::Positional(_))).count();
        for param in &helper.params {
            let Some(reaches) = &param.reaches else { continue };
            // A constant argument adds nothing; a missing one leaves the
            // default, which the helper saw as the parameter.
            let passed: Vec<&Expr> = match param.kind {
                Kind::Positional(at) => arguments.find_argument_value(&param.name, at).into_iter().collect(),
                Kind::KeywordOnly => arguments.find_keyword(&param.name).map(|k| &k.value).into_iter().collect(),
                Kind::Rest => arguments.args.iter().skip(positional).collect(),
                Kind::Keywords => {
                    let named = |name: &str| helper.params.iter().any(|p| p.name == name && !matches!(p.kind, Kind::Keywords | Kind::Rest));
                    arguments.keywords.iter().filter(|k| k.arg.as_ref().is_some_and(|a| !named(a.as_str()))).map(|k| &k.value).collect()
                }
            };
            let entry = match (param.kind, passed.is_empty()) {
                (Kind::Positional(_) | Kind::KeywordOnly, true) => Some(reaches.clone()),
                _ => passed.iter().map(|a| self.eval(a).entry).fold(None, surest).map(|e| e.through(reaches)),
            };
            value.entry = surest(value.entry, entry);
        }
        // Constants in, constants out; the arguments that do not reach the
        // return value are asked too (it keeps its surest part only).
        if value.entry.is_none() && helper.constant_of_constants {
            value.alternatives = arguments.args.iter().chain(arguments.keywords.iter().map(|k| &k.value)).all(|a| self.eval(a).computed_from_constants());
        }
        value
    }
}
