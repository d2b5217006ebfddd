# The snippet runner, built into the sandbox's interpreter component with
# runner_doctest.py, runner_unittest.py and pytest_prelude.py after it (all
# run once, when `pyloom sandbox install` builds the component); a job then
# calls _pyloom_run(job) in a fresh instance. One JSON line per test goes
# to job["results"] as soon as the test finishes, so a run cut short by a
# limit still reports the tests that completed.
import ast
import errno
import importlib
import inspect
import json
import os
import re
import sys
import time
import traceback


def _pyloom_run(job):
    """Runs the tests of job["files"] (one file, or a batch of files of one
    import root; test ids are unique across them): the pytest tests of all
    of them in one pytest session, then each file's other tests. Before
    working for a file the runner says so (`lap`), so that the host's clock
    charges each file its own time."""
    import wit_world

    files = job["files"]
    with open(job["results"], "a") as out:
        def emit(test, status, duration, message="", line=None):
            out.write(json.dumps({"id": test["id"], "status": status, "duration_ms": duration,
                                  "message": message, "line": line}) + "\n")
            out.flush()

        # Written before a test runs: when a limit stops the interpreter, the
        # host knows which test was running (it gets the limit) and which
        # never started (they run again in a fresh interpreter).
        def start(test):
            out.write(json.dumps({"id": test["id"], "started": True}) + "\n")
            out.flush()

        # pytest goes first: it must import the test modules itself, with
        # its assertion rewriting, before anything else imports them plainly.
        pytest_files = [(part, spec, [test for test in spec["tests"] if test["kind"] == "pytest"])
                        for part, spec in enumerate(files)]
        pytest_files = [entry for entry in pytest_files if entry[2]]
        notebooks = {spec["file"]: _Notebook(spec) for spec in files if spec.get("notebook")}
        if pytest_files:
            _use_rewritten(job["rewritten"])
            _run_pytest(job["root"], pytest_files, len(files) > 1, emit, start, wit_world.lap, notebooks)
        for part, spec in enumerate(files):
            others = [test for test in spec["tests"] if test["kind"] != "pytest"]
            if others:
                wit_world.lap(part)
                notebook = notebooks.get(spec["file"])
                _run_others(spec, others, emit, start, notebook.module if notebook else None)


