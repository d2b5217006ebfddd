"""`pyloom test DIR` against native `python3 -m pytest DIR` on a generated
folder of snippet tests (FILES files x TESTS_PER_FILE tests: plain asserts,
doctests, unittest methods and pytest tests with a conftest fixture), run
alternately ROUNDS times each; prints the wall times and their ratio.

Usage: folder.py PYLOOM  (run.sh passes the built binary)
"""
import os
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


def main():
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make(root)
        env = dict(os.environ, PYTHONPATH=str(CACHE / "python-wasm" / "site-packages"), PYTHONDONTWRITEBYTECODE="1")
        env.pop("VIRTUAL_ENV", None)
        ours, native = [], []
        for _ in range(ROUNDS):
            elapsed, done = timed([PYLOOM, "test", "."], root, env)
            ours.append(elapsed)
            summary = done.stdout.strip().splitlines()[-1]
            elapsed, done = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules", "."], root, env)
            native.append(elapsed)
            native_summary = done.stdout.strip().splitlines()[-1]
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; {FILES * 2} files, median of {ROUNDS}")
    print(f"pyloom test DIR:           {statistics.median(ours):6.2f}s  ({summary})")
    print(f"python3 -m pytest DIR:     {statistics.median(native):6.2f}s  ({native_summary})")
    print(f"ratio pyloom / pytest:     {statistics.median(ours) / statistics.median(native):6.2f}x")


if __name__ == "__main__":
    main()
