//! Lookups by a name where no reference names what they find:
//! `getattr(m, "handle_" + kind)`, `hasattr(m, name)`, `vars(m)[key]`,
//! `m.__dict__.get(key)` (`.pop`, `.__getitem__`) on a module from any
//! file, `getattr(self, "visit_" + kind)` in a class, each in every
//! spelling [`super::lookup_spellings`] knows. A function or class
//! such a lookup may find cannot move or take a new name (the lookup would
//! no longer find it), nor change its signature (the calls made through
//! the lookup keep the old one). The module's own `globals()[…]` is
//! [`super::signature_guard`]'s.
//!
//! One walk of the workspace per request: each file that may hold a
//! lookup (or, for a parameter's rename, names the function) is parsed
//! once, even with syntax errors, and every check reads what it found.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::lookup_spellings::{self, Via, by_name};
use super::module_stores::is_module;
use super::parsed_files::ParsedFiles;
use super::signature_guard::prefix;
use super::signature_rewrite::{CallSite, Calls};
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Span, SymbolId, SymbolKind};

/// What the caller is about to do to the function, which says which
/// lookups stop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Request<'p> {
    /// Move it or give it a new name: a lookup of its module by a
    /// computed name, or for a method one in its class, a workspace base
    /// (jmespath's `Visitor.visit` finding `TreeInterpreter.visit_flatten`)
    /// or a subclass, may no longer find it (a literal one is the move's
    /// and the rename's own to follow or refuse).
    Moved,
    /// Move it while its old module keeps the name, imported back: a
    /// lookup of that module by a computed name from outside
    /// (`getattr(platformdirs, func)`) finds it there all the same; the
    /// others stop it as for [`Request::Moved`].
    MovedKept,
    /// Change its signature: a lookup of it by any name on its module, or,
    /// for a method, by a computed name in its class, a workspace base or a
    /// subclass, calls it the old way.
    Called,
    /// Rename this parameter: as [`Request::Called`], and a call that may
    /// reach it and passes the parameter by keyword (or `**kwargs`) where
    /// the rename cannot follow: through `getattr(x, "name")(…)`, or, for
    /// a method, `.name(…)` on a receiver of unknown type.
    Parameter(&'p str),
}

