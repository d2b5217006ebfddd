//! Security checks beyond ruff's `S` rules: what bandit checks and ruff does
//! not (or misses in some spellings). Codes are `LOOM` + bandit's test
//! number, severity and confidence are bandit's. Where ruff has a rule for
//! the same problem, a finding is dropped if ruff already reported that rule
//! on the same line, so each problem is reported once.

use std::cell::OnceCell;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use ruff_python_ast::{Expr, ExprCall, ModModule, Stmt};
use ruff_python_parser::Parsed;
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::FxHashMap;

use super::archives;
use super::bound::{self, Bound};
use super::broken_names;
use super::flow;
use super::host_checks;
use super::keys;
use super::library_settings;
use super::listening;
use super::mac_compare;
use super::names::{Names, is_module_or_submodule};
use super::permissions;
use super::protocol_clients;
use super::regex_checks;
use super::weak_settings;
use super::{Category, Confidence, Finding, Severity};

/// One kind of problem: its code, bandit's rating, and the ruff rule that
/// reports the same problem in some spellings.
struct Check {
    code: &'static str,
    severity: Severity,
    confidence: Confidence,
    ruff_equivalent: Option<&'static str>,
}

const TROJAN_SOURCE: Check = rating("LOOM613", Severity::Error, Confidence::Medium, None);
const TORCH_LOAD: Check = rating("LOOM614", Severity::Warning, Confidence::High, None);
/// ruff's S202 for `tarfile.extractall`, for `shutil.unpack_archive` (which
/// extracts a tar the same way): the archive's members, not its path, are
/// the client's.
const UNPACK_WITHOUT_FILTER: Check = rating("LOOM202", Severity::Warning, Confidence::Medium, None);
const UNPINNED_DOWNLOAD: Check = rating("LOOM615", Severity::Warning, Confidence::High, None);
const MARK_SAFE: Check = rating("LOOM703", Severity::Warning, Confidence::High, Some("S308"));
const FORMAT_HTML_PREFORMATTED: Check = rating("LOOM704", Severity::Warning, Confidence::High, None);
const BLOCKED_IMPORT: Check = rating("LOOM401", Severity::Error, Confidence::High, None);
const HTTPOXY: Check = rating("LOOM412", Severity::Error, Confidence::High, None);
const WEAK_CIPHER: Check = rating("LOOM304", Severity::Error, Confidence::High, Some("S304"));
const MKTEMP: Check = rating("LOOM306", Severity::Warning, Confidence::High, Some("S306"));
const UNSAFE_XML: Check = rating("LOOM320", Severity::Warning, Confidence::High, Some("S320"));
const UNSAFE_DESERIALIZE: Check = rating("LOOM301", Severity::Warning, Confidence::High, Some("S301"));
const SQL_INJECTION: Check = rating("LOOM608", Severity::Warning, Confidence::Medium, Some("S608"));
const PARAMIKO_EXEC: Check = rating("LOOM601", Severity::Warning, Confidence::Medium, Some("S601"));
const UNSAFE_YAML: Check = rating("LOOM506", Severity::Warning, Confidence::High, Some("S506"));
const NO_CERT_VALIDATION: Check = rating("LOOM501", Severity::Error, Confidence::High, Some("S501"));
const UNVERIFIED_CONTEXT: Check = rating("LOOM323", Severity::Warning, Confidence::High, Some("S323"));
const PERMISSIVE_MODE: Check = rating("LOOM103", Severity::Warning, Confidence::High, Some("S103"));
/// An import is no weakness: the calls that parse are checked on their own
/// (S313-S320, LOOM641), so the import alone is weak evidence.
const XML_IMPORT: Check = rating("LOOM405", Severity::Info, Confidence::Low, None);
/// Python 3.4.3 and later check the certificate and host of an
/// `HTTPSConnection` made without a context (PEP 476): only a process that
/// turned that off (LOOM323) or an old Python is exposed, so the finding
/// is weak evidence (bandit 1.8 no longer has the test).
const HTTPS_NO_CONTEXT: Check = rating("LOOM309", Severity::Warning, Confidence::Low, None);
const HIDDEN_SHELL: Check = rating("LOOM605", Severity::Warning, Confidence::High, Some("S605"));
const ECB_MODE: Check = rating("LOOM305", Severity::Warning, Confidence::High, Some("S305"));
const WEAK_HASH: Check = rating("LOOM303", Severity::Warning, Confidence::High, Some("S303"));
const CSRF_EXEMPT: Check = rating("LOOM706", Severity::Warning, Confidence::High, None);
const ALWAYS_SAFE: Check = rating("LOOM707", Severity::Warning, Confidence::Medium, None);
const INSECURE_COOKIE: Check = rating("LOOM708", Severity::Warning, Confidence::High, None);
const WEAK_RANDOM: Check = rating("LOOM311", Severity::Info, Confidence::High, Some("S311"));
const AUTOESCAPE_OFF: Check = rating("LOOM705", Severity::Warning, Confidence::High, None);

