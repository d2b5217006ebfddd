#!/usr/bin/env python3
"""Hover, definition and member completion into the standard library and
installed packages: pyloom against pyright 1.1.390, side by side over LSP
on stdio, on real applications with their dependencies installed in a
virtualenv.

    python3 bench/library/compare.py [--pyloom BIN] [--held-out] [--apps a,b]
        [--sites N] [--probe N] [--seed S] [--out results.json]

Each application is an sdist from PyPI (extracted under
$PYLOOM_BENCH_CACHE/trees, `bench/peers.py`); its dependencies are
installed with pip, pinned, into a virtualenv of its own under
$PYLOOM_BENCH_CACHE/library-venvs (the application itself is installed to
pull its requirements, then uninstalled: the workspace is its source).
Both servers get VIRTUAL_ENV and the venv's bin/ first on PATH, as in an
activated shell; pyright gets `python.pythonPath` (and `venvPath`/`venv`)
through workspace/configuration, pyloom `index.venv` through
initializationOptions (and workspace/configuration, should it ask).

Sites: in the application's own library files, the name of every call
(`f(...)`, `a.f(...)`) and every attribute read (`a.b`), with a fixed
seed. A separate pyright session is asked textDocument/definition at each,
in the seeded order, until --sites of them land outside the workspace
(typeshed, site-packages, the interpreter's standard library) or --probe
sites were asked. At the kept sites a fresh pyright and pyloom are scored
alike, file by file (didOpen, then the sites, then didClose), alternating
which server goes first:
  hover       a ```python block with a signature (`def`, `class`,
              `name(...)`, `name: type`, a module), not "Outside the
              workspace.";
  definition  a location whose module (from its path: site-packages,
              typeshed's stdlib/ or stubs/<dist>/, the interpreter's
              stdlib; without .py/.pyi, __init__ and a -stubs suffix) is
              pyright's target module;
  completion  for `x.attr` with the dot right before `attr`, completion
              at the position right after the dot (the text as is,
              triggered by `.`) has `attr` among its labels.
Then every site is hovered a second time (warm): file by file, each server
alone, once it has published the file's diagnostics. Timings: the first hover
at a site whose target module no earlier site of that session targeted
(first into a module), the second hovers (warm), completion; and each
server's peak RSS (VmHWM) before shutdown.
"""

import argparse
import ast
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lsp_stdio import LspClient
from peers import (
    CAPABILITIES,
    PYRIGHT_VERSION,
    cache_dir,
    ensure_tree,
    fmt,
    library_files,
    normalized,
    percentile,
    pyloom_binary,
    pyright_command,
    scratch_dir,
    utf16_len,
)

# Declared before any result was seen. TUNING apps may be read by whoever
# makes pyloom resolve into libraries; the HELD-OUT one must not be looked
# at for tuning (run it with --held-out; it is reported apart). Pins: what
# pip resolved for each application on 2026-11-24, so every run installs
# the same versions (pip and setuptools come with the venv).
APPS = [
    ("httpie==3.2.4", "tuning", [
        "certifi==2026.10.18", "charset-normalizer==3.5.2", "defusedxml==0.7.1", "idna==3.20",
        "markdown-it-py==4.3.0", "mdurl==0.1.2", "multidict==7.2.1", "Pygments==2.21.0", "PySocks==1.7.1",
        "requests==2.34.2", "requests-toolbelt==1.0.0", "rich==15.0.0", "urllib3==2.8.0",
    ]),
    ("sqlite-utils==4.2.1", "tuning", [
        "click==8.5.1", "click-default-group==1.2.4", "pluggy==1.7.0", "python-dateutil==4.0.0",
        "sqlite-fts4==1.0.3", "tabulate==0.10.0", "tzdata==2026.6",
    ]),
    # Held out in session 12; its misses were read in session 13: tuning since.
    ("cookiecutter==2.7.1", "tuning", [
        "arrow==1.4.0", "binaryornot==0.6.0", "certifi==2026.10.18", "charset-normalizer==3.5.2",
        "click==8.5.1", "idna==3.20", "Jinja2==3.1.6", "markdown-it-py==4.3.0", "MarkupSafe==3.0.4",
        "mdurl==0.1.2", "Pygments==2.21.0", "python-dateutil==4.0.0", "python-slugify==9.2.0",
        "PyYAML==6.0.3", "requests==2.34.2", "rich==15.0.0", "text-unidecode==1.3", "tzdata==2026.6",
        "urllib3==2.8.0",
    ]),
]
APPS.append(
    # Declared held out in session 13, before any of its results was seen.
    ("mkdocs==1.6.1", "held-out", [
        "click==8.5.1", "ghp-import==2.1.0", "Jinja2==3.1.6", "Markdown==3.11.3", "MarkupSafe==3.0.4",
        "mergedeep==1.3.4", "mkdocs-get-deps==0.2.2", "packaging==26.3", "pathspec==1.1.1", "platformdirs==4.14.7",
        "python-dateutil==4.0.0", "PyYAML==6.0.3", "pyyaml_env_tag==1.1", "tzdata==2026.6", "watchdog==7.1.0",
    ]),
)
CHECKS = ("hover", "definition", "completion")


