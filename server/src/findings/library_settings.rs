//! Library settings that turn a protection off or choose a broken
//! algorithm, one model a line ([`SETTINGS`]): a Duo client told not to
//! check certificates, an itsdangerous signer that signs with no algorithm,
//! a SAML signature made with SHA-1, RSA encryption with PKCS#1 v1.5
//! padding, a TLS context that checks no certificate or no host name, an
//! XML parser told to resolve entities or fetch from the network. Each is
//! one call or assignment read on its own, whatever data flows; the same
//! call with a sound value is silent. (A broken algorithm's constant is
//! found wherever it is read: `broken_names`.)

use std::sync::LazyLock;

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::names::Names;
use super::{Category, Confidence, Finding, Severity};

/// A certificate not checked, or plain HTTP where TLS was meant.
const NO_CERT_VALIDATION: &str = "LOOM501";
/// A token signed with no algorithm.
const UNSIGNED_TOKEN: &str = "LOOM634";
/// XML signatures or encryption (SAML, xmlsec) on a broken algorithm.
const WEAK_XML_SECURITY: &str = "LOOM657";
/// RSA encryption with PKCS#1 v1.5 padding.
const RSA_PKCS1V15: &str = "LOOM658";
/// An XML parser whose entity protections were turned off.
const XML_PROTECTION_OFF: &str = "LOOM320";
/// An XML-RPC server that lets clients walk its objects' attributes.
const DOTTED_NAMES: &str = "LOOM659";

/// One model: a keyword of these callees and the values that weaken them.
struct Setting {
    callees: &'static [&'static str],
    keyword: &'static str,
    /// The values that weaken it: a string literal, or the qualified name
    /// of a library's constant (or of what it calls to make one).
    weak: &'static [&'static str],
    code: &'static str,
    severity: Severity,
    /// What is wrong and what to do, after the callee's short name.
    message: &'static str,
}

const DUO_CLIENTS: &[&str] = &[
    "duo_client.Client",
    "duo_client.AsyncDuoClient",
    "duo_client.Auth",
    "duo_client.AuthAPI",
    "duo_client.Admin",
    "duo_client.AdminAPI",
    "duo_client.Accounts",
    "duo_client.AccountsAPI",
    "duo_client.client.Client",
    "duo_client.auth.Auth",
    "duo_client.admin.Admin",
    "duo_client.accounts.Accounts",
];

/// SHA-1 in XML signatures, as URIs and as python3-saml's constants.
const SAML_SHA1: &[&str] = &[
    "http://www.w3.org/2000/09/xmldsig#sha1",
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
    "onelogin.saml2.constants.OneLogin_Saml2_Constants.SHA1",
    "onelogin.saml2.constants.OneLogin_Saml2_Constants.RSA_SHA1",
    "onelogin.saml2.constants.OneLogin_Saml2_Constants.DSA_SHA1",
];
const SAML_ADD_SIGN: &[&str] = &["onelogin.saml2.utils.OneLogin_Saml2_Utils.add_sign"];
const SAML_FINGERPRINTS: &[&str] = &[
    "onelogin.saml2.utils.OneLogin_Saml2_Utils.validate_sign",
    "onelogin.saml2.utils.OneLogin_Saml2_Utils.validate_node_sign",
    "onelogin.saml2.utils.OneLogin_Saml2_Utils.validate_metadata_sign",
];

/// defusedxml's parsers, which take the `forbid_*` switches.
const DEFUSEDXML_PARSERS: &[&str] = &[
    "defusedxml.ElementTree.parse",
    "defusedxml.ElementTree.fromstring",
    "defusedxml.ElementTree.iterparse",
    "defusedxml.ElementTree.XML",
    "defusedxml.ElementTree.XMLParser",
    "defusedxml.ElementTree.DefusedXMLParser",
    "defusedxml.cElementTree.parse",
    "defusedxml.cElementTree.fromstring",
    "defusedxml.cElementTree.iterparse",
    "defusedxml.cElementTree.XML",
    "defusedxml.lxml.parse",
    "defusedxml.lxml.fromstring",
    "defusedxml.lxml.iterparse",
    "defusedxml.lxml.XML",
    "defusedxml.minidom.parse",
    "defusedxml.minidom.parseString",
    "defusedxml.pulldom.parse",
    "defusedxml.pulldom.parseString",
    "defusedxml.sax.parse",
    "defusedxml.sax.parseString",
    "defusedxml.sax.make_parser",
    "defusedxml.expatbuilder.parse",
    "defusedxml.expatbuilder.parseString",
    "defusedxml.expatreader.create_parser",
];

