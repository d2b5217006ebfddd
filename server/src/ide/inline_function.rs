//! Inline function, at one call: a call of a workspace function whose
//! body is one `return EXPR` (after its docstring) replaced by `EXPR` with
//! the call's arguments in place of the parameters (positional, keyword,
//! or a literal default).
//!
//! Never a wrong edit: the arguments ran once each, in order, before the
//! body; inlined, each runs where its parameter is read. So an argument
//! other than a name or a literal must be read exactly once, unconditionally
//! (not in an `and`/`or`, a branch, a lambda, a comprehension), and with
//! nothing of the body but literals, operators, called names and earlier
//! arguments evaluated before it ([`super::extract_variable::moved`]); a
//! name argument read in a lambda or a generator (read later) must be a
//! literal. The names the body reads must mean the same at the call: not
//! bound by a function or class around the call, and in another module
//! imported there as the same thing (else refused: import it first).
//! Refused too: methods, nested functions (closures), decorators,
//! `async`, `yield`, `*args`/`**kwargs` (in the `def` or the call),
//! recursion, a default that is not a literal (evaluated once, when the
//! `def` ran), a body that is more than one `return`, a `:=` of the body
//! (its variable would be the calling code's), and a comprehension or
//! lambda of the body binding a name an argument reads, and what
//! [`super::inline_function_hazards`] finds: a body that looks at the
//! call stack, a private `__name` at a call in a class, a global set or
//! patched on its module from outside read at a call in another module.

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::edits::{Replacement, expression_expressions, module_expressions, parenthesized};
use super::extract_variable::{Moved, chain_to, moved_with};
use super::inline_function_body::{Callee, Site, inline_statements};
use super::inline_function_hazards::Body;
use super::inline_variable::{Inlining, NOT_A_VARIABLE, Reach, in_f_string, inline_variable, reach, removal};
use super::name_events::{EventKind, NameEvents, ScopeKind};
use crate::graph::explain::display_path;
use crate::graph::{FileId, Graph, Resolved, Span, SymbolKind};
use crate::notebook::Notebook;

/// The refusal of a cursor that is not on the called name of a call
/// (nothing to offer, rather than something refused).
pub const NOT_A_CALL: &str = "there is no call of a function at the cursor";

/// Inlines what is at `offset` of `file`: the variable named there
/// ([`inline_variable`]), else the call whose called name is there, else
/// every call of the function whose `def` names it there
/// ([`super::inline_function_all`]).
pub fn inline_at(graph: &Graph, file: FileId, offset: u32) -> Result<Inlining, String> {
    let inlining = match inline_variable(graph, file, offset) {
        Err(why) if why == NOT_A_VARIABLE => match inline_call(graph, file, offset) {
            Err(why) if why == NOT_A_CALL => super::inline_function_all::inline_all(graph, file, offset),
            done => done,
        },
        done => done,
    }?;
    // A notebook's edits stay clear of its IPython escapes.
    let edits = std::iter::once((file, &inlining.replacements)).chain(inlining.elsewhere.iter().map(|e| (e.file, &e.replacements)));
    for (at, replacements) in edits {
        if let Some(entry) = graph.file(at).filter(|e| Notebook::is_notebook(&e.path)) {
            super::ipython_escapes::guard(entry.text(), replacements)?;
        }
    }
    Ok(inlining)
}

/// Inlines the call whose called name is at `offset` of `file`.
pub fn inline_call(graph: &Graph, file: FileId, offset: u32) -> Result<Inlining, String> {
    let entry = graph.file(file).ok_or(NOT_A_CALL)?;
    let text: &str = entry.text();
    let parsed =
        super::ipython_escapes::parse(text, Notebook::is_notebook(&entry.path)).map_err(|()| "the file has syntax errors; fix them first".to_owned())?;
    let call = call_at(&parsed.syntax().body, TextSize::from(offset)).ok_or(NOT_A_CALL)?;
    let call_events = NameEvents::of(&parsed.syntax().body, TextRange::up_to(TextSize::of(text)));
    let inlined = inline_one(graph, file, text, &parsed.syntax().body, &call_events, call)?;
    let mut replacements = inlined.replacements;
    if let Some(bound) = imported_name(call)
        && let Some(import) = import_left_unused(text, &parsed.syntax().body, bound, &call_events, &[call.range()], entry.is_package)
    {
        replacements.insert(0, import);
    }
    Ok(Inlining { replacements, title: format!("Inline this call of `{}`", inlined.name), elsewhere: Vec::new() })
}

