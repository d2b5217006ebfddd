//! The calls where data that is not a constant becomes dangerous, and the
//! finding for one reached: SQL execution, shell and process calls, code
//! evaluation, template compilation, URL openers and HTTP clients, HTML
//! responses and file paths.

use std::path::Path;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use ruff_python_ast::{Expr, ExprAttribute, ExprCall};

use super::catalog::{
    EXTRA_SQL, HTML_MAILS, HTTP_CLIENTS, HTTP_METHODS, HTTP_SESSIONS, INTERPRETER_METHODS, INTERPRETERS, LDAP_SEARCHES, MASS_ASSIGNERS, MONGO_FILTERS, OPENERS,
    PATH_METHODS, PATHS, PROBE_METHODS, RENDERS, XML_PARSES,
};
use super::eval::Scope;
use super::log_format;
use super::models;
use super::value::{Const, Escaped, Items, Value, range};
use super::verdict::{confidence, plain_scheme, reaches};
use crate::findings::names::{Names, last_part as short};
use crate::findings::{Category, Confidence, Finding, Related, Severity, keys, security};

/// The families of sinks; `models.toml` names them in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Family {
    Sql,
    Shell,
    Code,
    Template,
    Url,
    Html,
    Path,
    /// A test of whether a file exists, which tells the client only that.
    Probe,
    Redirect,
    Ldap,
    Session,
    Xpath,
    Xxe,
    /// A MongoDB filter the client wrote (`{"$ne": ""}`).
    NoSql,
    /// A line written to a log, which data with a line break in it can
    /// forge more of (`ok\nINFO admin logged in`).
    Log,
    /// A regular expression the client wrote, which may backtrack for
    /// minutes (`(a+)+$`) or match what the program meant to refuse.
    Regex,
}

impl Family {
    fn code(self) -> &'static str {
        match self {
            Family::Sql => "LOOM620",
            Family::Shell => "LOOM621",
            Family::Code => "LOOM622",
            Family::Template => "LOOM623",
            Family::Url => "LOOM624",
            Family::Html => "LOOM625",
            Family::Path | Family::Probe => "LOOM626",
            Family::Redirect => "LOOM627",
            Family::Ldap => "LOOM638",
            Family::Session => "LOOM639",
            Family::Xpath => "LOOM640",
            Family::Xxe => "LOOM641",
            Family::NoSql => "LOOM642",
            Family::Regex => "LOOM647",
            Family::Log => "LOOM648",
        }
    }

    /// The weakness (CWE) of the family, when no model names its own.
    fn cwe(self) -> u32 {
        match self {
            Family::Sql => 89,
            Family::Shell => 78,
            Family::Code => 94,
            Family::Template => 1336,
            Family::Url => 918,
            Family::Html => 79,
            Family::Path | Family::Probe => 22,
            Family::Redirect => 601,
            Family::Ldap => 90,
            Family::Session => 501,
            Family::Xpath => 643,
            Family::Xxe => 611,
            Family::NoSql => 943,
            Family::Regex => 730,
            Family::Log => 117,
        }
    }

    /// The rules (ruff's or pyloom's) that report the same call: the flow
    /// then adds where the data entered to their finding rather than a
    /// second one.
    pub(super) fn ruff_equivalents(self) -> &'static [&'static str] {
        match self {
            Family::Sql => &["S608", "S610", "S611", "LOOM608"],
            Family::Shell => &["S601", "S602", "S603", "S604", "S605", "S606", "S607", "S609", "LOOM601", "LOOM605"],
            Family::Code => &["S102", "S307"],
            Family::Template => &["S701", "S702"],
            Family::Url => &["S310"],
            Family::Html => &["S308", "LOOM703"],
            Family::Path
            | Family::Probe
            | Family::Redirect
            | Family::Ldap
            | Family::Session
            | Family::Xpath
            | Family::Xxe
            | Family::NoSql
            | Family::Regex
            | Family::Log => &[],
        }
    }

    fn severity(self) -> Severity {
        match self {
            Family::Shell | Family::Code => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

/// The flow finding for `call` if it is a sink that a non-constant value
/// reaches, with the family it belongs to.
pub(super) fn check(scope: &Scope, call: &ExprCall, path: &Path) -> Option<(Family, Finding)> {
    let Sink { family, name, args, cwe } = sink(scope, call)?;
    let value = args.iter().flat_map(|a| parts(a)).map(|a| scope.eval(a)).find(|v| reaches(family, v))?;
    let mut finding = finding(family, &name, value, range(call), path);
    finding.url = Some(format!("https://cwe.mitre.org/data/definitions/{cwe}.html"));
    Some((family, finding))
}

/// A call that is a sink: its family, its short name, the arguments that
/// matter and the weakness.
struct Sink<'c> {
    family: Family,
    name: String,
    args: Vec<&'c Expr>,
    cwe: u32,
}

/// A template rendered with a whole namespace as its context
/// (`render(request, "page.html", locals())`): every name in it, secrets
/// and settings included, reaches the template.
pub(super) fn namespace_context(scope: &Scope, call: &ExprCall) -> Option<Finding> {
    let name = scope.names.qualified(&call.func)?;
    if !RENDERS.contains(&name.as_str()) && !name.ends_with("Template.render") {
        return None;
    }
    let arguments = call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value));
    let namespace = arguments.filter_map(|a| scope.eval(a).made_by).find(|m| matches!(m.as_str(), "globals" | "locals" | "vars"))?;
    let message = format!("`{}` renders with `{namespace}()` as its context: every name in it reaches the template; pass only what it shows", short(&name));
    let mut finding = Finding::new(range(call), "LOOM628", Category::Security, Severity::Warning, message);
    finding.confidence = Some(Confidence::High);
    Some(finding)
}

