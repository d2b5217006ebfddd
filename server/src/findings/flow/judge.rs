//! ruff's `S` rules whose danger is the data a call is given (a shell
//! command, a query, code, a URL, a pickle, an XML document), and pyloom's
//! own rules of that kind (LOOM601, a command run on another host;
//! LOOM301, a pickle loaded where ruff's S301 misses the call), judged
//! by the flow where they report. A finding whose data the program computes
//! from constants alone (literals, values built only from them, numbers
//! converted from anything) is of low confidence, whatever the API: a
//! constant command, query, document, pickle, URL or piece of code does
//! what the source says and nothing outside can change it (bandit rates
//! its shell findings on literals low too), but for code or a command
//! decoded from a constant before it runs, which review cannot read
//! (medium); arguments that only look constant (a file opened at a
//! constant path, the environment, a download from a constant URL) are
//! outside data to the flow; one that outside data
//! reaches is as sure as that data (a request: high, a parameter:
//! medium), and data the flow cannot place (an attribute, a call's result)
//! is medium: the call is dangerous whatever it is given (bandit and ruff
//! report every such call), and nothing shows the data is the program's
//! own. Escaping made for the rule's sink (a shell word quoted outside
//! the command's own quotes, HTML escaped in markup, the program's own
//! pickle loaded back) is low; escaping made for another sink
//! (`shlex.quote` in a query) counts for nothing. Data that passed a
//! check or a sanitiser of no one sink (a deny-list, an unanchored
//! pattern, the program's own validator: a check good for one sink is not
//! for another, and hiding a real injection is worse than showing a safe
//! call) keeps ruff's word, with no confidence, and is always shown. Rules whose danger is not the
//! data (a weak hash, `assert`, a password in the code, TLS settings, a
//! partial executable path, a request without a timeout) are not judged
//! (the few of them whose finding is weak evidence whatever the data are
//! low: `security::WEAK_EVIDENCE`),
//! nor are parsers given a file (a constant path says nothing of what the
//! file holds).

use std::ops::Range;

use rustc_hash::FxHashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ModModule, Stmt};

use super::eval::Scope;
use super::value::{Escaped, Value, range};
use crate::findings::Confidence;
use crate::findings::names::Names;

/// The rules judged: ruff's about the data their call is given, and
/// pyloom's own that report such a call whatever its data (a command run
/// on another host).
const DATA_RULES: &[&str] = &[
    "LOOM301", "LOOM601", "S102", "S301", "S302", "S307", "S308", "S310", "S313", "S314", "S315", "S316", "S317", "S318", "S319", "S320", "S506", "S601",
    "S602", "S603", "S604", "S605", "S606", "S608", "S610", "S611", "S704",
];

/// The judged rules about a command line.
const SHELL_RULES: &[&str] = &["LOOM601", "S601", "S602", "S603", "S604", "S605", "S606"];

/// Whether the rule `code` (ruff's or pyloom's own, [`DATA_RULES`]) is one the flow judges.
pub(in crate::findings) fn judges(code: &str) -> bool {
    DATA_RULES.contains(&code)
}

