#!/usr/bin/env bash
# Installs the official MCP Python SDK (PyPI `mcp`) into a virtualenv at
# target/tools/mcp-venv, once, for the MCP end-to-end tests (tests/mcp/),
# and prints the path of its `python`. Safe to run again: an installed
# copy of this version is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

version=2.3.0
venv=target/tools/mcp-venv
python="$venv/bin/python"
if ! "$python" -c "import importlib.metadata as m, sys; sys.exit(m.version('mcp') != '$version')" >/dev/null 2>&1; then
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$python" -m pip install --quiet --disable-pip-version-check "mcp==$version" >&2
fi
echo "$PWD/$python"
