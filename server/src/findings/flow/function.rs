//! Where a function's walk starts: what its parameters hold (a web
//! route's parts of the URL, a Lambda handler's event, the program's own
//! receiver), the names it checks as safe redirect targets and the XML
//! parsers it opens to external entities.

use rustc_hash::FxHashMap;

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{Expr, ExprCall, StmtFunctionDef};

use super::eval::Scope;
use super::helpers::Helper;
use super::models;
use super::sinks::Family;
use super::value::{Value, range};
use super::{Calls, Report, Walk};
use crate::findings::Confidence;
use crate::findings::names::Names;

impl<'a, 'f> Walk<'a, 'f> {
    /// A function's walk, its parameters holding values that entered from
    /// the caller (with their default's text: `url="ftp://..."`).
    pub(super) fn function(
        names: &'a Names,
        globals: &'a FxHashMap<String, Value>,
        helpers: &'a FxHashMap<String, Helper>,
        function: &'a StmtFunctionDef,
        report: Report<'f>,
    ) -> Self {
        let mut scope = Scope::new(names, globals, helpers);
        let mut calls = Calls::default();
        calls.visit_body(&function.body);
        // Each callee's name qualified once for both.
        let callees: Vec<(&ExprCall, String)> = calls.0.iter().filter_map(|call| Some((*call, names.qualified(&call.func)?))).collect();
        scope.vetted = vetted_urls(&callees);
        scope.redirected = redirect_targets(&callees);
        scope.entities = external_entities(names, &calls.0);
        let routed = is_route(names, function);
        let tool = is_tool(names, function);
        // An AWS Lambda handler, `def handler(event, context)`: the event is
        // the caller's request.
        let lambda = matches!(function.parameters.args.as_slice(), [e, c] if e.parameter.name.as_str() == "event" && c.parameter.name.as_str() == "context");
        for parameter in function.parameters.iter() {
            let name = parameter.name();
            // A route parameter the framework converts to a number or a
            // UUID carries no text of the client's: as harmless as `int(x)`.
            if routed && is_typed(function, name.as_str(), parameter.annotation()) {
                scope.locals.insert(name.to_string(), Value::some_constant());
                continue;
            }
            // The receiver is the program's own object, not the caller's
            // data; a route's parameters are parts of the requested URL.
            let (sure, what) = match name.as_str() {
                "self" | "cls" => (Confidence::Low, "parameter"),
                _ if routed => (Confidence::High, "route parameter"),
                _ if tool => (Confidence::High, "tool argument"),
                "event" if lambda => (Confidence::High, "Lambda event"),
                _ => (Confidence::Medium, "parameter"),
            };
            let mut value = Value::parameter(name, format!("{what} `{name}`"), sure);
            if let Some(Expr::StringLiteral(default)) = parameter.default() {
                value.text = default.value.to_str().to_owned();
                value.written = Some(range(default));
            }
            scope.locals.insert(name.to_string(), value);
        }
        if routed && names.imports("flask") {
            scope.route = fixed_route(function);
        }
        let mut walk = Walk::new(scope, report);
        walk.html_view = routed && (names.imports("flask") || answers_html(names, function));
        walk
    }
}

/// A view of a web framework: `@app.route(...)`, `@router.get(...)`.
pub(in crate::findings) fn is_route(names: &Names, function: &StmtFunctionDef) -> bool {
    let web = ["flask", "fastapi", "quart", "sanic"].iter().any(|m| names.imports(m));
    web && function.decorator_list.iter().any(|d| {
        matches!(&d.expression, Expr::Call(call) if matches!(call.func.as_ref(),
            Expr::Attribute(a) if matches!(a.attr.as_str(), "route" | "get" | "post" | "put" | "patch" | "delete")))
    })
}

/// A FastAPI route declared to answer with HTML
/// (`@app.get("/", response_class=HTMLResponse)`): the string its view
/// returns is the page.
fn answers_html(names: &Names, function: &StmtFunctionDef) -> bool {
    function.decorator_list.iter().any(|d| {
        matches!(&d.expression, Expr::Call(call) if call.arguments.find_keyword("response_class")
            .and_then(|k| names.qualified(&k.value))
            .is_some_and(|class| matches!(class.as_str(), "fastapi.responses.HTMLResponse" | "starlette.responses.HTMLResponse")))
    })
}

