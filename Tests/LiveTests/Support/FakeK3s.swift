import Foundation

/// The loopback API server (`Fixtures/fake_k3s.py`) as a test fixture: started with fresh
/// certificates, stopped (SIGTERM, by its own pid) when the test ends.
final class FakeK3s: @unchecked Sendable {
    let dir: URL
    let pki: TestPKI
    let process = Process()
    let port: Int
    let token = "k3s-test-token-\(UUID().uuidString)"
    var server: String { "https://127.0.0.1:\(port)" }
    var logFile: URL { dir.appendingPathComponent("requests.jsonl") }

    init(mode: String = "normal", expireFirstPodWatch: Bool = false, flakyVersion: Int = 0) throws {
        dir = try Tools.tempDir("fake-k3s")
        pki = try TestPKI(in: dir)
        process.executableURL = URL(fileURLWithPath: Tools.which("python3")!)
        var args = [
            Tools.fixtures.appendingPathComponent("fake_k3s.py").path, "--cert", pki.serverCert.path,
            "--key", pki.serverKey.path, "--ca", pki.ca.path, "--log", dir.appendingPathComponent("requests.jsonl").path,
            "--token", token, "--mode", mode,
        ]
        if expireFirstPodWatch { args.append("--expire-first-pod-watch") }
        if flakyVersion > 0 { args += ["--flaky-version", String(flakyVersion)] }
        process.arguments = args
        port = try Self.start(process)
    }

    /// Starts a fixture script and reads its first line, "PORT <n>".
    static func start(_ process: Process) throws -> Int {
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var line = Data()
        let handle = out.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let d = handle.availableData
            if d.isEmpty { throw PKIError(message: "\(process.arguments?.first ?? "a fixture") exited before listening") }
            line.append(d)
        }
        guard let p = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(5))
        else {
            throw PKIError(message: "\(process.arguments?.first ?? "a fixture") printed no port")
        }
        return p
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: dir)
    }

    func stop() {
        // SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    struct Request: Decodable, Equatable {
        let method: String
        let path: String
        let query: [String: String]
        let auth: String?
        var isMutating: Bool { method != "GET" }
    }

    /// Every request the server received, in order.
    func requests() throws -> [Request] {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// A kubeconfig for this server with the client certificate inline (`*-data`), or a token.
    func kubeconfig(auth: String = "cert", name: String = "kubeconfig.yaml") throws -> URL {
        let user: String
        switch auth {
        case "token": user = "    token: \(token)"
        default:
            user =
                "    client-certificate-data: \(try pki.base64(pki.clientCert))\n    client-key-data: \(try pki.base64(pki.clientKey))"
        }
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: \(try pki.base64(pki.ca))
                server: \(server)
              name: default
            contexts:
            - context:
                cluster: default
                user: default
              name: default
            current-context: default
            users:
            - name: default
              user:
            \(user)

            """
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
