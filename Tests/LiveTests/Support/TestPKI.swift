import Foundation

/// Certificates made at test time with `openssl`, shaped like K3S's: EC P-256 keys
/// ("EC PRIVATE KEY", as K3S writes them), a server certificate for 127.0.0.1 (and k3s.test, the name the proxy test reaches it by), and a client
/// certificate for system:admin in system:masters.
struct TestPKI {
    let dir: URL
    var ca: URL { dir.appendingPathComponent("ca.pem") }
    var serverCert: URL { dir.appendingPathComponent("server.pem") }
    var serverKey: URL { dir.appendingPathComponent("server-key.pem") }
    var clientCert: URL { dir.appendingPathComponent("client.pem") }
    var clientKey: URL { dir.appendingPathComponent("client-key.pem") }
    /// A CA that signed nothing the server presents (for the "wrong CA" test).
    var otherCA: URL { dir.appendingPathComponent("other-ca.pem") }

    init(in dir: URL) throws {
        self.dir = dir
        let openssl = Tools.which("openssl")!
        func run(_ args: [String]) throws {
            let r = try Tools.run(openssl, args)
            guard r.code == 0 else { throw PKIError(message: "openssl \(args.first ?? ""): \(r.stderr)") }
        }
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }
        for ca in ["ca", "other-ca"] {
            try run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", p("\(ca)-key.pem")])
            try run([
                "req", "-x509", "-new", "-key", p("\(ca)-key.pem"), "-subj", "/CN=k3s-server-ca@1700000000", "-days", "2", "-out",
                p("\(ca).pem"),
            ])
        }
        for (name, subject, ext) in [
            ("server", "/CN=k3s", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:k3s.test\nextendedKeyUsage=serverAuth\n"),
            ("client", "/O=system:masters/CN=system:admin", "extendedKeyUsage=clientAuth\n"),
        ] {
            try run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", p("\(name)-key.pem")])
            try run(["req", "-new", "-key", p("\(name)-key.pem"), "-subj", subject, "-out", p("\(name).csr")])
            try ext.write(toFile: p("\(name).ext"), atomically: true, encoding: .utf8)
            try run([
                "x509", "-req", "-in", p("\(name).csr"), "-CA", p("ca.pem"), "-CAkey", p("ca-key.pem"), "-CAcreateserial",
                "-days", "2", "-extfile", p("\(name).ext"), "-out", p("\(name).pem"),
            ])
        }
    }

    func base64(_ url: URL) throws -> String { try Data(contentsOf: url).base64EncodedString() }

    /// The base64 body of the client key PEM: must never appear in k3sim's output or database.
    func clientKeySecretMaterial() throws -> [String] {
        let pem = try String(contentsOf: clientKey, encoding: .utf8)
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return [body, String(body.prefix(40)), try base64(clientKey)]
    }
}

struct PKIError: Error, CustomStringConvertible { let message: String; var description: String { message } }
