"""Recall and false-positive rate on precli's rule examples (precli 0.8.6,
the sdist on PyPI; Apache-2.0): `tests/unit/rules/python/stdlib/*/examples/`
holds small Python files, each written by precli's authors for one of its
rules on the standard library (`hashlib`, `hmac`, `ssl`, `crypt`,
`tempfile`, `pickle`/`marshal`/`shelve`, `os`, `pathlib`, `re`, `socket`,
plain-text protocols such as `ftplib`/`telnetlib`/`smtplib`, …), with the
result the rule must give written in the file's header (`# level: ERROR`,
`WARNING` or `NONE`). pyloom's security findings (its default selection),
bandit 1.8.0 and ruff 0.16.4's `S` rules run side by side on the same files.

    python3 bench/findings/precli_corpus.py /path/to/precli-0.8.6 [-v] [--labels]

The bench reads an unpacked sdist (`pip download --no-deps --no-binary
:all: precli==0.8.6`) and never downloads it. The corpus was held out in
round 15 and is a tune corpus since round 16 (see README.md): it prints
totals per module folder; `-v` also lists each safe file pyloom flags
(its codes by line) and each vulnerable file it misses, with whether the
peers flag it; `--labels` prints the label counts alone and runs no tool.

Labels, chosen before any tool ran and committed before the first run:
every `*.py` under `tests/unit/rules/python/stdlib/*/examples/` whose
header has a `# level:` line is one file, grouped by its folder (the
module); vulnerable when the level is `ERROR` or `WARNING`, safe when it is
`NONE`; files without a level are left out. A tool flags a file when it
reports at least one security finding anywhere in it.
"""

import re
import shutil
from pathlib import Path

from common import corpus_folder, on_checkout, print_false_alarms, run_labelled

LEVEL = re.compile(r"^# level: (ERROR|WARNING|NONE)\s*$", re.M)


def labelled(checkout: Path, root: Path):
    """Copies the corpus under `root`; yields (file, module, vulnerable)."""
    for example in sorted((checkout / "tests" / "unit" / "rules" / "python" / "stdlib").glob("*/examples/*.py")):
        level = LEVEL.search(example.read_text())
        if not level:
            continue
        vulnerable = level.group(1) != "NONE"
        group = example.parent.parent.name
        rel = f"{'vulnerable' if vulnerable else 'safe'}/{group}/{example.name}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(example, root / rel)
        yield rel, group, vulnerable


def main(checkout: Path, verbose: bool):
    root = corpus_folder("precli")
    files = list(labelled(checkout, root))
    found = run_labelled(root, files)
    if verbose and found:
        print_false_alarms([(file, vulnerable) for file, _, vulnerable in files], found, misses=True)


if __name__ == "__main__":
    on_checkout(main, __doc__)