# --- the environment ---------------------------------------------------------

def ensure_venv(spec, pins):
    """The application's virtualenv with its pinned requirements (and not
    the application itself), made when missing or made for other pins."""
    name = spec.split("==")[0]
    venv = cache_dir() / "library-venvs" / normalized(name)
    marker = venv / ".pyloom-bench-complete"
    wanted = "\n".join([spec, *pins])
    if marker.is_file() and marker.read_text() == wanted:
        return venv
    print(f"{name}: making {venv}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", spec, *pins], check=True)
    subprocess.run([*pip, "uninstall", "--yes", name], check=True)
    marker.write_text(wanted)
    return venv


def environment(venv):
    """The environment of an activated venv."""
    env = dict(os.environ, VIRTUAL_ENV=str(venv), PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("PYTHONHOME", None)
    return env


def stdlib_dirs(venv):
    """The interpreter's standard-library folders (the venv's base)."""
    code = "import sysconfig, json; p = sysconfig.get_paths(); print(json.dumps([p['stdlib'], p['platstdlib']]))"
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True).stdout
    dirs = {Path(d).resolve() for d in json.loads(out)}
    return sorted(dirs, key=lambda d: -len(d.parts))


# --- servers -------------------------------------------------------------------

# bench/peers.py's capabilities, and Markdown hovers (without it pyright
# answers plain text, without the ```python block).
CLIENT_CAPABILITIES = {**CAPABILITIES, "textDocument": {
    **CAPABILITIES["textDocument"],
    "hover": {"dynamicRegistration": False, "contentFormat": ["markdown", "plaintext"]},
    "definition": {"dynamicRegistration": False, "linkSupport": True},
}}


def start(cmd, root, env, sections, init_options=None):
    """A server on `root`, initialized, answering workspace/configuration
    from `sections` (section name -> settings)."""
    def answer(method, params):
        if method == "workspace/configuration":
            return [sections.get(item.get("section") or "", None) for item in params.get("items", [])]
        return None

    client = LspClient(cmd, env=env, on_request=answer)
    uri = root.as_uri()
    params = {
        "processId": os.getpid(), "rootUri": uri, "rootPath": str(root),
        "workspaceFolders": [{"uri": uri, "name": root.name}], "capabilities": CLIENT_CAPABILITIES,
    }
    if init_options is not None:
        params["initializationOptions"] = init_options
    result = client.request("initialize", params)
    client.notify("initialized", {})
    return client, result.get("capabilities", {})