/// The HTML part of an email taken from the client as it is
/// (`send_mail(..., html_message=request.POST["body"])`): the site sends
/// their markup under its own name.
pub(super) fn html_email(scope: &Scope, call: &ExprCall, path: &Path) -> Option<Finding> {
    let name = scope.callee(&call.func).0?;
    if !HTML_MAILS.contains(&name.as_str()) {
        return None;
    }
    let value = scope.eval(&call.arguments.find_keyword("html_message")?.value);
    (value.sure() == Some(Confidence::High) && value.escaping() != Escaped::Html).then(|| finding(Family::Html, short(&name), value, range(call), path))
}

/// Every field of a model set from what the client sent
/// (`Model.objects.create(**request.POST)`): the client chooses which
/// fields, `is_admin` included.
///
/// Also a dict the program filled with its own keys, then updated with a
/// mapping the client sent (`data = {"username": user}` then
/// `data.update(request.get_json())`): the client may overwrite any of
/// them. A mapping whose keys the program wrote (`{"text": x}`) chooses
/// no key; an empty dict has none to lose.
pub(super) fn mass_assignment(scope: &Scope, call: &ExprCall, path: &Path) -> Option<Finding> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    let client_data = |expr: &Expr| scope.eval(expr).entry.filter(|e| e.sure == Confidence::High && e.escaped == Escaped::No);
    let (entry, message) = if let Some(key) = own_dict_key(scope, method) {
        let [mapping] = call.arguments.args.as_ref() else { return None };
        if scope.eval(mapping).items.is_some() {
            return None;
        }
        let entry = client_data(mapping)?;
        let message = format!("`.update` with {} lets the client overwrite the entries the program set (`{key}`); copy the fields it may set", entry.what);
        (entry, message)
    } else if MASS_ASSIGNERS.contains(&method.attr.as_str()) {
        let spread = call.arguments.keywords.iter().find(|k| k.arg.is_none())?;
        let entry = client_data(&spread.value)?;
        let message = format!("`.{}` sets every field the client names from {}; list the fields it may set", method.attr.as_str(), entry.what);
        (entry, message)
    } else {
        return None;
    };
    let mut finding = Finding::new(range(call), "LOOM629", Category::Security, Severity::Warning, message);
    finding.confidence = Some(Confidence::High);
    finding.related.push(Related { file: path.to_owned(), range: entry.range, message: format!("{} enters here", entry.what) });
    Some(finding)
}

/// The first key of the dict `receiver.update` is called on, when the
/// program built it with constant keys.
fn own_dict_key(scope: &Scope, method: &ExprAttribute) -> Option<String> {
    if method.attr.as_str() != "update" {
        return None;
    }
    let Some(Items::Dict(entries)) = scope.eval(&method.value).items.map(|items| *items) else { return None };
    match entries.first()? {
        (Const::Str(key), _) => Some(key.clone()),
        (Const::Int(key), _) => Some(key.to_string()),
        (Const::Bool(key), _) => Some(if *key { "True" } else { "False" }.to_owned()),
    }
}

