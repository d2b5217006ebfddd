# The `get_ipython()` a notebook's code finds in the sandbox (added to the
# job's script when a notebook runs): nbconvert and jupytext write IPython's
# escapes as its calls (`get_ipython().run_line_magic('matplotlib', 'inline')`,
# `x = get_ipython().getoutput('ls')`). Each call does what the escape it
# spells does in a notebook's cells run here (`%matplotlib inline`,
# `x = !ls`): nothing, its value `...`; `%time` runs its code in the
# caller's namespace (a function's: a copy of its locals), as IPython does,
# and gives an expression's value (`z = %time 2 + 3`); the cell magics
# whose body is Python run as IPython runs them (ipython_cell_magics.py).
import builtins as _pyloom_builtins
import sys as _pyloom_sys


class _PyloomShell:
    def run_line_magic(self, name, line, _stack_depth=1):
        if name == "time" and line.strip():
            frame = _pyloom_sys._getframe(_stack_depth)
            try:
                expression = compile(line, "<timed>", "eval")
            except SyntaxError:
                exec(line, frame.f_globals, frame.f_locals)
                return None
            return eval(expression, frame.f_globals, frame.f_locals)
        return ...

    def run_cell_magic(self, name, line, cell, _pyloom_at=None, _stack_depth=1):
        # The cell magics of `_PYLOOM_CELL_MAGICS` (see
        # ipython_cell_magics.py); any other does nothing, as an escape.
        magic = _PYLOOM_CELL_MAGICS.get(name)
        if magic is None:
            return ...
        return magic(line, cell, _pyloom_at, _pyloom_sys._getframe(_stack_depth))

    def __getattr__(self, name):
        return lambda *args, **kwargs: ...


_pyloom_builtins.get_ipython = lambda _shell=_PyloomShell(): _shell
