//! Fixture tests for the security checks of web frameworks, keys and
//! lookups by name: each with the cases that must stay silent.

use expect_test::expect;

use super::tests::check;

#[test]
fn web_protections_turned_off_and_secret_key_as_a_salt() {
    check(
        "from django.conf import settings\nfrom hashids import Hashids\n\
         Hashids(salt=settings.SECRET_KEY, min_length=8)\nHashids(settings.SECRET_KEY)\n\
         Hashids(salt=settings.HASHIDS_SALT)\nHashids(salt=md5.hexdigest())\n\
         TEMPLATES = [{'OPTIONS': {'autoescape': False}}]\ncontext = {'autoescape': True, 'name': 'x'}\n\
         options = {'autoescape': 'no'}\n\
         from django.views.decorators.csrf import csrf_exempt, csrf_protect\n@csrf_exempt\ndef hook(request):\n    pass\n\
         @csrf_protect\ndef form(request):\n    pass\n\
         from django.utils.safestring import SafeString\nfrom django.utils.html import html_safe\n\
         class Raw(SafeString):\n    pass\n@html_safe\nclass Card:\n    pass\nclass Plain(str):\n    pass\nLater = html_safe(Plain)\n\
         response.set_cookie('a', 'b', httponly=False, secure=False)\nresponse.set_cookie('a', 'b', secure=True, httponly=True)\n\
         response.set_cookie('a', 'b')\n",
        &["LOOM6", "LOOM7"],
        expect![[r#"
            3:1 LOOM636 Error `Hashids` salted with `SECRET_KEY`: the salt can be recovered from the ids it makes; use a salt of its own [confidence High]
            4:1 LOOM636 Error `Hashids` salted with `SECRET_KEY`: the salt can be recovered from the ids it makes; use a salt of its own [confidence High]
            7:27 LOOM705 Warning Autoescaping turned off: values reach the HTML unescaped (cross-site scripting) [confidence High]
            11:1 LOOM706 Warning `hook` is exempt from CSRF checks: another site can make a user's browser call it [confidence High]
            19:1 LOOM707 Warning `Raw` extends `SafeString`: what it renders skips autoescaping [confidence Medium]
            21:1 LOOM707 Warning `Card` is `@html_safe`: what it renders skips autoescaping [confidence Medium]
            26:9 LOOM707 Warning `html_safe` makes what the class renders skip autoescaping [confidence Medium]
            27:31 LOOM708 Warning A cookie set with `httponly=False` can be read by the page's scripts [confidence High]
            27:47 LOOM708 Warning A cookie set with `secure=False` is sent over plain HTTP too [confidence High]
            29:1 LOOM709 Warning A cookie set without `secure=True` and `httponly=True`: it may be sent over plain HTTP or read by the page's scripts [confidence Medium]
        "#]],
    );
}

#[test]
fn shell_calls_looked_up_by_name() {
    check(
        "import os\nfrom somewhere import something\n\
         getattr(os, 'system')(something())\n__import__('os').popen(something())\n\
         getattr(__import__('os'), 'system')('ls')\ngetattr(os, 'getcwd')()\ngetattr(os, name)(something())\n",
        &["LOOM6"],
        expect![[r#"
            3:1 LOOM605 Warning `os.system` looked up by name (`getattr`/`__import__`) runs a shell command out of sight of review [confidence High]
            4:1 LOOM605 Warning `os.popen` looked up by name (`getattr`/`__import__`) runs a shell command out of sight of review [confidence High]
            5:1 LOOM605 Warning `os.system` looked up by name (`getattr`/`__import__`) runs a shell command out of sight of review [confidence High]
        "#]],
    );
}

#[test]
fn pycryptodome_ecb_mode_and_weak_hashes() {
    check(
        "from Crypto.Cipher import AES\nfrom Cryptodome.Hash import SHA1, SHA256\n\
         AES.new(key, AES.MODE_ECB)\nAES.new(key, mode=AES.MODE_ECB)\nAES.new(key, AES.MODE_GCM)\n\
         SHA1.new(data)\nSHA256.new(data)\n",
        &["LOOM3", "S3"],
        expect![[r#"
            3:14 LOOM305 Warning `AES` in ECB mode encrypts equal blocks alike and leaks patterns; use GCM or CBC with a MAC [confidence High]
            4:19 LOOM305 Warning `AES` in ECB mode encrypts equal blocks alike and leaks patterns; use GCM or CBC with a MAC [confidence High]
            6:1 LOOM303 Warning `SHA1` is a broken hash for signatures and passwords; use SHA-256 or better [confidence High]
        "#]],
    );
}

#[test]
fn flask_secret_keys_written_into_the_code() {
    check(
        "import os\nfrom flask import Flask\napp = Flask(__name__)\n\
         app.secret_key = 'dev'\napp.config['SECRET_KEY'] = ''\napp.config.update(SECRET_KEY='changeme', DEBUG=False)\n\
         app.secret_key = os.environ['KEY']\napp.config['SECRET_KEY'] = 'Zq8#vL2!pX9@wR4$tY7^'\napp.config['DEBUG'] = 'x'\n",
        &["LOOM6", "LOOM9"],
        expect![[r#"
            4:18 LOOM637 Error Flask's secret key is hard-coded (`dev… (3 chars)`): anyone who reads the code can sign session cookies; load it from the environment [confidence High]
            5:28 LOOM637 Error Flask's secret key is empty: anyone who reads the code can sign session cookies; load it from the environment [confidence High]
            6:30 LOOM637 Error Flask's secret key is hard-coded (`chan… (8 chars)`): anyone who reads the code can sign session cookies; load it from the environment [confidence High]
            8:28 LOOM637 Error Flask's secret key is hard-coded (`Zq8#… (20 chars)`): anyone who reads the code can sign session cookies; load it from the environment [confidence High]
        "#]],
    );
}

#[test]
fn predictable_random_functions_ruff_does_not_name() {
    check(
        "import random, secrets\nrandom.getrandbits(128)\nrandom.normalvariate(0, 1)\nrandom.random()\n\
         random.SystemRandom().getrandbits(128)\nsecrets.randbits(128)\n",
        &["S311", "LOOM311"],
        expect![[r#"
            2:1 LOOM311 Info `random.getrandbits` is predictable; use `secrets` for tokens, keys and passwords [confidence High]
            3:1 LOOM311 Info `random.normalvariate` is predictable; use `secrets` for tokens, keys and passwords [confidence High]
            4:1 S311 Warning Standard pseudo-random generators are not suitable for cryptographic purposes
        "#]],
    );
}

#[test]
fn secrets_written_to_a_log() {
    check(
        "import logging\nlogger = logging.getLogger(__name__)\n\
         def bad(secret, api_key, user):\n    logger.info('secret: %s', secret)\n    logging.error(f'key {api_key} failed')\n    \
         logger.debug('pw ' + user.password)\n\
         def good(secret, password_length, user):\n    logger.info('secret used')\n    logger.info('length %d', password_length)\n    \
         logger.info('hashed %s', mask(secret))\n    logger.info('user %s', user.name)\n    print_it('x %s', secret)\n",
        &["LOOM644"],
        expect![[r#"
            4:5 LOOM644 Warning `secret` is written to the log in clear text: whoever reads the logs holds it; log that it was used, not its value [confidence Medium]
            5:5 LOOM644 Warning `api_key` is written to the log in clear text: whoever reads the logs holds it; log that it was used, not its value [confidence Medium]
            6:5 LOOM644 Warning `password` is written to the log in clear text: whoever reads the logs holds it; log that it was used, not its value [confidence Medium]
        "#]],
    );
}