/// One call inlined: the replacements of its file (no import removed),
/// the function's name, and the function the call is in where the body's
/// statements went there.
pub(super) struct Inlined {
    pub replacements: Vec<Replacement>,
    pub name: String,
    pub caller: Option<TextRange>,
}

/// Inlines `call`, of `file` (its `text`, `module` and `call_events`).
pub(super) fn inline_one(graph: &Graph, file: FileId, text: &str, module: &[Stmt], call_events: &NameEvents, call: &ExprCall) -> Result<Inlined, String> {
    let callee_at = match &*call.func {
        Expr::Name(n) => n.range.start(),
        Expr::Attribute(a) => a.attr.range.start(),
        _ => return Err(NOT_A_CALL.to_owned()),
    };
    let Some(Resolved::Symbol(id)) = graph.definition(file, callee_at.to_u32()) else { return Err(NOT_A_CALL.to_owned()) };
    let symbol = graph.symbol(id).ok_or(NOT_A_CALL)?;
    let name = symbol.name.to_owned();
    match symbol.kind {
        SymbolKind::Function => {}
        SymbolKind::Method => return Err(format!("`{name}` is a method: which one a call runs depends on its receiver's class")),
        _ => return Err(NOT_A_CALL.to_owned()),
    }
    if let Some(place) = super::patch_strings::patched(graph, id) {
        return Err(format!("a string at {place} names `{name}` (a patch or a lookup by name): its calls are meant to go through it"));
    }
    let location = graph.location(id).ok_or(NOT_A_CALL)?;
    let def_entry = graph.file(location.file).ok_or(NOT_A_CALL)?;
    let def_text: &str = def_entry.text();
    let def_parsed =
        super::ipython_escapes::parse(def_text, Notebook::is_notebook(&def_entry.path)).map_err(|_| format!("the file defining `{name}` has syntax errors"))?;
    let def = def_parsed
        .syntax()
        .body
        .iter()
        .find_map(|s| s.as_function_def_stmt().filter(|d| Span::from(d.name.range) == location.span))
        .ok_or_else(|| format!("`{name}` is not defined at the top of its module (a nested function reads its enclosing function's names)"))?;
    let def_events = NameEvents::of(&def_parsed.syntax().body, TextRange::up_to(TextSize::of(def_text)));
    // Its file, as refusals name a place in it.
    let shown = display_path(graph, &def_entry.path);
    let hazards = Body { file: location.file, module: &def_parsed.syntax().body, def, events: &def_events };
    super::inline_function_hazards::refused(graph, &hazards, file, call_events, call.range())?;
    let Some(body) = returned(def, &name)? else {
        // Statements before the `return`: they go before the call's statement.
        let arguments = bind(def, call, text, def_text)?;
        let callee = Callee { def, text: def_text, shown: &shown, events: &def_events, name: &name };
        let (replacements, caller) = inline_statements(&callee, &Site { text, module, events: call_events, call }, &arguments)?;
        let call_scope = call_events.scopes.iter().rposition(|s| s.range.contains_range(call.range())).unwrap_or(0);
        let first = def.body.iter().find(|s| !s.as_expr_stmt().is_some_and(|e| e.value.is_string_literal_expr())).unwrap_or(&def.body[0]);
        let whole = TextRange::new(first.start(), def.body[def.body.len() - 1].end());
        same_names(graph, (location.file, &def_events, whole, &arguments), (file, text, call_events, call_scope))?;
        return Ok(Inlined { replacements, name, caller: Some(caller) });
    };
    if def_events.named(&name).any(|e| e.kind == EventKind::Read && body.range().contains_range(e.range)) {
        return Err(format!("`{name}` calls itself: inlining it would not end"));
    }
    let arguments = bind(def, call, text, def_text)?;
    let call_scope = call_events.scopes.iter().rposition(|s| s.range.contains_range(call.range())).unwrap_or(0);
    // A name the call's function binds: nothing the body runs can bind it again.
    let local_at_call = |name: &str| {
        let function = std::iter::successors(Some(call_scope), |&s| call_events.scopes[s].parent).find(|&s| call_events.scopes[s].kind != ScopeKind::Class);
        function.is_some_and(|f| f != 0 && call_events.named(name).any(|b| b.scope == f && b.kind != EventKind::Read))
    };
    let code = &def_text[body.range()];
    let line = |at: TextSize| format!("{shown}:{}", crate::line_ends::line_number(def_text, at.to_usize()));

    // Each parameter's reads in the body, and what the inlined code needs of its argument.
    let scope_of = |at: TextRange| def_events.events.iter().find(|e| e.range == at).map(|e| e.scope);
    let body_scope = def_events.scopes.iter().position(|s| s.range == def.range).ok_or(NOT_A_CALL)?;
    // `(y := ...)`, also in a comprehension, binds in the function: inlined,
    // it would bind (or overwrite) the calling code's `y`.
    if let Some(bound) = def_events.events.iter().find(|e| body.range().contains_range(e.range) && e.kind != EventKind::Read && e.scope == body_scope) {
        return Err(format!("`{name}` binds `{}` with `:=`: inlined, it would bind it where the call is", bound.name));
    }
    let reads_of = |parameter: &str| -> Vec<TextRange> {
        def_events
            .named(parameter)
            .filter(|e| {
                e.kind == EventKind::Read
                    && body.range().contains_range(e.range)
                    && scope_of(e.range).is_some_and(|s| home_is(&def_events, parameter, s, body_scope))
            })
            .map(|e| e.range)
            .collect()
    };
    let mut inserts: Vec<(TextRange, String)> = Vec::new();
    // Reads that, evaluated before an argument's, see what they saw: a
    // literal's, and those of the arguments before it in the call.
    let mut earlier_reads: Vec<TextRange> = arguments.iter().filter(|(_, a)| a.literal).flat_map(|(p, _)| reads_of(p)).collect();
    for (parameter, argument) in &arguments {
        let reads = reads_of(parameter);
        let plain = matches!(argument.expr, Some(Expr::Name(_))) || argument.literal;
        if !plain && reads.is_empty() {
            return Err(format!("`{parameter}` is never read in `{name}`: its argument `{}` would not run", argument.code));
        }
        if !plain && reads.len() != 1 {
            return Err(format!(
                "`{parameter}` is read {} times in `{name}`: its argument `{}` would run {} times instead of once",
                reads.len(),
                argument.code,
                reads.len()
            ));
        }
        for &read in &reads {
            let nested = scope_of(read).is_some_and(|s| s != body_scope);
            if nested && !argument.literal {
                let deferred = lambda_or_generator_around(&def_events, scope_of(read).unwrap_or(body_scope), body_scope);
                if deferred || !plain {
                    return Err(format!(
                        "`{parameter}` is read at {} inside a lambda, generator or comprehension of `{name}`: `{}` would be read there, at another time",
                        line(read.start()),
                        argument.code
                    ));
                }
            }
            if nested {
                let free = names_read(argument.expr);
                let mut scope = scope_of(read);
                while let Some(s) = scope.filter(|&s| s != body_scope) {
                    if let Some(clash) = free.iter().find(|n| def_events.named(n).any(|b| b.scope == s && b.kind != EventKind::Read)) {
                        return Err(format!("`{clash}`, which the argument `{}` reads, is bound inside `{name}` where `{parameter}` is read", argument.code));
                    }
                    scope = def_events.scopes[s].parent;
                }
            }
            // What the body runs before the read could change what the argument reads.
            if argument.expr.is_some_and(|e| reach(e) != Reach::Pure || names_read(Some(e)).iter().any(|n| !local_at_call(n))) {
                let chain = chain_to(&def.body, read).ok_or(NOT_A_CALL)?;
                let statement_at = chain.iter().rposition(|n| n.is_statement()).ok_or(NOT_A_CALL)?;
                let inert: Vec<TextRange> = earlier_reads.iter().chain(&reads).copied().collect();
                match moved_with(&chain[statement_at..], read.start().to_usize(), &inert) {
                    Some(Moved::Within(why)) => {
                        return Err(format!(
                            "the read of `{parameter}` at {} {why}: its argument `{}` would be evaluated at another time",
                            line(read.start()),
                            argument.code
                        ));
                    }
                    Some(Moved::After(first)) => {
                        return Err(format!(
                            "`{}` is evaluated before `{parameter}` is read in `{name}`: its argument `{}`, evaluated first, would be evaluated after it",
                            &def_text[first], argument.code
                        ));
                    }
                    None => {}
                }
            }
            if let Some(why) = in_f_string(&def.body, read, &argument.code) {
                return Err(format!("`{parameter}` is read at {} {why}, as its argument `{}` would be there", line(read.start()), argument.code));
            }
            inserts.push((read, argument.code.clone()));
        }
        earlier_reads.extend(reads);
    }
    same_names(graph, (location.file, &def_events, body.range(), &arguments), (file, text, call_events, call_scope))?;

    // The arguments into the body, then the body into the call.
    inserts.sort_by_key(|(r, _)| r.start());
    let start = body.start();
    let replacements: Vec<Replacement> = inserts.iter().map(|(r, code)| Replacement { span: Span::from(*r - start), text: code.clone() }).collect();
    let expressions: Vec<usize> = (0..replacements.len()).collect();
    let substituted = parenthesized(code, &replacements, &expressions, expression_expressions)
        .ok_or_else(|| format!("an argument would not read as one expression in `{code}`; refused"))?;
    let inlined = super::edits::apply(code, &substituted);
    if let Some(why) = in_f_string(module, call.range(), &inlined) {
        return Err(format!("the call is {why}"));
    }
    let call_replacement = [Replacement { span: Span::from(call.range()), text: inlined }];
    let replacements = parenthesized(text, &call_replacement, &[0], module_expressions)
        .ok_or_else(|| format!("the inlined `{code}` would not read as one expression at the call; refused"))?;
    Ok(Inlined { replacements, name, caller: None })
}

