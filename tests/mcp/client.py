"""Drives `pyloom mcp` with the official MCP Python SDK's client, as an agent
would: every tool, a file written between two calls whose answers must
differ, and bad input for each tool. Run by tests/tests/mcp.rs.

Usage: client.py PYLOOM ROOT   (ROOT: an empty folder; the workspace is written there)
Exits 0 when every check passed; prints `checked N` and, on failure, what failed.
"""

import asyncio
import json
import os
import sys
from pathlib import Path

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

PRICING = '''"""Prices."""


def apply_discount(price: float, rate: float) -> float:
    """Return price after a discount.

    >>> apply_discount(100.0, 0.25)
    75.0
    """
    return price * (1 - rate)


def total(prices):
    return sum(apply_discount(p, 0.1) for p in prices)
'''

CART = '''from shop.pricing import apply_discount


class Cart:
    def __init__(self):
        self.items = []

    def add(self, price):
        self.items.append(price)

    def total(self):
        return sum(apply_discount(p, 0.0) for p in self.items)
'''

TEST_CART = '''from shop.cart import Cart


def test_total():
    cart = Cart()
    cart.add(10.0)
    assert cart.total() == 10.0
'''

CHECKOUT = '''from shop.pricing import apply_discount


def checkout(price):
    return apply_discount(price, 0.2)
'''

TOOLS = {"find_symbol", "definition", "references", "callers", "callees", "impact", "context", "check", "rename", "run_tests", "explain"}


class Checks:
    def __init__(self):
        self.count = 0
        self.failures = []

    def that(self, condition, what, detail=None):
        self.count += 1
        if not condition:
            self.failures.append(f"{what}: {json.dumps(detail)[:1500] if detail is not None else ''}")


def write(root: Path, relative: str, text: str):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


