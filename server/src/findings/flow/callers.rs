//! What a function's parameters hold when a caller in the same file gives
//! them data from outside (a request, `sys.argv`, `input()`, a tool call's
//! arguments): `def read(self, path): open(path)` is a client's path when
//! `handle()` calls `self.read(request.args["p"])`, and only then. A
//! parameter no caller is seen to fill from a source stays what it was
//! (of medium confidence, and no path or URL finding).
//!
//! The callers are found by name, as the file spells them: a module-level
//! function called bare, a method called on `self`/`cls` from its own class
//! or on a local made by the class's constructor (`server = Server()` then
//! `server.handle(message)`). Chains of such calls are followed a few
//! links deep, caller first. Callers in other modules are [`super::across`]'s.

use rustc_hash::{FxHashMap, FxHashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ModModule, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextSize};

use super::eval::Scope;
use super::helpers::Helper;
use super::value::Value;
use super::{Calls, Walk, has_sink_call};
use crate::findings::Confidence;
use crate::findings::names::Names;

/// How many links of callers are followed from a sink's function.
const DEPTH: usize = 4;

/// The parameters each function (by where its `def` starts) is given data
/// from outside by a caller of the same file.
pub(in crate::findings) type Given = FxHashMap<TextSize, FxHashMap<String, Value>>;

/// The module's functions, by the names a caller spells them with.
struct Callees<'a> {
    functions: FxHashMap<&'a str, &'a StmtFunctionDef>,
    /// Each class's methods.
    methods: FxHashMap<&'a str, FxHashMap<&'a str, &'a StmtFunctionDef>>,
    /// The class each method is defined in.
    class_of: FxHashMap<TextSize, &'a str>,
}

impl<'a> Callees<'a> {
    fn of(module: &'a ModModule) -> Self {
        let mut callees = Callees { functions: FxHashMap::default(), methods: FxHashMap::default(), class_of: FxHashMap::default() };
        for stmt in &module.body {
            match stmt {
                Stmt::FunctionDef(function) => {
                    callees.functions.insert(function.name.as_str(), function);
                }
                Stmt::ClassDef(class) => callees.class(class),
                _ => {}
            }
        }
        callees
    }

    fn class(&mut self, class: &'a StmtClassDef) {
        let methods = self.methods.entry(class.name.as_str()).or_default();
        for function in class.body.iter().filter_map(Stmt::as_function_def_stmt) {
            methods.insert(function.name.as_str(), function);
            self.class_of.insert(function.start(), class.name.as_str());
        }
    }

    fn all(&self) -> impl Iterator<Item = &'a StmtFunctionDef> + '_ {
        self.functions.values().chain(self.methods.values().flat_map(|m| m.values())).copied()
    }

    /// Whether `call` may name a function of this file, whatever the caller
    /// binds ([`Callees::callee`] finds none otherwise): a module-level
    /// function by its bare name, or a method (of `method_names`) on a name.
    fn may_name(&self, method_names: &FxHashSet<&str>, call: &ExprCall) -> bool {
        match call.func.as_ref() {
            Expr::Name(name) => self.functions.contains_key(name.id.as_str()),
            Expr::Attribute(method) => method.value.is_name_expr() && method_names.contains(method.attr.as_str()),
            _ => false,
        }
    }

    /// The function of this file `call` (in `caller`) calls, and whether it
    /// is called bound (its first parameter is the receiver).
    fn callee(&self, caller: &Caller<'a>, call: &ExprCall) -> Option<(&'a StmtFunctionDef, bool)> {
        match call.func.as_ref() {
            Expr::Name(name) if !caller.locals.contains(name.id.as_str()) => self.functions.get(name.id.as_str()).map(|f| (*f, false)),
            Expr::Attribute(method) => {
                let Expr::Name(receiver) = method.value.as_ref() else { return None };
                let class = match receiver.id.as_str() {
                    "self" | "cls" => caller.class?,
                    local => *caller.instances.get(local)?,
                };
                let function = *self.methods.get(class)?.get(method.attr.as_str())?;
                // A static method takes no receiver.
                let bound = !function.decorator_list.iter().any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod"));
                Some((function, bound))
            }
            _ => None,
        }
    }
}

/// What the callee lookup needs to know of the calling function.
#[derive(Default, Clone)]
struct Caller<'a> {
    class: Option<&'a str>,
    /// Locals made by a constructor of a class of this file.
    instances: FxHashMap<&'a str, &'a str>,
    /// Every name the function binds, which hides a module-level function.
    locals: FxHashSet<&'a str>,
}

