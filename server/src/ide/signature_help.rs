//! Signature help: the signatures of the call the cursor is in, from the
//! graph's signatures, with the parameter the cursor's argument goes to.
//! A class call shows its `__init__` (found through the bases) without
//! `self`; `@overload`ed functions show each overload. A callee outside
//! the workspace shows what the standard library's stubs declare.

use super::call_site::{self, CallSite};
use crate::graph::summary::Reference;
use crate::graph::{DefinitionId, FileId, Graph, Parameter, ParameterKind, Resolved, Signature, SymbolId, SymbolKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    /// `total(items: list[Item], shipping: int = 0) -> int`
    pub label: String,
    /// Each parameter's byte range in `label`.
    pub parameters: Vec<(usize, usize)>,
    pub documentation: Option<String>,
    /// The parameter the cursor's argument is for.
    pub active_parameter: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<SignatureInfo>,
    pub active_signature: usize,
}

/// What a call calls: the function (or the class's `__init__`), and its
/// overloads when it has some.
pub(super) struct Callee {
    /// The name as called (the class's for a constructor).
    name: String,
    /// Each signature's function: the overloads, else the function itself.
    functions: Vec<Function>,
    /// The first parameter is bound (`self` of a method called on an
    /// instance, `cls` of a classmethod, `self` of `__init__`).
    bound: bool,
}

/// A function a call may run: of the workspace, or of the standard
/// library's stubs (by file and definition).
#[derive(Clone, Copy)]
enum Function {
    Symbol(SymbolId),
    Stub(FileId, DefinitionId),
}

impl Callee {
    /// The docstring and parameters (without the bound one) of each signature.
    fn signatures<'g>(&self, graph: &'g Graph) -> Vec<(Option<&'g str>, Vec<&'g Parameter>, &'g Signature)> {
        self.functions
            .iter()
            .filter_map(|&function| {
                let (docstring, signature) = match function {
                    Function::Symbol(id) => {
                        let symbol = graph.symbol(id)?;
                        (symbol.docstring, symbol.signature?)
                    }
                    Function::Stub(file, def) => {
                        let d = graph.file(file)?.summary.definitions.get(def as usize)?;
                        (d.docstring.as_deref(), d.signature.as_deref()?)
                    }
                };
                let skip = usize::from(self.bound && !signature.parameters.is_empty());
                Some((docstring, signature.parameters.iter().skip(skip).collect(), signature))
            })
            .collect()
    }

    /// The parameters that can be given by keyword, over all signatures.
    pub(super) fn parameters<'g>(&self, graph: &'g Graph) -> Vec<&'g Parameter> {
        let mut out: Vec<&Parameter> = Vec::new();
        for (_, parameters, _) in self.signatures(graph) {
            for parameter in parameters {
                let by_keyword = matches!(parameter.kind, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly);
                if by_keyword && !out.iter().any(|p| p.name == parameter.name) {
                    out.push(parameter);
                }
            }
        }
        out
    }
}

/// The callee of `call` in `file`, resolved by the graph.
pub(super) fn callee(graph: &Graph, file: FileId, call: &CallSite) -> Option<Callee> {
    let entry = graph.file(file)?;
    let scope = super::completion::cursor_scope(&entry.summary, entry.text(), call.open_paren);
    let resolve = |chain: String, starts: Vec<u32>| {
        let reference = Reference::new(scope, chain.into(), &starts, true, false, None);
        graph.reference_resolver(file).segments(&reference)
    };
    let segments = resolve(call.callee.clone(), call.starts.clone());
    if segments.len() != call.starts.len() {
        return None;
    }
    let id = match segments.last()?.clone() {
        Some(Resolved::Symbol(id)) => id,
        // Outside the workspace: as the standard library's stubs declare it.
        Some(Resolved::External(path)) => {
            let (functions, bound) = graph.external_callee(&path)?;
            let name = path.rsplit('.').next().unwrap_or(&path).to_owned();
            return Some(Callee { name, functions: functions.into_iter().map(|(f, d)| Function::Stub(f, d)).collect(), bound });
        }
        _ => return None,
    };
    let symbol = graph.symbol(id)?;
    let name = symbol.name.to_owned();
    let (function, bound) = match symbol.kind {
        SymbolKind::Class => {
            // `__init__` through the bases, as the resolver finds members.
            let last = *call.starts.last()? + name.len() as u32 + 1;
            let starts = call.starts.iter().copied().chain([last]).collect();
            let init = resolve(format!("{}.__init__", call.callee), starts);
            match init.get(call.starts.len()) {
                Some(Some(Resolved::Symbol(init))) => (*init, true),
                _ => return None,
            }
        }
        SymbolKind::Method => {
            let decorators = symbol.decorators;
            let is_static = decorators.iter().any(|d| d == "staticmethod");
            let is_class_method = decorators.iter().any(|d| d == "classmethod");
            // `Class.method(obj, ...)` passes `self` explicitly.
            let on_class = segments.len() >= 2
                && matches!(&segments[segments.len() - 2], Some(Resolved::Symbol(owner)) if graph.symbol(*owner).is_some_and(|o| o.kind == SymbolKind::Class));
            (id, !is_static && (is_class_method || !on_class))
        }
        SymbolKind::Function => (id, false),
        _ => return None,
    };
    Some(Callee { name, functions: overloads(graph, function).into_iter().map(Function::Symbol).collect(), bound })
}

