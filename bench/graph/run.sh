#!/usr/bin/env bash
# The workspace graph against `ruff check` on real projects, side by side in
# one run: cold index, warm start (summary cache), one-keystroke update
# latency, hover/definition latency, peak RSS; then go-to-definition
# agreement with jedi. Not part of the test suite (machines are noisy: read
# the ratios).
#
#   bash bench/graph/run.sh            # Django 5.1.4, Flask 3.1.0, Requests 2.32.3
#
# Downloads go to $PYLOOM_BENCH_CACHE (default ~/.cache/pyloom-bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${PYLOOM_BENCH_CACHE:-$HOME/.cache/pyloom-bench}"
mkdir -p "$CACHE/sdists" "$CACHE/trees"

for spec in Django==5.1.4 Flask==3.1.0 requests==2.32.3; do
  name="${spec%%==*}"; version="${spec##*==}"
  if ! ls "$CACHE/sdists/" | grep -qi "^${name}-${version}.tar.gz$"; then
    python3 -m pip download --quiet --no-deps --no-binary :all: "$spec" -d "$CACHE/sdists"
  fi
done
for archive in "$CACHE"/sdists/*.tar.gz; do
  tree="$CACHE/trees/$(basename "$archive" .tar.gz)"
  [ -d "$tree" ] || tar xzf "$archive" -C "$CACHE/trees"
done

if [ ! -x "$CACHE/venv/bin/ruff" ]; then
  python3 -m venv "$CACHE/venv"
  "$CACHE/venv/bin/pip" install --quiet ruff==0.16.4
fi

cargo build --release --quiet -p pyloom
python3 bench/graph/bench.py target/release/pyloom "$CACHE/venv/bin/ruff" "$CACHE/trees"
python3 bench/graph/jedi_compare.py target/release/pyloom "$CACHE/trees"
