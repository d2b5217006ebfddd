//! Change signature: a function's parameters added, removed, renamed or
//! reordered, and every call of it the graph knows rewritten to match,
//! each placed by syntax tree. The argument each old parameter received
//! goes to the new parameter that takes it over, positionally while the
//! new order allows, by keyword after.
//!
//! Never a wrong edit: refused, naming the place, where a call cannot be
//! rewritten exactly: `*args`/`**kwargs` at the call, the function passed
//! on as a value, `getattr(x, "name")`, a doctest, a method of a hierarchy
//! or one called on receivers of unknown type, a decorator that may change
//! how it is called, a new parameter without a default, an argument with
//! effects that the change would drop or evaluate in another order.

use ruff_python_ast::visitor::Visitor;
use rustc_hash::FxHashMap;

use super::class_values::ClassValues;
use super::edits::{FileEdits, apply};
use super::method_binding::Binding;
use super::occurrences::{self, Access, Occurrence, Target};
use super::rename_guard::{self, Unfollowable};
use super::signature_constructors::constructor_uses;
use super::signature_guard;
use super::signature_mentions::{Mentioned, mentions_left};
use super::signature_rewrite::{CallSite, Calls, NotUpdated, Rewrite, nothing};
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Parameter, ParameterKind, Resolved, Span, SymbolId, SymbolKind};

/// A parameter of the new signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParameter {
    pub name: String,
    pub kind: ParameterKind,
    pub has_default: bool,
    /// The old parameter (by name) whose arguments it takes; `None` for an added one.
    pub from: Option<String>,
}

/// Decorators that leave how a function is called as it is: a
/// `@contextmanager` is called with its generator's arguments, `@final`
/// and `@abstractmethod` only mark it.
const TRANSPARENT: [&str; 10] =
    ["staticmethod", "classmethod", "lru_cache", "cache", "wraps", "contextmanager", "asynccontextmanager", "final", "abstractmethod", "override"];

/// The new parameters read against the old: one of the same name takes its
/// arguments. With `renames`, an old parameter the new list lacks and a new
/// one the old list lacks, at the same position and of the same kind, are
/// one parameter renamed.
pub fn mapping(old: &[Parameter], new: &[Parameter], renames: bool) -> Vec<NewParameter> {
    let kept = |name: &str| old.iter().any(|p| p.name == name);
    new.iter()
        .enumerate()
        .map(|(i, p)| {
            let from = if kept(&p.name) {
                Some(p.name.to_string())
            } else {
                old.get(i).filter(|o| renames && o.kind == p.kind && !new.iter().any(|n| n.name == o.name)).map(|o| o.name.to_string())
            };
            NewParameter { name: p.name.to_string(), kind: p.kind, has_default: p.default.is_some(), from }
        })
        .collect()
}

/// Whether no call can tell the two signatures apart: every old parameter
/// kept under its name and kind (positional ones at their position), every
/// added one optional, and no positional one added in front of `*args`
/// (it would take the first argument that went there), nor one that can
/// be given by keyword while the old `**kwargs` takes any keyword (a call
/// passing its name there would bind it instead).
pub fn compatible(old: &[Parameter], new: &[NewParameter]) -> bool {
    let positional = |kind: ParameterKind| matches!(kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword);
    let old_positional: Vec<&str> = old.iter().filter(|p| positional(p.kind)).map(|p| p.name.as_str()).collect();
    let new_positional: Vec<&str> = new.iter().filter(|p| positional(p.kind)).map(|p| p.name.as_str()).collect();
    let old_star = old.iter().any(|p| p.kind == ParameterKind::VarPositional);
    old.iter().all(|o| new.iter().any(|n| n.from.as_deref() == Some(&o.name) && n.name == o.name && n.kind == o.kind))
        && new_positional.starts_with(&old_positional)
        && !(old_star && new_positional.len() > old_positional.len())
        && !(old.iter().any(|p| p.kind == ParameterKind::VarKeyword)
            && new.iter().any(|n| n.from.is_none() && matches!(n.kind, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly)))
        && new.iter().all(|n| n.from.is_some() || n.has_default || matches!(n.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword))
}

/// The calls of a function rewritten for its new parameters, and what the
/// rewrite leaves as it was.
#[derive(Debug, Default)]
pub struct CallEdits {
    pub files: Vec<FileEdits>,
    /// Examples in docstrings: left as they are, and said so.
    pub untouched: Vec<String>,
}

