"""Recall and false-positive rate on a public rule set's own test files:
semgrep-rules' Python tests, where the rule authors mark the lines a rule
must flag (`# ruleid: <rule>`) and the lines it must not flag (`# ok: <rule>`).
pyloom's security findings, bandit 1.8.0 and ruff 0.16.4's `S` rules run
side by side on the same files.

    git clone https://github.com/semgrep/semgrep-rules /tmp/semgrep-rules
    python3 bench/findings/ruleset.py /tmp/semgrep-rules [-v] [--tune]

The corpus is every `python/*/security/**/*.py` test file (the rule set's
own security category; `*.fixed.py` autofix outputs left out). The split was
fixed before any tool was run on it (see README.md):

- tune: `python/lang/security/` and `python/django/security/` — the files
  the issue that asked for this work was measured on, so already seen;
- held out: every other `python/*/security/` folder (flask, aws-lambda,
  cryptography, pycryptodome, jwt, jinja2, sqlalchemy, pyramid, requests,
  boto3, ...), not looked at while tuning.

A marker comment alone on its line marks the next code line; at the end of
a code line it marks that line. A tool flags a line when one of its
findings' ranges covers it. `pyloom+` also counts the lines its findings'
related information points at (where the data entered: the editor shows
them with the finding; semgrep's taint rules mark that line, not the
sink's); bandit and ruff report no such places. Recall is flagged must-flag lines over all of
them; the false-positive rate is flagged safe lines over all of them. A
line marked both ways (one rule wants it, another not) counts as must-flag.
"""

import collections
import os
import re
from pathlib import Path

from common import ensure_venv, on_checkout, security_findings, tune_only

MARKER = re.compile(r"#\s*(ruleid|ok)\s*:")
TUNE = ("python/lang/security/", "python/django/security/")


def corpus(root: Path):
    files = sorted(p for p in (root / "python").glob("*/security/**/*.py") if not p.name.endswith(".fixed.py"))
    return [str(p.relative_to(root)) for p in files]


def marks(root: Path, rel: str):
    """(must-flag lines, safe lines) of one test file, 1-based."""
    lines = (root / rel).read_text(errors="replace").splitlines()
    flag, safe = set(), set()
    for i, text in enumerate(lines):
        m = MARKER.search(text)
        if not m:
            continue
        target = i + 1
        if text.lstrip().startswith("#"):
            # The next line that is code (markers may stack).
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].lstrip().startswith("#")):
                j += 1
            target = j + 1
        (flag if m.group(1) == "ruleid" else safe).add(target)
    return flag, safe - flag


def covered(entries):
    lines = collections.defaultdict(set)
    for file, start, end in entries:
        for line in range(start, end + 1):
            lines[os.path.normpath(file)].add(line)
    return lines


def tools(root: Path, files):
    found = security_findings(root, files)
    return {
        "pyloom": covered((f.file, f.line, f.end_line) for f in found["pyloom"]),
        "pyloom+": covered([(f.file, f.line, f.end_line) for f in found["pyloom"]]
                           + [(file, line, line) for f in found["pyloom"] for file, line in f.related]),
        "bandit": covered((f.file, f.line, f.end_line) for f in found["bandit"]),
        "ruff S": covered((f.file, f.line, f.end_line) for f in found["ruff S"]),
    }


def main(root: Path, verbose: bool):
    ensure_venv()
    splits = [("tune", lambda f: f.startswith(TUNE)), ("held out", lambda f: not f.startswith(TUNE))][: 1 if tune_only() else 2]
    files = [f for f in corpus(root) if any(keep(f) for _, keep in splits)]
    found = tools(root, files)
    for split, keep in splits:
        chosen = [f for f in files if keep(f)]
        wanted = [(f, l) for f in chosen for l in sorted(marks(root, f)[0])]
        safe = [(f, l) for f in chosen for l in sorted(marks(root, f)[1])]
        print(f"{split}: {len(chosen)} files, {len(wanted)} must-flag lines, {len(safe)} safe lines")
        for name, lines in found.items():
            hits = sum(1 for f, l in wanted if l in lines[os.path.normpath(f)])
            false = sum(1 for f, l in safe if l in lines[os.path.normpath(f)])
            print(f"  {name:8} recall {hits / len(wanted):.3f} ({hits}/{len(wanted)})  "
                  f"false-positive rate {false / len(safe):.3f} ({false}/{len(safe)})")
        if verbose and split == "tune":  # never tune on the held-out misses
            ours = found["pyloom"]
            for f, l in wanted:
                if l not in ours[os.path.normpath(f)]:
                    print(f"    missed {f}:{l}")
            for f, l in safe:
                if l in ours[os.path.normpath(f)]:
                    print(f"    false positive {f}:{l}")


if __name__ == "__main__":
    on_checkout(main, __doc__)
