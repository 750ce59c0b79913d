import Foundation

/// A harness cluster started, the trials run one after another, and everything torn down
/// however it ends: an error, a Ctrl-C (the cancellation), or success.
public enum EtcdPartitionTrials {
    public struct Result: Sendable {
        public var trials: [EtcdPartitionExperiment.Trial]
        public var etcdVersion: String
        /// The network namespaces the members ran in (deleted by now).
        public var namespaces: [String]
        /// From the start of the cluster to its teardown.
        public var wallSeconds: Double
    }

    public static func run(
        _ experiment: EtcdPartitionExperiment, trials: Int, ip: String, etcd: String,
        heartbeatMilliseconds: Int = 100, electionTimeoutMilliseconds: Int = 1000,
        cancellation: Cancellation, progress: (String) -> Void = { _ in }
    ) throws -> Result {
        let started = Date()
        let cluster = try EtcdNetnsCluster(
            heartbeatMilliseconds: heartbeatMilliseconds, electionTimeoutMilliseconds: electionTimeoutMilliseconds,
            ip: ip, etcd: etcd)
        defer { cluster.tearDown() }
        progress(
            "etcd cluster in namespaces \(cluster.netns.namespace(0))–\(cluster.netns.namespace(cluster.size - 1)), waiting for a leader"
        )
        _ = try cluster.waitForLeader(timeout: 30, cancellation: cancellation)
        var done: [EtcdPartitionExperiment.Trial] = []
        for k in 0..<trials {
            progress(
                "trial \(k + 1) of \(trials): cutting off the \(experiment.role.rawValue) for \(experiment.partitionSeconds) s")
            done.append(try experiment.run(on: cluster, cancellation: cancellation))
        }
        cluster.tearDown()
        return Result(
            trials: done, etcdVersion: EtcdNetnsCluster.etcdVersion(etcd),
            namespaces: (0..<cluster.size).map(cluster.netns.namespace),
            wallSeconds: Date().timeIntervalSince(started))
    }
}