impl<'a> Caller<'a> {
    fn of(callees: &Callees<'a>, function: &'a StmtFunctionDef) -> Self {
        struct Binds<'a, 'c> {
            callees: &'c Callees<'a>,
            caller: Caller<'a>,
        }
        impl<'a> Visitor<'a> for Binds<'a, '_> {
            fn visit_stmt(&mut self, stmt: &'a Stmt) {
                if let Stmt::Assign(assign) = stmt
                    && let [Expr::Name(target)] = assign.targets.as_slice()
                {
                    let made = match assign.value.as_ref() {
                        Expr::Call(call) => call.func.as_name_expr(),
                        _ => None,
                    };
                    if let Some(class) = made.and_then(|c| self.callees.methods.get_key_value(c.id.as_str())) {
                        self.caller.instances.insert(target.id.as_str(), class.0);
                    }
                }
                visitor::walk_stmt(self, stmt);
            }
            fn visit_expr(&mut self, expr: &'a Expr) {
                if let Expr::Name(name) = expr
                    && name.ctx.is_store()
                {
                    self.caller.locals.insert(name.id.as_str());
                }
                visitor::walk_expr(self, expr);
            }
        }
        let mut binds = Binds { callees, caller: Caller { class: callees.class_of.get(&function.start()).copied(), ..Caller::default() } };
        for parameter in function.parameters.iter() {
            binds.caller.locals.insert(parameter.name().as_str());
        }
        binds.visit_body(&function.body);
        binds.caller
    }
}

/// The calls of functions of this file a walk meets, with what their
/// arguments hold there.
struct Passes<'a, 'c> {
    callees: &'c Callees<'a>,
    caller: Caller<'a>,
    given: Given,
}

impl Passes<'_, '_> {
    /// Takes in what `call` gives a function of this file, where the walk's
    /// names hold what `scope` says; whether it gives any data from outside.
    fn record(&mut self, scope: &Scope, call: &ExprCall) -> bool {
        let Some((function, bound)) = self.callees.callee(&self.caller, call) else { return false };
        let parameters: Vec<&str> = function.parameters.posonlyargs.iter().chain(&function.parameters.args).map(|p| p.parameter.name.as_str()).collect();
        let positional = parameters.iter().skip(usize::from(bound));
        let given = call.arguments.args.iter().take_while(|a| !a.is_starred_expr()).zip(positional).map(|(a, p)| (*p, a));
        let keywords = call.arguments.keywords.iter().filter_map(|k| Some((k.arg.as_ref()?.as_str(), &k.value)));
        let mut took = false;
        for (parameter, argument) in given.chain(keywords) {
            let Some(value) = outside_data(scope.eval(argument)) else { continue };
            took = true;
            let held = self.given.entry(function.start()).or_default();
            let joined = match held.remove(parameter) {
                Some(before) => before.either(value),
                None => value,
            };
            held.insert(parameter.to_owned(), joined);
        }
        took
    }
}

/// What an argument gives its parameter, where it holds data from outside.
pub(super) fn outside_data(value: Value) -> Option<Value> {
    if value.sure() != Some(Confidence::High) || value.entry.as_ref().is_some_and(|e| e.through_unnamed) {
        return None;
    }
    // What it holds is the caller's data, not which constant; each read of
    // it in the callee enters there (a check of one part of a message is no
    // check of another).
    let mut value = Value { known: None, ..value };
    value.entry.iter_mut().for_each(|e| e.declared = true);
    Some(value)
}

