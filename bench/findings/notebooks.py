"""Lint parity with ruff 0.16.4 on the Jupyter notebooks of real projects,
and the time of a cell edit's diagnostics over LSP.

Corpora: the `.ipynb` files in PyPI sdists (cached under bench/.cache).
statsmodels' example notebooks were looked at while building notebook
support (tuning); jupytext's, nbconvert's, papermill's and nbclient's test
notebooks were not (held out). Both tools check the notebooks alone with
the same rules (the project's ruff configuration plus `S`, as
parity.py runs them); findings are compared as (file, cell, line in cell,
code) sets, syntax errors left out (ruff reports them without a code), and
`S101` left out: `--extend-select S` on ruff's command line turns it back
on over the project's own `ignore`, and pyloom's default leaves it out of
test files (see the README), so it differs by design, not by reading.

    python3 bench/findings/notebooks.py [statsmodels jupytext ...]
    python3 bench/findings/notebooks.py --edits     # cell-edit latency, pushed and pulled, and ruff's
    python3 bench/ide/counted.py --pyloom BIN --out DIR -- bench/findings/notebooks.py --edits   # its CPU, counted
    python3 bench/findings/notebook_callgrind.py --pyloom BIN --out DIR   # its pushed edits counted, one callgrind dump each
    python3 bench/findings/notebooks.py --fix-all nbclient ...   # source.fixAll's cells against `ruff check --fix`

`--fix-all` copies each notebook alone into a folder without configuration,
runs `ruff check --fix --isolated` on one copy and pyloom's
`source.fixAll` (over LSP, its cell edits applied) on the notebook, and
counts the notebooks whose code cells come out identical.
"""

import json
import os
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

from common import CACHE, ensure_venv, pyloom_bin, venv_bin

CORPORA = {
    "statsmodels": "statsmodels-0.15.0.tar.gz",
    "jupytext": "jupytext-1.16.4.tar.gz",
    "nbconvert": "nbconvert-7.16.4.tar.gz",
    "papermill": "papermill-2.7.0.tar.gz",
    "nbclient": "nbclient-0.11.0.tar.gz",
}
HELD_OUT = {"jupytext", "nbconvert", "papermill", "nbclient"}


def sdist(key: str) -> Path:
    """The unpacked sdist, fetched by file name from PyPI's simple index
    (`pip download` would build statsmodels' metadata)."""
    filename = CORPORA[key]
    root = CACHE / "src" / filename[: -len(".tar.gz")]
    if root.exists():
        return root
    name = filename.rsplit("-", 1)[0]
    request = urllib.request.Request(f"https://pypi.org/simple/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    files = json.load(urllib.request.urlopen(request, timeout=60))["files"]
    url = next(f["url"] for f in files if f["filename"] == filename)
    archive = CACHE / "sdists" / filename
    archive.parent.mkdir(parents=True, exist_ok=True)
    urllib.request.urlretrieve(url, archive)
    with tarfile.open(archive) as tar:
        tar.extractall(CACHE / "src", filter="data")
    return root


def ruff_findings(root: Path, notebooks: list) -> set:
    out = subprocess.run([str(venv_bin("ruff")), "check", "--no-cache", "--extend-select", "S",
                          "--output-format", "json", "--exit-zero", *map(str, notebooks)],
                         cwd=root, capture_output=True, text=True, check=True).stdout
    found = set()
    for f in json.loads(out):
        if not f["code"] or f["code"] in ("invalid-syntax", "S101"):
            continue
        cell = f["location"].get("cell") if isinstance(f["location"], dict) else None
        found.add((str(Path(f["filename"]).resolve().relative_to(root)), f.get("cell") or cell, f["location"]["row"], f["code"]))
    return found


def pyloom_findings(pyloom: Path, root: Path, notebooks: list) -> set:
    # Every confidence shown: what ruff reports, judged or not (as parity.py).
    out = subprocess.run([str(pyloom), "check", "--no-graph", "--confidence", "low", "--format", "json", *map(str, notebooks)],
                         cwd=root, capture_output=True, text=True).stdout
    return {(str((root / f["file"]).resolve().relative_to(root)), f.get("cell"), f["line"], f["code"])
            for f in json.loads(out) if f["category"] in ("lint", "security") and not f["code"].startswith("LOOM") and f["code"] != "S101"}


def parity(keys):
    ensure_venv()
    pyloom = pyloom_bin()
    for key in keys:
        root = sdist(key).resolve()
        notebooks = sorted(p.relative_to(root) for p in root.rglob("*.ipynb"))
        ruff, ours = ruff_findings(root, notebooks), pyloom_findings(pyloom, root, notebooks)
        same = ruff & ours
        share = len(same) / len(ruff | ours) if ruff | ours else 1.0
        print(f"{key}{' (held out)' if key in HELD_OUT else ' (tuning)'}: {len(notebooks)} notebooks, ruff {len(ruff)} findings, "
              f"pyloom {len(ours)}, identical {len(same)} ({share:.1%} of all), only ruff {len(ruff - ours)}, only pyloom {len(ours - ruff)}")
        for label, diff in (("only ruff", ruff - ours), ("only pyloom", ours - ruff)):
            for item in sorted(diff, key=str)[:10]:
                print(f"  {label}: {item}")


def fifty_cells(root: Path) -> list:
    """The first 50 code cells of statsmodels' notebooks (no cell magics)."""
    sources = []
    for path in sorted(root.rglob("*.ipynb")):
        cells = json.loads(path.read_text()).get("cells", [])
        sources += ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells if c["cell_type"] == "code"]
    return [s for s in sources if s.strip() and not s.lstrip().startswith("%%")][:50]


