//! What a change of signature cannot follow outside the calls: the
//! function's own body (a new parameter would capture the global or
//! builtin it reads; a removed one it still reads would fall back to a
//! global of the same name), a library that calls the method it overrides,
//! calls by a name computed at run time (`getattr(self, "visit_" + k)`,
//! `globals()["handle_" + kind]`), parameters read or passed by their names
//! (`locals()`, pytest's fixtures) or through the function passed on as a
//! value (`functools.partial(f, b=1)`), and declarations the change would
//! leave stale (a `.pyi` stub, `@overload` variants).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, InterpolatedStringElement, Operator, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet;

use super::lookup_spellings::{ByName, Via};
use super::name_lookups::Request;
use super::parsed_files::ParsedFiles;
use super::signature_change::NewParameter;
use super::signature_rewrite::Calls;
use crate::graph::explain::place;
use crate::graph::{FileEntry, FileId, Graph, Location, Parameter, Span, Symbol, SymbolId, SymbolKind};

/// Why the parameters of `function` (now `old`, to be `new`) cannot change
/// without changing what its body reads.
pub fn captured(graph: &Graph, function: SymbolId, old: &[Parameter], new: &[NewParameter]) -> Result<(), String> {
    with_def(graph, function, |symbol, _, module, def| captured_in(symbol, module, def, old, new))
}

fn captured_in(symbol: &Symbol, module: &[Stmt], def: &StmtFunctionDef, old: &[Parameter], new: &[NewParameter]) -> Result<(), String> {
    let mut names = Names::default();
    names.visit_body(&def.body);
    // The `def` as the graph holds it: the old one (the CLI), or the one
    // the user already edited (the editor's LOOM806), whose parameters the
    // body reads as parameters, not as globals.
    let declared = |name: &str| def.parameters.iter().any(|p| p.name().as_str() == name);
    for added in new.iter().filter(|n| n.from.is_none() && !declared(&n.name)) {
        if names.read.contains(added.name.as_str()) && !names.bound.contains(added.name.as_str()) {
            return Err(format!(
                "the body of `{}` reads `{}` (a global or builtin there): the new parameter `{}` would take its place",
                symbol.name, added.name, added.name
            ));
        }
    }
    // A removed parameter the body still reads: its calls' arguments would
    // be dropped while the body wants them (the CLI and the editor's fix
    // share this check; the check of the result would only see an
    // undefined name, and nothing at all where a global has its name).
    let mut globals = Names::default();
    for stmt in module {
        if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            globals.visit_stmt(stmt);
        }
        if let Stmt::FunctionDef(StmtFunctionDef { name, .. }) | Stmt::ClassDef(ruff_python_ast::StmtClassDef { name, .. }) = stmt {
            globals.bound.insert(name.to_string());
        }
    }
    let outside = |name: &str| globals.bound.contains(name) || ruff_python_stdlib::builtins::is_python_builtin(name, 13, false);
    let kept = |name: &str| new.iter().any(|n| n.from.as_deref() == Some(name));
    if let Some(removed) = old.iter().find(|o| !kept(&o.name) && names.read.contains(o.name.as_str())) {
        let instead = if outside(&removed.name) { "it would read the global" } else { "it would read an undefined name" };
        return Err(format!(
            "the body of `{}` still reads the parameter `{}`: without it, {instead} `{}` instead; edit the body first",
            symbol.name, removed.name, removed.name
        ));
    }
    Ok(())
}

/// Why the parameters of `function` cannot change although its calls
/// could follow: their names are read by name where no call shows it
/// (`locals()` in the body; pytest passes tests' and fixtures' parameters
/// by name), or a declaration of them would keep the old ones (a stub
/// beside the module, `@overload` variants).
pub fn declared_elsewhere(graph: &Graph, function: SymbolId, old: &[Parameter], new: &[NewParameter]) -> Result<(), String> {
    declarations(graph, function)?;
    let renamed: Vec<&str> = old.iter().filter(|o| !new.iter().any(|n| n.name == o.name)).map(|o| o.name.as_str()).collect();
    let required = new.iter().any(|n| !old.iter().any(|o| o.name == n.name) && !n.has_default);
    if !renamed.is_empty() || required { read_by_name(graph, function, &renamed) } else { Ok(()) }
}

/// Why the parameter `parameter` of `function` cannot take a new name (see
/// [`declared_elsewhere`]).
pub(super) fn names_fixed(graph: &Graph, parsed: &ParsedFiles, function: SymbolId, parameter: &str) -> Result<(), String> {
    read_or_declared(graph, function, parameter)?;
    super::name_lookups::reaching(graph, parsed, function, Request::Parameter(parameter))?;
    keyword_through_value(graph, parsed, function, parameter)
}

