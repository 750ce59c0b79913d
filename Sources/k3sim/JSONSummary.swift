import Foundation
import Simulation

/// The `--json` documents, as DESIGN.md's "JSON summary" describes them.
///
/// Keys are sorted so the same run always prints the same bytes.
enum JSONSummary {
    struct Workload: Encodable {
        let name: String, kind: String, desiredReplicas: Int, availability: Double
        let secondsBelowDesired: Double, secondsUnavailable: Double, minReadyReplicas: Int
        /// CloudNativePG clusters only (omitted for other workloads).
        let secondsWithoutPrimary: Double?
    }
    struct Fault: Encodable {
        let index: Int, action: String, target: String, at: Double
        let milestones: [String: Double], stats: [String: Double]
    }
    struct Single: Encodable {
        let scenario: String, runId: Int64, seed: UInt64, simulatedSeconds: Double, wallSeconds: Double, events: Int
        let workloads: [Workload], faults: [Fault], controlPlane: ControlPlaneResult, pendingPodsAtEnd: Int
        let notes: [String]
        /// Only for runs with Jobs or CronJobs.
        let jobs: [JobResult]?, cronJobs: [CronJobResult]?
        /// Only for runs with HorizontalPodAutoscalers or loads.
        let autoscalers: [AutoscalerResult]?
    }

    static func single(_ r: RunRecord, runID: Int64) -> Single {
        Single(
            scenario: r.scenarioName, runId: runID, seed: r.seed, simulatedSeconds: r.simulatedSeconds,
            wallSeconds: r.wallSeconds, events: r.events,
            workloads: r.workloads.map {
                Workload(
                    name: $0.name, kind: $0.kind, desiredReplicas: $0.desiredReplicas, availability: $0.availability,
                    secondsBelowDesired: $0.secondsBelowDesired, secondsUnavailable: $0.secondsUnavailable,
                    minReadyReplicas: $0.minReadyReplicas, secondsWithoutPrimary: $0.secondsWithoutPrimary)
            },
            faults: r.faults.map {
                Fault(
                    index: $0.index, action: $0.action, target: $0.target, at: $0.at,
                    milestones: Dictionary($0.milestones.map { ($0.name.rawValue, $0.at) }, uniquingKeysWith: { a, _ in a }),
                    stats: $0.stats)
            },
            controlPlane: r.controlPlane, pendingPodsAtEnd: r.pendingPodsAtEnd, notes: r.notes,
            jobs: r.jobs, cronJobs: r.cronJobs, autoscalers: r.autoscalers)
    }

    struct BatchWorkload: Encodable {
        let name: String, kind: String, desiredReplicas: Statistic, availability: Statistic
        let secondsBelowDesired: Statistic, secondsUnavailable: Statistic, minReadyReplicas: Statistic
    }
    struct BatchFault: Encodable {
        let index: Int, action: String, target: String, at: Double
        let milestones: [String: Statistic], stats: [String: Statistic]
    }
    struct BatchControlPlane: Encodable { let writeUnavailableSeconds: Statistic, leaderChanges: Statistic }
    struct Batch: Encodable {
        let scenario: String, runIds: [Int64], seeds: [UInt64], runs: Int
        let simulatedSeconds: Double, wallSeconds: Statistic, events: Statistic
        let workloads: [BatchWorkload], faults: [BatchFault], controlPlane: BatchControlPlane
        let pendingPodsAtEnd: Statistic
    }

    static func batch(_ records: [RunRecord], runIDs: [Int64]) -> Batch {
        let first = records[0]
        func stat(_ f: (RunRecord) -> Double?) -> Statistic { Statistic(records.compactMap(f)) }
        let workloads = first.workloads.indices.map { w in
            BatchWorkload(
                name: first.workloads[w].name, kind: first.workloads[w].kind,
                desiredReplicas: stat { Double($0.workloads[w].desiredReplicas) },
                availability: stat { $0.workloads[w].availability },
                secondsBelowDesired: stat { $0.workloads[w].secondsBelowDesired },
                secondsUnavailable: stat { $0.workloads[w].secondsUnavailable },
                minReadyReplicas: stat { Double($0.workloads[w].minReadyReplicas) })
        }
        let faults = first.faults.indices.map { f in
            let names = orderedUnion(records.map { $0.faults[f].milestones.map(\.name) })
            let statKeys = orderedUnion(records.map { $0.faults[f].stats.keys.sorted() })
            return BatchFault(
                index: f, action: first.faults[f].action, target: first.faults[f].target, at: first.faults[f].at,
                milestones: Dictionary(uniqueKeysWithValues: names.map { n in (n.rawValue, stat { $0.faults[f].milestone(n) }) }),
                stats: Dictionary(uniqueKeysWithValues: statKeys.map { k in (k, stat { $0.faults[f].stats[k] }) }))
        }
        return Batch(
            scenario: first.scenarioName, runIds: runIDs, seeds: records.map(\.seed), runs: records.count,
            simulatedSeconds: first.simulatedSeconds, wallSeconds: stat { $0.wallSeconds },
            events: stat { Double($0.events) }, workloads: workloads, faults: faults,
            controlPlane: BatchControlPlane(
                writeUnavailableSeconds: stat { $0.controlPlane.writeUnavailableSeconds },
                leaderChanges: stat { Double($0.controlPlane.leaderChanges) }),
            pendingPodsAtEnd: stat { Double($0.pendingPodsAtEnd) })
    }

    static func orderedUnion<T: Hashable>(_ lists: [[T]]) -> [T] {
        var seen = Set<T>(), out: [T] = []
        for l in lists { for s in l where seen.insert(s).inserted { out.append(s) } }
        return out
    }

    static func encode(_ value: Encodable) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(value), as: UTF8.self)
    }
}
