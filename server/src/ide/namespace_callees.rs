//! A namespace handed to a function of the workspace (`describe(
//! mod.__dict__)`; jinja2's `Template.from_module_dict(env, mod.__dict__,
//! globals)`, which hands it on to `_from_namespace`): what the function
//! does with its parameter says which globals it may set there. Only read
//! by key (`ns[k]`, `k in ns`, `ns.get(k)`) it sets none; stored by a
//! literal key (`ns["environment"] = env`) it sets that one; handed on to
//! another workspace function, what that one sets. Anything else may set
//! any name, or sees the move as a whole: rebound, returned, kept, given
//! to code outside the workspace, stored by a computed key, and listed
//! (`for k in ns`, `ns.items()`, `sorted(ns)`: a moved name is missing).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr};
use ruff_text_size::Ranged;
use rustc_hash::FxHashSet;

use super::signature_guard::find_def;
use crate::graph::{FileId, Graph, Resolved, SymbolId, SymbolKind};

/// Where a namespace is handed to a call: the start of the callee's last
/// name (`describe`, `from_module_dict`) and the argument it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Handoff {
    pub callee: u32,
    pub argument: Argument,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Argument {
    Position(usize),
    Keyword(String),
}

/// How many calls deep a namespace is followed.
const DEPTH: usize = 4;

/// Methods of a mapping that read one key of it (not a listing).
const READING: [&str; 3] = ["get", "__contains__", "__getitem__"];

/// What `call` hands a named callee: the start of the callee's last name,
/// and each argument with its place (by position before any `*args`, or
/// by keyword).
pub(super) fn handed(call: &ast::ExprCall) -> Option<(u32, Vec<(Argument, &Expr)>)> {
    let callee = match &*call.func {
        Expr::Name(n) => n.range().start(),
        Expr::Attribute(a) => a.attr.range().start(),
        _ => return None,
    };
    let starred = call.arguments.args.iter().position(|a| matches!(a, Expr::Starred(_))).unwrap_or(usize::MAX);
    let positional = call.arguments.args.iter().enumerate().take(starred).map(|(i, a)| (Argument::Position(i), a));
    let keywords = call.arguments.keywords.iter().filter_map(|k| Some((Argument::Keyword(k.arg.as_ref()?.as_str().to_owned()), &k.value)));
    Some((callee.to_u32(), positional.chain(keywords).collect()))
}

/// The keys the call at `handoff` in `file` may set in the namespace it is
/// given; `None` when it may set any.
pub(super) fn keys_set(graph: &Graph, file: FileId, handoff: &Handoff) -> Option<Vec<String>> {
    keys_of_call(graph, file, handoff, &mut Vec::new(), DEPTH)
}

fn keys_of_call(graph: &Graph, file: FileId, handoff: &Handoff, seen: &mut Vec<(SymbolId, String)>, depth: usize) -> Option<Vec<String>> {
    let depth = depth.checked_sub(1)?;
    let Resolved::Symbol(id) = graph.definition(file, handoff.callee)? else { return None };
    let symbol = graph.symbol(id)?;
    let candidates: Vec<SymbolId> = match symbol.kind {
        SymbolKind::Function => vec![id],
        // Any override of the method may be what runs.
        SymbolKind::Method => graph
            .symbols_named(symbol.name)
            .into_iter()
            .filter(|&m| graph.symbol(m).is_some_and(|m| m.kind == SymbolKind::Method && m.name == symbol.name))
            .collect(),
        _ => return None,
    };
    let mut keys = Vec::new();
    for candidate in candidates {
        keys.extend(keys_of_function(graph, candidate, &handoff.argument, seen, depth)?);
    }
    Some(keys)
}

