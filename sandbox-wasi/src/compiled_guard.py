# Installed at the end of sys.meta_path by the boot script. A WASI
# interpreter cannot load compiled extension modules (.so/.pyd: native code
# for the host's CPU), so without this an import of one fails as a bare
# "No module named ...". When every other finder has given up and the module
# exists as a compiled file, the ImportError says which package and why.
class _PyloomCompiledModules:
    _SUFFIXES = (".so", ".pyd")

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        import os
        leaf = name.rpartition(".")[2]
        for folder in (path if path is not None else sys.path):
            try:
                entries = os.listdir(folder or ".")
            except OSError:
                continue
            for entry in entries:
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
