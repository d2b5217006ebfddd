//! Fixture tests for how far the walk follows a value: through every
//! argument of a helper of the same file, around a loop until its names
//! settle, and into the name an assignment expression (`:=`) binds. Each
//! shape has a twin that must stay silent.

use expect_test::expect;

use super::tests::{check, check_with};
use crate::findings::Confidence;
use crate::settings::LintSettings;

const VIEW: &str = "import os\nfrom flask import request\n\n";

// --- helpers of the same file -------------------------------------------------

#[test]
fn every_argument_of_a_helper_reaches_what_it_returns() {
    // The client's name is the second argument, by position or by keyword.
    check(
        &format!(
            "{VIEW}def build(table, name):\n    return \"SELECT * FROM \" + table + \" WHERE name = '\" + name + \"'\"\n\n\
             def one(conn):\n    conn.execute(build('users', request.args['n']))\n\n\
             def two(conn):\n    conn.execute(build(name=request.args['n'], table='users'))\n\n\
             def constant(conn):\n    conn.execute(build('users', 'admin'))\n"
        ),
        expect![[r#"
            5:12 S608 Warning Possible SQL injection vector through string-based query construction [confidence Medium]
            8:5 LOOM620 Warning SQL query built from `request.args` reaches `.execute`; pass the values as query parameters [confidence High]
              entered 8:33 `request.args` enters here
            11:5 LOOM620 Warning SQL query built from `request.args` reaches `.execute`; pass the values as query parameters [confidence High]
              entered 11:29 `request.args` enters here
        "#]],
    );
}

#[test]
fn an_argument_that_does_not_reach_the_return_value_is_not_followed() {
    // The note is not the command: ruff's finding keeps its word (what a
    // helper computes is not proven constant), with no source named.
    check(
        &format!(
            "{VIEW}def pick(command, note):\n    print(note)\n    return command\n\n\
             def silent():\n    os.system(pick('ls -l', request.args['note']))\n\n\
             def flagged():\n    os.system(pick(request.args['c'], 'note'))\n"
        ),
        expect![[r#"
            9:5 S605 Warning Starting a process with a shell, possible injection detected
            12:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 12:20 `request.args` enters here
        "#]],
    );
}

#[test]
fn rest_and_keyword_parameters_of_a_helper_are_followed() {
    // Constants passed: no source named (ruff's word, as above).
    check(
        &format!(
            "{VIEW}def command(*parts, **options):\n    flags = ' '.join(options.values())\n    return ' '.join(parts) + flags\n\n\
             def one():\n    os.system(command('ls', request.args['d']))\n\n\
             def two():\n    os.system(command('ls', long=request.args['f']))\n\n\
             def constant():\n    os.system(command('ls', '-l', long='-a'))\n"
        ),
        expect![[r#"
            9:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 9:29 `request.args` enters here
            12:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 12:34 `request.args` enters here
            15:5 S605 Warning Starting a process with a shell, possible injection detected
        "#]],
    );
}

// --- loops ----------------------------------------------------------------------

#[test]
fn a_value_the_clients_on_a_later_pass_is_seen_where_an_earlier_pass_uses_it() {
    // Each name is the previous pass's: `cmd` holds the client's text from
    // the second pass on, `second` from the third.
    check(
        &format!(
            "{VIEW}def one():\n    cmd = 'ls'\n    for name in request.args.getlist('n'):\n        os.system(cmd)\n        cmd = 'cat ' + name\n\n\
             def two():\n    first, second = 'ls', 'ls'\n    for name in request.args.getlist('n'):\n        os.system(second)\n        second = first\n        first = name\n\n\
             def three(cursor):\n    q = 'SELECT 1'\n    while cursor.rowcount:\n        cursor.execute(q)\n        q = \"SELECT * FROM t WHERE n = '%s'\" % request.args['n']\n"
        ),
        expect![[r#"
            7:9 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 6:17 `request.args` enters here
            13:9 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 12:17 `request.args` enters here
            20:9 LOOM620 Warning SQL query built from `request.args` reaches `.execute`; pass the values as query parameters [confidence High]
              entered 21:48 `request.args` enters here
            21:13 S608 Warning Possible SQL injection vector through string-based query construction [confidence High]
        "#]],
    );
}

#[test]
fn a_loop_that_only_ever_holds_constants_stays_silent() {
    check(
        &format!(
            "{VIEW}def one():\n    cmd = 'ls'\n    for name in request.args.getlist('n'):\n        os.system(cmd)\n        cmd = 'ls -l'\n        print(name)\n\n\
             def two():\n    cmd = 'ls'\n    for _ in range(3):\n        cmd = cmd + ' -l'\n        os.system(cmd)\n"
        ),
        expect![[r#""#]],
    );
}

// --- assignment expressions -------------------------------------------------------

#[test]
fn a_name_bound_by_an_assignment_expression_holds_its_value() {
    check(
        &format!(
            "{VIEW}def one():\n    if (name := request.args.get('f')):\n        return open(name).read()\n\n\
             def two(sock):\n    while (chunk := sock.recv(1024)):\n        os.system(chunk)\n\n\
             def constant():\n    if (name := 'report.txt'):\n        return open(name).read()\n\n\
             def guarded():\n    if (p := os.path.realpath(request.args['f'])).startswith('/srv/files/'):\n        return open(p).read()\n"
        ),
        expect![[r#"
            6:16 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 5:17 `request.args` enters here
            10:9 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 9:21 `.recv()` enters here
        "#]],
    );
}

// --- deep expressions ---------------------------------------------------------

#[test]
fn a_chain_of_thousands_of_terms_is_walked_up_to_the_depth_limit() {
    // Generated code: the walk recursed once per `+` and overflowed the
    // 8 MiB the CLI checks a single file on, aborting the whole run. Past
    // the limit (CPython cannot compile it either) the file gets an error.
    let chain = |terms: usize| format!("import os\nx = os.environ['A']{}\nos.system(x)\n", " + 'a'".repeat(terms));
    let (under, over) = (chain(2_400), chain(20_000));
    let checked = std::thread::Builder::new().stack_size(8 << 20).spawn(move || {
        check(
            &under,
            expect![[r#"
                3:1 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
                  entered 2:5 `os.environ` enters here
            "#]],
        );
        let config = crate::findings::tests::config(crate::settings::LintSettings::default());
        let findings = crate::findings::check_source(std::path::Path::new("/work/deep.py"), &over, &config, None);
        let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["E999"], "{findings:?}");
    });
    checked.expect("a thread").join().expect("no overflow");
}

#[test]
fn thousands_of_nested_calls_are_walked_in_time_linear_in_their_depth() {
    // Each sink check of a call evaluated the calls inside it again: 2,400
    // nested `str(` took 114 s (debug build) and now takes under one. A
    // minute is the bound, far above the one and far below the other; the
    // finding must still come through every level.
    let nested =
        |depth: usize| format!("{VIEW}def v():\n    x = request.args['x']\n    y = {}x{}\n    os.system(y)\n", "str(".repeat(depth), ")".repeat(depth));
    let (done, wait) = std::sync::mpsc::channel();
    let source = nested(2_400);
    let checked = std::thread::Builder::new().stack_size(8 << 20).spawn(move || {
        check(
            &source,
            expect![[r#"
                7:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
                  entered 5:9 `request.args` enters here
            "#]],
        );
        done.send(()).expect("the test waits");
    });
    let finished = wait.recv_timeout(std::time::Duration::from_secs(60));
    checked.expect("a thread").join().expect("the check passes");
    finished.expect("checked within a minute");
}

#[test]
fn an_attribute_of_self_is_read_back_in_the_method_that_wrote_it() {
    // A class-based view's shape; a constant written, another object's
    // attribute and a write in another method (`__init__`) are not the
    // request's here.
    check(
        "from django.http import HttpResponse\nMEDIA = '/srv/media/'\n\n\
         class ReportView:\n    def __init__(self, request):\n        self.kept = request.GET['kept']\n\n    \
         def get(self, request):\n        self.name = request.GET['name']\n        return HttpResponse(open(MEDIA + self.name).read())\n\n    \
         def silent(self, request, other):\n        self.name = 'report.txt'\n        other.name = request.GET['name']\n        open(MEDIA + self.name)\n        open(MEDIA + self.kept)\n",
        expect![[r#"
            10:29 LOOM626 Warning File path from `request.GET` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 9:21 `request.GET` enters here
        "#]],
    );
}

// --- the module's own statements ----------------------------------------------

#[test]
fn a_sink_among_the_modules_own_statements_is_reported_beside_functions() {
    // The module's statements (a class body's too) are walked to report
    // when a call that may be a sink is among them; the function's sink
    // alone would not make them.
    check(
        "import sys\n\ndef show(path):\n    return open(path).read()\n\n\
         data = open(sys.argv[1]).read()\n\n\
         class Page:\n    text = open(sys.argv[2]).read()\n",
        expect![[r#"
            6:8 LOOM626 Warning File path from `sys.argv` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 6:13 `sys.argv` enters here
            9:12 LOOM626 Warning File path from `sys.argv` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 9:17 `sys.argv` enters here
        "#]],
    );
}

#[test]
fn a_finding_of_ruffs_among_the_modules_own_statements_is_judged() {
    // No call there may be a sink: ruff's finding on a query built from a
    // constant is rated low by the walk all the same.
    check_with(
        "import os\n\ndef run(cmd):\n    os.system(cmd)\n\nQUERY = \"SELECT * FROM t WHERE a = '%s'\" % \"x\"\n",
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            4:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
              entered 3:9 parameter `cmd` enters here
            6:9 S608 Warning Possible SQL injection vector through string-based query construction [confidence Low]
        "#]],
    );
}

#[test]
fn html_stored_away_by_the_modules_own_statements_is_reported() {
    // No call there may be a sink: the store alone makes the walk.
    check(
        "import os\nfrom flask import request\n\ndef run(cmd):\n    os.system(cmd)\n\n\
         page = object()\npage.html = \"<b>\" + request.args[\"name\"] + \"</b>\"\n",
        expect![[r#"
            5:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
              entered 4:9 parameter `cmd` enters here
            8:13 LOOM625 Warning HTML built from `request.args` unescaped; escape it or render a template [confidence High]
              entered 8:21 `request.args` enters here
        "#]],
    );
}