/// The name a call reads from its module's imports: `area` of `area(...)`,
/// the module `geo` of `geo.area(...)`.
pub(super) fn imported_name(call: &ExprCall) -> Option<&str> {
    match &*call.func {
        Expr::Name(callee) => Some(callee.id.as_str()),
        Expr::Attribute(attribute) => attribute.value.as_name_expr().map(|module| module.id.as_str()),
        _ => None,
    }
}

/// The removal of `from m import name` (the statement, or the name from
/// it) when the `calls` were the file's only reads of `name`: an import
/// left unused would be a new finding. A package's `__init__.py` keeps
/// its public imports (`package_init`): they are the package's API, which
/// code outside the workspace imports (`from pkg import name`).
pub(super) fn import_left_unused(text: &str, body: &[Stmt], name: &str, events: &NameEvents, calls: &[TextRange], package_init: bool) -> Option<Replacement> {
    if package_init && !name.starts_with('_') {
        return None;
    }
    if events.named(name).any(|e| e.kind == EventKind::Read && !calls.iter().any(|c| c.contains_range(e.range))) {
        return None;
    }
    let (statement, at) = body.iter().find_map(|s| {
        let import = s.as_import_from_stmt()?;
        let at = import.names.iter().position(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name)?;
        Some((import, at))
    })?;
    let names = &statement.names;
    let span = match (at, names.len()) {
        (_, 1) => removal(text, statement.range())?,
        // `a, name` and `name, b`: the name with the comma on one side.
        (at, _) if at + 1 == names.len() => Span::new(names[at - 1].end().to_u32(), names[at].end().to_u32()),
        (at, _) => Span::new(names[at].start().to_u32(), names[at + 1].start().to_u32()),
    };
    Some(Replacement { span, text: String::new() })
}

