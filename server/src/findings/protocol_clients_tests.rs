//! Fixture tests for [`super::protocol_clients`]: each shape with its twin
//! that must stay silent (TLS first, a context given, a client passed on).

use expect_test::expect;

use super::tests::check_every;

#[test]
fn logins_before_starttls_send_credentials_in_plain_text() {
    check_every(
        "import smtplib, imaplib, poplib, nntplib, ssl\n\
         with smtplib.SMTP('mail.example.org', timeout=5) as smtp:\n    smtp.login('user', password)\n\
         def fetch(user, secret):\n    box = poplib.POP3('pop.example.org')\n    box.user(user)\n    box.pass_(secret)\n\
         nntplib.NNTP('news.example.org').login('user', 'pw')\n\
         imap = imaplib.IMAP4('imap.example.org')\nimap.starttls(ssl_context=ssl.create_default_context())\nimap.login('user', password)\n\
         def relay(host):\n    server = smtplib.SMTP(host)\n    secure(server)\n    server.login('user', password)\n\
         local = smtplib.SMTP('localhost')\nlocal.login('user', password)\n\
         def send(host, user, secret):\n    client = smtplib.SMTP(host)\n    client.login(user, secret)\n",
        &["LOOM661"],
        expect![[r#"
            3:5 LOOM661 Warning `login` before `starttls()` sends the credentials over `SMTP` in plain text; call `starttls(context=ssl.create_default_context())` first [confidence High]
            6:5 LOOM661 Warning `user` before `stls()` sends the credentials over `POP3` in plain text; call `stls(context=ssl.create_default_context())` first [confidence High]
            7:5 LOOM661 Warning `pass_` before `stls()` sends the credentials over `POP3` in plain text; call `stls(context=ssl.create_default_context())` first [confidence High]
            8:1 LOOM661 Warning `login` before `starttls()` sends the credentials over `NNTP` in plain text; call `starttls(context=ssl.create_default_context())` first [confidence High]
            17:1 LOOM661 Warning `login` before `starttls()` sends the credentials over `SMTP` in plain text; call `starttls(context=ssl.create_default_context())` first (low: the connection is to this machine) [confidence Low]
            20:5 LOOM661 Warning `login` before `starttls()` sends the credentials over `SMTP` in plain text; call `starttls(context=ssl.create_default_context())` first [confidence Medium]
        "#]],
    );
}

#[test]
fn tls_clients_and_upgrades_without_a_context_check_no_certificate() {
    check_every(
        "import smtplib, imaplib, ftplib, ssl\n\
         smtplib.SMTP_SSL('mail.example.org', context=None)\n\
         context = None\nftplib.FTP_TLS('ftp.example.org', context=context)\n\
         box = imaplib.IMAP4('imap.example.org')\nbox.starttls()\n\
         smtplib.SMTP_SSL('mail.example.org', context=ssl.create_default_context())\n\
         ftplib.FTP_TLS('ftp.example.org', **options)\n\
         ok = imaplib.IMAP4('imap.example.org')\nok.starttls(ssl.create_default_context())\n\
         imaplib.IMAP4_SSL()\n",
        &["LOOM501"],
        expect![[r#"
            2:1 LOOM501 Warning `SMTP_SSL` without `context=` checks no certificate (the module's default context is unverified); pass `context=ssl.create_default_context()` [confidence High]
            4:1 LOOM501 Warning `FTP_TLS` without `context=` checks no certificate (the module's default context is unverified); pass `context=ssl.create_default_context()` [confidence High]
            6:1 LOOM501 Warning `starttls()` without `ssl_context=` checks no certificate (the module's default context is unverified); pass `ssl_context=ssl.create_default_context()` [confidence High]
            11:1 LOOM501 Warning `IMAP4_SSL` without `ssl_context=` checks no certificate (the module's default context is unverified); pass `ssl_context=ssl.create_default_context()` (low: the connection is to this machine) [confidence Low]
        "#]],
    );
}
