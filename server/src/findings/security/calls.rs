//! The checks of one call: by the qualified name the call resolves to, or
//! by its method's name whatever the receiver.

use std::ops::Range;
use std::sync::LazyLock;

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;
use rustc_hash::FxHashSet;

use super::tables::*;
use super::{Checker, hidden_shell_message};
use crate::findings::archives;
use crate::findings::flow;
use crate::findings::host_checks;
use crate::findings::keys;
use crate::findings::library_settings;
use crate::findings::listening;
use crate::findings::names::Names;
pub(super) use crate::findings::names::last_part as short;
use crate::findings::permissions;
use crate::findings::protocol_clients;
use crate::findings::regex_checks;
use crate::findings::weak_settings;

/// The last part of every callee [`Checker::call`] tests by name before it
/// tests the method alone (`load` of `yaml.load`; `new` of the ciphers and
/// hashes of PyCryptodome): a test by a new name needs the name here; the
/// tables are taken in whole. (The tests by the `cert_reqs` keyword and of
/// a shell run looked up by name go by the keyword and the flow's models.)
static CALLEES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    const NAMED: &[&str] = &[
        "torch.load",
        "shutil.unpack_archive",
        "django.utils.html.html_safe",
        "django.utils.html.format_html",
        "Crypto.Cipher.AES.new",
        "tempfile.mktemp",
        "os.tempnam",
        "os.tmpnam",
        "yaml.unsafe_load",
        "yaml.unsafe_load_all",
        "yaml.load_all",
        "yaml.load",
        "ruamel.yaml.YAML",
        "os.chmod",
        "os.fchmod",
        "os.lchmod",
        "numpy.load",
        "open",
        "io.open",
    ];
    let tables: [&[&str]; 9] =
        [NAMED, HUB_DOWNLOADS, MARK_SAFE_CALLS, HTTPS_CONNECTIONS, HTTPOXY_CALLS, WEAK_CIPHERS, WEAK_RANDOM_CALLS, UNSAFE_XML_PARSERS, DESERIALIZERS];
    tables.into_iter().flatten().map(|name| short(name)).collect()
});

impl<'s> Checker<'s> {
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

    pub(super) fn call(&mut self, call: &ExprCall) {
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
        let args = &call.arguments;
        // Most calls are none of the callees below: they are answered by
        // the last part of their name instead of by each test in turn.
        let Some(name) = qualified.filter(|name| CALLEES.contains(short(name)) || args.find_keyword("cert_reqs").is_some() || flow::is_shell_call(name)) else {
            self.call_by_method_name(call, callee_range);
            return;
        };
        let name = name.as_str();
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
            // Named as written: `import cPickle as pickle` in a Python 2
            // branch makes `pickle.loads` resolve to `cPickle.loads`.
            let written = &self.source[callee_range.clone()];
            let shown = if written.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') { written } else { name };
            self.report(&UNSAFE_DESERIALIZE, callee_range, format!("`{shown}` can run arbitrary code from untrusted data"));
        } else if let Some(finding) =
            matches!(name, "open" | "io.open").then(|| archives::member_written(&self.names, call, self.body(), |n| self.bound().local(n))).flatten()
        {
            self.found.push((finding, None));
        } else {
            self.call_by_method_name(call, callee_range);
        }
    }

    /// The enclosing function's body, or the module's.
    fn body(&self) -> &'s [ruff_python_ast::Stmt] {
        self.scopes.last().map_or(self.module.body.as_slice(), |(f, _)| f.body.as_slice())
    }

    /// Checks that match a method whatever its receiver (bandit does the same).
    fn call_by_method_name(&mut self, call: &ExprCall, callee_range: Range<usize>) {
        let Expr::Attribute(attribute) = call.func.as_ref() else { return };
        match attribute.attr.as_str() {
            "from_pretrained" if HUB_LIBRARIES.iter().any(|l| self.names.imports(l)) && call.arguments.find_keyword("revision").is_none() => {
                self.report(&UNPINNED_DOWNLOAD, callee_range, "`from_pretrained` without a pinned `revision` downloads whatever the hub serves today".into());
            }
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
            "extract" => self.found.extend(archives::extract(&self.names, call, self.body()).map(|f| (f, None))),
            "extractall" if archives::zip_extractall(&self.names, call, self.body()) => self.zip_extractalls.push(call.start()),
            // A session's or client's request (`requests.Session().get(u,
            // verify=False)`, `s.post(...)`): ruff's S501 reads only the
            // modules' own functions.
            method
                if SESSION_METHODS.contains(&method)
                    && ["requests", "httpx"].iter().any(|m| self.names.imports(m))
                    && call.arguments.find_keyword("verify").is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if !b.value)) =>
            {
                let range = call.range().start().to_usize()..call.range().end().to_usize();
                self.report(
                    &NO_CERT_VALIDATION,
                    range,
                    format!("`.{method}` with `verify=False` does not check certificates: a man in the middle reads and changes the traffic"),
                );
            }
            // A constant command cannot be injected into.
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

/// `Crypto.Cipher.DES.new` → `DES`.
fn short_cipher(name: &str) -> &str {
    short(name.strip_suffix(".new").unwrap_or(name))
}
