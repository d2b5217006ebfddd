//! Quick fixes of security findings that would change what the program
//! does beyond removing the weakness: each is refused, beside a twin where
//! the same fix is still offered.

use super::tests::{check_fix, check_no_fix};

#[test]
fn shell_fix_refused_where_executable_replaces_the_shell() {
    // `Popen(["ls", "-l"], executable="/bin/bash")` is `bash -l` reading stdin.
    check_no_fix("S602", "import subprocess\nsubprocess.Popen(\"ls -l\", shell=Tr$0ue, executable=\"/bin/bash\")\n");
    check_no_fix("S602", "import subprocess\nsubprocess.Popen(\"ls -l\", -1, \"/bin/bash\", shell=Tr$0ue)\n");
    check_no_fix("S602", "import subprocess\nsubprocess.run(\"ls -l\", shell=Tr$0ue, **options)\n");
    check_fix(
        "S602",
        "import subprocess\nsubprocess.Popen(\"ls -l\", shell=Tr$0ue, cwd=\"/tmp\")\n",
        "import subprocess\nsubprocess.Popen([\"ls\", \"-l\"], cwd=\"/tmp\")\n",
    );
}

#[test]
fn timeout_fix_replaces_none_and_leaves_kwargs_alone() {
    check_fix("S113", "import requests\nr = requests.g$0et(u, timeout=None)\n", "import requests\nr = requests.get(u, timeout=30)\n");
    check_no_fix("S113", "import requests\nr = requests.g$0et(u, **kw)\n");
}

#[test]
fn sql_fix_refused_for_a_list_of_values() {
    // One parameter compares `id` with the string "1,2".
    check_no_fix("S608", "import sqlite3\ndef f(cur, ids):\n    cur.execute(\"SELECT n FROM t WHERE id IN (%s)\" $0% \",\".join(str(int(i)) for i in ids))\n");
    check_no_fix("S608", "import sqlite3\ndef f(cur, ids):\n    cur.execute(\"SELECT n FROM t WHERE id IN (%s)\" $0% ids_csv)\n");
    check_no_fix("S608", "import sqlite3\ndef f(cur, ids):\n    cur.execute(f\"SELECT n FROM t WHERE id = {\",\".jo$0in(ids)}\")\n");
    check_fix(
        "S608",
        "import sqlite3\ndef f(cur, a, b):\n    cur.execute(\"INSERT INTO t VALUES (%s, %s)\" $0% (a, b))\n",
        "import sqlite3\ndef f(cur, a, b):\n    cur.execute(\"INSERT INTO t VALUES (?, ?)\", (a, b))\n",
    );
}

#[test]
fn shell_fix_refused_for_builtins_and_reserved_words() {
    for command in ["exit 3", "cd /tmp", "ulimit -n", "type ls", "command -v ls", "read x", "echo hi", "source env.sh", "time ls", "exec ls"] {
        check_no_fix("S602", &format!("import subprocess\nsubprocess.run(\"{command}\", shell=Tr$0ue)\n"));
    }
    check_fix("S602", "import subprocess\nsubprocess.run(\"git status\", shell=Tr$0ue)\n", "import subprocess\nsubprocess.run([\"git\", \"status\"])\n");
}

#[test]
fn shell_fix_refused_for_several_lines() {
    // A newline separates two commands.
    check_no_fix("S602", "import subprocess\nsubprocess.run(\"mkdir -p d\\ntouch d/f\", shell=Tr$0ue)\n");
    check_fix("S602", "import subprocess\nsubprocess.run(\"ls\\t-l\", shell=Tr$0ue)\n", "import subprocess\nsubprocess.run([\"ls\", \"-l\"])\n");
}

#[test]
fn mktemp_fix_only_where_the_name_is_opened_for_writing() {
    // `mkstemp` creates the file: making a fifo or folder of it fails.
    check_no_fix("S306", "import os, tempfile\ndef f():\n    p = tempfile.mk$0temp()\n    os.mkfifo(p)\n");
    check_no_fix("S306", "import os, tempfile\ndef f():\n    p = tempfile.mk$0temp()\n    os.mkdir(p)\n");
    check_no_fix("S306", "import tempfile\ndef f():\n    p = tempfile.mk$0temp()\n    open(p, \"x\").close()\n");
    check_fix(
        "S306",
        "import tempfile\ndef f():\n    p = tempfile.mk$0temp()\n    with open(p, \"w\") as out:\n        out.write(\"x\")\n",
        "import tempfile\ndef f():\n    fd, p = tempfile.mkstemp()\n    with open(p, \"w\") as out:\n        out.write(\"x\")\n",
    );
}

#[test]
fn mktemp_fix_takes_a_name_the_file_does_not_use() {
    check_fix(
        "S306",
        "import tempfile\ndef f(fd):\n    p = tempfile.mk$0temp()\n    open(p, \"wb\").write(fd.read())\n",
        "import tempfile\ndef f(fd):\n    tmp_fd, p = tempfile.mkstemp()\n    open(p, \"wb\").write(fd.read())\n",
    );
}

