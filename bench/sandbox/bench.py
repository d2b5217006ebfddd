"""Drives `pyloom serve` like an editor and times snippet runs against native python3.

Keystrokes are spaced by a think time (THINK_S, default 1.5 s; PYTEST_THINK_S,
default 5 s), the edit a user makes between two runs. A back-to-back row (no
pause) shows what a burst of keystrokes costs. Every run instantiates the
pre-initialised interpreter component afresh, so nothing is prepared ahead.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lsp_stdio import LspClient  # noqa: E402  (bench/ is not a package)

PYLOOM = sys.argv[1]
RUNS = int(os.environ.get("RUNS", "30"))
THINK_S = float(os.environ.get("THINK_S", "1.5"))
PYTEST_THINK_S = float(os.environ.get("PYTEST_THINK_S", "5"))
ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "snippets"
CACHE = Path(os.environ.get("PYLOOM_CACHE_DIR") or Path.home() / ".cache" / "pyloom")


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


NATIVE_RSS_KB = [0]


def time_native(argv, env=None):
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would also
        # count the cargo commands run.sh ran before exec'ing this script).
        _, _, usage = os.wait4(child.pid, 0)
        child.returncode = 0
        samples.append((time.perf_counter() - started) * 1000)
        NATIVE_RSS_KB[0] = max(NATIVE_RSS_KB[0], usage.ru_maxrss)
    return samples


def main():
    log = os.environ.get("LOG")
    lsp = LspClient([PYLOOM, "serve", "--log-level", log or "warn"], stderr=None if log else subprocess.DEVNULL)
    uri_for = lambda name: (ROOT / name).as_uri()
    lsp.request("initialize", {"processId": os.getpid(), "rootUri": ROOT.as_uri(), "capabilities": {}})
    lsp.notify("initialized", {})
    for name in ("calc.py", "test_calc.py", "test_with_pytest.py"):
        lsp.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri_for(name), "languageId": "python", "version": 1, "text": (ROOT / name).read_text()}})

    def keystrokes(name, line, think, runs=RUNS):
        args = {"command": "pyloom.runSnippetTests", "arguments": [{"uri": uri_for(name), "line": line}]}
        lsp.request("workspace/executeCommand", args)  # first run builds the runner
        samples = []
        for _ in range(runs):
            time.sleep(think)
            started = time.perf_counter()
            lsp.request("workspace/executeCommand", args)
            samples.append((time.perf_counter() - started) * 1000)
        return samples

    rows = []
    doctest_native = time_native([sys.executable, "-c", "import doctest, calc; doctest.run_docstring_examples(calc.add, vars(calc))"])
    rows.append(("doctest keystroke", keystrokes("calc.py", 10, THINK_S), doctest_native))  # add's doctest
    unittest_native = time_native([sys.executable, "-m", "unittest", "test_calc.CalcTest.test_add"])
    rows.append(("unittest keystroke", keystrokes("test_calc.py", 20, THINK_S), unittest_native))  # CalcTest.test_add
    rows.append(("unittest back-to-back", keystrokes("test_calc.py", 20, 0, max(RUNS // 3, 5)), unittest_native))
    env = dict(os.environ, PYTHONPATH=str(CACHE / "python-wasm" / "site-packages"))
    pytest_native = time_native([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_with_pytest.py"], env)
    rows.append(("pytest file (6 tests)", keystrokes("test_with_pytest.py", None, PYTEST_THINK_S, max(RUNS // 3, 5)), pytest_native))
    rss = rss_mb(lsp.proc.pid)

    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; think time {THINK_S} s, pytest {PYTEST_THINK_S} s")
    print(f"{'':24} {'pyloom p50':>11} {'p95':>8} {'python3 p50':>12} {'p95':>8} {'ratio p50':>10}")
    for label, ours, native in rows:
        p50, native_p50 = statistics.median(ours), statistics.median(native)
        print(f"{label:24} {p50:9.1f}ms {percentile(ours, .95):6.1f}ms {native_p50:10.1f}ms "
              f"{percentile(native, .95):6.1f}ms {p50 / native_p50:9.2f}x")

    # First run: compile the component into an empty module cache (interpreter files shared).
    with tempfile.TemporaryDirectory() as fresh:
        os.symlink(CACHE / "python-wasm", Path(fresh) / "python-wasm")
        env = dict(os.environ, PYLOOM_CACHE_DIR=fresh)
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            subprocess.run([PYLOOM, "test", str(ROOT / "calc.py:10")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            timings.append(time.perf_counter() - started)
    print(f"first `pyloom test` (compiles the component): {timings[0]:.2f}s; second (cached module): {timings[1]:.2f}s "
          f"= {timings[0] / timings[1]:.1f}x")
    # Cold CLI runs (a new process loading the cached component) against the
    # same tests run natively: one doctest, one unittest method, a pytest file.
    for label, target, native in (("one doctest", "calc.py:10", doctest_native),
                                  ("one unittest method", "test_calc.py:20", unittest_native),
                                  ("pytest file", "test_with_pytest.py", pytest_native)):
        cold = []
        for _ in range(max(RUNS // 3, 5)):
            started = time.perf_counter()
            subprocess.run([PYLOOM, "test", str(ROOT / target)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            cold.append((time.perf_counter() - started) * 1000)
        p50, native_p50 = statistics.median(cold), statistics.median(native)
        print(f"cold `pyloom test` {label:20} {p50:7.1f}ms p50 vs native {native_p50:7.1f}ms = {p50 / native_p50:.2f}x")
    native_rss = NATIVE_RSS_KB[0] / 1024
    print(f"server RSS after the runs: {rss:.0f} MB (largest native python3 child: {native_rss:.0f} MB, {rss / native_rss:.1f}x)")
    lsp.close()


if __name__ == "__main__":
    main()
