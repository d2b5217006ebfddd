//! Deterministic fixes for security findings, where the safe form is
//! unambiguous. ruff has none for its `S` rules; these are attached to its
//! findings and to pyloom's own. All change run-time behaviour on purpose,
//! so all are unsafe: offered one at a time, never applied by "fix all".
//!
//! | finding | fix |
//! | --- | --- |
//! | `yaml.load` (S506), `yaml.load_all`, `yaml.unsafe_load(_all)` (LOOM506) | `yaml.safe_load(_all)`, dropping the `Loader` |
//! | `verify=False` on a request (S501) | the keyword removed |
//! | `cursor.execute` of a `%`-formatted or f-string query (S608, LOOM608, LOOM620) | query parameters ([`super::sql_params`]) |
//! | `requests`/`httpx` call without timeout (S113) | `timeout=`[`DEFAULT_TIMEOUT`] |
//! | `x = tempfile.mktemp(...)` (S306) | `fd, x = tempfile.mkstemp(...)` |
//! | `shell=True` on a constant command of plain words (S602, S604) | an argument list, no shell |
//! | weak hash (S324) | `usedforsecurity=False` (the hash is not for security) |
//!
//! Where the safe form would change more than the weakness (a value
//! escaped for SQL that a parameter would keep escaped) or would declare
//! something false (`usedforsecurity=False` on a session id's hash), the
//! fix is withheld and the finding's message says why.
//! | `assert` (S101) | `if not …: raise AssertionError(…)` (kept under `python -O`) |
//! | `torch.load` (LOOM614) | `weights_only=True` |

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ModModule, PythonVersion, Stmt, StmtAssert};
use ruff_text_size::Ranged;
use std::ops::Range;
use std::path::Path;

use super::innermost::Innermost;
use super::names::Names;
use super::{Applicability, Edit, Finding, Fix};

/// Seconds; long enough for slow services, short enough to notice a hang.
pub const DEFAULT_TIMEOUT: u32 = 30;

/// Attaches a fix to every finding in `findings` that has one and none yet.
/// `lowest` is the lowest Python the project declares (`target-version`,
/// `requires-python`), if it declares one.
pub(super) fn attach(path: &Path, source: &str, module: &ModModule, lowest: Option<PythonVersion>, findings: &mut [Finding]) {
    if !findings.iter().any(|f| f.fix.is_none() && fixable(&f.code)) {
        return;
    }
    let mut nodes = Nodes::default();
    for stmt in &module.body {
        nodes.visit_stmt(stmt);
    }
    let names = Names::of(module);
    let secret_hashes = findings.iter().filter(|f| f.code == super::weak_settings::FAST_PASSWORD_HASH).map(|f| f.range.clone()).collect();
    let innermost_call = Innermost::new(nodes.calls.iter().map(|c| (range(*c), *c)).collect());
    let innermost_assert = Innermost::new(nodes.asserts.iter().map(|a| (range(*a), *a)).collect());
    let module_name = path.file_stem().and_then(|s| s.to_str());
    let fixer = Fixer { source, names, nodes, secret_hashes: Overlaps::new(secret_hashes), innermost_call, innermost_assert, lowest, module_name };
    for finding in findings.iter_mut().filter(|f| f.fix.is_none() && fixable(&f.code)) {
        finding.fix = fixer.fix(finding);
        if finding.fix.is_none()
            && let Some(why) = fixer.withheld(finding)
        {
            finding.message = format!("{}; no quick fix: {why}", finding.message);
        }
    }
}

fn fixable(code: &str) -> bool {
    matches!(code, "S506" | "LOOM506" | "S501" | "S113" | "S306" | "LOOM306" | "S602" | "S604" | "S324" | "S101" | "LOOM614" | "S608" | "LOOM608" | "LOOM620")
}

