//! Exception details sent to the client (CWE-209, LOOM663): a web view
//! that, handling an exception, answers with its traceback
//! (`traceback.format_exc()`) or with the text of an exception it caught
//! whatever its type (`except Exception as e: return str(e), 500`). The
//! text of any exception names files, queries, hosts or settings an
//! attacker maps the program with; a narrow handler's
//! (`except ValueError as e`) is mostly the program's own message about
//! the input, so it is left alone. A traceback is sure (high), a broad
//! exception's text medium: a handler may know every error it meets is
//! the program's own. An error handler of any exception (Flask's
//! `@app.errorhandler(Exception)`, FastAPI's
//! `@app.exception_handler(Exception)`) answers with its parameter's. The
//! answer is what a view returns or a FastAPI view
//! raises (`HTTPException(detail=...)`), as itself or inside the
//! responses, dicts, tuples and strings that carry it; a call this module
//! does not know (`render_error(e)`) may show a generic page, so nothing
//! passed to one is reported.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{ExceptHandler, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::names::Names;
use super::{Category, Confidence, Finding, Severity};

const ERROR_DETAILS: &str = "LOOM663";

/// Calls that give the traceback of the exception being handled.
const TRACEBACKS: &[&str] = &["traceback.format_exc", "traceback.format_exception", "traceback.format_tb", "traceback.format_exception_only", "sys.exc_info"];

/// Calls whose result carries their arguments to the client as they are
/// (the text, or a response or JSON body made of it).
const CARRIERS: &[&str] = &[
    "str",
    "repr",
    "format",
    "dict",
    "flask.jsonify",
    "flask.make_response",
    "flask.Response",
    "werkzeug.Response",
    "werkzeug.wrappers.Response",
    "django.http.HttpResponse",
    "django.http.HttpResponseServerError",
    "django.http.HttpResponseBadRequest",
    "django.http.JsonResponse",
    "fastapi.responses.JSONResponse",
    "fastapi.responses.HTMLResponse",
    "fastapi.responses.PlainTextResponse",
    "starlette.responses.JSONResponse",
    "starlette.responses.HTMLResponse",
    "starlette.responses.PlainTextResponse",
    "starlette.responses.Response",
];

/// Exceptions raised to answer a FastAPI (Starlette) request.
const HTTP_EXCEPTIONS: &[&str] = &["fastapi.HTTPException", "fastapi.exceptions.HTTPException", "starlette.exceptions.HTTPException"];

/// The findings of `function` when it is a web view: a Flask, FastAPI,
/// Quart or Sanic route (`routed`), or a Django view (a function taking
/// `request` first, or a class-based view's `get`/`post`/... taking it
/// after `self`, in a file that imports Django).
pub(super) fn view(names: &Names, function: &StmtFunctionDef, routed: bool) -> Vec<Finding> {
    let mut parameters = function.parameters.posonlyargs.iter().chain(&function.parameters.args).map(|p| p.name().as_str());
    // A function view's `request`, or a class-based view's handler's
    // (`def get(self, request)`; not any helper method taking it).
    let handler = matches!(function.name.as_str(), "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "dispatch");
    let django = names.imports("django")
        && match (parameters.clone().next(), parameters.clone().nth(1)) {
            (Some("request"), _) => true,
            (Some("self"), Some("request")) => handler,
            _ => false,
        };
    let mut answers = Answers { names, handlers: Vec::new(), found: Vec::new() };
    // `@app.errorhandler(Exception) def failed(e)`, FastAPI's
    // `@app.exception_handler(Exception) def failed(request, exc)`: the whole
    // body handles any exception, the parameter holding it.
    let handled = function.decorator_list.iter().find_map(|d| {
        let Expr::Call(call) = &d.expression else { return None };
        let Expr::Attribute(a) = call.func.as_ref() else { return None };
        let at = match a.attr.as_str() {
            "errorhandler" => 0,
            "exception_handler" => 1,
            _ => return None,
        };
        // A handler of `500` is given the `InternalServerError`, whose text
        // is the generic page's.
        answers.catches_any(call.arguments.args.first()?).then_some(at)
    });
    if let Some(at) = handled {
        answers.handlers.push(Handler { broad_name: parameters.nth(at) });
    } else if !routed && !django {
        return Vec::new();
    }
    answers.visit_body(&function.body);
    answers.found
}

/// The handler an answer is given in: the name it binds, if the type it
/// catches is any exception.
struct Handler<'a> {
    broad_name: Option<&'a str>,
}