/// One argument as the call gives it (or the default).
pub(super) struct Argument<'a> {
    pub code: String,
    /// `None` for a default: a literal.
    pub expr: Option<&'a Expr>,
    pub literal: bool,
}

/// The call whose called name (its last part) is at `offset`.
pub(super) fn call_at(body: &[Stmt], offset: TextSize) -> Option<&ExprCall> {
    struct Find<'a> {
        offset: TextSize,
        found: Option<&'a ExprCall>,
    }
    impl<'a> SourceOrderVisitor<'a> for Find<'a> {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            if !node.range().contains_inclusive(self.offset) {
                return TraversalSignal::Skip;
            }
            if let AnyNodeRef::ExprCall(call) = node {
                let name = match &*call.func {
                    Expr::Name(n) => Some(n.range),
                    Expr::Attribute(a) => Some(a.attr.range),
                    _ => None,
                };
                if name.is_some_and(|r| r.contains_inclusive(self.offset)) {
                    self.found = Some(call);
                }
            }
            TraversalSignal::Traverse
        }
    }
    let mut find = Find { offset, found: None };
    find.visit_body(body);
    find.found
}

/// The expression `def` returns, when its body is one `return EXPR`
/// (after a docstring), `None` when it is more, or why it cannot be
/// inlined.
fn returned<'a>(def: &'a StmtFunctionDef, name: &str) -> Result<Option<&'a Expr>, String> {
    if !def.decorator_list.is_empty() {
        return Err(format!("`{name}` is decorated: a call runs what the decorator returns"));
    }
    if def.is_async {
        return Err(format!("`{name}` is `async`: a call makes a coroutine"));
    }
    let p = &def.parameters;
    if p.vararg.is_some() || p.kwarg.is_some() {
        return Err(format!("`{name}` takes `*args` or `**kwargs`"));
    }
    let statements: Vec<&Stmt> =
        def.body.iter().enumerate().filter(|(i, s)| !(*i == 0 && s.as_expr_stmt().is_some_and(|e| e.value.is_string_literal_expr()))).map(|(_, s)| s).collect();
    let value = match statements.as_slice() {
        [Stmt::Return(r)] => r.value.as_deref().ok_or_else(|| format!("`{name}` returns nothing"))?,
        _ => return Ok(None),
    };
    let mut yields = Yields(false);
    yields.visit_expr(value);
    if yields.0 {
        return Err(format!("`{name}` yields: a call makes a generator"));
    }
    Ok(Some(value))
}

