//! Fixture tests for the library models of `models.toml` and the checks of
//! library settings: each with a twin that must stay silent.

use expect_test::expect;

use super::tests::{check, check_with};
use crate::findings::Confidence;
use crate::settings::LintSettings;

const VIEW: &str = "from flask import request\n\n";

#[test]
fn remote_commands_of_paramiko_and_netmiko() {
    check(
        &format!(
            "{VIEW}import paramiko\nfrom netmiko import ConnectHandler\n\ndef ssh():\n    client = paramiko.SSHClient()\n    client.exec_command('ls ' + request.args['d'])\n    client.exec_command('uptime')\n\ndef switch(device):\n    conn = ConnectHandler(**device)\n    conn.send_command('show ' + request.args['x'])\n    conn.send_command('show version')\n"
        ),
        expect![[r#"
            8:5 LOOM601 Warning `exec_command` runs a shell command on the remote host; check for injection [confidence High]
              entered 8:33 `request.args` enters here
            13:5 LOOM621 Error Command built from `request.args` reaches `.send_command`; pass an argument list and validate it [confidence High]
              entered 13:33 `request.args` enters here
        "#]],
    );
}

#[test]
fn netmiko_commands_on_a_connection_made_elsewhere() {
    // The connection is an attribute or a parameter; the twins send a
    // constant command, or a method of that name in a file without netmiko.
    check(
        &format!(
            "{VIEW}import netmiko\n\nclass Switch:\n    def __init__(self, device):\n        self.conn = netmiko.ConnectHandler(**device)\n\n    \
             def show(self):\n        return self.conn.send_command('show ' + request.args['what'])\n\n    \
             def version(self):\n        return self.conn.send_command('show version')\n\n\
             def configure(conn):\n    conn.send_config_set([request.form['line']])\n"
        ),
        expect![[r#"
            10:16 LOOM621 Error Command built from `request.args` reaches `.send_command`; pass an argument list and validate it [confidence High]
              entered 10:49 `request.args` enters here
            16:5 LOOM621 Error Command built from `request.form` reaches `.send_config_set`; pass an argument list and validate it [confidence High]
              entered 16:27 `request.form` enters here
        "#]],
    );
    check(&format!("{VIEW}import socket\n\ndef run(bot):\n    bot.send_command('say ' + request.args['x'])\n"), expect![[r#""#]]);
}

#[test]
fn mongodb_filters_from_the_clients_query_made_one_mapping() {
    // `?$ne=x` gives `{"$ne": "x"}`: each value is a string, a key may be an operator.
    check(
        &format!(
            "{VIEW}import pymongo\n\ndef find(db):\n    db.users.find(request.args.to_dict())\n    db.users.find_one({{'name': dict(request.form)}})\n\n\
             def silent(db, obj):\n    db.users.find({{'name': request.args.get('name')}})\n    db.users.find(dict(name=request.args['name']))\n    \
             db.users.find(obj.to_dict())\n    db.users.find(dict())\n"
        ),
        expect![[r#"
            6:5 LOOM642 Warning MongoDB filter from `request.args` as a mapping (`to_dict()`) reaches `.find`: an operator in it (`{"$ne": ""}`) matches every document; build the filter from checked values [confidence High]
              entered 6:19 `request.args` as a mapping (`to_dict()`) enters here
            7:5 LOOM642 Warning MongoDB filter from `request.form` as a mapping (`dict()`) reaches `.find_one`: an operator in it (`{"$ne": ""}`) matches every document; build the filter from checked values [confidence High]
              entered 7:37 `request.form` as a mapping (`dict()`) enters here
        "#]],
    );
    check(
        "import pymongo\nfrom django.http import JsonResponse\n\ndef view(request, db):\n    db.users.find(request.GET.dict())\n\ndef silent(request, db):\n    db.users.find({'name': request.GET['name']})\n",
        expect![[r#"
            5:5 LOOM642 Warning MongoDB filter from `request.GET` as a mapping (`dict()`) reaches `.find`: an operator in it (`{"$ne": ""}`) matches every document; build the filter from checked values [confidence High]
              entered 5:19 `request.GET` as a mapping (`dict()`) enters here
        "#]],
    );
}

#[test]
fn mongodb_filters_from_the_clients_json() {
    check(
        &format!(
            "{VIEW}import pymongo\n\ndef find(db):\n    db.users.find(request.get_json())\n    db.users.find_one({{'name': request.json['name'], 'password': request.json['password']}})\n\ndef silent(db):\n    db.users.find({{'name': request.args['name']}})\n    db.users.find({{'name': 'admin'}})\n"
        ),
        expect![[r#"
            6:5 LOOM642 Warning MongoDB filter from `request` reaches `.find`: an operator in it (`{"$ne": ""}`) matches every document; build the filter from checked values [confidence High]
              entered 6:19 `request` enters here
            7:5 LOOM642 Warning MongoDB filter from `request.json` reaches `.find_one`: an operator in it (`{"$ne": ""}`) matches every document; build the filter from checked values [confidence High]
              entered 7:32 `request.json` enters here
        "#]],
    );
}

#[test]
fn cloud_clients_pointed_at_the_clients_url() {
    check(
        &format!(
            "{VIEW}import boto3\nfrom azure.storage.blob import BlobServiceClient\n\ndef clients():\n    boto3.client('s3', endpoint_url=request.args['u'])\n    BlobServiceClient(account_url=request.args['u'])\n\ndef silent():\n    boto3.client('s3', endpoint_url='https://s3.example.com')\n    boto3.client(request.args['service'])\n"
        ),
        expect![[r#"
            7:5 LOOM624 Warning URL from `request.args` reaches `boto3.client`; it may use `file://` or reach internal hosts [confidence High]
              entered 7:37 `request.args` enters here
            8:5 LOOM624 Warning URL from `request.args` reaches `azure.storage.blob.BlobServiceClient`; it may use `file://` or reach internal hosts [confidence High]
              entered 8:35 `request.args` enters here
        "#]],
    );
}

#[test]
fn cookies_without_their_flags() {
    check(
        "from flask import make_response\n\ndef view(token):\n    resp = make_response('ok')\n    resp.set_cookie('sid', token)\n    resp.set_cookie('sid', token, secure=True)\n    resp.set_cookie('sid', token, secure=True, httponly=True, samesite='Lax')\n    resp.set_cookie('sid', token, **COOKIE_FLAGS)\n    return resp\n",
        expect![[r#"
            5:5 LOOM709 Warning A cookie set without `secure=True` and `httponly=True`: it may be sent over plain HTTP or read by the page's scripts [confidence Medium]
            6:5 LOOM709 Warning A cookie set without `httponly=True`: it may be sent over plain HTTP or read by the page's scripts [confidence Medium]
        "#]],
    );
}

#[test]
fn tls_contexts_that_accept_old_versions() {
    check(
        "import ssl\n\nold = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\nctx.minimum_version = ssl.TLSVersion.TLSv1\nctx.minimum_version = ssl.TLSVersion.TLSv1_2\nctx.maximum_version = ssl.TLSVersion.TLSv1_1\nctx.maximum_version = ssl.TLSVersion.TLSv1_3\n\
         ctx.options &= ~ssl.OP_NO_TLSv1\nctx.options &= ~(ssl.OP_NO_TLSv1_1 | ssl.OP_NO_TLSv1)\nctx.options |= ssl.OP_NO_TLSv1\nctx.options &= ~ssl.OP_NO_COMPRESSION\nctx.flags &= ~ssl.OP_NO_TLSv1\n",
        expect![[r#"
            3:7 LOOM502 Warning `PROTOCOL_TLSv1` is an insecure SSL/TLS version; use TLS 1.2 or later [confidence High]
            5:1 LOOM502 Warning The TLS context accepts `TLSv1`, before TLS 1.2; set `minimum_version = ssl.TLSVersion.TLSv1_2` [confidence High]
            7:1 LOOM502 Warning The TLS context is capped at `TLSv1_1`, before TLS 1.2; set `maximum_version` to `ssl.TLSVersion.TLSv1_2` or later [confidence High]
            9:1 LOOM502 Warning Clearing `OP_NO_TLSv1` makes the TLS context accept `TLSv1` again, before TLS 1.2; set `minimum_version = ssl.TLSVersion.TLSv1_2` [confidence High]
            10:1 LOOM502 Warning Clearing `OP_NO_TLSv1` makes the TLS context accept `TLSv1` again, before TLS 1.2; set `minimum_version = ssl.TLSVersion.TLSv1_2` [confidence High]
        "#]],
    );
}

#[test]
fn passwords_hashed_with_a_fast_hash() {
    check(
        "import hashlib\n\ndef store(user, password, data):\n    user.hash = hashlib.sha256(password.encode()).hexdigest()\n    digest = hashlib.sha256(data).hexdigest()\n    return hashlib.pbkdf2_hmac('sha256', password.encode(), user.salt, 600_000)\n",
        expect![[r#"
            4:17 LOOM643 Warning A password hashed with `hashlib.sha256`, which is fast to guess; use a key derivation function (`hashlib.scrypt`, argon2, bcrypt) [confidence Medium]
        "#]],
    );
}

#[test]
fn regular_expressions_that_check_hosts_or_tags_wrongly() {
    check(
        "import re\n\ndef ok(url, name, html):\n    re.match(r'https?://example.com', url)\n    re.match(r'^[A-z]+$', name)\n    re.sub(r'<script.*?>', '', html)\n    re.match(r'^https://example\\.com(/.*)?$', url)\n",
        expect![[r#"
            4:14 LOOM651 Warning `.` in `example.com` matches any character, not only a dot; escape it (`\.`) [confidence Medium]
            4:14 LOOM652 Warning `re.match` checks a URL or host without `$` at the end: `https://example.com.evil.net` passes; anchor it or compare the parsed host [confidence Medium]
            5:14 LOOM650 Warning `A-z` also matches `[\]^_` and a backtick, which lie between `Z` and `a`; write `A-Za-z` [confidence Medium]
            6:12 LOOM653 Warning A regular expression that filters `<script>` tags misses other ways to run script (`<img onerror>`, `<scr<script>ipt>`); escape the output or use an HTML sanitiser [confidence Medium]
        "#]],
    );
}

#[test]
fn regular_expressions_the_client_writes() {
    // Twins: an escaped pattern, a constant one, the text searched (not the
    // pattern) from the client, and a pattern the program's own user types.
    check(
        &format!(
            "{VIEW}import re, sys\n\ndef search(items):\n    q = request.args['q']\n    re.search(q, items)\n    rx = re.compile('^' + request.args['prefix'])\n    re.sub(pattern=request.form['p'], repl='', string=items)\n\ndef silent(items):\n    re.search(re.escape(request.args['q']), items)\n    re.search(r'^[a-z]+$', request.args['q'])\n    re.compile(sys.argv[1])\n"
        ),
        expect![[r#"
            7:5 LOOM647 Warning Regular expression from `request.args` reaches `re.search`: a pattern the client writes may backtrack for minutes (`(a+)+$`); escape it (`re.escape`) or match the text literally [confidence High]
              entered 6:9 `request.args` enters here
            8:10 LOOM647 Warning Regular expression from `request.args` reaches `re.compile`: a pattern the client writes may backtrack for minutes (`(a+)+$`); escape it (`re.escape`) or match the text literally [confidence High]
              entered 8:27 `request.args` enters here
            9:5 LOOM647 Warning Regular expression from `request.form` reaches `re.sub`: a pattern the client writes may backtrack for minutes (`(a+)+$`); escape it (`re.escape`) or match the text literally [confidence High]
              entered 9:20 `request.form` enters here
        "#]],
    );
}

#[test]
fn client_data_written_to_a_log_as_it_is() {
    // Twins: line breaks removed, `repr`, a value from the process, a
    // constant, and a logger's name that is not one (`math.log`).
    check(
        &format!(
            "{VIEW}import logging, math, os\nlogger = logging.getLogger(__name__)\n\ndef login(app):\n    name = request.form['name']\n    logger.info('login failed for %s', name)\n    logging.warning(f\"bad token {{request.args['t']}}\")\n    app.logger.error('user: ' + name)\n\ndef silent():\n    name = request.form['name']\n    logger.info('login failed for %s', name.replace('\\n', ''))\n    logger.info('login failed for %s', repr(name))\n    logger.info('home is %s', os.environ['HOME'])\n    logger.info('started')\n    math.log(len(name))\n"
        ),
        expect![[r#"
            8:5 LOOM648 Warning `request.form` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 7:12 `request.form` enters here
            9:5 LOOM648 Warning `request.args` is written to the log by `logging.warning` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 9:34 `request.args` enters here
            10:5 LOOM648 Warning `request.form` is written to the log by `app.logger.error` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 7:12 `request.form` enters here
        "#]],
    );
}

#[test]
fn client_containers_logged_with_s_are_reprs_of_their_items() {
    // `str` of a dict or list reprs each item (a line break comes out as
    // `\n`); twins: an item of one, and request headers, written as lines.
    check(
        &format!(
            "{VIEW}import logging\nlogger = logging.getLogger(__name__)\n\ndef view():\n    \
             logger.info('request: %s', dict(request.args))\n    logger.info('env: %s', request.environ)\n    \
             logger.info('names: %s', request.args.getlist('n'))\n    logger.info('%s %s', [request.args['a']], request.args['n'])\n    \
             logger.info('headers: %s', request.headers)\n"
        ),
        expect![[r#"
            10:5 LOOM648 Warning `request.args` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 10:47 `request.args` enters here
            11:5 LOOM648 Warning `request.headers` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 11:32 `request.headers` enters here
        "#]],
    );
}

#[test]
fn a_request_url_is_percent_encoded_for_a_log_but_its_path_is_not() {
    // WebOb and werkzeug build `request.url` percent-encoded; the path and
    // the arguments are the client's text, and so is Starlette's URL.
    check(
        "import logging\nlogger = logging.getLogger(__name__)\n\ndef handle_request(request):\n    logger.debug('no route matched for url %s' % request.url)\n    logger.debug('no route matched for path %s' % request.path)\n",
        expect![[r#"
            6:5 LOOM648 Warning `request.path` is written to the log by `logger.debug` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 6:51 `request.path` enters here
        "#]],
    );
    check(
        "import logging\nfrom starlette.requests import Request\nlogger = logging.getLogger(__name__)\n\ndef handle_request(request: Request):\n    logger.debug('no route matched for url %s' % request.url)\n",
        expect![[r#"
            6:5 LOOM648 Warning `request.url` is written to the log by `logger.debug` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 6:50 `request.url` enters here
        "#]],
    );
}

#[test]
fn what_the_server_parsed_of_a_request_has_no_line_break_for_a_log() {
    // The method (a token of the request line), the peer's address and the
    // scheme, as attributes or WSGI keys, under Flask's own name or an
    // alias; what the client writes (a header) is still its text, and a
    // method is no constant for a shell (`$`, `|` and `'` are token
    // characters). A Django view's method stays its parameter's (no new
    // source: no HTML finding).
    check(
        "import logging\nimport os\nfrom django.http import HttpResponse\nfrom flask import request as freq\nlogger = logging.getLogger(__name__)\n\n\
         def dj(request):\n    logger.info('%s %s', request.method, request.META['REMOTE_ADDR'])\n    logger.info('%s', request.META['HTTP_USER_AGENT'])\n\n\
         def fl():\n    logger.info('%s %s %s', freq.method, freq.remote_addr, freq.scheme)\n    logger.info('%s', freq.headers['User-Agent'])\n    os.system('echo ' + freq.method)\n\n\
         def page(request):\n    return HttpResponse('method: %s' % request.method)\n",
        expect![[r#"
            9:5 LOOM648 Warning `request.META` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 9:23 `request.META` enters here
            13:5 LOOM648 Warning `request.headers` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 13:23 `request.headers` enters here
            14:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
              entered 14:25 `request` enters here
        "#]],
    );
}

#[test]
fn client_data_logged_through_repr_or_as_a_digest() {
    // `!r`, `%r`, `%-10r` and a hex digest write no line break; twins:
    // `!s`, the `%s` beside a `%r`, and one after a `*` width, which takes
    // a value of its own.
    check(
        &format!(
            "{VIEW}import hashlib, logging\nlogger = logging.getLogger(__name__)\n\ndef silent():\n    name = request.args['n']\n    \
             logger.info(f'user {{name!r}}')\n    logger.info('user %r', name)\n    logger.info('%d%% %-10r', 1, name)\n    \
             logger.info('hash %s', hashlib.sha256(name.encode()).hexdigest())\n\n\
             def reported():\n    name = request.args['n']\n    logger.info(f'user {{name!s}}')\n    logger.info('%r %s', 1, name)\n    \
             logger.info('%*s %r', 5, name, 1)\n"
        ),
        expect![[r#"
            15:5 LOOM648 Warning `request.args` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 14:12 `request.args` enters here
            16:5 LOOM648 Warning `request.args` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 14:12 `request.args` enters here
            17:5 LOOM648 Warning `request.args` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 14:12 `request.args` enters here
        "#]],
    );
}

#[test]
fn tls_contexts_that_negotiate_the_version_without_a_minimum() {
    // Low (hidden by default): Python 3.10 and later set a minimum of TLS 1.2.
    check_with(
        "import ssl\nfrom OpenSSL import SSL\n\ndef flexible():\n    return ssl.SSLContext(ssl.PROTOCOL_TLS), ssl.SSLContext(), SSL.Context(SSL.TLS_METHOD)\n\n\
         def minimum():\n    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS)\n    ctx.minimum_version = ssl.TLSVersion.TLSv1_2\n    return ctx\n\n\
         def options():\n    ctx = ssl.SSLContext(ssl.PROTOCOL_SSLv23)\n    ctx.options |= ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1\n    return ctx\n\n\
         def client():\n    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n\n\
         def cleared():\n    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS)\n    ctx.options &= ~ssl.OP_NO_TLSv1\n    return ctx\n",
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            5:12 LOOM502 Warning A TLS context made with `PROTOCOL_TLS` accepts TLS 1.0 and 1.1 unless a minimum is set (Python before 3.10, pyOpenSSL); set `minimum_version = ssl.TLSVersion.TLSv1_2` or use `ssl.create_default_context()` [confidence Low]
            5:46 LOOM502 Warning A TLS context made with `PROTOCOL_TLS` accepts TLS 1.0 and 1.1 unless a minimum is set (Python before 3.10, pyOpenSSL); set `minimum_version = ssl.TLSVersion.TLSv1_2` or use `ssl.create_default_context()` [confidence Low]
            5:64 LOOM502 Warning A TLS context made with `TLS_METHOD` accepts TLS 1.0 and 1.1 unless a minimum is set (Python before 3.10, pyOpenSSL); set `minimum_version = ssl.TLSVersion.TLSv1_2` or use `ssl.create_default_context()` [confidence Low]
            21:11 LOOM502 Warning A TLS context made with `PROTOCOL_TLS` accepts TLS 1.0 and 1.1 unless a minimum is set (Python before 3.10, pyOpenSSL); set `minimum_version = ssl.TLSVersion.TLSv1_2` or use `ssl.create_default_context()` [confidence Low]
            22:5 LOOM502 Warning Clearing `OP_NO_TLSv1` makes the TLS context accept `TLSv1` again, before TLS 1.2; set `minimum_version = ssl.TLSVersion.TLSv1_2` [confidence High]
        "#]],
    );
}

#[test]
fn passwords_hashed_in_steps_or_under_a_short_name() {
    check(
        "import hashlib\nfrom Crypto.Hash import SHA256\n\ndef store(user, pw, compass, data):\n    h = hashlib.sha256()\n    h.update(pw.encode())\n    \
         user.digest = SHA256.new(user.pass_word.encode()).hexdigest()\n    g = hashlib.sha256()\n    g.update(data)\n    g.update(compass)\n    \
         return hashlib.scrypt(pw.encode(), salt=user.salt, n=2**14, r=8, p=1)\n",
        expect![[r#"
            6:5 LOOM643 Warning A password hashed with `hashlib.sha256`, which is fast to guess; use a key derivation function (`hashlib.scrypt`, argon2, bcrypt) [confidence Medium]
            7:19 LOOM643 Warning A password hashed with `Crypto.Hash.SHA256.new`, which is fast to guess; use a key derivation function (`hashlib.scrypt`, argon2, bcrypt) [confidence Medium]
        "#]],
    );
}

#[test]
fn passwords_named_in_other_words() {
    check(
        "import hashlib\n\ndef store(user, newPassword, old_passwd2, user_passwords):\n    hashlib.sha256(newPassword.encode())\n    \
         hashlib.md5(old_passwd2)\n    hashlib.sha1(user_passwords[0])\n",
        expect![[r#"
            4:5 LOOM643 Warning A password hashed with `hashlib.sha256`, which is fast to guess; use a key derivation function (`hashlib.scrypt`, argon2, bcrypt) [confidence Medium]
            5:5 S324 Warning Probable use of insecure hash functions in `hashlib`: `md5`
            5:5 LOOM643 Warning A password hashed with `hashlib.md5`, which is fast to guess; use a key derivation function (`hashlib.scrypt`, argon2, bcrypt) [confidence Medium]
            6:5 S324 Warning Probable use of insecure hash functions in `hashlib`: `sha1`
            6:5 LOOM643 Warning A password hashed with `hashlib.sha1`, which is fast to guess; use a key derivation function (`hashlib.scrypt`, argon2, bcrypt) [confidence Medium]
        "#]],
    );
}

#[test]
fn names_about_a_password_that_hold_none() {
    // A URL, a length, a flag, a field's name, a word that only starts with one.
    check(
        "import hashlib\n\ndef key(password_reset_url, password_min_length, passwordless, user):\n    \
         hashlib.sha256(password_reset_url.encode())\n    hashlib.sha256(str(password_min_length).encode())\n    \
         hashlib.md5(passwordless)\n    hashlib.sha256(user.password_required)\n    hashlib.sha1(user['password_field_name'])\n",
        expect![[r#"
            6:5 S324 Warning Probable use of insecure hash functions in `hashlib`: `md5` [fix Unsafe: Mark as not used for security (`usedforsecurity=False`)]
            8:5 S324 Warning Probable use of insecure hash functions in `hashlib`: `sha1` [fix Unsafe: Mark as not used for security (`usedforsecurity=False`)]
        "#]],
    );
}

#[test]
fn compiled_host_patterns_matched_without_anchors() {
    check(
        "import re\n\nHOST = re.compile(r'^https://[a-z]+\\.example\\.com')\nEXACT = re.compile(r'^https://[a-z]+\\.example\\.com/.*$')\n\n\
         def check(url):\n    local = re.compile(r'example\\.com')\n    return HOST.match(url), local.search(url), HOST.fullmatch(url), EXACT.match(url), re.compile(r'^[0-9]+').match(url)\n",
        expect![[r#"
            8:12 LOOM652 Warning `.match` checks a URL or host with a pattern without `$` at the end: `https://example.com.evil.net` passes; anchor it or compare the parsed host [confidence Medium]
            8:29 LOOM652 Warning `.search` checks a URL or host with a pattern without `^` and `$`: `https://example.com.evil.net` passes; anchor it or compare the parsed host [confidence Medium]
        "#]],
    );
}

#[test]
fn ranges_across_kinds_of_characters() {
    check(
        "import re\n\ndef check(email, text):\n    re.match(r'^[\\w.-_]+@example\\.com$', email)\n    re.match(r'^[0-z]+$', text)\n    \
         re.match(r'^[a-z0-9._-]+$', text)\n    re.match(r'^[!-~]+$', text)\n    re.match(r'^[\\x20-\\x7e]+$', text)\n",
        expect![[r#"
            4:14 LOOM650 Warning `.-_` is a range from `.` to `_`, which also matches digits, capitals, other signs; escape the `-` or put it last to mean the characters [confidence Medium]
            5:14 LOOM650 Warning `0-z` is a range from `0` to `z`, which also matches digits, capitals, small letters, other signs; escape the `-` or put it last to mean the characters [confidence Medium]
        "#]],
    );
}

#[test]
fn lxml_parsers_that_resolve_no_entities() {
    check(
        "from lxml import etree\n\ndef parse(data):\n    parser = etree.XMLParser(resolve_entities=False)\n    etree.fromstring(data, parser)\n    \
         etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))\n    etree.fromstring(data)\n    \
         etree.fromstring(data, etree.XMLParser(resolve_entities=True))\n",
        expect![[r#"
            7:5 LOOM320 Warning `lxml.etree.fromstring` is open to XML attacks; use `defusedxml` [confidence High]
            8:5 LOOM320 Warning `lxml.etree.fromstring` is open to XML attacks; use `defusedxml` [confidence High]
            8:61 LOOM320 Warning `XMLParser` with `resolve_entities=True` reads the document's external entities (XXE: local files, URLs); pass `resolve_entities=False` [confidence High]
        "#]],
    );
}

#[test]
fn a_shell_quoted_word_is_no_query_and_no_path() {
    check(
        "import os, shlex, sqlite3\nfrom flask import request\n\ndef view():\n    name = shlex.quote(request.args['name'])\n    \
         os.system('ls ' + name)\n    sqlite3.connect('db').execute(\"SELECT * FROM t WHERE n = '%s'\" % name)\n    return open('/srv/' + name).read()\n",
        expect![[r#"
            7:35 S608 Warning Possible SQL injection vector through string-based query construction [confidence High] [fix Unsafe: Pass the values as query parameters]
              entered 5:24 `request.args` enters here
            8:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 5:24 `request.args` enters here
        "#]],
    );
}

#[test]
fn archives_unpacked_without_a_filter() {
    check(
        "import shutil\n\ndef unpack(archive, folder):\n    shutil.unpack_archive(archive, folder)\n    shutil.unpack_archive(archive, folder, filter='data')\n    \
         shutil.unpack_archive('bundled.tar.gz', folder)\n",
        expect![[r#"
            4:5 LOOM202 Warning `shutil.unpack_archive` writes a tar archive's members where their names point (`../`, absolute paths, links); pass `filter="data"` [confidence Medium]
        "#]],
    );
}

#[test]
fn what_the_database_holds_is_no_request_data() {
    let source = "import os, sqlite3\nfrom flask import request\nfrom django.shortcuts import get_object_or_404\nfrom docs.models import Doc\n\n\
                  def show(conn):\n    row = conn.execute('SELECT path FROM f WHERE id = ?', (request.args['id'],)).fetchone()\n    open(row[0])\n    \
                  for r in conn.execute('SELECT path FROM f WHERE o = ?', (request.args['o'],)).fetchall():\n        open(r[0])\n    \
                  os.system('cat ' + row[0])\n    open(request.args['p'])\n\n\
                  def view(request):\n    doc = Doc.objects.get(pk=request.GET['id'])\n    open(doc.path)\n    \
                  other = get_object_or_404(Doc, pk=request.GET['id'])\n    open(other.path)\n    open(request.GET['path'])\n";
    check(
        source,
        expect![[r#"
            12:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 12:10 `request.args` enters here
            19:5 LOOM626 Warning File path from `request.GET` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 19:10 `request.GET` enters here
        "#]],
    );
    check_with(
        source,
        LintSettings { confidence: Confidence::Low, ..LintSettings::default() },
        expect![[r#"
            11:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low]
              entered 7:11 a database row (`fetchone()`) enters here
            12:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 12:10 `request.args` enters here
            19:5 LOOM626 Warning File path from `request.GET` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 19:10 `request.GET` enters here
        "#]],
    );
}

#[test]
fn log_values_formatted_by_key_with_r_are_reprs() {
    check(
        &format!(
            "{VIEW}import logging\nlogger = logging.getLogger(__name__)\n\ndef login():\n    name = request.form['name']\n    \
             logger.info('login failed for %(name)r', {{'name': name}})\n    logger.info('%(name)r from %(ip)s', {{'name': name, 'ip': request.form['ip']}})\n    \
             logger.info('%(name)r then %(name)s', {{'name': name}})\n    logger.info('%(name)s', {{'name': name}})\n    logger.info('%(name)r', request.form)\n"
        ),
        expect![[r#"
            9:5 LOOM648 Warning `request.form` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 9:62 `request.form` enters here
            10:5 LOOM648 Warning `request.form` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 7:12 `request.form` enters here
            11:5 LOOM648 Warning `request.form` is written to the log by `logger.info` as it is: a line break in it forges log entries; remove line breaks (`.replace("\n", "")`) or log it with `%r` [confidence High]
              entered 7:12 `request.form` enters here
        "#]],
    );
}

#[test]
fn fastapi_file_and_html_responses() {
    check(
        "import os\nfrom fastapi import FastAPI\nfrom fastapi.responses import FileResponse, HTMLResponse\nfrom html import escape\n\napp = FastAPI()\nBASE = '/srv/files'\n\n\
         @app.get('/download')\ndef download(name: str):\n    return FileResponse(os.path.join(BASE, name))\n\n\
         @app.get('/hello', response_class=HTMLResponse)\ndef hello(name: str):\n    return HTMLResponse(f'<h1>Hello {name}</h1>')\n\n\
         @app.get('/page', response_class=HTMLResponse)\ndef page(name: str):\n    return f'<h1>Hello {name}</h1>'\n\n\
         @app.get('/safe')\ndef safe(name: str):\n    FileResponse(os.path.join(BASE, os.path.basename(name)))\n    HTMLResponse(f'<h1>Hello {escape(name)}</h1>')\n    return f'<h1>Hello {name}</h1>'\n",
        expect![[r#"
            11:12 LOOM626 Warning File path from route parameter `name` reaches `fastapi.responses.FileResponse`; it may leave the intended folder (`../`) [confidence High]
              entered 10:14 route parameter `name` enters here
            15:12 LOOM625 Warning HTML built from route parameter `name` reaches `HTMLResponse` unescaped; escape it or render a template [confidence High]
              entered 14:11 route parameter `name` enters here
            19:12 LOOM625 Warning HTML built from route parameter `name` reaches `return` unescaped; escape it or render a template [confidence High]
              entered 18:10 route parameter `name` enters here
        "#]],
    );
}

#[test]
fn an_upload_saved_under_the_clients_file_name() {
    check(
        &format!(
            "{VIEW}import os\nfrom werkzeug.utils import secure_filename\n\ndef upload():\n    f = request.files['f']\n    f.save(os.path.join('/srv/uploads', f.filename))\n\n\
             def silent(name):\n    f = request.files['f']\n    f.save(os.path.join('/srv/uploads', secure_filename(f.filename)))\n    f.save('/srv/uploads/latest')\n    f.save(os.path.join('/srv/uploads', name))\n"
        ),
        expect![[r#"
            8:5 LOOM626 Warning File path from `request.files` reaches `.save`; it may leave the intended folder (`../`) [confidence High]
              entered 7:9 `request.files` enters here
        "#]],
    );
}

#[test]
fn a_file_object_given_where_a_path_may_go_is_no_path() {
    check(
        &format!(
            "{VIEW}import io\nimport gridfs\nfrom flask import send_file\n\ndef silent(db):\n    send_file(io.BytesIO(request.args['t'].encode()), mimetype='text/plain')\n    fs = gridfs.GridFS(db, request.args['coll'])\n    data = fs.get(request.args['id'])\n    return send_file(data, download_name=data.filename)\n\n\
             def reported():\n    return send_file(request.args['path'])\n"
        ),
        expect![[r#"
            14:12 LOOM626 Warning File path from `request.args` reaches `flask.send_file`; it may leave the intended folder (`../`) [confidence High]
              entered 14:22 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_file_opened_by_a_path_sink_is_reported_once_at_the_open() {
    // `FileResponse` is given the open file; the path reached `open`.
    // Twin: `FileResponse` given the path itself.
    check(
        "from django.http import FileResponse\n\ndef view(request):\n    name = request.GET['f']\n    \
         return FileResponse(open('/srv/' + name, 'rb'))\n\ndef other(request):\n    return FileResponse('/srv/' + request.GET['f'])\n",
        expect![[r#"
            5:25 LOOM626 Warning File path from `request.GET` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 4:12 `request.GET` enters here
            8:12 LOOM626 Warning File path from `request.GET` reaches `django.http.FileResponse`; it may leave the intended folder (`../`) [confidence High]
              entered 8:35 `request.GET` enters here
        "#]],
    );
}

#[test]
fn a_mongodb_filter_of_a_string_holds_no_operator() {
    check(
        &format!(
            "{VIEW}import pymongo\n\ndef silent(db):\n    name = str(request.get_json()['name'])\n    return db.users.find({{'name': name}})\n\n\
             def reported(db):\n    return db.users.find({{'name': request.get_json()['name']}})\n"
        ),
        expect![[r#"
            10:12 LOOM642 Warning MongoDB filter from `request` reaches `.find`: an operator in it (`{"$ne": ""}`) matches every document; build the filter from checked values [confidence High]
              entered 10:35 `request` enters here
        "#]],
    );
}

#[test]
fn a_remote_command_is_as_sure_as_its_data() {
    // Reported whatever the data (a parameter, the program's own value:
    // medium), high from a request, low once quoted for the remote shell;
    // a client made by a helper of the file is the same client.
    check(
        &format!(
            "{VIEW}import shlex\nimport paramiko\n\ndef client():\n    c = paramiko.SSHClient()\n    c.load_system_host_keys()\n    return c\n\n\
             def quoted():\n    client().exec_command('ls ' + shlex.quote(request.args['dir']))\n\n\
             def injected():\n    client().exec_command('ls ' + request.args['dir'])\n\n\
             def given(cmd):\n    client().exec_command(cmd)\n"
        ),
        expect![[r#"
            15:5 LOOM601 Warning `exec_command` runs a shell command on the remote host; check for injection [confidence High]
              entered 15:35 `request.args` enters here
            18:5 LOOM601 Warning `exec_command` runs a shell command on the remote host; check for injection [confidence Medium]
              entered 17:11 parameter `cmd` enters here
        "#]],
    );
}
