//! Fixture tests for the library settings of [`super::library_settings`]:
//! each model with the same call given a sound value, which stays silent.

use expect_test::expect;

use super::tests::check;

#[test]
fn duo_clients_told_not_to_check_certificates() {
    check(
        "import duo_client\n\
         duo_client.Admin(ikey='i', skey='s', host='h', ca_certs='DISABLE')\n\
         duo_client.Auth(ikey='i', skey='s', host='h', ca_certs='HTTP')\n\
         duo_client.Admin(ikey='i', skey='s', host='h', ca_certs='/etc/ssl/duo.pem')\n\
         duo_client.Auth(ikey='i', skey='s', host='h')\n",
        &["LOOM"],
        expect![[r#"
            2:57 LOOM501 Error `Admin` checks no certificate (`ca_certs="DISABLE"`) or speaks plain HTTP (`"HTTP"`); pass a CA bundle or leave the default [confidence High]
            3:56 LOOM501 Error `Auth` checks no certificate (`ca_certs="DISABLE"`) or speaks plain HTTP (`"HTTP"`); pass a CA bundle or leave the default [confidence High]
        "#]],
    );
}

#[test]
fn itsdangerous_signers_with_no_algorithm() {
    check(
        "import itsdangerous\nfrom itsdangerous.signer import NoneAlgorithm, HMACAlgorithm\nfrom itsdangerous.jws import JSONWebSignatureSerializer\n\
         itsdangerous.Signer('k', algorithm=NoneAlgorithm())\n\
         itsdangerous.TimestampSigner('k', algorithm=itsdangerous.NoneAlgorithm())\n\
         JSONWebSignatureSerializer('k', algorithm_name='none')\n\
         itsdangerous.Signer('k', algorithm=HMACAlgorithm())\n\
         JSONWebSignatureSerializer('k', algorithm_name='HS512')\n",
        &["LOOM"],
        expect![[r#"
            4:36 LOOM634 Error `Signer` with `NoneAlgorithm` signs nothing: anyone can forge what it accepts; use the default HMAC [confidence High]
            5:45 LOOM634 Error `TimestampSigner` with `NoneAlgorithm` signs nothing: anyone can forge what it accepts; use the default HMAC [confidence High]
            6:48 LOOM634 Error `JSONWebSignatureSerializer` with `algorithm_name="none"` signs nothing: anyone can forge what it accepts; use `HS256` or better [confidence High]
        "#]],
    );
}

#[test]
fn saml_signatures_and_fingerprints_with_sha1() {
    check(
        "from onelogin.saml2.utils import OneLogin_Saml2_Utils\nfrom onelogin.saml2.constants import OneLogin_Saml2_Constants as C\n\
         OneLogin_Saml2_Utils.add_sign(xml, key, cert, sign_algorithm=C.RSA_SHA1, digest_algorithm='http://www.w3.org/2000/09/xmldsig#sha1')\n\
         OneLogin_Saml2_Utils.calculate_x509_fingerprint(cert, alg='sha1')\n\
         OneLogin_Saml2_Utils.validate_sign(xml, cert, fingerprint=fp, fingerprintalg='sha1')\n\
         OneLogin_Saml2_Utils.add_sign(xml, key, cert, sign_algorithm=C.RSA_SHA256, digest_algorithm=C.SHA256)\n\
         OneLogin_Saml2_Utils.calculate_x509_fingerprint(cert, alg='sha256')\n",
        &["LOOM"],
        expect![[r#"
            3:62 LOOM657 Warning `add_sign` signs with SHA-1, whose collisions make signatures forgeable; use `RSA_SHA256` [confidence High]
            3:91 LOOM657 Warning `add_sign` digests with SHA-1, whose collisions make signatures forgeable; use `SHA256` [confidence High]
            4:59 LOOM657 Warning `calculate_x509_fingerprint` fingerprints the certificate with SHA-1; use `sha256` [confidence High]
            5:78 LOOM657 Warning `validate_sign` matches the certificate by its SHA-1 fingerprint; use `sha256` [confidence High]
        "#]],
    );
}

#[test]
fn xmlsec_transforms_on_broken_algorithms() {
    check(
        "import xmlsec\nfrom xmlsec import constants\n\
         xmlsec.template.create(doc, xmlsec.constants.TransformExclC14N, xmlsec.constants.TransformRsaSha1)\n\
         xmlsec.template.encrypted_data_create(doc, constants.TransformDes3Cbc)\n\
         xmlsec.template.create(doc, xmlsec.constants.TransformExclC14N, xmlsec.constants.TransformRsaSha256)\n",
        &["LOOM"],
        expect![[r#"
            3:65 LOOM657 Warning `TransformRsaSha1` is a broken algorithm for XML signatures and encryption; use an SHA-256 or AES-GCM one [confidence Medium]
            4:44 LOOM657 Warning `TransformDes3Cbc` is a broken algorithm for XML signatures and encryption; use an SHA-256 or AES-GCM one [confidence Medium]
        "#]],
    );
}

#[test]
fn rsa_encryption_with_pkcs1v15_padding() {
    check(
        "from cryptography.hazmat.primitives.asymmetric import padding\nfrom cryptography.hazmat.primitives import hashes\n\
         key.public_key().encrypt(message, padding.PKCS1v15())\n\
         key.decrypt(ciphertext, padding=padding.PKCS1v15())\n\
         key.sign(message, padding.PKCS1v15(), hashes.SHA256())\n\
         key.public_key().encrypt(message, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))\n",
        &["LOOM"],
        expect![[r#"
            3:35 LOOM658 Warning RSA encryption with PKCS#1 v1.5 padding is open to padding-oracle attacks; use `padding.OAEP` [confidence High]
            4:33 LOOM658 Warning RSA encryption with PKCS#1 v1.5 padding is open to padding-oracle attacks; use `padding.OAEP` [confidence High]
        "#]],
    );
}

#[test]
fn tls_contexts_that_check_no_certificate() {
    check(
        "import ssl\nctx = ssl.create_default_context()\nctx.verify_mode = ssl.CERT_NONE\nother = ssl.create_default_context()\nother.verify_mode = ssl.CERT_REQUIRED\n",
        &["LOOM"],
        expect![[r#"
            3:1 LOOM501 Error The TLS context checks no certificate (`verify_mode = ssl.CERT_NONE`); keep `ssl.CERT_REQUIRED` [confidence High]
        "#]],
    );
}

#[test]
fn http_sessions_that_check_no_certificate() {
    // ruff's S501 reads `requests.get(..., verify=False)` only (reported
    // once, by ruff); a session's requests and its `verify` attribute are
    // pyloom's. A sound value, a dict's `get` and a file without an HTTP
    // client stay silent.
    check(
        "import requests\n\ndef fetch(u):\n    s = requests.Session()\n    s.get(u, verify=False, timeout=5)\n    requests.Session().post(u, verify=False, timeout=5)\n    s.get(u, verify=True, timeout=5)\n    s.get(u, verify='/etc/ca.pem', timeout=5)\n    requests.get(u, verify=False, timeout=5)\n\n\
         def configure(u):\n    with requests.Session() as s:\n        s.verify = False\n        s.verify = '/etc/ca.pem'\n        return s.get(u, timeout=5)\n",
        &["LOOM", "S501"],
        expect![[r#"
            5:5 LOOM501 Error `.get` with `verify=False` does not check certificates: a man in the middle reads and changes the traffic [confidence High]
            6:5 LOOM501 Error `.post` with `verify=False` does not check certificates: a man in the middle reads and changes the traffic [confidence High]
            9:21 S501 Warning Probable use of `requests` call with `verify=False` disabling SSL certificate checks [fix Unsafe: Check certificates (remove `verify=False`)]
            13:9 LOOM501 Error The HTTP session checks no certificate (`verify = False`): a man in the middle reads and changes the traffic; leave the default [confidence High]
        "#]],
    );
    check("def lookup(options, key, settings):\n    options.get(key, verify=False)\n    settings.verify = False\n", &["LOOM", "S501"], expect![[r#""#]]);
}

#[test]
fn saml_settings_and_calls_naming_a_broken_algorithm() {
    check(
        "from onelogin.saml2.constants import OneLogin_Saml2_Constants\n\
         settings = {'security': {'signatureAlgorithm': OneLogin_Saml2_Constants.RSA_SHA1, 'digestAlgorithm': OneLogin_Saml2_Constants.SHA256}}\n\
         encrypt(doc, OneLogin_Saml2_Constants.TRIPLEDES_CBC)\n\
         if alg == OneLogin_Saml2_Constants.RSA_SHA1:\n    reject()\n",
        &["LOOM"],
        expect![[r#"
            2:48 LOOM657 Warning `RSA_SHA1` is a broken algorithm for XML signatures and encryption; use an SHA-256 or AES-GCM one [confidence Medium]
            3:14 LOOM657 Warning `TRIPLEDES_CBC` is a broken algorithm for XML signatures and encryption; use an SHA-256 or AES-GCM one [confidence Medium]
        "#]],
    );
}

#[test]
fn defusedxml_parsers_with_their_protections_off() {
    check(
        "from defusedxml import ElementTree\nfrom defusedxml.lxml import fromstring\n\
         ElementTree.parse(f, forbid_entities=False)\n\
         fromstring(text, forbid_external=False)\n\
         ElementTree.parse(f, forbid_dtd=True)\n\
         fromstring(text, forbid_external=True)\n",
        &["LOOM"],
        expect![[r#"
            3:38 LOOM320 Warning `parse` with `forbid_entities=False` expands the document's entities (billion laughs); leave the default [confidence High]
            4:34 LOOM320 Warning `fromstring` with `forbid_external=False` fetches the document's external entities (XXE); leave the default [confidence High]
        "#]],
    );
}

#[test]
fn xmlrpc_servers_that_let_clients_walk_attributes() {
    check(
        "from xmlrpc.server import SimpleXMLRPCServer\nserver = SimpleXMLRPCServer(('localhost', 8000))\n\
         server.register_instance(api, allow_dotted_names=True)\n\
         server.register_instance(api)\n\
         server.register_instance(api, allow_dotted_names=False)\n",
        &["LOOM6"],
        expect![[r#"
            3:50 LOOM659 Error `register_instance` with `allow_dotted_names=True` lets clients reach the module's globals and run code; leave it off [confidence High]
        "#]],
    );
}

#[test]
fn xml_parsers_told_to_resolve_entities_or_fetch() {
    check(
        "from lxml import etree\nimport xml.sax\nfrom xml.sax.handler import feature_external_ges, feature_external_pes\n\
         p1 = etree.XMLParser(resolve_entities=True)\n\
         p2 = etree.XMLParser(no_network=False, huge_tree=True)\n\
         parser = xml.sax.make_parser()\nparser.setFeature(feature_external_ges, True)\n\
         parser.setFeature('http://xml.org/sax/features/external-parameter-entities', True)\n\
         safe = etree.XMLParser(resolve_entities=False, no_network=True)\n\
         parser.setFeature(feature_external_pes, False)\nparser.setFeature(xml.sax.handler.feature_namespaces, True)\n",
        &["LOOM320"],
        expect![[r#"
            4:39 LOOM320 Warning `XMLParser` with `resolve_entities=True` reads the document's external entities (XXE: local files, URLs); pass `resolve_entities=False` [confidence High]
            5:33 LOOM320 Warning `XMLParser` with `no_network=False` fetches what the document references over the network (XXE, SSRF); leave the default [confidence High]
            5:50 LOOM320 Warning `XMLParser` with `huge_tree=True` lifts libxml2's limits on entity expansion and depth (billion laughs); leave the default [confidence High]
            7:1 LOOM320 Warning The XML parser is told to read external entities (XXE: local files, URLs); leave the feature off [confidence High]
            8:1 LOOM320 Warning The XML parser is told to read external entities (XXE: local files, URLs); leave the feature off [confidence High]
        "#]],
    );
}

#[test]
fn tls_host_names_not_checked() {
    check(
        "import ssl, urllib3\nctx = ssl.create_default_context()\nctx.check_hostname = False\n\
         pool = urllib3.PoolManager(assert_hostname=False)\n\
         strict = ssl.create_default_context()\nstrict.check_hostname = True\n\
         pinned = urllib3.PoolManager(assert_hostname='api.example.com')\n",
        &["LOOM501"],
        expect![[r#"
            3:1 LOOM501 Error The TLS context takes a certificate issued to any host (`check_hostname = False`): a man in the middle with any valid certificate passes; keep `True` [confidence High]
            4:44 LOOM501 Error `PoolManager` with `assert_hostname=False` takes a certificate issued to any host: a man in the middle with any valid certificate passes; leave the default [confidence High]
        "#]],
    );
}
