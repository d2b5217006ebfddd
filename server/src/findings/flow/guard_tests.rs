//! Fixture tests for sanitizers and guards: each shape with a twin that
//! must stay silent and one that must still be flagged (the check on
//! another value, after the sink, or one that proves nothing).

use expect_test::expect;

use super::tests::{check, check_with};
use crate::findings::Confidence;
use crate::settings::LintSettings;

const VIEW: &str = "import os\nfrom flask import request, abort, redirect\nBASE = '/srv/files'\n\n";

fn view(body: &str) -> String {
    format!("{VIEW}def view():\n{body}")
}

// --- path containment -------------------------------------------------------

#[test]
fn a_path_normalised_then_checked_for_its_folder_stays_silent() {
    // The prefix ends in a separator: `os.sep` added, written in the
    // literal, or `os.path.join(base, "")`.
    check(
        &format!(
            "{VIEW}def one():\n    path = os.path.realpath(os.path.join(BASE, request.args['name']))\n    if not path.startswith(BASE + os.sep):\n        abort(403)\n    return open(path).read()\n\n\
             def two():\n    path = os.path.abspath(request.args['name'])\n    if path.startswith('/srv/files/'):\n        return open(path).read()\n\n\
             def three():\n    path = os.path.normpath(request.args['name'])\n    if not path.startswith(os.path.join(BASE, '')):\n        raise ValueError(path)\n    return open(path).read()\n"
        ),
        expect![[r#""#]],
    );
}

#[test]
fn a_folder_prefix_without_a_separator_is_a_check_the_flow_cannot_judge() {
    // `/srv/files-old/x` starts with `/srv/files`: containment in the folder
    // or a sibling named like it, low (hidden by default); a path not
    // normalised stays high.
    check_with(
        &format!(
            "{VIEW}def one():\n    path = os.path.realpath(os.path.join(BASE, request.args['name']))\n    if not path.startswith(BASE):\n        abort(403)\n    return open(path).read()\n\n\
             def two():\n    path = os.path.abspath(request.args['name'])\n    if not path.startswith('/srv/files'):\n        abort(403)\n    return open(path).read()\n\n\
             def three():\n    path = os.path.abspath(request.args['name'])\n    if os.path.commonprefix([path, BASE]) != BASE:\n        abort(403)\n    return open(path).read()\n\n\
             def flagged():\n    path = os.path.join(BASE, request.args['name'])\n    if not path.startswith(BASE):\n        abort(403)\n    return open(path).read()\n"
        ),
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            9:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence Low]
              entered 6:48 `request.args` enters here
            15:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence Low]
              entered 12:28 `request.args` enters here
            21:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence Low]
              entered 18:28 `request.args` enters here
            27:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 24:31 `request.args` enters here
        "#]],
    );
}

