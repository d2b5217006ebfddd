//! What the security checks report (each code with bandit's rating and
//! the ruff rule of the same problem) and the names they match.

use std::sync::LazyLock;

use regex::Regex;

use crate::findings::{Confidence, Severity};

/// One kind of problem: its code, bandit's rating, and the ruff rule that
/// reports the same problem in some spellings.
pub(super) struct Check {
    pub(super) code: &'static str,
    pub(super) severity: Severity,
    pub(super) confidence: Confidence,
    pub(super) ruff_equivalent: Option<&'static str>,
}

pub(super) const TROJAN_SOURCE: Check = rating("LOOM613", Severity::Error, Confidence::Medium, None);
pub(super) const TORCH_LOAD: Check = rating("LOOM614", Severity::Warning, Confidence::High, None);
/// ruff's S202 for `tarfile.extractall`, for `shutil.unpack_archive` (which
/// extracts a tar the same way): the archive's members, not its path, are
/// the client's.
pub(super) const UNPACK_WITHOUT_FILTER: Check = rating("LOOM202", Severity::Warning, Confidence::Medium, None);
pub(super) const UNPINNED_DOWNLOAD: Check = rating("LOOM615", Severity::Warning, Confidence::High, None);
pub(super) const MARK_SAFE: Check = rating("LOOM703", Severity::Warning, Confidence::High, Some("S308"));
pub(super) const FORMAT_HTML_PREFORMATTED: Check = rating("LOOM704", Severity::Warning, Confidence::High, None);
pub(super) const BLOCKED_IMPORT: Check = rating("LOOM401", Severity::Error, Confidence::High, None);
pub(super) const HTTPOXY: Check = rating("LOOM412", Severity::Error, Confidence::High, None);
pub(super) const WEAK_CIPHER: Check = rating("LOOM304", Severity::Error, Confidence::High, Some("S304"));
pub(super) const MKTEMP: Check = rating("LOOM306", Severity::Warning, Confidence::High, Some("S306"));
pub(super) const UNSAFE_XML: Check = rating("LOOM320", Severity::Warning, Confidence::High, Some("S320"));
pub(super) const UNSAFE_DESERIALIZE: Check = rating("LOOM301", Severity::Warning, Confidence::High, Some("S301"));
pub(super) const SQL_INJECTION: Check = rating("LOOM608", Severity::Warning, Confidence::Medium, Some("S608"));
pub(super) const PARAMIKO_EXEC: Check = rating("LOOM601", Severity::Warning, Confidence::Medium, Some("S601"));
pub(super) const UNSAFE_YAML: Check = rating("LOOM506", Severity::Warning, Confidence::High, Some("S506"));
/// The request methods of an HTTP session or client (requests, httpx).
pub(super) const SESSION_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream"];
pub(super) const NO_CERT_VALIDATION: Check = rating("LOOM501", Severity::Error, Confidence::High, Some("S501"));
pub(super) const UNVERIFIED_CONTEXT: Check = rating("LOOM323", Severity::Warning, Confidence::High, Some("S323"));
pub(super) const PERMISSIVE_MODE: Check = rating("LOOM103", Severity::Warning, Confidence::High, Some("S103"));
/// An import is no weakness: the calls that parse are checked on their own
/// (S313-S320, LOOM641), so the import alone is weak evidence.
pub(super) const XML_IMPORT: Check = rating("LOOM405", Severity::Info, Confidence::Low, None);
/// Python 3.4.3 and later check the certificate and host of an
/// `HTTPSConnection` made without a context (PEP 476): only a process that
/// turned that off (LOOM323) or an old Python is exposed, so the finding
/// is weak evidence (bandit 1.8 no longer has the test).
pub(super) const HTTPS_NO_CONTEXT: Check = rating("LOOM309", Severity::Warning, Confidence::Low, None);
pub(super) const HIDDEN_SHELL: Check = rating("LOOM605", Severity::Warning, Confidence::High, Some("S605"));
pub(super) const ECB_MODE: Check = rating("LOOM305", Severity::Warning, Confidence::High, Some("S305"));
pub(super) const WEAK_HASH: Check = rating("LOOM303", Severity::Warning, Confidence::High, Some("S303"));
pub(super) const CSRF_EXEMPT: Check = rating("LOOM706", Severity::Warning, Confidence::High, None);
pub(super) const ALWAYS_SAFE: Check = rating("LOOM707", Severity::Warning, Confidence::Medium, None);
pub(super) const INSECURE_COOKIE: Check = rating("LOOM708", Severity::Warning, Confidence::High, None);
/// CORS that lets any site read what it answers with the user's cookies.
pub(super) const CORS_ANY_ORIGIN: Check = rating("LOOM664", Severity::Warning, Confidence::High, None);
pub(super) const WEAK_RANDOM: Check = rating("LOOM311", Severity::Info, Confidence::High, Some("S311"));
pub(super) const AUTOESCAPE_OFF: Check = rating("LOOM705", Severity::Warning, Confidence::High, None);

pub(super) const fn rating(code: &'static str, severity: Severity, confidence: Confidence, ruff_equivalent: Option<&'static str>) -> Check {
    Check { code, severity, confidence, ruff_equivalent }
}

