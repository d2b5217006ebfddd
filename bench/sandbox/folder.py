"""`pyloom test DIR` against native `python3 -m pytest DIR` on a generated
folder of snippet tests (FILES files x TESTS_PER_FILE tests: plain asserts,
doctests, unittest methods and pytest tests with a conftest fixture), run
alternately ROUNDS times each; prints the wall times and their ratios.

The native peer is pytest as a user has it: the same pytest version the
sandbox runs, `pip install`ed into a virtualenv (bench/.cache/pytest-venv,
made once), so pytest's own modules are compiled at install. It runs two
ways: `fresh`, with PYTHONDONTWRITEBYTECODE=1 and no `__pycache__` in the
folder (each run compiles and rewrites the tests, as every pyloom run
does), and `warm`, with the tests' `__pycache__` kept from the run before
(what a user sees from the second run on). An earlier version ran the
host's python3 on the sandbox's own site-packages, whose bytecode is the
guest's (3.14): the host compiled pytest itself on every run, which made
native pytest ~0.2 s slower than a user's.

Usage: folder.py PYLOOM  (run.sh passes the built binary)
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYLOOM = sys.argv[1]
FILES = int(os.environ.get("FILES", "20"))
TESTS_PER_FILE = int(os.environ.get("TESTS_PER_FILE", "10"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
CACHE = Path(os.environ.get("PYLOOM_CACHE_DIR") or Path.home() / ".cache" / "pyloom")
VENV = Path(__file__).resolve().parent.parent / ".cache" / "pytest-venv"


def module(index):
    """A module with doctests; every fourth test file uses pytest fixtures."""
    functions = "".join(
        f"def f{n}(x):\n    \"\"\"\n    >>> f{n}(2)\n    {2 + n}\n    \"\"\"\n    return x + {n}\n\n\n"
        for n in range(TESTS_PER_FILE // 2)
    )
    return f"\"\"\"Module {index}.\"\"\"\n\n\n{functions}"


def test_file(index):
    half = TESTS_PER_FILE // 2
    if index % 4 == 3:
        body = "".join(f"def test_t{n}(base):\n    assert mod{index}.f{n}(base) == base + {n}\n\n\n" for n in range(half))
        return f"import pytest\n\nimport mod{index}\n\n\n{body}"
    if index % 4 == 2:
        body = "".join(f"    def test_t{n}(self):\n        self.assertEqual(mod{index}.f{n}(1), {1 + n})\n\n" for n in range(half))
        return f"import unittest\n\nimport mod{index}\n\n\nclass T(unittest.TestCase):\n{body}"
    body = "".join(f"def test_t{n}():\n    assert mod{index}.f{n}(1) == {1 + n}\n\n\n" for n in range(half))
    return f"import mod{index}\n\n\n{body}"


def make(root):
    (root / "pyproject.toml").write_text("")
    (root / "conftest.py").write_text("import pytest\n\n\n@pytest.fixture\ndef base():\n    return 1\n")
    for index in range(FILES):
        (root / f"mod{index}.py").write_text(module(index))
        (root / f"test_mod{index}.py").write_text(test_file(index))


def timed(argv, cwd, env):
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{argv[0]} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed, done


def sandbox_pytest_version():
    """The pytest version the sandbox installed (its dist-info's name)."""
    site = CACHE / "python-wasm" / "site-packages"
    for entry in site.glob("pytest-*.dist-info"):
        return entry.name[len("pytest-") : -len(".dist-info")]
    sys.exit(f"no pytest in {site}: run `pyloom test` once to install the sandbox")


def native_python(version):
    """A virtualenv's python with that pytest installed (made once)."""
    python = VENV / "bin" / "python"
    marker = VENV / f"pytest-{version}"
    if not marker.exists():
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"pytest=={version}"], check=True)
        marker.touch()
    return str(python)


def main():
    # The sandbox (and its pytest) is installed by pyloom's first run.
    with tempfile.TemporaryDirectory() as tmp:
        make(Path(tmp))
        timed([PYLOOM, "test", "."], Path(tmp), dict(os.environ))
    python = native_python(sandbox_pytest_version())
    native_argv = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules", "."]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make(root)
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        fresh_env = dict(env, PYTHONDONTWRITEBYTECODE="1")
        ours, fresh, warm = [], [], []
        for _ in range(ROUNDS):
            elapsed, done = timed([PYLOOM, "test", "."], root, fresh_env)
            ours.append(elapsed)
            summary = done.stdout.strip().splitlines()[-1]
            for cache in root.rglob("__pycache__"):
                shutil.rmtree(cache)
            elapsed, done = timed(native_argv, root, fresh_env)
            fresh.append(elapsed)
            native_summary = done.stdout.strip().splitlines()[-1]
            timed(native_argv, root, env)  # fills the tests' __pycache__
            elapsed, _ = timed(native_argv, root, env)
            warm.append(elapsed)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; {FILES * 2} files, median of {ROUNDS}")
    print(f"pyloom test DIR:               {statistics.median(ours):6.2f}s  ({summary})")
    print(f"pytest DIR, fresh bytecode:    {statistics.median(fresh):6.2f}s  ({native_summary})")
    print(f"pytest DIR, warm __pycache__:  {statistics.median(warm):6.2f}s")
    print(f"ratio pyloom / pytest fresh:   {statistics.median(ours) / statistics.median(fresh):6.2f}x")
    print(f"ratio pyloom / pytest warm:    {statistics.median(ours) / statistics.median(warm):6.2f}x")


if __name__ == "__main__":
    main()
