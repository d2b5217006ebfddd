# The cell magics whose body is Python (ruff joins their cells into the
# notebook's module) but which IPython does not run as module code, run as
# IPython runs them (added to the job's script with the `get_ipython()`
# stub). The runner hands each such cell's body here, as
# `get_ipython().run_cell_magic(NAME, LINE, BODY, _pyloom_at=(FILE, LINE))`
# (nbconvert writes the same call), with the file and first line of the
# body in the notebook's module, so that a traceback names the cell.
# The host refuses the options and magics these cannot run as IPython does.
import ast as _pyloom_ast


def _pyloom_compile(cell, at, mode="exec"):
    filename, first = at or ("<cell magic>", 1)
    tree = _pyloom_ast.parse(cell, filename, mode)
    _pyloom_ast.increment_lineno(tree, first - 1)
    return tree, filename


class _PyloomCapturedIO:
    """IPython's `CapturedIO`, what `%%capture NAME` binds: the text the
    body printed (`stdout`, `stderr`; `str()` is `stdout`), `show()` prints
    it again. Rich display outputs are none here (nothing displays)."""

    def __init__(self, stdout, stderr):
        self._stdout, self._stderr = stdout, stderr
        self.outputs = []

    @property
    def stdout(self):
        return self._stdout.getvalue() if self._stdout is not None else ""

    @property
    def stderr(self):
        return self._stderr.getvalue() if self._stderr is not None else ""

    def __str__(self):
        return self.stdout

    def show(self):
        _pyloom_sys.stdout.write(self.stdout)
        _pyloom_sys.stderr.write(self.stderr)

    __call__ = show


