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
# Absolute: cargo runs the bench from the crate folder.
project=$(cd "$(ls -d "$cache"/[Dd]jango-5.1.4 | head -1)/django" && pwd)

echo "== pyloom"
cargo bench --quiet -p pyloom --bench context -- "$project" "${1:-2000}" | tee "$cache/context-pyloom.txt"

echo "== peer: tiktoken (Python) counting the same files"
if [ ! -x "$cache/venv/bin/python" ]; then
    python3 -m venv "$cache/venv"
    "$cache/venv/bin/pip" install --quiet tiktoken
fi
# tiktoken downloads its BPE files at first use; seed its cache with the
# identical files tiktoken-rs bundles (only PyPI is reachable here).
assets=$(cargo metadata --format-version 1 2>/dev/null | python3 -c 'import json,sys; print([p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"]=="tiktoken-rs"][0].rsplit("/",1)[0] + "/assets")')
export TIKTOKEN_CACHE_DIR="$PWD/$cache/tiktoken"
mkdir -p "$TIKTOKEN_CACHE_DIR"
for name in o200k_base cl100k_base; do
    key=$(printf '%s' "https://openaipublic.blob.core.windows.net/encodings/$name.tiktoken" | sha1sum | cut -d' ' -f1)
    cp "$assets/$name.tiktoken" "$TIKTOKEN_CACHE_DIR/$key"
done
"$cache/venv/bin/python" - "$project" <<'PY' | tee "$cache/context-peer.txt"
import pathlib, sys, time, tiktoken
texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.py"))]
print(f"{len(texts)} files, {sum(len(t.encode()) for t in texts) / 1e6:.1f} MB")
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
    awk -v n="$name" -v a="$ours" -v b="$peer" 'BEGIN { printf "%s: %.2fx\n", n, a / b }'
done