struct Answers<'a> {
    names: &'a Names,
    handlers: Vec<Handler<'a>>,
    found: Vec<Finding>,
}

impl<'a> Visitor<'a> for Answers<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // A nested function answers nothing by itself.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Try(block) => {
                self.visit_body(&block.body);
                for ExceptHandler::ExceptHandler(handler) in &block.handlers {
                    let broad = handler.type_.as_deref().is_none_or(|t| self.catches_any(t));
                    let broad_name = handler.name.as_ref().filter(|_| broad).map(|n| n.as_str());
                    self.handlers.push(Handler { broad_name });
                    self.visit_body(&handler.body);
                    self.handlers.pop();
                }
                self.visit_body(&block.orelse);
                self.visit_body(&block.finalbody);
            }
            Stmt::Return(ret) if !self.handlers.is_empty() => {
                if let Some(value) = &ret.value {
                    self.report(value);
                }
            }
            Stmt::Raise(raise) if !self.handlers.is_empty() => {
                let Some(Expr::Call(call)) = raise.exc.as_deref() else { return };
                if self.names.qualified(&call.func).is_some_and(|q| HTTP_EXCEPTIONS.contains(&q.as_str()))
                    && let Some(detail) = call.arguments.find_argument_value("detail", 1)
                {
                    self.report(detail);
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }
}

impl Answers<'_> {
    fn report(&mut self, answer: &Expr) {
        let Some((sure, what)) = self.reveals(answer) else { return };
        let message = format!(
            "The answer shows the client {what}, which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message"
        );
        let range = answer.range().start().to_usize()..answer.range().end().to_usize();
        let mut finding = Finding::new(range, ERROR_DETAILS, Category::Security, Severity::Warning, message);
        finding.confidence = Some(sure);
        self.found.push(finding);
    }

    /// Whether `expr` carries a traceback or a broad handler's exception,
    /// how sure that is and what it shows.
    fn reveals(&self, expr: &Expr) -> Option<(Confidence, String)> {
        match expr {
            Expr::Name(n) => self
                .handlers
                .iter()
                .any(|h| h.broad_name == Some(n.id.as_str()))
                .then(|| (Confidence::Medium, format!("the text of the exception `{}`", n.id.as_str()))),
            // `e.args`, `e.message`, `e.__class__.__name__`.
            Expr::Attribute(a) => self.reveals(&a.value),
            Expr::Call(call) => {
                let called = self.names.qualified(&call.func);
                if let Some(name) = called.as_deref().filter(|q| TRACEBACKS.contains(q)) {
                    return Some((Confidence::High, format!("the traceback (`{name}()`)")));
                }
                let carries = called.as_deref().is_some_and(|q| CARRIERS.contains(&q))
                    || matches!(call.func.as_ref(), Expr::Attribute(a) if matches!(a.attr.as_str(), "format" | "join"));
                if !carries {
                    return None;
                }
                call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)).find_map(|a| self.reveals(a))
            }
            Expr::FString(f) => f.value.elements().filter_map(|e| e.as_interpolation()).find_map(|i| self.reveals(&i.expression)),
            Expr::BinOp(op) => self.reveals(&op.left).or_else(|| self.reveals(&op.right)),
            Expr::Dict(dict) => dict.items.iter().find_map(|item| self.reveals(&item.value)),
            Expr::Tuple(t) => t.elts.iter().find_map(|e| self.reveals(e)),
            Expr::List(l) => l.elts.iter().find_map(|e| self.reveals(e)),
            _ => None,
        }
    }

    /// Whether an `except` clause's type catches every exception
    /// (`Exception`, `BaseException`, or a tuple holding one).
    fn catches_any(&self, caught: &Expr) -> bool {
        match caught {
            Expr::Tuple(t) => t.elts.iter().any(|e| self.catches_any(e)),
            _ => self
                .names
                .qualified(caught)
                .is_some_and(|q| matches!(q.as_str(), "Exception" | "BaseException" | "builtins.Exception" | "builtins.BaseException")),
        }
    }
}