/// A shell call through a local that holds a lookup by name
/// (`m = __import__("os")` then `m.system(...)`), which no data reaches.
pub(super) fn hidden_shell(scope: &Scope, call: &ExprCall, path: &Path) -> Option<Finding> {
    let (Some(name), Some(at)) = scope.callee(&call.func) else { return None };
    if !models::is_shell_call(&name) {
        return None;
    }
    let mut finding = Finding::new(range(call), "LOOM605", Category::Security, Severity::Warning, security::hidden_shell_message(&name));
    finding.confidence = Some(Confidence::High);
    finding.related.push(Related { file: path.to_owned(), range: at, message: format!("`{name}` looked up here") });
    Some(finding)
}

/// A string a Flask view returns is the HTML of its response.
pub(super) fn returned_html(value: Value, at: &Expr, path: &Path) -> Option<Finding> {
    reaches(Family::Html, &value).then(|| finding(Family::Html, "return", value, range(at), path))
}

/// HTML (text with a tag) built from request data and stored away.
pub(super) fn stored_html(value: Value, at: &Expr, path: &Path) -> Option<Finding> {
    let tag = value.text.find('<').is_some_and(|i| value.text[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/'));
    (tag && reaches(Family::Html, &value)).then(|| finding(Family::Html, "", value, range(at), path))
}

pub(super) fn finding(family: Family, sink: &str, value: Value, at: std::ops::Range<usize>, path: &Path) -> Finding {
    let sure = confidence(family, &value);
    let what = value.entry.as_ref().map_or("a constant", |e| e.what.as_str());
    let message = match family {
        Family::Sql => format!("SQL query built from {what} reaches `{sink}`; pass the values as query parameters"),
        Family::Shell => format!("Command built from {what} reaches `{sink}`; pass an argument list and validate it"),
        Family::Code => format!("Code from {what} reaches `{sink}`"),
        Family::Template => format!("Template built from {what} reaches `{sink}`; pass the values as context instead"),
        Family::Url if plain_scheme(&value) == Some("ftp") => format!("`{sink}` opens an unencrypted `ftp://` URL; use SFTP or FTPS"),
        Family::Url if plain_scheme(&value) == Some("http") => format!("`{sink}` opens an unencrypted `http://` URL; use `https://`"),
        Family::Url => format!("URL from {what} reaches `{sink}`; it may use `file://` or reach internal hosts"),
        Family::Html if sink.is_empty() => format!("HTML built from {what} unescaped; escape it or render a template"),
        Family::Html => {
            let built = if value.built { "built " } else { "" };
            format!("HTML {built}from {what} reaches `{sink}` unescaped; escape it or render a template")
        }
        Family::Path | Family::Probe => format!("File path from {what} reaches `{sink}`; it may leave the intended folder (`../`)"),
        Family::Redirect => format!("Redirect to a URL from {what} (`{sink}`) may send users to another site; check it with `url_has_allowed_host_and_scheme`"),
        Family::Ldap => format!("LDAP filter built from {what} reaches `{sink}`; escape the value (`ldap3.utils.conv.escape_filter_chars`)"),
        Family::Session => format!("{} is stored in the {sink} unchecked: later requests trust it as the program's own", capitalised(what)),
        Family::Xpath => format!("XPath expression built from {what} reaches `{sink}`; pass the value as an XPath variable"),
        Family::Xxe => format!("XML from {what} is parsed by `{sink}` with external entities turned on: it may read local files or reach internal hosts"),
        Family::Log => format!(
            "{} is written to the log by `{sink}` as it is: a line break in it forges log entries; remove line breaks (`.replace(\"\\n\", \"\")`) or log it with `%r`",
            capitalised(what)
        ),
        Family::Regex => format!(
            "Regular expression from {what} reaches `{sink}`: a pattern the client writes may backtrack for minutes (`(a+)+$`); escape it (`re.escape`) or match the text literally"
        ),
        Family::NoSql => {
            format!(
                "MongoDB filter from {what} reaches `{sink}`: an operator in it (`{{\"$ne\": \"\"}}`) matches every document; build the filter from checked values"
            )
        }
    };
    let mut finding = Finding::new(at, family.code(), Category::Security, family.severity(), message);
    finding.confidence = Some(sure);
    if let (Some(scheme), Some(written)) = (plain_scheme(&value).filter(|_| family == Family::Url), &value.written) {
        finding.related.push(Related { file: path.to_owned(), range: written.clone(), message: format!("the `{scheme}://` URL is written here") });
    }
    // Where a URL is put together around the data (its host may be the
    // attacker's), besides where the data entered.
    if let (Family::Url, true, None, Some(built)) = (family, value.built && value.entry.is_some(), plain_scheme(&value), &value.written) {
        finding.related.push(Related { file: path.to_owned(), range: built.clone(), message: "the URL is built here".into() });
    }
    if let Some(entry) = value.entry {
        finding.related.push(Related { file: path.to_owned(), range: entry.range, message: format!("{} enters here", entry.what) });
    }
    finding
}

/// Which family `call` is a sink of, its short name, and the arguments
/// that matter.
fn sink<'c>(scope: &Scope, call: &'c ExprCall) -> Option<Sink<'c>> {
    sink_named(scope, call, &scope.callee(&call.func).0.unwrap_or_default())
}

