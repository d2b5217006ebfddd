"""Recall and false-positive rate on a folder of Python files whose lines
are tagged by hand: `# vuln` (or `# VULN`, `# V:family`) on a line a
security tool should flag, `# safe` (`# SAFE`, `# S:family`) on one it
should not. pyloom's security findings (its default selection), bandit
1.8.0 and ruff 0.16.4's `S` rules run side by side on every `.py` file
under the folder; a tool flags a line when one of its findings' ranges
covers it.

    python3 bench/findings/tagged_lines.py FOLDER [-v]

`-v` lists each tagged line pyloom gets wrong (a tune corpus only: a
held-out one is run without it).
"""

import re
import sys
from pathlib import Path

from common import ensure_venv, rate, security_findings

TAG = re.compile(r"#\s*(vuln|safe|V:|S:)", re.IGNORECASE)


def tagged(root: Path):
    """{(file, line): vulnerable} of every tagged line under `root`."""
    lines = {}
    for path in sorted(root.rglob("*.py")):
        for number, text in enumerate(path.read_text().splitlines(), 1):
            found = TAG.search(text)
            if found:
                lines[(str(path.relative_to(root)), number)] = found.group(1).lower() in ("vuln", "v:")
    return lines


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    if len(args) != 1:
        sys.exit(__doc__)
    root = Path(args[0]).resolve()
    ensure_venv()
    lines = tagged(root)
    files = sorted({f for f, _ in lines})
    found = security_findings(root, files)
    vulnerable = [k for k, v in lines.items() if v]
    safe = [k for k, v in lines.items() if not v]
    print(f"{len(files)} files, {len(vulnerable)} vulnerable and {len(safe)} safe lines")
    for tool, findings in found.items():
        covered = {(f.file, n) for f in findings for n in range(f.line, f.end_line + 1)}
        tp = sum(1 for k in vulnerable if k in covered)
        fp = sum(1 for k in safe if k in covered)
        print(f"  {tool:7} recall {rate(tp, len(vulnerable)):16}  false-positive rate {rate(fp, len(safe))}")
        if tool == "pyloom" and "-v" in sys.argv:
            codes = {}
            for f in findings:
                for n in range(f.line, f.end_line + 1):
                    codes.setdefault((f.file, n), set()).add(f.code)
            for key, bad in sorted(lines.items()):
                if bad != (key in covered):
                    what = "missed" if bad else f"false alarm ({', '.join(sorted(codes[key]))})"
                    print(f"    {what} {key[0]}:{key[1]}")


if __name__ == "__main__":
    main()
