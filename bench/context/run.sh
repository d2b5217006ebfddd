#!/usr/bin/env bash
# Context assembly and token counting on Django 5.1.4, with Python's
# tiktoken counting the same files side by side as the peer.
#
#   bench/context/run.sh [SAMPLE]     (SAMPLE: targets to assemble, default 2000)
#
# Fetches the sdist from PyPI into bench/.cache (never committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
cache=bench/.cache
mkdir -p "$cache"
if [ ! -d "$cache/Django-5.1.4" ] && [ ! -d "$cache/django-5.1.4" ]; then
    python3 -m pip download --quiet --no-deps --no-binary :all: django==5.1.4 -d "$cache"
    tar -xzf "$cache"/[Dd]jango-5.1.4.tar.gz -C "$cache"
fi
project=$(ls -d "$cache"/[Dd]jango-5.1.4 | head -1)/django

echo "== pyloom"
cargo bench --quiet -p pyloom --bench context -- "$project" "${1:-2000}" | tee "$cache/context-pyloom.txt"

echo "== peer: tiktoken (Python) counting the same files"
if [ ! -x "$cache/venv/bin/python" ]; then
    python3 -m venv "$cache/venv"
    "$cache/venv/bin/pip" install --quiet tiktoken
fi
"$cache/venv/bin/python" - "$project" <<'PY' | tee "$cache/context-peer.txt"
import pathlib, sys, time, tiktoken
texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.py"))]
for name in ["o200k_base", "cl100k_base"]:
    enc = tiktoken.get_encoding(name)
    start = time.perf_counter()
    tokens = sum(len(enc.encode_ordinary(t)) for t in texts)
    elapsed = time.perf_counter() - start
    print(f"count {name}: {tokens} tokens, {elapsed:.2f}s: {tokens / elapsed / 1e6:.2f} M tokens/s")
PY

echo "== ratio (pyloom tokens/s over tiktoken tokens/s; >1 is faster)"
for name in o200k_base cl100k_base; do
    ours=$(grep "count $name" "$cache/context-pyloom.txt" | sed -E 's/.*: ([0-9.]+) M tokens\/s.*/\1/')
    peer=$(grep "count $name" "$cache/context-peer.txt" | sed -E 's/.*: ([0-9.]+) M tokens\/s.*/\1/')
    python3 -c "print(f'$name: {float('$ours') / float('$peer'):.2f}x')"
done