async def main(pyloom: str, root: Path) -> int:
    write(root, "pyproject.toml", "[project]\nname = 'shop'\n")
    write(root, "shop/__init__.py", "")
    write(root, "shop/pricing.py", PRICING)
    write(root, "shop/cart.py", CART)
    write(root, "tests/test_cart.py", TEST_CART)
    (root.parent / "outside.py").write_text("secret = 1\n")

    check = Checks()
    params = StdioServerParameters(command=pyloom, args=["mcp", str(root)], env={**os.environ, "PYLOOM_LOG": "info"})
    async with stdio_client(params) as (read, write_stream):
        async with ClientSession(read, write_stream) as session:
            await session.initialize()

            async def call(name, **arguments):
                result = await session.call_tool(name, arguments)
                text = "".join(c.text for c in result.content if getattr(c, "type", "") == "text")
                if result.is_error:
                    return None, text
                return result.structured_content, text

            async def ok(name, **arguments):
                answer, text = await call(name, **arguments)
                check.that(answer is not None, f"{name} {arguments} answers", text)
                return answer or {}

            async def refused(name, expected, **arguments):
                answer, text = await call(name, **arguments)
                check.that(answer is None and expected in text, f"{name} {arguments} is refused with `{expected}`", text if answer is None else answer)

            def sites(items):
                return {(i.get("file"), i.get("line")) for i in items}

            # Asked at once: the call waits for the index instead of answering empty.
            found = await ok("find_symbol", query="apply_discount")
            first = (found.get("items") or [{}])[0]
            check.that(first.get("name") == "shop.pricing.apply_discount" and first.get("kind") == "function"
                       and (first.get("file"), first.get("line")) == ("shop/pricing.py", 4), "find_symbol finds the function first", found)
            fuzzy = [i["name"] for i in (await ok("find_symbol", query="crtot")).get("items", [])]
            check.that("shop.cart.Cart.total" in fuzzy[:3], "find_symbol's fuzzy example `crtot` finds Cart.total", fuzzy)
            dotted = [i["name"] for i in (await ok("find_symbol", query="cart.tot", kind="method")).get("items", [])]
            check.that(dotted[:1] == ["shop.cart.Cart.total"], "a fuzzy query with a dot matches qualified names", dotted)
            check.that({t.name for t in (await session.list_tools()).tools} == TOOLS, "every tool is listed", None)

            line = CART.splitlines()[11]
            definition = await ok("definition", file="shop/cart.py", line=12, column=line.index("apply_discount") + 1)
            check.that((definition.get("name"), definition.get("file"), definition.get("line")) == ("shop.pricing.apply_discount", "shop/pricing.py", 4),
                       "definition goes to the function", definition)
            builtin = await ok("definition", file="shop/pricing.py", line=14, column=12)
            check.that(builtin.get("external") == "sum" or "builtins" in str(builtin.get("external")), "definition of a builtin is external", builtin)

            references = await ok("references", symbol="apply_discount")
            check.that({("shop/cart.py", 1), ("shop/cart.py", 12), ("shop/pricing.py", 14)} <= sites(references.get("items", [])), "references across files", references)
            check.that(all(i.get("text") for i in references.get("items", [])), "references carry the line's text", references)
            page1 = await ok("references", symbol="apply_discount", limit=1)
            page2 = await ok("references", symbol="apply_discount", limit=1, cursor=page1.get("next_cursor"))
            check.that(page1.get("total") == references.get("total") and len(page1.get("items", [])) == 1 and page2.get("items") != page1.get("items"),
                       "references are paged by cursor", [page1, page2])

            callers = await ok("callers", symbol="shop.pricing.apply_discount")
            before = {i["name"] for i in callers.get("items", [])}
            check.that(before == {"shop.pricing.total", "shop.cart.Cart.total"}, "callers of the function", callers)
            # A class is called through its __init__.
            constructed = {i["name"] for i in (await ok("callers", symbol="shop.cart.Cart")).get("items", [])}
            check.that("tests.test_cart.test_total" in constructed, "callers of a class are its constructor calls", constructed)
            callees = await ok("callees", symbol="Cart.total")
            check.that("shop.pricing.apply_discount" in {i["name"] for i in callees.get("items", [])}, "callees of the method", callees)

            impact = await ok("impact", symbol="apply_discount")
            check.that(impact.get("functions", 0) >= 2, "impact counts dependent functions", impact)
            check.that("tests.test_cart.test_total" in {t["name"] for t in impact.get("tests", [])}, "impact finds the test reaching it", impact)
            check.that(impact.get("tests_total") == len(impact.get("tests", [])), "impact counts the tests it lists", impact)

            context = await ok("context", symbol="Cart.total", budget=2000)
            check.that("def total(self)" in context.get("text", "") and "def apply_discount" in context.get("text", "") and context.get("tokens", 0) <= 2000,
                       "context holds the target and its callee within the budget", context)

            clean = await ok("check", file="shop/cart.py")
            check.that(clean.get("total") == 0, "the file on disk has no findings", clean)
            proposed = CART + "\n\ndef broken():\n    return apply_discount(1.0) + missing_name\n"
            findings = await ok("check", file="shop/cart.py", content=proposed)
            messages = " ".join(f"{f['code']} {f['message']}" for f in findings.get("items", []))
            check.that("missing_name" in messages and any(f["category"] == "graph" and f["line"] == 16 for f in findings.get("items", [])),
                       "proposed content: the unresolved name and the call missing an argument", findings)
            check.that((root / "shop/cart.py").read_text() == CART, "check wrote nothing", None)
            syntax = await ok("check", file="shop/new.py", content="def f(:\n")
            check.that(any(f["category"] == "syntax" for f in syntax.get("items", [])), "a new file's syntax error", syntax)

            rename = await ok("rename", symbol="Cart.total", new_name="grand_total")
            edited = {(e["file"], e["line"]) for e in rename.get("edits", [])}
            check.that(edited == {("shop/cart.py", 11), ("tests/test_cart.py", 7)} and rename.get("applied") is False,
                       "rename gives the exact edits without writing", rename)
            check.that((root / "tests/test_cart.py").read_text() == TEST_CART, "rename wrote nothing", None)

            explain = await ok("explain", symbol="apply_discount")
            check.that("Return price after a discount" in explain.get("text", ""), "explain gives the docstring", explain)

            tests = await ok("run_tests", symbol="apply_discount")
            check.that(tests.get("passed") == 1 and tests.get("failed") == 0, "the doctest passes in the sandbox", tests)
            folder = await ok("run_tests", file="tests")
            check.that(folder.get("passed") == 1 and [t["name"] for t in folder.get("tests", [])] == ["test_total"], "the folder's test passes", folder)

            # A conftest.py that raises: the error names its file, line and exception.
            write(root, "tests/conftest.py", "import os\n\nLIMIT = int(os.environ.get('LIMIT', 'none'))\n")
            write(root, "tests/test_fixture.py", "import pytest\n\n\n@pytest.fixture\ndef one():\n    return 1\n\n\ndef test_one(one):\n    assert one == 1\n")
            broken = await ok("run_tests", file="tests/test_fixture.py")
            said = " ".join(t.get("message", "") for t in broken.get("tests", []))
            check.that(broken.get("failed") == 1 and "tests/conftest.py:3 failed to load: ValueError: invalid literal for int()" in said,
                       "a conftest.py that raises is named with its line and exception", broken)
            os.remove(root / "tests/conftest.py")
            check.that((await ok("run_tests", file="tests/test_fixture.py")).get("passed") == 1, "without it the test passes", None)

            # Skips are no passes; a parametrized test is its worst case,
            # named, with what the case printed.
            write(root, "tests/test_cases.py", "import pytest\n\n\n@pytest.mark.parametrize('n', [1, 2, 3])\ndef test_n(n):\n"
                  "    print('checking', n)\n    assert n != 2\n\n\n@pytest.mark.skip(reason='later')\ndef test_later():\n    pass\n")
            cases = await ok("run_tests", file="tests/test_cases.py")
            said = " ".join(t.get("message", "") for t in cases.get("tests", []))
            check.that((cases.get("passed"), cases.get("failed"), cases.get("skipped")) == (0, 1, 1) and "[2]" in said and "checking 2" in said,
                       "a skip is counted as one, a failing case is named with its output", cases)
            os.remove(root / "tests/test_cases.py")
            # A module named as a symbol: its tests, or a refusal that says it is a module.
            check.that((await ok("run_tests", symbol="tests.test_cart")).get("passed") == 1, "run_tests of a module runs its file", None)
            await refused("explain", "is a module", symbol="shop.pricing")
            # A line without a definition: the name it binds (the import's).
            imported = await ok("definition", file="shop/cart.py", line=1)
            check.that(imported.get("name") == "shop.pricing.apply_discount", "the name an import line binds", imported)

            # The agent writes files between two calls: the answers follow.
            write(root, "shop/checkout.py", CHECKOUT)
            after = {i["name"] for i in (await ok("callers", symbol="apply_discount")).get("items", [])}
            check.that(after == before | {"shop.checkout.checkout"}, "a new file's call is a caller at once", sorted(after))
            write(root, "shop/cart.py", CART.replace("apply_discount(p, 0.0)", "apply_discount(p)"))
            dirty = await ok("check", file="shop/cart.py")
            check.that(any(f["category"] == "graph" and f["line"] == 12 for f in dirty.get("items", [])), "a rewritten file's new finding", dirty)
            os.remove(root / "shop/checkout.py")
            gone = {i["name"] for i in (await ok("callers", symbol="apply_discount")).get("items", [])}
            check.that("shop.checkout.checkout" not in gone, "a deleted file's call is gone", sorted(gone))
            renamed = await ok("rename", symbol="Cart.add", new_name="put", apply=True)
            check.that(renamed.get("applied") is True and "cart.put(10.0)" in (root / "tests/test_cart.py").read_text(), "rename with apply writes the files", renamed)
            check.that("put" in {i["name"].rsplit(".", 1)[-1] for i in (await ok("find_symbol", query="Cart.put")).get("items", [])}, "the renamed method is found", None)

            # Bad input, one per tool: an error the agent can act on.
            await refused("find_symbol", "`query` is empty", query=" ")
            await refused("definition", "outside the workspace", file="../outside.py", line=1)
            await refused("references", "no workspace symbol is named `no_such_thing`", symbol="no_such_thing")
            await refused("callers", "shop.cart.Cart.total", symbol="total")
            await refused("callees", "has lines 1 to", file="shop/pricing.py", line=999)
            await refused("impact", "does not take `depht`", symbol="apply_discount", depht=2)
            await refused("context", "budget must be between", symbol="apply_discount", budget=5)
            await refused("check", "outside the workspace", file="/etc/passwd.py")
            await refused("rename", "keyword", symbol="apply_discount", new_name="class")
            await refused("run_tests", "no such file", file="missing/nowhere.py")
            await refused("explain", "name a `symbol`")
            await refused("references", "cursor", symbol="apply_discount", cursor="bogus")
            await refused("definition", "bad arguments", file="shop/cart.py", line="twelve")

            # A list that changed between two pages: the cursor is refused.
            page1 = await ok("references", symbol="apply_discount", limit=1)
            write(root, "shop/again.py", "from shop.pricing import apply_discount\n\nDOUBLE = apply_discount(2.0, 0.5)\n")
            await refused("references", "the result changed since this cursor was issued", symbol="apply_discount", limit=1, cursor=page1.get("next_cursor"))
            unchanged = await ok("references", symbol="apply_discount", limit=1)
            follow = await ok("references", symbol="apply_discount", limit=1, cursor=unchanged.get("next_cursor"))
            check.that(follow.get("total", 0) > page1.get("total", 0) and follow.get("items") != unchanged.get("items"), "a cursor of the list as it is now pages on", follow)

            # The agent deletes a module: its importers' imports no longer resolve.
            os.remove(root / "shop/pricing.py")
            orphaned = await ok("check", file="shop/cart.py")
            check.that(any(f["code"] == "LOOM805" and f["line"] == 1 and "shop.pricing" in f["message"] for f in orphaned.get("items", [])),
                       "check after deleting a module reports the import of it", orphaned)
            write(root, "shop/pricing.py", PRICING)
            restored = await ok("check", file="shop/cart.py")
            check.that(restored.get("items") and not any(f["code"] == "LOOM805" for f in restored["items"]), "and the module written back resolves again", restored)

    # Without `pyloom sandbox install` (an empty cache), run_tests says so.
    empty = root.parent / "empty-cache"
    empty.mkdir(exist_ok=True)
    params = StdioServerParameters(command=pyloom, args=["mcp", str(root)], env={**os.environ, "PYLOOM_CACHE_DIR": str(empty)})
    async with stdio_client(params) as (read, write_stream):
        async with ClientSession(read, write_stream) as session:
            await session.initialize()
            result = await session.call_tool("run_tests", {"symbol": "apply_discount"})
            text = "".join(c.text for c in result.content if getattr(c, "type", "") == "text")
            check.that(result.is_error and "pyloom sandbox install" in text, "run_tests without the sandbox says how to install it", text)

    print(f"checked {check.count}")
    for failure in check.failures:
        print(f"FAILED {failure}")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], Path(sys.argv[2]))))
