import Foundation
import Live

/// A real etcd cluster on loopback (Debian's `etcd` binary), with chosen heartbeat and election
/// timeout, on ports that were free a moment ago. Members are stopped with SIGKILL (a crash,
/// as the simulation's server crash), each by its own pid.
final class EtcdCluster: @unchecked Sendable {
    struct Member { let name: String; let clientURL: String; let process: Process }
    let dir: URL
    private(set) var members: [Member] = []
    let heartbeatMilliseconds: Int
    let electionTimeoutMilliseconds: Int

    var endpoints: [String] { members.map(\.clientURL) }

    init(size: Int = 3, heartbeatMilliseconds: Int = 100, electionTimeoutMilliseconds: Int = 1000) throws {
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.electionTimeoutMilliseconds = electionTimeoutMilliseconds
        dir = try Tools.tempDir("etcd")
        let ports = (0..<size).map { _ in (Tools.freePort(), Tools.freePort()) }
        let initial = ports.enumerated().map { "m\($0.offset)=http://127.0.0.1:\($0.element.1)" }.joined(separator: ",")
        for (i, (client, peer)) in ports.enumerated() {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Tools.which("etcd")!)
            p.arguments = [
                "--name", "m\(i)", "--data-dir", dir.appendingPathComponent("m\(i)").path,
                "--listen-client-urls", "http://127.0.0.1:\(client)", "--advertise-client-urls", "http://127.0.0.1:\(client)",
                "--listen-peer-urls", "http://127.0.0.1:\(peer)", "--initial-advertise-peer-urls", "http://127.0.0.1:\(peer)",
                "--initial-cluster", initial, "--initial-cluster-state", "new", "--initial-cluster-token", dir.lastPathComponent,
                "--heartbeat-interval", String(heartbeatMilliseconds), "--election-timeout", String(electionTimeoutMilliseconds),
                "--pre-vote=true",
            ]
            let log = dir.appendingPathComponent("m\(i).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: log)
            p.standardError = try FileHandle(forWritingTo: log)
            // Servers of a real cluster do not start in the same millisecond. Members started
            // together tick in phase, and two followers that draw the same randomized timeout
            // then campaign at once and split the vote (a second round, ~2.4 s instead of
            // 0.9–1.9 s with these settings): start them a third of a heartbeat apart.
            if i > 0 { Thread.sleep(forTimeInterval: Double(heartbeatMilliseconds) / 3000) }
            try p.run()
            members.append(Member(name: "m\(i)", clientURL: "http://127.0.0.1:\(client)", process: p))
        }
    }

    /// Each member preallocates a 64 MB WAL: the directory goes with the cluster.
    deinit {
        stopAll()
        try? FileManager.default.removeItem(at: dir)
    }

    func stopAll() {
        for m in members where m.process.isRunning {
            Foundation.kill(m.process.processIdentifier, SIGKILL); m.process.waitUntilExit()
        }
    }

    /// Waits until every member answers and agrees on a leader; returns its name.
    func waitForLeader(timeout: TimeInterval = 20) throws -> String {
        let client = EtcdClient(endpoints: endpoints, requestTimeout: 1, http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let s = try? client.clusterStatus(), s.unreachable.isEmpty, let leader = s.leader,
                Set(s.endpoints.map(\.leader)).count == 1
            {
                return leader
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw PKIError(message: "the etcd cluster in \(dir.path) did not elect a leader within \(Int(timeout)) s")
    }

    /// Crashes a member (SIGKILL).
    func kill(member name: String) {
        guard let m = members.first(where: { $0.name == name }) else { return }
        Foundation.kill(m.process.processIdentifier, SIGKILL)
        m.process.waitUntilExit()
    }
}