struct Yields(bool);

impl<'a> SourceOrderVisitor<'a> for Yields {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        self.0 |= matches!(node, AnyNodeRef::ExprYield(_) | AnyNodeRef::ExprYieldFrom(_) | AnyNodeRef::ExprAwait(_));
        TraversalSignal::Traverse
    }
}

/// Each parameter of `def` with the argument `call` binds to it.
fn bind<'a>(def: &'a StmtFunctionDef, call: &'a ExprCall, text: &str, def_text: &str) -> Result<Vec<(String, Argument<'a>)>, String> {
    let p = &def.parameters;
    let positional: Vec<_> = p.posonlyargs.iter().chain(&p.args).collect();
    let args = &call.arguments;
    if args.args.iter().any(Expr::is_starred_expr) || args.keywords.iter().any(|k| k.arg.is_none()) {
        return Err("the call passes `*` or `**` arguments: which parameter takes what is not known".to_owned());
    }
    if args.args.len() > positional.len() {
        return Err("the call passes more positional arguments than the function takes".to_owned());
    }
    let argument = |e: &'a Expr| Argument { code: text[e.range()].to_owned(), expr: Some(e), literal: is_literal(e) };
    let mut bound = Vec::new();
    for (i, parameter) in positional.iter().chain(&p.kwonlyargs.iter().collect::<Vec<_>>()).enumerate() {
        let name = parameter.parameter.name.as_str();
        let keyword = args.keywords.iter().find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name));
        let given = if i < positional.len() { args.args.get(i) } else { None };
        let keyword = keyword.filter(|_| !p.posonlyargs.iter().any(|o| o.parameter.name.as_str() == name));
        let value = match (given, keyword, &parameter.default) {
            (Some(_), Some(_), _) => return Err(format!("the call passes `{name}` twice")),
            (Some(e), None, _) => argument(e),
            (None, Some(k), _) => argument(&k.value),
            (None, None, Some(default)) if is_literal(default) => Argument { code: def_text[default.range()].to_owned(), expr: None, literal: true },
            (None, None, Some(_)) => return Err(format!("the default of `{name}` is not a literal: it was evaluated once, when the `def` ran")),
            (None, None, None) => return Err(format!("the call passes nothing for `{name}`")),
        };
        bound.push((name.to_owned(), value));
    }
    let known = |k: &str| bound.iter().any(|(n, _)| n == k);
    if let Some(unknown) = args.keywords.iter().filter_map(|k| k.arg.as_ref()).find(|k| !known(k.as_str())) {
        return Err(format!("the call passes `{unknown}=`, which the function does not take"));
    }
    // Arguments run in the call's order: keyword arguments after positional ones, as written.
    let order = |a: &Argument| a.expr.map_or(u32::MAX, |e| e.start().to_u32());
    bound.sort_by_key(|(_, a)| order(a));
    Ok(bound)
}