/// Calls, asserts and `name = call(...)` assignments, in source order.
#[derive(Default)]
struct Nodes<'a> {
    calls: Vec<&'a ExprCall>,
    asserts: Vec<&'a StmtAssert>,
    /// (target name range, the call assigned), by `name = call(...)` or
    /// `with call(...) as name`
    assignments: Vec<(Range<usize>, &'a ExprCall)>,
    /// Every name read or written, in source order.
    names: Vec<(&'a str, Range<usize>)>,
    /// The ranges of function definitions, with their names.
    functions: Vec<(Range<usize>, &'a str)>,
    /// (target range, target, value) of every one-target assignment.
    values: Vec<(Range<usize>, &'a Expr, &'a Expr)>,
}

impl<'a> Visitor<'a> for Nodes<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Assert(assert) => self.asserts.push(assert),
            Stmt::FunctionDef(function) => self.functions.push((range(function), function.name.as_str())),
            Stmt::Assign(assign) => {
                if let [target] = assign.targets.as_slice() {
                    self.values.push((range(target), target, &assign.value));
                }
                if let ([Expr::Name(target)], Expr::Call(call)) = (assign.targets.as_slice(), assign.value.as_ref()) {
                    self.assignments.push((range(target), call));
                }
            }
            Stmt::With(with) => {
                for item in &with.items {
                    if let (Some(Expr::Name(target)), Expr::Call(call)) = (item.optional_vars.as_deref(), &item.context_expr) {
                        self.assignments.push((range(target), call));
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => self.calls.push(call),
            Expr::Name(name) => self.names.push((name.id.as_str(), range(name))),
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

struct Fixer<'a> {
    source: &'a str,
    names: Names,
    nodes: Nodes<'a>,
    /// Where a password or secret is hashed with a fast hash.
    secret_hashes: Overlaps,
    /// `nodes.calls` and `nodes.asserts`, to find the one a finding is in
    /// without a scan of all.
    innermost_call: Innermost<&'a ExprCall>,
    innermost_assert: Innermost<&'a StmtAssert>,
    lowest: Option<PythonVersion>,
    /// The file's name without its extension.
    module_name: Option<&'a str>,
}

impl<'a> Fixer<'a> {
    fn fix(&self, finding: &Finding) -> Option<Fix> {
        let at = finding.range.start;
        match finding.code.as_str() {
            "S101" => self.assert(self.innermost_assert.at(at)?.1),
            // The `execute` call the query is formatted in (the finding is
            // on the call or on the query).
            "S608" | "LOOM608" | "LOOM620" => {
                let (fix, call) = self.query_parameters(at)?;
                super::sql_params::escaped_value(self.source, call).is_none().then_some(fix)
            }
            code => {
                // The innermost call the finding points into.
                let call = self.innermost_call.at(at)?.1;
                let name = self.names.qualified(&call.func)?;
                match code {
                    "S506" | "LOOM506" => self.yaml_load(call, &name),
                    "S501" => remove_false_verify(call),
                    "S113" => self.timeout(call),
                    // `os.tempnam()` (LOOM306 too) has no `mkstemp` beside it.
                    "S306" | "LOOM306" if name == "tempfile.mktemp" => self.mktemp(call),
                    "S602" | "S604" => self.shell(call),
                    "S324" => self.weak_hash(call, &name),
                    "LOOM614" => add_keyword(call, "weights_only=True", "Pass `weights_only=True`"),
                    _ => None,
                }
            }
        }
    }

    /// Why a finding that has no fix gets none, where the reason is one the
    /// reader could not guess: its fix would keep SQL escaping, or declare
    /// a security use of a hash not one.
    fn withheld(&self, finding: &Finding) -> Option<String> {
        let at = finding.range.start;
        match finding.code.as_str() {
            // Only where the rewrite would otherwise be offered: a quoted
            // table name is no value to pass.
            "S608" | "LOOM608" | "LOOM620" => {
                let (_, call) = self.query_parameters(at)?;
                let escaped = super::sql_params::escaped_value(self.source, call)?;
                Some(format!(
                    "`{escaped}` escapes or quotes the value already, and a query parameter would keep that (`O'Brien` compared as `O''Brien`); pass the value as it is"
                ))
            }
            // LOOM643 on the same call says why already.
            "S324" => {
                let call = self.innermost_call.at(at)?.1;
                if self.hashes_a_secret(call) {
                    return None;
                }
                let why = self.security_use(call, &self.names.qualified(&call.func)?)?;
                Some(format!("{why}, a security use that `usedforsecurity=False` would deny; use `hmac` or a SHA-2 hash"))
            }
            _ => None,
        }
    }

    /// The query-parameters rewrite of the `execute` call a query finding
    /// at `at` is on (the finding is on the call or on its query), with
    /// the call; whether a value is escaped already is not asked here.
    fn query_parameters(&self, at: usize) -> Option<(Fix, &'a ExprCall)> {
        let call = self.innermost_call.at(at)?.1;
        let query = call.arguments.args.first().map(range)?;
        (query.contains(&at) || range(call).start == at).then_some(())?;
        let Expr::Attribute(callee) = call.func.as_ref() else { return None };
        let driver = super::sql_params::driver(&self.names, &callee.value, &|name| self.made_before(name, range(call).start));
        Some((super::sql_params::fix(self.source, &self.names, call, driver)?, call))
    }

    /// The innermost function `at` is in.
    fn function_at(&self, at: usize) -> Option<&(Range<usize>, &'a str)> {
        self.nodes.functions.iter().filter(|(f, _)| f.contains(&at)).min_by_key(|(f, _)| f.len())
    }

    /// The call the local `name` was last bound to before `at`, in the
    /// function `at` is in (`cur = conn.cursor()`).
    fn made_before(&self, name: &Expr, at: usize) -> Option<&ExprCall> {
        let Expr::Name(name) = name else { return None };
        let function = self.function_at(at);
        let same_scope = |target: &Range<usize>| self.function_at(target.start) == function;
        self.nodes
            .assignments
            .iter()
            .filter(|(target, _)| target.start < at && &self.source[target.clone()] == name.id.as_str() && same_scope(target))
            .max_by_key(|(target, _)| target.start)
            .map(|(_, call)| *call)
    }

    fn yaml_load(&self, call: &ExprCall, name: &str) -> Option<Fix> {
        let Expr::Attribute(callee) = call.func.as_ref() else { return None };
        let safe = match name {
            "yaml.load" | "yaml.unsafe_load" => "safe_load",
            "yaml.load_all" | "yaml.unsafe_load_all" => "safe_load_all",
            _ => return None,
        };
        let mut edits = vec![Edit { range: range(&callee.attr), content: safe.into() }];
        let loader = call.arguments.find_keyword("Loader").map(|k| &k.value).or_else(|| call.arguments.find_positional(1));
        if let Some(loader) = loader {
            // The program's own loader (a `SafeLoader` subclass with its
            // constructors) or `BaseLoader` (all scalars strings) reads
            // documents differently from `safe_load`.
            let known = ["Loader", "UnsafeLoader", "FullLoader", "SafeLoader", "CLoader", "CUnsafeLoader", "CFullLoader", "CSafeLoader"];
            let name = self.names.qualified(loader)?;
            name.strip_prefix("yaml.").is_some_and(|n| known.contains(&n)).then_some(())?;
            let argument = call.arguments.find_keyword("Loader").map(range).unwrap_or_else(|| range(loader));
            edits.push(remove_argument(call, argument)?);
        }
        Some(unsafe_fix(&format!("Use `yaml.{safe}`"), edits))
    }

    /// `timeout=None` gets a value; a call without one gets the keyword,
    /// unless a `**kwargs` may pass it already (a second would be a
    /// `TypeError`).
    fn timeout(&self, call: &ExprCall) -> Option<Fix> {
        let keyword = format!("timeout={DEFAULT_TIMEOUT}");
        match call.arguments.find_keyword("timeout") {
            Some(given) if given.value.is_none_literal_expr() => Some(unsafe_fix(
                &format!("Replace `timeout=None` with `{keyword}`"),
                vec![Edit { range: range(&given.value), content: DEFAULT_TIMEOUT.to_string() }],
            )),
            Some(_) => None,
            None if call.arguments.keywords.iter().any(|k| k.arg.is_none()) => None,
            None => add_keyword(call, &keyword, &format!("Add `{keyword}`")),
        }
    }

    /// Only `x = tempfile.mktemp(...)` whose name is next opened for
    /// writing: `mkstemp` creates the file, which `os.mkfifo(x)`,
    /// `os.mkdir(x)`, `open(x, "x")` or a socket's `bind(x)` then find
    /// existing.
    fn mktemp(&self, call: &ExprCall) -> Option<Fix> {
        let Expr::Attribute(callee) = call.func.as_ref() else { return None };
        let (target, _) = self.nodes.assignments.iter().find(|(_, c)| std::ptr::eq(*c, call))?;
        let name = &self.source[target.clone()];
        let scope_end = self.function_at(target.start).map_or(self.source.len(), |(f, _)| f.end);
        let end = range(call).end;
        let (_, next_use) = self.nodes.names.iter().find(|(id, at)| *id == name && at.start >= end && at.start < scope_end)?;
        self.opened_for_writing(next_use).then_some(())?;
        let fd = fresh_name(self.source, &["fd", "tmp_fd", "temp_fd"])?;
        let edits =
            vec![Edit { range: target.start..target.start, content: format!("{fd}, ") }, Edit { range: range(&callee.attr), content: "mkstemp".into() }];
        Some(unsafe_fix(&format!("Use `tempfile.mkstemp` (it creates the file; close `{fd}` when done)"), edits))
    }

    /// Whether the name at `at` is the file of an `open(name, mode)` that
    /// writes, truncates or appends (`"x"` fails on an existing file).
    fn opened_for_writing(&self, at: &Range<usize>) -> bool {
        self.nodes.calls.iter().any(|c| {
            matches!(self.names.qualified(&c.func).as_deref(), Some("open" | "io.open" | "builtins.open"))
                && c.arguments.find_argument_value("file", 0).is_some_and(|f| range(f) == *at)
                && matches!(c.arguments.find_argument_value("mode", 1), Some(Expr::StringLiteral(m))
                    if m.value.to_str().contains(['w', 'a']) && !m.value.to_str().contains('x'))
        })
    }

    /// `run("ls -l /tmp", shell=True)` → `run(["ls", "-l", "/tmp"])`, only
    /// when the command is plain words naming a program
    /// ([`super::shell_command::plain_words`]).
    fn shell(&self, call: &ExprCall) -> Option<Fix> {
        let shell = call.arguments.find_keyword("shell")?;
        if !matches!(&shell.value, Expr::BooleanLiteral(b) if b.value) {
            return None;
        }
        // With `shell=True`, `executable=` replaces `/bin/sh`; without it,
        // the program: `Popen(["ls", "-l"], executable="/bin/bash")` is a
        // login shell reading stdin. `Popen`'s third positional argument and
        // a `**kwargs` may carry it too.
        let args = &call.arguments;
        if args.find_keyword("executable").is_some() || args.args.len() > 1 || args.keywords.iter().any(|k| k.arg.is_none()) {
            return None;
        }
        let Some(Expr::StringLiteral(command)) = call.arguments.find_argument_value("args", 0) else { return None };
        if command.value.is_implicit_concatenated() {
            return None;
        }
        let words: Vec<String> = super::shell_command::plain_words(command.value.to_str())?.iter().map(|w| format!("\"{w}\"")).collect();
        let edits = vec![Edit { range: range(command), content: format!("[{}]", words.join(", ")) }, remove_argument(call, range(shell))?];
        Some(unsafe_fix("Pass an argument list and drop `shell=True`", edits))
    }

    /// Not where pyloom reports the hash as one of a password or another
    /// secret ([`super::weak_settings::FAST_PASSWORD_HASH`]), nor where its
    /// data or place shows another security use ([`super::hash_use`]): the
    /// declaration would be false and silence ruff's and bandit's findings.
    /// Nor on a project that declares a Python before 3.9, which has no
    /// `usedforsecurity` keyword (a `TypeError` there).
    fn weak_hash(&self, call: &ExprCall, name: &str) -> Option<Fix> {
        if self.lowest.is_some_and(|lowest| lowest < PythonVersion::PY39) {
            return None;
        }
        if !name.starts_with("hashlib.")
            || call.arguments.find_keyword("usedforsecurity").is_some()
            || self.hashes_a_secret(call)
            || self.security_use(call, name).is_some()
        {
            return None;
        }
        add_keyword(call, "usedforsecurity=False", "Mark as not used for security (`usedforsecurity=False`)")
    }

    /// Why the hash `call` (of the callee `name`) is for security
    /// ([`super::hash_use`]): what it is given, through its `update`s and
    /// one step through locals, and where it is made and kept.
    fn security_use(&self, call: &ExprCall, name: &str) -> Option<String> {
        let at = range(call);
        let kept = self.nodes.values.iter().filter(|(_, _, value)| range(*value).contains(&at.start) && range(*value).end >= at.end).next_back();
        let kept_in = kept.and_then(|(_, target, _)| match target {
            Expr::Name(n) => Some(n.id.as_str()),
            Expr::Attribute(a) => Some(a.attr.as_str()),
            _ => None,
        });
        let mut data: Vec<&Expr> = super::hash_use::data_of(call, name).into_iter().collect();
        data.extend(self.updates(call).filter_map(|c| c.arguments.args.first()));
        let function = self.function_at(at.start);
        let value_of = |local: &str| {
            let in_function = |target: &Range<usize>| self.function_at(target.start) == function;
            self.nodes
                .values
                .iter()
                .filter(|(target, _, _)| target.start < at.start && &self.source[target.clone()] == local && in_function(target))
                .max_by_key(|(target, _, _)| target.start)
                .map(|(_, _, value)| *value)
        };
        let hash_use = super::hash_use::HashUse { data, value_of: &value_of, function: function.map(|(_, n)| *n), kept_in, module: self.module_name };
        hash_use.security_use()
    }

    /// The `h.update(...)` calls on the object `h = call` makes.
    fn updates(&self, call: &ExprCall) -> impl Iterator<Item = &&'a ExprCall> {
        let hash = self.nodes.assignments.iter().find(|(_, c)| std::ptr::eq(*c, call)).map(|(target, _)| &self.source[target.clone()]);
        self.nodes.calls.iter().filter(move |c| {
            matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "update" && matches!(a.value.as_ref(), Expr::Name(n) if Some(n.id.as_str()) == hash))
        })
    }

    /// Whether a secret is hashed by `call` or by the object it makes
    /// (`h = hashlib.sha1()` then `h.update(password)`).
    fn hashes_a_secret(&self, call: &ExprCall) -> bool {
        if self.secret_hashes.is_empty() {
            return false;
        }
        let on = |at: Range<usize>| self.secret_hashes.any_overlaps(&at);
        on(range(call)) || self.updates(call).any(|c| on(range(*c)))
    }

    /// `assert test, msg` → `if not test:\n    raise AssertionError(msg)`,
    /// for an assert that has its line to itself.
    fn assert(&self, assert: &StmtAssert) -> Option<Fix> {
        let stmt = range(assert);
        let line_start = self.source[..stmt.start].rfind('\n').map_or(0, |i| i + 1);
        let indent = &self.source[line_start..stmt.start];
        let rest = self.source[stmt.end..].split('\n').next().unwrap_or_default();
        if !indent.chars().all(|c| c == ' ' || c == '\t') || !(rest.trim().is_empty() || rest.trim_start().starts_with('#')) {
            return None;
        }
        let test = &self.source[range(assert.test.as_ref())];
        let needs_parens = test.contains('\n') || matches!(assert.test.as_ref(), Expr::BoolOp(_) | Expr::If(_) | Expr::Lambda(_) | Expr::Named(_));
        let test = if needs_parens { format!("({test})") } else { test.to_owned() };
        let message = assert.msg.as_deref().map(|m| &self.source[range(m)]).unwrap_or_default();
        let step = if indent.contains('\t') { "\t" } else { "    " };
        let content = format!("if not {test}:\n{indent}{step}raise AssertionError({message})");
        Some(unsafe_fix("Replace `assert` with an explicit `raise`", vec![Edit { range: stmt, content }]))
    }
}

/// The first of `candidates` that the file never spells as a word (a
/// parameter, an attribute, a global read elsewhere all count), so the new
/// binding shadows nothing.
fn fresh_name<'c>(source: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates.iter().copied().find(|candidate| {
        !source.match_indices(candidate).any(|(at, _)| {
            let word = |c: char| c.is_alphanumeric() || c == '_';
            !source[..at].chars().next_back().is_some_and(word) && !source[at + candidate.len()..].chars().next().is_some_and(word)
        })
    })
}