#[test]
fn commonpath_checks_only_a_normalised_path_against_its_own_folder() {
    check(
        &format!(
            "{VIEW}def one():\n    p = os.path.join(BASE, request.args['f'])\n    if os.path.commonpath([BASE, p]) == BASE:\n        return open(p).read()\n\n\
             def two():\n    p = os.path.realpath(request.args['f'])\n    if os.path.commonpath([BASE, p]) == request.args['base']:\n        return open(p).read()\n\n\
             def silent():\n    if os.path.commonpath([BASE, os.path.realpath(request.args['f'])]) == BASE:\n        return 'inside'\n    p = os.path.realpath(request.args['f'])\n    if os.path.commonpath((BASE, p)) != BASE:\n        abort(403)\n    return open(p).read()\n"
        ),
        expect![[r#"
            8:16 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 6:28 `request.args` enters here
            13:16 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 11:26 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_resolved_path_relative_to_its_folder_is_inside_after_the_call() {
    // `relative_to` raises for a path outside: the code after it in the
    // `try` (or after a handler that leaves) has a path inside.
    check(
        &format!(
            "{VIEW}from pathlib import Path\n\n\
             def one():\n    p = Path(request.args['f']).resolve()\n    try:\n        p.relative_to(BASE)\n    except ValueError:\n        abort(403)\n    return open(p).read()\n\n\
             def two():\n    p = Path(request.args['f'])\n    try:\n        p.resolve().relative_to(BASE)\n        return open(p).read()\n    except ValueError:\n        return 'no'\n\n\
             def flagged():\n    p = Path(request.args['f']).resolve()\n    try:\n        p.relative_to(BASE)\n    except ValueError:\n        print('outside')\n    return open(p).read()\n\n\
             def not_resolved():\n    p = Path(BASE) / request.args['f']\n    p.relative_to(BASE)\n    return open(p).read()\n"
        ),
        expect![[r#"
            29:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 24:14 `request.args` enters here
            34:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 32:22 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_folder_check_without_normalising_is_still_flagged() {
    // `/srv/files/../../etc/passwd` starts with `/srv/files`.
    check(
        &view(
            "    name = request.args['name']\n    path = os.path.join(BASE, name)\n    if not path.startswith(BASE):\n        abort(403)\n    return open(path).read()\n",
        ),
        expect![[r#"
            10:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 6:12 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_folder_check_after_the_read_is_still_flagged() {
    check(
        &view(
            "    path = os.path.realpath(os.path.join(BASE, request.args['name']))\n    data = open(path).read()\n    if not path.startswith(BASE):\n        abort(403)\n    return data\n",
        ),
        expect![[r#"
            7:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 6:48 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_resolved_path_inside_its_folder_and_commonpath_stay_silent() {
    check(
        &format!(
            "{VIEW}from pathlib import Path\n\ndef one():\n    p = (Path(BASE) / request.args['f']).resolve()\n    if p.is_relative_to(BASE):\n        return open(p).read()\n\ndef two():\n    p = os.path.abspath(request.args['f'])\n    if os.path.commonpath([BASE, p]) == BASE:\n        return open(p).read()\n"
        ),
        expect![[r#""#]],
    );
}

#[test]
fn safe_join_and_send_from_directory_keep_the_name_in_the_folder() {
    check(
        &format!(
            "{VIEW}from flask import send_from_directory, send_file\nfrom werkzeug.utils import safe_join\n\ndef one():\n    return open(safe_join(BASE, request.args['f'])).read()\n\ndef two():\n    return send_from_directory(BASE, request.args['f'])\n\ndef flagged():\n    return send_file(os.path.join(BASE, request.args['f']))\n"
        ),
        expect![[r#"
            15:12 LOOM626 Warning File path from `request.args` reaches `flask.send_file`; it may leave the intended folder (`../`) [confidence High]
              entered 15:41 `request.args` enters here
        "#]],
    );
}

#[test]
fn an_archive_unpacked_with_the_data_filter_stays_silent() {
    check(
        &format!(
            "{VIEW}import shutil\n\ndef one():\n    shutil.unpack_archive(request.args['a'], BASE, filter='data')\n\ndef flagged():\n    shutil.unpack_archive(request.args['a'], BASE)\n"
        ),
        expect![[r#"
            11:5 LOOM202 Warning `shutil.unpack_archive` writes a tar archive's members where their names point (`../`, absolute paths, links); pass `filter="data"` [confidence Medium]
            11:5 LOOM626 Warning File path from `request.args` reaches `shutil.unpack_archive`; it may leave the intended folder (`../`) [confidence High]
              entered 11:27 `request.args` enters here
        "#]],
    );
}

// --- allow-lists and character checks -----------------------------------------

#[test]
fn a_value_rejected_unless_allowed_stays_silent_and_another_value_does_not() {
    check(
        &format!(
            "{VIEW}ALLOWED = {{'ls', 'df'}}\n\ndef one():\n    cmd = request.args['cmd']\n    if cmd not in ALLOWED:\n        return 'no'\n    os.system(cmd)\n\ndef two():\n    cmd = request.args['cmd']\n    if cmd in ['ls', 'df']:\n        os.system(cmd)\n\ndef flagged():\n    cmd = request.args['cmd']\n    other = request.args['other']\n    if other not in ALLOWED:\n        raise ValueError(other)\n    os.system(cmd)\n"
        ),
        expect![[r#"
            23:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 19:11 `request.args` enters here
        "#]],
    );
}

#[test]
fn an_allow_list_check_after_the_sink_is_still_flagged() {
    check(
        &format!(
            "{VIEW}ALLOWED = {{'ls', 'df'}}\n\ndef flagged():\n    cmd = request.args['cmd']\n    os.system(cmd)\n    if cmd not in ALLOWED:\n        return 'no'\n"
        ),
        expect![[r#"
            9:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 8:11 `request.args` enters here
        "#]],
    );
}

#[test]
fn digits_and_conversions_carry_no_text_of_the_client() {
    check(
        &format!(
            "{VIEW}import uuid\n\ndef one():\n    pid = request.args['pid']\n    if not pid.isdigit():\n        abort(400)\n    os.system('kill ' + pid)\n\ndef two():\n    return open(os.path.join(BASE, str(uuid.UUID(request.args['id'])))).read()\n\ndef flagged():\n    return open(os.path.join(BASE, request.args['id'])).read()\n"
        ),
        expect![[r#"
            17:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 17:36 `request.args` enters here
        "#]],
    );
}

#[test]
fn an_html_escaper_named_for_what_it_does_protects_html() {
    check(
        "from flask import Flask, request\nimport helpers.utils\n\napp = Flask(__name__)\n\n\
         @app.route('/a')\ndef a():\n    return '<p>%s</p>' % helpers.utils.escape_for_html(request.args['q'])\n\n\
         @app.route('/b')\ndef b():\n    return '<p>%s</p>' % helpers.utils.unescape_html(request.args['q'])\n",
        expect![[r#"
            12:12 LOOM625 Warning HTML built from `request.args` reaches `return` unescaped; escape it or render a template [confidence High]
              entered 12:54 `request.args` enters here
        "#]],
    );
}

// --- redirects ------------------------------------------------------------------

#[test]
fn redirects_to_a_checked_host_or_a_path_of_the_site_stay_silent() {
    check(
        &format!(
            "{VIEW}from urllib.parse import urlparse\nHOSTS = ['example.com']\n\ndef one():\n    url = request.args['next']\n    if urlparse(url).netloc not in HOSTS:\n        abort(400)\n    return redirect(url)\n\ndef two():\n    return redirect('/profile/' + request.args['name'])\n\ndef three():\n    return redirect(f\"https://example.com/{{request.args['p']}}\")\n"
        ),
        expect![[r#""#]],
    );
}

#[test]
fn redirects_whose_host_the_client_may_choose_are_still_flagged() {
    // `'/' + '/evil.net'` is `//evil.net`, another host.
    check(
        &format!(
            "{VIEW}from urllib.parse import urlparse\nHOSTS = ['example.com']\n\ndef one():\n    return redirect('/' + request.args['name'])\n\ndef two():\n    url = request.args['next']\n    other = request.args['other']\n    if urlparse(other).netloc not in HOSTS:\n        abort(400)\n    return redirect(url)\n"
        ),
        expect![[r#"
            9:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 9:27 `request.args` enters here
            16:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 12:11 `request.args` enters here
        "#]],
    );
}

// --- checks the flow cannot judge -------------------------------------------------

#[test]
fn a_redirect_target_checked_for_a_prefix_of_the_site_stays_silent() {
    check(
        &format!(
            "{VIEW}def one():\n    url = request.args['next']\n    if url.startswith('/profile/'):\n        return redirect(url)\n    return redirect('/')\n\n\
             def two():\n    url = request.args['next']\n    if not url.startswith(('https://example.com/', '/home')):\n        abort(400)\n    return redirect(url)\n"
        ),
        expect![[r#""#]],
    );
}

#[test]
fn a_redirect_target_checked_for_a_prefix_another_host_may_share_is_still_flagged() {
    // `//evil.com` starts with `/`; `https://example.com.evil.com` with
    // `https://example.com`.
    check(
        &format!(
            "{VIEW}def one():\n    url = request.args['next']\n    if url.startswith('/'):\n        return redirect(url)\n    return redirect('/')\n\n\
             def two():\n    url = request.args['next']\n    if not url.startswith(('https://example.com', '/home')):\n        abort(400)\n    return redirect(url)\n"
        ),
        expect![[r#"
            8:16 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 6:11 `request.args` enters here
            15:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 12:11 `request.args` enters here
        "#]],
    );
}

#[test]
fn commonpath_against_the_normalised_folder_stays_silent_and_against_another_is_flagged() {
    // `commonpath` drops a trailing separator: a correct check compares it
    // with `normpath(BASE)`.
    check(
        &format!(
            "{VIEW}DIR = '/srv/files/'\n\ndef one():\n    p = os.path.abspath(os.path.join(DIR, request.args['f']))\n    if os.path.commonpath([DIR, p]) != os.path.normpath(DIR):\n        abort(403)\n    return open(p).read()\n\n\
             def two():\n    p = os.path.abspath(os.path.join(DIR, request.args['f']))\n    if os.path.commonpath([DIR, p]) != os.path.normpath(request.args['d']):\n        abort(403)\n    return open(p).read()\n"
        ),
        expect![[r#"
            17:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 14:43 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_check_the_flow_cannot_judge_lowers_the_confidence() {
    let source = format!("{VIEW}def one():\n    name = request.args['f']\n    if not is_allowed(name):\n        return 'no'\n    return open(name).read()\n");
    // Hidden at the default `medium`.
    check(&source, expect![[r#""#]]);
    check_with(
        &source,
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
        9:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence Low]
          entered 6:12 `request.args` enters here
    "#]],
    );
}

#[test]
fn the_programs_own_escaper_is_a_check_the_flow_cannot_judge() {
    // datasette's identifiers quoted by its own `escape_sqlite`, Django's
    // `quote_name`: low (a ruff `S608` on them keeps ruff's word, no
    // confidence). Unescaped, through `unquote` or through a DN's escape
    // in an LDAP filter (which escapes another syntax), as sure as before.
    let source = format!(
        "{VIEW}import ldap3\nfrom urllib.parse import unquote\nfrom ldap3.utils.dn import escape_rdn\n\n\
         def escape_sqlite(s):\n    return '\"{{}}\"'.format(s.replace('\"', '\"\"'))\n\n\
         def escaped(conn, ops):\n    table = request.args['t']\n    sql = 'PRAGMA table_info(' + escape_sqlite(table) + ');'\n    conn.execute(sql)\n    sql = 'SELECT * FROM ' + ops.quote_name(table)\n    conn.execute(sql)\n\n\
         def reported(conn, ldap_conn):\n    table = request.args['t']\n    sql = 'PRAGMA table_info(' + unquote(table) + ');'\n    conn.execute(sql)\n    sql = 'PRAGMA table_info(' + table + ');'\n    conn.execute(sql)\n    ldap_conn.search('ou=users', '(uid=' + escape_rdn(table) + ')')\n"
    );
    check_with(
        &source,
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
        15:5 LOOM620 Warning SQL query built from `request.args` reaches `.execute`; pass the values as query parameters [confidence Low]
          entered 13:13 `request.args` enters here
        16:11 S608 Warning Possible SQL injection vector through string-based query construction
        17:5 LOOM620 Warning SQL query built from `request.args` reaches `.execute`; pass the values as query parameters [confidence Low]
          entered 13:13 `request.args` enters here
        22:5 LOOM620 Warning SQL query built from `request.args` reaches `.execute`; pass the values as query parameters [confidence High]
          entered 20:13 `request.args` enters here
        24:5 LOOM620 Warning SQL query built from `request.args` reaches `.execute`; pass the values as query parameters [confidence High]
          entered 20:13 `request.args` enters here
        25:5 LOOM638 Warning LDAP filter built from `request.args` reaches `.search`; escape the value (`ldap3.utils.conv.escape_filter_chars`) [confidence High]
          entered 20:13 `request.args` enters here
    "#]],
    );
}

// --- redirects checked by their host or path ---------------------------------

#[test]
fn a_url_without_a_host_scheme_or_backslash_or_with_a_listed_host_is_this_sites() {
    // Without a host alone, `https:evil.com` and `\\evil.com` pass
    // (redirect_check_tests).
    check(
        &format!(
            "{VIEW}from urllib.parse import urlparse\nALLOWED_HOSTS = {{'example.com'}}\n\n\
             def no_host():\n    target = request.args['next']\n    if urlparse(target).netloc or urlparse(target).scheme or '\\\\' in target:\n        abort(400)\n    return redirect(target)\n\n\
             def listed():\n    target = request.args['next']\n    host = urlparse(target).hostname\n    if host not in ALLOWED_HOSTS:\n        abort(400)\n    return redirect(target)\n\n\
             def no_scheme():\n    target = request.args['next']\n    if urlparse(target).scheme:\n        abort(400)\n    return redirect(target)\n\n\
             def host_of_another():\n    target = request.args['next']\n    if urlparse(request.args['back']).netloc:\n        abort(400)\n    return redirect(target)\n"
        ),
        expect![[r#"
            25:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 22:14 `request.args` enters here
            31:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 28:14 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_redirect_whose_scheme_alone_was_checked_may_leave_the_site() {
    // `https://evil.example` passes a scheme check; with the host checked
    // too, it does not.
    check(
        &format!(
            "{VIEW}from urllib.parse import urlparse\nALLOWED_HOSTS = {{'example.com'}}\n\n\
             def scheme_only():\n    target = request.args['next']\n    if urlparse(target).scheme != 'https':\n        abort(400)\n    return redirect(target)\n\n\
             def scheme_and_host():\n    target = request.args['next']\n    parts = urlparse(target)\n    if parts.scheme not in ('http', 'https') or parts.netloc not in ALLOWED_HOSTS:\n        abort(400)\n    return redirect(target)\n"
        ),
        expect![[r#"
            12:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 9:14 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_url_whose_host_is_one_of_the_programs_is_requested_safely() {
    // The host compared with the program's own list or constant: the
    // request reaches no other host. The scheme alone, a host compared
    // with the client's own or rejected by a deny-list proves nothing of
    // where it goes.
    check(
        &format!(
            "{VIEW}import requests\nfrom urllib.parse import urlparse\nALLOWED_HOSTS = {{'api.example.com'}}\n\n\
             def listed():\n    url = request.args['url']\n    parts = urlparse(url)\n    if parts.scheme != 'https' or parts.hostname not in ALLOWED_HOSTS:\n        abort(400)\n    return requests.get(url, timeout=5).text\n\n\
             def one_host():\n    url = request.args['url']\n    if urlparse(url).netloc == 'api.example.com':\n        return requests.get(url, timeout=5).text\n\n\
             def scheme_only():\n    url = request.args['url']\n    if urlparse(url).scheme != 'https':\n        abort(400)\n    return requests.get(url, timeout=5).text\n\n\
             def clients_host():\n    url = request.args['url']\n    if urlparse(url).hostname != request.args['host']:\n        abort(400)\n    return requests.get(url, timeout=5).text\n\n\
             def deny_listed():\n    url = request.args['url']\n    if urlparse(url).hostname in ALLOWED_HOSTS:\n        abort(400)\n    return requests.get(url, timeout=5).text\n"
        ),
        expect![[r#"
            25:12 LOOM624 Warning URL from `request.args` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
              entered 22:11 `request.args` enters here
            31:12 LOOM624 Warning URL from `request.args` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
              entered 28:11 `request.args` enters here
            37:12 LOOM624 Warning URL from `request.args` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
              entered 34:11 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_target_replaced_unless_listed_or_a_path_of_this_site_is_safe() {
    // Where the clause that replaces it does not run, the check failed:
    // the target is one of the list (or a path that is not `//host` or
    // `/\host`).
    check(
        &view(
            "    url = request.args['next']\n    if url not in ['/home', '/profile']:\n        url = '/'\n    redirect(url)\n    \
             other = request.args['back']\n    if not other.startswith('/') or other.startswith(('//', '/\\\\')):\n        other = '/'\n    redirect(other)\n    \
             loose = request.args['back']\n    if not loose.startswith('/'):\n        loose = '/'\n    redirect(loose)\n    \
             kept = request.args['next']\n    if kept not in ['/home']:\n        print('unlisted')\n    return redirect(kept)\n",
        ),
        expect![[r#"
            17:5 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 14:13 `request.args` enters here
            21:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 18:12 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_host_equal_to_the_domain_or_ending_in_a_subdomain_of_it_is_listed() {
    // Silent: either part of the `or` lists the host. Flagged: the suffix
    // without its dot, and an `or` whose other part checks nothing.
    check(
        &format!(
            "{VIEW}from urllib.parse import urlparse\n\n\
             def listed():\n    target = request.args['next']\n    host = urlparse(target).hostname or ''\n    if host == 'example.com' or host.endswith('.example.com'):\n        return redirect(target)\n    abort(400)\n\n\
             def suffix_without_dot():\n    target = request.args['next']\n    if urlparse(target).hostname.endswith('example.com'):\n        return redirect(target)\n    abort(400)\n\n\
             def or_anything():\n    target = request.args['next']\n    host = urlparse(target).hostname\n    if host == 'example.com' or request.args.get('force'):\n        return redirect(target)\n    abort(400)\n"
        ),
        expect![[r#"
            16:8 LOOM655 Warning The host is checked by its end without the dot before the domain: `evil-example.com` ends with `example.com`; compare `host == domain or host.endswith("." + domain)` [confidence Medium]
            17:16 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 15:14 `request.args` enters here
            24:16 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 21:14 `request.args` enters here
        "#]],
    );
}
