"""Recall and false-positive rate on real security fixes: the patches
Debian's security updates of bookworm (Debian 12) apply to Python code of
the libraries issue #32 names for library models, each one named for the
CVE it fixes. The code before a fix holds the vulnerable lines, the code
after it the safe ones. pyloom's security findings (its default
selection), bandit 1.8.0 and ruff 0.16.4's `S` rules run side by side on
the same files.

    python3 bench/findings/debian_cve.py FOLDER [--labels]

FOLDER holds what `apt-get source --download-only` gives for each source
package of PACKAGES below at the version named there (a `deb-src` line for
bookworm and bookworm-security), and the upstream tarball: Debian's
`.orig` where the mirror had it, else the PyPI sdist of the same upstream
version (`pip download --no-deps --no-binary :all: NAME==VERSION`), whose
Python files are the ones the patches apply to. The bench never
downloads. Held out since it was chosen (round 18, before any tool ran
on it): it prints totals per package, never a file or a line, and refuses
`-v`; `--labels` prints the label counts alone and runs no tool.

Labels, chosen and committed before any tool ran:
- every patch of the package's `debian/patches/series` whose path names a
  CVE (`CVE-` in any case) is applied (`patch -p1 -f`) to the upstream
  tree with the series' earlier patches applied; each Python file it
  changes that is not a test (no
  path part `test`/`tests`/`testing`, no name `test_*.py`/`*_test.py`/
  `tests.py`, nothing under `Doc/` or `Tools/`) and on which all its hunks
  applied gives a pair: the file before (vulnerable) and after (safe);
- the two are compared line by line (`difflib`); each change is one unit:
  the lines the fix removed or replaced are a vulnerable unit of the file
  before, the lines it added or wrote in their place a safe unit of the
  file after. A change that only adds lines (a check inserted) marks, as
  the vulnerable unit, the lines either side of where it goes; one that
  only removes marks, as the safe unit, the lines either side of the gap;
- a tool flags a unit when one of its security findings' ranges covers
  one of the unit's lines.

These are library internals fixed for logic (parsing, limits, escaping
inside the library, ORM aliases), not applications calling a dangerous
API: a tool built for the latter is expected to find little here, and the
figure says how much of a real security fix any of the three points at.
"""

import difflib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from common import held_out_folder, on_checkout, rate, security_findings

# Debian source, the version its patches come from, the upstream tarball.
# The packages whose bookworm source the mirror did not serve
# (fastapi, httpx, netmiko, python-boto3, pycryptodome) are left out; those
# with no CVE patch (paramiko, pyyaml, requests, sqlalchemy,
# python-cryptography) add nothing.
PACKAGES = [
    ("python3.11", "3.11.2-6+deb12u8", "python3.11_3.11.2.orig.tar.gz"),
    ("python-django", "3.2.25-0+deb12u3", "python-django_3.2.25.orig.tar.gz"),
    ("flask", "2.2.2-3", "Flask-2.2.2.tar.gz"),
    ("starlette", "0.26.1-1+deb12u2", "starlette_0.26.1.orig.tar.xz"),
    ("python-urllib3", "1.26.12-1+deb12u4", "urllib3-1.26.12.tar.gz"),
    ("pymongo", "3.11.0-1+deb12u1", "pymongo-3.11.0.tar.gz"),
    ("jinja2", "3.1.2-1+deb12u3", "jinja2_3.1.2.orig.tar.gz"),
    ("lxml", "4.9.2-1+deb12u1", "lxml_4.9.2.orig.tar.gz"),
    ("paramiko", "2.12.0-2", None),
    ("pyyaml", "6.0-3", None),
    ("requests", "2.28.1+dfsg-1", None),
    ("sqlalchemy", "1.4.46+ds1-1", None),
    ("python-cryptography", "38.0.4-3+deb12u1", None),
]
TEST_PARTS = {"test", "tests", "testing", "Doc", "Tools"}
# The file a patch writes, less its first path part (as `patch -p1` reads it).
PATCHED_FILE = re.compile(r"^\+\+\+ [^/\s]+/(\S+)", re.M)


def is_code(path: str) -> bool:
    """A Python file of the library, not a test or a tool."""
    p = PurePosixPath(path)
    name = p.name
    return (p.suffix == ".py" and not TEST_PARTS.intersection(p.parts[:-1])
            and not (name.startswith("test_") or name.endswith("_test.py") or name == "tests.py"))


def series(debian: Path):
    """(series path, text) of each patch of the series, in order."""
    with tarfile.open(debian) as tar:
        listed = tar.extractfile("debian/patches/series").read().decode()
        for line in listed.splitlines():
            name = line.split("#")[0].strip().split(" ")[0]
            if name:
                yield name, tar.extractfile(f"debian/patches/{name}").read().decode("utf-8", "replace")