/// Why the parameter `parameter` of `function` cannot take a new name
/// whatever its calls: its name is read by name, or declared elsewhere.
pub(super) fn read_or_declared(graph: &Graph, function: SymbolId, parameter: &str) -> Result<(), String> {
    declarations(graph, function)?;
    read_by_name(graph, function, &[parameter])
}

/// Why the parameter `parameter` of `function` cannot take a new name:
/// the function is passed on as a value (`functools.partial(f, b=1)`,
/// `OPS = {"f": f}`, `op = staticmethod(f)`), and a keyword argument or a
/// string of the parameter's name appears where no call of it the graph
/// knows is: through that value it may reach the function, and the rename
/// would leave it naming the old parameter. (A value bound to a name whose
/// calls the graph follows, `cb = f; cb(b=2)`, is renamed with them.)
fn keyword_through_value(graph: &Graph, parsed: &ParsedFiles, function: SymbolId, parameter: &str) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function) else { return Ok(()) };
    let definition = graph.location(function);
    let mut uses = super::signature_change::use_sites(graph, function);
    uses.sort_by_key(|u| (u.file, u.span.start));
    let mut callees: FxHashSet<(FileId, usize)> = FxHashSet::default();
    let mut value = None;
    let mut files: Vec<FileId> = uses.iter().map(|u| u.file).collect();
    files.sort();
    files.dedup();
    for file in files {
        let Some(entry) = graph.file(file) else { continue };
        let Some(tree) = parsed.clean(file) else { continue };
        let mut calls = Calls::default();
        calls.visit_body(&tree.syntax().body);
        let annotations = super::value_uses::annotations(tree.syntax());
        for at in uses.iter().filter(|u| u.file == file) {
            if calls.by_callee_end.contains_key(&(at.span.end as usize)) {
                callees.insert((file, at.span.end as usize));
            } else if Some(at) != definition.as_ref()
                && !super::signature_change::in_import(&entry.summary.imports, at.span)
                && !quoted(entry.text(), at.span)
                // The class's own name where it is defined (for its `__init__`).
                && !entry.summary.definitions.iter().any(|d| d.name_range == at.span)
                && !super::value_uses::passes_nothing(graph, function, at, &annotations)
            {
                value.get_or_insert_with(|| at.clone());
            }
        }
    }
    let Some(value) = value else { return Ok(()) };
    let refusal = |file: FileId, span: Span| {
        format!(
            "`{}` is passed on as a value at {}, and `{parameter}` at {} may reach it through that value, where the rename cannot follow",
            symbol.name,
            place(graph, &value),
            place(graph, &Location { file, span })
        )
    };
    let mut first = None;
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !entry.text().contains(parameter) {
            continue;
        }
        let Some(tree) = parsed.clean(file) else { continue };
        let mut keywords = Keywords { name: parameter, found: Vec::new() };
        keywords.visit_body(&tree.syntax().body);
        let open: Vec<(Span, Span)> =
            keywords.found.into_iter().filter(|(_, callee, _)| callee.is_none_or(|end| !callees.contains(&(file, end)))).map(|(s, _, c)| (s, c)).collect();
        // The keyword beside the value in one call (`submit(work, num=5)`)
        // is the one that reaches it; another is named only without it.
        if let Some((span, _)) = open.iter().find(|(_, call)| file == value.file && call.start <= value.span.start && value.span.end <= call.end) {
            return Err(refusal(file, *span));
        }
        first = first.or(open.first().map(|(span, _)| (file, *span)));
    }
    match first {
        Some((file, span)) => Err(refusal(file, span)),
        None => Ok(()),
    }
}

/// Whether `span` is the whole content of a string (an `__all__` entry):
/// a name listed for export, not a value handed on.
fn quoted(text: &str, span: Span) -> bool {
    let bytes = text.as_bytes();
    let before = span.start.checked_sub(1).and_then(|at| bytes.get(at as usize));
    matches!(before, Some(b'"' | b'\'')) && before == bytes.get(span.end as usize)
}

/// The keyword arguments named `name` (with the end of their call's
/// callee) and the strings equal to it (no callee: a `**kwargs` key),
/// each with the call around it (the string itself for a string).
struct Keywords<'n> {
    name: &'n str,
    found: Vec<(Span, Option<usize>, Span)>,
}