/// [`sink`] for a call whose callee's name is known.
fn sink_named<'c>(scope: &Scope, call: &'c ExprCall, name: &str) -> Option<Sink<'c>> {
    let names = scope.names;
    let args = &call.arguments;
    let first = |keywords: &[&str]| -> Vec<&'c Expr> {
        args.args.first().into_iter().chain(keywords.iter().filter_map(|k| args.find_keyword(k).map(|k| &k.value))).collect()
    };
    let method = match call.func.as_ref() {
        Expr::Attribute(a) => a.attr.as_str(),
        _ => "",
    };
    let uses_sqlalchemy = names.imports("sqlalchemy") || names.imports("flask_sqlalchemy");
    let model = models::unsafe_sink(model(scope, call, name), call);
    let found = match (name, method) {
        (_, "execute" | "executemany" | "executescript" | "mogrify" | "exec_driver_sql") => {
            (Family::Sql, format!(".{method}"), first(&["sql", "query", "operation", "statement"]))
        }
        // asyncpg and pg8000 run queries through methods of their own.
        (_, "fetch" | "fetchrow" | "fetchval" | "prepare" | "copy_from_query" | "cursor") if names.imports("asyncpg") => {
            (Family::Sql, format!(".{method}"), first(&["query"]))
        }
        (_, "run") if names.imports("pg8000") => (Family::Sql, ".run".into(), first(&["sql"])),
        (_, "raw") => (Family::Sql, ".raw".into(), first(&["raw_query"])),
        // A filter without `$where` may still be the client's (the models).
        (_, m) if MONGO_FILTERS.contains(&m) && (names.imports("pymongo") || names.imports("motor")) && !where_clauses(mongo_filter(call)).is_empty() => {
            (Family::Code, "$where".into(), where_clauses(mongo_filter(call)))
        }
        (_, "extra") => (Family::Sql, ".extra".into(), EXTRA_SQL.iter().filter_map(|k| args.find_keyword(k).map(|k| &k.value)).collect()),
        (_, "read_sql" | "read_sql_query") => (Family::Sql, method.into(), first(&["sql"])),
        (n, _) if n.ends_with("RawSQL") => (Family::Sql, "RawSQL".into(), first(&["sql"])),
        ("sqlalchemy.text" | "sqlalchemy.sql.text" | "sqlalchemy.sql.expression.text", _) => (Family::Sql, "text".into(), first(&[])),
        ("sqlalchemy.literal_column" | "sqlalchemy.sql.literal_column" | "sqlalchemy.sql.expression.literal_column", _) => {
            (Family::Sql, "literal_column".into(), first(&["text"]))
        }
        ("text", _) if uses_sqlalchemy => (Family::Sql, "text".into(), first(&[])),
        (_, "order_by" | "group_by" | "filter" | "having" | "where") if uses_sqlalchemy => (Family::Sql, format!(".{method}"), args.args.iter().collect()),
        // A logger by its usual names: what it is made by is rarely in view.
        _ if keys::is_log_call(name) => (Family::Log, name.into(), log_format::not_repr(&args.args)),
        _ if model.is_some() => {
            let model = model?;
            let family = model.family?;
            let shown = match family {
                // Matched by the method and what the receiver is.
                _ if model.name != name => format!(".{method}"),
                Family::Html | Family::Redirect | Family::Xpath => short(name).into(),
                Family::Code => name.trim_start_matches("builtins.").into(),
                _ => name.into(),
            };
            return Some(Sink { family, name: shown, args: model.arguments(call), cwe: model.cwe.unwrap_or(family.cwe()) });
        }
        // An event loop's `subprocess_shell(factory, cmd)` / `subprocess_exec(factory, *args)`.
        (_, "subprocess_shell" | "subprocess_exec") if names.imports("asyncio") => {
            (Family::Shell, format!(".{method}"), args.args.iter().skip(1).chain(args.find_keyword("cmd").map(|k| &k.value)).collect())
        }
        // `from x import eval` may rebind the name, yet `eval(...)` still reads as running code.
        _ if matches!(call.func.as_ref(), Expr::Name(f) if matches!(f.id.as_str(), "eval" | "exec")) => (Family::Code, written(call), first(&["source"])),
        // `globals().get(name)`: any function of the module, chosen by the data.
        (_, "get") if made_by(scope, call, &["globals", "locals", "vars"]) => (Family::Code, format!("{}().get", receiver_maker(scope, call)), first(&[])),
        (_, "from_string") if names.imports("jinja2") || names.imports("django") => (Family::Template, ".from_string".into(), first(&["source"])),
        // `requests.get(url)`, or `get(url)` after `from requests import get`.
        (n, _) if HTTP_METHODS.contains(&short(n)) && HTTP_CLIENTS.iter().any(|c| n.strip_prefix(c).is_some_and(|r| r.starts_with('.'))) => {
            (Family::Url, n.into(), url_argument(call, short(n)))
        }
        (_, m) if HTTP_METHODS.contains(&m) && made_by(scope, call, HTTP_SESSIONS) => (Family::Url, format!(".{m}"), url_argument(call, m)),
        (_, m) if INTERPRETER_METHODS.contains(&m) && made_by(scope, call, INTERPRETERS) => (Family::Code, format!(".{m}"), first(&["source"])),
        (n, m) if LDAP_SEARCHES.contains(&m) && (names.imports("ldap3") || names.imports("ldap")) && !n.starts_with("re.") => {
            let (position, keyword) = if m == "search" && names.imports("ldap3") { (1, "search_filter") } else { (2, "filterstr") };
            (Family::Ldap, format!(".{m}"), args.find_argument_value(keyword, position).into_iter().collect())
        }
        (_, "xpath") if names.imports("lxml") => (Family::Xpath, ".xpath".into(), first(&["_path"])),
        (n, _) if XML_PARSES.contains(&n) && args.find_argument_value("parser", 1).is_some_and(|p| entities_on(scope, p)) => {
            (Family::Xxe, short(n).into(), first(&["string", "text", "source", "file"]))
        }
        (_, "parse" | "feed") if matches!(call.func.as_ref(), Expr::Attribute(a) if entities_on(scope, &a.value)) => {
            (Family::Xxe, format!(".{method}"), first(&["source", "data"]))
        }
        (_, m) if (PATH_METHODS.contains(&m) || PROBE_METHODS.contains(&m)) && made_by(scope, call, PATHS) => {
            let Expr::Attribute(a) = call.func.as_ref() else { return None };
            let family = if PROBE_METHODS.contains(&m) { Family::Probe } else { Family::Path };
            (family, format!("Path.{m}"), vec![a.value.as_ref()])
        }
        (_, "open" | "retrieve") if made_by(scope, call, OPENERS) => (Family::Url, format!(".{method}"), first(&["fullurl", "url"])),
        (n, _) if matches!(short(n), "run_in_executor" | "to_thread" | "submit") => {
            return handed_over(scope, call, short(n)).map(|(family, name, args)| Sink { family, name, args, cwe: family.cwe() });
        }
        _ => return None,
    };
    let (family, name, args) = found;
    Some(Sink { family, name, args, cwe: family.cwe() })
}

