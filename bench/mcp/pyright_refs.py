"""`references` and `callers` of `pyloom mcp` against pyright's answers for
the same symbols, and against pyloom's own language server (the MCP side
must answer what the LSP side does), on one project (Django by default).

    PY="$(bash scripts/install-mcp-client.sh)"     # the MCP SDK's client
    $PY bench/mcp/pyright_refs.py --pyloom BIN [--project Django==5.1.4] [--samples 40]

The samples, the pyright and pyloom language servers and the matching of
sites are bench/graph/pyright_compare.py's (one sampler, one matcher):
functions and methods of the project's own sources, fixed seed; pyright's
`textDocument/references` (declaration included) and incoming calls are
the reference. The MCP tools are asked at the same place (`file`, `line`,
`column`), every page followed. Recall is matched / pyright's; the time
ratio compares the MCP tool's round trip with pyright's request, asked
in alternation so that load hits both alike.
"""

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "graph"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peers import ensure_tree, library_files, percentile, start_pyloom, start_pyright  # noqa: E402
from pyright_compare import Session, match, sample  # noqa: E402

from mcp import ClientSession, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402


def mcp_site(item):
    """An MCP answer's site as pyright_compare's sites (0-based; columns
    are characters, UTF-16 units in ASCII lines, which Django's are)."""
    return {"file": item["file"], "line": item["line"] - 1, "character": item["column"] - 1,
            "end_line": None, "end_character": None, "target": None}


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyloom", required=True)
    parser.add_argument("--project", default="Django==5.1.4")
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    root = ensure_tree(args.project)
    samples, candidates = sample(root, args.samples, args.seed)
    scope = {str(rel) for rel in library_files(root)}
    print(f"{root.name}: {len(samples)} of {candidates} functions and methods", file=sys.stderr)
    loom_client, _ = start_pyloom(Path(args.pyloom), root)
    pyright = Session("pyright", start_pyright(root)[0], root)
    lsp = Session("pyloom-lsp", loom_client, root)
    params = StdioServerParameters(command=args.pyloom, args=["mcp", str(root)], env=dict(os.environ, PYLOOM_LOG="error"))
    totals = {tool: {"pyright": 0, "mcp": 0, "matched": 0, "equal_lsp": 0, "asked": 0} for tool in ("references", "callers")}
    times = {"references": [], "callers": [], "pyright-references": [], "pyright-callers": []}
    async with stdio_client(params) as (read, write), ClientSession(read, write) as mcp:
        await mcp.initialize()
        # The first call waits for the index: untimed, like pyright's first request.
        await mcp.call_tool("find_symbol", {"query": "__init__", "limit": 1})

        async def sites(tool, s):
            found, cursor, started = [], None, time.perf_counter()
            while True:
                arguments = {"file": s["file"], "line": s["line"] + 1, "column": s["character"] + 1, "limit": 500}
                if tool == "references":
                    arguments["include_definition"] = True
                if cursor:
                    arguments["cursor"] = cursor
                result = await mcp.call_tool(tool, arguments)
                if result.is_error:
                    return None, (time.perf_counter() - started) * 1000
                found += [mcp_site(i) for i in result.structured_content.get("items", [])]
                cursor = result.structured_content.get("next_cursor")
                if not cursor:
                    return found, (time.perf_counter() - started) * 1000

        for i, s in enumerate(samples):
            before = {r: len(pyright.times[r]) for r in pyright.times}
            answers = {"pyright": pyright.query(s), "lsp": lsp.query(s)}
            times["pyright-references"] += pyright.times["references"][before["references"]:]
            # Incoming calls need the prepare first: both count, as agents ask once.
            incoming = pyright.times["prepare"][before["prepare"]:] + pyright.times["incoming"][before["incoming"]:]
            times["pyright-callers"].append(sum(incoming))
            for tool, request in (("references", "references"), ("callers", "incoming")):
                found, ms = await sites(tool, s)
                times[tool].append(ms)
                t = totals[tool]
                t["asked"] += 1
                found = [f for f in found or [] if f["file"] in scope]
                expected = [e for e in answers["pyright"][request] if e["file"] in scope]
                lsp_sites = {(e["file"], e["line"], e["character"]) for e in answers["lsp"][request] if e["file"] in scope}
                t["equal_lsp"] += {(f["file"], f["line"], f["character"]) for f in found} == lsp_sites
                matched, _, _ = match(expected, found)
                t["pyright"] += len(expected)
                t["mcp"] += len(found)
                t["matched"] += matched
            if (i + 1) % 10 == 0:
                print(f"  {i + 1}/{len(samples)}", file=sys.stderr)
    pyright.client.close()
    lsp.client.close()
    print(f"\n{root.name}, {len(samples)} functions and methods (seed {args.seed}); load average {os.getloadavg()[0]:.1f}")
    print("| tool | pyright sites | MCP sites | recall | precision | = LSP answer | MCP p50 / p99 ms | pyright p50 / p99 ms | time ratio (p50) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for tool in ("references", "callers"):
        t = totals[tool]
        recall = t["matched"] / t["pyright"] if t["pyright"] else float("nan")
        precision = t["matched"] / t["mcp"] if t["mcp"] else float("nan")
        ours, theirs = times[tool], times[f"pyright-{tool}"]
        ratio = percentile(theirs, 0.5) / percentile(ours, 0.5) if ours and theirs else float("nan")
        print(f"| {tool} | {t['pyright']} | {t['mcp']} | {recall:.1%} | {precision:.1%} | {t['equal_lsp']}/{t['asked']} | "
              f"{percentile(ours, 0.5):.1f} / {percentile(ours, 0.99):.1f} | {percentile(theirs, 0.5):.1f} / {percentile(theirs, 0.99):.1f} | "
              f"pyright {ratio:.1f}x |")


if __name__ == "__main__":
    asyncio.run(main())
