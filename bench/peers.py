"""What the benches that put pyloom beside pyright share: installing
pyright, fetching real projects as sdists, picking their library files,
starting both servers on a folder over stdio (`lsp_stdio.LspClient`), and
reading locations back.

Everything is idempotent: pyright goes to target/tools/pyright-<version>
(npm), sdists to $PYLOOM_BENCH_CACHE (default ~/.cache/pyloom-bench, shared
with bench/graph/run.sh) with `pip download --no-deps --no-binary :all:`.
"""

import ast
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsp_stdio import LspClient

REPO = Path(__file__).resolve().parents[1]
PYRIGHT_VERSION = "1.1.390"
# The peer with semantic tokens (pyright has none).
BASEDPYRIGHT_VERSION = "1.40.1"

# Folders and files that are not a project's own library code.
SKIP_DIRS = {"tests", "test", "testing", "docs", "doc", "examples", "example", "benchmarks", "bench", "scripts", "tools", "artwork"}
SKIP_FILES = re.compile(r"^(test_.*|.*_test|conftest|setup|noxfile|fabfile)\.py$")


def cache_dir():
    return Path(os.environ.get("PYLOOM_BENCH_CACHE", Path.home() / ".cache" / "pyloom-bench"))


def pyright_package():
    """pyright's npm package folder, installed first when missing."""
    prefix = REPO / "target" / "tools" / f"pyright-{PYRIGHT_VERSION}"
    package = prefix / "node_modules" / "pyright"
    if not (package / "langserver.index.js").exists():
        subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", f"pyright@{PYRIGHT_VERSION}"], check=True)
    return package


def pyright_command():
    """The command that starts pyright's language server, installed first
    when missing."""
    return ["node", str(pyright_package() / "langserver.index.js"), "--stdio"]


def pyright_unresolved_imports(root, paths):
    """How many imports pyright 1.1.390 cannot resolve in `paths` (under
    `root`, which it runs in with its default settings: `src` is searched
    too): unresolved modules (`reportMissingImports`) and names a
    `from m import n` does not find in `m` ("unknown import symbol")."""
    cli = pyright_package() / "index.js"
    done = subprocess.run(["node", str(cli), "--outputjson", *map(str, paths)], capture_output=True, text=True, cwd=root, timeout=1800)
    report = json.loads(done.stdout)
    return sum(
        1
        for d in report.get("generalDiagnostics", [])
        if d.get("rule") == "reportMissingImports" or "unknown import symbol" in d.get("message", "")
    )


def basedpyright_command():
    """The command that starts basedpyright's language server (from npm),
    installed first when missing."""
    prefix = REPO / "target" / "tools" / f"basedpyright-{BASEDPYRIGHT_VERSION}"
    script = prefix / "node_modules" / "basedpyright" / "langserver.index.js"
    if not script.exists():
        subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", f"basedpyright@{BASEDPYRIGHT_VERSION}"], check=True)
    return ["node", str(script), "--stdio"]


def pyloom_binary(given=None):
    """`given`, else the release build in $CARGO_TARGET_DIR (or target/)."""
    binary = Path(given or Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "release" / "pyloom")
    if not binary.exists():
        sys.exit(f"no pyloom binary at {binary}: cargo build --release -p pyloom, or --pyloom")
    return binary.resolve()


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def ensure_tree(spec):
    """The extracted sdist of `name==version`, downloaded when missing."""
    name, version = spec.split("==")
    sdists, trees = cache_dir() / "sdists", cache_dir() / "trees"
    sdists.mkdir(parents=True, exist_ok=True)
    trees.mkdir(parents=True, exist_ok=True)

    def archive():
        for found in sdists.glob("*.tar.gz"):
            stem_name, _, stem_version = found.name[: -len(".tar.gz")].rpartition("-")
            if normalized(stem_name) == normalized(name) and stem_version == version:
                return found
        return None

    if archive() is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", spec, "-d", str(sdists)], check=True)
    found = archive()
    tree = trees / found.name[: -len(".tar.gz")]
    if not tree.is_dir():
        with tarfile.open(found) as tar:
            tar.extractall(trees, filter="data")
    return tree.resolve()


def library_files(root):
    """The project's own library sources, relative to `root`, sorted: what
    the benches sample from and score in (some projects' pyright settings
    include only these, while pyloom indexes the whole folder)."""
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]) or SKIP_FILES.match(path.name):
            continue
        yield rel


def parsed(root, rel):
    """A file's syntax tree (None when it does not parse) and its lines."""
    text = (root / rel).read_text(encoding="utf-8", errors="replace")
    try:
        return ast.parse(text), text.splitlines()
    except SyntaxError:
        return None, []