/// The model of the call whose callee's qualified name is `name`: by that
/// name, or by its method and the maker of its receiver.
fn model(scope: &Scope, call: &ExprCall, name: &str) -> Option<&'static models::Model> {
    let Expr::Attribute(a) = call.func.as_ref() else { return models::sink(name, None, |m| scope.names.imports(m)) };
    let method = a.attr.as_str();
    // Only a method some model names is worth evaluating the receiver for.
    let maker = || if METHOD_MODELS.contains(method) { scope.eval(&a.value).made_by } else { None };
    models::sink(name, None, |m| scope.names.imports(m)).or_else(|| {
        let maker = maker();
        models::sink(name, Some((method, maker.as_deref().map(|m| m.trim_end_matches("()")))), |m| scope.names.imports(m))
    })
}

/// The methods the models name (`exec_command` of `paramiko.SSHClient.exec_command`).
static METHOD_MODELS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| models::sink_keys().collect());

/// The last part of every callee [`sink_named`] can take for a sink: the
/// method called (`.execute`), or the last segment of the callee's
/// qualified name (`system` of `os.system`). Most calls are none of these,
/// and are answered here instead of by every arm of `sink_named` in turn
/// (the largest share of the flow's prefilter). An arm added there needs
/// its method or name here; the catalog's lists are taken in whole, and the
/// flow tests of a family fail when its names are missing.
static SINK_KEYS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    const METHODS: &[&str] = &[
        "execute",
        "executemany",
        "executescript",
        "mogrify",
        "exec_driver_sql",
        "fetch",
        "fetchrow",
        "fetchval",
        "prepare",
        "copy_from_query",
        "cursor",
        "run",
        "raw",
        "extra",
        "read_sql",
        "read_sql_query",
        "order_by",
        "group_by",
        "filter",
        "having",
        "where",
        "subprocess_shell",
        "subprocess_exec",
        "get",
        "from_string",
        "xpath",
        "parse",
        "feed",
        "open",
        "retrieve",
    ];
    const NAMES: &[&str] = &["text", "literal_column", "run_string", "eval", "exec", "run_in_executor", "to_thread", "submit"];
    let methods = [METHODS, NAMES, HTTP_METHODS, MONGO_FILTERS, INTERPRETER_METHODS, LDAP_SEARCHES, PATH_METHODS, PROBE_METHODS, keys::LOG_METHODS];
    XML_PARSES.iter().map(|n| short(n)).chain(models::sink_keys()).chain(methods.into_iter().flatten().copied()).collect()
});