/// lxml's parsers and the calls that make one from keywords.
const LXML_PARSERS: &[&str] =
    &["lxml.etree.XMLParser", "lxml.etree.XMLPullParser", "lxml.etree.ETCompatXMLParser", "lxml.etree.iterparse", "lxml.objectify.makeparser"];

/// urllib3's pools, which take `assert_hostname`.
const URLLIB3_POOLS: &[&str] = &[
    "urllib3.PoolManager",
    "urllib3.ProxyManager",
    "urllib3.HTTPSConnectionPool",
    "urllib3.connection_from_url",
    "urllib3.proxy_from_url",
    "urllib3.poolmanager.PoolManager",
    "urllib3.poolmanager.ProxyManager",
    "urllib3.connectionpool.HTTPSConnectionPool",
];

const SETTINGS: &[Setting] = &[
    Setting {
        callees: LXML_PARSERS,
        keyword: "resolve_entities",
        weak: &["True"],
        code: XML_PROTECTION_OFF,
        severity: Severity::Warning,
        message: "with `resolve_entities=True` reads the document's external entities (XXE: local files, URLs); pass `resolve_entities=False`",
    },
    Setting {
        callees: LXML_PARSERS,
        keyword: "no_network",
        weak: &["False"],
        code: XML_PROTECTION_OFF,
        severity: Severity::Warning,
        message: "with `no_network=False` fetches what the document references over the network (XXE, SSRF); leave the default",
    },
    Setting {
        callees: LXML_PARSERS,
        keyword: "huge_tree",
        weak: &["True"],
        code: XML_PROTECTION_OFF,
        severity: Severity::Warning,
        message: "with `huge_tree=True` lifts libxml2's limits on entity expansion and depth (billion laughs); leave the default",
    },
    Setting {
        callees: URLLIB3_POOLS,
        keyword: "assert_hostname",
        weak: &["False"],
        code: NO_CERT_VALIDATION,
        severity: Severity::Error,
        message: "with `assert_hostname=False` takes a certificate issued to any host: a man in the middle with any valid certificate passes; leave the default",
    },
    Setting {
        callees: DEFUSEDXML_PARSERS,
        keyword: "forbid_entities",
        weak: &["False"],
        code: XML_PROTECTION_OFF,
        severity: Severity::Warning,
        message: "with `forbid_entities=False` expands the document's entities (billion laughs); leave the default",
    },
    Setting {
        callees: DEFUSEDXML_PARSERS,
        keyword: "forbid_external",
        weak: &["False"],
        code: XML_PROTECTION_OFF,
        severity: Severity::Warning,
        message: "with `forbid_external=False` fetches the document's external entities (XXE); leave the default",
    },
    Setting {
        callees: DUO_CLIENTS,
        keyword: "ca_certs",
        weak: &["DISABLE", "HTTP"],
        code: NO_CERT_VALIDATION,
        severity: Severity::Error,
        message: "checks no certificate (`ca_certs=\"DISABLE\"`) or speaks plain HTTP (`\"HTTP\"`); pass a CA bundle or leave the default",
    },
    Setting {
        callees: &["itsdangerous.Signer", "itsdangerous.signer.Signer", "itsdangerous.TimestampSigner", "itsdangerous.timed.TimestampSigner"],
        keyword: "algorithm",
        weak: &["itsdangerous.NoneAlgorithm", "itsdangerous.signer.NoneAlgorithm"],
        code: UNSIGNED_TOKEN,
        severity: Severity::Error,
        message: "with `NoneAlgorithm` signs nothing: anyone can forge what it accepts; use the default HMAC",
    },
    Setting {
        callees: &[
            "itsdangerous.JSONWebSignatureSerializer",
            "itsdangerous.jws.JSONWebSignatureSerializer",
            "itsdangerous.TimedJSONWebSignatureSerializer",
            "itsdangerous.jws.TimedJSONWebSignatureSerializer",
        ],
        keyword: "algorithm_name",
        weak: &["none"],
        code: UNSIGNED_TOKEN,
        severity: Severity::Error,
        message: "with `algorithm_name=\"none\"` signs nothing: anyone can forge what it accepts; use `HS256` or better",
    },
    Setting {
        callees: SAML_ADD_SIGN,
        keyword: "sign_algorithm",
        weak: SAML_SHA1,
        code: WEAK_XML_SECURITY,
        severity: Severity::Warning,
        message: "signs with SHA-1, whose collisions make signatures forgeable; use `RSA_SHA256`",
    },
    Setting {
        callees: SAML_ADD_SIGN,
        keyword: "digest_algorithm",
        weak: SAML_SHA1,
        code: WEAK_XML_SECURITY,
        severity: Severity::Warning,
        message: "digests with SHA-1, whose collisions make signatures forgeable; use `SHA256`",
    },
    Setting {
        callees: &["onelogin.saml2.utils.OneLogin_Saml2_Utils.calculate_x509_fingerprint"],
        keyword: "alg",
        weak: &["sha1"],
        code: WEAK_XML_SECURITY,
        severity: Severity::Warning,
        message: "fingerprints the certificate with SHA-1; use `sha256`",
    },
    Setting {
        callees: SAML_FINGERPRINTS,
        keyword: "fingerprintalg",
        weak: &["sha1"],
        code: WEAK_XML_SECURITY,
        severity: Severity::Warning,
        message: "matches the certificate by its SHA-1 fingerprint; use `sha256`",
    },
];