def _pyloom_capture(line, cell, at, frame):
    """`%%capture [--no-stdout] [--no-stderr] [--no-display] [NAME]`: the
    body runs in the notebook's namespace as a cell of its own, its output
    captured; an exception ends the body, its traceback goes to the
    captured output and the notebook goes on (IPython's nested
    `run_cell`); NAME is bound to the captured output, or deleted when
    the body ends with `;`."""
    import contextlib
    import io
    import tokenize
    import traceback

    words = line.split()
    name = next((word for word in words if not word.startswith("-")), None)
    stdout = None if "--no-stdout" in words else io.StringIO()
    stderr = None if "--no-stderr" in words else io.StringIO()
    with contextlib.ExitStack() as stack:
        if stdout is not None:
            stack.enter_context(contextlib.redirect_stdout(stdout))
        if stderr is not None:
            stack.enter_context(contextlib.redirect_stderr(stderr))
        try:
            tree, filename = _pyloom_compile(cell, at)
            exec(compile(tree, filename, "exec"), frame.f_globals, frame.f_locals)
        except (Exception, SystemExit):
            traceback.print_exc(file=_pyloom_sys.stdout)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(cell).readline))
    except (tokenize.TokenError, SyntaxError):
        tokens = []
    skipped = (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    last = next((token for token in reversed(tokens) if token[0] not in skipped), None)
    if last is not None and last[0] == tokenize.OP and last[1] == ";":
        frame.f_globals.pop(name, None)
    elif name:
        frame.f_globals[name] = _PyloomCapturedIO(stdout, stderr)


def _pyloom_timeit_options(line):
    """IPython's `%%timeit` options (`n:r:tcp:qov:`, getopt's way: they
    end at the first word that is not one) and the setup statement after
    them."""
    options, rest = {}, line
    while True:
        text = rest.lstrip()
        if len(text) < 2 or text[0] != "-" or text[1] not in "nrtcpqov":
            break
        flag, text = text[1], text[2:]
        if flag in "nrpv":
            if not text or text[0].isspace():
                text = text.lstrip()
            value = text.split(None, 1)[0] if text.split() else ""
            options[flag], text = value, text[len(value):]
        else:
            options[flag] = True
            if text and not text[0].isspace():
                text = "-" + text
        rest = text
    return options, rest.strip()


class _PyloomTimeitResult:
    """What `%%timeit -v NAME` binds (IPython's `TimeitResult`)."""

    def __init__(self, loops, repeat, all_runs, compile_time):
        self.loops, self.repeat, self.all_runs, self.compile_time = loops, repeat, all_runs, compile_time
        self.timings = [run / loops for run in all_runs]
        self.best, self.worst = min(self.timings), max(self.timings)
        self.average = sum(self.timings) / len(self.timings)
        self.stdev = (sum((t - self.average) ** 2 for t in self.timings) / len(self.timings)) ** 0.5

    def __str__(self):
        return "%.3g s +- %.3g s per loop (mean +- std. dev. of %d runs, %d loops each)" % (self.average, self.stdev, self.repeat, self.loops)


def _pyloom_timeit(line, cell, at, frame):
    """`%%timeit [-n N] [-r R] [-q] [-v NAME] ... [SETUP]`: as IPython
    does, the setup and the body run in a function of their own (they bind
    no name of the notebook's, they read its globals), the body `N` times
    in each of `R` repeats; without `-n`, `N` is found by timing, as
    IPython finds it (10**k loops until they take 0.2 s)."""
    import time
    import timeit

    options, setup = _pyloom_timeit_options(line)
    number = int(options.get("n", 0))
    repeat = int(options.get("r", max(timeit.default_repeat, 7)))
    timer = timeit.Timer(timer=time.time if "t" in options else timeit.default_timer)
    setup_tree, _ = _pyloom_compile(setup or "pass", (at[0], at[1] - 1) if at else None)
    body_tree, filename = _pyloom_compile(cell, at)
    template = _pyloom_ast.parse("def inner(_it, _timer):\n    setup\n    _t0 = _timer()\n    for _i in _it:\n        stmt\n    _t1 = _timer()\n    return _t1 - _t0\n")
    inner = template.body[0]
    inner.body[:1] = setup_tree.body
    loop = next(node for node in inner.body if isinstance(node, _pyloom_ast.For))
    loop.body = body_tree.body or [_pyloom_ast.Pass()]
    _pyloom_ast.fix_missing_locations(template)
    started = time.perf_counter()
    namespace = {}
    exec(compile(template, filename, "exec"), frame.f_globals, namespace)
    compile_time = time.perf_counter() - started
    timer.inner = namespace["inner"]
    if number == 0:
        for index in range(10):
            number = 10 ** index
            if timer.timeit(number) >= 0.2:
                break
    result = _PyloomTimeitResult(number, repeat, timer.repeat(repeat, number), compile_time)
    if "q" not in options:
        print(result)
    if "v" in options:
        frame.f_globals[options["v"]] = result
    return result if "o" in options else None


def _pyloom_python(line, cell, at, frame):
    """`%%python [--out NAME] [--err NAME] [--no-raise-error]`: IPython
    runs the body in a Python interpreter of its own, so it sees and binds
    none of the notebook's names; here it runs in a namespace of its own as
    `__main__`, the modules it imports forgotten after it. A failure (an
    exception, `sys.exit(1)`) is `CalledProcessError`, as IPython raises;
    `--out`/`--err` bind what it printed."""
    import contextlib
    import io
    import traceback

    words = line.split()
    bound = {flag: words[at_word + 1] for at_word, flag in enumerate(words[:-1]) if flag in ("--out", "--err")}
    stdout, stderr = io.StringIO(), io.StringIO()
    modules = set(_pyloom_sys.modules)
    code = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            tree, filename = _pyloom_compile(cell, at)
            exec(compile(tree, filename, "exec"), {"__name__": "__main__", "__builtins__": _pyloom_builtins})
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
            if exit.code is not None and not isinstance(exit.code, int):
                print(exit.code, file=_pyloom_sys.stderr)
        except BaseException:
            traceback.print_exc()
            code = 1
    for name in set(_pyloom_sys.modules) - modules:
        del _pyloom_sys.modules[name]
    for flag, stream, real in (("--out", stdout, _pyloom_sys.stdout), ("--err", stderr, _pyloom_sys.stderr)):
        if flag in bound:
            frame.f_globals[bound[flag]] = stream.getvalue()
        else:
            real.write(stream.getvalue())
    if code != 0 and "--no-raise-error" not in words:
        raise _PyloomCalledProcessError(code, cell)


class _PyloomCalledProcessError(Exception):
    """`subprocess.CalledProcessError`, which the sandbox's Python may not
    import (it has no processes)."""

    def __init__(self, returncode, cmd):
        super().__init__(returncode, cmd)
        self.returncode, self.cmd = returncode, cmd

    def __str__(self):
        return "Command %r returned non-zero exit status %d." % (self.cmd, self.returncode)


_PyloomCalledProcessError.__name__ = _PyloomCalledProcessError.__qualname__ = "CalledProcessError"
_PyloomCalledProcessError.__module__ = "subprocess"

_PYLOOM_CELL_MAGICS = {"capture": _pyloom_capture, "timeit": _pyloom_timeit, "python": _pyloom_python, "python3": _pyloom_python}
