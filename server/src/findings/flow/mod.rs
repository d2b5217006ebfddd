//! Security findings that follow the data, within one function: a string
//! built in one statement (or in the branches of an `if`) and executed in
//! another, a helper of the same file that returns a formatted query, a
//! request parameter that reaches a shell. Each function is walked in
//! statement order over the syntax tree the other checks share (a loop's
//! body until its names settle, [`loops`]), keeping
//! what each local name holds ([`value::Value`]); a call to a sink
//! ([`sinks`]) with a value that is not a constant is a finding whose
//! related information points where that part entered. Constants the
//! function computes decide its branches, and a local dict, list or config
//! parser keeps what it holds at each constant key ([`fold`],
//! [`branches`]), so data stored under one key and read back under another
//! is not a finding.
//!
//! Between functions it follows a same-file helper's return value
//! ([`helpers`]; a helper of another module is an unknown call, which
//! passes its arguments' data on) and data from outside that callers of
//! the same file give a function's parameters ([`callers`]), or, once the
//! graph has placed their calls, callers in other modules ([`across`]).
//! An attribute of `self` the method wrote is read back as what it wrote
//! (`self.name = request.GET["name"]` then `open(MEDIA + self.name)`).
//! What it leaves out: other objects' attributes written after their
//! creation, `self`'s written by another method, and containers passed to
//! other functions.

mod across;
mod branches;
mod call_index;
mod callers;
mod catalog;
mod changed_globals;
mod enums;
mod eval;
mod fold;
mod function;
mod guards;
mod helpers;
mod imported;
mod item_sinks;
mod judge;
mod known_names;
mod locals;
mod log_format;
mod loops;
mod method_values;
mod models;
mod overwritten;
mod redirect_checks;
mod sinks;
mod text;
mod value;
mod verdict;

use std::path::Path;

use rustc_hash::FxHashMap;

use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ModModule, Stmt, StmtAssign, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::Finding;
use super::names::Names;
pub(super) use across::{Passed, callers_of, given_by};
pub(super) use call_index::CallIndex;
pub(super) use callers::Given;
use eval::Scope;
pub(super) use function::is_route;
pub(super) use helpers::Helper;
pub(super) use imported::by_local_name;
pub(super) use judge::{Judging, judges};
use locals::merge;
use text::{Shapes, Text};
use value::Value;