#[test]
fn sql_fix_refused_when_the_imports_name_both_styles() {
    // A cursor the function is given: which driver made it, the imports
    // cannot tell.
    check_no_fix(
        "S608",
        "import sqlite3\nfrom django.db import connection\ndef f(cur, name):\n    cur.execute(\"SELECT * FROM u WHERE name = '%s'\" $0% name)\n",
    );
    // Django's own cursor, beside a sqlite3 import.
    let query = "    with connection.cursor() as cur:\n        cur.execute(\"SELECT * FROM u WHERE name = '%s'\" $0% name)\n";
    let fixed = "    with connection.cursor() as cur:\n        cur.execute(\"SELECT * FROM u WHERE name = %s\", (name,))\n";
    for imports in ["import sqlite3\nfrom django.db import connection\n", "from django.db import connection\n"] {
        check_fix("S608", &format!("{imports}def f(name):\n{query}"), &format!("{imports}def f(name):\n{fixed}"));
    }
}

#[test]
fn sql_fix_takes_the_style_of_the_driver_that_made_the_cursor() {
    let query = "cur.execute(\"SELECT * FROM u WHERE name = '%s'\" $0% name)";
    // Made by sqlite3, though the file imports psycopg2 too.
    check_fix(
        "S608",
        &format!("import sqlite3, psycopg2\ndef f(path, name):\n    conn = sqlite3.connect(path)\n    cur = conn.cursor()\n    {query}\n"),
        "import sqlite3, psycopg2\ndef f(path, name):\n    conn = sqlite3.connect(path)\n    cur = conn.cursor()\n    cur.execute(\"SELECT * FROM u WHERE name = ?\", (name,))\n",
    );
    check_fix(
        "S608",
        &format!("import sqlite3, pymysql\ndef f(name):\n    with pymysql.connect(host='db').cursor() as cur:\n        {query}\n"),
        "import sqlite3, pymysql\ndef f(name):\n    with pymysql.connect(host='db').cursor() as cur:\n        cur.execute(\"SELECT * FROM u WHERE name = %s\", (name,))\n",
    );
    // oracledb takes `:1`: the sqlite3 import says nothing of this cursor.
    check_no_fix("S608", &format!("import sqlite3, oracledb\ndef f(name):\n    conn = oracledb.connect(dsn='db')\n    cur = conn.cursor()\n    {query}\n"));
    // asyncpg takes `$1`.
    check_no_fix("S608", "import asyncpg\nasync def f(conn, name):\n    await conn.execute(\"SELECT * FROM u WHERE name = '%s'\" $0% name)\n");
    // A cursor from elsewhere in a file that imports no driver: no guess.
    check_no_fix("S608", &format!("def f(cur, name):\n    {query}\n"));
    check_fix(
        "S608",
        &format!("import psycopg2\ndef f(cur, name):\n    {query}\n"),
        "import psycopg2\ndef f(cur, name):\n    cur.execute(\"SELECT * FROM u WHERE name = %s\", (name,))\n",
    );
}

#[test]
fn yaml_fix_refused_for_the_programs_own_loader() {
    // `safe_load` would drop the constructors the loader adds.
    check_no_fix("S506", "import yaml\nclass L(yaml.SafeLoader):\n    pass\nd = yaml.lo$0ad(s, Loader=L)\n");
    check_no_fix("S506", "import yaml\nd = yaml.lo$0ad(s, Loader=yaml.BaseLoader)\n");
    check_fix("S506", "import yaml\nd = yaml.lo$0ad(s, Loader=yaml.FullLoader)\n", "import yaml\nd = yaml.safe_load(s)\n");
}

#[test]
fn weak_hash_fix_refused_for_a_password() {
    check_no_fix("S324", "import hashlib\ndef f(password):\n    return hashlib.m$0d5(password.encode()).hexdigest()\n");
    check_no_fix("S324", "import hashlib\ndef f(user_password):\n    h = hashlib.sh$0a1()\n    h.update(user_password.encode())\n    return h.hexdigest()\n");
    check_fix(
        "S324",
        "import hashlib\ndef f(content):\n    return hashlib.m$0d5(content).hexdigest()\n",
        "import hashlib\ndef f(content):\n    return hashlib.md5(content, usedforsecurity=False).hexdigest()\n",
    );
}

/// The S324 fix of a file in a project declaring `requires-python`.
fn weak_hash_fix_under(requires: &str) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("pyloom-weak-hash-{}-{}", requires.replace(['>', '=', '.'], ""), std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pyproject.toml"), format!("[project]\nname = \"p\"\nrequires-python = \"{requires}\"\n")).unwrap();
    let config = crate::findings::config::Config::load(&dir, &crate::settings::LintSettings::default()).0;
    let findings = crate::findings::check_source(&dir.join("a.py"), "import hashlib\nh = hashlib.md5(data)\n", &config, None);
    let finding = findings.iter().find(|f| f.code == "S324").expect("S324 reported");
    finding.fix.as_ref().map(|f| f.message.clone())
}

