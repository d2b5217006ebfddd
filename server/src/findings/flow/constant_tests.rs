//! Fixture tests for what the walk computes: conditions made of constants
//! take one branch, containers read back the element stored at a constant
//! key, a value rejected on a check of its text is checked; and the sink
//! families of the web (LDAP, XPath, the session, XML entities).

use expect_test::expect;

use super::tests::{check, check_with};
use crate::findings::Confidence;
use crate::settings::LintSettings;

// --- constants and containers ---------------------------------------------

#[test]
fn a_constant_condition_takes_one_branch() {
    check(
        "from flask import request\n\ndef run():\n    cmd = request.args['c']\n    n = 86\n    \
         if 7 * 42 - n > 200:\n        arg = 'fixed'\n    else:\n        arg = cmd\n    open('/srv/' + arg)\n    \
         other = 'fixed' if (7 * 42) - 106 > 200 else cmd\n    open('/srv/' + other)\n    \
         text = 'never mind'\n    if 'mind' not in text:\n        text = cmd\n    open('/srv/' + text)\n    \
         guess = 'ABC'[1]\n    match guess:\n        case 'A':\n            chosen = cmd\n        case 'B' | 'D':\n            chosen = 'b'\n        case _:\n            chosen = cmd\n    \
         open('/srv/' + chosen)\n",
        expect![[r#"
            12:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 4:11 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_lookup_by_the_clients_key_gives_one_of_the_programs_items() {
    // The client chooses which command, not what it is: ruff's S602 stays,
    // judged a constant command (low). Twins: a table holding the client's
    // text, and a default that is the client's.
    check_with(
        "import subprocess\nfrom flask import request\nCOMMANDS = {'disk': 'df -h', 'mem': 'free -m'}\n\ndef run():\n    c = request.args['c']\n    \
         subprocess.check_output(COMMANDS[c], shell=True)\n    subprocess.check_output(COMMANDS.get(c, 'uptime'), shell=True)\n    \
         mixed = {'disk': 'df -h', 'echo': 'echo ' + request.args['t']}\n    subprocess.check_output(mixed[c], shell=True)\n    \
         subprocess.check_output(COMMANDS.get(c, c), shell=True)\n",
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            7:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence Low]
            8:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence Low]
            10:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence High]
              entered 9:49 `request.args` enters here
            11:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence High]
              entered 6:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_member_of_the_programs_enumeration_looked_up_by_the_clients_key_is_a_constant() {
    // `Tool(k)` raises `ValueError` and `Tool[k]` `KeyError` unless `k`
    // names a member: its value and name are the program's constants
    // (low). Twins: an enumeration with a member the walk cannot read, and
    // a class that is no enumeration, keep the client's key (high).
    check_with(
        "import subprocess\nfrom enum import Enum, auto\nfrom flask import request\n\n\
         class Tool(Enum):\n    \"\"\"Commands.\"\"\"\n    DISK = 'df -h'\n    MEM = 'free -m'\n\n\
         class Level(Enum):\n    LOW = auto()\n    HIGH = compute()\n\n\
         class Plain:\n    DISK = 'df -h'\n\n\
         def run():\n    k = request.args['c']\n    \
         subprocess.check_output(Tool(k).value, shell=True)\n    subprocess.check_output('echo ' + Tool[k].name, shell=True)\n    \
         subprocess.check_output(Level(k).value, shell=True)\n    subprocess.check_output(Plain(k).value, shell=True)\n",
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            19:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence Low]
            20:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence Low]
            21:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence High]
              entered 18:9 `request.args` enters here
            22:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence High]
              entered 18:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_program_restarting_itself_with_its_own_arguments_passes_no_data() {
    // Reloaders (bottle's, CherryPy's): ruff's findings stay, judged low.
    // Twins: the arguments run as another program, and after another one.
    check_with(
        "import os, subprocess, sys\n\ndef restart(extra):\n    args = [sys.executable] + sys.argv\n    os.execv(sys.executable, args)\n    \
         subprocess.Popen([sys.executable, '-u'] + extra() + sys.argv[1:])\n    subprocess.Popen(['sh'] + sys.argv[1:])\n    \
         subprocess.Popen([sys.executable] + sys.argv[1:2] + [sys.argv[0]])\n",
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            5:5 S606 Warning Starting a process without a shell [confidence Low]
            6:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence Medium]
              entered 6:47 `extra()` enters here
            7:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence High]
              entered 7:31 `sys.argv` enters here
            8:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence High]
              entered 8:58 `sys.argv` enters here
        "#]],
    );
}

