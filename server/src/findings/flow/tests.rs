//! Fixture tests for the flow findings: each flow shape (same statement,
//! across statements, across branches, through a helper) and each sink
//! family, with where the data entered shown under the finding.

use std::path::Path;

use expect_test::{Expect, expect};

use crate::findings::tests::{config, render};
use crate::findings::{Finding, check_source};
use crate::settings::LintSettings;

/// The security findings of `source` with their related places (line and
/// column of where the data entered).
pub(super) fn check(source: &str, expect: Expect) {
    check_with(source, LintSettings::default(), expect);
}

/// [`check`] under other lint settings (the confidence shown).
pub(in crate::findings) fn check_with(source: &str, lint: LintSettings, expect: Expect) {
    let findings: Vec<Finding> = check_source(Path::new("/work/snippet.py"), source, &config(lint), None)
        .into_iter()
        .filter(|f| f.category == crate::findings::Category::Security)
        .collect();
    let locator = crate::findings::Locator::new(source);
    let mut out = String::new();
    for finding in &findings {
        out.push_str(&render(source, std::slice::from_ref(finding)));
        for related in &finding.related {
            let (line, column) = locator.line_column(related.range.start);
            out.push_str(&format!("  entered {line}:{column} {}\n", related.message));
        }
    }
    expect.assert_eq(&out);
}

// --- flow shapes ------------------------------------------------------------

