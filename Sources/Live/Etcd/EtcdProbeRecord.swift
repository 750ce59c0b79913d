import Foundation
import Simulation

/// A probe as a RunRecord comparable with the simulation of the same etcd settings, and the
/// scenario that simulates those settings: three (or N) K3S servers with embedded etcd whose
/// leader's server crashes, nothing else.
public enum EtcdProbeRecord {
    /// The etcd flags a probe is compared under (the probe cannot read them from etcd).
    public struct Settings: Sendable, Equatable {
        public var members: Int
        public var heartbeatMilliseconds: Int
        public var electionTimeoutMilliseconds: Int
        /// The simulation's member round trip (network + fsync of a vote).
        public var roundTripMilliseconds: Int
        public init(
            members: Int = 3, heartbeatMilliseconds: Int = 500, electionTimeoutMilliseconds: Int = 5000,
            roundTripMilliseconds: Int = 10
        ) {
            self.members = members; self.heartbeatMilliseconds = heartbeatMilliseconds
            self.electionTimeoutMilliseconds = electionTimeoutMilliseconds; self.roundTripMilliseconds = roundTripMilliseconds
        }
    }

    public static func scenarioName(_ s: Settings) -> String {
        "etcd-probe-\(s.members)m-hb\(s.heartbeatMilliseconds)ms-et\(s.electionTimeoutMilliseconds)ms"
    }

    /// The crash comes at 1 m, after the cluster has settled.
    public static let crashAt = 60.0

    public static func scenarioText(_ s: Settings) -> String {
        """
        # Written by `k3sim live etcd probe --validate`: the etcd leader's server crashes, with the
        # probed cluster's heartbeat and election timeout, to compare the probe's leader-loss window.
        apiVersion: k3sim/v1alpha1
        kind: Scenario
        metadata:
          name: \(scenarioName(s))
          description: etcd leader loss with heartbeat \(s.heartbeatMilliseconds) ms and election timeout \(s.electionTimeoutMilliseconds) ms
        spec:
          duration: 3m
          seed: 1
          platform:
            distribution: k3s
            provider: hetzner
            kubernetesVersion: "1.33"
            disable: [coredns, metrics-server, local-storage, traefik, servicelb]
          controlPlane:
            count: \(s.members)
            serverType: cax11
            locations: [fsn1]
            datastore: embedded-etcd
            schedulable: true
            etcd: {heartbeatInterval: \(s.heartbeatMilliseconds)ms, electionTimeout: \(s.electionTimeoutMilliseconds)ms, memberRoundTrip: \(s.roundTripMilliseconds)ms}
          faults:
            - {at: 1m, action: crash, target: controlplane/leader}

        """
    }

    /// Each unavailability window becomes a leader-loss fault: `leaderLost` at its start and
    /// `leaderElected` at its end when the probe saw a new leader by then (else `writesResumed`).
    public static func record(_ r: EtcdProbeResult, settings: Settings) -> RunRecord {
        // Windows with a leader change come first (fault 0 is what the simulation's single
        // leader crash is compared with), each group in time order.
        func change(in w: EtcdProbeResult.Window) -> EtcdProbeResult.LeaderChange? {
            r.leaderChanges.first { $0.at >= w.start && $0.at <= w.end + r.intervalSeconds }
        }
        let ordered = r.windows.filter { change(in: $0) != nil } + r.windows.filter { change(in: $0) == nil }
        var faults: [FaultResult] = []
        for (i, w) in ordered.enumerated() {
            let newLeader = change(in: w)
            var ms = [
                Milestone(name: .leaderLost, at: w.start, mechanism: "observed: first failed write or read of the probe key")
            ]
            if !w.open {
                let who = newLeader.map { " (new leader \(r.memberNames[$0.to] ?? $0.to))" } ?? ""
                ms.append(
                    Milestone(
                        name: newLeader != nil ? .leaderElected : .writesResumed, at: w.end,
                        mechanism: "observed: the probe key written and read again\(who)"))
            }
            faults.append(
                FaultResult(
                    index: i, action: "crash", target: "controlplane/leader", at: w.start, milestones: ms,
                    stats: ["unavailableSeconds": w.seconds]))
        }
        var leader: [SeriesPoint] = []
        for c in r.leaderChanges {
            if let w = r.windows.last(where: { $0.start <= c.at }), leader.last?.t ?? -1 < w.start {
                leader.append(SeriesPoint(t: w.start, value: 0, label: "none"))
            }
            leader.append(SeriesPoint(t: c.at, value: 1, label: r.memberNames[c.to] ?? c.to))
        }
        let notes = [
            "live probe of etcd at \(r.endpoints.joined(separator: ", ")): a put and a read every \(Int(r.intervalSeconds * 1000)) ms, "
                + "\(r.attempts) attempts, \(r.failures) failed; a window runs from the start of the first failed attempt to the end of the next successful one",
            "compared with heartbeat \(settings.heartbeatMilliseconds) ms, election timeout \(settings.electionTimeoutMilliseconds) ms as given on the command line",
        ]
        return RunRecord(
            scenarioName: scenarioName(settings), seed: 0, source: "live", simulatedSeconds: r.durationSeconds,
            wallSeconds: r.durationSeconds, events: r.attempts, workloads: [], faults: faults,
            controlPlane: ControlPlaneResult(
                writeUnavailableSeconds: r.windows.map(\.seconds).reduce(0, +),
                leaderChanges: r.leaderChanges.count),
            pendingPodsAtEnd: 0,
            series: leader.isEmpty ? [] : [TimeSeries(kind: "controlPlane", entity: "etcdLeader", points: leader)],
            notes: notes)
    }
}
