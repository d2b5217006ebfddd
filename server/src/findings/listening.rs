//! Servers that listen on every interface, one model a line ([`SERVERS`]):
//! the standard library's servers and `socket.bind` given the host `""`
//! or `"::"` — the any-address of IPv4 and IPv6 — are reachable from every
//! network the machine is on (bandit's B104, LOOM104). `"0.0.0.0"` is
//! ruff's S104, which flags that literal wherever it is written; these are
//! the spellings it does not see. The host is read where it is written or
//! through a name bound once (`HOST, PORT = "", 9999`). Port 0, any free
//! port, is of low confidence: a probe for a port or a server for a test.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::bound::Bound;
use super::names::Names;
use super::{Category, Confidence, Finding, Severity};

/// Listening on every interface.
const BIND_ALL: &str = "LOOM104";

/// Where a server takes what it listens on.
enum Address {
    /// A `(host, port)` pair, by this keyword or at this position.
    Pair(&'static str, usize),
    /// The host alone.
    Host(&'static str, usize),
}

const SERVERS: &[(&str, Address)] = &[
    ("socket.create_server", Address::Pair("address", 0)),
    ("socketserver.TCPServer", Address::Pair("server_address", 0)),
    ("socketserver.UDPServer", Address::Pair("server_address", 0)),
    ("socketserver.ThreadingTCPServer", Address::Pair("server_address", 0)),
    ("socketserver.ThreadingUDPServer", Address::Pair("server_address", 0)),
    ("socketserver.ForkingTCPServer", Address::Pair("server_address", 0)),
    ("socketserver.ForkingUDPServer", Address::Pair("server_address", 0)),
    ("http.server.HTTPServer", Address::Pair("server_address", 0)),
    ("http.server.ThreadingHTTPServer", Address::Pair("server_address", 0)),
    ("xmlrpc.server.SimpleXMLRPCServer", Address::Pair("addr", 0)),
    ("xmlrpc.server.DocXMLRPCServer", Address::Pair("addr", 0)),
    ("wsgiref.simple_server.make_server", Address::Host("host", 0)),
];

/// A server of [`SERVERS`], or `sock.bind(address)` on a socket the code
/// makes (in place or in a name bound once), told to listen everywhere.
pub(super) fn call(names: &Names, call: &ExprCall, qualified: Option<&str>, bound: &Bound) -> Option<Finding> {
    let (what, at, host) = match SERVERS.iter().find(|(name, _)| Some(*name) == qualified) {
        Some((name, Address::Pair(keyword, position))) => {
            let at = call.arguments.find_argument_value(keyword, *position)?;
            (*name, at, pair(at, bound)?)
        }
        Some((name, Address::Host(keyword, position))) => {
            let at = call.arguments.find_argument_value(keyword, *position)?;
            let port = call.arguments.find_argument_value("port", position + 1);
            (*name, at, (text(at, bound)?, port.is_some_and(is_zero)))
        }
        None => {
            let at = socket_bind(names, call, bound)?;
            ("bind", at, pair(at, bound)?)
        }
    };
    let (host, any_port) = host;
    if !matches!(host.as_str(), "" | "::") {
        return None;
    }
    let short = what.rsplit('.').next().unwrap_or(what);
    let message = format!(
        "`{short}` listens on every interface (host `\"{host}\"`): anyone who can reach the machine can connect; bind to `127.0.0.1` or a chosen address"
    );
    let mut finding = Finding::new(at.start().to_usize()..at.end().to_usize(), BIND_ALL, Category::Security, Severity::Warning, message);
    // Port 0 asks for any free port: a probe for one, or a server for a
    // test, rarely a service others are meant to reach.
    finding.confidence = Some(if any_port { Confidence::Low } else { Confidence::Medium });
    Some(finding)
}

/// The address of `sock.bind(address)` on a socket made by `socket.socket`.
fn socket_bind<'c>(names: &Names, call: &'c ExprCall, bound: &Bound) -> Option<&'c Expr> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    let [address] = call.arguments.args.as_ref() else { return None };
    if method.attr.as_str() != "bind" {
        return None;
    }
    let made = match method.value.as_ref() {
        Expr::Name(n) => bound.value(n.id.as_str())?,
        other => other,
    };
    let Expr::Call(made) = made else { return None };
    let socket = match names.qualified(&made.func)?.as_str() {
        "socket.socket" => true,
        // `from socket import *` binds the class bare.
        "socket" => names.star_imports("socket"),
        _ => false,
    };
    socket.then_some(address)
}

/// The host of a `(host, port)` pair written in place or bound once, and
/// whether its port is 0.
fn pair(address: &Expr, bound: &Bound) -> Option<(String, bool)> {
    let pair = match address {
        Expr::Name(n) => bound.value(n.id.as_str())?,
        other => other,
    };
    match pair {
        Expr::Tuple(t) if t.elts.len() >= 2 => Some((text(&t.elts[0], bound)?, is_zero(&t.elts[1]))),
        _ => None,
    }
}

fn is_zero(port: &Expr) -> bool {
    matches!(port, Expr::NumberLiteral(n) if n.value.as_int().and_then(ruff_python_ast::Int::as_u64) == Some(0))
}

/// The text of a string written in place or bound once.
fn text(host: &Expr, bound: &Bound) -> Option<String> {
    let host = match host {
        Expr::Name(n) => bound.value(n.id.as_str())?,
        other => other,
    };
    host.as_string_literal_expr().map(|s| s.value.to_str().to_owned())
}
