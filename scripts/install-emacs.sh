#!/usr/bin/env bash
# Installs GNU Emacs with eglot from Debian's packages for the eglot
# end-to-end test (tests/tests/eglot.rs) and prints the path of `emacs`.
# Safe to run again: nothing is installed when both are there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian 12's Emacs 28 needs eglot from elpa-eglot (Emacs 29 has it built in,
# and the package is harmless there).
bash scripts/apt-install.sh emacs-nox elpa-eglot
command -v emacs