/// The findings of one call whose callee's qualified name is `qualified`.
pub(super) fn call(names: &Names, call: &ExprCall, qualified: Option<&str>) -> Vec<Finding> {
    let mut found: Vec<Finding> = qualified.map(|name| settings(names, call, name)).unwrap_or_default();
    found.extend(pkcs1v15_encryption(names, call));
    found.extend(external_entity_features(names, call));
    found.extend(dotted_names(names, call));
    found
}

/// The settings of each callee, in [`SETTINGS`]' order: every call with a
/// qualified name is looked up, and scanning every model's callees for
/// each was 1.1% of a check of Django.
static BY_CALLEE: LazyLock<FxHashMap<&'static str, Vec<&'static Setting>>> = LazyLock::new(|| {
    let mut by_callee: FxHashMap<&'static str, Vec<&'static Setting>> = FxHashMap::default();
    for setting in SETTINGS {
        for callee in setting.callees {
            by_callee.entry(*callee).or_default().push(setting);
        }
    }
    by_callee
});

fn settings(names: &Names, call: &ExprCall, name: &str) -> Vec<Finding> {
    let Some(settings) = BY_CALLEE.get(name) else { return Vec::new() };
    settings
        .iter()
        .filter_map(|s| {
            let value = &call.arguments.find_keyword(s.keyword)?.value;
            let weak = match value {
                Expr::StringLiteral(text) => s.weak.contains(&text.value.to_str()),
                Expr::BooleanLiteral(b) => s.weak.contains(&if b.value { "True" } else { "False" }),
                Expr::Call(made) => names.qualified(&made.func).is_some_and(|q| s.weak.contains(&q.as_str())),
                other => names.qualified(other).is_some_and(|q| s.weak.contains(&q.as_str())),
            };
            let short = name.rsplit('.').next().unwrap_or(name);
            weak.then(|| finding(value, s.code, s.severity, format!("`{short}` {}", s.message)))
        })
        .collect()
}

/// SAX's switches for external entities, by constant and by URI.
const EXTERNAL_ENTITY_FEATURES: &[&str] = &[
    "xml.sax.handler.feature_external_ges",
    "xml.sax.handler.feature_external_pes",
    "http://xml.org/sax/features/external-general-entities",
    "http://xml.org/sax/features/external-parameter-entities",
];

/// `parser.setFeature(feature_external_ges, True)`: a SAX (or pulldom)
/// parser told to read external entities, off by default since Python 3.7.2.
fn external_entity_features(names: &Names, call: &ExprCall) -> Option<Finding> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    let [feature, Expr::BooleanLiteral(on), ..] = call.arguments.args.as_ref() else { return None };
    if method.attr.as_str() != "setFeature" || !on.value {
        return None;
    }
    let feature = match feature {
        Expr::StringLiteral(uri) => uri.value.to_str().to_owned(),
        other => names.qualified(other)?,
    };
    EXTERNAL_ENTITY_FEATURES.contains(&feature.as_str()).then(|| {
        finding(
            call,
            XML_PROTECTION_OFF,
            Severity::Warning,
            "The XML parser is told to read external entities (XXE: local files, URLs); leave the feature off".into(),
        )
    })
}