/// The ruff findings to judge, and what the flow found of each.
#[derive(Default)]
pub(in crate::findings) struct Judging {
    /// Each finding's range and rule, by where it starts.
    pending: Vec<(Range<usize>, &'static str)>,
    /// The confidence each judged range earned; `None`: the flow could
    /// not tell.
    verdicts: FxHashMap<Range<usize>, Option<Confidence>>,
    /// The module's own YAML loaders that build no Python objects
    /// ([`safe_loaders`]).
    safe_loaders: Vec<String>,
}

impl Judging {
    /// The findings of `ruff` the flow is to judge.
    pub(in crate::findings) fn of<'r>(ruff: impl Iterator<Item = (&'r str, Range<usize>)>) -> Judging {
        let mut pending: Vec<(Range<usize>, &'static str)> =
            ruff.filter_map(|(code, at)| DATA_RULES.iter().find(|rule| **rule == code).map(|rule| (at, *rule))).collect();
        pending.sort_by_key(|(at, _)| (at.start, at.end));
        Judging { pending, verdicts: FxHashMap::default(), safe_loaders: Vec::new() }
    }

    /// Takes the module's own loaders that build no Python objects: a
    /// `yaml.load` with one is judged as with `SafeLoader`.
    pub(in crate::findings) fn with_safe_loaders(mut self, module: &ModModule, names: &Names, source: &str) -> Judging {
        if !self.pending.is_empty() {
            self.safe_loaders = safe_loaders(module, names, source);
        }
        self
    }

    pub(super) fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Where the findings to judge start, in order (to know which
    /// functions the walk must see).
    pub(super) fn starts(&self) -> impl Iterator<Item = usize> + '_ {
        self.pending.iter().map(|(at, _)| at.start)
    }

    /// The confidence the flow gives the finding at `at` (of a judged
    /// rule), if it could tell.
    pub(in crate::findings) fn verdict(&self, at: &Range<usize>) -> Option<Confidence> {
        self.verdicts.get(at).copied().flatten()
    }

    /// Judges the findings inside `expr` with what `scope` holds there.
    pub(super) fn expr(&mut self, scope: &Scope, expr: &Expr) {
        if self.any_inside(range(expr)) {
            let mut nodes = Nodes::default();
            nodes.visit_expr(expr);
            self.nodes(scope, nodes);
        }
    }

    /// [`Judging::expr`] for a simple statement the walk does not look into.
    pub(super) fn stmt(&mut self, scope: &Scope, stmt: &Stmt) {
        if self.any_inside(range(stmt)) {
            let mut nodes = Nodes::default();
            nodes.visit_stmt(stmt);
            self.nodes(scope, nodes);
        }
    }

    fn any_inside(&self, within: Range<usize>) -> bool {
        let first = self.pending.partition_point(|(at, _)| at.start < within.start);
        self.pending.get(first).is_some_and(|(at, _)| at.start < within.end)
    }

    fn nodes(&mut self, scope: &Scope, nodes: Nodes) {
        for expr in nodes.0 {
            let at = range(expr);
            let first = self.pending.partition_point(|(p, _)| p.start < at.start);
            let inside: Vec<(Range<usize>, &str)> = self.pending[first..].iter().take_while(|(p, _)| p.start < at.end).cloned().collect();
            for (finding, code) in inside {
                let data = match expr {
                    // A query built in place (S608 marks the string).
                    _ if code == "S608" && finding == at => vec![scope.eval(expr)],
                    Expr::Call(call) if reports_on(call, &finding) && reads_a_file(code, call) => Vec::new(),
                    // `URLopener().open(url)`: ruff marks the opener, the URL comes with the method.
                    Expr::Call(call) if code == "S310" && opens_with_new_opener(call, &finding) => first_url(call).map(|a| scope.eval(a)).into_iter().collect(),
                    // An opener made without a URL: judged where it opens one, if the walk sees that.
                    Expr::Call(call) if code == "S310" && reports_on(call, &finding) && call.arguments.is_empty() => continue,
                    Expr::Call(call) if reports_on(call, &finding) => data_arguments(scope, code, call).iter().map(|a| scope.eval(a)).collect(),
                    _ => continue,
                };
                let verdict = match expr {
                    // A loader that builds only strings, lists and dicts is
                    // harmless whatever the document.
                    Expr::Call(call) if code == "S506" && (plain_loader(scope, call) || self.own_safe_loader(scope, call)) => Some(Confidence::Low),
                    _ => judge(code, &data),
                };
                // A call walked twice (the branches of a loop) keeps the surer verdict.
                let before = self.verdicts.entry(finding).or_insert(verdict);
                *before = match (*before, verdict) {
                    (Some(a), Some(b)) => Some(if a.at_least(b) { a } else { b }),
                    _ => None,
                };
            }
        }
    }
}

/// Whether ruff's finding at `at` is on `call`: ruff marks the call, its
/// callee, its arguments, one of them or a keyword.
fn reports_on(call: &ExprCall, at: &Range<usize>) -> bool {
    let args = &call.arguments;
    range(call) == *at
        || range(call.func.as_ref()) == *at
        || range(args) == *at
        || args.args.iter().any(|a| range(a) == *at)
        || args.keywords.iter().any(|k| range(k) == *at || range(&k.value) == *at)
}

/// `yaml.load(doc, Loader=yaml.BaseLoader)`, which ruff's S506 takes for
/// an unsafe loader.
fn plain_loader(scope: &Scope, call: &ExprCall) -> bool {
    let loader = call.arguments.find_keyword("Loader").and_then(|k| scope.names.qualified(&k.value));
    matches!(loader.as_deref(), Some("yaml.BaseLoader" | "yaml.CBaseLoader"))
}

