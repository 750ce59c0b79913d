import Foundation
import Live
import Testing

/// Helpers shared by the live-mode tests: external tools, temporary directories, subprocesses.
enum Tools {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/LiveTests/Fixtures")

    /// The executable's path in PATH, or nil.
    static func which(_ name: String) -> String? { Subprocess.which(name) }

    /// python3 with the ssl module (the test API server), and openssl (its certificates).
    static let fakeServerAvailable: Bool = {
        guard let python = which("python3"), which("openssl") != nil else { return false }
        return (try? run(python, ["-c", "import ssl, http.server"]))?.code == 0
    }()
    static let fakeServerMissing =
        "needs python3 (with ssl) and openssl on PATH for the loopback API server; .ci/run installs them"

    static let etcdAvailable = which("etcd") != nil
    static let etcdMissing =
        "needs Debian's etcd-server (the etcd binary) on PATH for a real three-member cluster; .ci/run installs it"

    typealias Result = Subprocess.Result

    @discardableResult
    static func run(_ executable: String, _ args: [String], environment: [String: String]? = nil) throws -> Result {
        try Subprocess.run(executable, args, environment: environment)
    }

    static func tempDir(_ prefix: String) throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// The `k3sim` binary SwiftPM built for this test target.
    static var k3simBinary: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("k3sim")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside.path }
        return packageRoot.appendingPathComponent(".build/debug/k3sim").path
    }

    /// Runs k3sim with a clean kubeconfig environment (no KUBECONFIG or proxies from the caller).
    static func k3sim(_ args: [String], environment extra: [String: String] = [:]) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        for k in [
            "KUBECONFIG", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
            "KUBERNETES_SERVICE_HOST", "K3SIM_DB",
        ] { env[k] = nil }
        env.merge(extra) { _, b in b }
        return try run(k3simBinary, args, environment: env)
    }

    /// A TCP port nobody listens on right now (bind to port 0 and read it back).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