impl<'a> Visitor<'a> for Keywords<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                let callee = call.func.end().to_usize();
                let named = call.arguments.keywords.iter().filter_map(|k| k.arg.as_ref()).filter(|arg| arg.as_str() == self.name);
                self.found.extend(named.map(|arg| (Span::from(arg.range()), Some(callee), Span::from(call.range()))));
            }
            Expr::StringLiteral(string) if string.value.to_str() == self.name => {
                self.found.push((Span::from(string.range()), None, Span::from(string.range())))
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// Why `function`'s parameters are declared where a change would not reach.
fn declarations(graph: &Graph, function: SymbolId) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function) else { return Ok(()) };
    let Some(entry) = symbol.file.and_then(|f| graph.file(f)) else { return Ok(()) };
    let name = symbol.name;
    // `util.pyi` beside `util.py`: type checkers would read the old parameters there.
    let stub = super::rename_stubs::stub_beside(graph, &entry.path);
    // The stub's declaration of this very function (`Parser.evaluate`, not
    // a namesake of another class); none when the stub leaves it out.
    let path = super::rename_stubs::module_path(symbol.qualified_name, &entry.module);
    let declared = stub.and_then(|id| Some((id, super::rename_stubs::declaration(graph.file(id)?.text(), &path).filter(|(_, function)| *function)?.0)));
    if let Some((file, span)) = declared {
        return Err(format!("the stub at {} declares `{name}` with the old parameters", place(graph, &Location { file, span })));
    }
    let Ok(parsed) = ruff_python_parser::parse_module(entry.text()) else { return Ok(()) };
    let mut overloads = Overloads { name, found: false };
    overloads.visit_body(&parsed.syntax().body);
    if overloads.found {
        return Err(format!(
            "`{name}` has `@overload` variants, which declare parameters of their own and would keep the old ones: remove the variants, make the change (every call follows), then write them back with the new parameters; or edit the variants, the implementation and the calls by hand"
        ));
    }
    Ok(())
}

/// Why the parameters of `function` cannot take new names: its body reads
/// them through `locals()`/`vars()` or prints one of `renamed` by its name
/// (`f"{x=}"`), or pytest passes them by name (a fixture, a test in a test
/// file) where no call shows it.
fn read_by_name(graph: &Graph, function: SymbolId, renamed: &[&str]) -> Result<(), String> {
    with_def(graph, function, |symbol, entry, _, def| read_by_name_in(symbol.name, entry, def, renamed))
}

/// Why the local `local` of `function` (a name its body binds, not a
/// parameter) cannot take a new name: the body reads its names through
/// `locals()`/`vars()`, or prints `local` by its name (`f"{local=}"`).
pub fn local_read_by_name(graph: &Graph, function: SymbolId, local: &str) -> Result<(), String> {
    with_def(graph, function, |symbol, _, _, def| reflective(symbol.name, def, &[local], "a local's"))
}

fn read_by_name_in(name: &str, entry: &FileEntry, def: &StmtFunctionDef, renamed: &[&str]) -> Result<(), String> {
    reflective(name, def, renamed, "a parameter's")?;
    let file = entry.path.file_name().and_then(|f| f.to_str()).unwrap_or_default();
    let test_file = file.starts_with("test_") || file.ends_with("_test.py") || file == "conftest.py";
    let fixture = def.decorator_list.iter().any(|d| {
        let callee = match &d.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        matches!(callee, Expr::Name(n) if n.id.as_str() == "fixture") || matches!(callee, Expr::Attribute(a) if a.attr.as_str() == "fixture")
    });
    if fixture || (test_file && name.starts_with("test")) {
        return Err(format!("pytest passes `{name}`'s parameters by their names (fixtures, `parametrize`): a new name would not be found"));
    }
    Ok(())
}

/// Why the names of `def` (`function`'s) cannot take new names: its body
/// reads them through `locals()`/`vars()` (`what` names the renamed kind),
/// or prints one of `renamed` by its name.
fn reflective(function: &str, def: &StmtFunctionDef, renamed: &[&str], what: &str) -> Result<(), String> {
    let mut names = Names::default();
    names.visit_body(&def.body);
    if let Some(reflective) = ["locals", "vars"].into_iter().find(|n| names.read.contains(*n)) {
        return Err(format!("the body of `{function}` reads its names through `{reflective}()`: {what} new name would not be found there"));
    }
    if let Some(printed) = renamed.iter().find(|p| names.printed.contains(**p)) {
        return Err(format!("the body of `{function}` prints `{printed}` with its name (`f\"{{{printed}=}}\"`): under a new name it would print another text"));
    }
    Ok(())
}

