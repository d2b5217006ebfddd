//! Fixture tests for [`super::listening`]: servers and sockets told to
//! listen on every interface, each with a twin bound to one address.

use expect_test::expect;

use super::tests::check;

#[test]
fn servers_listening_on_every_interface() {
    check(
        "import socket, socketserver\nfrom http.server import HTTPServer\nfrom wsgiref.simple_server import make_server\n\
         HOST, PORT = '', 9999\nwith socketserver.TCPServer((HOST, PORT), Handler) as server:\n    server.serve_forever()\n\
         socket.create_server(('::', 8080), family=socket.AF_INET6, dualstack_ipv6=True)\n\
         address = ('', 8000)\nHTTPServer(address, Handler)\n\
         s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\ns.bind(('', 80))\n\
         make_server('', 8000, app)\n\
         socketserver.UDPServer(('127.0.0.1', 9999), Handler)\nsocket.create_server(('localhost', 8080))\n\
         s.bind(('192.0.2.1', 80))\nwidget.bind(('', 80))\nHTTPServer((host, 8000), Handler)\n\
         probe = socket.socket()\nprobe.bind(('', 0))\n",
        &["LOOM104", "S104"],
        expect![[r#"
            5:29 LOOM104 Warning `TCPServer` listens on every interface (host `""`): anyone who can reach the machine can connect; bind to `127.0.0.1` or a chosen address [confidence Medium]
            7:22 LOOM104 Warning `create_server` listens on every interface (host `"::"`): anyone who can reach the machine can connect; bind to `127.0.0.1` or a chosen address [confidence Medium]
            9:12 LOOM104 Warning `HTTPServer` listens on every interface (host `""`): anyone who can reach the machine can connect; bind to `127.0.0.1` or a chosen address [confidence Medium]
            11:8 LOOM104 Warning `bind` listens on every interface (host `""`): anyone who can reach the machine can connect; bind to `127.0.0.1` or a chosen address [confidence Medium]
            12:13 LOOM104 Warning `make_server` listens on every interface (host `""`): anyone who can reach the machine can connect; bind to `127.0.0.1` or a chosen address [confidence Medium]
        "#]],
    );
}

#[test]
fn a_socket_from_a_star_import() {
    check(
        "from socket import *\ns = socket(AF_INET, SOCK_STREAM)\ns.bind(('', 80))\nt = socket(AF_INET, SOCK_STREAM)\nt.bind(('127.0.0.1', 80))\n",
        &["LOOM104"],
        expect![[r#"
            3:8 LOOM104 Warning `bind` listens on every interface (host `""`): anyone who can reach the machine can connect; bind to `127.0.0.1` or a chosen address [confidence Medium]
        "#]],
    );
}
