import Foundation
import Live
import Simulation
import Testing

/// The partition check's arithmetic, with figures worked out by hand (no root, no etcd).
struct EtcdPartitionComparisonTests {
    /// A trial as the experiment writes it, with the figures the comparison reads.
    static func trial(
        majority: Double = 1.30, majorityStart: Double? = -0.02, newLeader: Double? = 1.27, stepDown: Double? = 1.69,
        minorityWrites: Int = 190, minoritySucceeded: Int = 0, recovery: Double? = 0.33,
        cut: Double = 0.06, heal: Double = 0.04
    ) throws -> EtcdPartitionExperiment.Trial {
        func opt(_ v: Double?) -> String { v.map { "\($0)" } ?? "null" }
        let json = """
            {"role": "leader", "partitionSeconds": 10, "cutMember": "m1", "majorityMember": "m0", "leaderBefore": "m1", "termBefore": 2,
             "majorityUnavailableSeconds": \(majority), "majorityUnavailableStartSeconds": \(opt(majorityStart)), "majorityFailedWrites": 26,
             "newLeaderSeconds": \(opt(newLeader)), "newLeader": \(newLeader == nil ? "null" : "\"m2\""), "oldLeaderStepDownSeconds": \(opt(stepDown)),
             "cutOffLostLeaderSeconds": null, "minorityWritesDuringPartition": \(minorityWrites),
             "minoritySucceededDuringPartition": \(minoritySucceeded), "healSeconds": 10.05, "minorityStalledThenSucceeded": [],
             "minorityErrors": {}, "minorityRecoverySeconds": \(opt(recovery)), "minorityRecoveryFreshSeconds": null,
             "leaderElectionsAfterHeal": 0, "candidatesAfterHeal": 0, "termAtHeal": 3, "termAtEnd": 3, "allAgreeSeconds": 0.2,
             "allAgreeStatusSeconds": 0.25, "baselineFailures": 0, "cutCommandSeconds": \(cut), "healCommandSeconds": \(heal), "raftEvents": []}
            """
        return try JSONDecoder().decode(EtcdPartitionExperiment.Trial.self, from: Data(json.utf8))
    }

    /// A simulated leader partition at 60 s, healed at 70 s.
    static func simulated(elected: Double?, steppedDown: Double? = nil) -> RunRecord {
        var ms = [Milestone(name: .partitioned, at: 60, mechanism: ""), Milestone(name: .leaderLost, at: 60, mechanism: "")]
        if let elected { ms.append(Milestone(name: .leaderElected, at: 60 + elected, mechanism: "")) }
        if let steppedDown { ms.append(Milestone(name: .leaderSteppedDown, at: 60 + steppedDown, mechanism: "")) }
        ms.append(Milestone(name: .healed, at: 70, mechanism: ""))
        return RunRecord(
            scenarioName: "p", seed: 1, simulatedSeconds: 120, wallSeconds: 0, events: 0, workloads: [],
            faults: [FaultResult(index: 0, action: "partition", target: "controlplane/leader", at: 60, milestones: ms)],
            controlPlane: ControlPlaneResult(), pendingPodsAtEnd: 0, series: [], notes: [])
    }

