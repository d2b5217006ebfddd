# pytest tests, for the runner (runner.py): importing pytest and its built-in
# plugins takes seconds under wasm, paid once when the interpreter component
# is built.

# Shims for WASI: there is no /dev/null (pytest's logging plugin opens it).
os.devnull = "/scratch/.devnull"
if not hasattr(os, "getuid"):
    # pytest's tmp_path checks directory ownership against it.
    os.getuid = lambda: 0
try:
    import pytest  # noqa: F401
    from _pytest.config import default_plugins

    # pytest.main imports these on every call (cheap once imported).
    for _plugin in default_plugins:
        importlib.import_module("_pytest." + _plugin)
except ImportError:
    # Not installed: the run reports the ImportError on each pytest test.
    pass