/// The calls of `function` rewritten for its new parameters `new`, file by
/// file, or why they cannot all be.
pub fn call_site_edits(graph: &Graph, function: SymbolId, new: &[NewParameter]) -> Result<CallEdits, String> {
    let old: Vec<Parameter> = graph.symbol(function).and_then(|s| s.signature).map(|s| s.parameters.clone()).unwrap_or_default();
    rewrite_calls(graph, function, &old, new, &|_| true)
}

/// [`call_site_edits`] of the uses `keep` picks, written for the parameters
/// `old` (the graph may hold the new ones already: the user edited the
/// `def` by hand).
pub fn rewrite_calls(
    graph: &Graph,
    function: SymbolId,
    old: &[Parameter],
    new: &[NewParameter],
    keep: &dyn Fn(&Location) -> bool,
) -> Result<CallEdits, String> {
    rewrite_calls_with(graph, function, old, new, keep, None)
}

/// The text of the argument a call (named by its callee's location) passes
/// to a new parameter without a default (by name); `None` refuses the call.
pub type Supply<'a> = &'a dyn Fn(&Location, &str) -> Option<String>;

/// [`rewrite_calls`] where `supply` gives each call the arguments of the
/// new parameters without a default ([`super::call_arguments`]); without
/// it such a parameter refuses the change.
pub fn rewrite_calls_with(
    graph: &Graph,
    function: SymbolId,
    old: &[Parameter],
    new: &[NewParameter],
    keep: &dyn Fn(&Location) -> bool,
    supply: Option<Supply<'_>>,
) -> Result<CallEdits, String> {
    let symbol = graph.symbol(function).ok_or("the function is not in the graph")?;
    let name = symbol.name.to_owned();
    if !matches!(symbol.kind, SymbolKind::Function | SymbolKind::Method) {
        return Err(format!("`{name}` is not a function"));
    }
    // `__exit__`, `__get__`, `__eq__`: Python calls them where no source
    // does (`__init__`'s calls are its class's). Likewise `Enum._missing_`, `_generate_next_value_`.
    let sunder = name.len() > 2 && name.starts_with('_') && name.ends_with('_');
    // `__call__`'s parameters are its class's own choice; its calls are the
    // instances' ([`super::signature_call_protocol`]).
    if sunder && name != "__init__" && name != "__call__" {
        return Err(format!("`{name}` is called by Python itself (a protocol), not only where the code calls it: its parameters are fixed"));
    }
    if let Some(again) = occurrences::bound_again(graph, function) {
        return Err(format!("`{name}` is bound again at {}: which definition a call reaches is not this one alone", place(graph, &again)));
    }
    if let Some(added) = required(new).next().filter(|_| supply.is_none()) {
        return Err(format!("the new parameter `{}` has no default, so every call would need a value for it; give it a default", added.name));
    }
    signature_guard::captured(graph, function, old, new)?;
    signature_guard::declared_elsewhere(graph, function, old, new)?;
    if compatible(old, new) {
        return Ok(CallEdits::default());
    }
    let positional = |kind: ParameterKind| matches!(kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword);
    let new_positional: Vec<&NewParameter> = new.iter().filter(|n| positional(n.kind)).collect();
    let order_kept =
        old.iter().filter(|o| positional(o.kind)).enumerate().all(|(i, o)| new_positional.get(i).and_then(|n| n.from.as_deref()) == Some(o.name.as_str()));
    super::parameter_pairs::check(graph, function, order_kept)?;
    // Doctests are not rewritten: a renamed parameter they pass by keyword.
    for (was, now) in new.iter().filter_map(|n| Some((n.from.as_deref()?, n.name.as_str()))).filter(|(was, now)| was != now) {
        if let Some(at) = super::rename_mentions::doctest_keyword(graph, function, was) {
            return Err(format!("a doctest at {} passes `{was}` by keyword, which the change renames to `{now}`: doctests are not updated", place(graph, &at)));
        }
    }
    signature_guard::library_override(graph, function)?;
    let module = symbol.file.and_then(|f| graph.file(f)).map(|e| e.module.clone()).unwrap_or_default();
    if let Some((what, at)) = super::namespace_imports::unfollowed_import(graph, &module) {
        return Err(format!("{what} at {}, may call `{name}` where the graph does not see it: those calls cannot be updated", place(graph, &at)));
    }
    signature_guard::computed_lookup(graph, &super::parsed_files::ParsedFiles::new(graph), function, super::name_lookups::Request::Called)?;
    let binding = Binding::of(symbol.decorators);
    if binding == Binding::Property {
        return Err(format!("`{name}` is a property: it is read, not called"));
    }
    // `@lru_cache(maxsize=32)`, `@wraps(f)`: called with options, the same decorator.
    let transparent = |d: &str| {
        let called = d.strip_suffix(')').and_then(|d| d.split_once('(')).map(|(f, _)| f).filter(|f| f.ends_with("lru_cache") || f.ends_with("wraps"));
        let d = called.unwrap_or(d);
        TRANSPARENT.iter().any(|t| d == *t || d.ends_with(&format!(".{t}")))
    };
    if let Some(decorator) = symbol.decorators.iter().find(|d| !transparent(d)) {
        return Err(format!("`{name}` is decorated with `@{decorator}`, which may change how it is called"));
    }
    let bound = binding != Binding::Static && symbol.kind == SymbolKind::Method;
    if bound
        && (old.first().map(|p| p.name.as_str()) != new.first().and_then(|n| n.from.as_deref())
            || new.first().map(|n| n.name.as_str()) != old.first().map(|p| p.name.as_str()))
    {
        return Err(format!("the first parameter of `{name}` (`self` or `cls`) must stay first"));
    }
    let target = target(graph, function)?;
    if target.denotes.len() > 1 {
        return Err(format!("`{name}` is defined more than once in its scope; which definition a call reaches is not known"));
    }
    rename_guard::check(graph, &target).map_err(|why| match why {
        Unfollowable::Hierarchy { name, place, method } => {
            format!("`{name}` at {place} overrides or is overridden by `{method}`: the other methods of the hierarchy would keep the old signature")
        }
        Unfollowable::UnknownReceivers { name, places } => {
            format!("`.{name}` is called at {places} on a value whose type is unknown, which may be this method: those calls cannot be updated")
        }
    })?;
    let defined = graph.symbol(function).and_then(|s| s.file);
    if let Some(at) = super::ipython_escapes::reaching(graph, defined, &[], &name) {
        return Err(format!("the IPython escape at {} spells `{name}`: IPython runs it, and its calls cannot be updated there", place(graph, &at)));
    }
    let mut uses = uses(graph, function, &target)?;
    if name == "__call__" {
        let called = super::signature_call_protocol::instance_calls(graph, function)?;
        uses.extend(called.into_iter().map(|l| (Occurrence { file: l.file, span: l.span, access: Access::Read }, false)));
    }
    let skip = usize::from(bound);
    let rewrite = Rewrite { old: &old[skip.min(old.len())..], new: &new[skip.min(new.len())..], name: &name, supply: &nothing };
    let Mentioned { untouched, exported } = mentions_left(graph, &target, rewrite)?;
    if let Some(at) = super::patch_strings::patched(graph, function) {
        return Err(format!(
            "a string at {at} names `{name}` (a patch or a lookup by name): a mock there records its calls, whose arguments the change would move"
        ));
    }
    let uses = uses.into_iter().filter(|(o, _)| keep(&Location { file: o.file, span: o.span }));
    let mut by_file: FxHashMap<FileId, Vec<(Occurrence, bool)>> = FxHashMap::default();
    for (occurrence, constructs) in uses {
        by_file.entry(occurrence.file).or_default().push((occurrence, constructs));
    }
    let mut edits = Vec::new();
    // Every call that cannot be updated, not only the first: the model (or
    // the user) learns them all at once.
    let mut refused = Vec::new();
    let mut files: Vec<_> = by_file.into_iter().collect();
    files.sort_by_key(|(file, _)| *file);
    for (file, mut uses) in files {
        uses.sort_by_key(|(o, _)| o.span);
        let entry = graph.file(file).ok_or("a file left the graph")?;
        let at = |span: Span| place(graph, &Location { file, span });
        let Ok(parsed) = ruff_python_parser::parse_module(entry.text()) else {
            // The checks of the calls read Python: a notebook's escapes
            // are no syntax error, but its calls cannot be checked there.
            if crate::notebook::Notebook::is_notebook(&entry.path) && super::ipython_escapes::parse(entry.text(), true).is_ok() {
                return Err(format!(
                    "{} holds IPython escapes (`%magic`, `!command`), around which its calls cannot be updated and checked; update them by hand",
                    at(Span::default())
                ));
            }
            return Err(format!("{} has syntax errors; fix them first", at(Span::default())));
        };
        let mut calls = Calls::default();
        calls.visit_body(&parsed.syntax().body);
        let printed = super::f_string_debug::printed_in(&parsed.syntax().body);
        let values = uses.iter().any(|(_, constructs)| *constructs).then(|| ClassValues::of(&parsed.syntax().body));
        let exported = exported.get(&file).map_or(&[][..], Vec::as_slice);
        let mut replacements = Vec::new();
        for (occurrence, constructs) in uses {
            let in_all = exported.iter().any(|e| e.start <= occurrence.span.start && occurrence.span.end <= e.end);
            if occurrence.access == Access::Write || in_import(&entry.summary.imports, occurrence.span) || in_all {
                continue;
            }
            let Some(call) = calls.by_callee_end.get(&(occurrence.span.end as usize)) else {
                // The class named without a call (`isinstance`, `Box.put`) constructs nothing.
                if constructs && values.as_ref().is_some_and(|v| v.is_inert(occurrence.span.range())) {
                    continue;
                }
                if constructs {
                    let class = entry.text().get(occurrence.span.range()).unwrap_or_default();
                    refused.push(format!(
                        "{} refers to the class `{class}` without calling it (stored, returned or passed on, as a `__reduce__` gives it to pickle and copy): the calls made through it cannot be updated",
                        at(occurrence.span)
                    ));
                    continue;
                }
                refused.push(format!(
                    "{} refers to `{name}` without calling it (passed on as a value): the calls made through it cannot be updated",
                    at(occurrence.span)
                ));
                continue;
            };
            // Called through its class (`Cart.total(cart)`), an instance
            // method's `self` is an argument like the others.
            let unbound = !constructs && binding == Binding::Instance && bound && receiver_is_class(graph, file, call);
            let rewrite = if unbound { Rewrite { old, new, name: &name, supply: &nothing } } else { rewrite };
            let at_call = Location { file, span: occurrence.span };
            let supplied = |parameter: &str| supply.and_then(|supply| supply(&at_call, parameter));
            let rewrite = Rewrite { supply: &supplied, ..rewrite };
            match rewrite.call(entry.text(), call) {
                Ok(Some(_))
                    if printed.iter().any(|p| p.contains_range(ruff_text_size::TextRange::new(occurrence.span.start.into(), occurrence.span.end.into()))) =>
                {
                    refused.push(format!(
                        "the call at {} is in an f-string's `{{...=}}`, which prints the call's own text: updated, the printed text would change",
                        at(occurrence.span)
                    ))
                }
                Ok(replacement) => replacements.extend(replacement),
                // A call the old parameters did not accept either may be one
                // the rewrite misreads (`type(self).sub(self, 9, 4)` read as
                // bound): leaving it as it is may leave it wrong, so it refuses.
                // Through another name (`f = Calc.sub; f(c, 20, 1)`), how the
                // name was bound decides the arguments, not how it reads.
                Err(NotUpdated::Unmatched(_)) if entry.text().get(occurrence.span.range()).is_some_and(|spelled| spelled != name) => {
                    let spelled = entry.text().get(occurrence.span.range()).unwrap_or_default();
                    refused.push(match partial_binding(entry.text(), &entry.summary, spelled) {
                        Some(line) => format!(
                            "the call at {} goes through `{spelled}`, a `functools.partial` of `{name}` (line {line}), which passes some of its arguments: it cannot be updated exactly",
                            at(occurrence.span)
                        ),
                        None => format!(
                            "the call at {} goes through `{spelled}`, another name for `{name}`, which may be bound to it unbound (`Class.{name}`, taking `self` as an argument): it cannot be updated exactly",
                            at(occurrence.span)
                        ),
                    })
                }
                Err(NotUpdated::Unmatched(why)) => refused.push(format!(
                    "the call at {} does not match the old parameters as it reads ({why}): it cannot be updated exactly; fix or remove it first",
                    at(occurrence.span)
                )),
                Err(NotUpdated::Refused(why)) => refused.push(format!("the call at {} cannot be updated: {why}", at(occurrence.span))),
            }
        }
        replacements.sort_by_key(|r| r.span.start);
        if let Some(pair) = replacements.windows(2).find(|w| w[1].span.start < w[0].span.end) {
            return Err(format!("the call at {} is an argument of another call of `{name}`; update one at a time", at(pair[1].span)));
        }
        let text = apply(entry.text(), &replacements);
        if ruff_python_parser::parse_module(&text).is_err() {
            return Err(format!("the updated calls of {} would not parse; refused", at(Span::default())));
        }
        if !replacements.is_empty() {
            edits.push(FileEdits { file, replacements });
        }
    }
    if !refused.is_empty() {
        refused.dedup();
        // Several: one a line, which a long run joined by `;` made hard to read.
        return Err(match refused.as_slice() {
            [one] => one.clone(),
            several => several.iter().map(|why| format!("\n  - {why}")).collect(),
        });
    }
    Ok(CallEdits { files: edits, untouched })
}