/// `verify=False` dropped: certificates are checked by default.
fn remove_false_verify(call: &ExprCall) -> Option<Fix> {
    let verify = call.arguments.find_keyword("verify")?;
    if !matches!(&verify.value, Expr::BooleanLiteral(b) if !b.value) {
        return None;
    }
    Some(unsafe_fix("Check certificates (remove `verify=False`)", vec![remove_argument(call, range(verify))?]))
}

pub(super) fn unsafe_fix(message: &str, edits: Vec<Edit>) -> Fix {
    Fix { message: message.to_owned(), applicability: Applicability::Unsafe, edits }
}

/// Appends `keyword` to the call's arguments.
fn add_keyword(call: &ExprCall, keyword: &str, message: &str) -> Option<Fix> {
    let arguments = range(&call.arguments);
    let last = call.arguments.iter_source_order().last().map(|a| range(&a));
    let edit = match last {
        Some(last) => Edit { range: last.end..last.end, content: format!(", {keyword}") },
        None => Edit { range: arguments.start + 1..arguments.start + 1, content: keyword.to_owned() },
    };
    Some(unsafe_fix(message, vec![edit]))
}

/// Deletes the argument at `target` with the comma that joins it to its
/// neighbour.
fn remove_argument(call: &ExprCall, target: Range<usize>) -> Option<Edit> {
    let all: Vec<Range<usize>> = call.arguments.iter_source_order().map(|a| range(&a)).collect();
    let i = all.iter().position(|a| *a == target)?;
    let range = match (i.checked_sub(1).map(|p| &all[p]), all.get(i + 1)) {
        (Some(previous), _) => previous.end..target.end,
        (None, Some(next)) => target.start..next.start,
        (None, None) => target,
    };
    Some(Edit { range, content: String::new() })
}

pub(super) fn range(node: &impl Ranged) -> Range<usize> {
    node.range().start().to_usize()..node.range().end().to_usize()
}

/// Ranges, to ask whether any overlaps a given one in O(log n).
struct Overlaps {
    /// Sorted by start.
    ranges: Vec<Range<usize>>,
    /// The largest end of `ranges[..=i]`, at `i`.
    ends: Vec<usize>,
}

impl Overlaps {
    fn new(mut ranges: Vec<Range<usize>>) -> Self {
        ranges.sort_by_key(|r| r.start);
        let mut end = 0;
        let ends = ranges
            .iter()
            .map(|r| {
                end = end.max(r.end);
                end
            })
            .collect();
        Overlaps { ranges, ends }
    }

    fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether a range starting before `at` ends after its start.
    fn any_overlaps(&self, at: &Range<usize>) -> bool {
        let before = self.ranges.partition_point(|r| r.start < at.end);
        before.checked_sub(1).is_some_and(|last| self.ends[last] > at.start)
    }
}
