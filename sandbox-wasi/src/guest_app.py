# The sandbox's guest: a Python app that componentize-py pre-initialises
# into the interpreter component at install (see `component_build.rs`).
# Everything at module level runs once, at build time; every job starts
# from a fresh instance of the interpreter as it was after it, and calls
# `WitWorld.run` with its script.
import sys, os, atexit, importlib.machinery, importlib.util

# componentize-py shows the build the folders it is given at /0, /1, ...;
# jobs see pytest's site-packages at its own guest path. Modules imported
# here (pytest and its plugins) are imported under the jobs' paths, read
# through the build's, so their `__file__`, `__path__` and code objects
# name the folder jobs see and their lazy imports find it.
_BUILD_MOUNTS = {}  # set by the installer: {guest path: build path}


def _build_path(path):
    for guest, build in _BUILD_MOUNTS.items():
        if (path == guest or path.startswith(guest + "/")) and not os.path.isdir(guest):
            return build + path[len(guest):]
    return path


class _MountedLoader(importlib.machinery.SourceFileLoader):
    def get_data(self, path):
        return super().get_data(_build_path(path))

    def path_stats(self, path):
        return super().path_stats(_build_path(path))

    def set_data(self, path, data, *, _mode=0o666):
        # Bytecode is compiled at install, in the folder jobs see.
        pass


class _MountedFinder:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        for entry in (sys.path if path is None else path):
            if _build_path(entry) == entry:
                continue
            spec = importlib.machinery.PathFinder.find_spec(name, [_build_path(entry)])
            if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
                continue
            origin = entry + spec.origin[len(_build_path(entry)):]
            package = [os.path.dirname(origin)] if spec.submodule_search_locations is not None else None
            return importlib.util.spec_from_file_location(
                name, origin, loader=_MountedLoader(name, origin), submodule_search_locations=package)
        return None


sys.meta_path.insert(0, _MountedFinder)
sys.path[:0] = list(_BUILD_MOUNTS)

# PYLOOM-GUARD

# PYLOOM-PRELUDE

import wit_world as _wit_world

# The disk quota's refusals. The host refuses a write that would take the
# scratch directory past its quota. Refused in a descriptor call (pwrite,
# truncate, a new name), the guest sees EDQUOT; but `os.write` and file
# objects write through a file stream, and the WASI adapter inside this
# component turns every stream error into EIO. The host says whether it
# refused the last stream write (`write_refused`), and these wrappers give
# such a write its real error. `open` is `_pyio.open`'s code with the C
# buffered and text classes around a `FileIO` whose `write` does this.
import builtins as _builtins, errno as _errno, _io, _pyio, types as _types


def _refusal(error):
    if error.errno == _errno.EIO and _wit_world.write_refused():
        return OSError(_errno.EDQUOT, os.strerror(_errno.EDQUOT))
    return None


def _write(fd, data, /, _write=os.write):
    try:
        return _write(fd, data)
    except OSError as error:
        refusal = _refusal(error)
        if refusal is None:
            raise
    raise refusal


class _FileIO(_io.FileIO):
    def write(self, data, /):
        try:
            return super().write(data)
        except OSError as error:
            refusal = _refusal(error)
            if refusal is None:
                raise
        raise refusal


_pyio_open = getattr(_pyio.open, "__func__", _pyio.open)  # a staticmethod in 3.14
_open = _types.FunctionType(
    _pyio_open.__code__,
    dict(vars(_pyio), FileIO=_FileIO, BufferedWriter=_io.BufferedWriter, BufferedReader=_io.BufferedReader,
         BufferedRandom=_io.BufferedRandom, TextIOWrapper=_io.TextIOWrapper),
    "open", _pyio_open.__defaults__)
_open.__doc__ = _io.open.__doc__
os.write = _write
_builtins.open = _open
_io.open = _open
sys.modules["io"].open = _open


class WitWorld(_wit_world.WitWorld):
    def run(self, script: str) -> int:
        """Runs one job in this module's namespace (so it can call what the
        prelude defined). What a job can observe is kept as `python -c` has
        it: the exit status of `SystemExit`, the traceback of an uncaught
        exception (status 1), `atexit` handlers, flushed `sys.stdout` and
        `sys.stderr`. `sys` is bound here so a job that rebinds the name
        cannot break the epilogue."""
        return _pyloom_serve(script)


def _pyloom_serve(script, sys=sys, atexit=atexit):
    def flush():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
    try:
        exec(compile(script, "<pyloom-job>", "exec"), globals())
        status = 0
    except SystemExit as exit:
        status = 0 if exit.code is None else exit.code
        if not isinstance(status, int):
            print(status, file=sys.stderr)
            status = 1
    except BaseException:
        sys.excepthook(*sys.exc_info())
        status = 1
    flush()
    atexit._run_exitfuncs()
    flush()
    return status


# The build is over: jobs import from the folders as mounted (the
# standard library where the build saw it; the rest each job puts on
# `sys.path`), and finders cached for paths the build could not see are
# dropped.
sys.meta_path.remove(_MountedFinder)
sys.path[:] = [entry for entry in sys.path if entry == "/python" or entry.startswith("/python/")]
sys.path_importer_cache.clear()
