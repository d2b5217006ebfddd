//! Security checks beyond ruff's `S` rules: what bandit checks and ruff does
//! not (or misses in some spellings). Codes are `LOOM` + bandit's test
//! number, severity and confidence are bandit's. Where ruff has a rule for
//! the same problem, a finding is dropped if ruff already reported that rule
//! on the same line, so each problem is reported once.

mod calls;
pub(super) mod pairing;
mod tables;
mod web_settings;

use std::cell::OnceCell;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_python_parser::Parsed;
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::FxHashMap;

use self::calls::short;
use self::tables::*;
use super::bound::{self, Bound};
use super::broken_names;
use super::error_pages;
use super::flow;
use super::host_checks;
use super::keys;
use super::library_settings;
use super::mac_compare;
use super::names::{Names, is_module_or_submodule};
use super::permissions;
use super::protocol_clients;
use super::regex_checks;
use super::weak_settings;
use super::{Category, Confidence, Finding};

impl<'s> Checker<'s> {
    /// A checker for `parsed`, the tree of `source`, to be shown each of its
    /// statements and expressions ([`Checker::stmt`], [`Checker::expr`]).
    pub(super) fn new(source: &'s str, parsed: &'s Parsed<ModModule>) -> Self {
        let mut checker = Checker {
            source,
            module: parsed.syntax(),
            names: Names::of(parsed.syntax()),
            compiled: FxHashMap::default(),
            constants: regex_checks::constants(parsed.syntax()),
            scopes: Vec::new(),
            globals: OnceCell::new(),
            in_sql: false,
            found: Vec::new(),
            calls: flow::CallIndex::default(),
            zip_extractalls: Vec::new(),
            reading: broken_names::Reading::default(),
        };
        checker.compiled = regex_checks::compiled(parsed.syntax(), &checker.names, &checker.constants);
        checker.trojan_source();
        let top_level = protocol_clients::scope(&checker.names, &parsed.syntax().body, &checker.bound());
        checker.found.extend(top_level.into_iter().map(|f| (f, None)));
        checker
    }