/// What the module's functions are given by their callers of the same file,
/// for the functions that may report (`sink_calls` are where the calls that
/// may be a sink start, sorted).
pub(super) fn given(
    names: &Names,
    globals: &FxHashMap<String, Value>,
    helpers: &FxHashMap<String, Helper>,
    module: &ModModule,
    sink_calls: &[TextSize],
) -> Given {
    let callees = Callees::of(module);
    let mut given = Given::default();
    // A function with a parameter and a sink call, and the callers of the
    // file that may lead to it.
    let takes = |f: &StmtFunctionDef| f.parameters.iter().any(|p| !matches!(p.name().as_str(), "self" | "cls"));
    let mut wanted: FxHashSet<TextSize> = callees.all().filter(|f| takes(f) && has_sink_call(sink_calls, f.range())).map(|f| f.start()).collect();
    if wanted.is_empty() {
        return given;
    }
    // Each function with where the functions of this file it calls start,
    // found once: the rounds below ask it again and again (walking every
    // function's calls each time was a third of this function's work).
    // What a function binds is asked only of one with a call that may name
    // a function of this file (most call none: asking every function was a
    // third of the work before the walks).
    let method_names: FxHashSet<&str> = callees.methods.values().flat_map(|m| m.keys().copied()).collect();
    let callers: Vec<(&StmtFunctionDef, Caller, Vec<TextSize>)> = callees
        .all()
        .map(|f| {
            let mut calls = Calls::default();
            calls.visit_body(&f.body);
            if !calls.0.iter().any(|call| callees.may_name(&method_names, call)) {
                return (f, Caller::default(), Vec::new());
            }
            let caller = Caller::of(&callees, f);
            let called = calls.0.iter().filter_map(|call| callees.callee(&caller, call)).map(|(g, _)| g.start()).collect();
            (f, caller, called)
        })
        .collect();
    let calls_wanted = |wanted: &FxHashSet<TextSize>, (_, _, called): &(&StmtFunctionDef, Caller, Vec<TextSize>)| called.iter().any(|g| wanted.contains(g));
    for _ in 0..DEPTH {
        let more: Vec<TextSize> = callers.iter().filter(|c| !wanted.contains(&c.0.start()) && calls_wanted(&wanted, c)).map(|c| c.0.start()).collect();
        if more.is_empty() {
            break;
        }
        wanted.extend(more);
    }
    // Callers first: each round walks the functions whose parameters the
    // last one filled (the first, every function that leads to a sink).
    let mut walk: Vec<&(&StmtFunctionDef, Caller, Vec<TextSize>)> =
        callers.iter().filter(|c| wanted.contains(&c.0.start()) && calls_wanted(&wanted, c)).collect();
    for _ in 0..DEPTH {
        let mut filled = FxHashSet::default();
        for (function, caller, _) in walk {
            let mut passes = Passes { callees: &callees, caller: caller.clone(), given: Given::default() };
            {
                let mut record = |scope: &Scope, call: &ExprCall| passes.record(scope, call);
                let mut w = Walk::function(names, globals, helpers, function, None);
                w.given(&given, function);
                w.passes = Some(&mut record);
                w.body(&function.body);
            }
            for (callee, values) in passes.given {
                let held = given.entry(callee).or_default();
                for (name, value) in values {
                    if !held.contains_key(&name) {
                        filled.insert(callee);
                        held.insert(name, value);
                    }
                }
            }
        }
        walk = callers.iter().filter(|c| filled.contains(&c.0.start()) && calls_wanted(&wanted, c)).collect();
        if walk.is_empty() {
            break;
        }
    }
    given
}

impl Walk<'_, '_> {
    /// The parameters of `function`'s walk hold what its callers give them
    /// from outside, where they give any.
    pub(super) fn given(&mut self, given: &Given, function: &StmtFunctionDef) {
        if let Some(held) = given.get(&function.start()) {
            self.scope.locals.extend(held.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ruff_python_ast::visitor::Visitor;

    use super::*;

    #[test]
    fn a_call_that_may_not_name_a_function_of_the_file_names_none() {
        // Every call `callee` places is one `may_name` keeps; the others
        // (another module's, a method no class here defines, a chain) are not.
        let source = "class Store:\n    def read(self, p):\n        return p\n\n    def handle(self, args):\n        return self.read(args)\n\n\
                      def show(x):\n    return x\n\ndef main(s):\n    store = Store()\n    store.handle(s)\n    show(s)\n    print(s)\n    s.write(1)\n    a.b.read(s)\n";
        let parsed = crate::findings::parse(Path::new("/work/snippet.py"), source);
        let callees = Callees::of(parsed.syntax());
        let method_names: FxHashSet<&str> = callees.methods.values().flat_map(|m| m.keys().copied()).collect();
        let mut named = Vec::new();
        for function in callees.all() {
            let caller = Caller::of(&callees, function);
            let mut calls = Calls::default();
            calls.visit_body(&function.body);
            for call in calls.0 {
                let may = callees.may_name(&method_names, call);
                assert!(may || callees.callee(&caller, call).is_none());
                named.push((&source[call.func.range()], may));
            }
        }
        named.sort_unstable();
        let expected =
            [("Store", false), ("a.b.read", false), ("print", false), ("s.write", false), ("self.read", true), ("show", true), ("store.handle", true)];
        assert_eq!(named, expected);
    }
}