const fn rating(code: &'static str, severity: Severity, confidence: Confidence, ruff_equivalent: Option<&'static str>) -> Check {
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
const BLOCKED_MODULES: &[(&str, &str, &str, Confidence)] = &[
    ("telnetlib", "B401", "Telnet is unencrypted; use SSH (e.g. paramiko)", Confidence::High),
    ("ftplib", "B402", "FTP is unencrypted; use SFTP or FTPS", Confidence::High),
    ("xmlrpc", "B411", "xmlrpc is open to XML attacks; use defusedxml.xmlrpc", Confidence::High),
    ("Crypto", "B413", "pycrypto is unmaintained and has known vulnerabilities; use pyca/cryptography", Confidence::Low),
    ("pyghmi", "B415", "IPMI is an insecure protocol", Confidence::High),
    ("xmlrpclib", "B411", "xmlrpclib is open to XML attacks; use defusedxml.xmlrpc", Confidence::High),
];

/// XML parsers of the standard library open to entity expansion and
/// external entities (bandit's low-severity import blocklist).
const XML_MODULES: &[&str] = &["xml.etree", "xml.sax", "xml.dom.minidom", "xml.dom.pulldom", "xml.dom.expatbuilder", "lxml"];

/// HTTPS connections that take an `ssl.SSLContext` (bandit's old B309):
/// without one, Python before 3.4.3 checks no certificate and later ones
/// use the process default, which a program may have turned off.
const HTTPS_CONNECTIONS: &[&str] = &["httplib.HTTPSConnection", "http.client.HTTPSConnection", "six.moves.http_client.HTTPSConnection"];

const HTTPOXY_CALLS: &[&str] = &["wsgiref.handlers.CGIHandler", "twisted.web.twcgi.CGIScript", "twisted.web.twcgi.CGIDirectory"];

const WEAK_CIPHERS: &[&str] = &[
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

const MARK_SAFE_CALLS: &[&str] = &[
    "django.utils.safestring.mark_safe",
    "django.utils.safestring.SafeText",
    "django.utils.safestring.SafeUnicode",
    "django.utils.safestring.SafeString",
    "django.utils.safestring.SafeBytes",
];

const DESERIALIZERS: &[&str] = &[
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

const UNSAFE_XML_PARSERS: &[&str] = &[
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
const WEAK_RANDOM_CALLS: &[&str] = &[
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
const UNSAFE_YAML_LOADERS: &[&str] = &["Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader", "FullLoader", "CFullLoader"];

/// Libraries whose `from_pretrained` downloads from the Hugging Face hub.
const HUB_LIBRARIES: &[&str] = &["transformers", "diffusers", "huggingface_hub", "sentence_transformers", "peft", "timm"];
const HUB_DOWNLOADS: &[&str] = &["huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download", "datasets.load_dataset", "transformers.pipeline"];

/// Bidirectional control characters that make code read differently from
/// how it runs (CVE-2021-42574). A regex, to search with its fast
/// prefilter: almost no file has one.
static BIDI_CONTROLS: LazyLock<Regex> = LazyLock::new(|| Regex::new("[\u{202A}-\u{202E}\u{2066}-\u{2069}\u{200F}]").expect("a valid pattern"));

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
    pub(super) fn finish(self, path: &Path, parsed: &Parsed<ModModule>, index: &LineIndex, ruff: &mut [Finding]) -> (Vec<Finding>, flow::Checked) {
        let line = |offset: usize| index.line_index(ruff_text_size::TextSize::new(u32::try_from(offset).unwrap_or(u32::MAX)));
        let mut own: Vec<Finding> = self
            .found
            .into_iter()
            .filter(|(finding, equivalent)| {
                equivalent.is_none_or(|code| !ruff.iter().any(|r| r.code == code && line(r.range.start) == line(finding.range.start)))
            })
            .map(|(finding, _)| finding)
            .collect();
        let mut judging = flow::Judging::of(ruff.iter().map(|r| (r.code.as_str(), r.range.clone())));
        let mut checked = flow::check(path, self.source, parsed.syntax(), &self.names, self.calls, &mut judging, &flow::Given::default());
        let flow_found = std::mem::take(&mut checked.found);
        for finding in ruff.iter_mut() {
            if flow::judges(&finding.code) {
                finding.confidence = judging.verdict(&finding.range);
            } else if WEAK_EVIDENCE.contains(&finding.code.as_str()) {
                finding.confidence = Some(Confidence::Low);
            }
        }
        let mut flow_only = Vec::new();
        for (finding, equivalents) in flow_found {
            let same_call = |r: &&mut Finding| equivalents.contains(&r.code.as_str()) && line(r.range.start) == line(finding.range.start);
            if let Some(theirs) = ruff.iter_mut().chain(own.iter_mut()).find(same_call) {
                theirs.related.extend(finding.related);
                theirs.confidence = enriched(theirs, finding.confidence);
            } else {
                flow_only.push(finding);
            }
        }
        own.append(&mut flow_only);
        (own, checked)
    }

    /// The data flow's findings alone, with the module's parameters filled
    /// by callers in other modules as `outside` says, each with the ruff
    /// rules that report the same call.
    pub(super) fn flow_with(self, path: &Path, parsed: &Parsed<ModModule>, outside: &flow::Given) -> Vec<(Finding, &'static [&'static str])> {
        let mut judging = flow::Judging::of(std::iter::empty());
        flow::check(path, self.source, parsed.syntax(), &self.names, self.calls, &mut judging, outside).found
    }
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
        Bound::new(&self.constants, self.scopes.last()).with_globals(self.globals.get_or_init(|| bound::globals(self.module)))
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

    /// Whether an lxml call is given a parser made with
    /// `resolve_entities=False` (in place, or a local bound once to one):
    /// it reads no external entity and expands none.
    fn hardened_parser(&self, args: &ruff_python_ast::Arguments) -> bool {
        let bound = self.bound();
        let parser = match args.find_argument_value("parser", 1) {
            Some(Expr::Name(n)) => bound.local(n.id.as_str()),
            other => other,
        };
        let Some(Expr::Call(made)) = parser else { return false };
        self.names.qualified(&made.func).is_some_and(|n| n.ends_with("XMLParser"))
            && made.arguments.find_keyword("resolve_entities").is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if !b.value))
    }

    fn call(&mut self, call: &ExprCall) {
        let range = call.range().start().to_usize()..call.range().end().to_usize();
        let callee_range = call.func.range().start().to_usize()..call.func.range().end().to_usize();
        let qualified = self.names.qualified(&call.func);
        self.calls.add(&self.names, call, qualified.as_deref());
        self.leave(call.start());
        let bound = self.bound();
        let mut read = keys::check(&self.names, qualified.as_deref(), call, &bound);
        read.extend(qualified.as_deref().map(|name| regex_checks::check(call, name, &bound)).unwrap_or_default());
        read.extend(host_checks::call(call, &bound));
        read.extend(regex_checks::compiled_use(call, &self.names, &bound, &self.compiled));
        let function = self.scopes.last().map(|(f, _)| *f);
        let weak = weak_settings::call(&self.names, call, qualified.as_deref(), &bound, function);
        read.extend(library_settings::call(&self.names, call, qualified.as_deref()));
        read.extend(protocol_clients::call(call, qualified.as_deref(), &bound));
        let listening = listening::call(&self.names, call, qualified.as_deref(), &bound);
        self.found.extend(read.into_iter().map(|f| (f, None)));
        self.found.extend(listening.map(|f| (f, Some("S104"))));
        self.found.extend(weak);
        let Some(name) = qualified else {
            self.call_by_method_name(call, callee_range);
            return;
        };
        let name = name.as_str();
        let args = &call.arguments;
        if name == "torch.load" && !args.find_keyword("weights_only").is_some_and(|k| is_true(&k.value)) {
            self.report(&TORCH_LOAD, callee_range, "`torch.load` without `weights_only=True` can run arbitrary code from the file".into());
        } else if name == "shutil.unpack_archive" && args.find_keyword("filter").is_none() && !args.args.first().is_some_and(is_literal) {
            self.report(
                &UNPACK_WITHOUT_FILTER,
                callee_range,
                "`shutil.unpack_archive` writes a tar archive's members where their names point (`../`, absolute paths, links); pass `filter=\"data\"`".into(),
            );
        } else if HUB_DOWNLOADS.contains(&name) && args.find_keyword("revision").is_none() {
            self.report(&UNPINNED_DOWNLOAD, callee_range, format!("`{name}` without a pinned `revision` downloads whatever the hub serves today"));
        } else if MARK_SAFE_CALLS.contains(&name) && args.args.first().is_some_and(|a| !is_literal(a)) {
            self.report(&MARK_SAFE, range, format!("`{}` on a value that is not a literal may let through cross-site scripting", short(name)));
        } else if name == "django.utils.html.html_safe" {
            self.report(&ALWAYS_SAFE, range, "`html_safe` makes what the class renders skip autoescaping".into());
        } else if name == "django.utils.html.format_html" && args.args.first().is_some_and(is_formatted) {
            self.report(
                &FORMAT_HTML_PREFORMATTED,
                range,
                "`format_html` escapes its arguments, not a format string built before it; pass the values as arguments".into(),
            );
        } else if HTTPS_CONNECTIONS.contains(&name) && args.find_keyword("context").is_none() {
            self.report(
                &HTTPS_NO_CONTEXT,
                callee_range,
                format!(
                    "`{}` without `context=` uses the process's default, which checks certificates since Python 3.4.3 unless the program turned it off; pass `ssl.create_default_context()` to be sure",
                    short(name)
                ),
            );
        } else if HTTPOXY_CALLS.contains(&name) {
            self.report(&HTTPOXY, range, format!("`{}` is open to httpoxy (CGI takes the proxy from a request header)", short(name)));
        } else if WEAK_CIPHERS.contains(&name) {
            self.report(&WEAK_CIPHER, range, format!("`{}` is a broken or weak cipher; use AES (e.g. Fernet)", short_cipher(name)));
        } else if matches!(name, "Crypto.Hash.SHA1.new" | "Cryptodome.Hash.SHA1.new" | "Crypto.Hash.MD4.new" | "Cryptodome.Hash.MD4.new") {
            self.report(&WEAK_HASH, callee_range, format!("`{}` is a broken hash for signatures and passwords; use SHA-256 or better", short_cipher(name)));
        } else if let Some(mode) = self.ecb_mode(name, args) {
            self.report(
                &ECB_MODE,
                mode,
                format!("`{}` in ECB mode encrypts equal blocks alike and leaks patterns; use GCM or CBC with a MAC", short_cipher(name)),
            );
        } else if WEAK_RANDOM_CALLS.contains(&name) {
            self.report(&WEAK_RANDOM, callee_range, format!("`{name}` is predictable; use `secrets` for tokens, keys and passwords"));
        } else if matches!(name, "tempfile.mktemp" | "os.tempnam" | "os.tmpnam") {
            // `os.tempnam`/`os.tmpnam`: Python 2's spellings of the same race.
            self.report(&MKTEMP, callee_range, format!("`{name}` is racy: another process can create the file first; use `mkstemp`"));
        } else if UNSAFE_XML_PARSERS.contains(&name) && !self.hardened_parser(args) {
            self.report(&UNSAFE_XML, callee_range, format!("`{name}` is open to XML attacks; use `defusedxml`"));
        } else if let Some(why) = self.unsafe_yaml(name, args) {
            self.report(&UNSAFE_YAML, callee_range, format!("`{}` {why}; use a safe loader (`yaml.safe_load`)", short(name)));
        } else if args.find_keyword("cert_reqs").is_some_and(|k| self.is_cert_none(&k.value)) {
            self.report(&NO_CERT_VALIDATION, range, format!("`{}` with `cert_reqs=CERT_NONE` does not check certificates", short(name)));
        } else if let Some(why) = matches!(name, "os.chmod" | "os.fchmod" | "os.lchmod")
            .then(|| args.find_argument_value("mode", 1))
            .flatten()
            .and_then(|m| permissions::permissive(&self.names, &self.bound(), m))
        {
            self.report(&PERMISSIVE_MODE, range, format!("`{name}` {why}"));
        } else if flow::is_shell_call(name) && looked_up(&self.names, &call.func) {
            self.report(&HIDDEN_SHELL, range, hidden_shell_message(name));
        } else if DESERIALIZERS.contains(&name) || (name == "numpy.load" && args.find_keyword("allow_pickle").is_some_and(|k| is_true(&k.value))) {
            self.report(&UNSAFE_DESERIALIZE, callee_range, format!("`{name}` can run arbitrary code from untrusted data"));
        } else {
            self.call_by_method_name(call, callee_range);
        }
    }

    /// Checks that match a method whatever its receiver (bandit does the same).
    fn call_by_method_name(&mut self, call: &ExprCall, callee_range: Range<usize>) {
        let Expr::Attribute(attribute) = call.func.as_ref() else { return };
        match attribute.attr.as_str() {
            "from_pretrained" if HUB_LIBRARIES.iter().any(|l| self.names.imports(l)) && call.arguments.find_keyword("revision").is_none() => {
                self.report(&UNPINNED_DOWNLOAD, callee_range, "`from_pretrained` without a pinned `revision` downloads whatever the hub serves today".into());
            }
            // A constant command cannot be injected into.
            // Turned off by name; a missing flag may be the framework's setting.
            "set_cookie" | "set_signed_cookie" => {
                for flag in ["secure", "httponly"] {
                    if let Some(off) = call.arguments.find_keyword(flag).filter(|k| matches!(&k.value, Expr::BooleanLiteral(b) if !b.value)) {
                        let range = off.range().start().to_usize()..off.range().end().to_usize();
                        let why = if flag == "secure" { "is sent over plain HTTP too" } else { "can be read by the page's scripts" };
                        self.report(&INSECURE_COOKIE, range, format!("A cookie set with `{flag}=False` {why}"));
                    }
                }
            }
            "chmod" | "lchmod" if self.is_path(&attribute.value) => {
                let mode = call.arguments.find_argument_value("mode", 0);
                if let Some(why) = mode.and_then(|m| permissions::permissive(&self.names, &self.bound(), m)) {
                    let range = call.range().start().to_usize()..call.range().end().to_usize();
                    self.report(&PERMISSIVE_MODE, range, format!("`{}` {why}", attribute.attr.as_str()));
                }
            }
            "extract" => {
                let body = self.scopes.last().map_or(self.module.body.as_slice(), |(f, _)| f.body.as_slice());
                self.found.extend(archives::extract(&self.names, call, body).map(|f| (f, None)));
            }
            "exec_command" if self.names.imports("paramiko") && call.arguments.find_argument_value("command", 0).is_some_and(|c| !is_literal(c)) => {
                self.report(&PARAMIKO_EXEC, callee_range, "`exec_command` runs a shell command on the remote host; check for injection".into());
            }
            _ => {}
        }
    }

    /// Whether `receiver` is a `pathlib` path: made in place
    /// (`Path(p)`, `Path(p) / "x"`) or a name bound once to one.
    fn is_path(&self, receiver: &Expr) -> bool {
        let made = match receiver {
            Expr::Name(n) => self.bound().value(n.id.as_str()),
            other => Some(other),
        };
        let made = match made {
            Some(Expr::BinOp(op)) if op.op == ruff_python_ast::Operator::Div => Some(op.left.as_ref()),
            other => other,
        };
        matches!(made, Some(Expr::Call(c)) if self.names.qualified(&c.func).is_some_and(|q| q.starts_with("pathlib.")))
    }

    /// Why a YAML call builds arbitrary objects, if it does.
    fn unsafe_yaml(&self, name: &str, args: &ruff_python_ast::Arguments) -> Option<&'static str> {
        match name {
            "yaml.unsafe_load" | "yaml.unsafe_load_all" => Some("builds arbitrary Python objects"),
            "yaml.load_all" | "yaml.load" => {
                let Some(loader) = args.find_argument_value("Loader", 1) else {
                    // A constant document builds only what it says.
                    let data = args.find_argument_value("stream", 0).is_some_and(|s| !is_literal(s));
                    return data.then_some("without a `Loader` builds arbitrary Python objects (PyYAML before 5.1)");
                };
                let loader = self.names.qualified(loader)?;
                UNSAFE_YAML_LOADERS.contains(&short(&loader)).then_some("with an unsafe `Loader` builds arbitrary Python objects")
            }
            "ruamel.yaml.YAML" => {
                let typ = args.find_keyword("typ")?;
                matches!(&typ.value, Expr::StringLiteral(s) if s.value.to_str() == "unsafe").then_some("with `typ=\"unsafe\"` builds arbitrary Python objects")
            }
            _ => None,
        }
    }

    fn is_cert_none(&self, value: &Expr) -> bool {
        match value {
            // urllib3 takes the name of the constant, and is lenient about it.
            Expr::StringLiteral(s) => matches!(s.value.to_str(), "CERT_NONE" | "NONE" | "none"),
            _ => self.names.qualified(value).is_some_and(|q| q.ends_with("CERT_NONE")),
        }
    }

    /// The `mode` argument of a PyCryptodome cipher (`AES.new(key,
    /// AES.MODE_ECB)`) when it is ECB.
    fn ecb_mode(&self, name: &str, args: &ruff_python_ast::Arguments) -> Option<Range<usize>> {
        let cipher = ["Crypto.Cipher.", "Cryptodome.Cipher."].iter().any(|m| name.starts_with(m)) && name.ends_with(".new");
        let mode = args.find_argument_value("mode", 1).filter(|_| cipher)?;
        let ecb = self.names.qualified(mode).is_some_and(|m| m.ends_with(".MODE_ECB"));
        ecb.then(|| mode.range().start().to_usize()..mode.range().end().to_usize())
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
        if self.names.qualified(target).as_deref() == Some("ssl._create_default_https_context")
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
            Stmt::Assign(assign) => {
                if let [target] = assign.targets.as_slice() {
                    self.unverified_default(target, &assign.value);
                    self.found.extend(keys::assigned_secret(&self.names, target, &assign.value).map(|f| (f, None)));
                    self.found.extend(weak_settings::assignment(&self.names, target, &assign.value).map(|f| (f, None)));
                    self.found.extend(library_settings::assignment(&self.names, target, &assign.value).map(|f| (f, None)));
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

/// Whether a callee is reached through a lookup by a constant name
/// (`getattr(os, "system")`, `__import__("os").system`).
fn looked_up(names: &Names, func: &Expr) -> bool {
    match func {
        Expr::Call(call) => names.dynamic(call).is_some(),
        Expr::Attribute(a) => looked_up(names, &a.value),
        _ => false,
    }
}

fn is_true(expr: &Expr) -> bool {
    matches!(expr, Expr::BooleanLiteral(b) if b.value)
}

/// A string formatted before it is passed on: `"%s" % x`, `f"{x}"`,
/// `"{}".format(x)`.
fn is_formatted(expr: &Expr) -> bool {
    match expr {
        Expr::BinOp(op) => op.op == ruff_python_ast::Operator::Mod && is_literal(&op.left),
        Expr::FString(f) => f.value.elements().any(|e| e.is_interpolation()),
        Expr::Call(call) => matches!(call.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "format" && is_literal(&a.value)),
        _ => false,
    }
}

fn is_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::StringLiteral(_) | Expr::BytesLiteral(_))
}

fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// `Crypto.Cipher.DES.new` → `DES`.
fn short_cipher(name: &str) -> &str {
    short(name.strip_suffix(".new").unwrap_or(name))
}
