//! Fixture tests for the library models of `models.toml` and the checks of
//! library settings: each with a twin that must stay silent.

use expect_test::expect;

use super::tests::check;

const VIEW: &str = "from flask import request\n\n";

#[test]
fn remote_commands_of_paramiko_and_netmiko() {
    check(
        &format!(
            "{VIEW}import paramiko\nfrom netmiko import ConnectHandler\n\ndef ssh():\n    client = paramiko.SSHClient()\n    client.exec_command('ls ' + request.args['d'])\n    client.exec_command('uptime')\n\ndef switch(device):\n    conn = ConnectHandler(**device)\n    conn.send_command('show ' + request.args['x'])\n    conn.send_command('show version')\n"
        ),
        expect![[r#""#]],
    );
}

#[test]
fn mongodb_filters_from_the_clients_json() {
    check(
        &format!(
            "{VIEW}import pymongo\n\ndef find(db):\n    db.users.find(request.get_json())\n    db.users.find_one({{'name': request.json['name'], 'password': request.json['password']}})\n\ndef silent(db):\n    db.users.find({{'name': request.args['name']}})\n    db.users.find({{'name': 'admin'}})\n"
        ),
        expect![[r#""#]],
    );
}

#[test]
fn cloud_clients_pointed_at_the_clients_url() {
    check(
        &format!(
            "{VIEW}import boto3\nfrom azure.storage.blob import BlobServiceClient\n\ndef clients():\n    boto3.client('s3', endpoint_url=request.args['u'])\n    BlobServiceClient(account_url=request.args['u'])\n\ndef silent():\n    boto3.client('s3', endpoint_url='https://s3.example.com')\n    boto3.client(request.args['service'])\n"
        ),
        expect![[r#""#]],
    );
}

#[test]
fn cookies_without_their_flags() {
    check(
        "from flask import make_response\n\ndef view(token):\n    resp = make_response('ok')\n    resp.set_cookie('sid', token)\n    resp.set_cookie('sid', token, secure=True)\n    resp.set_cookie('sid', token, secure=True, httponly=True, samesite='Lax')\n    resp.set_cookie('sid', token, **COOKIE_FLAGS)\n    return resp\n",
        expect![[r#""#]],
    );
}

#[test]
fn tls_contexts_that_accept_old_versions() {
    check(
        "import ssl\n\nold = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\nctx.minimum_version = ssl.TLSVersion.TLSv1\nctx.minimum_version = ssl.TLSVersion.TLSv1_2\n",
        expect![[r#""#]],
    );
}

#[test]
fn passwords_hashed_with_a_fast_hash() {
    check(
        "import hashlib\n\ndef store(user, password, data):\n    user.hash = hashlib.sha256(password.encode()).hexdigest()\n    digest = hashlib.sha256(data).hexdigest()\n    return hashlib.pbkdf2_hmac('sha256', password.encode(), user.salt, 600_000)\n",
        expect![[r#""#]],
    );
}

#[test]
fn regular_expressions_that_check_hosts_or_tags_wrongly() {
    check(
        "import re\n\ndef ok(url, name, html):\n    re.match(r'https?://example.com', url)\n    re.match(r'^[A-z]+$', name)\n    re.sub(r'<script.*?>', '', html)\n    re.match(r'^https://example\\.com(/.*)?$', url)\n",
        expect![[r#""#]],
    );
}