#[test]
fn query_built_in_one_statement_and_executed_in_another() {
    check(
        "def find(cursor, name):\n    q = \"SELECT * FROM person WHERE name = '%s'\" % name\n    cursor.execute(q)\n",
        expect![[r#"
            2:9 S608 Warning Possible SQL injection vector through string-based query construction [confidence Medium]
            3:5 LOOM620 Warning SQL query built from parameter `name` reaches `.execute`; pass the values as query parameters [confidence Medium]
              entered 1:18 parameter `name` enters here
        "#]],
    );
}

#[test]
fn a_query_written_over_lines_in_its_call_is_reported_once() {
    check(
        "def find(cursor, name):\n    cursor.execute(\n        \"SELECT * FROM person WHERE name = '%s'\" % name\n    )\n",
        expect![[r#"
            3:9 S608 Warning Possible SQL injection vector through string-based query construction [confidence Medium]
              entered 1:18 parameter `name` enters here
        "#]],
    );
}

#[test]
fn query_built_across_statements_and_branches() {
    check(
        "from flask import request\n\ndef search(db):\n    q = 'SELECT id FROM t'\n    if request.args.get('order'):\n        q += ' ORDER BY ' + request.args['order']\n    else:\n        q += ' ORDER BY id'\n    db.execute(q)\n",
        expect![[r#"
            9:5 LOOM620 Warning SQL query built from `request.args` reaches `.execute`; pass the values as query parameters [confidence High]
              entered 6:29 `request.args` enters here
        "#]],
    );
}

#[test]
fn constant_queries_and_parameters_are_not_findings() {
    check(
        "TABLE = 'person'\n\ndef f(cursor, name, kind):\n    q = 'SELECT * FROM ' + TABLE + ' WHERE name = %s'\n    if kind:\n        q = q + ' AND kind = 1'\n    cursor.execute(q, (name,))\n    cursor.execute(f'SELECT * FROM {TABLE}')\n    cursor.execute('SELECT %d' % int(name))\n",
        expect![""],
    );
}

#[test]
fn query_through_a_helper_of_the_same_file() {
    check(
        "import sqlite3, sys\n\ndef build(name):\n    return 'DELETE FROM users WHERE name = \"{}\"'.format(name)\n\ndef run(conn):\n    conn.execute(build(sys.argv[1]))\n    conn.execute(build('admin'))\n",
        expect![[r#"
            4:12 S608 Warning Possible SQL injection vector through string-based query construction [confidence Medium]
            7:5 LOOM620 Warning SQL query built from `sys.argv` reaches `.execute`; pass the values as query parameters [confidence High]
              entered 7:24 `sys.argv` enters here
        "#]],
    );
}

#[test]
fn a_helper_of_the_same_file_that_sanitises_its_parameter_sanitises_the_argument() {
    // `clean` keeps the path in its folder as the inline `basename` does;
    // `joined` does not, and `html` escapes for another sink.
    check(
        "import html, os\nfrom flask import Flask, request\n\napp = Flask(__name__)\nBASE = '/srv/files'\n\ndef clean(name):\n    return os.path.basename(name)\n\ndef joined(name):\n    return os.path.join(BASE, name)\n\ndef marked(name):\n    return html.escape(name)\n\n@app.route('/a')\ndef a():\n    return open(os.path.join(BASE, clean(request.args['n']))).read()\n\n@app.route('/b')\ndef b():\n    return open(joined(request.args['n'])).read()\n\n@app.route('/c')\ndef c():\n    return open(os.path.join(BASE, marked(request.args['n']))).read()\n",
        expect![[r#"
            22:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 22:24 `request.args` enters here
            26:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 26:43 `request.args` enters here
        "#]],
    );
}

#[test]
fn rows_of_a_query_the_program_wrote_are_the_databases_not_the_connections() {
    // Rows read back with a constant query are what the database holds
    // (low), whatever connection they came through; a table name the
    // caller passes is still the caller's.
    check_with(
        "def count_all(conn):\n    for (table,) in conn.execute(\"select name from sqlite_master\").fetchall():\n        conn.execute(f\"select count(*) from {table}\")\n\ndef first(conn):\n    for (table,) in conn.execute(\"select name from sqlite_master\"):\n        conn.execute(f\"select * from {table} limit 1\")\n\ndef count(conn, table):\n    conn.execute(f\"select count(*) from {table}\")\n",
        LintSettings { confidence: crate::findings::Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            3:22 S608 Warning Possible SQL injection vector through string-based query construction [confidence Low]
              entered 2:21 a database row (`execute()`) enters here
            7:22 S608 Warning Possible SQL injection vector through string-based query construction [confidence Low]
              entered 6:21 a database row (`execute()`) enters here
            10:18 S608 Warning Possible SQL injection vector through string-based query construction [confidence Medium]
              entered 9:17 parameter `table` enters here
        "#]],
    );
}

// --- sink families ------------------------------------------------------------

#[test]
fn orm_raw_sql_sinks() {
    check(
        "from django.db.models.expressions import RawSQL\nfrom sqlalchemy import text, literal_column\n\ndef view(request, User, session):\n    name = request.GET['name']\n    User.objects.raw('SELECT * FROM u WHERE n = %s' % name)\n    User.objects.extra(where=[f\"name = '{name}'\"])\n    User.objects.annotate(v=RawSQL('SELECT ' + name, ()))\n    session.query(User).filter(f\"name = '{name}'\")\n    session.query(User).order_by(name)\n    session.query(literal_column(name), literal_column('id'))\n",
        expect![[r#"
            6:22 S608 Warning Possible SQL injection vector through string-based query construction [confidence High]
              entered 5:12 `request.GET` enters here
            7:23 S610 Warning Use of Django `extra` can lead to SQL injection vulnerabilities [confidence High]
              entered 5:12 `request.GET` enters here
            8:29 S611 Warning Use of `RawSQL` can lead to SQL injection vulnerabilities [confidence High]
              entered 5:12 `request.GET` enters here
            9:5 LOOM620 Warning SQL query built from `request.GET` reaches `.filter`; pass the values as query parameters [confidence High]
              entered 5:12 `request.GET` enters here
            10:5 LOOM620 Warning SQL query built from `request.GET` reaches `.order_by`; pass the values as query parameters [confidence High]
              entered 5:12 `request.GET` enters here
            11:19 LOOM620 Warning SQL query built from `request.GET` reaches `literal_column`; pass the values as query parameters [confidence High]
              entered 5:12 `request.GET` enters here
        "#]],
    );
}

#[test]
fn shell_sinks_add_where_the_command_entered_to_ruffs_finding() {
    check(
        "import os, subprocess\n\ncmd = input()\nos.system('ls ' + cmd)\nsubprocess.call(['sh', '-c', cmd])\nsubprocess.call(['ls', '-l'])\n",
        expect![[r#"
            4:1 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 3:7 `input()` enters here
            5:1 S603 Warning `subprocess` call: check for execution of untrusted input [confidence High]
              entered 3:7 `input()` enters here
        "#]],
    );
}

#[test]
fn code_template_and_url_sinks() {
    check(
        "import urllib.request\nfrom flask import request, render_template_string\n\ndef view():\n    compile(request.form['src'], 'x', 'exec')\n    return render_template_string('<p>%s</p>' % request.args['n'])\n\ndef fetch(url='ftp://example.com/f'):\n    return urllib.request.urlopen(url)\n",
        expect![[r#"
            5:5 LOOM622 Error Code from `request.form` reaches `compile` [confidence High]
              entered 5:13 `request.form` enters here
            6:12 LOOM623 Warning Template built from `request.args` reaches `flask.render_template_string`; pass the values as context instead [confidence High]
              entered 6:49 `request.args` enters here
            9:12 S310 Warning Audit URL open for permitted schemes. Allowing use of `file:` or custom schemes is often unexpected. [confidence High]
              entered 8:15 the `ftp://` URL is written here
              entered 8:11 parameter `url` enters here
        "#]],
    );
}

#[test]
fn request_data_in_http_clients_html_responses_and_file_paths() {
    check(
        "import requests\nfrom django.http import HttpResponse\n\ndef view(request):\n    target = request.GET.get('url')\n    requests.get(target, timeout=5)\n    requests.get('https://example.com/api', timeout=5)\n    name = request.GET['name']\n    open('/srv/files/' + name)\n    return HttpResponse('<p>Hello %s</p>' % name)\n",
        expect![[r#"
            6:5 LOOM624 Warning URL from `request.GET` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
              entered 5:14 `request.GET` enters here
            9:5 LOOM626 Warning File path from `request.GET` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 8:12 `request.GET` enters here
            10:12 LOOM625 Warning HTML built from `request.GET` reaches `HttpResponse` unescaped; escape it or render a template [confidence High]
              entered 8:12 `request.GET` enters here
        "#]],
    );
}

#[test]
fn plain_http_and_ftp_urls_reach_openers_requests_and_sessions() {
    check(
        "import requests\nfrom urllib.request import OpenerDirector, Request, URLopener\n\n\
         def fetch(url='http://example.com/a', safe='https://example.com/a', local='http://localhost:8000/'):\n\
         \x20   OpenerDirector().open(url)\n\
         \x20   od = URLopener()\n\
         \x20   od.retrieve('ftp://example.com/f')\n\
         \x20   Request(safe)\n\
         \x20   Request(local)\n\
         \x20   with requests.Session() as session:\n\
         \x20       plain = 'http://example.com/api'\n\
         \x20       session.post(plain, timeout=5)\n\
         \x20       session.request('HEAD', url, timeout=5)\n\
         \x20       session.get(safe, timeout=5)\n",
        expect![[r#"
            5:5 LOOM624 Warning `.open` opens an unencrypted `http://` URL; use `https://` [confidence High]
              entered 4:15 the `http://` URL is written here
              entered 4:11 parameter `url` enters here
            6:10 S310 Warning Audit URL open for permitted schemes. Allowing use of `file:` or custom schemes is often unexpected.
            7:5 LOOM624 Warning `.retrieve` opens an unencrypted `ftp://` URL; use SFTP or FTPS [confidence High]
              entered 7:17 the `ftp://` URL is written here
            8:5 S310 Warning Audit URL open for permitted schemes. Allowing use of `file:` or custom schemes is often unexpected. [confidence Medium]
            9:5 S310 Warning Audit URL open for permitted schemes. Allowing use of `file:` or custom schemes is often unexpected. [confidence Medium]
            12:9 LOOM624 Warning `.post` opens an unencrypted `http://` URL; use `https://` [confidence High]
              entered 11:17 the `http://` URL is written here
            13:9 LOOM624 Warning `.request` opens an unencrypted `http://` URL; use `https://` [confidence High]
              entered 4:15 the `http://` URL is written here
              entered 4:11 parameter `url` enters here
        "#]],
    );
}

#[test]
fn interactive_interpreters_run_what_they_are_given() {
    check(
        "import code\n\ndef run(payload):\n    console = code.InteractiveConsole()\n    console.push(payload)\n    code.InteractiveInterpreter().runsource('print(1)')\n",
        expect![[r#"
            5:5 LOOM622 Error Code from parameter `payload` reaches `.push` [confidence Medium]
              entered 3:9 parameter `payload` enters here
        "#]],
    );
}

#[test]
fn eval_rebound_by_an_import_and_namespace_lookups_from_requests() {
    check(
        "from something import eval\n\ndef run(src):\n    eval(f'f({src})')\n    eval('1 + 1')\n\ndef view(request):\n    name = request.GET.get('fwd')\n    namespace = globals()\n    namespace.get(name)\n    locals().get('view')\n",
        expect![[r#"
            4:5 LOOM622 Error Code from parameter `src` reaches `eval` [confidence Medium]
              entered 3:9 parameter `src` enters here
            10:5 LOOM622 Error Code from `request.GET` reaches `globals().get` [confidence High]
              entered 8:12 `request.GET` enters here
        "#]],
    );
}

#[test]
fn flask_routes_take_their_parameters_from_the_url_and_return_html() {
    check(
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route('/hello/<name>')\ndef hello(name):\n    return '<p>Hello %s</p>' % name\n\n@app.route('/files/<path>')\ndef download(path):\n    return open(path).read()\n\n@app.route('/search')\ndef search():\n    q = request.args.get('q')\n    return f'<h1>{q}</h1>'\n\n@app.route('/safe')\ndef safe():\n    return '<p>%s</p>' % 'constant'\n\ndef helper(name):\n    return '<p>%s</p>' % name\n",
        expect![[r#"
            7:12 LOOM625 Warning HTML built from route parameter `name` reaches `return` unescaped; escape it or render a template [confidence High]
              entered 6:11 route parameter `name` enters here
            11:12 LOOM626 Warning File path from route parameter `path` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 10:14 route parameter `path` enters here
            16:12 LOOM625 Warning HTML built from `request.args` reaches `return` unescaped; escape it or render a template [confidence High]
              entered 15:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_flask_view_with_no_sink_call_is_still_walked() {
    check(
        "import flask\n\nbp = flask.Blueprint('b', __name__)\n\n@bp.get('/<who>')\ndef greet(who):\n    return 'Hi ' + who\n",
        expect![[r#"
            7:12 LOOM625 Warning HTML built from route parameter `who` reaches `return` unescaped; escape it or render a template [confidence High]
              entered 6:11 route parameter `who` enters here
        "#]],
    );
}

/// Functions that cannot report are not walked; what they define still is,
/// and HTML stored away counts as reporting (with its tag in a global).
#[test]
fn functions_without_a_sink_call_still_report_nested_views_and_stored_html() {
    check(
        "import flask\nimport os\n\nROW = '<tr>%s</tr>'\n\ndef create_app():\n    app = flask.Flask(__name__)\n\n    @app.route('/<who>')\n    def greet(who):\n        return 'Hi ' + who\n\n    return app\n\nclass Page:\n    def fill(self, request):\n        self.html = ROW % request.GET['cell']\n\n    def size(self):\n        return len(self.html)\n\ndef run(cmd):\n    os.system('ls ' + cmd)\n",
        expect![[r#"
            11:16 LOOM625 Warning HTML built from route parameter `who` reaches `return` unescaped; escape it or render a template [confidence High]
              entered 10:15 route parameter `who` enters here
            17:21 LOOM625 Warning HTML built from `request.GET` unescaped; escape it or render a template [confidence High]
              entered 17:27 `request.GET` enters here
            23:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
              entered 22:9 parameter `cmd` enters here
        "#]],
    );
}

#[test]
fn html_built_from_a_request_and_stored_in_a_template_context() {
    check(
        "from django.shortcuts import render\nfrom django.utils.html import escape\n\ndef view(request):\n    context = {}\n    text = request.GET['text']\n    link = '<a href=\"/abc/%s\">link</a>'\n    context['html'] = link % text\n    context['plain'] = 'not html, %s' % text\n    context['safe'] = '<b>%s</b>' % escape(text)\n    return render(request, 'page.html', context)\n",
        expect![[r#"
            8:23 LOOM625 Warning HTML built from `request.GET` unescaped; escape it or render a template [confidence High]
              entered 6:12 `request.GET` enters here
        "#]],
    );
}

#[test]
fn event_loop_subprocesses_and_subinterpreters() {
    check(
        "import asyncio, sys, _testcapi\n\ndef run(loop, factory, command):\n    loop.subprocess_shell(factory, command)\n    loop.subprocess_exec(factory, 'bash', '-c', sys.argv[1])\n    loop.subprocess_exec(factory, 'ls', '-l')\n    asyncio.subprocess.create_subprocess_shell(command)\n    _testcapi.run_in_subinterp(command)\n",
        expect![[r#"
            4:5 LOOM621 Error Command built from parameter `command` reaches `.subprocess_shell`; pass an argument list and validate it [confidence Medium]
              entered 3:24 parameter `command` enters here
            5:5 LOOM621 Error Command built from `sys.argv` reaches `.subprocess_exec`; pass an argument list and validate it [confidence High]
              entered 5:49 `sys.argv` enters here
            7:5 LOOM621 Error Command built from parameter `command` reaches `asyncio.subprocess.create_subprocess_shell`; pass an argument list and validate it [confidence Medium]
              entered 3:24 parameter `command` enters here
            8:5 LOOM622 Error Code from parameter `command` reaches `_testcapi.run_in_subinterp` [confidence Medium]
              entered 3:24 parameter `command` enters here
        "#]],
    );
}

#[test]
fn open_redirects_unless_the_target_is_checked_or_the_sites_own() {
    check(
        "from django.http import HttpResponseRedirect\nfrom django.shortcuts import redirect\n\
         from django.utils.http import url_has_allowed_host_and_scheme\n\n\
         def unsafe(request):\n    url = request.POST.get('next')\n    return HttpResponseRedirect(url)\n\n\
         def checked(request):\n    url = request.POST.get('next')\n\
         \x20   if not url_has_allowed_host_and_scheme(url=url, allowed_hosts=None):\n        url = '/'\n    redirect(url + '?lang=' + request.GET['lang'])\n    return redirect(url)\n\n\
         def own(request):\n    return redirect(request.path)\n\n\
         def fixed(request):\n    return redirect('/home')\n",
        expect![[r#"
            7:12 LOOM627 Warning Redirect to a URL from `request.POST` (`HttpResponseRedirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 6:11 `request.POST` enters here
        "#]],
    );
    check(
        "from flask import Flask, redirect, request, url_for\n\napp = Flask(__name__)\n\n\
         @app.route('/login')\ndef login():\n    return redirect(request.args.get('next') or url_for('index'))\n\n\
         @app.route('/back')\ndef back():\n    return redirect(url_for('index', page=request.args['page']))\n",
        expect![[r#"
            7:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 7:21 `request.args` enters here
        "#]],
    );
}

#[test]
fn http_clients_called_by_their_imported_name_and_where_the_url_is_built() {
    check(
        "from requests import get\n\ndef proxy(request):\n    host = request.GET.get('host')\n\
         \x20   url = 'https://{}/api'.format(host)\n    get(url, timeout=5)\n    get('https://example.com/api', timeout=5)\n\
         \x20   get('https://example.com/users/%s' % host, timeout=5)\n    get('https://example.com' + host, timeout=5)\n\
         \x20   get('https://example.com/a' if host else host, timeout=5)\n",
        expect![[r#"
            6:5 LOOM624 Warning URL from `request.GET` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
              entered 5:11 the URL is built here
              entered 4:12 `request.GET` enters here
            9:5 LOOM624 Warning URL from `request.GET` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
              entered 9:9 the URL is built here
              entered 4:12 `request.GET` enters here
            10:5 LOOM624 Warning URL from `request.GET` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
              entered 4:12 `request.GET` enters here
        "#]],
    );
}

#[test]
fn code_handed_to_an_executor_and_a_subinterpreters_script() {
    check(
        "import asyncio, os, _xxsubinterpreters\n\nasync def run(request, pool):\n    loop = asyncio.get_running_loop()\n\
         \x20   await loop.run_in_executor(None, exec, request.POST['code'])\n    await loop.run_in_executor(None, exec, 'print(1)')\n\
         \x20   await asyncio.to_thread(os.system, request.GET['cmd'])\n    pool.submit(print, request.GET['x'])\n\n\
         def sub(payload):\n    _xxsubinterpreters.run_string(_xxsubinterpreters.create(), payload)\n\
         \x20   _xxsubinterpreters.run_string(_xxsubinterpreters.create(), 'print(1)')\n",
        expect![[r#"
            5:11 LOOM622 Error Code from `request.POST` reaches `run_in_executor(exec)` [confidence High]
              entered 5:44 `request.POST` enters here
            7:11 LOOM621 Error Command built from `request.GET` reaches `to_thread(os.system)`; pass an argument list and validate it [confidence High]
              entered 7:40 `request.GET` enters here
            11:5 LOOM622 Error Code from parameter `payload` reaches `_xxsubinterpreters.run_string` [confidence Medium]
              entered 10:9 parameter `payload` enters here
        "#]],
    );
}

#[test]
fn translated_messages_are_the_programs_own_text() {
    check(
        "from django.http import HttpResponse\nfrom django.utils.translation import gettext as _\n\n\
         def view(request):\n    user = request.GET.get('user', '')\n    if not user:\n        return HttpResponse(_('no user'))\n\
         \x20   return HttpResponse(_(\"user '{}' does not exist\").format(user))\n",
        expect![[r#"
            8:12 LOOM625 Warning HTML built from `request.GET` reaches `HttpResponse` unescaped; escape it or render a template [confidence High]
              entered 5:12 `request.GET` enters here
        "#]],
    );
}

#[test]
fn a_whole_namespace_as_a_template_context() {
    check(
        "from django.shortcuts import render\n\ndef page(request):\n    return render(request, 'page.html', locals())\n\n\
         def other(request):\n    env = globals()\n    return render(request, 'page.html', env)\n\n\
         def fine(request):\n    return render(request, 'page.html', {'name': 'x'})\n",
        expect![[r#"
            4:12 LOOM628 Warning `render` renders with `locals()` as its context: every name in it reaches the template; pass only what it shows [confidence High]
            8:12 LOOM628 Warning `render` renders with `globals()` as its context: every name in it reaches the template; pass only what it shows [confidence High]
        "#]],
    );
}

#[test]
fn route_parameters_converted_to_numbers_are_not_text() {
    check(
        "from flask import Flask\nfrom fastapi import FastAPI\n\napp = Flask(__name__)\napi = FastAPI()\n\n\
         @app.route('/item/<int:item_id>/<name>')\ndef item(item_id, name):\n    return '<p>%s %s</p>' % (item_id, name)\n\n\
         @app.route('/page/<int:page>')\ndef page(page):\n    return '<p>%s</p>' % page\n\n\
         @api.get('/users/{user_id}')\ndef user(user_id: int, db):\n    db.execute('SELECT * FROM users WHERE id = %s' % user_id)\n\n\
         @api.get('/find/{name}')\ndef find(name: str, db):\n    db.execute('SELECT * FROM users WHERE name = %s' % name)\n",
        expect![[r#"
            9:12 LOOM625 Warning HTML built from route parameter `name` reaches `return` unescaped; escape it or render a template [confidence High]
              entered 8:19 route parameter `name` enters here
            21:16 S608 Warning Possible SQL injection vector through string-based query construction [confidence High]
              entered 20:10 route parameter `name` enters here
        "#]],
    );
}

#[test]
fn a_prepared_request_and_compiling_interactive_source() {
    check(
        "import code, requests, sys\n\ndef run(payload):\n    code.compile_command(payload)\n    code.compile_command('1 + 1')\n\
         \x20   requests.Request('GET', sys.argv[1])\n    requests.Request('GET', 'https://example.com/')\n",
        expect![[r#"
            4:5 LOOM622 Error Code from parameter `payload` reaches `code.compile_command` [confidence Medium]
              entered 3:9 parameter `payload` enters here
            6:5 LOOM624 Warning URL from `sys.argv` reaches `requests.Request`; it may use `file://` or reach internal hosts [confidence High]
              entered 6:29 `sys.argv` enters here
        "#]],
    );
}

#[test]
fn lambda_events_pyramid_and_tornado_requests_are_sources() {
    check(
        "import os, requests\nimport tornado.web\n\ndef handler(event, context):\n    requests.get(event['url'], timeout=5)\n\
         \x20   os.system('ls ' + event['dir'])\n\n\
         def helper(event, context, extra):\n    requests.get(event['url'], timeout=5)\n\n\
         def view(request):\n    open(request.matchdict['name'])\n\n\
         class Page(tornado.web.RequestHandler):\n    def get(self):\n        requests.get(self.get_argument('u'), timeout=5)\n\
         \x20       requests.get(self.settings['u'], timeout=5)\n",
        expect![[r#"
            5:5 LOOM624 Warning URL from Lambda event `event` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
              entered 5:18 Lambda event `event` enters here
            6:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 6:23 Lambda event `event` enters here
            12:5 LOOM626 Warning File path from `request.matchdict` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 12:10 `request.matchdict` enters here
            16:9 LOOM624 Warning URL from `self.get_argument()` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
              entered 16:22 `self.get_argument()` enters here
        "#]],
    );
}

#[test]
fn mongodb_where_clauses_and_sh_commands() {
    check(
        "import pymongo, sh\n\ndef find(db, request):\n    name = request.GET['name']\n\
         \x20   db.users.find({'$where': \"this.name == '\" + name + \"'\"})\n\
         \x20   db.users.find_one({'$or': [{'$where': 'this.a > %s' % name}, {'b': 1}]})\n\
         \x20   db.users.find({'name': name})\n    db.users.find({'$where': 'this.a > 1'})\n\
         \x20   sh.Command(request.GET['tool'])()\n    sh.Command('ls')()\n",
        expect![[r#"
            5:5 LOOM622 Error Code from `request.GET` reaches `$where` [confidence High]
              entered 4:12 `request.GET` enters here
            6:5 LOOM622 Error Code from `request.GET` reaches `$where` [confidence High]
              entered 4:12 `request.GET` enters here
            9:5 LOOM621 Error Command built from `request.GET` reaches `sh.Command`; pass an argument list and validate it [confidence High]
              entered 9:16 `request.GET` enters here
        "#]],
    );
}

#[test]
fn shell_calls_through_a_module_looked_up_into_a_local() {
    check(
        "import os\nfrom somewhere import something\n\ndef run():\n    dynamic_os = __import__('os')\n    dynamic_os.system(something())\n\
         \x20   system = getattr(dynamic_os, 'system')\n    system(something())\n    by_static = getattr(os, 'popen')\n    by_static('ls')\n\
         \x20   dynamic_os.getcwd()\n    path = __import__('os.path')\n    path.join('a', 'b')\n",
        expect![[r#"
            6:5 LOOM605 Warning `os.system` looked up by name (`getattr`/`__import__`) runs a shell command out of sight of review [confidence High]
              entered 5:18 `os.system` looked up here
            8:5 LOOM605 Warning `os.system` looked up by name (`getattr`/`__import__`) runs a shell command out of sight of review [confidence High]
              entered 5:18 `os.system` looked up here
            10:5 LOOM605 Warning `os.popen` looked up by name (`getattr`/`__import__`) runs a shell command out of sight of review [confidence High]
              entered 9:17 `os.popen` looked up here
        "#]],
    );
}

#[test]
fn models_created_from_every_field_the_client_sends() {
    check(
        "from django.shortcuts import render\n\ndef create(request, Thing):\n    Thing.objects.create(**request.POST)\n\
         \x20   data = request.POST.dict()\n    Thing.objects.filter(pk=1).update(**data)\n\
         \x20   Thing.objects.create(name=request.POST.get('name'))\n    Thing.objects.create(**{'name': 'x'})\n    return render(request, 'done.html')\n",
        expect![[r#"
            4:5 LOOM629 Warning `.create` sets every field the client names from `request.POST`; list the fields it may set [confidence High]
              entered 4:28 `request.POST` enters here
            6:5 LOOM629 Warning `.update` sets every field the client names from `request.POST` as a mapping (`dict()`); list the fields it may set [confidence High]
              entered 5:12 `request.POST` as a mapping (`dict()`) enters here
        "#]],
    );
}

#[test]
fn a_dict_the_program_filled_then_updated_with_what_the_client_sent() {
    // Twins: a dict whose keys the program wrote chooses no key; an empty
    // dict has none to lose.
    check(
        "from flask import Flask, request, jsonify\n\napp = Flask(__name__)\n\n@app.route('/post')\ndef post():\n\
         \x20   data = {'username': current_user()}\n    data.update(request.get_json())\n\
         \x20   own = {'username': current_user()}\n    own.update({'text': request.json['text']})\n\
         \x20   params = {}\n    params.update(request.args)\n    return jsonify(data, own, params)\n",
        expect![[r#"
            8:5 LOOM629 Warning `.update` with `request` lets the client overwrite the entries the program set (`username`); copy the fields it may set [confidence High]
              entered 8:17 `request` enters here
        "#]],
    );
}

#[test]
fn html_email_bodies_from_the_client() {
    check(
        "from django.core.mail import send_mail\n\ndef notify(request):\n    body = request.POST.get('body_html')\n\
         \x20   send_mail('s', 'text', 'a@b.c', ['d@e.f'], html_message=body)\n\
         \x20   send_mail('s', request.POST.get('text'), 'a@b.c', ['d@e.f'])\n    send_mail('s', 't', 'a@b.c', ['d@e.f'], html_message='<p>hi</p>')\n",
        expect![[r#"
            5:5 LOOM625 Warning HTML from `request.POST` reaches `send_mail` unescaped; escape it or render a template [confidence High]
              entered 4:12 `request.POST` enters here
        "#]],
    );
}

#[test]
fn flask_values_converted_or_made_safe_are_not_sources() {
    check(
        "from flask import Flask, request, redirect, send_file\nfrom werkzeug.utils import secure_filename\n\napp = Flask(__name__)\n\n\
         @app.route('/list')\ndef listing(db):\n    page = request.args.get('page', 1, type=int)\n\
         \x20   db.execute('SELECT * FROM t LIMIT 10 OFFSET %s' % page)\n    name = request.args.get('name')\n\
         \x20   send_file('/srv/' + secure_filename(name))\n    send_file('/srv/' + name)\n    return redirect(request.referrer)\n",
        expect![[r#"
            9:16 S608 Warning Possible SQL injection vector through string-based query construction
            12:5 LOOM626 Warning File path from `request.args` reaches `flask.send_file`; it may leave the intended folder (`../`) [confidence High]
              entered 10:12 `request.args` enters here
            13:12 LOOM627 Warning Redirect to a URL from `request.referrer` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 13:21 `request.referrer` enters here
        "#]],
    );
}
