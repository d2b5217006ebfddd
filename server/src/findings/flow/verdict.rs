//! The verdict on a value that reaches a sink: whether it is worth a
//! finding for the sink's family (escaping that protects it, a fixed host,
//! the program's own environment) and how sure that finding is.

use super::models;
use super::sinks::Family;
use super::value::{Entry, Escaped, Value};
use crate::findings::{Confidence, security};

/// Whether `value` reaching a sink of `family` is worth a finding: a string
/// built with a part that is not a constant, or data straight from a source
/// or a parameter (not from an unknown call, which is mostly a constant
/// the analysis cannot see).
pub(super) fn reaches(family: Family, value: &Value) -> bool {
    if family == Family::Url && plain_scheme(value).is_some() {
        return true;
    }
    let Some(sure) = value.sure() else { return false };
    // Escaping protects HTML and quoted strings, not where a path leads,
    // where a redirect goes or what the session holds.
    let escaped = match family {
        Family::Redirect | Family::Session => false,
        Family::Path | Family::Probe => value.escaping() == Escaped::Path,
        Family::Xpath => matches!(value.escaping(), Escaped::Quotes | Escaped::Html),
        Family::Log => value.escaping() == Escaped::Lines,
        Family::Shell => value.escaping() == Escaped::Shell,
        // HTML escaping leaves `*`, `(` and `)` as they are.
        Family::Ldap => value.escaping() == Escaped::Ldap,
        // Any escaping gives a string, which holds no operator.
        Family::NoSql => value.escaping() != Escaped::No,
        _ => value.escaping() == Escaped::Html,
    };
    if escaped {
        return false;
    }
    match family {
        Family::Sql | Family::Template => value.built || sure == Confidence::High,
        Family::Shell | Family::Code => sure != Confidence::Low || value.built,
        // A URL is mostly the program's own (a parameter with an `https`
        // default, a setting): only data from outside is worth a finding.
        // A request to a fixed host (`https://api.example.com/` then the
        // data) may change the path, not where it goes.
        Family::Url => sure == Confidence::High && !fixed_host(value) && !value.entry.as_ref().is_some_and(|e| e.host_listed),
        // A file object or a buffer (`send_file(io.BytesIO(data))`) names
        // no path, whatever it holds.
        Family::Path => sure == Confidence::High && !value.made_by.as_deref().is_some_and(models::is_file_object),
        Family::Session | Family::Xxe => sure == Confidence::High,
        // Whether a file the program's own environment or arguments name
        // exists is no secret of anyone's: only a client's path is.
        Family::Probe => sure == Confidence::High && !value.entry.as_ref().is_some_and(Entry::from_the_process),
        // A pattern the program's own user types (`grep PATTERN`) is what
        // the program is for: only a client's is a weakness.
        Family::Regex | Family::Log => sure == Confidence::High && !value.entry.as_ref().is_some_and(Entry::from_the_process),
        Family::Ldap | Family::Xpath => value.built || sure == Confidence::High,
        // The request's own URL or path stays on the site it came to.
        Family::Redirect => {
            sure == Confidence::High
                && !same_site(&value.lead)
                && !value.entry.as_ref().is_some_and(|e| e.vetted || ["`request.url`", "`request.path`", "`request.full_path`"].contains(&e.what.as_str()))
        }
        Family::Html => value.built && sure == Confidence::High,
        // A whole filter (or a value of one) from the client's JSON may be
        // an operator, and so may a query or a form made one mapping
        // (`?$ne=x`); a string read from a form or a query may not.
        Family::NoSql => sure == Confidence::High && !value.built && value.entry.as_ref().is_some_and(|e| may_be_json(&e.what) || e.is_mapping()),
    }
}

/// How sure the finding is: a named source is sure, a parameter may be
/// checked by its callers, anything else is a guess — except a string that
/// reads as SQL, which only a query needs.
pub(super) fn confidence(family: Family, value: &Value) -> Confidence {
    if value.entry.as_ref().is_some_and(|e| e.unjudged || e.from_the_database()) {
        return Confidence::Low;
    }
    match (family, value.sure()) {
        // A path the environment names is where whoever runs the program
        // configured it to read or write: no client chooses it.
        (Family::Path, Some(Confidence::High)) if value.entry.as_ref().is_some_and(Entry::from_the_environment) => Confidence::Low,
        (_, Some(Confidence::High)) => Confidence::High,
        (Family::Url, _) if plain_scheme(value).is_some() => Confidence::High,
        (Family::Sql, _) if security::looks_like_sql(&value.text) => Confidence::Medium,
        (_, Some(Confidence::Medium)) => Confidence::Medium,
        _ => Confidence::Low,
    }
}

/// Whether a redirect target starting with `lead` stays on the site: a
/// path of its own (`/profile/`, not `//` or `/\`, which browsers read as
/// another host) or a URL of a fixed host, before any placeholder.
pub(super) fn same_site(lead: &str) -> bool {
    let placeholder = |c: char| matches!(c, '{' | '%');
    match lead.strip_prefix('/') {
        Some(rest) => rest.starts_with(|c: char| !matches!(c, '/' | '\\') && !placeholder(c)),
        None => {
            lead.split_once("://").and_then(|(_, rest)| rest.split_once('/')).is_some_and(|(host, _)| !host.is_empty() && !host.contains(['{', '}', '%', '@']))
        }
    }
}

/// Whether data that entered as `what` may hold a structure rather than a
/// string: a request's JSON or body, an event, or a parameter.
fn may_be_json(what: &str) -> bool {
    ["json", "data", "body", "event", "get_json", "`request`"].iter().any(|w| what.contains(w))
}

/// Whether the URL's constant text starts with a scheme and a whole host
/// (up to the `/` after it) with no placeholder in it. Branches joined
/// (`a if c else b`) show as texts separated by a space, which a URL has
/// not: one of them may be the data alone.
fn fixed_host(value: &Value) -> bool {
    if value.text.contains(' ') {
        return false;
    }
    let Some((_, rest)) = value.text.trim_start().split_once("://") else { return false };
    let Some((host, _)) = rest.split_once('/') else { return false };
    !host.is_empty() && !host.contains(['{', '}', '%', '@'])
}

/// The scheme of an unencrypted FTP or HTTP URL to another host (a local
/// `file://` one, or `http://localhost`, is the program's choice).
pub(super) fn plain_scheme(value: &Value) -> Option<&'static str> {
    let text = value.text.trim_start().to_ascii_lowercase();
    if text.starts_with("ftp://") {
        return Some("ftp");
    }
    let rest = text.strip_prefix("http://")?;
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or_default();
    let local = matches!(host, "" | "localhost" | "0.0.0.0") || host.ends_with(".localhost") || host.starts_with("127.") || rest.starts_with("[::1]");
    (!local).then_some("http")
}