#[test]
fn weak_hash_fix_refused_where_the_project_supports_python_before_3_9() {
    // `usedforsecurity` came in 3.9: a `TypeError` on 3.8.
    assert_eq!(weak_hash_fix_under(">=3.8"), None);
    assert_eq!(weak_hash_fix_under(">=3.9").as_deref(), Some("Mark as not used for security (`usedforsecurity=False`)"));
}

/// The message of the `code` finding on the cursor's line (every
/// confidence shown).
fn message_at(code: &str, before: &str) -> String {
    super::tests::finding_at(code, before).1.message
}

#[test]
fn sql_fix_refused_for_a_value_escaped_for_sql() {
    // As a parameter, `O'Brien` escaped to `O''Brien` is compared as that.
    let replaced = "import sqlite3\ndef f(cur, name):\n    cur.execute(\"SELECT id FROM p WHERE name = '%s'\" $0% name.replace(\"'\", \"''\"))\n";
    check_no_fix("S608", replaced);
    assert!(
        message_at("S608", replaced).contains("no quick fix: `name.replace(\"'\", \"''\")` escapes or quotes the value already"),
        "{}",
        message_at("S608", replaced)
    );
    let own = "import sqlite3\ndef sql_escape(s):\n    return s.replace(\"'\", \"''\")\ndef f(cur, name):\n    cur.execute(f\"SELECT id FROM p WHERE name = '{sql_esc$0ape(name)}'\")\n";
    check_no_fix("S608", own);
    check_no_fix("S608", "import pymysql\ndef f(conn, cur, name):\n    cur.execute(\"SELECT id FROM p WHERE name = '%s'\" $0% conn.escape_string(name))\n");
    // An HTML escaper leaves no quote an SQL literal reads differently.
    check_fix(
        "S608",
        "import sqlite3, html\ndef f(cur, name):\n    cur.execute(\"SELECT id FROM p WHERE name = '%s'\" $0% html.escape(name))\n",
        "import sqlite3, html\ndef f(cur, name):\n    cur.execute(\"SELECT id FROM p WHERE name = ?\", (html.escape(name),))\n",
    );
    let plain = "import sqlite3\ndef f(cur, name):\n    cur.execute(\"SELECT id FROM p WHERE name = '%s'\" $0% name.strip())\n";
    check_fix("S608", plain, "import sqlite3\ndef f(cur, name):\n    cur.execute(\"SELECT id FROM p WHERE name = ?\", (name.strip(),))\n");
    assert!(!message_at("S608", plain).contains("no quick fix"));
}

#[test]
fn weak_hash_fix_refused_for_a_security_use() {
    // A session id from the secret key (web.py's shape, one step through a local).
    let session = "import hashlib\nSECRET_KEY = 'k'\ndef new_id(rand):\n    hashable = f\"{rand}{SECRET_KEY}\"\n    return hashlib.s$0ha1(hashable.encode()).hexdigest()\n";
    check_no_fix("S324", session);
    assert!(message_at("S324", session).contains("no quick fix: `SECRET_KEY` is hashed, a security use"), "{}", message_at("S324", session));
    // A secret-prefix MAC; a reset token; HTTP Digest auth by its module's name.
    check_no_fix("S324", "import hashlib\ndef f(api_secret, msg):\n    return hashlib.m$0d5(api_secret + msg).hexdigest()\n");
    check_no_fix("S324", "import hashlib\ndef reset_token(user_id):\n    return hashlib.s$0ha1(str(user_id).encode()).hexdigest()\n");
    check_no_fix("S324", "import hashlib\ndef f(rand):\n    session_id = hashlib.s$0ha1(rand).hexdigest()\n    return session_id\n");
    let digest = crate::findings::check_source(
        std::path::Path::new("/work/auth_digest.py"),
        "from hashlib import md5\ndef md5_hex(s):\n    return md5(s).hexdigest()\n",
        &super::tests::config(crate::settings::LintSettings { confidence: crate::findings::Confidence::Low, ..Default::default() }),
        None,
    );
    let s324 = digest.iter().find(|f| f.code == "S324").expect("S324 reported");
    assert!(s324.fix.is_none() && s324.message.contains("the module `auth_digest`"), "{}", s324.message);
    let etags = crate::findings::check_source(
        std::path::Path::new("/work/session_cache.py"),
        "from hashlib import md5\ndef etag(body):\n    return md5(body).hexdigest()\n",
        &super::tests::config(crate::settings::LintSettings { confidence: crate::findings::Confidence::Low, ..Default::default() }),
        None,
    );
    assert!(etags.iter().any(|f| f.code == "S324" && f.fix.is_some()), "{etags:?}");
    // A cache key and an ETag are not: the fix stays.
    check_fix(
        "S324",
        "import hashlib\ndef etag(body, cache_key):\n    return hashlib.m$0d5(body + cache_key).hexdigest()\n",
        "import hashlib\ndef etag(body, cache_key):\n    return hashlib.md5(body + cache_key, usedforsecurity=False).hexdigest()\n",
    );
}