/// `key.encrypt(data, padding.PKCS1v15())`: RSA encryption (not signing)
/// with the padding Bleichenbacher's oracle breaks.
fn pkcs1v15_encryption(names: &Names, call: &ExprCall) -> Option<Finding> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    if !matches!(method.attr.as_str(), "encrypt" | "decrypt") {
        return None;
    }
    let padding = call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)).find(
        |arg| matches!(arg, Expr::Call(made) if names.qualified(&made.func).is_some_and(|q| q == "cryptography.hazmat.primitives.asymmetric.padding.PKCS1v15")),
    )?;
    Some(finding(
        padding,
        RSA_PKCS1V15,
        Severity::Warning,
        "RSA encryption with PKCS#1 v1.5 padding is open to padding-oracle attacks; use `padding.OAEP`".into(),
    ))
}

/// `server.register_instance(obj, allow_dotted_names=True)`: a client can
/// reach the instance's module globals through its attributes (the
/// standard library's own warning; the server's class is rarely named
/// where the call is, so the method is matched by name in a file that
/// imports an XML-RPC server).
fn dotted_names(names: &Names, call: &ExprCall) -> Option<Finding> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    // Asked of every call: the method first, the file's imports only of
    // the calls it names.
    if method.attr.as_str() != "register_instance" || !["xmlrpc", "SimpleXMLRPCServer", "DocXMLRPCServer"].iter().any(|m| names.imports(m)) {
        return None;
    }
    let allowed = call.arguments.find_keyword("allow_dotted_names").filter(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value))?;
    Some(finding(
        &allowed.value,
        DOTTED_NAMES,
        Severity::Error,
        "`register_instance` with `allow_dotted_names=True` lets clients reach the module's globals and run code; leave it off".into(),
    ))
}

/// `context.verify_mode = ssl.CERT_NONE`: the context checks no
/// certificate; `context.check_hostname = False`: it takes any valid
/// certificate, whoever it was issued to; `session.verify = False`: an
/// HTTP session that checks none.
pub(super) fn assignment(names: &Names, target: &Expr, value: &Expr) -> Option<Finding> {
    let Expr::Attribute(attribute) = target else { return None };
    let message = match attribute.attr.as_str() {
        "verify_mode" if names.qualified(value).as_deref() == Some("ssl.CERT_NONE") => {
            "The TLS context checks no certificate (`verify_mode = ssl.CERT_NONE`); keep `ssl.CERT_REQUIRED`"
        }
        // `session.verify = False`: every request of a requests session
        // (or an httpx client) takes any certificate.
        "verify" if matches!(value, Expr::BooleanLiteral(b) if !b.value) && ["requests", "httpx"].iter().any(|m| names.imports(m)) => {
            "The HTTP session checks no certificate (`verify = False`): a man in the middle reads and changes the traffic; leave the default"
        }
        "check_hostname" if matches!(value, Expr::BooleanLiteral(b) if !b.value) => {
            "The TLS context takes a certificate issued to any host (`check_hostname = False`): a man in the middle with any valid certificate passes; keep `True`"
        }
        _ => return None,
    };
    let mut unverified = finding(value, NO_CERT_VALIDATION, Severity::Error, message.into());
    unverified.range = target.start().to_usize()..value.end().to_usize();
    Some(unverified)
}

fn finding(node: &impl Ranged, code: &str, severity: Severity, message: String) -> Finding {
    let mut finding = Finding::new(node.start().to_usize()..node.end().to_usize(), code, Category::Security, severity, message);
    finding.confidence = Some(Confidence::High);
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_callee_has_the_settings_naming_it_in_table_order() {
        for (callee, settings) in BY_CALLEE.iter() {
            // `SETTINGS` is a constant: compared by what each setting says, not by address.
            let said = |s: &Setting| (s.keyword, s.code, s.message);
            let naming: Vec<_> = SETTINGS.iter().filter(|s| s.callees.contains(callee)).map(said).collect();
            let indexed: Vec<_> = settings.iter().map(|s| said(s)).collect();
            assert_eq!(indexed, naming, "{callee}");
        }
        // Every callee of the table is indexed; a name no setting has is not.
        assert!(SETTINGS.iter().flat_map(|s| s.callees).all(|callee| BY_CALLEE.contains_key(callee)));
        assert!(!BY_CALLEE.contains_key("os.system"));
    }
}
