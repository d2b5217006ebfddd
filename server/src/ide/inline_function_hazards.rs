//! What a function's body does that means something else once its code
//! runs at the call, whatever its data flow:
//!
//! - code that observes its frame or the frames above it (a `stacklevel=`,
//!   `sys._getframe()`, a logger's record of the function and module it
//!   logs from): inlined, it runs one frame further out, so a warning is
//!   attributed to the caller's caller and a record names the caller (a
//!   `warn()` of any stack level: it names the frame it is called from);
//! - a private `__name` read where the call is in a class: Python mangles
//!   it there to `_Class__name`, another name;
//! - a global of the function's module that code outside the module sets
//!   or patches (`lib.MODE = …`, `mock.patch("lib.monotonic")`): at a call
//!   in another module the copy its import made there is read instead.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::extract_function_escapes::{Aliases, sees_the_stack};
use super::module_stores::setters;
use super::name_events::{EventKind, NameEvents, ScopeKind};
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Span, mangled};

/// The function inlined: its file, module statements, `def` and names.
pub(super) struct Body<'a> {
    pub file: FileId,
    pub module: &'a [Stmt],
    pub def: &'a StmtFunctionDef,
    pub events: &'a NameEvents,
}

/// Why `body`'s code cannot run at `call` (of `call_file`, whose names are
/// `call_events`), if it cannot.
pub(super) fn refused(graph: &Graph, body: &Body, call_file: FileId, call_events: &NameEvents, call: TextRange) -> Result<(), String> {
    let name = body.def.name.as_str();
    let at = |range: TextRange| place(graph, &Location { file: body.file, span: Span::from(range) });
    let mut found = Found { aliases: Aliases::of(body.module), stack: None, private: None, names: Vec::new() };
    found.visit_body(&body.def.body);
    if let Some(range) = found.stack {
        return Err(format!(
            "`{name}` looks at the call stack at {} (a stack level, a frame, a log record of where it is called from): inlined, it would run one frame further out",
            at(range)
        ));
    }
    let call_scope = call_events.scopes.iter().rposition(|s| s.range.contains_range(call));
    let in_class = std::iter::successors(call_scope, |&s| call_events.scopes[s].parent).any(|s| call_events.scopes[s].kind == ScopeKind::Class);
    if let Some((private, range)) = found.private.filter(|_| in_class) {
        return Err(format!(
            "`{name}` reads `{private}` at {}, and the call is in a class, where Python mangles it to `_Class{private}`: another name",
            at(range)
        ));
    }
    if call_file == body.file {
        return Ok(());
    }
    // Globals of the function's module: bound at its top, not in the function.
    let own = |n: &str| body.events.named(n).any(|b| b.kind != EventKind::Read && body.def.range.contains_range(b.range));
    let global = |n: &str| body.events.named(n).any(|b| b.kind != EventKind::Read && b.scope == 0);
    let mut names: Vec<&str> = found.names.iter().map(String::as_str).filter(|n| global(n) && !own(n)).collect();
    names.sort_unstable();
    names.dedup();
    let set = setters(graph, body.file, &names);
    if let Some((global, setter)) = names.iter().find_map(|n| set.get(*n).map(|s| (n, s))) {
        let where_set = setter.shown(graph);
        return Err(format!(
            "`{name}` reads `{global}`, which is set or patched on its module from outside (at {where_set}): at a call in another module the import there, a copy, would be read instead"
        ));
    }
    Ok(())
}

/// The first call that looks at the stack, the first private `__name`
/// (a name or an attribute) and the names read, in a function's body.
struct Found {
    aliases: Aliases,
    stack: Option<TextRange>,
    private: Option<(String, TextRange)>,
    names: Vec<String>,
}

impl<'a> Visitor<'a> for Found {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) if self.stack.is_none() && (sees_the_stack(call, &self.aliases, true).is_some() || warns(&call.func)) => {
                self.stack = Some(call.range());
            }
            Expr::Name(n) if mangled(&n.id) && self.private.is_none() => self.private = Some((n.id.to_string(), n.range)),
            Expr::Attribute(a) if mangled(&a.attr) && self.private.is_none() => self.private = Some((a.attr.to_string(), a.attr.range)),
            _ => {}
        }
        if let Expr::Name(n) = expr {
            self.names.push(n.id.to_string());
        }
        visitor::walk_expr(self, expr);
    }
}

/// `warn(...)`, `warnings.warn(...)`: the warning names the line of the
/// frame `stacklevel` counts from the call (its own, by default).
fn warns(func: &Expr) -> bool {
    match func {
        Expr::Name(n) => n.id.as_str() == "warn",
        Expr::Attribute(a) => a.attr.as_str() == "warn" && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "warnings"),
        _ => false,
    }
}

#[cfg(test)]
#[path = "inline_function_hazards_tests.rs"]
mod tests;
