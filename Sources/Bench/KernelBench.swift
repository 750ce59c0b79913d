import Foundation
import SimKernel

/// `k3sim bench kernel`: PHOLD on SimKernel, next to the peer engines in the same run.
public enum KernelBench {
    public struct Size: Codable, Sendable {
        public var lps: Int
        public var population: Int
        public var end: Double
        public init(lps: Int, population: Int, end: Double) { self.lps = lps; self.population = population; self.end = end }
        public var pendingEvents: Int { lps * population }
    }

    /// The two sizes of the issue: 10,000 and 1,000,000 pending events (about 0.9 M and
    /// 4.5 M events handled).
    public static let defaultSizes = [Size(lps: 1_000, population: 10, end: 100), Size(lps: 100_000, population: 10, end: 5)]

    public struct Row: Codable, Sendable {
        public var lps: Int
        public var population: Int
        public var end: Double
        public var pendingEvents: Int
        public var events: Int
        /// Best of `repeats` runs (the same for every native engine; SimPy runs once).
        public var wallSeconds: Double
        public var eventsPerSecond: Double
        /// Peak resident memory of this process after the size's runs.
        public var peakMemoryBytes: Int
        public var peers: [PeerResult]
        /// k3sim's events/s over each peer's.
        public var ratios: [String: Double]
    }

    public struct Report: Codable, Sendable {
        public var benchmark = "kernel"
        public var machine: MachineInfo
        public var repeats: Int
        public var rows: [Row]
        /// Peers that could not run, and why.
        public var peersMissing: [String: String]
        public var peersDirectory: String?
        // The headline figures of the contract: the first size.
        public var eventsPerSecond: Double
        public var wallSeconds: Double
        public var peakMemoryBytes: Int
    }

    /// The most pending events SimGrid is run with unless `largeSimGrid` asks for more.
    ///
    /// SimGrid runs one actor (with its own stack) per token: above this it needs many GB.
    public static let largeSimGridLimit = 200_000

    /// Runs every size on k3sim and, when `peers` is given, on each available peer.
    public static func run(
        sizes: [Size], repeats: Int, peers: PeerEngines?, largeSimGrid: Bool = false,
        progress: (String) -> Void = { _ in }
    ) -> Report {
        let machine = Measure.machine()
        let missing = peers?.prepare() ?? [:]
        var rows: [Row] = []
        for size in sizes {
            progress("PHOLD \(size.lps) × \(size.population) until \(size.end): k3sim")
            var mine = PHOLD.run(lps: size.lps, population: size.population, end: size.end)
            for _ in 1..<max(repeats, 1) {
                let r = PHOLD.run(lps: size.lps, population: size.population, end: size.end)
                if r.wallSeconds < mine.wallSeconds { mine = r }
            }
            let peak = Measure.peakMemoryBytes()
            var peerResults: [PeerResult] = []
            if let peers {
                for engine in PeerEngines.Engine.allCases {
                    if let why = missing[engine] { peerResults.append(PeerResult(engine: engine.rawValue, error: why)); continue }
                    if engine == .simgrid && size.pendingEvents > largeSimGridLimit && !largeSimGrid {
                        peerResults.append(
                            PeerResult(
                                engine: engine.rawValue,
                                error:
                                    "skipped above \(largeSimGridLimit) pending events: one actor per token, ~17 GB for 1,000,000 (--simgrid-large runs it)"
                            ))
                        continue
                    }
                    progress("PHOLD \(size.lps) × \(size.population) until \(size.end): \(engine.rawValue)")
                    var bestPeer = peers.phold(engine, lps: size.lps, population: size.population, end: size.end)
                    for _ in 1..<(engine == .simpy ? 1 : max(repeats, 1)) where bestPeer.error == nil {
                        let r = peers.phold(engine, lps: size.lps, population: size.population, end: size.end)
                        if r.error != nil { bestPeer = r; break }
                        if let t = r.wallSeconds, t < (bestPeer.wallSeconds ?? .infinity) { bestPeer = r }
                    }
                    peerResults.append(bestPeer)
                }
            }
            var ratios: [String: Double] = [:]
            for p in peerResults { if let e = p.eventsPerSecond, e > 0 { ratios[p.engine] = mine.eventsPerSecond / e } }
            rows.append(
                Row(
                    lps: size.lps, population: size.population, end: size.end, pendingEvents: size.pendingEvents,
                    events: mine.events, wallSeconds: mine.wallSeconds, eventsPerSecond: mine.eventsPerSecond,
                    peakMemoryBytes: peak, peers: peerResults, ratios: ratios))
        }
        peers?.cleanUp()
        return Report(
            machine: machine, repeats: repeats, rows: rows,
            peersMissing: Dictionary(uniqueKeysWithValues: missing.map { ($0.key.rawValue, $0.value) }),
            peersDirectory: peers?.directory.path,
            eventsPerSecond: rows.first?.eventsPerSecond ?? 0, wallSeconds: rows.first?.wallSeconds ?? 0,
            peakMemoryBytes: Measure.peakMemoryBytes())
    }
}
