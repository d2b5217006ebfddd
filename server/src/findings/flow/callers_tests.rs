//! Fixture tests for parameters filled by callers of the same file
//! ([`super::callers`]): each shape of call, with a twin whose callers
//! give no data from outside and which stays silent.

use expect_test::expect;

use super::tests::check;

#[test]
fn a_method_given_request_data_by_its_class_or_an_instance() {
    check(
        r#"import os
from flask import Flask, request

app = Flask(__name__)


class Store:
    def read(self, name):
        return open(os.path.join("/srv", name)).read()

    def handle(self, args):
        return self.read(args.get("file"))


@app.route("/x")
def view():
    store = Store()
    return store.handle(request.args)
"#,
        expect![[r#"
            9:16 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 12:26 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_method_its_callers_give_only_constants_stays_silent() {
    check(
        r#"import os
from flask import Flask, request

app = Flask(__name__)


class Store:
    def read(self, name):
        return open(os.path.join("/srv", name)).read()

    def handle(self, args):
        return self.read("index.html")


@app.route("/x")
def view():
    store = Store()
    return store.handle(request.args)
"#,
        expect![[""]],
    );
}

#[test]
fn a_function_given_argv_by_a_caller() {
    check(
        "import sys\n\ndef show(path):\n    return open(path).read()\n\ndef main():\n    show(sys.argv[1])\n\ndef quiet():\n    show('README')\n",
        expect![[r#"
            4:12 LOOM626 Warning File path from `sys.argv` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 7:10 `sys.argv` enters here
        "#]],
    );
}

#[test]
fn a_function_only_the_program_calls_with_its_own_values_stays_silent() {
    check("import sys\n\ndef show(path):\n    return open(path).read()\n\ndef main():\n    show(__file__)\n    show(sys.executable)\n", expect![[""]]);
}

#[test]
fn an_object_a_method_of_the_program_made_from_request_data_is_not_the_data() {
    // Django's admin: `new_object = self.save_form(request, form)` then
    // `self.response_add(request, new_object)`.
    check(
        "from django.http import HttpResponseRedirect\n\nclass Admin:\n    def response_add(self, request, obj):\n        return HttpResponseRedirect(obj.get_absolute_url())\n\n    def view(self, request):\n        new_object = self.save_form(request.POST)\n        return self.response_add(request, new_object)\n",
        expect![""],
    );
}

#[test]
fn a_message_read_from_stdin_through_a_dispatcher_and_an_executor() {
    // An MCP server over stdio: the tool's arguments are one part of the
    // message, the tool's name (checked against constants) another.
    check(
        r#"import asyncio, json, sys


class Server:
    async def handle(self, message):
        params = message.get("params", {})
        name = params.get("name")
        arguments = params.get("arguments", {})
        if name == "read_file":
            return await self.read_file(arguments.get("path"))

    async def read_file(self, path):
        with open(path) as f:
            return f.read()


async def main():
    server = Server()
    while True:
        line = await asyncio.get_event_loop().run_in_executor(None, sys.stdin.readline)
        print(await server.handle(json.loads(line)))
"#,
        expect![[r#"
            13:14 LOOM626 Warning File path from `sys.stdin.readline()` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 10:41 `sys.stdin.readline()` enters here
        "#]],
    );
}

#[test]
fn a_dispatcher_whose_caller_reads_nothing_from_outside_stays_silent() {
    check(
        r#"import json


class Server:
    async def handle(self, message):
        arguments = message.get("arguments", {})
        return await self.read_file(arguments.get("path"))

    async def read_file(self, path):
        with open(path) as f:
            return f.read()


async def main():
    server = Server()
    print(await server.handle(json.loads('{"arguments": {"path": "a.txt"}}')))
"#,
        expect![[""]],
    );
}

#[test]
fn mcp_tool_arguments_are_the_clients() {
    check(
        "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('files')\n\n@mcp.tool()\ndef read(path: str) -> str:\n    return open(path).read()\n\ndef helper(path: str) -> str:\n    return open(path).read()\n",
        expect![[r#"
            7:12 LOOM626 Warning File path from tool argument `path` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 6:10 tool argument `path` enters here
        "#]],
    );
}