/// The `@overload` signatures of a function, or the function itself.
fn overloads(graph: &Graph, function: SymbolId) -> Vec<SymbolId> {
    // Its namesakes in its scope, from the summary: signature help answers
    // while an edit's link waits (graph/deferred.rs).
    let is_overload = |id: SymbolId| graph.symbol(id).is_some_and(|s| s.decorators.iter().any(|d| d == "overload" || d.ends_with(".overload")));
    let found: Vec<SymbolId> = graph.namesakes(function).into_iter().filter(|&id| is_overload(id)).collect();
    if found.is_empty() { vec![function] } else { found }
}

/// The signature help at `offset` of `file`, when it is in a call's
/// arguments and the graph knows what is called.
pub fn signature_help(graph: &Graph, file: FileId, offset: u32) -> Option<SignatureHelp> {
    let text = &graph.file(file)?.text();
    let surroundings = call_site::surroundings(text, offset);
    if surroundings.in_string_or_comment {
        return None;
    }
    // In a list or dict written as an argument (`run([`), still the call's.
    let call = call_site::enclosing_call_site(text, offset, &surroundings)?;
    let callee = callee(graph, file, &call)?;
    let signatures: Vec<SignatureInfo> =
        callee.signatures(graph).into_iter().map(|(docstring, parameters, signature)| info(docstring, &callee.name, &parameters, signature, &call)).collect();
    if signatures.is_empty() {
        return None;
    }
    let active_signature = signatures.iter().position(|s| s.active_parameter.is_some()).unwrap_or(0);
    Some(SignatureHelp { signatures, active_signature })
}

fn info(docstring: Option<&str>, name: &str, parameters: &[&Parameter], signature: &Signature, call: &CallSite) -> SignatureInfo {
    let shown = Signature {
        is_async: signature.is_async,
        parameters: parameters.iter().map(|&p| p.clone()).collect(),
        returns: signature.returns,
        returned_names: thin_vec::ThinVec::new(),
    };
    let label = format!("{name}{}", crate::graph::explain::signature(&shown));
    let ranges = parameter_ranges(&label, name.len(), parameters);
    let documentation = docstring.filter(|d| !d.trim().is_empty()).map(str::to_owned);
    SignatureInfo { label, parameters: ranges, documentation, active_parameter: active_parameter(parameters, call) }
}

/// Where each parameter (`*args`, `b: int = 1`) is in the label: found in
/// order, each at its name (after its stars) up to the next `, ` at depth
/// zero or the closing parenthesis.
fn parameter_ranges(label: &str, name_len: usize, parameters: &[&Parameter]) -> Vec<(usize, usize)> {
    let bytes = label.as_bytes();
    let mut at = name_len + 1;
    let mut out = Vec::new();
    for parameter in parameters {
        let stars = match parameter.kind {
            ParameterKind::VarPositional => "*",
            ParameterKind::VarKeyword => "**",
            _ => "",
        };
        let written = format!("{stars}{}", parameter.name);
        // Skip the `*` and `/` markers the label puts between parameters.
        let Some(found) = find_parameter(label, at, &written) else { break };
        let mut depth = 0i32;
        let mut end = found;
        while end < bytes.len() {
            match bytes[end] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => break,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => break,
                _ => {}
            }
            end += 1;
        }
        out.push((found, end));
        at = end;
    }
    out
}

/// The first `written` at or after `from` that starts a parameter (after
/// `(` or `, `) and ends at a name boundary.
fn find_parameter(label: &str, from: usize, written: &str) -> Option<usize> {
    let mut start = from;
    while let Some(found) = label.get(start..)?.find(written).map(|i| i + start) {
        let before_ok = label[..found].ends_with('(') || label[..found].ends_with(", ");
        let after_ok = !label[found + written.len()..].starts_with(|c: char| call_site::is_identifier_char(c));
        if before_ok && after_ok {
            return Some(found);
        }
        start = found + written.len();
    }
    None
}

/// The parameter the cursor's argument goes to.
fn active_parameter(parameters: &[&Parameter], call: &CallSite) -> Option<usize> {
    let find = |kind: ParameterKind| parameters.iter().position(|p| p.kind == kind);
    if let Some(keyword) = &call.keyword {
        let named = parameters.iter().position(|p| &p.name == keyword && matches!(p.kind, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly));
        return named.or_else(|| find(ParameterKind::VarKeyword));
    }
    if !call.used_keywords.is_empty() {
        // After a keyword argument only keywords may follow: the next one
        // not given yet.
        return parameters.iter().position(|p| {
            matches!(p.kind, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly) && !call.used_keywords.iter().any(|k| p.name == *k)
        });
    }
    let positional: Vec<usize> =
        (0..parameters.len()).filter(|&i| matches!(parameters[i].kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword)).collect();
    positional.get(call.argument).copied().or_else(|| find(ParameterKind::VarPositional))
}

#[cfg(test)]
#[path = "signature_help_tests.rs"]
mod tests;
