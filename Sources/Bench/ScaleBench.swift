import Foundation
import Scenario
import Simulation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `k3sim bench scale`: one run of a large scenario (default `scenarios/large/large-5000.yaml`):
/// wall time, CPU time, events, events per second, peak memory.
public enum ScaleBench {
    public struct Report: Codable, Sendable {
        public var benchmark = "scale"
        public var machine: MachineInfo
        public var scenario: String
        public var nodes: Int
        public var simulatedSeconds: Double
        public var events: Int
        public var wallSeconds: Double
        /// CPU time (user + system) of the run: on a shared machine wall time also counts
        /// the time other processes had the core.
        public var cpuSeconds: Double
        /// Loading the scenario and setting up the cluster (not in wallSeconds).
        public var setupSeconds: Double
        public var eventsPerSecond: Double
        public var peakMemoryBytes: Int
        public var pendingPodsAtEnd: Int
        public var workloads: Int
        public var meanAvailability: Double
    }

    public static func run(path: String) throws -> Report {
        let machine = Measure.machine()
        let ((loaded, sim), setup) = try Measure.wall { () throws -> (LoadedScenario, ClusterSimulation) in
            let loaded = try ScenarioLoader.load(path: path)
            return (loaded, ClusterSimulation(spec: loaded.spec))
        }
        let cpuBefore = Measure.cpuSeconds()
        let record = sim.run()
        let cpu = Measure.cpuSeconds() - cpuBefore
        let availability =
            record.workloads.isEmpty ? 0 : record.workloads.map(\.availability).reduce(0, +) / Double(record.workloads.count)
        return Report(
            machine: machine, scenario: loaded.name, nodes: loaded.spec.nodes.count,
            simulatedSeconds: record.simulatedSeconds, events: record.events, wallSeconds: record.wallSeconds,
            cpuSeconds: cpu, setupSeconds: setup,
            eventsPerSecond: record.wallSeconds > 0 ? Double(record.events) / record.wallSeconds : 0,
            peakMemoryBytes: Measure.peakMemoryBytes(), pendingPodsAtEnd: record.pendingPodsAtEnd,
            workloads: record.workloads.count, meanAvailability: availability)
    }
}

/// `k3sim bench montecarlo`: `runs` seeds of a scenario on every core (the `run --runs`
/// path) and, for comparison, one after the other on one core; the records must be equal.
public enum MonteCarloBench {
    public struct Report: Codable, Sendable {
        public var benchmark = "montecarlo"
        public var machine: MachineInfo
        public var scenario: String
        public var runs: Int
        public var cores: Int
        public var wallSeconds: Double
        public var runsPerSecond: Double
        public var sequentialWallSeconds: Double?
        public var sequentialRunsPerSecond: Double?
        public var speedup: Double?
        /// Every parallel record equals the sequential one of the same seed (wall time aside).
        public var identicalToSequential: Bool?
        public var events: Int
        public var eventsPerSecond: Double
        public var peakMemoryBytes: Int
    }

    public static func run(path: String, runs: Int, sequential: Bool) async throws -> Report {
        let machine = Measure.machine()
        let loaded = try ScenarioLoader.load(path: path)
        let seeds = (0..<runs).map { loaded.spec.seed &+ UInt64($0) }
        let (parallel, wall) = await Measure.wall { await MonteCarlo.run(loaded.spec, seeds: seeds) }
        var seqWall: Double? = nil, identical: Bool? = nil
        if sequential {
            let (records, w) = Measure.wall { () -> [RunRecord] in
                seeds.map { seed -> RunRecord in
                    var s = loaded.spec
                    s.seed = seed
                    return ClusterSimulation(spec: s).run()
                }
            }
            seqWall = w
            identical = zip(parallel, records).allSatisfy { a, b in
                var x = a, y = b
                x.wallSeconds = 0; y.wallSeconds = 0
                return x == y
            }
        }
        let events = parallel.map(\.events).reduce(0, +)
        return Report(
            machine: machine, scenario: loaded.name, runs: runs, cores: machine.cores, wallSeconds: wall,
            runsPerSecond: Double(runs) / wall, sequentialWallSeconds: seqWall,
            sequentialRunsPerSecond: seqWall.map { Double(runs) / $0 }, speedup: seqWall.map { $0 / wall },
            identicalToSequential: identical, events: events, eventsPerSecond: Double(events) / wall,
            peakMemoryBytes: Measure.peakMemoryBytes())
    }
}
