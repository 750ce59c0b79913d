import Foundation

/// A kubeconfig `exec` credential plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`, ...).
public struct ExecConfig: Sendable {
    public static let supportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    public struct EnvVar: Sendable {
        public var name: String
        public var value: Secret<String>
    }
    public var command: String
    public var args: [String]
    public var env: [EnvVar]
    public var apiVersion: String
    public var provideClusterInfo: Bool
    public var interactiveMode: String
    public var position: SourcePosition
}

/// What a plugin returned (`ExecCredential.status`).
public struct ExecCredential: Sendable {
    public var token: Secret<String>?
    public var clientCertificatePEM: Data?
    public var clientKeyPEM: Secret<Data>?
    public var expiration: Date?
}

/// Runs an exec plugin the way client-go does and caches its credential until it expires.
///
/// client-go keeps it in memory for the life of the process and asks again on expiry or a 401. The
/// plugin's stderr goes to the user's terminal, as with kubectl; its stdout (the credential) is
/// parsed and never printed.
public final class ExecCredentialProvider: @unchecked Sendable {
    let config: ExecConfig
    let server: String
    let caPEM: Data?
    private let lock = NSLock()
    private var cached: ExecCredential?
    /// How many times the plugin ran (tests check the cache).
    public private(set) var runs = 0

    public init(config: ExecConfig, server: String, caPEM: Data?) {
        self.config = config; self.server = server; self.caPEM = caPEM
    }

    /// The cached credential while it is valid (with 10 s of margin), else a fresh one.
    public func credential(now: Date = Date()) throws -> ExecCredential {
        lock.lock(); defer { lock.unlock() }
        if let c = cached, c.expiration.map({ $0.timeIntervalSince(now) > 10 }) ?? true { return c }
        let fresh = try run()
        cached = fresh
        return fresh
    }

    /// Forget the credential (after a 401), so the next request runs the plugin again.
    public func invalidate() {
        lock.lock(); defer { lock.unlock() }
        cached = nil
    }

    func run() throws -> ExecCredential {
        runs += 1
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try resolveCommand())
        p.arguments = config.args
        var env = ProcessInfo.processInfo.environment
        for e in config.env { env[e.name] = e.value.value }
        env["KUBERNETES_EXEC_INFO"] = execInfo()
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        let where_ = config.position
        do { try p.run() } catch {
            throw where_.error("exec plugin \(config.command) could not be started: \(error.localizedDescription)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw where_.error(
                "exec plugin \(config.command) exited with status \(p.terminationStatus) (its own message is above)")
        }
        return try Self.parse(data, apiVersion: config.apiVersion, command: config.command, position: where_)
    }

    /// `KUBERNETES_EXEC_INFO`: the ExecCredential the plugin is asked to fill in.
    func execInfo() -> String {
        var spec: [String: Any] = ["interactive": false]
        if config.provideClusterInfo {
            var cluster: [String: Any] = ["server": server]
            if let ca = caPEM { cluster["certificate-authority-data"] = ca.base64EncodedString() }
            spec["cluster"] = cluster
        }
        let doc: [String: Any] = ["apiVersion": config.apiVersion, "kind": "ExecCredential", "spec": spec]
        let data = (try? JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    func resolveCommand() throws -> String {
        if config.command.contains("/") { return config.command }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(config.command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw config.position.error("exec plugin \(config.command) not found in PATH")
    }

    static func parse(_ data: Data, apiVersion: String, command: String, position: SourcePosition) throws -> ExecCredential {
        guard let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw position.error("exec plugin \(command) did not print an ExecCredential (JSON)")
        }
        guard doc["kind"] as? String == "ExecCredential" else {
            throw position.error("exec plugin \(command) printed kind \(doc["kind"] as? String ?? "none"), not ExecCredential")
        }
        guard doc["apiVersion"] as? String == apiVersion else {
            throw position.error(
                "exec plugin \(command) answered apiVersion \(doc["apiVersion"] as? String ?? "none"), but the kubeconfig asks for \(apiVersion)"
            )
        }
        guard let status = doc["status"] as? [String: Any] else {
            throw position.error("exec plugin \(command) returned an ExecCredential without status")
        }
        var c = ExecCredential()
        c.token = (status["token"] as? String).map(Secret.init)
        c.clientCertificatePEM = (status["clientCertificateData"] as? String).map { Data($0.utf8) }
        c.clientKeyPEM = (status["clientKeyData"] as? String).map { Secret(Data($0.utf8)) }
        if let exp = status["expirationTimestamp"] as? String {
            c.expiration =
                ISO8601DateFormatter().date(from: exp)
                ?? {
                    let f = ISO8601DateFormatter(); f.formatOptions = [.withInternetDateTime, .withFractionalSeconds];
                    return f.date(from: exp)
                }()
        }
        guard c.token != nil || (c.clientCertificatePEM != nil && c.clientKeyPEM != nil) else {
            throw position.error("exec plugin \(command) returned neither a token nor a client certificate and key")
        }
        return c
    }
}
