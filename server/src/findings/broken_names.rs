//! Broken algorithms and turned-off checks named where a value is chosen,
//! one model a line ([`BROKEN`]): `modes.ECB`, `algorithms.ARC4`,
//! `xmlsec.constants.TransformRsaSha1`, `OneLogin_Saml2_Constants.RSA_SHA1`,
//! `ssl.PROTOCOL_TLSv1`, `ssl.CERT_NONE` given to a call, stored in a
//! settings dict or a variable, returned, offered as a choice. Such a name
//! has no use but choosing what it names, so reading it is the finding,
//! whatever the data and however the value travels afterwards (a local, a
//! table of modes, a settings module): a call's keyword is only one of
//! the places it is read. Left out: the callee of a call (ruff's
//! S303-S305 and the call checks judge calls), a name compared or tested
//! (`if alg == RSA_SHA1: reject()`, `isinstance(mode, modes.ECB)` are
//! checks, not uses), and a name inside a finding already made (an
//! assignment or a call reported whole).

use std::sync::LazyLock;

use ruff_python_ast::{Expr, ExprCall, Stmt, StmtClassDef};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet;

use super::names::Names;
use super::{Category, Confidence, Finding, Severity};

/// Names of one module that choose something broken.
struct Broken {
    module: &'static str,
    names: &'static [&'static str],
    code: &'static str,
    severity: Severity,
    /// What is wrong and what to do, after the name.
    why: &'static str,
}

const XMLSEC_WEAK: &[&str] = &[
    "TransformDes3Cbc",
    "TransformKWDes3",
    "TransformDsaSha1",
    "TransformEcdsaSha1",
    "TransformRsaMd5",
    "TransformRsaRipemd160",
    "TransformRsaSha1",
    "TransformRsaPkcs1",
    "TransformMd5",
    "TransformRipemd160",
    "TransformSha1",
];
const SAML_WEAK: &[&str] = &["SHA1", "RSA_SHA1", "DSA_SHA1", "TRIPLEDES_CBC"];
const WEAK_XML: &str = "is a broken algorithm for XML signatures and encryption; use an SHA-256 or AES-GCM one";
const OLD_TLS: &str = "is an insecure SSL/TLS version; use TLS 1.2 or later";

const BROKEN: &[Broken] = &[
    Broken {
        module: "cryptography.hazmat.primitives.ciphers.modes",
        names: &["ECB"],
        code: "LOOM305",
        severity: Severity::Warning,
        why: "mode encrypts equal blocks alike and leaks patterns; use GCM or CBC with a MAC",
    },
    Broken {
        module: "cryptography.hazmat.primitives.ciphers.algorithms",
        names: &["ARC4", "Blowfish", "CAST5", "IDEA", "SEED", "TripleDES"],
        code: "LOOM304",
        severity: Severity::Error,
        why: "is a broken or weak cipher; use AES (e.g. Fernet)",
    },
    // SHA-1 is left out: HMAC-SHA1 and OAEP with SHA-1 are sound.
    Broken {
        module: "cryptography.hazmat.primitives.hashes",
        names: &["MD5"],
        code: "LOOM303",
        severity: Severity::Warning,
        why: "is a broken hash for signatures and certificates; use SHA-256 or better",
    },
    Broken { module: "xmlsec.constants", names: XMLSEC_WEAK, code: "LOOM657", severity: Severity::Warning, why: WEAK_XML },
    Broken { module: "xmlsec", names: XMLSEC_WEAK, code: "LOOM657", severity: Severity::Warning, why: WEAK_XML },
    Broken { module: "onelogin.saml2.constants.OneLogin_Saml2_Constants", names: SAML_WEAK, code: "LOOM657", severity: Severity::Warning, why: WEAK_XML },
    // python3-saml's `utils` imports the constants' class, so it is reached from there too.
    Broken { module: "onelogin.saml2.utils.OneLogin_Saml2_Constants", names: SAML_WEAK, code: "LOOM657", severity: Severity::Warning, why: WEAK_XML },
    Broken {
        module: "ssl",
        names: &["PROTOCOL_SSLv2", "PROTOCOL_SSLv3", "PROTOCOL_TLSv1", "PROTOCOL_TLSv1_1"],
        code: "LOOM502",
        severity: Severity::Warning,
        why: OLD_TLS,
    },
    Broken {
        module: "OpenSSL.SSL",
        names: &["SSLv2_METHOD", "SSLv3_METHOD", "TLSv1_METHOD", "TLSv1_1_METHOD"],
        code: "LOOM502",
        severity: Severity::Warning,
        why: OLD_TLS,
    },
    Broken {
        module: "ssl",
        names: &["CERT_NONE"],
        code: "LOOM501",
        severity: Severity::Error,
        why: "makes a TLS context check no certificate; keep `ssl.CERT_REQUIRED`",
    },
];

