#!/usr/bin/env bash
# Snippet-test benchmarks, side by side with native python3 on the same
# snippets (fixtures/snippets): keystroke-to-result latency (p50/p95) for a
# doctest and a unittest snippet over LSP, pytest run time, first-run compile
# time, cold `pyloom test` runs, and the server's RSS. Prints ratios; not
# part of the test command. Results and how to read them: README.md here.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The same build as the test command: `-p pyloom` alone resolves other
# features and would compile wasmtime and ruff a second time.
cargo build --quiet --workspace --all-targets
pyloom="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/pyloom"
"$pyloom" sandbox install >/dev/null 2>&1
python3 bench/sandbox/bench.py "$pyloom" "$@"
# Where a job's start-up goes: a fresh instance per job, a few imports.
"$(dirname "$pyloom")/examples/startup"
# A folder of 200 snippet tests: `pyloom test DIR` against native pytest.
python3 bench/sandbox/folder.py "$pyloom"