/// The flow findings of a module, each with the ruff rules that report the
/// same call (whose finding it should enrich rather than repeat).
/// `calls` is what the security checks' walk gathered of the module's
/// calls (the tree is not walked a second time for them); `judging` holds
/// ruff's findings about data, each judged where the walk meets it;
/// `elsewhere` is what other modules tell: what callers there give the
/// module's functions ([`across`]), what their helpers it calls return
/// ([`imported`]). Also gives where the names of the module's functions that
/// callers elsewhere may make report start ([`across::open`]), the
/// calls the reporting walks met that pass data from outside (to a
/// function of another module, for all the file knows), and its own
/// functions that sanitise for callers elsewhere ([`imported::exported`]).
pub(super) fn check(path: &Path, source: &str, module: &ModModule, names: &Names, calls: CallIndex, judging: &mut Judging, elsewhere: &Elsewhere) -> Checked {
    let no_helpers = FxHashMap::default();
    let empty = FxHashMap::default();
    let CallIndex { mut sink_calls, called, mut sanitising } = calls;
    sink_calls.sort_unstable();
    sanitising.sort_unstable();
    // Summarised without the module's globals, which a sanitiser's result
    // hardly depends on: most files with one have no sink, and are not
    // walked.
    let exported = if sanitising.is_empty() { Vec::new() } else { imported::exported(names, &empty, module, &sanitising) };
    // A Flask view's return value is a sink of its own, and so is a
    // FastAPI view's that answers with HTML.
    if !names.imports("flask") && !names.imports("fastapi") && sink_calls.is_empty() && judging.is_empty() {
        return Checked { exported, ..Checked::default() };
    }
    let open = across::open(module, &sink_calls);
    let text = Text::of(source);
    let shapes = text.shapes;
    // The module's own statements first: their names are the functions'
    // globals.
    let mut top = Walk::new(Scope::new(names, &empty, &no_helpers), None);
    top.body(&module.body);
    let Walk { scope, mut functions, .. } = top;
    let mut globals = scope.locals;
    for name in changed_globals::changed_globals(module) {
        if let Some(value) = globals.get_mut(&name) {
            value.known = None;
            value.items = None;
        }
    }
    // What each module-level function returns, for its callers (a function
    // of this file hides one of another module by its name).
    let mut helpers = elsewhere.helpers.clone();
    // Only a function called by its bare name is ever looked up as a helper.
    for function in module.body.iter().filter_map(Stmt::as_function_def_stmt).filter(|f| called.contains(f.name.as_str())) {
        if let Some(helper) = helpers::summarise(names, &globals, &helpers, function) {
            helpers.insert(function.name.to_string(), helper);
        }
    }
    // Functions with a finding of ruff's to judge are walked too.
    // What callers of this file give the functions' parameters from outside.
    let mut given = callers::given(names, &globals, &helpers, module, &sink_calls);
    // A caller of the same file says more of a parameter than one elsewhere
    // (it is walked with the function's own helpers).
    for (function, held) in &elsewhere.given {
        let mine = given.entry(*function).or_default();
        for (name, value) in held {
            mine.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
    let judged: Vec<TextSize> = judging.starts().map(|start| TextSize::new(u32::try_from(start).unwrap_or(u32::MAX))).collect();
    let mut found = Vec::new();
    let mut passed = Vec::new();
    let mut record = |scope: &Scope, call: &ExprCall| across::passing(scope, call).map(|p| passed.push(p)).is_some();
    // Most modules' own statements hold nothing to report (their sinks are
    // in functions): they are walked again only when they may.
    if reports_at_top_level(module, &functions, &sink_calls, &judged) {
        let mut top = Walk::new(Scope::new(names, &empty, &helpers), Some((path, &mut found)));
        top.judging = Some(&mut *judging);
        top.shapes = shapes;
        top.body(&module.body);
    }
    while let Some(function) = functions.pop() {
        // Most functions of a file with a sink have none: what they could
        // report is a sink call, HTML stored in an attribute or item, or a
        // Flask view's HTML response; the others are not walked.
        let reports = is_route(names, function)
            || has_sink_call(&sink_calls, function.range())
            || has_sink_call(&judged, function.range())
            || ((text.html || text.item_sink) && stores_away(function));
        if !reports {
            functions.extend(nested_functions(&function.body));
            continue;
        }
        let nested = {
            let mut walk = Walk::function(names, &globals, &helpers, function, Some((path, &mut found)));
            walk.given(&given, function);
            walk.passes = Some(&mut record);
            walk.judging = Some(&mut *judging);
            walk.shapes = shapes;
            walk.body(&function.body);
            walk.functions
        };
        functions.extend(nested);
    }
    found.sort_by_key(|(f, _): &(Finding, _)| (f.range.start, f.code.clone()));
    found.dedup_by(|a, b| a.0.range == b.0.range && a.0.code == b.0.code);
    Checked { found, open, passed, exported }
}

/// What other modules tell a module's walk.
#[derive(Default)]
pub(super) struct Elsewhere {
    /// What callers there give its functions' parameters from outside.
    pub given: Given,
    /// What their helpers it calls by a bare name return.
    pub helpers: FxHashMap<String, Helper>,
}

/// What [`check`] gives.
#[derive(Default)]
pub(super) struct Checked {
    /// The findings, each with the ruff rules that report the same call.
    pub found: Vec<(Finding, &'static [&'static str])>,
    /// Where the names of the functions start that callers in other
    /// modules may make report.
    pub open: Vec<u32>,
    /// The calls that pass data from outside.
    pub passed: Vec<Passed>,
    /// Its functions that sanitise for callers elsewhere, by where their
    /// names start.
    pub exported: Vec<(u32, Helper)>,
}

/// Whether a call that may be a sink starts inside `range`.
fn has_sink_call(starts: &[TextSize], range: TextRange) -> bool {
    let first = starts.partition_point(|start| *start < range.start());
    starts.get(first).is_some_and(|start| *start < range.end())
}

/// Whether `function` writes to an attribute or an item (where the walk
/// reports HTML stored away).
fn stores_away(function: &StmtFunctionDef) -> bool {
    stores_away_in(&function.body, true)
}

/// Whether `body` writes to an attribute or an item, in the functions it
/// defines too when `into_functions`.
fn stores_away_in(body: &[Stmt], into_functions: bool) -> bool {
    struct Stores {
        found: bool,
        into_functions: bool,
    }
    impl StatementVisitor<'_> for Stores {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::FunctionDef(_) if !self.into_functions => {}
                Stmt::Assign(assign) => self.found |= stores_away_from_locals(assign),
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut stores = Stores { found: false, into_functions };
    stores.visit_body(body);
    stores.found
}

/// Whether the walk of the module's own statements (not its functions',
/// which are walked on their own) may report: a call that may be a sink or
/// a finding of ruff's to judge starts outside every function the module
/// defines, or a statement there stores a value away (HTML, a session's;
/// not gated on the text, which a helper of another module may supply).
fn reports_at_top_level(module: &ModModule, functions: &[&StmtFunctionDef], sink_calls: &[TextSize], judged: &[TextSize]) -> bool {
    let in_a_function = |at: &TextSize| functions.iter().any(|f| f.range().contains(*at));
    sink_calls.iter().chain(judged).any(|at| !in_a_function(at)) || stores_away_in(&module.body, false)
}

/// Whether an assignment writes somewhere the walk does not follow (an
/// attribute, an item, an unpacking), not only to local names.
fn stores_away_from_locals(assign: &StmtAssign) -> bool {
    assign.targets.iter().any(|t| !t.is_name_expr())
}

/// The functions defined in `body` outside any other function, as the walk
/// would find them (inside classes and compound statements).
fn nested_functions(body: &[Stmt]) -> Vec<&StmtFunctionDef> {
    struct Defs<'a>(Vec<&'a StmtFunctionDef>);
    impl<'a> StatementVisitor<'a> for Defs<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(function) => self.0.push(function),
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut defs = Defs(Vec::new());
    defs.visit_body(body);
    defs.0
}

