//! Fixture tests for [`super::broken_names`]: a broken algorithm's name
//! read where a value is chosen, each with the reads that must stay
//! silent (a comparison, a type test, a call ruff judges, a sound name).

use expect_test::expect;

use super::tests::{check, check_every};

#[test]
fn cipher_modes_and_hashes_named_outside_a_call() {
    check(
        "from cryptography.hazmat.primitives import hashes\n\
         from cryptography.hazmat.primitives.ciphers import algorithms, modes\n\
         MODES = {'ecb': modes.ECB, 'gcm': modes.GCM}\n\
         cipher_class = algorithms.ARC4\n\
         def digest_for(name):\n    return hashes.MD5 if name == 'legacy' else hashes.SHA256\n\
         if mode is modes.ECB or isinstance(mode, modes.ECB):\n    raise ValueError(mode)\n\
         hmac_hash = hashes.SHA1\n\
         cipher = Cipher(algorithms.AES(key), modes.CBC(iv))\n",
        &["LOOM"],
        expect![[r#"
            3:17 LOOM305 Warning `ECB` mode encrypts equal blocks alike and leaks patterns; use GCM or CBC with a MAC [confidence Medium]
            4:16 LOOM304 Error `ARC4` is a broken or weak cipher; use AES (e.g. Fernet) [confidence Medium]
            6:12 LOOM303 Warning `MD5` is a broken hash for signatures and certificates; use SHA-256 or better [confidence Medium]
        "#]],
    );
}

#[test]
fn xml_signature_algorithms_named_anywhere() {
    check(
        "import xmlsec.constants\nfrom onelogin.saml2.utils import OneLogin_Saml2_Constants\n\
         xmlsec.constants.TransformRsaSha1\n\
         SIGNATURE = OneLogin_Saml2_Constants.RSA_SHA1\n\
         if alg == OneLogin_Saml2_Constants.RSA_SHA1:\n    reject()\n\
         DIGEST = xmlsec.constants.TransformSha256\n",
        &["LOOM"],
        expect![[r#"
            3:1 LOOM657 Warning `TransformRsaSha1` is a broken algorithm for XML signatures and encryption; use an SHA-256 or AES-GCM one [confidence Medium]
            4:13 LOOM657 Warning `RSA_SHA1` is a broken algorithm for XML signatures and encryption; use an SHA-256 or AES-GCM one [confidence Medium]
        "#]],
    );
}

#[test]
fn tls_versions_and_unchecked_certificates_chosen_through_a_name() {
    check(
        "import ssl\nfrom ssl import CERT_NONE, PROTOCOL_TLSv1\n\
         VERSIONS = {'tls1': PROTOCOL_TLSv1, 'tls1.2': ssl.PROTOCOL_TLSv1_2}\n\
         def context(insecure):\n    ctx = ssl.create_default_context()\n    ctx.verify_mode = CERT_NONE if insecure else ssl.CERT_REQUIRED\n    return ctx\n\
         ctx = ssl.create_default_context()\nctx.verify_mode = ssl.CERT_NONE\n\
         if ctx.verify_mode == ssl.CERT_NONE:\n    warn()\n\
         ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)\n",
        &["LOOM", "S5"],
        expect![[r#"
            3:21 LOOM502 Warning `PROTOCOL_TLSv1` is an insecure SSL/TLS version; use TLS 1.2 or later [confidence Medium]
            6:23 LOOM501 Error `CERT_NONE` makes a TLS context check no certificate; keep `ssl.CERT_REQUIRED` [confidence Medium]
            9:1 LOOM501 Error The TLS context checks no certificate (`verify_mode = ssl.CERT_NONE`); keep `ssl.CERT_REQUIRED` [confidence High]
            12:23 S502 Warning Call made with insecure SSL protocol: `PROTOCOL_SSLv3`
        "#]],
    );
}

#[test]
fn no_certificate_as_a_class_s_declared_default_is_low() {
    // gunicorn's `cert_reqs` setting: the server's default for its
    // clients' certificates. The same name stored in a variable of a
    // function or given to a context stays.
    check_every(
        "import ssl\n\
         class CertReqs:\n    name = 'cert_reqs'\n    default = ssl.CERT_NONE\n\
         def client():\n    mode = ssl.CERT_NONE\n    return ssl.wrap_socket(sock, cert_reqs=mode)\n",
        &["LOOM"],
        expect![[r#"
            4:15 LOOM501 Error `CERT_NONE` makes a TLS context check no certificate; keep `ssl.CERT_REQUIRED` [confidence Low]
            6:12 LOOM501 Error `CERT_NONE` makes a TLS context check no certificate; keep `ssl.CERT_REQUIRED` [confidence Medium]
        "#]],
    );
}
