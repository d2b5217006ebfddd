//! The names the flow's evaluation ([`super::eval`]) knows by heart: what a
//! request object carries, the methods that read data in or keep the
//! string they are called on, the running process's constants and the
//! functions whose result depends on their arguments alone.

/// What a request object carries from the client (Flask and Django).
pub(super) const REQUEST_DATA: &[&str] = &[
    "args",
    "form",
    "values",
    "data",
    "json",
    "cookies",
    "headers",
    "files",
    "get_json",
    "get_data",
    "view_args",
    "query_string",
    "full_path",
    "path",
    "url",
    "GET",
    "POST",
    "COOKIES",
    "FILES",
    "META",
    "body",
    "REQUEST",
    "query_params",
    "path_params",
    "environ",
    "params",
    "matchdict",
    "json_body",
    "referrer",
];

/// What a request object holds that the server parsed or the socket gave
/// (the method, a token of the request line; the peer's address; the
/// scheme): text with no line break, yet not one of the program's
/// constants (a method may hold `$`, `|` or `'`).
pub(super) const REQUEST_LINE_FREE: &[&str] = &["method", "remote_addr", "scheme"];

/// The same read from the WSGI environ (`request.META["REMOTE_ADDR"]`).
pub(super) const ENVIRON_LINE_FREE: &[&str] = &["REMOTE_ADDR", "REQUEST_METHOD"];

/// Methods of a Tornado handler (`self.get_argument("q")`) that return
/// what the client sent.
pub(super) const HANDLER_ARGUMENTS: &[&str] =
    &["get_argument", "get_arguments", "get_query_argument", "get_query_arguments", "get_body_argument", "get_body_arguments"];

/// Methods that read from a file or a socket, whatever the receiver.
pub(super) const READS: &[&str] = &["read", "readline", "readlines", "recv", "recvfrom", "recv_into", "read_text", "read_bytes"];

/// Methods that keep the string they are called on (and mix in their
/// arguments).
pub(super) const STRING_METHODS: &[&str] = &[
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "title",
    "capitalize",
    "casefold",
    "encode",
    "decode",
    "replace",
    "format_map",
    "ljust",
    "rjust",
    "center",
    "zfill",
    "expandtabs",
    "removeprefix",
    "removesuffix",
    "split",
    "rsplit",
    "splitlines",
    "get",
    "getlist",
    "pop",
    "copy",
    "items",
    "values",
    "keys",
    "as_string",
];

/// Values of the running process that no one outside chooses.
pub(super) const PROCESS_CONSTANTS: &[&str] =
    &["sys.executable", "sys.platform", "os.devnull", "os.sep", "os.pathsep", "os.curdir", "os.pardir", "os.linesep", "os.name"];

/// Functions whose result depends on their arguments alone: given
/// constants, they give one.
pub(super) const PURE: &[&str] = &[
    "os.path.join",
    "os.path.dirname",
    "os.path.basename",
    "os.path.abspath",
    "os.path.normpath",
    "os.path.realpath",
    "os.path.splitext",
    "posixpath.join",
    "shlex.split",
    "shlex.join",
    "pathlib.Path",
    "pathlib.PurePath",
    "base64.b64encode",
    "base64.b64decode",
    "base64.urlsafe_b64encode",
    "base64.urlsafe_b64decode",
    "base64.b32encode",
    "base64.b32decode",
    "base64.b16encode",
    "base64.b16decode",
    "base64.encodebytes",
    "base64.decodebytes",
    "json.dumps",
    "json.loads",
];
