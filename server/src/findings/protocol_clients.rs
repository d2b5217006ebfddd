//! The standard library's mail, news and file-transfer clients, one model
//! a line ([`CLIENTS`]): a client of a plain-text protocol (`smtplib.SMTP`,
//! `imaplib.IMAP4`, `poplib.POP3`, `nntplib.NNTP`) that sends credentials
//! (`login`, `auth`, `user`/`pass_`, …) before any `starttls`/`stls`
//! sends them readable by anyone on the path (LOOM661, CWE-319); a TLS
//! client (`SMTP_SSL`, `IMAP4_SSL`, `POP3_SSL`, `NNTP_SSL`, `FTP_TLS`) or
//! an upgrade (`starttls()`) given no `ssl.SSLContext`, or `None`, checks
//! no certificate at all: these modules default to
//! `ssl._create_stdlib_context()`, which is unverified (LOOM501; unlike
//! `http.client`, which verifies by default since Python 3.4.3).
//!
//! A client to this machine (`"localhost"`, `127.*`, `::1`, or `IMAP4()`'s
//! default host) crosses no network: such findings are of low confidence;
//! one to a host the code does not name (a parameter, a setting) may be
//! local too, and is of medium confidence.
//! A client passed to another call before it logs in may be upgraded
//! there, and is not judged.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::bound::Bound;
use super::names::Names;
use super::{Category, Confidence, Finding, Severity};

/// Credentials sent over a connection that has not started TLS.
const CLEARTEXT_LOGIN: &str = "LOOM661";
/// A certificate not checked.
const NO_CERT_VALIDATION: &str = "LOOM501";

/// How a client gets its TLS.
enum Tls {
    /// From the start: the constructor takes the context by this keyword
    /// (keyword-only since Python 3.12; before, at this position).
    Implicit { keyword: &'static str, position: usize },
    /// By an upgrade method, which takes the context by this keyword or
    /// at this position.
    Upgrade { method: &'static str, keyword: &'static str, position: usize },
}

struct Client {
    class: &'static str,
    tls: Tls,
    /// The methods that send the user's credentials.
    credentials: &'static [&'static str],
    /// Whether leaving the host out connects to this machine (`IMAP4()`)
    /// rather than to nothing yet (`SMTP()`, connected later).
    local_by_default: bool,
}

const SMTP_LOGIN: &[&str] = &["login", "auth"];
const IMAP_LOGIN: &[&str] = &["login", "login_cram_md5", "authenticate"];
const POP_LOGIN: &[&str] = &["user", "pass_", "apop", "rpop"];
const NNTP_LOGIN: &[&str] = &["login"];

const CLIENTS: &[Client] = &[
    Client {
        class: "smtplib.SMTP",
        tls: Tls::Upgrade { method: "starttls", keyword: "context", position: 2 },
        credentials: SMTP_LOGIN,
        local_by_default: false,
    },
    Client {
        class: "smtplib.LMTP",
        tls: Tls::Upgrade { method: "starttls", keyword: "context", position: 2 },
        credentials: SMTP_LOGIN,
        local_by_default: false,
    },
    Client {
        class: "imaplib.IMAP4",
        tls: Tls::Upgrade { method: "starttls", keyword: "ssl_context", position: 0 },
        credentials: IMAP_LOGIN,
        local_by_default: true,
    },
    Client { class: "poplib.POP3", tls: Tls::Upgrade { method: "stls", keyword: "context", position: 0 }, credentials: POP_LOGIN, local_by_default: false },
    Client {
        class: "nntplib.NNTP",
        tls: Tls::Upgrade { method: "starttls", keyword: "context", position: 0 },
        credentials: NNTP_LOGIN,
        local_by_default: false,
    },
    Client { class: "smtplib.SMTP_SSL", tls: Tls::Implicit { keyword: "context", position: 7 }, credentials: &[], local_by_default: false },
    Client { class: "imaplib.IMAP4_SSL", tls: Tls::Implicit { keyword: "ssl_context", position: 4 }, credentials: &[], local_by_default: true },
    Client { class: "poplib.POP3_SSL", tls: Tls::Implicit { keyword: "context", position: 5 }, credentials: &[], local_by_default: false },
    Client { class: "nntplib.NNTP_SSL", tls: Tls::Implicit { keyword: "ssl_context", position: 4 }, credentials: &[], local_by_default: false },
    Client { class: "ftplib.FTP_TLS", tls: Tls::Implicit { keyword: "context", position: 6 }, credentials: &[], local_by_default: false },
];