fn keys_of_function(graph: &Graph, function: SymbolId, argument: &Argument, seen: &mut Vec<(SymbolId, String)>, depth: usize) -> Option<Vec<String>> {
    let symbol = graph.symbol(function)?;
    let static_method = symbol.decorators.iter().any(|d| d == "staticmethod");
    let class_method = symbol.decorators.iter().any(|d| d == "classmethod");
    // Any other decorator may put another callable under the name.
    if symbol.decorators.iter().any(|d| d != "staticmethod" && d != "classmethod") {
        return None;
    }
    let file = symbol.file?;
    let parsed = ruff_python_parser::parse_module(graph.file(file)?.text()).ok()?;
    let def = find_def(&parsed.syntax().body, symbol.name_range.start)?;
    let parameters = &def.parameters;
    let positional: Vec<&str> = parameters.posonlyargs.iter().chain(&parameters.args).map(|p| p.parameter.name.as_str()).collect();
    let names: Vec<&str> = match argument {
        Argument::Keyword(keyword) => {
            let named = parameters.args.iter().chain(&parameters.kwonlyargs).find(|p| p.parameter.name.as_str() == keyword);
            vec![named?.parameter.name.as_str()]
        }
        Argument::Position(index) => {
            // A method bound to its instance or class takes it first; one
            // called through its class (`Cls.m(obj, ns)`) does not.
            let shifts: &[usize] = match symbol.kind {
                SymbolKind::Method if class_method => &[1],
                SymbolKind::Method if !static_method => &[1, 0],
                _ => &[0],
            };
            shifts.iter().map(|shift| positional.get(index + shift).copied()).collect::<Option<Vec<&str>>>()?
        }
    };
    let mut keys = Vec::new();
    for name in names {
        if seen.iter().any(|(f, n)| *f == function && n == name) {
            continue;
        }
        seen.push((function, name.to_owned()));
        let mut uses = Uses { name, keys: Vec::new(), any: false, loads: Vec::new(), classified: FxHashSet::default(), handoffs: Vec::new() };
        uses.visit_body(&def.body);
        if uses.any || uses.loads.iter().any(|at| !uses.classified.contains(at)) {
            return None;
        }
        keys.extend(uses.keys);
        for handoff in &uses.handoffs {
            keys.extend(keys_of_call(graph, file, handoff, seen, depth)?);
        }
    }
    Some(keys)
}

/// The uses of a parameter in a function's body, classified.
struct Uses<'g> {
    name: &'g str,
    /// Literal keys stored or deleted.
    keys: Vec<String>,
    /// Rebound, or stored by a computed key.
    any: bool,
    /// Every load of the name, by start.
    loads: Vec<u32>,
    /// The loads that read or set one literal key, or hand it on.
    classified: FxHashSet<u32>,
    handoffs: Vec<Handoff>,
}

/// The start of `expr` when it is the name `name`.
fn is_name(expr: &Expr, name: &str) -> Option<u32> {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name).then(|| expr.range().start().to_u32())
}

fn literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_owned()),
        _ => None,
    }
}

impl Uses<'_> {
    /// `ns.method(...)`.
    fn method(&mut self, method: &str, call: &ast::ExprCall) {
        let args = &call.arguments.args;
        match method {
            _ if READING.contains(&method) => {}
            "setdefault" | "pop" | "__setitem__" | "__delitem__" => match args.first().and_then(literal) {
                Some(key) => self.keys.push(key),
                None => self.any = true,
            },
            "update" if call.arguments.keywords.iter().all(|k| k.arg.is_some()) => {
                for argument in args {
                    match argument {
                        Expr::Dict(dict) => {
                            for item in &dict.items {
                                match item.key.as_ref().and_then(literal) {
                                    Some(key) => self.keys.push(key),
                                    None => self.any = true,
                                }
                            }
                        }
                        _ => self.any = true,
                    }
                }
                self.keys.extend(call.arguments.keywords.iter().filter_map(|k| Some(k.arg.as_ref()?.as_str().to_owned())));
            }
            _ => self.any = true,
        }
    }

    /// `f(ns)`, `f(x=ns)`: handed on to the callee, which says what it does.
    fn arguments(&mut self, call: &ast::ExprCall) {
        let Some((callee, handed)) = handed(call) else { return };
        for (argument, value) in handed {
            if let Some(at) = is_name(value, self.name) {
                self.handoffs.push(Handoff { callee, argument });
                self.classified.insert(at);
            }
        }
    }
}

impl<'a> Visitor<'a> for Uses<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(n) if n.id.as_str() == self.name => match n.ctx {
                ast::ExprContext::Load => self.loads.push(n.range().start().to_u32()),
                _ => self.any = true,
            },
            Expr::Subscript(s) => {
                if let Some(at) = is_name(&s.value, self.name) {
                    self.classified.insert(at);
                    if !matches!(s.ctx, ast::ExprContext::Load) {
                        match literal(&s.slice) {
                            Some(key) => self.keys.push(key),
                            None => self.any = true,
                        }
                    }
                }
            }
            Expr::Compare(c) => {
                for (op, operand) in c.ops.iter().zip(c.comparators.iter()) {
                    if let Some(at) = is_name(operand, self.name).filter(|_| matches!(op, CmpOp::In | CmpOp::NotIn)) {
                        self.classified.insert(at);
                    }
                }
            }
            Expr::Call(call) => {
                if let Expr::Attribute(a) = &*call.func
                    && let Some(at) = is_name(&a.value, self.name)
                {
                    self.classified.insert(at);
                    self.method(a.attr.as_str(), call);
                }
                self.arguments(call);
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
