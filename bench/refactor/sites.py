"""The driver the sampled-site refactoring benches share (inline_sites.py,
extract_sites.py): the package's parsed files, a fresh copy of the package
for each `pyloom refactor ... --apply`, and refusals grouped by reason."""
import ast
import collections
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def parsed_files(src):
    """(path relative to `src`, text, module AST) of every file that parses."""
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".py"):
                continue
            path = os.path.join(dirpath, f)
            try:
                text = open(path, encoding="utf-8").read()
                tree = ast.parse(text)
            except Exception:
                continue
            yield os.path.relpath(path, src), text, tree


@contextlib.contextmanager
def copy_of(src, rel):
    """The path of `rel` in a fresh copy of the package, removed after."""
    work = tempfile.mkdtemp()
    try:
        # Named as the package is, so its tests can import the copy.
        root = os.path.join(work, os.path.basename(os.path.normpath(src)))
        shutil.copytree(src, root)
        yield os.path.join(root, rel)
    finally:
        shutil.rmtree(work)


def refactor(pyloom, argv):
    """`pyloom refactor ARGV --apply`."""
    return subprocess.run([pyloom, "refactor", *argv, "--apply"], capture_output=True, text=True)


def compiles(path):
    """`python -m py_compile`'s error, or None."""
    done = subprocess.run([sys.executable, "-m", "py_compile", path], capture_output=True, text=True)
    return None if done.returncode == 0 else done.stderr[-300:]


def first_line(stderr):
    return stderr.strip().removeprefix("pyloom: ").splitlines()[0] if stderr.strip() else "?"


def reason(message):
    """A refusal with its names and places blanked, to count alike ones together."""
    return re.sub(r"`[^`]*`", "`…`", re.sub(r"line \d+|\S+\.py:\d+", "L", message))[:90]


def report(results, broken, what_broke, reasons, most=None):
    """Prints the counts, the broken results and the refusals, commonest first."""
    for k, v in sorted(results.items()):
        print(k, v)
    print(f"{what_broke}:", len(broken))
    for b in broken:
        print("  ", b)
    print("refusals by reason:")
    for why, n in reasons.most_common(most):
        print(f"  {n:4} {why}")


def tests_pass(package, tests):
    """Whether the test suite in `tests` passes (pytest) with `package` (a folder) importable."""
    env = dict(os.environ, PYTHONPATH=os.path.dirname(package))
    argv = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestRemovedIn10Warning", tests]
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=os.path.dirname(tests)).returncode == 0


def findings(pyloom, path):
    """`pyloom check`'s findings of a file, without their places."""
    done = subprocess.run([pyloom, "check", path, "--format", "json"], capture_output=True, text=True)
    try:
        found = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        return collections.Counter([done.stdout[:200]])
    items = found if isinstance(found, list) else found.get("findings", [])
    return collections.Counter(f"{f.get('code')} " + re.sub(r"line \d+", "L", str(f.get("message"))) for f in items)


def refused(done, results, reasons, label):
    """Whether `done` (a `pyloom refactor` run) refused; counted and printed if so."""
    if done.returncode == 0:
        return False
    results["refused"] += 1
    reasons[reason(first_line(done.stderr))] += 1
    print(f"{label}: refused: {first_line(done.stderr)}", flush=True)
    return True


def require_passing(src, tests):
    """Exits unless the test suite in `tests` passes on a copy of the package `src` as it is."""
    with copy_of(src, "__init__.py") as init:
        if not tests_pass(os.path.dirname(init), tests):
            sys.exit(f"the tests in {tests} fail on the original package")