/// The line of a binding of `name` to a `functools.partial(...)`
/// (`f = partial(scale, 2)`) in the file, if any.
fn partial_binding(text: &str, summary: &crate::graph::FileSummary, name: &str) -> Option<usize> {
    summary.bindings.iter().filter(|b| b.name == name).find_map(|b| {
        let value = text.get(b.range.end as usize..)?.trim_start().strip_prefix('=')?.trim_start();
        let partial = value.strip_prefix("functools.").unwrap_or(value).starts_with("partial(");
        partial.then(|| crate::line_ends::line_number(text, b.range.start as usize))
    })
}

/// The new parameters no argument of an old call goes to and that have no
/// default: every call needs a value for them.
pub fn required(new: &[NewParameter]) -> impl Iterator<Item = &NewParameter> {
    new.iter().filter(|n| n.from.is_none() && !n.has_default && !matches!(n.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword))
}

/// The classes, functions and methods of `file`, outermost first.
pub fn definitions(graph: &Graph, file: FileId) -> Vec<SymbolId> {
    let mut found: Vec<SymbolId> = graph.module_symbol(file).into_iter().collect();
    let mut i = 0;
    while i < found.len() {
        let children = graph.children(found[i]).into_iter().filter(|&c| {
            graph.symbol(c).is_some_and(|s| matches!(s.kind, SymbolKind::Class | SymbolKind::Function | SymbolKind::Method) && s.file == Some(file))
        });
        found.extend(children);
        i += 1;
    }
    found.remove(0);
    found
}

