# unittest.TestCase methods, for the runner (runner.py).
import unittest


class _Result(unittest.TestResult):
    def __init__(self, filename):
        super().__init__()
        self.filename = filename
        self.outcome = ("passed", "", None)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.outcome = ("failed", str(err[1]) or "AssertionError", _line_in(err[2], self.filename))

    def addError(self, test, err):
        super().addError(test, err)
        self.outcome = ("error", _format_error(err[1]), _line_in(err[2], self.filename))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcome = ("skipped", reason, None)


def _run_unittest(module, name, filename):
    class_name, _, method = name.rpartition(".")
    case = _resolve(module, class_name)(method)
    result = _Result(filename)
    case.run(result)
    return result.outcome


_RUNNERS["unittest"] = _run_unittest