def start_pyright(root, venv):
    python = {"pythonPath": str(venv / "bin" / "python"), "venvPath": str(venv.parent), "venv": venv.name,
              "analysis": {"diagnosticMode": "openFilesOnly", "autoSearchPaths": True, "useLibraryCodeForTypes": True}}
    sections = {"python": python, "python.analysis": python["analysis"], "pyright": {}}
    client, caps = start(pyright_command(), root, environment(venv), sections)
    # pyright reads its settings (and then the workspace) once told they changed.
    client.notify("workspace/didChangeConfiguration", {"settings": {"python": python}})
    return client, caps


def start_pyloom(binary, root, venv):
    """pyloom on `root` with the venv, once its log says the workspace is
    indexed; a fresh cache directory, so library modules are parsed cold."""
    env = dict(environment(venv), PYLOOM_CACHE_DIR=scratch_dir("pyloom-library-bench-"))
    # The standard library's stubs as a user has them (idempotent; a build
    # without the command goes without), as bench/peers.py does.
    subprocess.run([str(binary), "stubs", "install"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    settings = {"index": {"venv": str(venv)}}
    client, caps = start([str(binary), "serve", "--log-level", "error"], root, env, {"pyloom": settings}, settings)
    client.wait_for("window/logMessage", lambda p: p.get("message", "").startswith("pyloom: indexed"))
    return client, caps


def ask(client, errors, method, params):
    """(result, ms); an error response counts and answers None."""
    try:
        return client.timed_request(method, params)
    except RuntimeError as error:
        errors[method] += 1
        print(f"  {method}: {error}", file=sys.stderr)
        return None, None


# --- sites ---------------------------------------------------------------------

def sites_of(root, rel):
    """Call names and attribute reads of one file, each at its identifier:
    0-based line, UTF-16 column; `dot` says the identifier follows a `.`
    right away (a completion position), `fstring` that it is inside an
    f-string's replacement field."""
    text = (root / rel).read_text(encoding="utf-8", errors="replace")
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    lines = text.splitlines()
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    in_fstring = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for inner in ast.walk(node)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) in called:
            line, start, name = node.lineno - 1, node.col_offset, node.id
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            line, name = node.end_lineno - 1, node.attr
            start = node.end_col_offset - len(name.encode("utf-8"))
        else:
            continue
        raw = lines[line].encode("utf-8") if line < len(lines) else b""
        if raw[start:start + len(name.encode("utf-8"))].decode("utf-8", "replace") != name:
            continue
        before = raw[:start].decode("utf-8", "replace")
        kind = ("call-attr" if id(node) in called else "attr") if isinstance(node, ast.Attribute) else "call"
        out.append({
            "file": str(rel), "line": line, "character": utf16_len(before), "name": name, "kind": kind,
            "dot": isinstance(node, ast.Attribute) and before.endswith("."),
            "fstring": id(node) in in_fstring,
            "expr": ast.unparse(node)[:80],
        })
    out.sort(key=lambda s: (s["line"], s["character"]))
    return out


def locations(result):
    """The URIs of a definition answer (Location, Location[], LocationLink[])."""
    if not result:
        return []
    if isinstance(result, dict):
        result = [result]
    return [loc.get("targetUri") or loc.get("uri") for loc in result if loc.get("targetUri") or loc.get("uri")]


def file_of(uri):
    return Path(unquote(urlparse(uri).path)) if uri and uri.startswith("file:") else None


def module_of(path, root, stdlibs):
    """The dotted module a file is, and where it comes from: (module,
    origin) with origin builtins, stdlib, third-party or workspace; None
    when the path says nothing."""
    if path is None:
        return None, None
    resolved = path.resolve() if path.exists() else path
    parts, origin = None, None
    for marker in ("site-packages", "dist-packages"):
        if marker in path.parts:
            parts = path.parts[len(path.parts) - 1 - path.parts[::-1].index(marker) + 1:]
            origin = "third-party"
    if parts is None:
        # typeshed: .../stdlib/<module path>, .../stubs/<distribution>/<module path>
        for i in range(len(path.parts) - 1, -1, -1):
            if path.parts[i] == "stdlib":
                parts, origin = path.parts[i + 1:], "stdlib"
                break
            if path.parts[i] == "stubs" and i + 2 < len(path.parts):
                parts, origin = path.parts[i + 2:], "third-party"
                break
    if parts is None:
        for base in stdlibs:
            try:
                parts, origin = resolved.relative_to(base).parts, "stdlib"
                if parts and parts[0] == "lib-dynload":
                    parts = parts[1:]
                break
            except ValueError:
                pass
    if parts is None:
        try:
            parts, origin = resolved.relative_to(root).parts, "workspace"
        except ValueError:
            return str(path), None
    if not parts:
        return None, None
    parts = list(parts)
    parts[-1] = parts[-1].split(".", 1)[0]  # .py, .pyi, .cpython-311-x86_64-linux-gnu.so
    if parts[-1] == "__init__":
        parts.pop()
    if parts and parts[0].endswith("-stubs"):
        parts[0] = parts[0][: -len("-stubs")]
    module = ".".join(parts)
    if module == "builtins" and origin == "stdlib":
        origin = "builtins"
    return module, origin


# Where typeshed and the interpreter put `os.path`'s functions.
OS_PATH = {"posixpath", "genericpath", "ntpath"}


def package(module):
    """The top-level package of a module for the looser definition figure:
    without leading underscores (`_sqlite3`, `_io`: stubs re-export them),
    `os` for `os.path`'s homes."""
    top = module.split(".")[0].lstrip("_")
    return "os" if top in OS_PATH else top


def probe(root, venv, stdlibs, candidates, keep, most, errors):
    """Asks a pyright session for the definition at candidates in order;
    returns the ones that land outside the workspace (with pyright's
    target) and how the probed ones landed."""
    client, _ = start_pyright(root, venv)
    kept, landed = [], Counter()
    try:
        for s in candidates[:most]:
            result, _ = ask(client, errors, "textDocument/definition", {
                "textDocument": {"uri": (root / s["file"]).as_uri()},
                "position": {"line": s["line"], "character": s["character"]}})
            targets = [module_of(file_of(uri), root, stdlibs) for uri in locations(result)]
            if not targets:
                landed["nothing"] += 1
            elif any(origin == "workspace" for _, origin in targets):
                landed["workspace"] += 1
            elif any(origin is None for _, origin in targets):
                landed["unrecognized"] += 1
                print(f"  pyright's definition at {s['file']}:{s['line'] + 1} {s['expr']}: {locations(result)}", file=sys.stderr)
            else:
                landed["outside"] += 1
                kept.append(dict(s, order=len(kept), target=targets[0][0], targets=sorted({m for m, _ in targets}), origin=targets[0][1]))
                if len(kept) == keep:
                    break
    finally:
        client.close()
    return kept, landed


# --- scoring -------------------------------------------------------------------

def hover_text(result):
    """A hover's contents as Markdown."""
    if not result:
        return ""
    contents = result.get("contents")

    def one(c):
        if isinstance(c, str):
            return c
        if isinstance(c, dict) and "language" in c:
            return f"```{c['language']}\n{c.get('value', '')}\n```"
        if isinstance(c, dict):
            return c.get("value", "")
        return ""

    return "\n".join(one(c) for c in contents) if isinstance(contents, list) else one(contents)


PYTHON_BLOCK = re.compile(r"```(?:python|py)\s*\n(.*?)```", re.S)


def has_signature(text, name):
    """A ```python block that shows what `name` is: a def, a class, a
    call signature, an annotation or a module (pyright: `(function) def
    get(...)`, `(property) status_code: int`, `class Path(...)`, `(class)
    ArgumentParser` where it is not called, `(module) path`, `(type) path =
    Module("..path")`)."""
    if "Outside the workspace." in text:
        return False
    n = re.escape(name)
    for block in PYTHON_BLOCK.findall(text):
        if (re.search(r"\b(def|class)\)?\s+\w", block) or re.search(rf"\b{n}\s*\(.*\)", block, re.S)
                or re.search(rf"\b{n}\s*:\s*\S", block) or re.search(rf"\bmodule\)?\s+[\w.]*\b{n}\b", block)
                or re.search(rf"\b{n}\s*=\s*Module\(", block)):
            return True
    return False


def labels(result):
    items = result.get("items", []) if isinstance(result, dict) else result or []
    out = set()
    for item in items:
        label = item.get("label", "")
        out.add(label)
        out.add(re.sub(r"\(.*$", "", label).strip())
        for key in ("filterText", "insertText"):
            if item.get(key):
                out.add(item[key])
    return out, len(items)


class Session:
    """One server on one application: the three requests at a site, timed."""

    def __init__(self, name, client, root, stdlibs):
        self.name, self.client, self.root, self.stdlibs = name, client, root, stdlibs
        self.errors = Counter()
        self.touched = set()
        self.times = {"first_hover": [], "hover": [], "warm_hover": [], "definition": [], "completion": []}

    def open(self, rel):
        text = (self.root / rel).read_text(encoding="utf-8", errors="replace")
        self.client.notify("textDocument/didOpen", {"textDocument": {"uri": (self.root / rel).as_uri(), "languageId": "python", "version": 1, "text": text}})

    def close_file(self, rel):
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": (self.root / rel).as_uri()}})

    def at(self, s):
        return {"textDocument": {"uri": (self.root / s["file"]).as_uri()}, "position": {"line": s["line"], "character": s["character"]}}

    def score(self, s):
        out = {}
        first = s["target"] not in self.touched
        self.touched.update(s["targets"])
        result, ms = ask(self.client, self.errors, "textDocument/hover", self.at(s))
        if ms is not None:
            self.times["first_hover" if first else "hover"].append(ms)
        text = hover_text(result)
        out["hover"] = has_signature(text, s["name"])
        out["hover_any"] = bool(text.strip())
        out["hover_text"] = text[:300]
        result, ms = ask(self.client, self.errors, "textDocument/definition", self.at(s))
        if ms is not None:
            self.times["definition"].append(ms)
        modules = [module_of(file_of(uri), self.root, self.stdlibs)[0] for uri in locations(result)]
        out["definition_modules"] = modules
        # pyright's definition of `os.path` is where `os` binds `path`; the
        # module itself is as good.
        out["definition"] = any(m in s["targets"] or m in {f"{t}.{s['name']}" for t in s["targets"]} for m in modules)
        out["definition_top"] = any(m and package(m) in {package(t) for t in s["targets"]} for m in modules)
        if s["dot"]:
            params = dict(self.at(s), context={"triggerKind": 2, "triggerCharacter": "."})
            result, ms = ask(self.client, self.errors, "textDocument/completion", params)
            if ms is not None:
                self.times["completion"].append(ms)
            found, count = labels(result)
            out["completion"] = s["name"] in found
            out["completion_items"] = count
            out["completion_incomplete"] = isinstance(result, dict) and bool(result.get("isIncomplete"))
            if out["completion_incomplete"] and not out["completion"]:
                # A cut list: an editor asks again once a character is typed
                # (the text is as is: the attribute's first letter is there).
                params = dict(params, position={"line": s["line"], "character": s["character"] + 1},
                              context={"triggerKind": 3})
                result, _ = ask(self.client, self.errors, "textDocument/completion", params)
                out["completion"] = s["name"] in labels(result)[0]
                out["completion_retyped"] = True
        return out

    def warm(self, rel, group):
        """Opens `rel` in this server alone, waits for its diagnostics (the
        work an open starts is done), then hovers each site again."""
        self.open(rel)
        uri = (self.root / rel).as_uri()
        self.client.wait_for("textDocument/publishDiagnostics", lambda p: p.get("uri") == uri)
        for s in group:
            _, ms = ask(self.client, self.errors, "textDocument/hover", self.at(s))
            if ms is not None:
                self.times["warm_hover"].append(ms)
        self.close_file(rel)


def run_app(spec, split, pins, pyloom, keep, most, seed):
    root = ensure_tree(spec)
    venv = ensure_venv(spec, pins)
    stdlibs = stdlib_dirs(venv)
    candidates = [s for rel in library_files(root) for s in sites_of(root, rel)]
    random.Random(seed).shuffle(candidates)
    errors = {"probe": Counter()}
    started = time.perf_counter()
    sites, landed = probe(root, venv, stdlibs, candidates, keep, most, errors["probe"])
    probe_s = time.perf_counter() - started
    print(f"{root.name} ({split}): {len(candidates)} sites; pyright's definition at {sum(landed.values())} of them: "
          f"{dict(landed)}; {len(sites)} kept ({probe_s:.0f} s)", file=sys.stderr)

    started = time.perf_counter()
    loom_client, loom_caps = start_pyloom(pyloom, root, venv)
    index_s = time.perf_counter() - started
    pyright_client, _ = start_pyright(root, venv)
    sessions = {"pyloom": Session("pyloom", loom_client, root, stdlibs), "pyright": Session("pyright", pyright_client, root, stdlibs)}
    by_file = defaultdict(list)
    for s in sites:
        by_file[s["file"]].append(s)
    answers = []
    turn = 0
    for rel, group in by_file.items():
        for session in sessions.values():
            session.open(rel)
        for s in group:
            turn += 1
            order = ["pyloom", "pyright"] if turn % 2 else ["pyright", "pyloom"]
            scored = {name: sessions[name].score(s) for name in order}
            answers.append({"site": s, **scored})
        for session in sessions.values():
            session.close_file(rel)
    # Warm hovers: one server at a time on a file it has just opened and
    # finished with, so that neither's background work (pyright checks an
    # opened file) is timed in the other's answers.
    for rel, group in by_file.items():
        turn += 1
        for name in (["pyloom", "pyright"] if turn % 2 else ["pyright", "pyloom"]):
            sessions[name].warm(rel, group)
    rss = {name: session.client.peak_rss_mb() for name, session in sessions.items()}
    for session in sessions.values():
        session.client.close()
    for name, session in sessions.items():
        errors[name] = session.errors
    return {
        "app": root.name, "spec": spec, "split": split, "venv": str(venv), "candidates": len(candidates),
        "probed": dict(landed), "sites": len(sites), "pyloom_index_s": index_s,
        "pyloom_advertises": {k: bool(loom_caps.get(k)) for k in ("hoverProvider", "definitionProvider", "completionProvider")},
        "answers": answers,
        "times_ms": {name: session.times for name, session in sessions.items()},
        "peak_rss_mb": rss,
        "errors": {k: dict(v) for k, v in errors.items()},
    }


# --- reporting -----------------------------------------------------------------

def tally(answers):
    """Per server and check: (hits, asked)."""
    t = {name: {c: [0, 0] for c in (*CHECKS, "hover_any", "definition_top")} for name in ("pyloom", "pyright")}
    for a in answers:
        for name in t:
            for check in t[name]:
                if check in a[name]:
                    t[name][check][0] += bool(a[name][check])
                    t[name][check][1] += 1
    return t


def pct(hit_asked):
    hits, asked = hit_asked
    return f"{100 * hits / asked:.1f}% ({hits}/{asked})" if asked else "-"


def latency(times):
    def q(key, p):
        return percentile(times[key], p)
    return {
        "first_hover": {"n": len(times["first_hover"]), "p50": q("first_hover", 0.5), "p95": q("first_hover", 0.95)},
        "warm_hover": {"n": len(times["warm_hover"]), "p50": q("warm_hover", 0.5), "p99": q("warm_hover", 0.99)},
        "completion": {"n": len(times["completion"]), "p50": q("completion", 0.5), "p99": q("completion", 0.99)},
        "definition": {"n": len(times["definition"]), "p50": q("definition", 0.5), "p99": q("definition", 0.99)},
    }


def missed(answer):
    return [c for c in CHECKS if c in answer["pyloom"] and not answer["pyloom"][c]]


def summarize(results):
    groups = [(r["app"], r["split"], [r]) for r in results]
    for split in ("tuning", "held-out"):
        members = [r for r in results if r["split"] == split]
        if len(members) > 1:
            groups.append((f"all {split}", split, members))
    rows = []
    for name, split, members in groups:
        answers = [a for r in members for a in r["answers"]]
        times = {server: {k: [v for r in members for v in r["times_ms"][server][k]] for k in members[0]["times_ms"][server]}
                 for server in ("pyloom", "pyright")}
        by_origin = {}
        for origin in ("builtins", "stdlib", "third-party"):
            subset = [a for a in answers if a["site"]["origin"] == origin]
            by_origin[origin] = tally(subset)
        rows.append({
            "name": name, "split": split, "sites": len(answers), "scores": tally(answers), "by_origin": by_origin,
            "latency_ms": {server: latency(times[server]) for server in times},
            "peak_rss_mb": {server: max((r["peak_rss_mb"][server] or 0) for r in members) for server in ("pyloom", "pyright")},
        })
    return rows


def miss_kinds(answers):
    """pyloom's misses by check, site kind and where pyright's target is."""
    kinds = Counter()
    for a in answers:
        for check in missed(a):
            kind = a["site"]["kind"] + (" in f-string" if a["site"]["fstring"] else "")
            kinds[(check, kind, a["site"]["origin"])] += 1
    return kinds


def print_report(results, rows, pyloom):
    load = os.getloadavg()
    print(f"\npyloom {pyloom}, pyright {PYRIGHT_VERSION}; load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    for r in results:
        print(f"{r['app']} ({r['split']}): {r['candidates']} sites, pyright's definition at {sum(r['probed'].values())}: "
              f"{r['probed']}; {r['sites']} outside the workspace kept; pyloom indexed in {r['pyloom_index_s']:.1f} s")
        missing = [k for k, v in r["pyloom_advertises"].items() if not v]
        if missing:
            print(f"  pyloom does not advertise {', '.join(missing)}")
        errors = {k: v for k, v in r["errors"].items() if v}
        if errors:
            print(f"  request errors {errors}")

    print("\nAt the sites where pyright's definition lands outside the workspace (pyloom | pyright):")
    print("| app | split | sites | hover signature | definition same module | completion offers attr |")
    print("| --- | --- | ---: | --- | --- | --- |")
    for row in rows:
        s = row["scores"]
        cells = [f"{pct(s['pyloom'][c])} \\| {pct(s['pyright'][c])}" for c in CHECKS]
        print(f"| {row['name']} | {row['split']} | {row['sites']} | {' | '.join(cells)} |")

    print("\nBy where pyright's target is (pyloom | pyright; hover, definition, completion):")
    print("| app | target | sites | hover | definition | completion |")
    print("| --- | --- | ---: | --- | --- | --- |")
    for row in rows:
        for origin, t in row["by_origin"].items():
            if t["pyright"]["definition"][1]:
                cells = [f"{pct(t['pyloom'][c])} \\| {pct(t['pyright'][c])}" for c in CHECKS]
                print(f"| {row['name']} | {origin} | {t['pyright']['definition'][1]} | {' | '.join(cells)} |")

    print("\nLooser figures (pyloom | pyright): any hover text; definition in the same top-level package:")
    for row in rows:
        s = row["scores"]
        print(f"  {row['name']}: hover any {pct(s['pyloom']['hover_any'])} | {pct(s['pyright']['hover_any'])}; "
              f"definition same package {pct(s['pyloom']['definition_top'])} | {pct(s['pyright']['definition_top'])}")

    print("\nLatency ms and peak RSS MB (pyloom vs pyright):")
    print("| app | first hover into a module p50/p95 (n) | warm hover p50/p99 | completion p50/p99 | definition p50/p99 | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        a, b = row["latency_ms"]["pyloom"], row["latency_ms"]["pyright"]
        first = f"{fmt(a['first_hover']['p50'])}/{fmt(a['first_hover']['p95'])} ({a['first_hover']['n']}) vs {fmt(b['first_hover']['p50'])}/{fmt(b['first_hover']['p95'])} ({b['first_hover']['n']})"
        warm = f"{fmt(a['warm_hover']['p50'])}/{fmt(a['warm_hover']['p99'])} vs {fmt(b['warm_hover']['p50'])}/{fmt(b['warm_hover']['p99'])}"
        comp = f"{fmt(a['completion']['p50'])}/{fmt(a['completion']['p99'])} vs {fmt(b['completion']['p50'])}/{fmt(b['completion']['p99'])}"
        defn = f"{fmt(a['definition']['p50'])}/{fmt(a['definition']['p99'])} vs {fmt(b['definition']['p50'])}/{fmt(b['definition']['p99'])}"
        rss = row["peak_rss_mb"]
        print(f"| {row['name']} | {first} | {warm} | {comp} | {defn} | {fmt(rss['pyloom'], 0)} vs {fmt(rss['pyright'], 0)} |")

    for split in ("tuning", "held-out"):
        answers = [a for r in results if r["split"] == split for a in r["answers"]]
        if not answers:
            continue
        kinds = miss_kinds(answers)
        if kinds:
            print(f"\npyloom's misses ({split}) by check, site kind and target:")
            for (check, kind, origin), n in kinds.most_common(12):
                print(f"  {n:4d}  {check:10s} {kind:19s} {origin}")
        # In the seeded order (the answers are grouped by file).
        misses = sorted((a for a in answers if missed(a)), key=lambda a: (a["site"]["order"], a["site"]["file"]))
        print(f"\npyloom's first 20 misses ({split}, {len(misses)} sites with a miss, in the seeded order):")
        for a in misses[:20]:
            s, loom = a["site"], a["pyloom"]
            app = next(r["app"] for r in results if a in r["answers"])
            got = loom["hover_text"].strip().replace("\n", " ")[:50]
            print(f"  {app}/{s['file']}:{s['line'] + 1}  {s['expr']}  -> {s['target']}  missed {','.join(missed(a))}"
                  f"  [pyloom hover: {got!r}; definition: {loom['definition_modules'][:2]}"
                  + (f"; completion items {loom.get('completion_items')}{' (cut)' if loom.get('completion_incomplete') else ''}" if s["dot"] else "") + "]")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyloom", help="the pyloom binary (default: the release build in $CARGO_TARGET_DIR or target/)")
    parser.add_argument("--held-out", action="store_true", help="also run the held-out application (reported apart)")
    parser.add_argument("--apps", help="comma-separated application names (default: the tuning ones, and the held-out one with --held-out)")
    parser.add_argument("--sites", type=int, default=200, help="sites outside the workspace kept per application")
    parser.add_argument("--probe", type=int, default=600, help="at most this many sites asked of pyright per application")
    parser.add_argument("--seed", type=int, default=27)
    parser.add_argument("--out", help="write the results here (JSON)")
    args = parser.parse_args()
    pyloom = pyloom_binary(args.pyloom)
    wanted = {normalized(a) for a in args.apps.split(",")} if args.apps else None
    apps = [(spec, split, pins) for spec, split, pins in APPS
            if (normalized(spec.split("==")[0]) in wanted if wanted else split == "tuning" or args.held_out)]
    results = [run_app(spec, split, pins, pyloom, args.sites, args.probe, args.seed) for spec, split, pins in apps]
    rows = summarize(results)
    print_report(results, rows, pyloom)
    if args.out:
        Path(args.out).write_text(json.dumps({"pyloom": str(pyloom), "pyright": PYRIGHT_VERSION, "seed": args.seed,
                                              "summary": rows, "apps": results}, indent=1))


if __name__ == "__main__":
    main()
