"""Each MCP tool's latency on a real project, as an agent sees it: the
official MCP Python SDK's client calls `pyloom mcp` over stdio and times
every call (JSON over the pipe included), after the first index.

    scripts/install-mcp-client.sh            # prints the venv's python
    PY=target/tools/mcp-venv/bin/python
    $PY bench/mcp/latency.py --pyloom target/release/pyloom --project /tmp/dj/Django-5.1.4

The symbols asked about are the workspace's own, picked by fuzzy queries
(deterministic: the same project gives the same sample). Prints the time
to the first answer (the index), then per tool: calls, p50, p99, max (ms).
"""

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

QUERIES = ["get", "save", "clean", "render", "resolve", "query", "field", "form", "request", "response", "cache", "parse"]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyloom", required=True, help="the pyloom binary to measure")
    parser.add_argument("--project", default="/tmp/dj/Django-5.1.4", help="the workspace folder")
    parser.add_argument("--symbols", type=int, default=40, help="symbols per tool")
    parser.add_argument("--slowest", type=int, default=0, help="also print the N slowest calls and their arguments")
    args = parser.parse_args()
    project = Path(args.project).resolve()
    params = StdioServerParameters(command=args.pyloom, args=["mcp", str(project)])
    timings = {}
    calls = []

    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()

            async def call(name, label=None, **arguments):
                started = time.perf_counter()
                result = await session.call_tool(name, arguments)
                elapsed = (time.perf_counter() - started) * 1000
                timings.setdefault(label or name, []).append(elapsed)
                calls.append((elapsed, label or name, {k: v for k, v in arguments.items() if k != "content"}))
                return None if result.is_error else result.structured_content

            started = time.perf_counter()
            await session.call_tool("find_symbol", {"query": "__init__", "limit": 1})
            print(f"first answer (index): {(time.perf_counter() - started) * 1000:.0f} ms")

            symbols = []
            for query in QUERIES:
                found = await call("find_symbol", query=query, limit=20)
                for item in (found or {}).get("items", []):
                    if item.get("kind") in ("function", "method", "class") and item.get("file") and item not in symbols:
                        symbols.append(item)
            symbols = symbols[: args.symbols]
            if not symbols:
                sys.exit("no symbols found: is --project a Python project?")
            for symbol in symbols:
                place = {"file": symbol["file"], "line": symbol["line"], "column": symbol["column"]}
                await call("definition", **place)
                await call("explain", **place)
                await call("references", **place)
                await call("callers", **place)
                await call("callees", **place)
                await call("impact", **place, limit=20)
                await call("context", **place, budget=4000)
                await call("rename", **place, new_name="renamed_by_bench")
                await call("check", file=symbol["file"])
                text = (project / symbol["file"]).read_text()
                await call("check", label="check+content", file=symbol["file"], content=text + "\n\ndef added():\n    return undefined_name\n")

    print(f"{'tool':<14} {'calls':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, values in sorted(timings.items()):
        print(f"{name:<14} {len(values):>5} {statistics.median(values):>8.1f} {percentile(values, 99):>8.1f} {max(values):>8.1f}")
    for elapsed, name, arguments in sorted(calls, key=lambda c: -c[0])[: args.slowest]:
        print(f"{elapsed:8.1f} ms  {name} {arguments}")


if __name__ == "__main__":
    asyncio.run(main())
