//! Fixture tests for what the walk computes: conditions made of constants
//! take one branch, containers read back the element stored at a constant
//! key, a value rejected on a check of its text is checked; and the sink
//! families of the web (LDAP, XPath, the session, XML entities).

use expect_test::expect;

use super::tests::check;

// --- constants and containers ---------------------------------------------

#[test]
fn a_constant_condition_takes_one_branch() {
    check(
        "import os\nfrom flask import request\n\ndef run():\n    cmd = request.args['c']\n    n = 86\n    \
         if 7 * 42 - n > 200:\n        arg = 'fixed'\n    else:\n        arg = cmd\n    os.system('echo ' + arg)\n    \
         other = 'fixed' if (7 * 42) - 106 > 200 else cmd\n    os.system('echo ' + other)\n    \
         text = 'never mind'\n    if 'mind' not in text:\n        text = cmd\n    os.system('echo ' + text)\n    \
         guess = 'ABC'[1]\n    match guess:\n        case 'A':\n            chosen = cmd\n        case 'B' | 'D':\n            chosen = 'b'\n        case _:\n            chosen = cmd\n    \
         os.system('echo ' + chosen)\n",
        expect![[r#"
            13:5 LOOM621 Error Command built from `request.args` reaches `os.system`; pass an argument list and validate it [confidence High]
              entered 5:11 `request.args` enters here
        "#]],
    );
}

#[test]
fn elements_stored_at_constant_keys_are_read_back() {
    check(
        "import os, configparser\nfrom flask import request\n\ndef run():\n    p = request.form['p']\n    \
         m = {}\n    m['a'] = 'safe'\n    m['b'] = p\n    os.system('echo ' + m['a'])\n    os.system('echo ' + m['b'])\n    \
         lst = []\n    lst.append('safe')\n    lst.append(p)\n    lst.append('moresafe')\n    lst.pop(0)\n    \
         os.system('echo ' + lst[1])\n    os.system('echo ' + lst[0])\n    \
         conf = configparser.ConfigParser()\n    conf.set('s', 'a', 'safe')\n    conf.set('s', 'b', p)\n    \
         os.system('echo ' + conf.get('s', 'a'))\n    os.system('echo ' + conf.get('s', 'b'))\n    \
         os.system('echo ' + m.get('a', p))\n    os.system('echo ' + str(m))\n",
        expect![[r#"
            10:5 LOOM621 Error Command built from `request.form` reaches `os.system`; pass an argument list and validate it [confidence High]
              entered 5:9 `request.form` enters here
            17:5 LOOM621 Error Command built from `request.form` reaches `os.system`; pass an argument list and validate it [confidence High]
              entered 5:9 `request.form` enters here
            22:5 LOOM621 Error Command built from `request.form` reaches `os.system`; pass an argument list and validate it [confidence High]
              entered 5:9 `request.form` enters here
            24:5 LOOM621 Error Command built from `request.form` reaches `os.system`; pass an argument list and validate it [confidence High]
              entered 5:9 `request.form` enters here
        "#]],
    );
}

#[test]
fn a_value_rejected_on_a_check_of_its_text_is_checked() {
    check(
        "from flask import request\n\ndef read():\n    name = request.args['f']\n    if '../' in name:\n        return 'no'\n    \
         open('/srv/' + name)\n\ndef read_unchecked():\n    name = request.args['f']\n    if '../' in name:\n        print('careful')\n    \
         open('/srv/' + name)\n",
        expect![[r#"
            13:5 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 10:12 `request.args` enters here
        "#]],
    );
}

// --- sink families of the web ------------------------------------------------

#[test]
fn ldap_filters_and_xpath_expressions_built_from_requests() {
    check(
        "import ldap3, elementpath, lxml.etree\nfrom flask import request\n\ndef find(conn, root):\n    uid = request.args['uid']\n    \
         conn.search('ou=users', f'(&(objectclass=person)(uid={uid}))')\n    conn.search('ou=users', '(objectclass=person)')\n    \
         elementpath.select(root, f\"/staff/person[@id='{uid}']\")\n    lxml.etree.XPath('/staff/person[@id=' + uid + ']')\n    \
         root.xpath(\"//person[@id='%s']\" % uid)\n    root.xpath('//person[@id=$id]', id=uid)\n",
        expect![[r#"
            6:5 LOOM638 Warning LDAP filter built from `request.args` reaches `.search`; escape the value (`ldap3.utils.conv.escape_filter_chars`) [confidence High]
              entered 5:11 `request.args` enters here
            8:5 LOOM640 Warning XPath expression built from `request.args` reaches `select`; pass the value as an XPath variable [confidence High]
              entered 5:11 `request.args` enters here
            9:5 LOOM640 Warning XPath expression built from `request.args` reaches `XPath`; pass the value as an XPath variable [confidence High]
              entered 5:11 `request.args` enters here
            10:5 LOOM640 Warning XPath expression built from `request.args` reaches `.xpath`; pass the value as an XPath variable [confidence High]
              entered 5:11 `request.args` enters here
        "#]],
    );
}

#[test]
fn request_data_stored_in_the_session() {
    check(
        "import html\nfrom flask import request, session\n\ndef remember():\n    user = request.form['user']\n    \
         session['user'] = html.escape(user)\n    session['theme'] = 'dark'\n    session['raw'] = user\n\n\
         def django_view(request):\n    request.session['next'] = request.GET['next']\n",
        expect![[r#"
            8:5 LOOM639 Warning `request.form` is stored in the session unchecked: later requests trust it as the program's own [confidence High]
              entered 5:12 `request.form` enters here
            11:5 LOOM639 Warning `request.GET` is stored in the session unchecked: later requests trust it as the program's own [confidence High]
              entered 11:32 `request.GET` enters here
        "#]],
    );
}

#[test]
fn xml_parsed_with_external_entities_turned_on() {
    check(
        "import xml.sax, xml.sax.handler, xml.dom.minidom\nfrom flask import request\n\ndef parse():\n    doc = request.get_data()\n    \
         parser = xml.sax.make_parser()\n    parser.setFeature(xml.sax.handler.feature_external_ges, True)\n    \
         xml.dom.minidom.parseString(doc, parser)\n    xml.dom.minidom.parseString('<a/>', parser)\n\n\
         def plain():\n    parser = xml.sax.make_parser()\n    xml.dom.minidom.parseString(request.get_data(), parser)\n",
        expect![[r#"
            8:5 LOOM641 Warning XML from `request.get_data` is parsed by `parseString` with external entities turned on: it may read local files or reach internal hosts [confidence High]
              entered 5:11 `request.get_data` enters here
        "#]],
    );
}
