//! The names of the calls where data becomes dangerous, by family: what
//! [`super::sinks`] recognises a sink by.

pub(super) const SHELL_CALLS: &[&str] = &[
    "os.system",
    "os.popen",
    "os.popen2",
    "os.popen3",
    "os.popen4",
    "commands.getoutput",
    "commands.getstatusoutput",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "asyncio.create_subprocess_shell",
    "asyncio.subprocess.create_subprocess_shell",
    "popen2.popen2",
    "popen2.popen3",
    "popen2.popen4",
    "popen2.Popen3",
    "popen2.Popen4",
];

pub(super) const PROCESS_CALLS: &[&str] = &[
    "subprocess.call",
    "subprocess.run",
    "subprocess.Popen",
    "subprocess.check_call",
    "subprocess.check_output",
    "asyncio.create_subprocess_exec",
    "asyncio.subprocess.create_subprocess_exec",
    "os.execl",
    "os.execle",
    "os.execlp",
    "os.execlpe",
    "os.execv",
    "os.execve",
    "os.execvp",
    "os.execvpe",
    "os.spawnl",
    "os.spawnle",
    "os.spawnlp",
    "os.spawnlpe",
    "os.spawnv",
    "os.spawnve",
    "os.spawnvp",
    "os.spawnvpe",
    "os.startfile",
    "os.posix_spawn",
    "os.posix_spawnp",
    "pty.spawn",
    "sh.Command",
];

pub(super) const CODE_CALLS: &[&str] = &[
    "eval",
    "exec",
    "compile",
    "builtins.eval",
    "builtins.exec",
    "builtins.compile",
    "__builtins__.eval",
    "code.compile_command",
    "_testcapi.run_in_subinterp",
    "test.support.run_in_subinterp",
    "_xxsubinterpreters.run_string",
];

pub(super) const TEMPLATE_CALLS: &[&str] =
    &["flask.render_template_string", "jinja2.Template", "django.template.Template", "mako.template.Template", "django.template.engines['django'].from_string"];

pub(super) const URL_CALLS: &[&str] = &[
    "urllib.request.urlopen",
    "urllib.urlopen",
    "urllib2.urlopen",
    "urllib.request.urlretrieve",
    "urllib.urlretrieve",
    "six.moves.urllib.request.urlopen",
    "urllib.request.Request",
    "urllib2.Request",
    "six.moves.urllib.request.Request",
];

/// HTTP clients: a URL from a request reaches other hosts (SSRF).
pub(super) const HTTP_CLIENTS: &[&str] = &["requests", "httpx", "urllib3", "aiohttp"];

pub(super) const HTTP_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "request", "urlopen", "stream", "Request"];

/// Their session objects, whose methods are the same calls.
pub(super) const HTTP_SESSIONS: &[&str] = &[
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "httpx.Client",
    "httpx.AsyncClient",
    "aiohttp.ClientSession",
    "urllib3.PoolManager",
    "urllib3.ProxyManager",
];

/// Django's template rendering of a view.
pub(super) const RENDERS: &[&str] = &["django.shortcuts.render", "django.shortcuts.render_to_response", "django.template.response.TemplateResponse"];

/// Interactive interpreters of the `code` module, whose methods run source.
pub(super) const INTERPRETERS: &[&str] = &["code.InteractiveConsole", "code.InteractiveInterpreter"];

pub(super) const INTERPRETER_METHODS: &[&str] = &["push", "runcode", "runsource"];

/// Responses whose body is sent as HTML as it is.
pub(super) const HTML_RESPONSES: &[&str] = &[
    "django.http.HttpResponse",
    "django.http.HttpResponseBadRequest",
    "django.http.HttpResponseNotFound",
    "django.shortcuts.HttpResponse",
    "django.utils.html.format_html",
    "django.utils.safestring.mark_safe",
    "flask.make_response",
    "flask.Response",
    "flask.Markup",
    "markupsafe.Markup",
    "werkzeug.Response",
    "werkzeug.wrappers.Response",
];