    /// Simulated 1.0–2.0 s with a tolerance of 0.25 s: inside from 0.75 to 2.25 s (exact in binary).
    @Test func insideMeansWithinTheSimulatedRangeWidenedByTheTolerance() {
        let values: [Double?] = [1.0, 1.5, nil, 2.0]
        func v(_ o: Double?) -> String {
            EtcdPartitionComparison.verdict(observed: o, values: values, tolerance: 0.25, modelled: true).text
        }
        #expect(v(0.75) == "inside" && v(2.25) == "inside" && v(1.2) == "inside")
        #expect(v(0.74) == "outside (earlier)" && v(2.26) == "outside (later)")
        #expect(v(nil) == "not observed (simulated in 3 of 4 runs)")
        #expect(
            EtcdPartitionComparison.verdict(observed: nil, values: [nil, nil], tolerance: 0.25, modelled: true) == (
                true, "none, as simulated"
            ))
        #expect(
            EtcdPartitionComparison.verdict(observed: 1, values: [nil, nil], tolerance: 0.25, modelled: true).inside == false)
        #expect(
            EtcdPartitionComparison.verdict(observed: 1, values: [1], tolerance: 0.25, modelled: false) == (nil, "not simulated"))
    }

    /// One write interval plus the slowest cut or heal command of all trials.
    @Test func toleranceIsTheWriteIntervalPlusTheSlowestLinkCommand() throws {
        let trials = [try Self.trial(cut: 0.0625, heal: 0.03125), try Self.trial(cut: 0.015625, heal: 0.09375)]
        #expect(EtcdPartitionComparison.tolerance(trials: trials, writeInterval: 0.0625) == 0.15625)
    }

    /// Trial: majority 1.30 s, new leader 1.27 s, step-down 1.69 s, 190 of 190 cut-off writes
    /// failed, first write 0.33 s after the heal. Simulated: elections 1.2 s and 1.5 s after the
    /// cut, step-downs 1.25 s and 1.5 s (1.69 is later than 1.5 + 0.1), cut-off side writable at
    /// the heal. Tolerance 0.1 s.
    @Test func eachQuantityOfATrialAgainstTheSimulatedFaultOfItsIndex() throws {
        let rows = EtcdPartitionComparison.compare(
            trials: [try Self.trial()],
            simulated: [Self.simulated(elected: 1.2, steppedDown: 1.25), Self.simulated(elected: 1.5, steppedDown: 1.5)],
            tolerance: 0.1)
        #expect(rows.map(\.quantity) == EtcdPartitionQuantity.allCases && rows.allSatisfy { $0.trial == 0 })
        let byQuantity = Dictionary(uniqueKeysWithValues: rows.map { ($0.quantity, $0) })
        let majority = try #require(byQuantity[.majorityUnavailable])
        // 61.2 − 60 is 1.2 to within a rounding of the doubles.
        #expect(majority.observed == 1.30 && abs((majority.simulated?.min ?? 0) - 1.2) < 1e-9 && majority.simulated?.max == 1.5)
        #expect(abs((majority.simulated?.p50 ?? 0) - 1.35) < 1e-9 && majority.simulatedRuns == 2 && majority.inside == true)
        #expect(byQuantity[.newLeader]?.inside == true && abs((byQuantity[.newLeader]?.simulated?.p50 ?? 0) - 1.35) < 1e-9)
        #expect(byQuantity[.oldLeaderStepDown]?.inside == false && byQuantity[.oldLeaderStepDown]?.verdict == "outside (later)")
        #expect(byQuantity[.oldLeaderStepDown]?.simulated?.min == 1.25 && byQuantity[.oldLeaderStepDown]?.simulated?.max == 1.5)
        #expect(byQuantity[.minorityWritesFailed]?.observed == 1 && byQuantity[.minorityWritesFailed]?.simulated?.max == 1)
        #expect(byQuantity[.minorityWritesFailed]?.inside == true)
        // The simulation lets the cut-off member write at the heal: 0.33 s is later than 0 + 0.1 s.
        #expect(byQuantity[.minorityRecovery]?.simulated?.max == 0 && byQuantity[.minorityRecovery]?.verdict == "outside (later)")
        let stored = EtcdPartitionComparison.milestones(rows)
        #expect(
            stored.map(\.milestone) == [
                "majorityUnavailable", "newLeader", "oldLeaderStepDown", "minorityWritesFailed", "minorityRecovery",
            ])
        #expect(stored[0].faultIndex == 0 && abs((stored[0].error ?? 0) - (1.30 - 1.35)) < 1e-9)
    }

    /// One succeeded write of 200: 199/200 failed, which is not the simulated 1 (compared exactly).
    @Test func minorityFailuresAreAFractionComparedExactly() throws {
        let rows = EtcdPartitionComparison.compare(
            trials: [try Self.trial(minorityWrites: 200, minoritySucceeded: 1)],
            simulated: [Self.simulated(elected: 1.2)], tolerance: 0.1)
        let row = try #require(rows.first { $0.quantity == .minorityWritesFailed })
        #expect(row.observed == 0.995 && row.inside == false)
    }

    /// A majority that never failed (a follower cut off) is 0 s, as a simulated run without `leaderLost`.
    @Test func aFollowerPartitionHasNoMajorityOutageOnEitherSide() throws {
        let follower = RunRecord(
            scenarioName: "p", seed: 1, simulatedSeconds: 120, wallSeconds: 0, events: 0, workloads: [],
            faults: [
                FaultResult(
                    index: 0, action: "partition", target: "zone/fsn1", at: 60,
                    milestones: [
                        Milestone(name: .partitioned, at: 60, mechanism: ""),
                        Milestone(name: .healed, at: 70, mechanism: ""),
                    ])
            ],
            controlPlane: ControlPlaneResult(), pendingPodsAtEnd: 0, series: [], notes: [])
        let rows = EtcdPartitionComparison.compare(
            trials: [try Self.trial(majority: 0, majorityStart: nil, newLeader: nil, stepDown: nil)],
            simulated: [follower], tolerance: 0.1)
        let byQuantity = Dictionary(uniqueKeysWithValues: rows.map { ($0.quantity, $0) })
        #expect(byQuantity[.majorityUnavailable]?.simulated?.max == 0 && byQuantity[.majorityUnavailable]?.inside == true)
        #expect(byQuantity[.newLeader]?.verdict == "none, as simulated" && byQuantity[.newLeader]?.inside == true)
    }

    /// What is missing, in one sentence with how to get it.
    @Test func missingRootOrEtcdIsOneSentence() {
        typealias P = EtcdPartitionPrerequisites
        #expect(P.missing(.init(root: true, ip: "/usr/sbin/ip", etcd: "/usr/bin/etcd"), etcdPath: nil) == nil)
        #expect(
            P.missing(.init(root: false, ip: "/usr/sbin/ip", etcd: "/usr/bin/etcd"), etcdPath: nil)
                == "k3sim live etcd partition needs root (it creates network namespaces: run it with sudo)")
        #expect(
            P.missing(.init(root: true, ip: "/usr/sbin/ip", etcd: nil), etcdPath: nil)
                == "k3sim live etcd partition needs an etcd binary on PATH (apt-get install etcd-server, or --etcd PATH)")
        #expect(
            P.missing(.init(root: false, ip: nil, etcd: nil), etcdPath: "/opt/etcd")
                == "k3sim live etcd partition needs root (it creates network namespaces: run it with sudo), the `ip` command "
                + "(apt-get install iproute2) and an etcd binary (/opt/etcd is not an executable file; apt-get install etcd-server, or --etcd PATH)"
        )
    }
}