/// The last parts of every name of [`BROKEN`]: asked of every attribute
/// and name the walk passes, before any qualified name is built.
static LAST_PARTS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| BROKEN.iter().flat_map(|b| b.names.iter().copied()).collect());

/// Where the walk is, as far as reading a broken name is concerned.
#[derive(Default)]
pub(super) struct Reading {
    /// The callee of the last call the walk passed (the next expression
    /// it visits).
    callee: TextRange,
    /// The outermost comparison or type test the walk is in, if any.
    tested: TextRange,
    /// `ssl.CERT_NONE` as a class's own attribute (`default =
    /// ssl.CERT_NONE` of gunicorn's `cert_reqs` setting): a declared
    /// default may be a server's for its clients' certificates, where not
    /// asking for one is the norm, and the context it reaches is reported
    /// where it is set (`verify_mode = ...`, `cert_reqs=...` of a call).
    class_defaults: Vec<TextRange>,
}

impl Reading {
    /// The walk passes `call`; its callee comes next.
    pub(super) fn call(&mut self, call: &ExprCall) {
        self.callee = call.func.range();
        if matches!(call.func.as_ref(), Expr::Name(n) if matches!(n.id.as_str(), "isinstance" | "issubclass")) {
            self.test(call.range());
        }
    }

    /// The walk enters `class`, whose own attributes come next.
    pub(super) fn class(&mut self, class: &StmtClassDef) {
        let values = class.body.iter().filter_map(|stmt| match stmt {
            Stmt::Assign(assign) => Some(assign.value.as_ref()),
            Stmt::AnnAssign(assign) => assign.value.as_deref(),
            _ => None,
        });
        let no_certificate = |value: &&Expr| match value {
            Expr::Attribute(attribute) => attribute.attr.as_str() == "CERT_NONE",
            Expr::Name(name) => name.id.as_str() == "CERT_NONE",
            _ => false,
        };
        self.class_defaults.extend(values.filter(no_certificate).map(Ranged::range));
    }

    /// The walk passes a comparison (or a type test) over `range`.
    pub(super) fn test(&mut self, range: TextRange) {
        if !self.tested.contains_range(range) {
            self.tested = range;
        }
    }

    /// The finding of `expr`, a name or an attribute the walk passes, when
    /// it reads a broken name outside the findings `found` already holds.
    pub(super) fn read<'f>(&self, names: &Names, expr: &Expr, mut found: impl Iterator<Item = &'f Finding>) -> Option<Finding> {
        let last = match expr {
            Expr::Attribute(attribute) if attribute.ctx.is_load() => attribute.attr.as_str(),
            Expr::Name(name) if name.ctx.is_load() => name.id.as_str(),
            _ => return None,
        };
        if !LAST_PARTS.contains(last) || expr.range() == self.callee || self.tested.contains_range(expr.range()) {
            return None;
        }
        let qualified = names.qualified(expr)?;
        let (module, name) = qualified.rsplit_once('.')?;
        let broken = BROKEN.iter().find(|b| b.module == module && b.names.contains(&name))?;
        let range = expr.start().to_usize()..expr.end().to_usize();
        if found.any(|f| f.range.start <= range.start && range.end <= f.range.end) {
            return None;
        }
        let mut finding = Finding::new(range, broken.code, Category::Security, broken.severity, format!("`{name}` {}", broken.why));
        // The name chooses it; where the value goes is not followed.
        finding.confidence = Some(if self.class_defaults.contains(&expr.range()) { Confidence::Low } else { Confidence::Medium });
        Some(finding)
    }
}