/// Whether the call of `name` runs a shell command.
pub(super) fn is_shell_call(name: &str) -> bool {
    models::is_shell_call(name)
}

/// One function (or the module's top level) walked in statement order.
struct Walk<'a, 'f> {
    scope: Scope<'a>,
    /// What `return` gives, joined over every `return`.
    returns: Option<Value>,
    /// Functions defined inside, walked on their own afterwards.
    functions: Vec<&'a StmtFunctionDef>,
    /// Where findings go; `None` while summarising a helper.
    report: Report<'f>,
    /// A view whose returned string is the response's HTML: Flask's, or
    /// FastAPI's declared with `response_class=HTMLResponse`.
    html_view: bool,
    /// ruff's findings to judge where the walk meets them (a walk that
    /// reports only).
    judging: Option<&'f mut Judging>,
    /// How many loops the statement walked is in, for
    /// [`Walk::looped`]'s bound.
    loops: usize,
    /// What the file's text may hold, for the statements' shapes the walk
    /// would otherwise look for in every statement.
    shapes: Shapes,
    /// Told of each call the walk meets, with what the names hold there
    /// (to learn what callers give their callees, [`callers`]); says
    /// whether it took anything from the call.
    passes: Option<&'f mut (dyn FnMut(&Scope, &ExprCall) -> bool + 'f)>,
    /// The calls inside loops `passes` took something from, for a pass
    /// that is not walked again ([`loops`]).
    passed_in_loops: loops::Passed<'a>,
}

