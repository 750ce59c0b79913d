import Foundation
import Live

/// A real three-member etcd cluster (Debian's `etcd`) whose members each run in their own
/// network namespace, made by `tools/etcd-netns`: raft traffic goes over one bridge and client
/// traffic over another that this host is on. `cut(i)` takes member i's peer link down, so it
/// is partitioned from raft while the test can still write through its client URL and read its
/// status; `heal(i)` brings the link back. Namespaces, links and members go on deinit and when
/// the start fails. Needs root (network namespaces) as well as `ip` and `etcd`.
final class EtcdNetnsCluster: @unchecked Sendable {
    static let script = Tools.packageRoot.appendingPathComponent("tools/etcd-netns").path

    /// Root alone is not enough in a container without CAP_SYS_ADMIN: try to make a namespace.
    static let available: Bool = {
        guard geteuid() == 0, Tools.which("etcd") != nil, Tools.which("ip") != nil, Tools.which("bash") != nil else { return false }
        let ns = "k3sim-check-\(getpid())"
        return (try? Tools.run("/bin/sh", ["-c", "ip netns add \(ns) && ip netns del \(ns)"]))?.code == 0
    }()
    static let missing = "needs root with network namespaces, iproute2 and Debian's etcd-server on PATH; .ci/run runs as root and installs them"

    /// Namespaces are NAME0..NAME2 and interfaces NAMEi{P,C}: a short random name, so that a
    /// leftover of a crashed run does not clash with the next.
    let name: String
    /// Second octet of the cluster's 10.x subnets (peer 10.x.1.0/24, client 10.x.2.0/24).
    let net: Int
    let dir: URL
    let size: Int
    let heartbeatMilliseconds: Int
    let electionTimeoutMilliseconds: Int
    /// Client URLs by member index (member i is named "mi").
    private(set) var endpoints: [String] = []
    /// Member id (hex, as etcd logs and the status show it) → member index.
    private(set) var indexByID: [String: Int] = [:]
    private var up = false
    private var processes: [Process] = []

    init(size: Int = 3, heartbeatMilliseconds: Int = 100, electionTimeoutMilliseconds: Int = 1000) throws {
        self.size = size
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.electionTimeoutMilliseconds = electionTimeoutMilliseconds
        name = "k3e" + String(UInt32.random(in: 0..<0x10000), radix: 16)
        net = Self.freeSubnet()
        dir = try Tools.tempDir("etcd-netns")
        do {
            up = true
            try script(["up", name, String(net), String(size)])
            // Each member is started here, not by the script's `start`: the process is then
            // etcd itself (the script execs it), stopped by its pid and waited for.
            for i in 0..<size {
                // Each member ticks every heartbeat interval from its own start: members started
                // within a millisecond of each other tick in phase, and two followers that draw the
                // same randomized election timeout (whole ticks, 1 chance in 10) then campaign in the
                // same millisecond and split the vote. Servers of a real cluster start seconds apart.
                if i > 0 { Thread.sleep(forTimeInterval: Double.random(in: 0..<(Double(heartbeatMilliseconds) / 1000))) }
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/bash")
                p.arguments = [Self.script, "member", name, String(net), dir.path, String(i), String(size),
                               String(heartbeatMilliseconds), String(electionTimeoutMilliseconds)]
                let log = dir.appendingPathComponent("m\(i).log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
                p.standardOutput = try FileHandle(forWritingTo: log)
                p.standardError = try FileHandle(forWritingTo: log)
                try p.run()
                processes.append(p)
                endpoints.append("http://10.\(net).2.\(10 + i):2379")
            }
        } catch {
            tearDown()
            throw error
        }
    }

    /// Each member preallocates a 64 MB WAL: the directory goes with the cluster.
    deinit { tearDown() }

    func tearDown() {
        guard up else { return }
        up = false
        for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        _ = try? Tools.run("/bin/bash", [Self.script, "down", name])
        try? FileManager.default.removeItem(at: dir)
    }

    @discardableResult
    private func script(_ args: [String]) throws -> String {
        let r = try Tools.run("/bin/bash", [Self.script] + args)
        guard r.code == 0 else { throw PKIError(message: "tools/etcd-netns \(args.joined(separator: " ")): \(r.stderr)") }
        return r.stdout
    }

    /// A 10.x/16 that no route on this host uses (x from 200 up, random, so that two clusters
    /// started side by side do not pick the same one).
    static func freeSubnet() -> Int {
        let routes = (try? Tools.run("/bin/sh", ["-c", "ip -4 route show table all; ip -4 addr show"]))?.stdout ?? ""
        for _ in 0..<50 {
            let x = Int.random(in: 200...250)
            if !routes.contains("10.\(x).") { return x }
        }
        return Int.random(in: 200...250)
    }

    /// Raft traffic to and from member `index` stops (its peer veth goes down); its client URL keeps answering.
    func cut(_ index: Int) throws { try script(["cut", name, String(index)]) }
    func heal(_ index: Int) throws { try script(["heal", name, String(index)]) }

    func client(requestTimeout: TimeInterval = 1) -> EtcdClient {
        EtcdClient(endpoints: endpoints, requestTimeout: requestTimeout, http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
    }

    /// Waits until every member answers, all name the same leader at the same term, and a write
    /// through every member succeeds (after a heal the peer connections must be back too);
    /// returns the leader's index and the term.
    func waitForLeader(timeout: TimeInterval = 20) throws -> (leader: Int, term: Int) {
        let client = client()
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            let statuses = endpoints.compactMap { try? client.status($0) }
            for (i, s) in statuses.enumerated() where statuses.count == endpoints.count { indexByID[s.memberID] = i }
            if statuses.count == endpoints.count, let l = statuses.first?.leader, l != "0",
               statuses.allSatisfy({ $0.leader == l && $0.raftTerm == statuses[0].raftTerm }), let leader = indexByID[l],
               endpoints.allSatisfy({ (try? client.put($0, key: "k3sim/settle", value: "1")) != nil }) {
                return (leader, statuses[0].raftTerm)
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw PKIError(message: "the etcd cluster in \(dir.path) did not settle on a leader within \(Int(timeout)) s")
    }

    /// One line of a member's raft log (etcd `--logger zap`): wall time and message.
    struct LogLine { let time: Double; let member: Int; let message: String }

    /// The raft state changes of every member between `from` and `to` (seconds since 1970), in time order.
    func raftLog(from: Double, to: Double) -> [LogLine] {
        var lines: [LogLine] = []
        for i in 0..<size {
            guard let text = try? String(contentsOf: dir.appendingPathComponent("m\(i).log"), encoding: .utf8) else { continue }
            for row in text.split(separator: "\n") where row.contains("\"caller\":\"raft/") {
                guard let doc = try? JSONValue.parse(Data(row.utf8)), let ts = doc["ts"]?.string, let t = Self.parseTime(ts),
                      let msg = doc["msg"]?.string, t >= from, t <= to else { continue }
                lines.append(LogLine(time: t, member: i, message: msg))
            }
        }
        return lines.sorted { $0.time < $1.time }
    }

    /// zap's ISO 8601 time ("2026-12-07T12:21:49.491Z") as seconds since 1970.
    static func parseTime(_ s: String) -> Double? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)?.timeIntervalSince1970
    }

    /// `etcd --version`'s first line's version.
    static var etcdVersion: String {
        let out = (try? Tools.run(Tools.which("etcd") ?? "etcd", ["--version"]))?.stdout ?? ""
        return out.split(separator: "\n").first.map { $0.replacingOccurrences(of: "etcd Version: ", with: "") } ?? "unknown"
    }
}