/// Why `function` cannot be changed as `request` says: a lookup by name
/// may find it where no reference of it shows.
pub(super) fn reaching(graph: &Graph, parsed: &ParsedFiles, function: SymbolId, request: Request) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function) else { return Ok(()) };
    let name = symbol.name;
    let is_method = symbol.kind == SymbolKind::Method;
    let Some(module) = symbol.file.and_then(|f| graph.file(f)).map(|e| e.module.clone()) else { return Ok(()) };
    let classes = match request {
        Request::Moved | Request::MovedKept | Request::Called | Request::Parameter(_) if is_method => {
            graph.container(function).map(|c| related_classes(graph, c)).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    if is_method && classes.is_empty() && !matches!(request, Request::Parameter(_)) {
        return Ok(());
    }
    let unknown = match request {
        Request::Parameter(_) if is_method => super::rename_guard::unknown_receivers(graph, name),
        _ => Vec::new(),
    };
    let moved = matches!(request, Request::Moved | Request::MovedKept);
    let literal = !moved;
    for (file, entry) in graph.files() {
        let text: &str = entry.text();
        let names_it = matches!(request, Request::Parameter(_)) && text.contains(name);
        if graph.is_library_path(&entry.path) || !(names_it || lookup_spellings::WORDS.iter().any(|m| text.contains(m))) {
            continue;
        }
        let tree = parsed.get(file);
        let at = |span: Span| place(graph, &Location { file, span });
        let mut found = Found::default();
        found.visit_body(&tree.syntax().body);
        let within = |span: &Span| classes.iter().any(|&(f, c)| f == file && c.start <= span.start && span.end <= c.end);
        for lookup in &found.lookups {
            let on_module = || !is_method && lookup.object.is_some_and(|o| is_module(graph, file, o, &module) == Some(true));
            match &lookup.key {
                Key::Computed(prefix) if name.starts_with(prefix.as_str()) && request != Request::MovedKept && on_module() => {
                    return Err(format!(
                        "{} looks up a global of `{module}` by a name computed at run time, which may be `{name}`: the calls made through it cannot be updated",
                        at(lookup.span)
                    ));
                }
                Key::Computed(prefix)
                    if name.starts_with(prefix.as_str())
                        && lookup.finds_a_method
                        && within(&lookup.span)
                        && (moved || !found.iterated.contains(&lookup.span)) =>
                {
                    return Err(format!(
                        "{} looks up `{name}` by a name computed at run time, where the calls made through it cannot be updated",
                        at(lookup.span)
                    ));
                }
                Key::Literal(key) if literal && key == name && on_module() => {
                    return Err(format!("{} looks up `{name}` by a name in a string, where the calls made through it cannot be updated", at(lookup.span)));
                }
                _ => {}
            }
        }
        if let Request::Parameter(parameter) = request
            && names_it
        {
            keyword_unfollowed(&tree.syntax().body, &found, &unknown, file, name, parameter, &at)?;
        }
    }
    Ok(())
}

/// Why `parameter` of the function `name` cannot take a new name: in this
/// file, `.name(…)` on a receiver of unknown type (`unknown`, a method's)
/// or a lookup `getattr(x, "name")` passes it by keyword or `**kwargs`,
/// or the lookup is not called on the spot (it is passed on).
fn keyword_unfollowed(
    body: &[ast::Stmt],
    found: &Found,
    unknown: &[Location],
    file: FileId,
    name: &str,
    parameter: &str,
    at: &dyn Fn(Span) -> String,
) -> Result<(), String> {
    let mut calls = Calls::default();
    calls.visit_body(body);
    for site in unknown.iter().filter(|l| l.file == file) {
        if let Some(call) = calls.by_callee_end.get(&(site.span.end as usize))
            && (call.unpacks || call.passes_keyword(parameter))
        {
            return Err(format!(
                "`.{name}` is called at {} on a value whose type is unknown, which may be this method, and passes `{parameter}` by keyword or `**kwargs`: that call cannot be updated",
                at(site.span)
            ));
        }
    }
    // `hasattr(x, "name")` only tests: it hands nothing on.
    let by_string = |l: &&Lookup| l.via != Via::Hasattr && matches!(&l.key, Key::Literal(k) if k == name);
    for lookup in found.lookups.iter().filter(by_string) {
        // `attrgetter("name")(x)` calls the getter, not what it finds.
        let called_on_the_spot = |(callee, _): &&(Span, CallSite)| *callee == lookup.span && lookup.via != Via::Getter;
        let call = found.called.iter().find(called_on_the_spot).map(|(_, call)| call);
        if call.is_none_or(|c| c.unpacks || c.passes_keyword(parameter)) {
            let what = if call.is_some() { format!("calls it with `{parameter}` by keyword or `**kwargs`") } else { "passes it on".to_owned() };
            return Err(format!("{} looks up `{name}` by a string and {what}: the rename cannot follow it", at(lookup.span)));
        }
    }
    Ok(())
}

/// `class` (its file and range), its workspace bases and its subclasses,
/// each with the file and range of its body.
fn related_classes(graph: &Graph, class: SymbolId) -> Vec<(FileId, Span)> {
    let mut seen = vec![class];
    let mut i = 0;
    while let Some(&id) = seen.get(i) {
        i += 1;
        for next in graph.bases(id).into_iter().chain(graph.implementations(id)) {
            if !seen.contains(&next) {
                seen.push(next);
            }
        }
    }
    seen.into_iter().filter_map(|id| graph.symbol(id).filter(|s| s.kind == SymbolKind::Class).and_then(|s| Some((s.file?, s.range)))).collect()
}

/// The name a lookup asks for.
enum Key {
    Literal(String),
    /// With the literal start of the name (`"visit_" + kind`), or "".
    Computed(String),
}

struct Lookup {
    /// The whole lookup.
    span: Span,
    /// The name (or an attribute's last name) looked up on, which the
    /// graph resolves.
    object: Option<Span>,
    via: Via,
    /// Whether it may find a method of the class whose body holds it
    /// ([`super::lookup_spellings::ByName::may_find_a_method`]).
    finds_a_method: bool,
    key: Key,
}

#[derive(Default)]
struct Found {
    lookups: Vec<Lookup>,
    /// The calls with their callee's span (a lookup called on the spot).
    called: Vec<(Span, CallSite)>,
    /// What a `for` or a comprehension iterates over: a lookup there
    /// (`for f in getattr(self.root, option, ())`) is a container, never
    /// a function called through it.
    iterated: Vec<Span>,
}

/// The last name of `m` or `x.m`.
fn last_name(expr: &Expr) -> Option<Span> {
    match expr {
        Expr::Name(n) => Some(Span::from(n.range())),
        Expr::Attribute(a) => Some(Span::from(a.attr.range())),
        _ => None,
    }
}

impl<'a> Visitor<'a> for Found {
    fn visit_stmt(&mut self, stmt: &'a ast::Stmt) {
        if let ast::Stmt::For(each) = stmt {
            self.iterated.push(Span::from(each.iter.range()));
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_comprehension(&mut self, comprehension: &'a ast::Comprehension) {
        self.iterated.push(Span::from(comprehension.iter.range()));
        visitor::walk_comprehension(self, comprehension);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Some(lookup) = by_name(expr) {
            let key = match lookup.key {
                Expr::StringLiteral(s) => Key::Literal(s.value.to_str().to_owned()),
                other => Key::Computed(prefix(other)),
            };
            let object = lookup.object.and_then(last_name);
            let finds_a_method = lookup.may_find_a_method();
            self.lookups.push(Lookup { span: Span::from(expr.range()), object, via: lookup.via, finds_a_method, key });
        }
        if let Expr::Call(call) = expr {
            self.called.push((Span::from(call.func.range()), CallSite::of(call)));
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
#[path = "name_lookups_tests.rs"]
mod tests;
