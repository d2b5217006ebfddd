#!/usr/bin/env bash
# Installs OpenAI's Codex CLI (npm `@openai/codex`, a coding agent that
# uses MCP tools) into target/tools/codex, once, for the agent end-to-end
# test (tests/tests/agent_cli.rs), and prints the path of its `codex`.
# Safe to run again: an installed copy of this version is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.169.0
prefix=target/tools/codex-$version
codex="$prefix/node_modules/.bin/codex"
if ! "$codex" --version 2>/dev/null | grep -qx "codex-cli $version"; then
    rm -rf "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@openai/codex@$version" >&2
fi
echo "$PWD/$codex"