/// Modules whose import alone is a finding (bandit's import blocklist, the
/// high-severity part; ruff has these only in preview). The low-severity
/// entries (`pickle`, `subprocess`, `xml.*`) are left out: they flag most
/// files and the calls that matter are checked anyway.
///
/// `Crypto` is weak evidence: PyCryptodome, maintained, installs the same
/// `Crypto` package as a drop-in replacement of pycrypto, so the import
/// alone does not say which one runs (the weak ciphers and modes either
/// offers are checked at their calls).
pub(super) const BLOCKED_MODULES: &[(&str, &str, &str, Confidence)] = &[
    ("telnetlib", "B401", "Telnet is unencrypted; use SSH (e.g. paramiko)", Confidence::High),
    ("ftplib", "B402", "FTP is unencrypted; use SFTP or FTPS", Confidence::High),
    ("xmlrpc", "B411", "xmlrpc is open to XML attacks; use defusedxml.xmlrpc", Confidence::High),
    ("Crypto", "B413", "pycrypto is unmaintained and has known vulnerabilities; use pyca/cryptography", Confidence::Low),
    ("pyghmi", "B415", "IPMI is an insecure protocol", Confidence::High),
    ("xmlrpclib", "B411", "xmlrpclib is open to XML attacks; use defusedxml.xmlrpc", Confidence::High),
];

/// XML parsers of the standard library open to entity expansion and
/// external entities (bandit's low-severity import blocklist).
pub(super) const XML_MODULES: &[&str] = &["xml.etree", "xml.sax", "xml.dom.minidom", "xml.dom.pulldom", "xml.dom.expatbuilder", "lxml"];

/// HTTPS connections that take an `ssl.SSLContext` (bandit's old B309):
/// without one, Python before 3.4.3 checks no certificate and later ones
/// use the process default, which a program may have turned off.
pub(super) const HTTPS_CONNECTIONS: &[&str] = &["httplib.HTTPSConnection", "http.client.HTTPSConnection", "six.moves.http_client.HTTPSConnection"];

pub(super) const HTTPOXY_CALLS: &[&str] = &["wsgiref.handlers.CGIHandler", "twisted.web.twcgi.CGIScript", "twisted.web.twcgi.CGIDirectory"];

pub(super) const WEAK_CIPHERS: &[&str] = &[
    "Crypto.Cipher.ARC2.new",
    "Crypto.Cipher.ARC4.new",
    "Crypto.Cipher.Blowfish.new",
    "Crypto.Cipher.DES.new",
    "Crypto.Cipher.XOR.new",
    "Cryptodome.Cipher.ARC2.new",
    "Cryptodome.Cipher.ARC4.new",
    "Cryptodome.Cipher.Blowfish.new",
    "Cryptodome.Cipher.DES.new",
    "Cryptodome.Cipher.XOR.new",
    "cryptography.hazmat.primitives.ciphers.algorithms.ARC4",
    "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
    "cryptography.hazmat.primitives.ciphers.algorithms.CAST5",
    "cryptography.hazmat.primitives.ciphers.algorithms.IDEA",
    "cryptography.hazmat.primitives.ciphers.algorithms.SEED",
    "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES",
];

pub(super) const MARK_SAFE_CALLS: &[&str] = &[
    "django.utils.safestring.mark_safe",
    "django.utils.safestring.SafeText",
    "django.utils.safestring.SafeUnicode",
    "django.utils.safestring.SafeString",
    "django.utils.safestring.SafeBytes",
];

pub(super) const DESERIALIZERS: &[&str] = &[
    "pickle.load",
    "pickle.loads",
    "pickle.Unpickler",
    "_pickle.load",
    "_pickle.loads",
    "_pickle.Unpickler",
    "cPickle.load",
    "cPickle.loads",
    "cPickle.Unpickler",
    "dill.Unpickler",
    "multiprocessing.connection.Client",
    "multiprocessing.connection.Listener",
    "jsonpickle.decode",
    "jsonpickle.unpickler.decode",
    "jsonpickle.unpickler.Unpickler().restore",
    "dill.load",
    "dill.loads",
    "shelve.open",
    // joblib's files are pickles (its documentation says so).
    "joblib.load",
];

pub(super) const UNSAFE_XML_PARSERS: &[&str] = &[
    "lxml.etree.fromstring",
    "lxml.etree.parse",
    "lxml.etree.RestrictedElement",
    "lxml.etree.GlobalParserTLS",
    "lxml.etree.getDefaultParser",
    "lxml.etree.check_docinfo",
];

/// The module-level functions of `random` (one Mersenne Twister, whose
/// output can be predicted from what it gave before), beyond those ruff's
/// S311 names.
pub(super) const WEAK_RANDOM_CALLS: &[&str] = &[
    "random.getrandbits",
    "random.normalvariate",
    "random.gauss",
    "random.sample",
    "random.shuffle",
    "random.betavariate",
    "random.expovariate",
    "random.gammavariate",
    "random.lognormvariate",
    "random.paretovariate",
    "random.vonmisesvariate",
    "random.weibullvariate",
    "random.binomialvariate",
];

/// PyYAML loaders that build arbitrary Python objects.
pub(super) const UNSAFE_YAML_LOADERS: &[&str] = &["Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader", "FullLoader", "CFullLoader"];

/// Libraries whose `from_pretrained` downloads from the Hugging Face hub.
pub(super) const HUB_LIBRARIES: &[&str] = &["transformers", "diffusers", "huggingface_hub", "sentence_transformers", "peft", "timm"];
pub(super) const HUB_DOWNLOADS: &[&str] =
    &["huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download", "datasets.load_dataset", "transformers.pipeline"];

/// Bidirectional control characters that make code read differently from
/// how it runs (CVE-2021-42574). A regex, to search with its fast
/// prefilter: almost no file has one.
pub(super) static BIDI_CONTROLS: LazyLock<Regex> = LazyLock::new(|| Regex::new("[\u{202A}-\u{202E}\u{2066}-\u{2069}\u{200F}]").expect("a valid pattern"));