/// Whether [`sink_named`] may take `call` (callee `name`) for a sink: its
/// method or the last segment of its name is one a sink has.
fn may_name_a_sink(call: &ExprCall, name: &str) -> bool {
    let last = match call.func.as_ref() {
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        // `eval(...)` reads as running code whatever the name is bound to.
        Expr::Name(f) if matches!(f.id.as_str(), "eval" | "exec") => return true,
        _ => short(name),
    };
    last.ends_with("RawSQL") || SINK_KEYS.contains(last)
}

/// Whether `call`, whose callee's qualified name is `name` (empty when it
/// has none), may be a sink from its name alone (what the receiver holds is
/// not known yet).
///
/// The scope the last arm asks in (no names bound yet) is made only for
/// the few calls that get there: making and dropping one for each call the
/// security walk meets was an eighth of the prefilter's work on Django.
pub(super) fn may_be_sink(names: &Names, call: &ExprCall, name: &str) -> bool {
    let imports = |modules: &[&str]| modules.iter().any(|m| names.imports(m));
    match call.func.as_ref() {
        Expr::Attribute(a) if matches!(a.attr.as_str(), "open" | "retrieve") && imports(&["urllib", "urllib2", "six"]) => true,
        Expr::Attribute(a) if HTTP_METHODS.contains(&a.attr.as_str()) && imports(HTTP_CLIENTS) => true,
        Expr::Attribute(a) if INTERPRETER_METHODS.contains(&a.attr.as_str()) && imports(&["code"]) => true,
        Expr::Attribute(a) if METHOD_MODELS.contains(a.attr.as_str()) && models::may_be_method_sink(a.attr.as_str(), |m| names.imports(m)) => true,
        // Which parser has external entities on is known only in the walk.
        Expr::Attribute(a) if a.attr.as_str() == "setFeature" => true,
        Expr::Attribute(a) if (PATH_METHODS.contains(&a.attr.as_str()) || PROBE_METHODS.contains(&a.attr.as_str())) && imports(&["pathlib"]) => true,
        // What `.get` is called on is known only in the walk: a file that
        // never takes its namespace has no such sink.
        Expr::Name(f) if matches!(f.id.as_str(), "globals" | "locals" | "vars") => true,
        Expr::Attribute(a) if MASS_ASSIGNERS.contains(&a.attr.as_str()) && call.arguments.keywords.iter().any(|k| k.arg.is_none()) => true,
        // A module or function looked up by name may be called later.
        _ if names.dynamic(call).is_some() => true,
        // A view that renders a template may store HTML in its context.
        _ => {
            RENDERS.contains(&name)
                || name.ends_with("Template.render")
                || HTML_MAILS.contains(&name)
                || (may_name_a_sink(call, name) && {
                    let (no_helpers, empty) = (FxHashMap::default(), FxHashMap::default());
                    sink_named(&Scope::new(names, &empty, &no_helpers), call, name).is_some()
                })
        }
    }
}