/// Whether a `def` named `name` is decorated with `@overload`.
struct Overloads<'n> {
    name: &'n str,
    found: bool,
}

impl<'a> Visitor<'a> for Overloads<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::FunctionDef(def) = stmt
            && def.name.as_str() == self.name
            && def.decorator_list.iter().any(|d| match &d.expression {
                Expr::Name(n) => n.id.as_str() == "overload",
                Expr::Attribute(a) => a.attr.as_str() == "overload",
                _ => false,
            })
        {
            self.found = true;
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// `check` of `function`'s symbol, its file, the file's statements and its
/// `def` there; `Ok` when one of them cannot be found (nothing to check).
fn with_def(graph: &Graph, function: SymbolId, check: impl FnOnce(&Symbol, &FileEntry, &[Stmt], &StmtFunctionDef) -> Result<(), String>) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function) else { return Ok(()) };
    let Some(entry) = symbol.file.and_then(|f| graph.file(f)) else { return Ok(()) };
    let Ok(parsed) = ruff_python_parser::parse_module(entry.text()) else { return Ok(()) };
    let module = &parsed.syntax().body;
    match find_def(module, symbol.name_range.start) {
        Some(def) => check(&symbol, entry, module, def),
        None => Ok(()),
    }
}

/// The `def` in `module` whose name starts at `name_start`.
pub(super) fn find_def(module: &[Stmt], name_start: u32) -> Option<&StmtFunctionDef> {
    let mut find = FindDef { name_start: name_start as usize, found: None };
    find.visit_body(module);
    find.found
}

struct FindDef<'a> {
    name_start: usize,
    found: Option<&'a StmtFunctionDef>,
}

impl<'a> Visitor<'a> for FindDef<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::FunctionDef(def) = stmt
            && def.name.start().to_usize() == self.name_start
        {
            self.found = Some(def);
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// The names a body reads (nested scopes too: they see its parameters)
/// and those it binds itself; those read in an f-string's `{x=}`, which
/// prints the expression's text.
#[derive(Default)]
struct Names {
    read: FxHashSet<String>,
    bound: FxHashSet<String>,
    printed: FxHashSet<String>,
    /// The expressions of the `{x=}` elements around the visit.
    debug_texts: Vec<TextRange>,
}

impl<'a> Visitor<'a> for Names {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            match name.ctx {
                ExprContext::Load if self.debug_texts.iter().any(|d| d.contains_range(name.range())) => {
                    self.printed.insert(name.id.to_string());
                    self.read.insert(name.id.to_string())
                }
                ExprContext::Load => self.read.insert(name.id.to_string()),
                _ => self.bound.insert(name.id.to_string()),
            };
        }
        visitor::walk_expr(self, expr);
    }

    fn visit_interpolated_string_element(&mut self, element: &'a InterpolatedStringElement) {
        let printed = match element {
            InterpolatedStringElement::Interpolation(e) => super::f_string_debug::printed(e),
            InterpolatedStringElement::Literal(_) => None,
        };
        self.debug_texts.extend(printed);
        visitor::walk_interpolated_string_element(self, element);
        self.debug_texts.truncate(self.debug_texts.len() - usize::from(printed.is_some()));
    }
}

/// Why `method` cannot change: it overrides a method of a library class,
/// which the library calls with the old parameters.
pub fn library_override(graph: &Graph, method: SymbolId) -> Result<(), String> {
    let Some(symbol) = graph.symbol(method).filter(|s| s.kind == SymbolKind::Method) else { return Ok(()) };
    let Some(class) = graph.container(method) else { return Ok(()) };
    let overridden = graph.library_bases(class).into_iter().find(|base| graph.library_members(base, false).iter().any(|m| m.name == symbol.name));
    match overridden {
        Some(base) => Err(format!("`{}` overrides `{base}.{}` of a library, which calls it with the old parameters", symbol.name, symbol.name)),
        None => Ok(()),
    }
}

