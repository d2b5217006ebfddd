#!/usr/bin/env bash
# Builds pyloom's wheel with maturin (pyproject.toml), installs it into a
# fresh virtualenv and runs `pyloom check` on the bundled demo from there,
# as a user who ran `pip install` would. maturin comes from PyPI into
# target/tools/maturin (once). The dev profile reuses the test command's
# build; a user's `pip install .` builds the release profile.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
tools=target/tools
maturin="$tools/maturin/bin/maturin"
if ! "$maturin" --version >/dev/null 2>&1; then
    rm -rf "$tools/maturin"
    python3 -m venv "$tools/maturin"
    "$tools/maturin/bin/pip" install --quiet --disable-pip-version-check "maturin==1.15.0"
fi
wheels="$target/wheels-check"
rm -rf "$wheels"
# `linux`: a local check, not a wheel for PyPI (which wants manylinux, built
# in its container); it skips the audit's patchelf.
"$maturin" build --profile dev --locked --compatibility linux --out "$wheels" --quiet
wheel=$(ls "$wheels"/pyloom-*.whl)
python3 - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
if not any(name.endswith(".data/scripts/pyloom") for name in names):
    sys.exit(f"no pyloom binary in {sys.argv[1]}: {names}")
PY

venv="$target/wheel-venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
status=0
"$venv/bin/pyloom" check fixtures/demo >/dev/null || status=$?
# The demo has findings on purpose: exit 1 is the expected answer.
if [ "$status" -ne 1 ]; then
    echo "pyloom from the wheel: check fixtures/demo exited $status, expected 1" >&2
    exit 1
fi
echo "wheel $(basename "$wheel"): installed, pyloom check fixtures/demo from the virtualenv works"