def percentiles(times: list) -> str:
    times = sorted(times)
    return f"p50 {times[len(times) // 2]:.1f} ms, p99 {times[max(int(len(times) * 0.99) - 1, 0)]:.1f} ms"


def ruff_edits(rounds: int = 50):
    """The peer: `ruff check` (no cache) of the same 50-cell notebook, a
    process per run, as an editor without a server re-lints on each edit."""
    ensure_venv()
    root = sdist("statsmodels").resolve()
    sources = fifty_cells(root)
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s} for s in sources]
    path = root / "bench-50-cells.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([str(venv_bin("ruff")), "check", "--no-cache", "--exit-zero", "--quiet", str(path)], cwd=root, check=True)
        times.append((time.perf_counter() - start) * 1000)
    path.unlink()
    print(f"ruff check of the same notebook ({len(sources)} code cells), a process per run: {percentiles(times)} ({rounds} runs)")


def edits(pull: bool, rounds: int = 200):
    """p50/p99 from a cell edit (`notebookDocument/didChange`) to that
    cell's diagnostics, on statsmodels' notebooks cut or repeated to 50
    code cells, typing one character at a time at the end of cell 25."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from lsp_stdio import LspClient

    root = sdist("statsmodels").resolve()
    sources = fifty_cells(root)
    uri = (root / "bench-50-cells.ipynb").as_uri()
    cell = lambda i: f"vscode-notebook-cell:{root}/bench-50-cells.ipynb#cell{i}"
    client = LspClient([str(pyloom_bin()), "serve"])
    capabilities = {"textDocument": {"diagnostic": {"dynamicRegistration": False}}} if pull else {}
    client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities})
    client.notify("initialized", {})
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": uri, "notebookType": "jupyter-notebook", "version": 0,
                             "cells": [{"kind": 2, "document": cell(i)} for i in range(len(sources))]},
        "cellTextDocuments": [{"uri": cell(i), "languageId": "python", "version": 1, "text": s} for i, s in enumerate(sources)]})
    # The open's analysis is waited for, untimed, in both rows: its first
    # publish, or the first pull (which an editor sends on opening).
    if pull:
        client.request("textDocument/diagnostic", {"textDocument": {"uri": cell(25)}})
    else:
        client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == cell(25))
    target = sources[25]
    line = target.count("\n")
    column = len(target.split("\n")[-1])
    # Pulled: typing a comment. Pushed: typing an undefined name, so each
    # edit changes the cell's diagnostics (unchanged cells are not
    # published again).
    first = "#" if pull else "\nq"

    def at(n):
        if n == 0 or pull:
            return {"line": line, "character": column + n}
        return {"line": line + 1, "character": n}

    times = []
    for n in range(rounds):
        start = time.perf_counter()
        client.notify("notebookDocument/didChange", {
            "notebookDocument": {"uri": uri, "version": n + 1},
            "change": {"cells": {"textContent": [{"document": {"uri": cell(25), "version": n + 2}, "changes": [
                {"range": {"start": at(n), "end": at(n)},
                 "text": first if n == 0 else "x"}]}]}}})
        if pull:
            report = client.request("textDocument/diagnostic", {"textDocument": {"uri": cell(25)}})
            assert report.get("kind") == "full", report
        else:
            client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == cell(25))
        times.append((time.perf_counter() - start) * 1000)
    client.close()
    how = "pulled (textDocument/diagnostic)" if pull else "pushed (publishDiagnostics)"
    print(f"{len(sources)} code cells, {sum(len(s) for s in sources)} bytes: cell edit -> its diagnostics {how}: "
          f"{percentiles(times)} ({rounds} edits)")


def cell_text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def apply(text: str, edits: list) -> str:
    """`text` with LSP edits applied (positions as code points: the corpora
    are ASCII where fixes land)."""
    lines = text.split("\n")
    offset = lambda p: sum(len(line) + 1 for line in lines[: p["line"]]) + p["character"]
    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def fix_all(keys):
    import shutil
    import tempfile
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from lsp_stdio import LspClient

    ensure_venv()
    for key in keys:
        root = sdist(key).resolve()
        same = fixed = 0
        notebooks = sorted(root.rglob("*.ipynb"))
        for path in notebooks:
            with tempfile.TemporaryDirectory(prefix="pyloom-fix-all-") as work:
                work = Path(work)
                ours, theirs = work / "ours" / "nb.ipynb", work / "theirs" / "nb.ipynb"
                for copy in (ours, theirs):
                    copy.parent.mkdir()
                    shutil.copy(path, copy)
                subprocess.run([str(venv_bin("ruff")), "check", "--fix", "--isolated", "--no-cache", "--exit-zero", "--quiet", str(theirs)],
                               capture_output=True, check=True)
                notebook = json.loads(ours.read_text())
                cells = notebook.get("cells", [])
                # The cells' language as an editor declares it: the kernel's
                # (ruff leaves other kernels' notebooks alone).
                meta = notebook.get("metadata", {})
                language = (meta.get("language_info") or {}).get("name") or (meta.get("kernelspec") or {}).get("language") or "python"
                texts = [cell_text(c) for c in cells]
                uri = ours.as_uri()
                uris = [f"vscode-notebook-cell:{ours}#c{i}" for i in range(len(cells))]
                client = LspClient([str(pyloom_bin()), "serve"])
                client.request("initialize", {"processId": None, "rootUri": ours.parent.as_uri(), "capabilities": {}})
                client.notify("initialized", {})
                client.notify("notebookDocument/didOpen", {
                    "notebookDocument": {"uri": uri, "notebookType": "jupyter-notebook", "version": 0,
                                         "cells": [{"kind": 2 if c["cell_type"] == "code" else 1, "document": u} for c, u in zip(cells, uris)]},
                    "cellTextDocuments": [{"uri": u, "languageId": language if c["cell_type"] == "code" else "markdown", "version": 1, "text": t}
                                          for c, u, t in zip(cells, uris, texts)]})
                code = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
                after = list(texts)
                # Asked in a cell of the module: a cell magic's (`%%R`) is not.
                asked = [i for i in code if not texts[i].lstrip().startswith("%%")]
                if asked:
                    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 1 << 20, "character": 0}}
                    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uris[asked[0]]}, "range": whole,
                                                                         "context": {"diagnostics": [], "only": ["source.fixAll"]}})
                    for action in actions or []:
                        if action.get("kind") == "source.fixAll.pyloom":
                            for cell_uri, edits in action["edit"]["changes"].items():
                                i = uris.index(cell_uri)
                                after[i] = apply(after[i], edits)
                client.close()
                expected = [cell_text(c) for c in json.loads(theirs.read_text()).get("cells", [])]
                fixed += expected != texts
                if [after[i] for i in code] == [expected[i] for i in code]:
                    same += 1
                else:
                    print(f"  differs: {path.relative_to(root)}")
        print(f"{key}{' (held out)' if key in HELD_OUT else ' (tuning)'}: {len(notebooks)} notebooks, ruff --fix changed {fixed}, "
              f"pyloom's fix-all identical to ruff's on {same}")


if __name__ == "__main__":
    args = sys.argv[1:]
    # `--pyloom BIN` anywhere: that binary (as $PYLOOM_BIN), for
    # bench/ide/counted.py, which passes it last.
    if "--pyloom" in args[:-1]:
        at = args.index("--pyloom")
        os.environ["PYLOOM_BIN"] = args[at + 1]
        del args[at : at + 2]
    if args[:1] == ["--fix-all"]:
        fix_all(args[1:] or list(CORPORA))
    elif args == ["--edits"]:
        edits(pull=False)
        edits(pull=True)
        ruff_edits()
    else:
        parity(args or list(CORPORA))
