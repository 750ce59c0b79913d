#!/usr/bin/env python3
"""A minimal HTTP CONNECT proxy for the proxy test: it tunnels to the requested host:port,
resolving the test-only name k3s.test to 127.0.0.1 (so only a client that really goes through
the proxy can reach it), and logs every CONNECT target to --log. Prints "PORT <n>"."""
import argparse, select, socket, socketserver, threading


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline().decode("latin-1").strip()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        method, target, _ = line.split(" ", 2)
        with open(ARGS.log, "a") as f:
            f.write(target + "\n")
        host, port = target.rsplit(":", 1)
        if method != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n"); return
        upstream = socket.create_connection(("127.0.0.1" if host == "k3s.test" else host, int(port)))
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        sockets = [self.connection, upstream]
        while True:
            readable, _, _ = select.select(sockets, [], [], 30)
            if not readable: break
            for s in readable:
                data = s.recv(65536)
                if not data: return
                (upstream if s is self.connection else self.connection).sendall(data)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    p = argparse.ArgumentParser(); p.add_argument("--log"); ARGS = p.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()