/// What a call of `function` names: the function at its definition.
fn target(graph: &Graph, function: SymbolId) -> Result<Target, String> {
    let location = graph.location(function).ok_or("the function has no place in the workspace")?;
    occurrences::target_at(graph, location.file, location.span.start).map_err(|e| e.to_string())
}

/// Every use of `function` the graph knows (its definition too), each
/// with whether it constructs the class whose `__init__` it is.
fn uses(graph: &Graph, function: SymbolId, target: &Target) -> Result<Vec<(Occurrence, bool)>, String> {
    let mut uses: Vec<(Occurrence, bool)> = occurrences::everywhere(graph, target).into_iter().map(|o| (o, false)).collect();
    if target.name == "__init__" {
        uses.extend(constructor_uses(graph, function)?);
    }
    // Calls through another name (`from m import move as mv`) are the
    // graph's edges, not occurrences of the name.
    let mut sites = graph.references(function);
    sites.extend(graph.callers(function).into_iter().flat_map(|c| c.sites));
    for site in sites {
        if !uses.iter().any(|(o, _)| o.file == site.file && o.span == site.span) {
            uses.push((Occurrence { file: site.file, span: site.span, access: Access::Read }, false));
        }
    }
    Ok(uses)
}

/// Where `function` is used, as far as the graph can tell (none when it
/// cannot: its uses could not be updated either).
pub fn use_sites(graph: &Graph, function: SymbolId) -> Vec<Location> {
    let found = target(graph, function).and_then(|target| uses(graph, function, &target));
    found.unwrap_or_default().into_iter().map(|(o, _)| Location { file: o.file, span: o.span }).collect()
}

pub(super) fn in_import(imports: &[crate::graph::summary::Import], span: Span) -> bool {
    imports.iter().any(|i| i.range.start <= span.start && span.end <= i.range.end || i.name_range == span)
}

/// `Cart.total(cart)`, `type(self).total(self)`: the callee's receiver is a class.
fn receiver_is_class(graph: &Graph, file: FileId, call: &CallSite) -> bool {
    call.receiver_is_type
        || call.receiver_end.and_then(|end| graph.definition(file, end.saturating_sub(1))).is_some_and(|r| match r {
            Resolved::Symbol(id) => graph.symbol(id).is_some_and(|s| s.kind == SymbolKind::Class),
            _ => false,
        })
}

#[cfg(test)]
#[path = "signature_change_tests.rs"]
pub(super) mod tests;