/// The modules of [`CLIENTS`]: a file that imports none of them is not walked.
const MODULES: &[&str] = &["smtplib", "imaplib", "poplib", "nntplib"];

/// `smtplib.SMTP_SSL(host)`: a TLS client made without a context.
pub(super) fn call(call: &ExprCall, qualified: Option<&str>, bound: &Bound) -> Option<Finding> {
    let client = CLIENTS.iter().find(|c| Some(c.class) == qualified)?;
    let Tls::Implicit { keyword, position } = client.tls else { return None };
    let short = short(client.class);
    unverified(call, keyword, position, bound).then(|| {
        let message = format!(
            "`{short}` without `{keyword}=` checks no certificate (the module's default context is unverified); pass `{keyword}=ssl.create_default_context()`"
        );
        on_host(finding(call, NO_CERT_VALIDATION, Confidence::High, message), host(client, call, bound))
    })
}

/// The findings of one scope's statements (a function's body, or the
/// module's top level without its functions): logins before `starttls`,
/// and upgrades without a context, on the clients the scope makes.
pub(super) fn scope(names: &Names, body: &[Stmt], bound: &Bound) -> Vec<Finding> {
    if !MODULES.iter().any(|m| names.imports(m)) {
        return Vec::new();
    }
    let mut walk = Scope { names, bound, clients: FxHashMap::default(), passed: Vec::new(), events: Vec::new() };
    walk.visit_body(body);
    let mut found = Vec::new();
    let mut upgraded: Vec<&str> = Vec::new();
    for event in walk.events {
        let (client, host) = match &event.receiver {
            Receiver::Name(name) if walk.passed.contains(name) => continue,
            Receiver::Name(name) => match walk.clients.get(name) {
                Some(Some(made)) => *made,
                _ => continue,
            },
            Receiver::Made(client, host) => (*client, *host),
        };
        let method = method_name(event.call);
        let short = short(client.class);
        match client.tls {
            Tls::Upgrade { method: upgrade, keyword, position } if method == upgrade => {
                if let Receiver::Name(name) = event.receiver {
                    upgraded.push(name);
                }
                if unverified(event.call, keyword, position, bound) {
                    let message = format!(
                        "`{upgrade}()` without `{keyword}=` checks no certificate (the module's default context is unverified); pass `{keyword}=ssl.create_default_context()`"
                    );
                    found.push(on_host(finding(event.call, NO_CERT_VALIDATION, Confidence::High, message), host));
                }
            }
            Tls::Upgrade { method: upgrade, keyword, .. } if client.credentials.contains(&method) => {
                if matches!(event.receiver, Receiver::Name(name) if upgraded.contains(&name)) {
                    continue;
                }
                let message = format!(
                    "`{method}` before `{upgrade}()` sends the credentials over `{short}` in plain text; call `{upgrade}({keyword}=ssl.create_default_context())` first"
                );
                found.push(on_host(finding(event.call, CLEARTEXT_LOGIN, Confidence::High, message), host));
            }
            _ => {}
        }
    }
    found
}

/// Whether a call that takes a TLS context gets none: the keyword (or
/// position) left out, `None`, or a name bound once to `None`. `**options`
/// may hold one.
fn unverified(call: &ExprCall, keyword: &str, position: usize, bound: &Bound) -> bool {
    if call.arguments.keywords.iter().any(|k| k.arg.is_none()) || call.arguments.args.iter().any(Expr::is_starred_expr) {
        return false;
    }
    match call.arguments.find_argument_value(keyword, position) {
        None => true,
        Some(Expr::NoneLiteral(_)) => true,
        Some(Expr::Name(n)) => matches!(bound.value(n.id.as_str()), Some(Expr::NoneLiteral(_))),
        Some(_) => false,
    }
}

/// Where a client connects.
#[derive(Clone, Copy)]
enum Host {
    /// This machine: no network to read the traffic on.
    Local,
    /// Another machine, named in the code.
    Elsewhere,
    /// A host the code does not name.
    Unknown,
}