/// Responses that send the browser to another URL.
pub(super) const REDIRECTS: &[&str] = &[
    "django.shortcuts.redirect",
    "django.http.HttpResponseRedirect",
    "django.http.HttpResponsePermanentRedirect",
    "django.http.response.HttpResponseRedirect",
    "flask.redirect",
    "werkzeug.utils.redirect",
    "starlette.responses.RedirectResponse",
    "fastapi.responses.RedirectResponse",
];

/// Calls that open or send the file at a path.
pub(super) const FILE_CALLS: &[&str] = &[
    "open",
    "io.open",
    "codecs.open",
    "os.open",
    "os.remove",
    "os.unlink",
    "shutil.rmtree",
    "shutil.copy",
    "shutil.copyfile",
    "shutil.move",
    "os.listdir",
    "os.stat",
    "os.rename",
    "os.mkdir",
    "os.makedirs",
    "os.rmdir",
    "shutil.copytree",
    "flask.send_file",
    "flask.send_from_directory",
    "django.http.FileResponse",
];

/// `pathlib` paths, and their methods that read, write or test the file.
pub(super) const PATHS: &[&str] = &["pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath"];

pub(super) const PATH_METHODS: &[&str] =
    &["read_text", "read_bytes", "write_text", "write_bytes", "open", "unlink", "touch", "mkdir", "rmdir", "iterdir", "rename"];

/// Tests of whether a file exists (or of its kind and size).
pub(super) const PROBES: &[&str] = &["os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.getsize"];

pub(super) const PROBE_METHODS: &[&str] = &["exists", "is_file", "is_dir", "stat"];

/// LDAP searches: ldap3's `Connection.search(base, filter)` and
/// python-ldap's `search_s(base, scope, filterstr)` family.
pub(super) const LDAP_SEARCHES: &[&str] = &["search", "search_s", "search_st", "search_ext", "search_ext_s"];

/// XPath evaluation, with where the expression is passed.
pub(super) const XPATH_CALLS: &[(&str, usize)] =
    &[("elementpath.select", 1), ("elementpath.iter_select", 1), ("elementpath.Selector", 0), ("lxml.etree.XPath", 0), ("lxml.etree.ETXPath", 0)];

/// XML parsing that takes a parser (second), the one that may have
/// external entities turned on.
pub(super) const XML_PARSES: &[&str] = &[
    "xml.dom.minidom.parseString",
    "xml.dom.minidom.parse",
    "xml.dom.pulldom.parseString",
    "xml.dom.pulldom.parse",
    "lxml.etree.fromstring",
    "lxml.etree.parse",
    "lxml.etree.XML",
];

/// Objects whose `.open`/`.retrieve` fetch a URL.
pub(super) const OPENERS: &[&str] = &[
    "urllib.request.URLopener",
    "urllib.request.FancyURLopener",
    "urllib.URLopener",
    "urllib.FancyURLopener",
    "urllib.request.OpenerDirector",
    "urllib.request.build_opener",
    "urllib2.build_opener",
    "urllib2.OpenerDirector",
];

/// MongoDB collection methods that take a filter, where `$where` runs
/// JavaScript on the server.
pub(super) const MONGO_FILTERS: &[&str] = &[
    "find",
    "find_one",
    "count_documents",
    "delete_one",
    "delete_many",
    "update_one",
    "update_many",
    "replace_one",
    "find_one_and_update",
    "find_one_and_delete",
    "find_one_and_replace",
    "distinct",
];

/// Django's mail functions that take an `html_message`.
pub(super) const HTML_MAILS: &[&str] = &["django.core.mail.send_mail", "django.core.mail.mail_admins", "django.core.mail.mail_managers"];

/// ORM methods that set a model's fields from keywords.
pub(super) const MASS_ASSIGNERS: &[&str] = &["create", "update", "get_or_create", "update_or_create"];

/// Keywords of Django's `QuerySet.extra` that take SQL.
pub(super) const EXTRA_SQL: &[&str] = &["select", "where", "tables", "order_by"];