/// Why `function` cannot change as `request` says: its module (its class,
/// for a method) looks up a name computed at run time that may be its
/// name (`getattr(self, "visit_" + kind)`, `globals()["handle_" + kind]`),
/// or another file looks it up by name ([`super::name_lookups`]): those
/// calls cannot be found.
pub(super) fn computed_lookup(graph: &Graph, parsed: &ParsedFiles, function: SymbolId, request: Request) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function) else { return Ok(()) };
    let Some(file) = symbol.file else { return Ok(()) };
    // Even with syntax errors: what still parses may look it up.
    let tree = parsed.get(file);
    let within = match symbol.kind {
        SymbolKind::Method => graph.container(function).and_then(|c| graph.symbol(c)).map(|c| c.range),
        _ => None,
    };
    let mut lookups = Lookups { method: within.is_some(), found: Vec::new() };
    lookups.visit_body(&tree.syntax().body);
    let reaches =
        |(span, prefix): &(Span, String)| symbol.name.starts_with(prefix.as_str()) && within.is_none_or(|c| c.start <= span.start && span.end <= c.end);
    if let Some((span, _)) = lookups.found.into_iter().find(reaches) {
        return Err(format!(
            "{} looks up a name computed at run time, which may be `{}`: the calls made through it cannot be updated",
            place(graph, &Location { file, span }),
            symbol.name
        ));
    }
    super::name_lookups::reaching(graph, parsed, function, request)
}

/// Lookups by a computed name, each with the literal start of that name:
/// for a method, `getattr(x, name)` in every spelling
/// ([`super::lookup_spellings`]); for a function, `globals()[name]`,
/// `globals().get(name)` and `getattr(sys.modules[__name__], name)`.
struct Lookups {
    method: bool,
    found: Vec<(Span, String)>,
}

impl<'a> Visitor<'a> for Lookups {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let lookup = super::lookup_spellings::by_name(expr);
        let key = match expr {
            _ if self.method => lookup.filter(ByName::may_find_a_method).map(|l| l.key),
            _ if lookup.as_ref().is_some_and(|l| l.via == Via::Getattr && l.object.is_some_and(is_own_module)) => lookup.map(|l| l.key),
            Expr::Subscript(s) if !self.method && is_globals(&s.value) => Some(s.slice.as_ref()),
            Expr::Call(call) if !self.method => match call.func.as_ref() {
                Expr::Attribute(a) if a.attr.as_str() == "get" && is_globals(&a.value) => call.arguments.args.first(),
                _ => None,
            },
            _ => None,
        };
        if let Some(key) = key.filter(|k| !k.is_string_literal_expr()) {
            self.found.push((Span::new(expr.start().to_u32(), expr.end().to_u32()), prefix(key)));
        }
        visitor::walk_expr(self, expr);
    }
}

pub(super) fn is_call_of(func: &Expr, name: &str) -> bool {
    matches!(func, Expr::Name(n) if n.id.as_str() == name)
}

/// `sys.modules[__name__]`: the module itself.
fn is_own_module(expr: &Expr) -> bool {
    let Expr::Subscript(s) = expr else { return false };
    matches!(s.value.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "modules") && matches!(s.slice.as_ref(), Expr::Name(n) if n.id.as_str() == "__name__")
}

/// `globals()` or `vars()`.
fn is_globals(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(c) if is_call_of(&c.func, "globals") || is_call_of(&c.func, "vars"))
}

/// The literal start of a computed name (`"visit_" + kind`), or "".
pub(super) fn prefix(key: &Expr) -> String {
    match key {
        // `"visit_%s" % kind` and `"visit_%s" % (kind,)`: the literal only
        // up to its first conversion, which the value replaces.
        Expr::BinOp(op) if op.op == Operator::Mod => prefix_of_literal(&op.left, '%'),
        Expr::BinOp(op) => match op.left.as_ref() {
            Expr::StringLiteral(s) => s.value.to_str().to_owned(),
            left => prefix(left),
        },
        // `"visit_{}".format(kind)`: likewise up to its first field.
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Attribute(a) if a.attr.as_str() == "format" => prefix_of_literal(&a.value, '{'),
            _ => String::new(),
        },
        // `f"handle_{kind}"`: its literal start.
        Expr::FString(f) => match f.value.iter().next() {
            Some(ruff_python_ast::FStringPart::Literal(s)) => s.value.to_string(),
            Some(ruff_python_ast::FStringPart::FString(f)) => match f.elements.iter().next() {
                Some(InterpolatedStringElement::Literal(l)) => l.value.to_string(),
                _ => String::new(),
            },
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// The start of a format string up to `field`, where the values go; "" when
/// the format is not a literal.
fn prefix_of_literal(format: &Expr, field: char) -> String {
    let whole = match format {
        Expr::StringLiteral(s) => s.value.to_str().to_owned(),
        other => prefix(other),
    };
    whole.split(field).next().unwrap_or_default().to_owned()
}

#[cfg(test)]
#[path = "signature_guard_tests.rs"]
mod tests;
