# Installed at the end of sys.meta_path by the guest app. A WASI
# interpreter cannot load compiled extension modules (.so/.pyd: native code
# for the host's CPU), so without this an import of one fails as a bare
# "No module named ...". When every other finder has given up and the module
# exists as a compiled file, the ImportError says which package and why.
#
# Every failed import comes here, and the standard library tries some on
# its own (pdb, which doctest starts for every run, imports readline and
# pwd, which WASI has not): the interpreter's own library is skipped (its
# extension modules are built in), and a folder is listed again only when it
# changed.
class _PyloomCompiledModules:
    _SUFFIXES = (".so", ".pyd")
    _listings = {}

    @classmethod
    def _entries(cls, folder):
        import os
        try:
            changed = os.stat(folder).st_mtime_ns
        except OSError:
            return ()
        listing = cls._listings.get(folder)
        if listing is None or listing[0] != changed:
            try:
                listing = cls._listings[folder] = (changed, os.listdir(folder))
            except OSError:
                return ()
        return listing[1]

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        import os
        leaf = name.rpartition(".")[2]
        own = sys.prefix.rstrip("/")
        for folder in (path if path is not None else sys.path):
            folder = folder or "."
            if own and (folder == own or folder.startswith(own + "/")):
                continue
            for entry in cls._entries(folder):
                if entry.startswith(leaf + ".") and entry.endswith(cls._SUFFIXES):
                    package = name.partition(".")[0]
                    raise ImportError(
                        "cannot import %s: %s is a compiled extension module (package %r); "
                        "the sandbox runs Python compiled to WebAssembly, which cannot load "
                        "native code, so only pure-Python packages can be imported"
                        % (name, os.path.join(folder, entry), package),
                        name=name)
        return None


sys.meta_path.append(_PyloomCompiledModules)
