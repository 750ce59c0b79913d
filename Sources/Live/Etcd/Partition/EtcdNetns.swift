import Foundation

/// The network of the partition harness, as `ip` commands.
///
/// The layout is that of `tools/etcd-netns`, which does it from a shell: member i runs in namespace
/// NAMEi with two veth links, "peer" on bridge NAMEp carrying only raft traffic
/// (10.NET.1.(10+i):2380) and "client" on bridge NAMEc that the host is on too
/// (10.NET.2.(10+i):2379, host 10.NET.2.1). Setting the host end of a member's peer veth (NAMEiP)
/// down drops its raft traffic while its client URL keeps answering.
public struct EtcdNetns: Sendable {
    /// Interface names are at most 15 characters: NAME, the member index and a letter.
    public let name: String
    /// Second octet of the 10.x.0.0/16 the harness uses.
    public let net: Int
    public let size: Int

    public init(name: String, net: Int, size: Int) {
        precondition(name.count <= 10, "interface names would exceed 15 characters")
        self.name = name; self.net = net; self.size = size
    }

    public func namespace(_ i: Int) -> String { "\(name)\(i)" }
    public func peerLink(_ i: Int) -> String { "\(name)\(i)P" }
    public func peerURL(_ i: Int) -> String { "http://10.\(net).1.\(10 + i):2380" }
    public func clientURL(_ i: Int) -> String { "http://10.\(net).2.\(10 + i):2379" }

    /// `ip` argument lists that build the network, in order.
    public var upCommands: [[String]] {
        var c: [[String]] = [
            ["link", "add", "\(name)p", "type", "bridge"], ["link", "add", "\(name)c", "type", "bridge"],
            ["link", "set", "\(name)p", "up"], ["link", "set", "\(name)c", "up"],
            ["addr", "add", "10.\(net).2.1/24", "dev", "\(name)c"],
        ]
        for i in 0..<size {
            let ns = namespace(i)
            c += [
                ["netns", "add", ns], ["-n", ns, "link", "set", "lo", "up"],
                ["link", "add", "\(ns)P", "type", "veth", "peer", "name", "peer", "netns", ns],
                ["link", "add", "\(ns)C", "type", "veth", "peer", "name", "client", "netns", ns],
                ["link", "set", "\(ns)P", "master", "\(name)p", "up"], ["link", "set", "\(ns)C", "master", "\(name)c", "up"],
                ["-n", ns, "addr", "add", "10.\(net).1.\(10 + i)/24", "dev", "peer"],
                ["-n", ns, "addr", "add", "10.\(net).2.\(10 + i)/24", "dev", "client"],
                ["-n", ns, "link", "set", "peer", "up"], ["-n", ns, "link", "set", "client", "up"],
            ]
        }
        return c
    }

    /// The host end of each veth first (that deletes both ends at once: a deleted namespace
    /// takes its ends along only when the kernel gets round to freeing it, which can be long
    /// after), then the namespaces and the bridges.
    public var downCommands: [[String]] {
        (0..<size).flatMap { i in [["link", "del", "\(namespace(i))P"], ["link", "del", "\(namespace(i))C"]] }
            + (0..<size).map { ["netns", "del", namespace($0)] } + [["link", "del", "\(name)p"], ["link", "del", "\(name)c"]]
    }

    public func cutCommand(_ i: Int) -> [String] { ["link", "set", peerLink(i), "down"] }
    public func healCommand(_ i: Int) -> [String] { ["link", "set", peerLink(i), "up"] }

    /// The `ip` arguments that run member i in its namespace.
    ///
    /// `ip netns exec` execs etcd, so the process started is etcd itself and can be stopped by its
    /// pid. --pre-vote is off by default in etcd 3.4 (embed.NewConfig); CheckQuorum is no flag but
    /// always on (etcdserver/raft.go startNode and restartNode set raft.Config.CheckQuorum). zap
    /// logs carry a millisecond wall-clock timestamp on every raft state change.
    public func memberCommand(
        _ i: Int, etcd: String, dataDir: String, heartbeatMilliseconds: Int,
        electionTimeoutMilliseconds: Int
    ) -> [String] {
        let initial = (0..<size).map { "m\($0)=\(peerURL($0))" }.joined(separator: ",")
        return [
            "netns", "exec", namespace(i), etcd, "--name", "m\(i)", "--data-dir", dataDir,
            "--listen-peer-urls", peerURL(i), "--initial-advertise-peer-urls", peerURL(i),
            "--listen-client-urls", clientURL(i), "--advertise-client-urls", clientURL(i),
            "--initial-cluster", initial, "--initial-cluster-state", "new", "--initial-cluster-token", "\(name)-\(net)",
            "--heartbeat-interval", String(heartbeatMilliseconds), "--election-timeout", String(electionTimeoutMilliseconds),
            "--pre-vote=true", "--logger", "zap", "--log-outputs", "stderr",
        ]
    }
}