/// A literal, or a tuple or negation of literals: the same value wherever
/// and however often it is evaluated.
fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) | Expr::EllipsisLiteral(_) => {
            true
        }
        Expr::UnaryOp(u) => is_literal(&u.operand),
        Expr::Tuple(t) => t.elts.iter().all(is_literal),
        _ => false,
    }
}

/// Whether `parameter` read in scope `from` is the parameter of the
/// function whose scope is `body_scope` (no lambda or comprehension
/// between binds the name again).
pub(super) fn home_is(events: &NameEvents, parameter: &str, from: usize, body_scope: usize) -> bool {
    let mut scope = Some(from);
    while let Some(s) = scope {
        if s == body_scope {
            return true;
        }
        if events.named(parameter).any(|e| e.scope == s && e.kind != EventKind::Read) {
            return false;
        }
        scope = events.scopes[s].parent;
    }
    false
}

/// Whether a lambda or a generator expression (run later, if at all) is
/// between scope `from` and `body_scope`.
fn lambda_or_generator_around(events: &NameEvents, from: usize, body_scope: usize) -> bool {
    let mut scope = Some(from);
    while let Some(s) = scope.filter(|&s| s != body_scope) {
        if matches!(events.scopes[s].kind, ScopeKind::Function | ScopeKind::Generator) {
            return true;
        }
        scope = events.scopes[s].parent;
    }
    false
}

/// The names an argument reads.
fn names_read(expr: Option<&Expr>) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'a> SourceOrderVisitor<'a> for Names {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            if let AnyNodeRef::ExprName(n) = node {
                self.0.push(n.id.to_string());
            }
            TraversalSignal::Traverse
        }
    }
    let mut names = Names(Vec::new());
    if let Some(expr) = expr {
        names.visit_expr(expr);
    }
    names.0
}