/// A tool, resource or prompt an MCP server offers its client
/// (`@mcp.tool()`, `@server.call_tool()`): the client's model chooses every
/// argument.
fn is_tool(names: &Names, function: &StmtFunctionDef) -> bool {
    let mcp = ["mcp", "fastmcp"].iter().any(|m| names.imports(m));
    mcp && function.decorator_list.iter().any(|d| {
        let decorator = match &d.expression {
            Expr::Call(call) => call.func.as_ref(),
            other => other,
        };
        matches!(decorator, Expr::Attribute(a) if matches!(a.attr.as_str(), "tool" | "call_tool" | "resource" | "prompt"))
    })
}

/// Whether a route's parameter is converted to a number or a UUID before
/// the view sees it: Flask's `<int:id>`/`<float:x>`/`<uuid:u>` in the
/// route, or FastAPI's annotation `id: int`.
fn is_typed(function: &StmtFunctionDef, name: &str, annotation: Option<&Expr>) -> bool {
    const TYPES: &[&str] = &["int", "float", "bool", "UUID"];
    let annotated = annotation.and_then(|a| match a {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    });
    let converted = function.decorator_list.iter().any(|d| {
        let Expr::Call(call) = &d.expression else { return false };
        let Some(Expr::StringLiteral(route)) = call.arguments.args.first() else { return false };
        ["int", "float", "uuid"].iter().any(|c| route.value.to_str().contains(&format!("<{c}:{name}>")))
    });
    converted || annotated.is_some_and(|a| TYPES.contains(&a))
}

/// The names a function checks with Django's URL validators
/// (`url_has_allowed_host_and_scheme(url=next, ...)`): a redirect to them
/// is checked, whichever way the check's result is used.
/// `callees` are the function's calls with a qualified callee, each with
/// its name.
fn vetted_urls(callees: &[(&ExprCall, String)]) -> Vec<String> {
    callees
        .iter()
        .filter(|(_, name)| name.ends_with("is_safe_url") || name.ends_with("url_has_allowed_host_and_scheme"))
        .filter_map(|(call, _)| call.arguments.find_argument_value("url", 0)?.as_name_expr().map(|n| n.id.to_string()))
        .collect()
}

/// The names a function gives a redirect as its target (`redirect(url)`,
/// `HttpResponseRedirect(to=url)`); `callees` as [`vetted_urls`] takes them.
fn redirect_targets(callees: &[(&ExprCall, String)]) -> Vec<String> {
    callees
        .iter()
        .filter_map(|(call, name)| Some((*call, models::sink(name, None, |_| true).filter(|m| m.family == Some(Family::Redirect))?)))
        .flat_map(|(call, model)| model.arguments(call))
        .filter_map(|target| target.as_name_expr().map(|n| n.id.to_string()))
        .collect()
}

/// The names of XML parsers a function turns external entities on for
/// (`parser.setFeature(feature_external_ges, True)`).
fn external_entities(names: &Names, calls: &[&ExprCall]) -> Vec<String> {
    calls
        .iter()
        .filter_map(|call| {
            let Expr::Attribute(method) = call.func.as_ref() else { return None };
            let [feature, Expr::BooleanLiteral(on)] = call.arguments.args.as_ref() else { return None };
            let external = names.qualified(feature).is_some_and(|f| f.ends_with("feature_external_ges") || f.ends_with("feature_external_pes"));
            (method.attr.as_str() == "setFeature" && external && on.value).then(|| method.value.as_name_expr().map(|n| n.id.to_string()))?
        })
        .collect()
}

/// The rule of a Flask route without variable parts (`@app.route("/a")`):
/// the path of every request its view sees.
fn fixed_route(function: &StmtFunctionDef) -> Option<String> {
    let rules: Vec<&str> = function
        .decorator_list
        .iter()
        .filter_map(|d| match &d.expression {
            Expr::Call(call) => match call.arguments.args.first() {
                Some(Expr::StringLiteral(rule)) => Some(rule.value.to_str()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    match rules.as_slice() {
        [rule] if !rule.contains('<') => Some((*rule).to_owned()),
        _ => None,
    }
}