fn host(client: &Client, made: &ExprCall, bound: &Bound) -> Host {
    let text = match made.arguments.find_argument_value("host", 0) {
        None if client.local_by_default => Some(""),
        None => None,
        Some(Expr::StringLiteral(s)) => Some(s.value.to_str()),
        Some(Expr::Name(n)) => match bound.value(n.id.as_str()) {
            Some(Expr::StringLiteral(s)) => Some(s.value.to_str()),
            _ => None,
        },
        Some(_) => None,
    };
    match text {
        Some(h) if h.is_empty() || h == "localhost" || h == "::1" || h.starts_with("127.") => Host::Local,
        Some(_) => Host::Elsewhere,
        None => Host::Unknown,
    }
}

/// The receiver of a method call the scope makes on a client.
enum Receiver<'s> {
    /// A name the scope binds to a client.
    Name(&'s str),
    /// A client made in place: `smtplib.SMTP(host).login(...)`.
    Made(&'static Client, Host),
}

struct Event<'s> {
    receiver: Receiver<'s>,
    call: &'s ExprCall,
}

struct Scope<'n, 'b, 'x, 's> {
    names: &'n Names,
    bound: &'n Bound<'b, 'x>,
    /// The names bound to a client (`None`: bound to something else too).
    clients: FxHashMap<&'s str, Option<(&'static Client, Host)>>,
    /// Names passed to a call: the callee may upgrade the connection.
    passed: Vec<&'s str>,
    /// The method calls on clients, in the order the code runs them.
    events: Vec<Event<'s>>,
}

impl<'s> Scope<'_, '_, '_, 's> {
    fn client(&self, value: &Expr) -> Option<(&'static Client, Host)> {
        let Expr::Call(made) = value else { return None };
        let name = self.names.qualified(&made.func)?;
        let client = CLIENTS.iter().find(|c| c.class == name)?;
        Some((client, host(client, made, self.bound)))
    }

    fn bind(&mut self, name: &'s str, value: Option<(&'static Client, Host)>) {
        self.clients.entry(name).and_modify(|v| *v = None).or_insert(value);
    }
}

impl<'s> Visitor<'s> for Scope<'_, '_, '_, 's> {
    fn visit_stmt(&mut self, stmt: &'s Stmt) {
        match stmt {
            // Their bodies are scopes of their own.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::Assign(assign) => {
                if let [Expr::Name(name)] = assign.targets.as_slice() {
                    let made = self.client(&assign.value);
                    self.bind(name.id.as_str(), made);
                }
            }
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(Expr::Name(name)) = item.optional_vars.as_deref() {
                        let made = self.client(&item.context_expr);
                        self.bind(name.id.as_str(), made);
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'s Expr) {
        if let Expr::Call(call) = expr {
            let arguments = call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value));
            self.passed.extend(arguments.filter_map(|a| a.as_name_expr()).map(|n| n.id.as_str()));
            if let Expr::Attribute(method) = call.func.as_ref() {
                let receiver = match method.value.as_ref() {
                    Expr::Name(name) => Some(Receiver::Name(name.id.as_str())),
                    made => self.client(made).map(|(client, host)| Receiver::Made(client, host)),
                };
                // Arguments run before the call they are given to.
                visitor::walk_expr(self, expr);
                if let Some(receiver) = receiver {
                    self.events.push(Event { receiver, call });
                }
                return;
            }
        }
        visitor::walk_expr(self, expr);
    }
}

fn method_name(call: &ExprCall) -> &str {
    match call.func.as_ref() {
        Expr::Attribute(method) => method.attr.as_str(),
        _ => "",
    }
}

fn short(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

/// The finding's confidence by where the client connects: low to this
/// machine, medium to a host the code does not name.
fn on_host(mut finding: Finding, host: Host) -> Finding {
    match host {
        Host::Local => {
            finding.confidence = Some(Confidence::Low);
            finding.message.push_str(" (low: the connection is to this machine)");
        }
        Host::Unknown => finding.confidence = Some(Confidence::Medium),
        Host::Elsewhere => {}
    }
    finding
}

fn finding(node: &impl Ranged, code: &str, confidence: Confidence, message: String) -> Finding {
    let mut finding = Finding::new(node.start().to_usize()..node.end().to_usize(), code, Category::Security, Severity::Warning, message);
    finding.confidence = Some(confidence);
    finding
}