type Report<'f> = Option<(&'f Path, &'f mut Vec<(Finding, &'static [&'static str])>)>;

impl<'a, 'f> Walk<'a, 'f> {
    fn new(scope: Scope<'a>, report: Report<'f>) -> Self {
        Walk {
            scope,
            returns: None,
            functions: Vec::new(),
            report,
            html_view: false,
            judging: None,
            loops: 0,
            shapes: Shapes { walrus: true, relative_to: true },
            passes: None,
            passed_in_loops: Vec::new(),
        }
    }

    fn body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        self.named(stmt);
        match stmt {
            Stmt::FunctionDef(function) => self.functions.push(function),
            Stmt::ClassDef(class) => {
                // Methods are functions of their own; class-level names are
                // not the methods' locals.
                let before = self.scope.locals.clone();
                self.body(&class.body);
                self.scope.locals = before;
                if enums::of_constants(&self.scope, class) {
                    self.scope.locals.insert(class.name.to_string(), Value { made_by: Some(enums::CONSTANT_ENUM.to_owned()), ..Value::some_constant() });
                }
            }
            Stmt::Assign(assign) => {
                self.sinks(&assign.value);
                let value = self.scope.eval(&assign.value);
                // Stored where the walk does not follow (a template
                // context, an attribute): HTML built there is reported now.
                if stores_away_from_locals(assign)
                    && let Some((path, found)) = &mut self.report
                    && let Some(finding) = sinks::stored_html(value.clone(), &assign.value, path)
                {
                    found.push((finding, &[]));
                }
                if let Some((path, found)) = &mut self.report {
                    found.extend(assign.targets.iter().filter_map(|t| item_sinks::stored(&self.scope, t, value.clone(), path)).map(|f| (f, &[] as &[&str])));
                }
                for target in &assign.targets {
                    self.bind(target, &value);
                }
                self.mutate(&assign.value);
                self.raises_unless_inside(&assign.value);
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.sinks(value);
                    let value = self.scope.eval(value);
                    self.bind(&assign.target, &value);
                }
            }
            Stmt::AugAssign(assign) => {
                self.sinks(&assign.value);
                let value = self.scope.eval(&assign.target).concat(self.scope.eval(&assign.value));
                self.bind(&assign.target, &value);
            }
            Stmt::Return(ret) => {
                if let Some(returned) = &ret.value {
                    self.sinks(returned);
                    let value = self.scope.eval(returned);
                    if self.html_view
                        && let Some((path, found)) = &mut self.report
                        && let Some(finding) = sinks::returned_html(value.clone(), returned, path)
                    {
                        found.push((finding, &[]));
                    }
                    self.returns = Some(match self.returns.take() {
                        Some(before) => before.either(value),
                        None => value,
                    });
                }
            }
            Stmt::If(stmt_if) => self.branches(stmt_if),
            Stmt::For(stmt_for) => {
                self.sinks(&stmt_for.iter);
                let items = part_of(&self.scope.eval(&stmt_for.iter));
                self.looped(&loops::Head::For(&stmt_for.target, Box::new(items)), &stmt_for.body, &stmt_for.orelse);
            }
            Stmt::While(stmt_while) => {
                self.sinks(&stmt_while.test);
                self.looped(&loops::Head::While(&stmt_while.test), &stmt_while.body, &stmt_while.orelse);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.sinks(&item.context_expr);
                    if let Some(target) = &item.optional_vars {
                        let value = self.scope.eval(&item.context_expr);
                        self.bind(target, &value);
                    }
                }
                self.body(&with.body);
            }
            Stmt::Try(stmt_try) => {
                let before = self.scope.locals.clone();
                self.body(&stmt_try.body);
                self.body(&stmt_try.orelse);
                // A handler runs after any part of the body: its names hold
                // what they held before it or what the body left. One that
                // leaves the function or the loop's pass is not continued.
                let completed = self.scope.locals.clone();
                let raised = merge(vec![before, completed.clone()]);
                let mut outcomes = vec![completed];
                for handler in &stmt_try.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    self.scope.locals.clone_from(&raised);
                    self.body(&handler.body);
                    if !branches::terminates(self.scope.names, &handler.body) {
                        outcomes.push(std::mem::take(&mut self.scope.locals));
                    }
                }
                self.scope.locals = merge(outcomes);
                self.body(&stmt_try.finalbody);
            }
            Stmt::Match(stmt_match) => {
                self.sinks(&stmt_match.subject);
                // A constant subject takes one case.
                if let Some(case) = self.scope.eval(&stmt_match.subject).known.and_then(|k| branches::chosen_case(&self.scope, &stmt_match.cases, &k)) {
                    self.body(&case.body);
                    return;
                }
                let before = self.scope.locals.clone();
                let mut branches = vec![before.clone()];
                for case in &stmt_match.cases {
                    self.body(&case.body);
                    branches.push(std::mem::replace(&mut self.scope.locals, before.clone()));
                }
                self.scope.locals = merge(branches);
            }
            Stmt::Expr(expr) => {
                self.sinks(&expr.value);
                self.mutate(&expr.value);
                self.raises_unless_inside(&expr.value);
            }
            other => {
                if let Some(judging) = self.judging.as_deref_mut() {
                    judging.stmt(&self.scope, other);
                }
                let mut calls = Calls::default();
                calls.visit_stmt(other);
                for call in calls.0 {
                    self.sink(call);
                }
            }
        }
    }

    /// A method call that changes a local container in place
    /// (`lst.append(x)`, `conf.set(section, key, x)`).
    fn mutate(&mut self, expr: &Expr) {
        let Expr::Call(call) = expr else { return };
        let Expr::Attribute(method) = call.func.as_ref() else { return };
        let Expr::Name(name) = method.value.as_ref() else { return };
        let Some(current) = self.scope.locals.get(name.id.as_str()).cloned() else { return };
        let args: Vec<Value> = call.arguments.args.iter().map(|a| self.scope.eval(a)).collect();
        let config = current.made_by.as_deref().is_some_and(|m| m.starts_with("configparser."));
        let changed = match (method.attr.as_str(), args.as_slice()) {
            ("set", [section, key, value]) if config => Some(fold::stored(current, method_values::section_key(section, key), value.clone())),
            (method, _) => fold::mutated(current, method, &args),
        };
        if let Some(changed) = changed {
            self.scope.locals.insert(name.id.to_string(), changed);
        }
    }

    /// Binds the names an assignment expression in `stmt`'s own
    /// expressions gives (`if (m := pattern.match(x)):`), before the
    /// statement uses them; a compound statement's body is walked on its
    /// own.
    fn named(&mut self, stmt: &Stmt) {
        if !self.shapes.walrus {
            return;
        }
        let named = match stmt {
            Stmt::If(s) => Named::of(&s.test),
            Stmt::While(s) => Named::of(&s.test),
            Stmt::For(s) => Named::of(&s.iter),
            Stmt::Match(s) => Named::of(&s.subject),
            Stmt::With(s) => {
                let mut named = Named::default();
                s.items.iter().for_each(|i| named.visit_expr(&i.context_expr));
                named
            }
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::Try(_) => return,
            other => {
                let mut named = Named::default();
                named.visit_stmt(other);
                named
            }
        };
        self.bind_named(named);
    }

    fn bind_named(&mut self, named: Named<'_>) {
        for (target, value) in named.0 {
            let value = self.scope.eval(value);
            self.bind(target, &value);
        }
    }

    /// After a statement that calls `p.resolve().relative_to(base)`, which
    /// raises for a path outside `base`, the path is inside.
    fn raises_unless_inside(&mut self, expr: &Expr) {
        if !self.shapes.relative_to {
            return;
        }
        let mut calls = Calls::default();
        calls.visit_expr(expr);
        let verdicts = guards::contained_unless_raised(&self.scope, &calls.0);
        guards::apply(&mut self.scope.locals, &verdicts);
    }

    fn bind(&mut self, target: &Expr, value: &Value) {
        match target {
            Expr::Name(name) => {
                let mut value = value.clone();
                // What a checked URL holds, and what is made from it, is checked.
                if self.scope.vetted.iter().any(|v| v == name.id.as_str()) {
                    value.entry.iter_mut().for_each(|e| e.vetted = true);
                }
                self.scope.locals.insert(name.id.to_string(), value);
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind(e, &part_of(value))),
            Expr::List(l) => l.elts.iter().for_each(|e| self.bind(e, &part_of(value))),
            Expr::Starred(s) => self.bind(&s.value, value),
            // Writing an item of a local container: it now holds the value,
            // at that key when the key is a constant.
            Expr::Subscript(item) => {
                let Expr::Name(name) = item.value.as_ref() else { return };
                let Some(current) = self.scope.locals.get(name.id.as_str()).cloned() else { return };
                let key = if item.slice.is_slice_expr() { None } else { self.scope.eval(&item.slice).known };
                self.scope.locals.insert(name.id.to_string(), fold::stored(current, key, value.clone()));
            }
            // `self.name = request.GET["name"]`: what the method reads back
            // from its own object afterwards (another method's writes are
            // not followed).
            Expr::Attribute(attribute) if matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") => {
                self.scope.locals.insert(own_attribute(attribute.attr.as_str()), value.clone());
                self.scope.own_attributes = true;
            }
            _ => {}
        }
    }

    fn sinks(&mut self, expr: &'a Expr) {
        if self.report.is_none() && self.passes.is_none() {
            return;
        }
        self.scope.remember(true);
        if let Some(judging) = self.judging.as_deref_mut() {
            judging.expr(&self.scope, expr);
        }
        let mut calls = Calls::default();
        calls.visit_expr(expr);
        calls.0.into_iter().for_each(|call| self.sink(call));
        self.scope.remember(false);
    }

    fn sink(&mut self, call: &'a ExprCall) {
        if let Some(passes) = self.passes.as_deref_mut()
            && passes(&self.scope, call)
            && self.loops > 0
        {
            self.passed_in_loops.push((self.scope.locals.clone(), call));
        }
        let Some((path, found)) = &mut self.report else { return };
        if let Some((family, finding)) = sinks::check(&self.scope, call, path) {
            found.push((finding, family.ruff_equivalents()));
        } else if let Some(finding) = sinks::hidden_shell(&self.scope, call, path) {
            found.push((finding, &[]));
        }
        found.extend(sinks::namespace_context(&self.scope, call).map(|f| (f, &[] as &[&str])));
        found.extend(sinks::mass_assignment(&self.scope, call, path).map(|f| (f, &[] as &[&str])));
        found.extend(sinks::html_email(&self.scope, call, path).map(|f| (f, &[] as &[&str])));
    }
}

