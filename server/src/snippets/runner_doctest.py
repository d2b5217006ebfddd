# Doctests, for the runner (runner.py). Importing doctest (which brings pdb,
# inspect, difflib and unittest) costs hundreds of milliseconds under wasm,
# paid once when the interpreter component is built.
import doctest


def _run_doctest(module, name, filename):
    qualified = module.__name__ + ("." + name if name else "")
    finder = doctest.DocTestFinder(recurse=False)
    target = _resolve(module, name) if name else module
    tests = [t for t in finder.find(target, qualified, module=module) if t.examples]
    runner = _DocTestRunner(verbose=False)
    for test in tests:
        runner.run(test, out=lambda _text: None)
    if runner.problems:
        status, message, line = runner.problems[0]
        return status, message, line
    return "passed", "", None


class _DocTestRunner(doctest.DocTestRunner):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.problems = []

    @staticmethod
    def _line(test, example):
        return None if test.lineno is None else test.lineno + example.lineno + 1

    def report_failure(self, out, test, example, got):
        message = "Failed example:\n    " + example.source.rstrip() + "\nExpected:\n    " + \
            (example.want.rstrip() or "nothing") + "\nGot:\n    " + (got.rstrip() or "nothing")
        self.problems.append(("failed", message, self._line(test, example)))

    def report_unexpected_exception(self, out, test, example, exc_info):
        message = "Failed example:\n    " + example.source.rstrip() + "\nException raised:\n" + \
            "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).rstrip()
        self.problems.append(("error", message, self._line(test, example)))


_RUNNERS["doctest"] = _run_doctest