/// The names the body reads (other than its parameters) mean at the call
/// what they mean in the function's module: not bound by a function or
/// class around the call, and, in another module, imported there as the
/// same thing (or builtins the module does not bind).
fn same_names(graph: &Graph, def: (FileId, &NameEvents, TextRange, &[(String, Argument)]), call: (FileId, &str, &NameEvents, usize)) -> Result<(), String> {
    let (def_file, def_events, body, arguments) = def;
    let (call_file, call_text, call_events, call_scope) = call;
    let call_entry = graph.file(call_file).ok_or(NOT_A_CALL)?;
    let body_names = def_events.events.iter().filter(|e| e.kind == EventKind::Read && body.contains_range(e.range));
    let def_text: &str = graph.file(def_file).ok_or(NOT_A_CALL)?.text();
    // `from . import data` means another module where it is called.
    if call_file != def_file && def_text[body].lines().any(|line| line.trim_start().starts_with("from .")) {
        return Err("the function imports relative to its module, which means another module where it is called".to_owned());
    }
    let mut seen = Vec::new();
    for read in body_names {
        let name = read.name.as_str();
        if arguments.iter().any(|(p, _)| p == name)
            || seen.contains(&name)
            || def_events.named(name).any(|b| b.kind != EventKind::Read && body.contains_range(b.range))
        {
            continue;
        }
        seen.push(name);
        let mut scope = Some(call_scope);
        while let Some(s) = scope.filter(|&s| s != 0) {
            if let Some(bound) = call_events.named(name).find(|b| b.scope == s && b.kind != EventKind::Read) {
                let at = crate::line_ends::line_number(call_text, bound.range.start().to_usize());
                let shown = display_path(graph, &call_entry.path);
                return Err(format!("`{name}`, which the function reads, means something else at the call (bound at {shown}:{at})"));
            }
            scope = call_events.scopes[s].parent;
        }
        if call_file == def_file {
            continue;
        }
        if name.starts_with("__") && name.ends_with("__") {
            return Err(format!("`{name}`, which the function reads, names its own module; where it is called it would name another"));
        }
        // `global COUNT; COUNT += 1` elsewhere: an import copies it once.
        let rebound = def_events.named(name).filter(|b| b.scope == 0 && b.kind != EventKind::Read).count() > 1
            || def_events.named(name).any(|b| b.kind == EventKind::Declare);
        if rebound {
            return Err(format!("`{name}`, which the function reads, is rebound in its module: read from another module it would keep its first value"));
        }
        let meant = graph.definition(def_file, read.range.start().to_u32());
        let imported = call_entry
            .summary
            .imports
            .iter()
            .filter(|i| i.scope == 0 && i.bound_name() == Some(name))
            .any(|i| graph.definition(call_file, i.name_range.end) == meant);
        // Without the standard library's stubs a builtin does not resolve.
        let builtin = match &meant {
            Some(Resolved::External(path)) => path.starts_with("builtins."),
            None => ruff_python_stdlib::builtins::is_python_builtin(name, 13, false),
            Some(_) => false,
        };
        // `def len(...)` in the caller's module: importing is no remedy.
        if builtin
            && !imported
            && let Some(shadow) = call_entry.summary.bindings.iter().find(|b| b.scope == 0 && b.name == name)
        {
            let at = crate::line_ends::line_number(call_text, shadow.range.start as usize);
            let shown = display_path(graph, &call_entry.path);
            return Err(format!("`{name}`, a builtin the function reads, is bound again where it is called ({shown}:{at}), where it would mean that instead"));
        }
        if !(imported || builtin) {
            return Err(format!("`{name}`, which the function reads, is not imported where it is called; import it there first"));
        }
        if let Some(at) = super::checking_only::binding(call_entry, name) {
            return Err(format!(
                "`{name}`, which the function reads, is imported where it is called only for type checkers (line {}, under `if TYPE_CHECKING:`): it is not bound there at run time",
                super::checking_only::line(call_text, at)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "inline_function_tests.rs"]
mod tests;
