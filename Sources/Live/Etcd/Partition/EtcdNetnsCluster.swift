import Foundation

/// A failure of the partition harness (a command that failed, a cluster that did not settle).
public struct EtcdPartitionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A real etcd cluster whose members each run in their own network namespace (`EtcdNetns`).
///
/// `cut(i)` takes member i's peer link down, so it is partitioned from raft while its client URL
/// still answers; `heal(i)` brings the link back. Namespaces, links, members and the data directory
/// go with `tearDown()` (also on deinit, and when the start fails). Needs root.
public final class EtcdNetnsCluster: @unchecked Sendable {
    public let netns: EtcdNetns
    public let dir: URL
    public let heartbeatMilliseconds: Int
    public let electionTimeoutMilliseconds: Int
    public var size: Int { netns.size }
    /// Client URLs by member index (member i is named "mi").
    public let endpoints: [String]
    /// Member id (hex, as etcd logs and the status show it) → member index.
    public private(set) var indexByID: [String: Int] = [:]
    let ip: String
    private let lock = NSLock()
    private var up = false
    private var processes: [Process] = []

    /// Starts the cluster.
    ///
    /// The namespace prefix is random and checked against the namespaces that exist, so that
    /// neither a second harness nor a leftover of a killed one clashes.
    public init(
        size: Int = 3, heartbeatMilliseconds: Int = 100, electionTimeoutMilliseconds: Int = 1000,
        ip: String, etcd: String
    ) throws {
        self.ip = ip
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.electionTimeoutMilliseconds = electionTimeoutMilliseconds
        let existing = (try? Subprocess.run(ip, ["netns", "list"]))?.stdout ?? ""
        var name = ""
        repeat { name = "k3e" + String(format: "%05x", UInt32.random(in: 0..<0x100000)) } while existing.contains(name)
        netns = EtcdNetns(name: name, net: Self.freeSubnet(ip: ip), size: size)
        endpoints = (0..<size).map(netns.clientURL)
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-etcd-partition-\(name)")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            setUp(true)
            for c in netns.upCommands { try ipCommand(c) }
            for i in 0..<size {
                // Each member ticks every heartbeat interval from its own start: members started
                // within a millisecond of each other tick in phase, and two followers that draw the
                // same randomized election timeout (whole ticks, 1 chance in 10) then campaign in the
                // same millisecond and split the vote. Servers of a real cluster start seconds apart.
                if i > 0 { Thread.sleep(forTimeInterval: Double.random(in: 0..<(Double(heartbeatMilliseconds) / 1000))) }
                try startMember(i, etcd: etcd)
            }
        } catch {
            tearDown()
            throw error
        }
    }

    deinit { tearDown() }

    private func setUp(_ value: Bool) { lock.lock(); up = value; lock.unlock() }

    private func startMember(_ i: Int, etcd: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ip)
        p.arguments = netns.memberCommand(
            i, etcd: etcd, dataDir: dir.appendingPathComponent("m\(i)").path,
            heartbeatMilliseconds: heartbeatMilliseconds,
            electionTimeoutMilliseconds: electionTimeoutMilliseconds)
        let log = dir.appendingPathComponent("m\(i).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        p.standardOutput = try FileHandle(forWritingTo: log)
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        lock.lock(); processes.append(p); lock.unlock()
    }

    /// Stops the members and deletes the namespaces, links and data.
    ///
    /// Members get SIGKILL, each by its pid; each member preallocates a 64 MB WAL. Safe to call
    /// more than once, from any thread.
    public func tearDown() {
        lock.lock()
        let wasUp = up, procs = processes
        up = false; processes = []
        lock.unlock()
        guard wasUp else { return }
        for p in procs where p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        for c in netns.downCommands { _ = try? Subprocess.run(ip, c) }
        try? FileManager.default.removeItem(at: dir)
    }

    private func ipCommand(_ args: [String]) throws {
        let r = try Subprocess.run(ip, args)
        guard r.code == 0 else {
            throw EtcdPartitionError(
                "ip \(args.joined(separator: " ")) failed: \(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// A 10.x/16 that no route or address on this host uses (x from 200 up, random, so that
    /// two harnesses started side by side do not pick the same one).
    static func freeSubnet(ip: String) -> Int {
        let routes =
            ((try? Subprocess.run(ip, ["-4", "route", "show", "table", "all"]))?.stdout ?? "")
            + ((try? Subprocess.run(ip, ["-4", "addr", "show"]))?.stdout ?? "")
        for _ in 0..<50 {
            let x = Int.random(in: 200...250)
            if !routes.contains("10.\(x).") { return x }
        }
        return Int.random(in: 200...250)
    }

    /// Raft traffic to and from member `index` stops (its peer veth goes down); its client URL keeps answering.
    public func cut(_ index: Int) throws { try ipCommand(netns.cutCommand(index)) }
    public func heal(_ index: Int) throws { try ipCommand(netns.healCommand(index)) }

    public func client(requestTimeout: TimeInterval = 1) -> EtcdClient {
        EtcdClient(endpoints: endpoints, requestTimeout: requestTimeout, http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
    }

    /// Waits until every member answers, all name the same leader at the same term, and a write
    /// through every member succeeds (after a heal the peer connections must be back too);
    /// returns the leader's index and the term.
    public func waitForLeader(timeout: TimeInterval = 20, cancellation: Cancellation? = nil) throws -> (leader: Int, term: Int) {
        let client = client()
        let end = Date().addingTimeInterval(timeout)
        while Date() < end, cancellation?.isCancelled != true {
            let statuses = endpoints.compactMap { try? client.status($0) }
            if statuses.count == endpoints.count {
                lock.lock(); for (i, s) in statuses.enumerated() { indexByID[s.memberID] = i }; lock.unlock()
            }
            if statuses.count == endpoints.count, let l = statuses.first?.leader, l != "0",
                statuses.allSatisfy({ $0.leader == l && $0.raftTerm == statuses[0].raftTerm }), let leader = indexByID[l],
                endpoints.allSatisfy({ (try? client.put($0, key: "k3sim/settle", value: "1")) != nil })
            {
                return (leader, statuses[0].raftTerm)
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        if let why = cancellation?.reason { throw EtcdPartitionError("stopped: \(why)") }
        throw EtcdPartitionError("the etcd cluster in \(dir.path) did not settle on a leader within \(Int(timeout)) s")
    }

    /// One line of a member's raft log (etcd `--logger zap`): wall time and message.
    public struct LogLine: Sendable { public let time: Double; public let member: Int; public let message: String }

    /// The raft state changes of every member between `from` and `to` (seconds since 1970), in time order.
    public func raftLog(from: Double, to: Double) -> [LogLine] {
        var lines: [LogLine] = []
        for i in 0..<size {
            guard let text = try? String(contentsOf: dir.appendingPathComponent("m\(i).log"), encoding: .utf8) else { continue }
            for row in text.split(separator: "\n") where row.contains("\"caller\":\"raft/") {
                guard let doc = try? JSONValue.parse(Data(row.utf8)), let ts = doc["ts"]?.string, let t = Self.parseTime(ts),
                    let msg = doc["msg"]?.string, t >= from, t <= to
                else { continue }
                lines.append(LogLine(time: t, member: i, message: msg))
            }
        }
        return lines.sorted { ($0.time, $0.member) < ($1.time, $1.member) }
    }

    /// zap's ISO 8601 time ("2026-12-07T12:21:49.491Z") as seconds since 1970.
    public static func parseTime(_ s: String) -> Double? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)?.timeIntervalSince1970
    }

    /// `etcd --version`'s first line's version.
    public static func etcdVersion(_ etcd: String) -> String {
        let out = (try? Subprocess.run(etcd, ["--version"]))?.stdout ?? ""
        return out.split(separator: "\n").first.map { $0.replacingOccurrences(of: "etcd Version: ", with: "") } ?? "unknown"
    }
}
