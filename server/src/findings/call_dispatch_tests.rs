//! The per-call checks that go by the callee's name answer most calls by
//! the last part of that name alone (`keys`, `weak_settings`,
//! `library_settings`): each case here reaches a check through a spelling
//! or a trigger that a dispatch declaring too few names, or only by the
//! callee's name, would lose; each twin is the same call the check clears.

use expect_test::expect;

use super::tests::check;

#[test]
fn keys_found_by_the_last_part_of_every_spelling_of_the_callee() {
    check(
        "import jwt, hashlib, logging\n\
         from flask import Flask\n\
         from Cryptodome.Cipher import AES\n\
         from cryptography.hazmat.primitives.ciphers import modes\n\
         app = Flask(__name__)\n\
         def f(token, password, key):\n\
         \x20   getattr(jwt, 'decode')(token, options={'verify_signature': False})\n\
         \x20   self._log.info('logged in with %s', password)\n\
         \x20   app.config.update(SECRET_KEY='s3cr3t-value')\n\
         \x20   AES.new(b'0123456789abcdef', AES.MODE_CBC, b'fedcba9876543210')\n\
         \x20   modes.CBC(b'fedcba9876543210')\n\
         \x20   hashlib.pbkdf2_hmac('sha256', password, b'pepper', 100_000)\n\
         \x20   getattr(jwt, 'decode')(token, key, algorithms=['HS256'])\n\
         \x20   self._log.info('logged in as %s', user)\n\
         \x20   app.config.update(SECRET_KEY=key)\n\
         \x20   AES.new(key, AES.MODE_GCM)\n",
        &["LOOM"],
        expect![[r#"
            7:64 LOOM635 Error `jwt.decode` without checking the signature accepts forged tokens [confidence High]
            8:5 LOOM644 Warning `password` is written to the log in clear text: whoever reads the logs holds it; log that it was used, not its value [confidence Medium]
            9:34 LOOM637 Error Flask's secret key is hard-coded (`s3cr… (12 chars)`): anyone who reads the code can sign session cookies; load it from the environment [confidence High]
            10:13 LOOM633 Error `AES.new` encrypts with a hard-coded key (`0123… (16 chars)`); load the key from a secret store [confidence High]
            10:48 LOOM645 Warning `AES.new` is given a hard-coded IV or nonce (`fedc… (16 chars)`): equal messages encrypt alike and a stream mode repeats its key stream; draw one per message (`os.urandom`) [confidence High]
            11:15 LOOM645 Warning `modes.CBC` is given a hard-coded IV or nonce (`fedc… (16 chars)`): equal messages encrypt alike and a stream mode repeats its key stream; draw one per message (`os.urandom`) [confidence High]
            12:45 LOOM646 Warning `hashlib.pbkdf2_hmac` is given a salt written into the code (`pepp… (6 chars)`): every password gets the same one, so one table of guesses serves them all; draw one per password (`os.urandom(16)`) and store it beside the hash [confidence High]
        "#]],
    );
}

#[test]
fn weak_settings_found_by_name_keyword_or_method() {
    check(
        "import ssl, hashlib, secrets\n\
         from django.http import HttpResponse\n\
         def f(password, responses, make, token):\n\
         \x20   make(ssl_version=ssl.PROTOCOL_SSLv3)\n\
         \x20   ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n\
         \x20   hashlib.md5(password.encode())\n\
         \x20   secrets.token_hex(8)\n\
         \x20   hashlib.pbkdf2_hmac('md5', password, salt, 100_000)\n\
         \x20   responses[0].set_cookie('sessionid', token)\n\
         \x20   make(ssl_version=ssl.PROTOCOL_TLSv1_2)\n\
         \x20   ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n\
         \x20   hashlib.md5(data)\n\
         \x20   secrets.token_hex(32)\n\
         \x20   responses[0].set_cookie('sessionid', token, secure=True, httponly=True)\n",
        &["LOOM"],
        expect![[r#"
            4:10 LOOM502 Warning `PROTOCOL_SSLv3` is an insecure SSL/TLS version; use TLS 1.2 or later [confidence Medium]
            5:5 LOOM502 Warning `PROTOCOL_TLSv1` is an insecure SSL/TLS version; use TLS 1.2 or later [confidence High]
            6:5 LOOM643 Warning A password hashed with `hashlib.md5`, which is fast to guess; use a key derivation function (`hashlib.scrypt`, argon2, bcrypt) [confidence Medium]
            7:5 LOOM662 Warning `token_hex` with 8 random bytes is short enough to guess; leave the default (32 bytes) or use at least 16 [confidence High]
            8:5 LOOM643 Warning `pbkdf2_hmac` over `md5`, a broken hash; derive with `sha256` or use `hashlib.scrypt` [confidence High]
            9:5 LOOM709 Warning A cookie set without `secure=True` and `httponly=True`: it may be sent over plain HTTP or read by the page's scripts [confidence Medium]
        "#]],
    );
}

#[test]
fn library_settings_found_by_method_whatever_the_receiver() {
    check(
        "from xmlrpc.server import SimpleXMLRPCServer\n\
         def f(servers, obj):\n\
         \x20   servers[0].register_instance(obj, allow_dotted_names=True)\n\
         \x20   servers[0].register_instance(obj)\n",
        &["LOOM"],
        expect![[r#"
            1:1 LOOM411 Error Import of `xmlrpc.server`: xmlrpc is open to XML attacks; use defusedxml.xmlrpc [confidence High]
            3:58 LOOM659 Error `register_instance` with `allow_dotted_names=True` lets clients reach the module's globals and run code; leave it off [confidence High]
        "#]],
    );
}

#[test]
fn security_calls_found_by_name_keyword_model_or_method() {
    check(
        "import os, ssl\n\
         from torch import load as restore\n\
         from Cryptodome.Hash import SHA1, SHA256\n\
         from django.http import HttpResponse\n\
         def f(sock, wrap, cmd, data, response, token):\n\
         \x20   wrap(sock, cert_reqs=ssl.CERT_NONE)\n\
         \x20   getattr(os, 'system')(cmd)\n\
         \x20   restore(data)\n\
         \x20   SHA1.new(data)\n\
         \x20   response.set_cookie('sessionid', token, secure=False)\n\
         \x20   wrap(sock, cert_reqs=ssl.CERT_REQUIRED)\n\
         \x20   getattr(os, 'getcwd')()\n\
         \x20   restore(data, weights_only=True)\n\
         \x20   SHA256.new(data)\n\
         \x20   response.set_cookie('sessionid', token, secure=True, httponly=True)\n",
        &["LOOM"],
        expect![[r#"
            6:5 LOOM501 Error `wrap` with `cert_reqs=CERT_NONE` does not check certificates [confidence High]
            7:5 LOOM605 Warning `os.system` looked up by name (`getattr`/`__import__`) runs a shell command out of sight of review [confidence High]
            8:5 LOOM614 Warning `torch.load` without `weights_only=True` can run arbitrary code from the file [confidence High] [fix Unsafe: Pass `weights_only=True`]
            9:5 LOOM303 Warning `SHA1` is a broken hash for signatures and passwords; use SHA-256 or better [confidence High]
            10:5 LOOM709 Warning A cookie set without `httponly=True`: it may be sent over plain HTTP or read by the page's scripts [confidence Medium]
            10:45 LOOM708 Warning A cookie set with `secure=False` is sent over plain HTTP too [confidence High]
        "#]],
    );
}
