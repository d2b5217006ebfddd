//! The names of the methods and objects [`super::sinks`] recognises a
//! sink by where a qualified name alone does not say it (the models of
//! `models.toml` do where it does).

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

/// `pathlib` paths, and their methods that read, write or test the file.
pub(super) const PATHS: &[&str] = &["pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath"];

pub(super) const PATH_METHODS: &[&str] =
    &["read_text", "read_bytes", "write_text", "write_bytes", "open", "unlink", "touch", "mkdir", "rmdir", "iterdir", "rename"];

pub(super) const PROBE_METHODS: &[&str] = &["exists", "is_file", "is_dir", "stat"];

/// LDAP searches: ldap3's `Connection.search(base, filter)` and
/// python-ldap's `search_s(base, scope, filterstr)` family.
pub(super) const LDAP_SEARCHES: &[&str] = &["search", "search_s", "search_st", "search_ext", "search_ext_s"];

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
