import Foundation

/// What `k3sim live etcd partition` needs before it touches anything: root (network
/// namespaces and links), iproute2's `ip`, and an etcd binary.
public enum EtcdPartitionPrerequisites {
    /// What was found on this machine; `etcd` is the given path, or the one on PATH.
    public struct Found: Sendable, Equatable {
        public var root: Bool
        public var ip: String?
        public var etcd: String?
        public init(root: Bool, ip: String?, etcd: String?) { self.root = root; self.ip = ip; self.etcd = etcd }
    }

    /// Looks at this machine.
    ///
    /// `etcdPath`, when given, must be an executable file.
    public static func look(etcdPath: String?) -> Found {
        let etcd = etcdPath.map { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil } ?? Subprocess.which("etcd")
        return Found(root: geteuid() == 0, ip: Subprocess.which("ip"), etcd: etcd)
    }

    /// One sentence naming everything missing and how to get it; nil when nothing is.
    public static func missing(_ f: Found, etcdPath: String?) -> String? {
        var parts: [String] = []
        if !f.root { parts.append("root (it creates network namespaces: run it with sudo)") }
        if f.ip == nil { parts.append("the `ip` command (apt-get install iproute2)") }
        if f.etcd == nil {
            parts.append(
                etcdPath.map { "an etcd binary (\($0) is not an executable file; apt-get install etcd-server, or --etcd PATH)" }
                    ?? "an etcd binary on PATH (apt-get install etcd-server, or --etcd PATH)")
        }
        guard let last = parts.last else { return nil }
        let list = parts.count == 1 ? last : parts.dropLast().joined(separator: ", ") + " and " + last
        return "k3sim live etcd partition needs \(list)"
    }

    /// Makes a network namespace and deletes it, returning ip's complaint when that fails.
    ///
    /// Root alone is not enough in a container without CAP_SYS_ADMIN.
    public static func namespacesRefused(ip: String) -> String? {
        let ns = "k3sim-check-\(getpid())"
        guard let r = try? Subprocess.run(ip, ["netns", "add", ns]) else { return "ip could not be run" }
        if r.code != 0 { return r.stderr.trimmingCharacters(in: .whitespacesAndNewlines) }
        _ = try? Subprocess.run(ip, ["netns", "del", ns])
        return nil
    }
}