#[test]
fn elements_stored_at_constant_keys_are_read_back() {
    check(
        "import configparser\nfrom flask import request\n\ndef run():\n    p = request.form['p']\n    \
         m = {}\n    m['a'] = 'safe'\n    m['b'] = p\n    open('/srv/' + m['a'])\n    open('/srv/' + m['b'])\n    \
         lst = []\n    lst.append('safe')\n    lst.append(p)\n    lst.append('moresafe')\n    lst.pop(0)\n    \
         open('/srv/' + lst[1])\n    open('/srv/' + lst[0])\n    \
         conf = configparser.ConfigParser()\n    conf.set('s', 'a', 'safe')\n    conf.set('s', 'b', p)\n    \
         open('/srv/' + conf.get('s', 'a'))\n    open('/srv/' + conf.get('s', 'b'))\n    \
         open('/srv/' + m.get('a', p))\n    open('/srv/' + str(m))\n",
        expect![[r#"
            10:5 LOOM626 Warning File path from `request.form` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 5:9 `request.form` enters here
            17:5 LOOM626 Warning File path from `request.form` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 5:9 `request.form` enters here
            22:5 LOOM626 Warning File path from `request.form` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 5:9 `request.form` enters here
            24:5 LOOM626 Warning File path from `request.form` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 5:9 `request.form` enters here
        "#]],
    );
}

#[test]
fn a_value_rejected_on_a_check_of_its_text_is_checked() {
    check(
        "from flask import request\n\ndef read():\n    name = request.args['f']\n    if '../' in name:\n        return 'no'\n    \
         open('/srv/' + name)\n\ndef read_unchecked():\n    name = request.args['f']\n    if '../' in name:\n        print('careful')\n    \
         open('/srv/' + name)\n",
        expect![[r#"
            13:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 10:12 `request.args` enters here
        "#]],
    );
}

// --- sink families of the web ------------------------------------------------

#[test]
fn ldap_filters_and_xpath_expressions_built_from_requests() {
    check(
        "import ldap3, elementpath, lxml.etree\nfrom flask import request\n\ndef find(conn, root):\n    uid = request.args['uid']\n    \
         conn.search('ou=users', f'(&(objectclass=person)(uid={uid}))')\n    conn.search('ou=users', '(objectclass=person)')\n    \
         elementpath.select(root, f\"/staff/person[@id='{uid}']\")\n    lxml.etree.XPath('/staff/person[@id=' + uid + ']')\n    \
         root.xpath(\"//person[@id='%s']\" % uid)\n    root.xpath('//person[@id=$id]', id=uid)\n",
        expect![[r#"
            6:5 LOOM638 Warning LDAP filter built from `request.args` reaches `.search`; escape the value (`ldap3.utils.conv.escape_filter_chars`) [confidence High]
              entered 5:11 `request.args` enters here
            8:5 LOOM640 Warning XPath expression built from `request.args` reaches `select`; pass the value as an XPath variable [confidence High]
              entered 5:11 `request.args` enters here
            9:5 LOOM640 Warning XPath expression built from `request.args` reaches `XPath`; pass the value as an XPath variable [confidence High]
              entered 5:11 `request.args` enters here
            10:5 LOOM640 Warning XPath expression built from `request.args` reaches `.xpath`; pass the value as an XPath variable [confidence High]
              entered 5:11 `request.args` enters here
        "#]],
    );
}

#[test]
fn ldap_filter_values_escaped_for_a_filter_only() {
    check(
        "import html, ldap, ldap.filter, ldap.dn\nfrom ldap3.utils.conv import escape_filter_chars\nfrom ldap3.utils.dn import escape_rdn\nfrom flask import request\n\n\
         def find(conn, lconn):\n    uid = request.args['uid']\n    \
         conn.search('ou=users', f'(uid={escape_filter_chars(uid)})')\n    \
         lconn.search_s('ou=users', ldap.SCOPE_SUBTREE, '(uid=%s)' % ldap.filter.escape_filter_chars(uid))\n    \
         conn.search('ou=users', f'(uid={escape_rdn(uid)})')\n    \
         lconn.search_s('ou=users', ldap.SCOPE_SUBTREE, '(uid=%s)' % ldap.dn.escape_dn_chars(uid))\n    \
         conn.search('ou=users', f'(uid={html.escape(uid)})')\n",
        expect![[r#"
            10:5 LOOM638 Warning LDAP filter built from `request.args` reaches `.search`; escape the value (`ldap3.utils.conv.escape_filter_chars`) [confidence High]
              entered 7:11 `request.args` enters here
            11:5 LOOM638 Warning LDAP filter built from `request.args` reaches `.search_s`; escape the value (`ldap3.utils.conv.escape_filter_chars`) [confidence High]
              entered 7:11 `request.args` enters here
            12:5 LOOM638 Warning LDAP filter built from `request.args` reaches `.search`; escape the value (`ldap3.utils.conv.escape_filter_chars`) [confidence High]
              entered 7:11 `request.args` enters here
        "#]],
    );
}

#[test]
fn request_data_stored_in_the_session() {
    check(
        "import html\nfrom flask import request, session\n\ndef remember():\n    user = request.form['user']\n    \
         session['user'] = html.escape(user)\n    session['theme'] = 'dark'\n    session['raw'] = user\n    session[user] = 1\n\n\
         def django_view(request):\n    request.session['next'] = request.GET['next']\n",
        expect![[r#"
            6:5 LOOM639 Warning `request.form` is stored in the session unchecked: later requests trust it as the program's own [confidence High]
              entered 5:12 `request.form` enters here
            8:5 LOOM639 Warning `request.form` is stored in the session unchecked: later requests trust it as the program's own [confidence High]
              entered 5:12 `request.form` enters here
            9:5 LOOM639 Warning `request.form` is stored in the session unchecked: later requests trust it as the program's own [confidence High]
              entered 5:12 `request.form` enters here
            12:5 LOOM639 Warning `request.GET` is stored in the session unchecked: later requests trust it as the program's own [confidence High]
              entered 12:31 `request.GET` enters here
        "#]],
    );
}

#[test]
fn xml_parsed_with_external_entities_turned_on() {
    check(
        "import xml.sax, xml.sax.handler, xml.dom.minidom\nfrom flask import request\n\ndef parse():\n    doc = request.get_data()\n    \
         parser = xml.sax.make_parser()\n    parser.setFeature(xml.sax.handler.feature_external_ges, True)\n    \
         xml.dom.minidom.parseString(doc, parser)\n    xml.dom.minidom.parseString('<a/>', parser)\n\n\
         def plain():\n    parser = xml.sax.make_parser()\n    xml.dom.minidom.parseString(request.get_data(), parser)\n",
        expect![[r#"
            6:14 S317 Warning Using `xml` to parse untrusted data is known to be vulnerable to XML attacks; use `defusedxml` equivalents
            7:5 LOOM320 Warning The XML parser is told to read external entities (XXE: local files, URLs); leave the feature off [confidence High]
            8:5 LOOM641 Warning XML from `request` is parsed by `parseString` with external entities turned on: it may read local files or reach internal hosts [confidence High]
              entered 5:11 `request` enters here
            8:5 S318 Warning Using `xml` to parse untrusted data is known to be vulnerable to XML attacks; use `defusedxml` equivalents [confidence High]
            12:14 S317 Warning Using `xml` to parse untrusted data is known to be vulnerable to XML attacks; use `defusedxml` equivalents
            13:5 S318 Warning Using `xml` to parse untrusted data is known to be vulnerable to XML attacks; use `defusedxml` equivalents [confidence High]
        "#]],
    );
}

#[test]
fn escaping_protects_html_and_quotes_not_paths_or_redirects() {
    check(
        "import html, flask, lxml.etree\nfrom flask import request\n\n@app.route('/a')\ndef view(root):\n    x = html.escape(request.args['x'])\n    \
         open('/srv/' + x)\n    flask.redirect(x)\n    flask.make_response('<p>' + x)\n    \
         q = request.args['q'].replace(\"'\", '&apos;')\n    root.xpath(f\"//p[@id='{q}']\")\n    open('/srv/' + q)\n",
        expect![[r#"
            7:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 6:21 `request.args` enters here
            8:5 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 6:21 `request.args` enters here
            12:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 10:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_fixed_routes_path_checked_urls_pathlib_and_buffers() {
    check(
        "import io, pathlib, flask, urllib.parse, lxml.etree\nfrom flask import request\n\n\
         @app.route('/files/list', methods=['POST'])\ndef view(root):\n    first = request.path.split('/')[1]\n    open('/srv/' + first)\n    \
         target = request.form['next']\n    url = urllib.parse.urlparse(target)\n    if url.netloc not in ['example.com']:\n        return 'no'\n    \
         flask.redirect(target)\n    p = pathlib.Path('/srv') / request.form['f']\n    p.read_text()\n    pathlib.Path('/srv/a').exists()\n    \
         buffer = io.StringIO()\n    buffer.write(\"//p[@id='\")\n    buffer.write(request.form['id'])\n    root.xpath(buffer.getvalue())\n\n\
         @app.route('/files/<name>')\ndef named(name):\n    open('/srv/' + request.path)\n",
        expect![[r#"
            14:5 LOOM626 Warning File path from `request.form` reaches `Path.read_text`; it may leave the intended folder (`../`) [confidence High]
              entered 13:32 `request.form` enters here
            19:5 LOOM640 Warning XPath expression built from `request.form` reaches `.xpath`; pass the value as an XPath variable [confidence High]
              entered 18:18 `request.form` enters here
            23:5 LOOM626 Warning File path from `request.path` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 23:20 `request.path` enters here
        "#]],
    );
}

#[test]
fn existence_checks_of_a_clients_path_not_of_the_programs_own() {
    check(
        "import os, sys\nfrom flask import request\n\ndef probe():\n    os.path.exists('/srv/' + request.args['f'])\n    \
         os.path.isfile(os.environ.get('PYTHONSTARTUP'))\n    os.path.isdir(sys.argv[1])\n    open(sys.argv[1])\n",
        expect![[r#"
            5:5 LOOM626 Warning File path from `request.args` reaches `os.path.exists`; it may leave the intended folder (`../`) [confidence High]
              entered 5:30 `request.args` enters here
            8:5 LOOM626 Warning File path from `sys.argv` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 8:10 `sys.argv` enters here
        "#]],
    );
}

#[test]
fn a_path_from_the_environment_is_of_low_confidence() {
    let source = "import os, sys\nfrom flask import request\n\ndef read():\n    open(os.environ['DATA_FILE'])\n    \
                  open(os.getenv('LOG_DIR') + '/app.log')\n    open(sys.argv[1])\n    \
                  open(os.path.join(os.environ['ROOT'], request.args['f']))\n    open(os.environ['ROOT'] + '/' + request.args['f'])\n";
    check(
        source,
        expect![[r#"
            7:5 LOOM626 Warning File path from `sys.argv` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 7:10 `sys.argv` enters here
            8:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 8:43 `request.args` enters here
            9:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 9:37 `request.args` enters here
        "#]],
    );
    check_with(
        source,
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            5:5 LOOM626 Warning File path from `os.environ` reaches `open`; it may leave the intended folder (`../`) [confidence Low]
              entered 5:10 `os.environ` enters here
            6:5 LOOM626 Warning File path from `os.getenv()` reaches `open`; it may leave the intended folder (`../`) [confidence Low]
              entered 6:10 `os.getenv()` enters here
            7:5 LOOM626 Warning File path from `sys.argv` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 7:10 `sys.argv` enters here
            8:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 8:43 `request.args` enters here
            9:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 9:37 `request.args` enters here
        "#]],
    );
}
