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


def _pyloom_rewrite(job):
    """The rewrite job (the host's `rewrite_cache`): pytest's rewriting of
    the asserts of job["files"], each file's code marshalled to
    job["out"]/N.pyc (N its index), as pytest rewrites a module it imports,
    without a config (the one setting it reads there,
    `enable_assertion_pass_hook`, off). Nothing of the files runs: they are
    parsed, rewritten and compiled. A file that does not parse gets no
    code; each file has its own clock, and its code appears whole or not
    at all (written aside, then renamed)."""
    import marshal
    import wit_world
    from pathlib import Path
    from _pytest.assertion.rewrite import _rewrite_test

    os.makedirs(job["out"], exist_ok=True)
    for index, path in enumerate(job["files"]):
        wit_world.lap(index)
        try:
            code = marshal.dumps(_rewrite_test(Path(path), None)[1])
        except Exception:
            continue
        staged = "%s/%d.tmp" % (job["out"], index)
        with open(staged, "wb") as out:
            out.write(code)
        os.rename(staged, "%s/%d.pyc" % (job["out"], index))


def _use_rewritten(rewritten):
    """pytest's rewriting of a module, taken from `rewritten` (the hex of
    its marshalled code by path, the host's cache of what `_pyloom_rewrite`
    made of the very text staged) when it holds the module. The code was
    rewritten without a config, and the config here is never the project's
    (its ini files are not staged), so `enable_assertion_pass_hook`, the one
    setting the rewriting reads, is off in both."""
    if not rewritten:
        return
    import marshal
    import types
    from _pytest.assertion import rewrite

    plain = rewrite._rewrite_test

    def _rewrite_test(fn, config):
        code = rewritten.get(str(fn))
        if code is not None:
            try:
                loaded = marshal.loads(bytes.fromhex(code))
            except (ValueError, EOFError, TypeError):
                loaded = None
            if isinstance(loaded, types.CodeType):
                return os.stat(fn), loaded
        return plain(fn, config)

    rewrite._rewrite_test = _rewrite_test
