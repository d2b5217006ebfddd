//! Fixture tests for API misuse whatever the data: HMACs compared with
//! `==` ([`super::mac_compare`]), tar members extracted without a filter
//! ([`super::archives`]), key derivations iterated too few times, random
//! tokens too short and the racy temporary names ([`super::weak_settings`], [`super::security`]);
//! each with the sound use beside it, which stays silent.

use expect_test::expect;

use super::tests::{check, check_every};

#[test]
fn hmacs_compared_with_equality() {
    check(
        "import hashlib, hmac\n\
         def verify(key, msg, signature):\n    expected = hmac.new(key, msg, hashlib.sha256).hexdigest()\n    if expected == signature:\n        return True\n    mac = hmac.new(key, msg, hashlib.sha256)\n    return signature != mac.digest() or hmac.digest(key, msg, 'sha256') == signature\n\
         def sound(key, msg, signature, blob, checksum):\n    expected = hmac.new(key, msg, hashlib.sha256).hexdigest()\n    if hmac.compare_digest(expected, signature):\n        return True\n    return hashlib.sha256(blob).hexdigest() == checksum\n",
        &["LOOM"],
        expect![[r#"
            4:8 LOOM660 Warning An HMAC compared with `==` takes longer the more of it matches, so a signature can be guessed byte by byte; use `hmac.compare_digest` [confidence High]
            7:12 LOOM660 Warning An HMAC compared with `==` takes longer the more of it matches, so a signature can be guessed byte by byte; use `hmac.compare_digest` [confidence High]
            7:41 LOOM660 Warning An HMAC compared with `==` takes longer the more of it matches, so a signature can be guessed byte by byte; use `hmac.compare_digest` [confidence High]
        "#]],
    );
}

#[test]
fn tar_members_extracted_without_a_filter() {
    check(
        "import tarfile, zipfile\n\
         def unpack(path, dest):\n    with tarfile.open(path) as tar:\n        for member in tar.getmembers():\n            tar.extract(member, dest)\n\
         archive = tarfile.open(upload)\narchive.extract('config.json', '/srv')\n\
         def checked(path, dest):\n    with tarfile.open(path) as tar:\n        for m in tar:\n            if os.path.isabs(m.name) or '..' in m.name:\n                return False\n        for m in tar:\n            tar.extract(m, dest)\n\
         def sound(path, dest):\n    with tarfile.open(path) as tar:\n        tar.extract('a.txt', dest, filter='data')\n    with zipfile.ZipFile(path) as tar:\n        tar.extract('a.txt', dest)\n",
        &["LOOM2", "S202"],
        expect![[r#"
            5:13 LOOM202 Warning `extract` writes the tar member where its name or link points (`../`, absolute paths, symlinks); pass `filter="data"` [confidence Medium]
            7:1 LOOM202 Warning `extract` writes the tar member where its name or link points (`../`, absolute paths, symlinks); pass `filter="data"` [confidence Medium]
        "#]],
    );
}

#[test]
fn archive_members_written_by_hand_under_their_own_names() {
    // `open(os.path.join(dest, member.filename), "wb")` writes `../x`
    // outside `dest` ("zip slip"); `extract` and `extractall` of a zip strip
    // `..` and roots from the names, so ruff's S202 on a zip's is low, on a
    // tar's stays. Twins: a zip's own `extract`, a read of the member, a
    // path not of the member, and names checked first (low).
    check_every(
        "import os, tarfile, zipfile\n\
         def by_info(path, dest):\n    with zipfile.ZipFile(path) as zf:\n        for member in zf.infolist():\n            target = os.path.join(dest, member.filename)\n            with open(target, 'wb') as out:\n                out.write(zf.read(member))\n\
         def by_name(path, dest):\n    tar = tarfile.open(path)\n    for name in tar.getnames():\n        open(os.path.join(dest, name), 'wb').write(tar.extractfile(name).read())\n\
         def checked(path, dest):\n    with zipfile.ZipFile(path) as zf:\n        for member in zf.infolist():\n            if '..' in member.filename:\n                continue\n            open(os.path.join(dest, member.filename), 'wb')\n\
         def sound(path, dest):\n    with zipfile.ZipFile(path) as zf:\n        for member in zf.infolist():\n            zf.extract(member, dest)\n            open(os.path.join(dest, member.filename), 'rb')\n            open(os.path.join(dest, 'index.txt'), 'w')\n        zf.extractall(dest)\n\
         def tar_all(path, dest):\n    with tarfile.open(path) as tar:\n        tar.extractall(dest)\n",
        &["LOOM2", "S202"],
        expect![[r#"
            6:18 LOOM202 Warning `open` writes an archive member where its name points (`../`, absolute paths); extract it with `extract` (which strips them from a zip's names; a tar's with `filter="data"`) or check the joined path stays in the folder [confidence Medium]
            11:9 LOOM202 Warning `open` writes an archive member where its name points (`../`, absolute paths); extract it with `extract` (which strips them from a zip's names; a tar's with `filter="data"`) or check the joined path stays in the folder [confidence Medium]
            17:13 LOOM202 Warning `open` writes an archive member where its name points (`../`, absolute paths); extract it with `extract` (which strips them from a zip's names; a tar's with `filter="data"`) or check the joined path stays in the folder [confidence Low]
            24:9 S202 Warning Uses of `tarfile.extractall()` [confidence Low]
            27:9 S202 Warning Uses of `tarfile.extractall()`
        "#]],
    );
}

#[test]
fn key_derivations_iterated_too_few_times() {
    check(
        "import hashlib\nfrom Crypto.Protocol.KDF import PBKDF2\nfrom cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC\n\
         def derive(password, salt):\n    rounds = 1000\n    a = hashlib.pbkdf2_hmac('sha256', password, salt, rounds)\n    b = PBKDF2(password, salt, 32)\n    c = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=5000)\n    return a, b, c\n\
         def sound(password, salt, n):\n    a = hashlib.pbkdf2_hmac('sha256', password, salt, 600_000)\n    b = PBKDF2(password, salt, 32, count=600000)\n    c = hashlib.pbkdf2_hmac('sha256', password, salt, n)\n    return a, b, c\n",
        &["LOOM643"],
        expect![[r#"
            6:9 LOOM643 Warning `pbkdf2_hmac` with 1000 iterations makes each guess of the password cheap; use at least 600,000 (OWASP) or `hashlib.scrypt` [confidence High]
            7:9 LOOM643 Warning `PBKDF2` with 1000 iterations makes each guess of the password cheap; use at least 600,000 (OWASP) or `hashlib.scrypt` [confidence High]
            8:9 LOOM643 Warning `PBKDF2HMAC` with 5000 iterations makes each guess of the password cheap; use at least 600,000 (OWASP) or `hashlib.scrypt` [confidence High]
        "#]],
    );
}

#[test]
fn key_derivations_over_a_broken_digest() {
    // Twins: SHA-2, SHA-1 (HMAC over it is still sound) and a digest held
    // by a name are not reported.
    check(
        "import hashlib\na = hashlib.pbkdf2_hmac('MD5', pw, salt, 600_000)\n\
         b = hashlib.pbkdf2_hmac(hash_name='md4', password=pw, salt=salt, iterations=600_000)\n\
         c = hashlib.pbkdf2_hmac('sha256', pw, salt, 600_000)\nd = hashlib.pbkdf2_hmac('sha1', pw, salt, 600_000)\n\
         e = hashlib.pbkdf2_hmac(algo, pw, salt, 600_000)\n",
        &["LOOM643"],
        expect![[r#"
            2:5 LOOM643 Warning `pbkdf2_hmac` over `md5`, a broken hash; derive with `sha256` or use `hashlib.scrypt` [confidence High]
            3:5 LOOM643 Warning `pbkdf2_hmac` over `md4`, a broken hash; derive with `sha256` or use `hashlib.scrypt` [confidence High]
        "#]],
    );
}

#[test]
fn temporary_names_that_race() {
    check(
        "import os, tempfile\nname = os.tempnam()\nother = os.tmpnam()\nfd, path = tempfile.mkstemp()\n",
        &["LOOM306", "S306"],
        expect![[r#"
            2:8 LOOM306 Warning `os.tempnam` is racy: another process can create the file first; use `mkstemp` [confidence High]
            3:9 LOOM306 Warning `os.tmpnam` is racy: another process can create the file first; use `mkstemp` [confidence High]
        "#]],
    );
}

#[test]
fn random_tokens_too_short_to_stay_unguessed() {
    check(
        "import secrets\nfrom secrets import token_urlsafe\n\
         secrets.token_bytes(4)\ntoken_urlsafe(nbytes=8)\nSIZE = 12\nsecrets.token_hex(SIZE)\n\
         secrets.token_hex(16)\nsecrets.token_bytes()\nsecrets.token_urlsafe(None)\n\
         size = 16\nsize = 32\nsecrets.token_bytes(size)\nsecrets.token_hex((14 - len(prefix)) // 2)\n",
        &["LOOM662"],
        expect![[r#"
            3:1 LOOM662 Warning `token_bytes` with 4 random bytes is short enough to guess; leave the default (32 bytes) or use at least 16 [confidence High]
            4:1 LOOM662 Warning `token_urlsafe` with 8 random bytes is short enough to guess; leave the default (32 bytes) or use at least 16 [confidence High]
            6:1 LOOM662 Warning `token_hex` with 12 random bytes is short enough to guess; leave the default (32 bytes) or use at least 16 [confidence High]
        "#]],
    );
}