    /// pyloom's own security findings, once the checker has been shown the
    /// whole tree. `ruff` holds ruff's findings for the same text, to leave
    /// out what ruff already reported; a flow finding on a call ruff
    /// reported adds where the data entered to ruff's.
    /// Also gives what the data flow knows for callers and callees in
    /// other modules (its [`flow::Checked`] without the findings).
    /// `unsilenced` gives what ruff's rules it is asked about would report
    /// were they neither unselected nor silenced (told `ruff`'s findings,
    /// which say it for a file nothing silences): a finding of pyloom's on
    /// a call one of those reports the user silenced is left out with it,
    /// as is one on a line whose `noqa` names one of those in a file ruff
    /// could not check (`noqa` holds the file's directives).
    pub(super) fn finish(
        self,
        path: &Path,
        parsed: &Parsed<ModModule>,
        index: &LineIndex,
        noqa: &super::noqa::Directives,
        ruff: &mut [Finding],
        unsilenced: impl FnOnce(&[&'static str], &[Finding]) -> Vec<Finding>,
    ) -> (Vec<Finding>, flow::Checked) {
        // Most files have no finding of pyloom's to pair: the calls are
        // walked and ruff's findings placed only for one that has.
        let sites = OnceCell::new();
        let sites = || sites.get_or_init(|| pairing::Sites::new(index, parsed.syntax()));
        let theirs = OnceCell::new();
        let theirs = || theirs.get_or_init(|| sites().table(ruff.iter().map(|r| (r.code.as_str(), r.range.start))));
        let mut own: Vec<(Finding, Vec<&'static str>)> = self
            .found
            .into_iter()
            .filter(|(finding, equivalent)| equivalent.is_none_or(|code| sites().find(theirs(), &[code], finding.range.start).is_none()))
            .map(|(finding, equivalent)| (finding, equivalent.into_iter().collect()))
            .collect();
        let judged = ruff.iter().chain(own.iter().map(|(f, _)| f)).map(|r| (r.code.as_str(), r.range.clone()));
        let mut judging = flow::Judging::of(judged).with_safe_loaders(parsed.syntax(), &self.names, self.source);
        let mut checked = flow::check(path, self.source, parsed.syntax(), &self.names, self.calls, &mut judging, &flow::Elsewhere::default());
        let flow_found = std::mem::take(&mut checked.found);
        for finding in ruff.iter_mut() {
            if flow::judges(&finding.code) {
                finding.confidence = judging.verdict(&finding.range);
            } else if WEAK_EVIDENCE.contains(&finding.code.as_str()) {
                finding.confidence = Some(Confidence::Low);
            } else if finding.code == "S202" && self.zip_extractalls.contains(&TextSize::try_from(finding.range.start).unwrap_or_default()) {
                // A zip's `extractall` strips `..` and roots from its
                // members' names: ruff reads any `extractall` as a tar's.
                finding.confidence = Some(Confidence::Low);
            }
        }
        // pyloom's own rules the flow judges keep their rating where it
        // cannot tell.
        for (finding, _) in own.iter_mut().filter(|(f, _)| flow::judges(&f.code)) {
            if let Some(verdict) = judging.verdict(&finding.range) {
                finding.confidence = Some(verdict);
            }
        }
        // ruff's findings, then pyloom's own: a flow finding joins the first
        // on its call.
        let reported = OnceCell::new();
        let mut flow_only = Vec::new();
        for (finding, equivalents) in flow_found {
            // By code and place first; a call written over several lines
            // whose query starts inside a nested call (`"...".format(x)`)
            // is found by a scan, which only unpaired findings pay for.
            let reported = reported.get_or_init(|| sites().table(ruff.iter().chain(own.iter().map(|(f, _)| f)).map(|r| (r.code.as_str(), r.range.start))));
            let theirs = match sites().find(reported, equivalents, finding.range.start) {
                Some(i) if i < ruff.len() => Some(&mut ruff[i]),
                Some(i) => Some(&mut own[i - ruff.len()].0),
                None => {
                    let same_call = |r: &&mut Finding| equivalents.contains(&r.code.as_str()) && sites().on_the_call(&finding.range, r.range.start);
                    ruff.iter_mut().chain(own.iter_mut().map(|(f, _)| f)).find(same_call)
                }
            };
            if let Some(theirs) = theirs {
                theirs.related.extend(finding.related);
                theirs.confidence = enriched(theirs, finding.confidence);
            } else {
                flow_only.push((finding, equivalents.to_vec()));
            }
        }
        own.append(&mut flow_only);
        // ruff runs none of its rules on a file with a syntax error, so
        // cannot say which it would report there: a `# noqa` naming one
        // that reports the same kind of call is taken at its word (an
        // editor's file is one most of the time it is typed in).
        if !parsed.has_valid_syntax() {
            own.retain(|(finding, equivalents)| !noqa.names_any(finding, equivalents));
        }
        let own = if own.is_empty() { Vec::new() } else { without_silenced(own, sites(), |codes| unsilenced(codes, ruff)) };
        (own, checked)
    }

    /// The data flow's findings alone, with what other modules tell as
    /// `elsewhere` says (parameters filled by callers there, their helpers'
    /// return values), each with the ruff rules that report the same call.
    pub(super) fn flow_with(self, path: &Path, parsed: &Parsed<ModModule>, elsewhere: &flow::Elsewhere) -> Vec<(Finding, &'static [&'static str])> {
        let mut judging = flow::Judging::of(std::iter::empty());
        flow::check(path, self.source, parsed.syntax(), &self.names, self.calls, &mut judging, elsewhere).found
    }
}

/// `own` (pyloom's findings, each with the ruff rules that report the
/// same call) but those on a call where one of those rules would report
/// had the user not silenced it (`# noqa: S605`, `ignore`,
/// `per-file-ignores`): it is the same finding, silenced too. `unsilenced`
/// gives what the rules it is asked about would report unsilenced.
pub(super) fn without_silenced<E: AsRef<[&'static str]>>(
    own: Vec<(Finding, E)>,
    sites: &pairing::Sites,
    unsilenced: impl FnOnce(&[&'static str]) -> Vec<Finding>,
) -> Vec<Finding> {
    let mut asked: Vec<&'static str> = own.iter().flat_map(|(_, e)| e.as_ref().iter().copied()).filter(|c| !c.starts_with(super::config::OWN_PREFIX)).collect();
    asked.sort_unstable();
    asked.dedup();
    let silenced = if asked.is_empty() { Vec::new() } else { unsilenced(&asked) };
    own.into_iter()
        .filter(|(finding, equivalents)| {
            !silenced.iter().any(|s| equivalents.as_ref().contains(&s.code.as_str()) && sites.on_the_call(&finding.range, s.range.start))
        })
        .map(|(finding, _)| finding)
        .collect()
}

/// ruff's rules whose finding shows no weakness by itself, whatever the
/// code around it: a partial executable path (`subprocess.run(["git",
/// ...])`) is found through `PATH`, and whoever can change the process's
/// `PATH` has already won; an `except` that passes or continues hides an
/// error, which may or may not matter to anyone's security. Of low
/// confidence, hidden by default; bandit rates its B607, B110 and B112 low
/// too.
const WEAK_EVIDENCE: &[&str] = &["S607", "S110", "S112"];

/// The confidence of a finding that a flow finding of `flow`'s confidence
/// is on the same call as: pyloom's own take the flow's where they have
/// none; ruff's are raised by it, never lowered (a flow finding of low
/// confidence on data the flow cannot place proves nothing harmless).
fn enriched(theirs: &Finding, flow: Option<Confidence>) -> Option<Confidence> {
    if theirs.code.starts_with(super::config::OWN_PREFIX) {
        return theirs.confidence.or(flow);
    }
    match (theirs.confidence, flow) {
        (Some(a), Some(b)) => Some(if a.at_least(b) { a } else { b }),
        (None, Some(Confidence::Low)) => None,
        (a, b) => a.or(b),
    }
}

/// pyloom's own security checks of one file.
pub(super) struct Checker<'s> {
    source: &'s str,
    module: &'s ModModule,
    names: Names,
    /// The module's string and bytes constants, for the patterns, salts
    /// and IVs written as one.
    constants: FxHashMap<String, String>,
    /// The module's names bound once to a compiled pattern, with it.
    compiled: FxHashMap<String, String>,
    /// The functions the walk is in, innermost last.
    scopes: Vec<bound::Scope<'s>>,
    /// The module's names bound once, once a check asked for them.
    globals: OnceCell<bound::Locals<'s>>,
    /// Inside a query already reported (its parts are not reported again).
    in_sql: bool,
    found: Vec<(Finding, Option<&'static str>)>,
    /// What the data flow needs to know of the calls walked.
    calls: flow::CallIndex,
    /// Where the `extractall` calls of zips opened in sight start (ruff's
    /// S202 there is low).
    zip_extractalls: Vec<TextSize>,
    /// Where the walk is, for the broken names it reads.
    reading: broken_names::Reading,
}

impl<'s> Checker<'s> {
    /// Leaves the functions that end before `at`.
    fn leave(&mut self, at: TextSize) {
        while self.scopes.last().is_some_and(|(f, _)| !f.range().contains(at)) {
            self.scopes.pop();
        }
    }

    /// What the checks may read through in the innermost function the walk
    /// has not left ([`Self::leave`]), or at the module's top level.
    fn bound(&self) -> Bound<'_, 's> {
        Bound::new(&self.constants, self.scopes.last()).with_globals(&self.globals, self.module)
    }

    fn report(&mut self, check: &Check, range: Range<usize>, message: String) {
        let mut finding = Finding::new(range, check.code, Category::Security, check.severity, message);
        finding.confidence = Some(check.confidence);
        self.found.push((finding, check.ruff_equivalent));
    }

    fn trojan_source(&mut self) {
        for found in BIDI_CONTROLS.find_iter(self.source) {
            let c = found.as_str().chars().next().map_or(0, u32::from);
            let message = format!("Bidirectional control character U+{c:04X} can make code read differently from how it runs (trojan source)");
            self.report(&TROJAN_SOURCE, found.range(), message);
        }
    }

    fn import(&mut self, module: &str, range: Range<usize>) {
        if XML_MODULES.iter().any(|m| is_module_or_submodule(module, m)) {
            self.report(&XML_IMPORT, range.clone(), format!("`{module}` is open to XML attacks on untrusted data; use `defusedxml`"));
        }
        if let Some((_, bandit, why, confidence)) = BLOCKED_MODULES.iter().find(|(m, ..)| is_module_or_submodule(module, m)) {
            let code = format!("LOOM{}", &bandit[1..]);
            let mut finding = Finding::new(range, &code, Category::Security, BLOCKED_IMPORT.severity, format!("Import of `{module}`: {why}"));
            finding.confidence = Some(*confidence);
            self.found.push((finding, None));
        }
    }

    /// `{"autoescape": False}`: a template context or a template engine's
    /// options (Django's `TEMPLATES`, Jinja's) that turn escaping off.
    fn autoescape_off(&mut self, dict: &ruff_python_ast::ExprDict) {
        for item in &dict.items {
            let key = matches!(&item.key, Some(Expr::StringLiteral(k)) if k.value.to_str() == "autoescape");
            if key && matches!(&item.value, Expr::BooleanLiteral(b) if !b.value) {
                let start = item.key.as_ref().map_or(item.value.range().start(), Ranged::start);
                let range = start.to_usize()..item.value.range().end().to_usize();
                self.report(&AUTOESCAPE_OFF, range, "Autoescaping turned off: values reach the HTML unescaped (cross-site scripting)".into());
            }
        }
    }

    /// `ssl._create_default_https_context = ssl._create_unverified_context`
    /// turns off certificate checks for the whole process.
    fn unverified_default(&mut self, target: &Expr, value: &Expr) {
        // Asked of every assignment: most name no such attribute, and are
        // answered without building the target's name.
        if self.names.may_end_in(target, "_create_default_https_context")
            && self.names.qualified(target).as_deref() == Some("ssl._create_default_https_context")
            && self.names.qualified(value).as_deref() == Some("ssl._create_unverified_context")
        {
            let range = target.range().start().to_usize()..value.range().end().to_usize();
            self.report(&UNVERIFIED_CONTEXT, range, "Every HTTPS connection of the process stops checking certificates".into());
        }
    }

    /// A string that reads as SQL, built from values at run time (`%`,
    /// `.format`, `+`, f-strings, `.replace`) — also across lines, which
    /// ruff's S608 misses.
    fn sql(&mut self, expr: &Expr) -> bool {
        let literal = match expr {
            Expr::BinOp(op) => sql_text(&op.left).or_else(|| sql_text(&op.right)),
            Expr::Call(call) => match call.func.as_ref() {
                Expr::Attribute(a) if matches!(a.attr.as_str(), "format" | "replace") && !call.arguments.is_empty() => sql_text(&a.value),
                _ => None,
            },
            Expr::FString(f) if f.value.elements().any(|e| e.is_interpolation()) => {
                let text: String = f.value.elements().filter_map(|e| e.as_literal()).map(|l| l.value.as_ref()).collect();
                looks_like_sql(&text).then_some(())
            }
            _ => None,
        };
        if literal.is_some() {
            let range = expr.range().start().to_usize()..expr.range().end().to_usize();
            self.report(&SQL_INJECTION, range, "Possible SQL injection: a query built from run-time values; use query parameters".into());
        }
        literal.is_some()
    }
}

/// What the checks do at each node of the file's one walk ([`super::walk`]).
impl<'s> Checker<'s> {
    pub(super) fn stmt(&mut self, stmt: &'s Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    self.import(alias.name.as_str(), alias.range().start().to_usize()..alias.range().end().to_usize());
                }
            }
            Stmt::ImportFrom(import) if import.level == 0 => {
                if let Some(module) = &import.module {
                    let range = import.range().start().to_usize()..import.range().end().to_usize();
                    self.import(module.as_str(), range);
                }
            }
            Stmt::FunctionDef(function) => {
                self.leave(function.start());
                self.scopes.push((function, OnceCell::new()));
                self.found.extend(permissions::secret_file(&self.names, function).into_iter().map(|f| (f, None)));
                let routed = flow::is_route(&self.names, function);
                self.found.extend(error_pages::view(&self.names, function, routed).into_iter().map(|f| (f, None)));
                let clients = protocol_clients::scope(&self.names, &function.body, &self.bound());
                self.found.extend(clients.into_iter().map(|f| (f, None)));
                for decorator in &function.decorator_list {
                    if self.names.qualified(&decorator.expression).as_deref() == Some("django.views.decorators.csrf.csrf_exempt") {
                        let range = decorator.range().start().to_usize()..decorator.range().end().to_usize();
                        let message = format!("`{}` is exempt from CSRF checks: another site can make a user's browser call it", function.name.as_str());
                        self.report(&CSRF_EXEMPT, range, message);
                    }
                }
            }
            Stmt::ClassDef(class) => {
                self.reading.class(class);
                let safe_base = class.bases().iter().find_map(|b| {
                    self.names.qualified(b).filter(|q| {
                        matches!(q.as_str(), "django.utils.safestring.SafeString" | "django.utils.safestring.SafeText" | "django.utils.safestring.SafeData")
                    })
                });
                let safe_decorator = class.decorator_list.iter().any(|d| self.names.qualified(&d.expression).as_deref() == Some("django.utils.html.html_safe"));
                if let Some(why) = safe_base.map(|b| format!("extends `{}`", short(&b))).or(safe_decorator.then(|| "is `@html_safe`".to_owned())) {
                    let range = class.range().start().to_usize()..class.name.range().end().to_usize();
                    self.report(&ALWAYS_SAFE, range, format!("`{}` {why}: what it renders skips autoescaping", class.name.as_str()));
                }
            }
            Stmt::AugAssign(aug) => self.found.extend(weak_settings::options_cleared(&aug.target, aug.op, &aug.value).map(|f| (f, None))),
            Stmt::Assign(assign) => {
                if let [target] = assign.targets.as_slice() {
                    self.unverified_default(target, &assign.value);
                    self.found.extend(keys::assigned_secret(&self.names, target, &assign.value).map(|f| (f, None)));
                    self.found.extend(weak_settings::assignment(&self.names, target, &assign.value).map(|f| (f, None)));
                    self.found.extend(library_settings::assignment(&self.names, target, &assign.value).map(|f| (f, None)));
                    if let Some((check, range, message)) = web_settings::assignment(target, &assign.value) {
                        self.report(check, range, message);
                    }
                }
            }
            _ => {}
        }
    }

    /// Looks at `expr` before its parts are walked; true when it starts a
    /// query already reported, whose parts are not reported again
    /// ([`Checker::leave_query`] once they have been walked).
    pub(super) fn expr(&mut self, expr: &Expr) -> bool {
        match expr {
            Expr::Call(call) => {
                self.reading.call(call);
                self.call(call);
                for (check, range, message) in web_settings::config_update(call).into_iter().chain(web_settings::cors(&self.names, call)) {
                    self.report(check, range, message);
                }
            }
            Expr::Dict(dict) => self.autoescape_off(dict),
            Expr::Attribute(_) | Expr::Name(_) => {
                let read = self.reading.read(&self.names, expr, self.found.iter().map(|(f, _)| f));
                self.found.extend(read.map(|f| (f, None)));
            }
            Expr::Compare(compare) => {
                self.reading.test(compare.range());
                self.leave(compare.start());
                let bound = self.bound();
                let found = host_checks::compare(compare, &bound).into_iter().chain(mac_compare::compare(&self.names, compare, &bound));
                self.found.extend(found.map(|f| (f, None)));
            }
            _ => {}
        }
        let enters = !self.in_sql && self.sql(expr);
        self.in_sql |= enters;
        enters
    }

    pub(super) fn leave_query(&mut self) {
        self.in_sql = false;
    }
}

fn sql_text(expr: &Expr) -> Option<()> {
    match expr {
        Expr::StringLiteral(s) => looks_like_sql(s.value.to_str()).then_some(()),
        Expr::BinOp(op) => sql_text(&op.left).or_else(|| sql_text(&op.right)),
        _ => None,
    }
}

pub(super) fn looks_like_sql(text: &str) -> bool {
    static SQL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?is)^\s*(select\s.*\sfrom\s|delete\s+from\s|insert\s+into\s.*\svalues|update\s.*\sset\s|with\s.*\sselect\s)").expect("a valid pattern")
    });
    SQL.is_match(text)
}

pub(super) fn hidden_shell_message(name: &str) -> String {
    format!("`{name}` looked up by name (`getattr`/`__import__`) runs a shell command out of sight of review")
}
