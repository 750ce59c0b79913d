import Foundation
import SimKernel

/// The bounds k3sim puts on what a scenario, manifest, catalog or scheduler configuration may ask for.
///
/// Upstream Kubernetes has few upper bounds (an int32 or int64 field takes any value); a simulator
/// that counts time in 64-bit microseconds and keeps every pod in memory needs them, so that no
/// input can overflow a counter, spin the event loop or eat the machine. Each bound is far above
/// what a real cluster uses (README "Limits").
public enum Limits {
    /// Largest file read as a scenario, manifest, price catalog or scheduler configuration: 4 MiB.
    ///
    /// The 5,000-node scenario is 88 KB. Checked before the file is read.
    public static let maxInputBytes = 4 << 20
    /// Longest duration or span of seconds anywhere in the input: 8760h (365 days).
    public static let maxSeconds: Int64 = 365 * 24 * 3600
    public static var maxDuration: SimTime { .seconds(maxSeconds) }
    /// Most nodes in one cluster: 50,000 (ten times upstream's tested 5,000).
    public static let maxNodes = 50_000
    /// Most control-plane servers: 15 (etcd recommends at most 7 members).
    public static let maxServers = 15
    /// Most pods the workloads ask for at once (replicas summed, DaemonSets once per node):
    /// 1,000,000 (upstream tests 150,000).
    public static let maxPods = 1_000_000
    /// Largest probe successThreshold or failureThreshold: 10,000 (upstream: any int32).
    public static let maxProbeThreshold: Int64 = 10_000
    /// Most runs one process simulates (`run --runs N`, or one shard of a sweep): 100,000; and
    /// most runs in a sweep: 1,000,000,000 (a sweep's shards index runs × shard).
    public static let maxRunsPerProcess = 100_000
    public static let maxSweepRuns = 1_000_000_000

    /// Why `runs` seeds in `shards` shards are too many, or nil.
    public static func runsProblem(runs: Int, shards: Int?) -> String? {
        if runs > maxSweepRuns { return "--runs \(runs) is more than the limit of \(maxSweepRuns)" }
        let perProcess = shards.map { k in k >= 1 ? runs / k + (runs % k == 0 ? 0 : 1) : runs } ?? runs
        if perProcess > maxRunsPerProcess {
            return
                "--runs \(runs) makes \(perProcess) runs in one process, more than the limit of \(maxRunsPerProcess): split the sweep into more shards (--shard I/K, k3sim sweep --shards)"
        }
        return nil
    }

    /// Shortest etcd heartbeat: 10ms (shorter ones make the raft timers dominate the run).
    public static let minHeartbeat = SimTime.milliseconds(10)
    /// Shortest node-monitor period: 100ms (the node lifecycle pass runs this often).
    public static let minNodeMonitorPeriod = SimTime.milliseconds(100)
    /// Most node-monitor passes in one run (duration / nodeMonitorPeriod): 10,000,000 (a year
    /// at the default 5 s is 6.3 million).
    public static let maxMonitorPasses: Int64 = 10_000_000
    /// Most etcd heartbeat intervals in one run (duration / heartbeatInterval): 100,000,000 (a
    /// year at K3S's 500 ms is 63 million).
    public static let maxHeartbeats: Int64 = 100_000_000
    /// Largest eviction rate: 1,000 nodes per second.
    public static let maxEvictionRate = 1000.0
    /// Largest cpu quantity: 1,048,576 cores; memory and storage: 1 PiB; any other resource: 2^40.
    public static let maxMilliCPU: Int64 = 1 << 30
    public static let maxBytes: Int64 = 1 << 50
    public static let maxScalar: Int64 = 1 << 40
    /// Largest price or amount in a catalog (per unit), and largest exchange rate.
    public static let maxPrice = 1e9
    public static let maxFXRate = 1e6
    /// A lognormal's tail: the largest sample (at z = 8.6, beyond the normal generator's reach)
    /// must stay within this many seconds, or a draw could overflow simulated time.
    public static let maxLognormalTailSeconds = 1e10

    /// Reads a user's file, refusing what is not a regular file, is too large, or is not UTF-8.
    ///
    /// What is not a regular file or is larger than `maxInputBytes` is refused before it is read.
    /// `what` names the file in messages ("the scenario file", "the manifest").
    public static func readText(path: String, what: String) throws -> String {
        let attributes: [FileAttributeKey: Any]
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        do { attributes = try FileManager.default.attributesOfItem(atPath: resolved) } catch {
            throw ScenarioError(file: path, message: "cannot read \(what) (does it exist?)")
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            throw ScenarioError(file: path, message: "\(what) is not a regular file (\(describe(type)))")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxInputBytes else {
            throw ScenarioError(file: path, message: "\(what) is \(size) bytes, more than the limit of \(maxInputBytes) (4 MiB)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(file: path, message: "cannot read \(what) (does it exist?)")
        }
        // Files under /proc report size 0 and may grow: check what was read too.
        guard data.count <= maxInputBytes else {
            throw ScenarioError(file: path, message: "\(what) is more than the limit of \(maxInputBytes) bytes (4 MiB)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: path, message: "\(what) is not UTF-8 text")
        }
        return text
    }

    static func describe(_ type: FileAttributeType) -> String {
        switch type {
        case .typeDirectory: return "a directory"
        case .typeCharacterSpecial, .typeBlockSpecial: return "a device"
        case .typeSocket: return "a socket"
        default: return "not a plain file"
        }
    }

    /// `1h0m0s`-style text of a number of seconds, for messages.
    static func seconds(_ s: Int64) -> String { "\(s) (\(SimTime.seconds(s)))" }
}