def apply(patch: str, work: Path):
    """`patch` applied to the files under `work` (the others skipped)."""
    subprocess.run(["patch", "-p1", "-f", "-s", "--no-backup-if-mismatch", "-d", str(work)],
                   input=patch, text=True, capture_output=True)


def upstream(tarball: Path, into: Path) -> Path:
    """The pristine upstream tree (the tarball's one top folder)."""
    with tarfile.open(tarball) as tar:
        tar.extractall(into, filter="data")
    (top,) = [p for p in into.iterdir() if p.is_dir()]
    return top


def around(at: int, count: int) -> set:
    """The 1-based lines either side of the gap before 0-based line `at`."""
    return {line for line in (at, at + 1) if 1 <= line <= count}


def units(before: list, after: list):
    """(vulnerable lines of `before`, safe lines of `after`) of each change."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old = set(range(i1 + 1, i2 + 1)) or around(i1, len(before))
        new = set(range(j1 + 1, j2 + 1)) or around(j1, len(after))
        yield old, new


def labelled(folder: Path, root: Path):
    """Writes the corpus under `root`; yields (file, package, vulnerable,
    units: each a set of lines)."""
    for source, version, tarball in PACKAGES:
        if tarball is None:
            continue
        debian = next(folder.glob(f"{source}_{version.split(':')[-1]}.debian.tar.*"))
        with tempfile.TemporaryDirectory(prefix="sec-debian-") as tmp:
            pristine = upstream(folder / tarball, Path(tmp) / "src")
            patches = list(series(debian))
            for at, (name, patch) in enumerate(patches):
                files = sorted({f for f in PATCHED_FILE.findall(patch) if is_code(f) and (pristine / f).is_file()})
                if "cve-" not in name.lower() or not files:
                    continue
                work = Path(tmp) / "work"
                shutil.rmtree(work, ignore_errors=True)
                for f in files:
                    (work / f).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(pristine / f, work / f)
                for _, earlier in patches[:at]:
                    apply(earlier, work)
                for rejected in work.rglob("*.rej"):
                    rejected.unlink()
                texts = {f: (work / f).read_text(errors="replace").splitlines() for f in files}
                apply(patch, work)
                stem = name.replace("/", "_").rsplit(".", 1)[0]
                for f in files:
                    if (work / f"{f}.rej").exists():
                        continue
                    before = texts[f]
                    after = (work / f).read_text(errors="replace").splitlines()
                    changes = list(units(before, after))
                    if not changes:
                        continue
                    for vulnerable, lines, text in ((True, [old for old, _ in changes], before),
                                                    (False, [new for _, new in changes], after)):
                        rel = f"{'vulnerable' if vulnerable else 'safe'}/{source}/{stem}/{f}"
                        (root / rel).parent.mkdir(parents=True, exist_ok=True)
                        (root / rel).write_text("\n".join(text) + "\n")
                        yield rel, source, vulnerable, lines


def main(folder: Path, verbose: bool):
    root = held_out_folder("debian_cve", verbose)
    files = list(labelled(folder, root))
    groups = [source for source, _, tarball in PACKAGES if tarball and any(g == source for _, g, _, _ in files)]
    if "--labels" in sys.argv:
        for group in [*groups, "ALL"]:
            chosen = [(v, u) for _, g, v, u in files if group in (g, "ALL")]
            print(f"{group}: {sum(1 for v, _ in chosen if v)} file pairs, "
                  f"{sum(len(u) for v, u in chosen if v)} vulnerable units, {sum(len(u) for v, u in chosen if not v)} safe")
        return
    unparsed = []
    found = security_findings(root, [f for f, *_ in files], unparsed)
    by_file = {tool: {} for tool in found}
    for tool, hits in found.items():
        for f in hits:
            by_file[tool].setdefault(f.file, []).append(f)
    for group in [*groups, "ALL"]:
        chosen = [(f, v, u) for f, g, v, u in files if group in (g, "ALL")]
        vulnerable = sum(len(u) for _, v, u in chosen if v)
        safe = sum(len(u) for _, v, u in chosen if not v)
        print(f"{group}: {vulnerable} vulnerable units, {safe} safe; "
              f"bandit could not parse {sum(1 for f, _, _ in chosen if f in unparsed)} files")
        for tool, hits in by_file.items():
            flagged = lambda f, unit: any(h.line <= line <= h.end_line for h in hits.get(f, ()) for line in unit)
            tp = sum(1 for f, v, u in chosen if v for unit in u if flagged(f, unit))
            fp = sum(1 for f, v, u in chosen if not v for unit in u if flagged(f, unit))
            print(f"  {tool:7} recall {rate(tp, vulnerable):16}  false-positive rate {rate(fp, safe)}")


if __name__ == "__main__":
    on_checkout(main, __doc__)