impl Judging {
    /// `yaml.load(doc, Loader=StrictLoader)` with a class of the module
    /// that [`safe_loaders`] found (not a local of the same name).
    fn own_safe_loader(&self, scope: &Scope, call: &ExprCall) -> bool {
        let loader = call.arguments.find_keyword("Loader").map(|k| &k.value).or_else(|| call.arguments.find_positional(1));
        matches!(loader, Some(Expr::Name(n)) if !scope.locals.contains_key(n.id.as_str()) && self.safe_loaders.iter().any(|l| l == n.id.as_str()))
    }
}

/// The classes of the module (at its top level) whose every base is
/// PyYAML's `SafeLoader` or `BaseLoader` (C or not) or such a class before
/// it: they build plain data and what their own constructors make, no
/// Python object a document names — unless the file names a constructor
/// of Python objects (`UnsafeConstructor`, `FullConstructor`, a
/// `python/` tag), which one of them may have been given; then none.
fn safe_loaders(module: &ModModule, names: &Names, source: &str) -> Vec<String> {
    const SAFE: &[&str] = &["yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader", "yaml.CBaseLoader", "yaml.loader.SafeLoader", "yaml.loader.BaseLoader"];
    let mut safe: Vec<String> = Vec::new();
    for class in module.body.iter().filter_map(Stmt::as_class_def_stmt) {
        let Some(arguments) = class.arguments.as_deref() else { continue };
        let base_is_safe = |base: &Expr| match base {
            Expr::Name(n) if safe.iter().any(|s| s == n.id.as_str()) => true,
            _ => names.qualified(base).is_some_and(|q| SAFE.contains(&q.as_str())),
        };
        if arguments.keywords.is_empty() && !arguments.args.is_empty() && arguments.args.iter().all(base_is_safe) {
            safe.push(class.name.to_string());
        }
    }
    // A name bound again at the top level may no longer be the class.
    safe.retain(|name| module.body.iter().filter(|stmt| binds(stmt, name)).count() == 1);
    // The text is searched only for a file with such a class: three
    // searches of every judged file's text were 1% of a check of Django.
    if !safe.is_empty() && ["UnsafeConstructor", "FullConstructor", "python/"].iter().any(|c| source.contains(c)) {
        return Vec::new();
    }
    safe
}

/// Whether the top-level statement `stmt` binds `name`.
fn binds(stmt: &Stmt, name: &str) -> bool {
    match stmt {
        Stmt::ClassDef(c) => c.name.as_str() == name,
        Stmt::FunctionDef(f) => f.name.as_str() == name,
        Stmt::Assign(a) => a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
        Stmt::AnnAssign(a) => matches!(a.target.as_ref(), Expr::Name(n) if n.id.as_str() == name),
        Stmt::Import(i) => i.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str().split('.').next() == Some(name)),
        Stmt::ImportFrom(i) => i.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name),
        _ => false,
    }
}

/// Whether `call` opens a URL with an opener made in place, on which ruff
/// reported `at`: `URLopener().open(url)`, `FancyURLopener().retrieve(url)`.
fn opens_with_new_opener(call: &ExprCall, at: &Range<usize>) -> bool {
    let Expr::Attribute(method) = call.func.as_ref() else { return false };
    let Expr::Call(opener) = method.value.as_ref() else { return false };
    let attr = method.attr.as_str();
    (attr.starts_with("open") || attr == "retrieve") && opener.arguments.is_empty() && reports_on(opener, at)
}

/// The URL an opener's method is given: its first argument or `fullurl`/`url`.
fn first_url(call: &ExprCall) -> Option<&Expr> {
    let args = &call.arguments;
    args.args.first().or_else(|| ["fullurl", "url"].iter().find_map(|k| args.find_keyword(k).map(|k| &k.value)))
}

/// The arguments of `call` that carry the data rule `code` is about.
fn data_arguments<'c>(scope: &Scope, code: &str, call: &'c ExprCall) -> Vec<&'c Expr> {
    let args = &call.arguments;
    let first = |keywords: &[&str]| -> Vec<&'c Expr> {
        args.args.first().into_iter().chain(keywords.iter().filter_map(|k| args.find_keyword(k).map(|k| &k.value))).collect()
    };
    match code {
        // `os.execv(path, args)`, `os.spawnl(os.P_WAIT, path, ...)`: every
        // argument but the module's mode flags is the command line, and but
        // the environment the `...e` forms take last (`os.spawnve(mode,
        // path, args, os.environ)`).
        "S605" | "S606" => {
            const WITH_ENVIRONMENT: &[&str] = &["execle", "execlpe", "execve", "execvpe", "spawnle", "spawnlpe", "spawnve", "spawnvpe"];
            let with_environment = matches!(call.func.as_ref(), Expr::Attribute(a) if WITH_ENVIRONMENT.contains(&a.attr.as_str()));
            let mut command: Vec<&Expr> = args.args.iter().filter(|a| !scope.is_module_constant(a)).collect();
            if with_environment && command.len() > 1 {
                command.pop();
            }
            command
        }
        // `.extra(where=[...], select={...})`
        "S610" => args.args.iter().chain(args.keywords.iter().map(|k| &k.value)).collect(),
        "S601" | "LOOM601" => first(&["command"]),
        "S602" | "S603" | "S604" => first(&["args"]),
        "S301" | "S302" | "LOOM301" => first(&["data", "file"]),
        "S310" => first(&["url", "fullurl"]),
        "S506" => first(&["stream"]),
        "S611" => first(&["sql"]),
        "S313" | "S314" | "S315" | "S316" | "S317" | "S318" | "S319" | "S320" => first(&["source", "text", "string"]),
        _ => first(&[]),
    }
}