class _Notebook:
    """A notebook's cells (the module text of spec["file"]), run once, as
    Jupyter runs them: in a module named `__main__` (`if __name__ ==
    '__main__':` blocks run), top-level `await` allowed (IPython's
    autoawait). The first to ask runs them: pytest, which rewrites their
    asserts as it does a test module's, or the runner of the other tests."""

    def __init__(self, spec):
        self.file = spec["file"]
        self.cells = spec.get("cells", [])
        self._outcome = None

    def module(self, rewrite=None):
        if self._outcome is None:
            try:
                self._outcome = (True, self._run(rewrite))
            except BaseException as error:
                self._outcome = (False, error)
        ran, value = self._outcome
        if not ran:
            raise value
        return value

    def _run(self, rewrite):
        import types
        with open(self.file, "rb") as source:
            text = source.read()
        tree = ast.parse(text, self.file)
        _cell_magics(tree, re.findall(r"[^\r\n]*(?:\r\n|\r|\n|$)", text.decode("utf-8", "replace")), self.cells, self.file)
        if rewrite is not None:
            rewrite(tree, text)
        code = compile(tree, self.file, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        module = types.ModuleType("__main__")
        module.__file__ = self.file
        # As in a kernel, `import __main__` (pickle, doctest) is the notebook.
        sys.modules["__main__"] = module
        if code.co_flags & inspect.CO_COROUTINE:
            _run_coroutine(eval(code, module.__dict__))
        else:
            exec(code, module.__dict__)
        return module


def _cell_magics(tree, lines, cells, file):
    """Each cell of `cells` whose magic IPython does not run as module code
    (`%%timeit`, `%%capture`, `%%python`; its `line` the magic's, `last`
    the cell's last, from 1) made the call nbconvert writes for it,
    `get_ipython().run_cell_magic(NAME, ARGS, BODY)`, in place of its
    statements: the sandbox's `get_ipython()` runs the body as IPython
    does, compiled at its own lines of this file."""
    for cell in reversed(cells):
        first, last = cell["line"], cell["last"]
        inside = [at for at, statement in enumerate(tree.body) if first <= statement.lineno <= last]
        if not inside:
            continue
        body = "".join(lines[first:last])
        call = ast.parse("get_ipython().run_cell_magic(%r, %r, %r, _pyloom_at=(%r, %d))" % (cell["magic"], cell["args"], body, file, first + 1))
        ast.increment_lineno(call, first - 1)
        tree.body[inside[0]:inside[-1] + 1] = call.body


def _run_coroutine(coroutine):
    """Runs the cells' code compiled with top-level `await` as IPython's
    autoawait does: on an asyncio event loop."""
    try:
        loop = _event_loop()
    except BaseException:
        coroutine.close()
        raise
    loop.run_until_complete(coroutine)


def _event_loop():
    """asyncio's event loop without its self-pipe: a socket pair the
    sandbox cannot make (no sockets), which only wakes the loop from other
    threads and signal handlers, neither of which a run here has."""
    import asyncio

    class Loop(asyncio.SelectorEventLoop):
        def _make_self_pipe(self):
            pass

        def _close_self_pipe(self):
            pass

        def _write_to_self(self):
            pass

    return Loop()


def _run_others(spec, tests, emit, start, notebook=None):
    """A file's doctests, unittest methods and plain test functions;
    `notebook` gives the module of a notebook's cells."""
    try:
        module = notebook() if notebook else importlib.import_module(spec["module"])
    except BaseException as error:
        message = _format_error(error)
        line = _line_in(error.__traceback__, spec["file"]) or getattr(error, "lineno", None)
        for test in tests:
            emit(test, "error", 0, message, line)
        return
    for test in tests:
        start(test)
        started = time.perf_counter()
        try:
            status, message, line = _RUNNERS[test["kind"]](module, test["name"], spec["file"])
        except BaseException as error:
            status, message, line = "error", _format_error(error), _line_in(error.__traceback__, spec["file"])
        emit(test, status, _ms(started), message, line)


def _ms(started):
    return round((time.perf_counter() - started) * 1000, 3)


def _resolve(module, name):
    target = module
    for part in name.split("."):
        target = getattr(target, part)
    return target


def _frames_in(tb, filename):
    return [(frame, line) for frame, line in traceback.walk_tb(tb) if frame.f_code.co_filename == filename]


def _line_in(tb, filename):
    frames = _frames_in(tb, filename)
    return frames[-1][1] if frames else None


def _format_error(error):
    """The traceback from the first frame outside this runner: the runner's
    own frames say nothing about the user's code, and their lines move with
    the runner."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == _RUNNER_FILE:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb)).rstrip()


_RUNNER_FILE = _format_error.__code__.co_filename


def _outcome(error, filename):
    """Classifies an exception raised by a test: (status, message, line)."""
    line = _line_in(error.__traceback__, filename)
    if isinstance(error, AssertionError):
        return "failed", _explain_assert(error, filename), line
    if isinstance(error, OSError) and error.errno == getattr(errno, "EDQUOT", None):
        return "disk_limit", _format_error(error), line
    return "error", _format_error(error), line


def _explain_assert(error, filename):
    """The failing assert with its compared values, the way pytest shows them."""
    detail = str(error)
    frames = _frames_in(error.__traceback__, filename)
    if not frames:
        return ("AssertionError: " + detail) if detail else "AssertionError"
    frame, line = frames[-1]
    node = _assert_at(filename, line)
    if node is None:
        return ("AssertionError: " + detail) if detail else "AssertionError"
    text = "assert " + ast.unparse(node.test)
    if detail:
        text += ", " + detail
    test = node.test
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        try:
            # Re-evaluated for the report; comparisons in asserts are almost
            # always side-effect free, and a failure here only loses detail.
            left = eval(compile(ast.Expression(test.left), filename, "eval"), frame.f_globals, frame.f_locals)
            right = eval(compile(ast.Expression(test.comparators[0]), filename, "eval"), frame.f_globals, frame.f_locals)
            text += "\n  left:  " + repr(left)[:500] + "\n  right: " + repr(right)[:500]
        except Exception:
            pass
    return text


def _assert_at(filename, line):
    try:
        with open(filename) as source:
            tree = ast.parse(source.read())
    except (OSError, SyntaxError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and node.lineno <= line <= (node.end_lineno or node.lineno):
            return node
    return None


def _run_function(module, name, filename):
    try:
        _resolve(module, name)()
    except BaseException as error:
        return _outcome(error, filename)
    return "passed", "", None


_RUNNERS = {"function": _run_function}


def _run_pytest(root, files, batch, emit, start, lap, notebooks):
    """One pytest session for the pytest tests of `files` ([(part, spec,
    tests)]). One file's are given by their ids; a batch's by their files,
    the tests not asked for deselected, so that a file whose collection
    fails does not stop the others (an id pytest cannot collect is a usage
    error, which would): its tests report nothing, and the host runs it
    again alone. A notebook's module is the one its cells ran as
    (`notebooks`, by file), not one pytest imports."""
    prefix = root.rstrip("/") + "/"
    by_node = {}
    part_of_path = {}
    for part, spec, tests in files:
        path = spec["file"][len(prefix):] if spec["file"].startswith(prefix) else spec["file"]
        part_of_path[path] = part
        for test in tests:
            by_node[(path, test["name"])] = (spec, test)

    def test_of(nodeid):
        path, _, name = nodeid.partition("::")
        return by_node.get((path, name.replace("::", ".").split("[", 1)[0]), (None, None))

    # A parametrized test is one test here, of its cases: the worst case's
    # status, each failing case's message under its id.
    so_far = {}
    rank = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}

    def record(test, nodeid, status, duration, message, line):
        case = nodeid.split("[", 1)[1][:-1] if "[" in nodeid else None
        if case is not None and message and status in ("failed", "error"):
            message = "[%s] %s" % (case, message)
        previous = so_far.get(test["id"])
        if previous is not None:
            worse = status if rank[status] > rank[previous[0]] else previous[0]
            messages = [m for m in (previous[2], message if status in ("failed", "error") else "") if m]
            status, duration = worse, previous[1] + duration
            message, line = "\n\n".join(messages), previous[3] if previous[3] is not None else line
        so_far[test["id"]] = (status, duration, message, line)
        emit(test, status, round(duration, 3), message, line)

    class Collector:
        def pytest_pycollect_makemodule(self, module_path, parent):
            notebook = notebooks.get(str(module_path))
            if notebook is None:
                return None
            import pytest

            class NotebookModule(pytest.Module):
                def _getobj(self):
                    return notebook.module(lambda tree, text: _rewrite_asserts(tree, text, str(module_path), self.config))

            return NotebookModule.from_parent(parent, path=module_path)

        def pytest_collection_modifyitems(self, config, items):
            kept = [item for item in items if test_of(item.nodeid)[1] is not None]
            if len(kept) < len(items):
                config.hook.pytest_deselected(items=[item for item in items if test_of(item.nodeid)[1] is None])
                items[:] = kept

        def pytest_collectstart(self, collector):
            # A test file's import is its own time.
            part = part_of_path.get(collector.nodeid)
            if part is not None:
                lap(part)

        def pytest_runtest_logstart(self, nodeid, location):
            part = part_of_path.get(nodeid.partition("::")[0])
            if part is not None:
                lap(part)
            _, test = test_of(nodeid)
            if test is not None and test["id"] not in so_far:
                start(test)

        def pytest_runtest_logreport(self, report):
            spec, test = test_of(report.nodeid)
            if test is None:
                return
            if report.when == "call" or report.outcome != "passed":
                if report.outcome == "passed":
                    status, message, line = "passed", "", None
                elif report.outcome == "skipped":
                    status, message, line = "skipped", str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else "", None
                else:
                    crash = getattr(report.longrepr, "reprcrash", None)
                    message = report.longreprtext if crash is None else crash.message
                    line = crash.lineno if crash is not None and crash.path == spec["file"] else None
                    assertion = message.startswith(("assert", "AssertionError"))
                    status = "failed" if report.when == "call" and assertion else "error"
                    if status == "error" and crash is not None:
                        message = report.longreprtext
                    # What the test printed, as pytest shows it for a failure.
                    for title, text in (("stdout", report.capstdout), ("stderr", report.capstderr)):
                        if text:
                            message += "\n\nCaptured %s:\n%s" % (title, text.rstrip())
                record(test, report.nodeid, status, report.duration * 1000, message, line)

    if batch:
        ids = [spec["file"] for _, spec, _ in files]
    else:
        ids = [spec["file"] + "::" + test["name"].replace(".", "::") for _, spec, tests in files for test in tests]
    import contextlib
    import io
    import pytest
    # What pytest says when it cannot start (a conftest.py that raises:
    # its file, line and exception) goes to stderr, not to a report.
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        code = pytest.main(
            ids + ["--capture=sys", "-p", "no:faulthandler", "-p", "no:cacheprovider", "-q",
                   "--no-header", "-o", "console_output_style=classic", "--rootdir", root]
            + (["--continue-on-collection-errors"] if batch else []),
            plugins=[Collector()])
    if code not in (0, 1, 5) and not batch:
        # Usage or collection failures: report them on every test so none is silently lost.
        message = _pytest_could_not_start(code, said.getvalue(), root)
        for _, _, tests in files:
            for test in tests:
                emit(test, "error", 0, message, None)


def _rewrite_asserts(tree, text, filename, config):
    """pytest's rewriting of a test module's asserts (what it does to a
    module it imports), on the tree of a notebook's cells."""
    try:
        from _pytest.assertion.rewrite import rewrite_asserts
    except ImportError:
        return
    rewrite_asserts(tree, text, filename, config)


def _pytest_could_not_start(code, said, root):
    """pytest's own account of why it stopped before any test, led by the
    conftest.py that failed to load, with its line and exception, when one
    did (pytest prints the file, a short traceback and `E   Exception`).
    Paths are shown relative to the project (the sandbox's are not the
    user's)."""
    lines = [line.rstrip().replace(root.rstrip("/") + "/", "") for line in said.splitlines() if line.strip()]
    conftest = next((line for line in lines if line.startswith("ImportError while loading conftest")), None)
    if conftest is None:
        return "pytest exited with code %s%s" % (code, ":\n" + "\n".join(lines) if lines else "")
    path = conftest.split("'")[1] if conftest.count("'") >= 2 else "conftest.py"
    name = os.path.basename(path)
    at = [line.split(": in ")[0] for line in lines if name + ":" in line and ": in " in line]
    error = [line[1:].strip() for line in lines if line.startswith("E ")]
    where = at[-1] if at else path
    head = "%s failed to load: %s" % (where, error[-1] if error else "see below")
    return head + "\n" + "\n".join(lines)