def definitions(root, rel):
    """(line, character, name, kind, container) of each class, function and
    method at module level or in a class body (not nested in functions), at
    its name: 0-based line, UTF-16 column; kind is class, function or
    method."""
    tree, lines = parsed(root, rel)
    if tree is None:
        return

    def walk(body, container):
        for node in body:
            if isinstance(node, ast.ClassDef):
                kind, keyword = "class", "class"
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                kind, keyword = ("method" if container else "function"), "def"
            else:
                continue
            line = lines[node.lineno - 1]
            found = re.compile(rf"\b{keyword}\s+({re.escape(node.name)})\b").search(line)
            if found:
                yield node.lineno - 1, utf16_len(line[: found.start(1)]), node.name, kind, container
            if kind == "class":
                yield from walk(node.body, f"{container}.{node.name}" if container else node.name)

    yield from walk(tree.body, "")


def utf16_len(text):
    return len(text.encode("utf-16-le")) // 2


CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"dynamicRegistration": False},
        "callHierarchy": {"dynamicRegistration": False},
        "references": {"dynamicRegistration": False},
        "rename": {"dynamicRegistration": False, "prepareSupport": True},
        "completion": {"dynamicRegistration": False, "completionItem": {"snippetSupport": False}},
        "signatureHelp": {"dynamicRegistration": False, "signatureInformation": {"parameterInformation": {"labelOffsetSupport": True}}},
        "semanticTokens": {
            "dynamicRegistration": False,
            "requests": {"full": {"delta": True}, "range": True},
            "tokenTypes": ["namespace", "class", "function", "method", "property", "parameter", "variable", "decorator", "enumMember", "typeParameter", "type"],
            "tokenModifiers": ["declaration", "readonly", "defaultLibrary", "deprecated", "async", "static", "definition"],
            "formats": ["relative"],
        },
    },
    "workspace": {"configuration": True, "workspaceFolders": True, "workspaceEdit": {"documentChanges": True}},
}


def _answer_server(method, params):
    # pyright asks for its settings, one item per section: null means defaults.
    if method == "workspace/configuration":
        return [None for _ in params.get("items", [])]
    return None


def _start(cmd, root, env=None, options=None, on_request=_answer_server):
    client = LspClient(cmd, env=env, on_request=on_request)
    uri = root.as_uri()
    params = {
        "processId": os.getpid(),
        "rootUri": uri,
        "rootPath": str(root),
        "workspaceFolders": [{"uri": uri, "name": root.name}],
        "capabilities": CAPABILITIES,
    }
    if options is not None:
        params["initializationOptions"] = options
    result = client.request("initialize", params)
    client.notify("initialized", {})
    return client, result.get("capabilities", {})


def start_pyright(root):
    """pyright on `root` and its capabilities. It reads its settings (and
    then the workspace) only once told they changed."""
    client, caps = _start(pyright_command(), root)
    client.notify("workspace/didChangeConfiguration", {"settings": {}})
    return client, caps


def start_basedpyright(root):
    """basedpyright on `root` and its capabilities (told its settings
    changed, as pyright is)."""
    client, caps = _start(basedpyright_command(), root)
    client.notify("workspace/didChangeConfiguration", {"settings": {}})
    return client, caps


def scratch_dir(prefix):
    """A fresh temporary folder removed when the benchmark exits: a run
    starts many servers, each with its own cold cache of ~60 MB."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def start_pyloom(binary, root, options=None, on_request=_answer_server):
    """pyloom on `root` and its capabilities, once its log says the
    workspace is indexed (a fresh summary cache: every run indexes cold);
    `options` are its initializationOptions, `on_request` answers its
    requests to the client."""
    env = dict(os.environ, PYLOOM_CACHE_DIR=scratch_dir("pyloom-peer-bench-"))
    # The standard library's stubs, as a user has them (`pyloom stubs
    # install`, idempotent); a build without the command goes without.
    subprocess.run([str(binary), "stubs", "install"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    client, caps = _start([str(binary), "serve", "--log-level", "error"], root, env, options, on_request)
    client.wait_for("window/logMessage", lambda p: p.get("message", "").startswith("pyloom: indexed"))
    return client, caps


def path_of(uri, root):
    """The path of `uri` relative to `root` (a string), or None outside it."""
    path = Path(unquote(urlparse(uri).path))
    try:
        return str(path.relative_to(root))
    except ValueError:
        return None


def percentile(values, q):
    """The q-quantile of `values` (nearest rank), None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def fmt(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"