/// The confidence the data reaching a finding of rule `code` earns.
fn judge(code: &str, data: &[Value]) -> Option<Confidence> {
    if data.is_empty() {
        return None;
    }
    // Escaping made for the rule's sink: HTML-escaped text in markup marked
    // safe, a shell word quoted in a command, an object's own pickle loaded.
    let escaped_for = |value: &Value| match value.escaping() {
        Escaped::Html => matches!(code, "S308" | "S704"),
        Escaped::Shell => SHELL_RULES.contains(&code),
        Escaped::Serialized => matches!(code, "S301" | "S302" | "LOOM301"),
        _ => false,
    };
    let mut surest: Option<Confidence> = None;
    for value in data {
        match value.entry.as_ref() {
            _ if escaped_for(value) => {}
            // Through the program's own check: ruff's word stands.
            Some(entry) if entry.unjudged => return None,
            // What the database holds is placed: the program's own store.
            Some(entry) if entry.from_the_database() => surest = Some(surer(surest, Confidence::Low)),
            // A run-time value the flow cannot place (an attribute, a
            // call's result, a name it does not know): it may be anyone's,
            // and the call is dangerous whatever it is given: as sure as
            // a parameter's.
            Some(entry) if entry.sure == Confidence::Low => surest = Some(surer(surest, Confidence::Medium)),
            Some(entry) => surest = Some(surer(surest, entry.sure)),
            None if value.computed_from_constants() && hidden_from_review(code, value) => surest = Some(surer(surest, Confidence::Medium)),
            None if value.computed_from_constants() => {}
            // No outside data the flow sees, but not proven constant either
            // (it passed a check or a sanitiser, or came through a call).
            None => return None,
        }
    }
    Some(surest.unwrap_or(Confidence::Low))
}

/// Code or a command decoded from a constant (`exec(base64.b64decode(
/// "..."))`): the program's own, but what runs is not what the source
/// shows, as with a shell looked up by name (LOOM605). Data decoded for a
/// deserialiser is not: a pickle in the source is a fixture far more often
/// than a payload, and what it builds is the author's.
fn hidden_from_review(code: &str, value: &Value) -> bool {
    value.decoded && (matches!(code, "S102" | "S307") || SHELL_RULES.contains(&code))
}

fn surer(a: Option<Confidence>, b: Confidence) -> Confidence {
    a.map_or(b, |a| if a.at_least(b) { a } else { b })
}

/// Whether a finding of rule `code` on `call` is about a file the call
/// reads (`ET.parse(path)`, `pickle.load(f)`) rather than data in memory.
fn reads_a_file(code: &str, call: &ExprCall) -> bool {
    let callee = match call.func.as_ref() {
        Expr::Attribute(method) => method.attr.as_str(),
        Expr::Name(name) => name.id.as_str(),
        _ => return false,
    };
    match code {
        // `yaml.load` takes the document itself as well as a stream.
        "S301" | "S302" => callee == "load",
        // pyloom's own (where ruff's S301 misses the call): the bytes in
        // memory are judged; a file, a stream, a connection or a shelf is
        // read later (`load`, `Unpickler`, `Client`, `open`) and keeps its rating.
        "LOOM301" => !matches!(callee, "loads" | "decode"),
        c if c.starts_with("S31") || c == "S320" => matches!(callee, "parse" | "iterparse"),
        _ => false,
    }
}

/// Every expression of an expression or a statement, outermost first.
#[derive(Default)]
struct Nodes<'a>(Vec<&'a Expr>);

impl<'a> Visitor<'a> for Nodes<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.0.push(expr);
        visitor::walk_expr(self, expr);
    }
}
