"""Shared set-up for the findings benchmarks: the corpora (sdists from
PyPI, cached under bench/.cache, never committed), a venv with the peers
(ruff 0.16.4, bandit 1.8.0) and the pyloom release binary."""

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("PYLOOM_BENCH_CACHE", REPO / "bench" / ".cache"))
VENV = CACHE / "venv"
CORPORA = {"django": ("django", "5.1.4"), "flask": ("flask", "3.1.0"), "requests": ("requests", "2.32.3"),
           "bandit": ("bandit", "1.8.0")}
PEERS = ["ruff==0.16.4", "bandit==1.8.0"]


def venv_bin(name: str) -> Path:
    return VENV / "bin" / name


def ensure_venv() -> None:
    if not venv_bin("ruff").exists() or not venv_bin("bandit").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(venv_bin("pip")), "install", "-q", *PEERS], check=True)


def corpus(key: str) -> Path:
    """The unpacked sdist of a corpus."""
    name, version = CORPORA[key]
    sdists = CACHE / "sdists"
    found = [p for p in sdists.glob("*.tar.gz") if p.name.lower().startswith(f"{name}-{version}")] if sdists.exists() else []
    if not found:
        ensure_venv()
        subprocess.run([str(venv_bin("pip")), "download", "-q", "--no-deps", "--no-binary", ":all:",
                        f"{name}=={version}", "-d", str(sdists)], check=True)
        found = [p for p in sdists.glob("*.tar.gz") if p.name.lower().startswith(f"{name}-{version}")]
    sdist = found[0]
    root = CACHE / "src" / sdist.name[: -len(".tar.gz")]
    if not root.exists():
        with tarfile.open(sdist) as tar:
            tar.extractall(CACHE / "src", filter="data")
    return root


def pyloom_bin() -> Path:
    """The release binary (built if needed), or $PYLOOM_BIN."""
    if os.environ.get("PYLOOM_BIN"):
        return Path(os.environ["PYLOOM_BIN"])
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "pyloom"], cwd=REPO, check=True)
    return REPO / "target" / "release" / "pyloom"


class Found(NamedTuple):
    """One security finding of a tool: where (relative to the corpus root,
    1-based lines), its code, and the lines its related information points
    at (pyloom's: where the data entered)."""
    file: str
    line: int
    end_line: int
    code: str
    related: tuple


def security_findings(root: Path, files, unparsed=None):
    """The security findings of pyloom (its `security` category: ruff's `S`
    rules and its own), bandit 1.8.0 (all severities) and ruff 0.16.4
    (`--select S --isolated`) on `files` under `root`, run side by side.
    The files bandit could not parse (it parses with the venv's Python) are
    added to `unparsed`."""
    run = lambda cmd, empty: json.loads(subprocess.run(cmd, cwd=root, capture_output=True, text=True).stdout or empty)
    rel = lambda file: os.path.normpath(os.path.relpath(file, root) if os.path.isabs(file) else file)
    pyloom = run([str(pyloom_bin()), "check", *files, "--format", "json", "--no-graph"], "[]")
    ruff = run([str(venv_bin("ruff")), "check", "--no-cache", "--isolated", "--select", "S",
                "--output-format", "json", "--exit-zero", *files], "[]")
    bandit_run = run([str(venv_bin("bandit")), "-f", "json", "-q", *files], "{}")
    bandit = bandit_run.get("results", [])
    if unparsed is not None:
        unparsed.extend(rel(e["filename"]) for e in bandit_run.get("errors", []))
    return {
        "pyloom": [Found(rel(f["file"]), f["line"], f["end_line"], f["code"],
                         tuple((rel(r["file"]), r["line"]) for r in f.get("related", [])))
                   for f in pyloom if f["category"] == "security"],
        "bandit": [Found(rel(b["filename"]), min(b["line_range"] or [b["line_number"]]),
                         max(b["line_range"] or [b["line_number"]]), b["test_id"], ()) for b in bandit],
        "ruff S": [Found(rel(f["filename"]), f["location"]["row"], f["end_location"]["row"], f["code"], ())
                   for f in ruff if f["code"]],
    }


def rate(hits, total):
    """A share as printed in the tables: `0.500 (1/2)`."""
    return f"{hits / total:.3f} ({hits}/{total})" if total else "-"