/// A code or shell sink handed to another call that runs it with the
/// arguments after it: `loop.run_in_executor(None, exec, code)`,
/// `asyncio.to_thread(os.system, cmd)`, `executor.submit(eval, src)`.
fn handed_over<'c>(scope: &Scope, call: &'c ExprCall, runner: &str) -> Option<(Family, String, Vec<&'c Expr>)> {
    let position = usize::from(runner == "run_in_executor");
    let function = scope.names.qualified(call.arguments.args.get(position)?)?;
    let rest = &call.arguments.args[position + 1..];
    let model = models::sink(&function, None, |_| false).filter(|m| matches!(m.family, Some(Family::Code | Family::Shell)))?;
    let args = if model.takes_all() { rest.iter().collect() } else { rest.iter().take(1).collect() };
    Some((model.family?, format!("{runner}({})", function.trim_start_matches("builtins.")), args))
}

/// Whether `parser` names an XML parser the function turned external
/// entities on for.
fn entities_on(scope: &Scope, parser: &Expr) -> bool {
    parser.as_name_expr().is_some_and(|n| scope.entities.iter().any(|e| e == n.id.as_str()))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn written(call: &ExprCall) -> String {
    call.func.as_name_expr().map(|n| n.id.to_string()).unwrap_or_default()
}

fn receiver_maker(scope: &Scope, call: &ExprCall) -> String {
    let Expr::Attribute(a) = call.func.as_ref() else { return String::new() };
    scope.eval(&a.value).made_by.unwrap_or_default()
}

/// Whether the receiver of the method `call` was made by one of `makers`.
fn made_by(scope: &Scope, call: &ExprCall, makers: &[&str]) -> bool {
    let Expr::Attribute(a) = call.func.as_ref() else { return false };
    scope.eval(&a.value).made_by.is_some_and(|m| makers.iter().any(|o| m.trim_end_matches("()") == *o))
}

/// The URL of an HTTP client call: `request(method, url)` and
/// `requests.Request(method, url)` take it second.
fn url_argument<'c>(call: &'c ExprCall, method: &str) -> Vec<&'c Expr> {
    let position = usize::from(matches!(method, "request" | "Request"));
    call.arguments.find_argument_value("url", position).into_iter().collect()
}

/// The filter of a MongoDB collection method.
fn mongo_filter(call: &ExprCall) -> Option<&Expr> {
    call.arguments.args.first().or_else(|| call.arguments.find_keyword("filter").map(|k| &k.value))
}

/// The JavaScript of the `$where` clauses of a MongoDB filter written in
/// place, at its top level or under `$and`/`$or`.
fn where_clauses(filter: Option<&Expr>) -> Vec<&Expr> {
    let Some(Expr::Dict(dict)) = filter else { return Vec::new() };
    let key = |item: &ruff_python_ast::DictItem| match &item.key {
        Some(Expr::StringLiteral(k)) => k.value.to_str().to_owned(),
        _ => String::new(),
    };
    dict.items
        .iter()
        .flat_map(|item| match key(item).as_str() {
            "$where" => vec![&item.value],
            "$and" | "$or" | "$nor" => parts(&item.value).into_iter().flat_map(|p| where_clauses(Some(p))).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// The elements of a literal collection, each checked on its own (Django's
/// `.extra(where=[...])`, a command as an argument list).
fn parts(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::List(l) => l.elts.iter().collect(),
        Expr::Tuple(t) => t.elts.iter().collect(),
        Expr::Dict(d) => d.items.iter().map(|i| &i.value).collect(),
        _ => vec![expr],
    }
}