/// The key under which the walk keeps what a method wrote to `self.attr`
/// (no name holds a dot).
pub(super) fn own_attribute(attr: &str) -> String {
    format!("self.{attr}")
}

/// An element of an unpacked value: it carries the same data, not the
/// same text.
fn part_of(value: &Value) -> Value {
    Value { built: false, ..value.clone().opaque() }
}

/// The calls in an expression or a simple statement, outermost first.
#[derive(Default)]
struct Calls<'a>(Vec<&'a ExprCall>);

impl<'a> Visitor<'a> for Calls<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.0.push(call);
        }
        visitor::walk_expr(self, expr);
    }
}

/// The assignment expressions (`x := value`) in an expression or a simple
/// statement, in the order Python evaluates them.
#[derive(Default)]
struct Named<'a>(Vec<(&'a Expr, &'a Expr)>);

impl<'a> Named<'a> {
    fn of(expr: &'a Expr) -> Self {
        let mut named = Named::default();
        named.visit_expr(expr);
        named
    }
}

impl<'a> Visitor<'a> for Named<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        // Its value first: `(a := (b := x))` binds `b`, then `a`.
        visitor::walk_expr(self, expr);
        if let Expr::Named(named) = expr {
            self.0.push((&named.target, &named.value));
        }
    }
}

#[cfg(test)]
mod callers_tests;
#[cfg(test)]
mod constant_tests;
#[cfg(test)]
mod guard_tests;
#[cfg(test)]
mod imported_tests;
#[cfg(test)]
mod judge_tests;
#[cfg(test)]
mod loops_tests;
#[cfg(test)]
mod model_tests;
#[cfg(test)]
mod redirect_check_tests;
#[cfg(test)]
pub(super) mod tests;
#[cfg(test)]
mod walk_tests;
