"""Recall and false-positive rate on the OWASP Benchmark for Python v0.1:
1,243 Flask test cases, each labelled with a category (CWE) and whether it
is a real vulnerability. pyloom's security findings, bandit 1.8.0 and ruff
0.16.4's `S` rules run side by side on the same files.

    git clone https://github.com/OWASP/BenchmarkPython /tmp/owasp
    python3 bench/findings/owasp.py /tmp/owasp [-v] [--tune]

The corpus is GPL-3: the bench reads a checkout and never downloads it.
The split was fixed before any tool ran on it (see README.md): tune = odd
test numbers, held out = even ones. `-v` lists pyloom's misses and false
positives on the tune split only; the held-out split is printed as totals
per category, never case by case.

A tool detects a case when it reports, anywhere in the case's file, a
finding whose code maps to the case's category (CATEGORIES below). Recall
(the true-positive rate) is detected true cases over true cases; the
false-positive rate is detected false cases over false cases; the OWASP
score is their difference. bandit parses with the venv's Python (3.11 on
the bench machine): the files written with Python 3.12's f-strings are
errors to it, counted and printed per split, and are cases it misses.
"""

import collections
import csv
import os
from pathlib import Path

from common import ensure_venv, on_checkout, rate, security_findings, tune_only

# Each category's problems by bandit's test number: bandit reports them as
# B<n>, ruff as S<n> (the same numbering), pyloom as S<n> (ruff's rules,
# which it runs) or LOOM<n> (its own checks of bandit's tests).
BY_NUMBER = {
    "cmdi": (601, 602, 603, 604, 605, 606, 607, 609),
    "codeinj": (102, 307),
    "deserialization": (301, 302, 506, 614),
    "hash": (303, 324),
    "ldapi": (),
    "pathtraver": (),
    "redirect": (),
    "securecookie": (),
    "sqli": (608, 610, 611),
    "trustbound": (),
    "weakrand": (311,),
    "xpathi": (),
    "xss": (308, 701, 702, 703, 704),
    # The import of an XML parser open to attacks (B405-B410) is bandit's
    # own way of reporting XXE; it counts for every tool that reports it.
    "xxe": (313, 314, 315, 316, 317, 318, 319, 320, 405, 406, 407, 408, 409, 410),
}

# pyloom's own codes with no bandit number: the findings that follow the
# data (LOOM620-627) and its checks of web code.
PYLOOM_ONLY = {
    "cmdi": ("LOOM621",),
    "codeinj": ("LOOM622",),
    "ldapi": ("LOOM638",),
    "pathtraver": ("LOOM626",),
    "redirect": ("LOOM627",),
    "securecookie": ("LOOM708",),
    "sqli": ("LOOM620",),
    "trustbound": ("LOOM639",),
    "xpathi": ("LOOM640",),
    "xss": ("LOOM623", "LOOM625", "LOOM705", "LOOM707"),
    "xxe": ("LOOM641",),
}


def categories():
    """Each tool's codes per category."""
    table = {"pyloom": {}, "bandit": {}, "ruff S": {}}
    for category, numbers in BY_NUMBER.items():
        table["bandit"][category] = {f"B{n}" for n in numbers}
        table["ruff S"][category] = {f"S{n}" for n in numbers}
        table["pyloom"][category] = ({f"S{n}" for n in numbers} | {f"LOOM{n}" for n in numbers}
                                     | set(PYLOOM_ONLY.get(category, ())))
    return table


CATEGORIES = categories()


def cases(root: Path):
    """(file, category, vulnerable, number) of every test case."""
    with open(root / "expectedresults-0.1.csv") as labels:
        for row in csv.reader(labels):
            if row and not row[0].startswith("#"):
                yield f"testcode/{row[0]}.py", row[1], row[2].strip() == "true", int(row[0][-5:])


def detected(found, table):
    """(file, category) pairs a tool's findings detect."""
    hits = set()
    for f in found:
        for category, codes in table.items():
            if f.code in codes:
                hits.add((f.file, category))
    return hits


def main(root: Path, verbose: bool):
    ensure_venv()
    splits = [("tune", lambda n: n % 2 == 1), ("held out", lambda n: n % 2 == 0)][: 1 if tune_only() else 2]
    everything = [case for case in cases(root) if any(keep(case[3]) for _, keep in splits)]
    unparsed = []
    found = security_findings(root, [file for file, *_ in everything], unparsed)
    unparsed = set(unparsed)
    seen = {tool: detected(found[tool], CATEGORIES[tool]) for tool in CATEGORIES}
    for split, keep in splits:
        chosen = [(file, category, vulnerable) for file, category, vulnerable, n in everything if keep(n)]
        print(f"{split}: {len(chosen)} cases, {sum(v for *_, v in chosen)} real vulnerabilities; "
              f"bandit could not parse {sum(1 for f, *_ in chosen if os.path.normpath(f) in unparsed)} of them")
        by_category = collections.defaultdict(list)
        for case in chosen:
            by_category[case[1]].append(case)
        for name in sorted(by_category) + ["ALL"]:
            group = chosen if name == "ALL" else by_category[name]
            true = [(f, c) for f, c, v in group if v]
            false = [(f, c) for f, c, v in group if not v]
            print(f"  {name}")
            for tool, hits in seen.items():
                tp = sum(1 for case in true if case in hits)
                fp = sum(1 for case in false if case in hits)
                score = (tp / len(true) if true else 0) - (fp / len(false) if false else 0)
                print(f"    {tool:7} recall {rate(tp, len(true)):16}  false-positive rate {rate(fp, len(false)):16}"
                      f"  score {score:+.3f}")
        if verbose and split == "tune":  # never tune on the held-out cases
            for file, category, vulnerable in chosen:
                if vulnerable != ((file, category) in seen["pyloom"]):
                    print(f"    {'missed' if vulnerable else 'false positive'} {category} {file}")


if __name__ == "__main__":
    on_checkout(main, __doc__)
