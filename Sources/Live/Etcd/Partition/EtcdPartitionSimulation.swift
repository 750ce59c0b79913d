import Foundation
import Scenario
import Simulation

/// The partition experiment as a scenario.
///
/// Three K3S servers with embedded etcd in three locations (the simulation partitions locations),
/// the harness's raft settings, and one partition per live trial, a minute or more apart, as the
/// trials follow each other on one cluster. Fault i of a simulated run is compared with trial i.
public struct EtcdPartitionSimulation: Sendable {
    public var role: EtcdPartitionExperiment.Role
    public var trials: Int
    public var partitionSeconds: Double
    public var heartbeatMilliseconds: Int
    public var electionTimeoutMilliseconds: Int
    /// Members on one host talk over veths: sub-millisecond round trips.
    public var roundTripMilliseconds: Int
    /// How long each live partition actually lasted (cut to heal, the heal command included).
    ///
    /// Fault i lasts as long as trial i did. Empty: `partitionSeconds` each.
    public var measuredPartitionSeconds: [Double] = []

    public init(
        role: EtcdPartitionExperiment.Role, trials: Int, partitionSeconds: Double, heartbeatMilliseconds: Int = 100,
        electionTimeoutMilliseconds: Int = 1000, roundTripMilliseconds: Int = 1
    ) {
        self.role = role; self.trials = trials; self.partitionSeconds = partitionSeconds
        self.heartbeatMilliseconds = heartbeatMilliseconds; self.electionTimeoutMilliseconds = electionTimeoutMilliseconds
        self.roundTripMilliseconds = roundTripMilliseconds
    }

    /// The location cut off for a follower partition (its server is a follower in the seeds kept).
    public static let followerLocation = "fsn1"

    var partitionMilliseconds: Int { Int((partitionSeconds * 1000).rounded()) }

    /// Fault i's length in milliseconds.
    func partitionMilliseconds(_ i: Int) -> Int {
        i < measuredPartitionSeconds.count ? Int((measuredPartitionSeconds[i] * 1000).rounded()) : partitionMilliseconds
    }
    /// Seconds between partitions: the partition, then at least half a minute of quiet.
    var spacingSeconds: Int { max(60, Int((measuredPartitionSeconds.reduce(partitionSeconds, max) + 30).rounded(.up))) }

    public var scenarioName: String {
        "etcd-partition-\(role.rawValue)-3m-hb\(heartbeatMilliseconds)ms-et\(electionTimeoutMilliseconds)ms-\(partitionMilliseconds)ms"
    }

    public var scenarioText: String {
        let target = role == .leader ? "controlplane/leader" : "zone/\(Self.followerLocation)"
        let faults = (0..<trials).map { i in
            "    - {at: \(spacingSeconds * (i + 1))s, action: partition, target: \(target), for: \(partitionMilliseconds(i))ms}"
        }.joined(separator: "\n")
        return """
            # Written by `k3sim live etcd partition`: the \(role.rawValue) is cut off from raft for \(partitionMilliseconds) ms, \(trials) time(s),
            # with the measured cluster's heartbeat and election timeout\(measuredPartitionSeconds.isEmpty ? "" : ", each as long as the live one lasted").\(role == .follower ? " Runs whose leader is in \(Self.followerLocation) are not kept." : "")
            apiVersion: k3sim/v1alpha1
            kind: Scenario
            metadata:
              name: \(scenarioName)
              description: etcd \(role.rawValue) partition with heartbeat \(heartbeatMilliseconds) ms and election timeout \(electionTimeoutMilliseconds) ms
            spec:
              duration: \(spacingSeconds * (trials + 1))s
              seed: 1
              platform:
                distribution: k3s
                provider: hetzner
                kubernetesVersion: "1.33"
                disable: [coredns, metrics-server, local-storage, traefik, servicelb]
              controlPlane:
                count: 3
                serverType: cax11
                locations: [fsn1, nbg1, hel1]
                datastore: embedded-etcd
                schedulable: true
                etcd: {heartbeatInterval: \(heartbeatMilliseconds)ms, electionTimeout: \(electionTimeoutMilliseconds)ms, memberRoundTrip: \(roundTripMilliseconds)ms}
              faults:
            \(faults)

            """
    }

    /// Runs `runs` simulated runs from seed 1 on.
    ///
    /// For a follower partition only the seeds in which no partition cost the leader are kept (the
    /// leader's location is drawn per seed): the next seeds are run until there are `runs` of them.
    public func run(runs: Int) async throws -> (LoadedScenario, [RunRecord]) {
        let loaded = try ScenarioLoader.load(text: scenarioText, path: "\(scenarioName).yaml")
        guard role == .follower else {
            return (loaded, await MonteCarlo.run(loaded.spec, seeds: (1...UInt64(runs)).map { $0 }))
        }
        var kept: [RunRecord] = []
        var next: UInt64 = 1
        // A third of the seeds have their leader in the cut location; a batch half again as
        // large as what is missing usually suffices.
        while kept.count < runs, next < UInt64(runs) * 20 + 20 {
            let batch = (runs - kept.count) * 3 / 2 + 2
            let records = await MonteCarlo.run(loaded.spec, seeds: (next..<next + UInt64(batch)).map { $0 })
            kept += records.filter { r in r.faults.allSatisfy { $0.milestone(.leaderLost) == nil } }
            next += UInt64(batch)
        }
        return (loaded, Array(kept.prefix(runs)))
    }
}