def on_checkout(main, usage):
    """`script.py CHECKOUT [-v] [--tune]`: `main(checkout, verbose)`, or the
    usage (the flags are read where they apply: `--tune_only` below)."""
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    if len(args) != 1:
        sys.exit(usage)
    main(Path(args[0]).resolve(), "-v" in sys.argv)


def tune_only() -> bool:
    """`--tune`: run and print the tune split alone, as a tuning round
    does (the held-out split is run once, at the end, without it)."""
    return "--tune" in sys.argv


def print_by_group(groups, files, found, unparsed):
    """Recall and false-positive rate of each tool on each group of a
    corpus labelled per file, then on all of it: `files` holds (file,
    group, vulnerable); `found` is what `security_findings` gave;
    `unparsed` the files bandit could not parse. Totals only."""
    unparsed = set(map(os.path.normpath, unparsed))
    flagged = {tool: {os.path.normpath(f.file) for f in findings} for tool, findings in found.items()}
    for group in [*groups, "ALL"]:
        chosen = [(os.path.normpath(f), v) for f, g, v in files if group in (g, "ALL")]
        vulnerable = [f for f, v in chosen if v]
        safe = [f for f, v in chosen if not v]
        print(f"{group}: {len(chosen)} files, {len(vulnerable)} vulnerable, {len(safe)} safe; "
              f"bandit could not parse {sum(1 for f, _ in chosen if f in unparsed)}")
        for tool, hits in flagged.items():
            tp = sum(1 for f in vulnerable if f in hits)
            fp = sum(1 for f in safe if f in hits)
            print(f"  {tool:7} recall {rate(tp, len(vulnerable)):16}  false-positive rate {rate(fp, len(safe))}")


def run_labelled(root: Path, files, groups=None):
    """The end of every corpus labelled per file: `files` holds (file,
    group, vulnerable) under `root`; the three tools run side by side on
    them and their totals are printed per group (`groups`, by default the
    files' own, sorted), then on all. `--labels` prints the label counts
    alone and runs no tool. Gives what `security_findings` found (None
    with `--labels`), for a tune corpus's `-v`."""
    groups = groups if groups is not None else sorted({g for _, g, _ in files})
    if "--labels" in sys.argv:
        for group in [*groups, "ALL"]:
            chosen = [v for _, g, v in files if group in (g, "ALL")]
            print(f"{group}: {len(chosen)} files, {sum(chosen)} vulnerable, {len(chosen) - sum(chosen)} safe")
        return None
    unparsed = []
    found = security_findings(root, [f for f, *_ in files], unparsed)
    print_by_group(groups, files, found, unparsed)
    return found


def print_false_alarms(files, found, misses=False):
    """`-v` on a tune corpus labelled per file: each safe file pyloom
    flags, with pyloom's codes by line and whether bandit and ruff `S`
    flag it too (the table of bench/findings/README.md is made from it);
    with `misses`, each vulnerable file pyloom does not flag too.
    `files` holds (file, vulnerable)."""
    by_file = {}
    for tool, findings in found.items():
        for f in findings:
            by_file.setdefault((tool, os.path.normpath(f.file)), []).append(f)
    for file, vulnerable in files:
        file = os.path.normpath(file)
        ours = by_file.get(("pyloom", file))
        if misses and vulnerable and not ours:
            peers = [tool for tool in ("bandit", "ruff S") if by_file.get((tool, file))]
            print(f"  missed {file}; flagged by {', '.join(peers) or 'neither peer'}")
        if vulnerable or not ours:
            continue
        codes = ", ".join(sorted({f"{f.line}:{f.code}" for f in ours}, key=lambda c: int(c.split(":")[0])))
        peers = [tool for tool in ("bandit", "ruff S") if by_file.get((tool, file))]
        print(f"  false alarm {file}: {codes}; also flagged by {', '.join(peers) or 'neither peer'}")


def corpus_folder(name: str) -> Path:
    """The emptied folder under the cache where a corpus labelled per file
    is written out file by file, the peers' venv ready."""
    ensure_venv()
    root = CACHE / name
    shutil.rmtree(root, ignore_errors=True)
    return root


def held_out_folder(name: str, verbose: bool) -> Path:
    """`corpus_folder` for a held-out corpus: `-v` is refused (its files
    are never listed)."""
    if verbose:
        raise SystemExit("held out: its files are never listed")
    return corpus_folder(name)
