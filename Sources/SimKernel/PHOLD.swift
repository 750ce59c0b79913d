import Foundation

/// PHOLD, the classic event-kernel load (Fujimoto 1990), on this kernel alone.
///
/// `lps` logical processes each start with `population` tokens; handling a token reschedules it at
/// a uniformly chosen process after `lookahead + Exp(mean)` time units, until `end`. The
/// pending-event count stays at lps × population the whole run. The same load runs on the peer
/// engines `k3sim bench kernel` compares with (a C++ binary heap, SimPy, SimGrid; see Bench's
/// `Peers`). It is a benchmark load, yet it lives in the kernel's module: compiled in Bench, the
/// same loop ran about 30 % slower (24 against 34 M events/s at 10,000 pending, release builds side
/// by side), the optimizer not seeing through the module boundary as it does inside — the benchmark
/// would measure the boundary, not the kernel.
///
/// Per event, as the peers: one pop, one count in `handled`, one uniform process choice (a 64-bit
/// draw scaled by a multiply, where the C++ peer uses `uniform_int_distribution` and SimPy
/// `randrange`), one Exp(1) draw (the ziggurat, where the peers take −ln(1 − u)/λ:
/// `std::exponential_distribution`, `random.expovariate`) and one push.
public enum PHOLD {
    public struct Result: Sendable {
        /// Events handled at or before `end` (the initial scheduling is not counted).
        public var events: Int
        /// Wall time of the run loop (setup excluded, as the peers measure it).
        public var wallSeconds: Double
        public var pendingEvents: Int
        public var eventsPerSecond: Double { wallSeconds > 0 ? Double(events) / wallSeconds : 0 }
    }

    /// Time units are seconds, held as integer microseconds like every SimTime.
    public static func run(
        lps: Int, population: Int, end: Double, mean: Double = 1, lookahead: Double = 0.1,
        seed: UInt64 = 1
    ) -> Result {
        precondition(lps > 0 && population > 0)
        var engine = Engine<UInt32>()
        var rng = RandomStream(seed: seed, entity: "phold", purpose: "tokens")
        var handled = [UInt64](repeating: 0, count: lps)
        let n = UInt64(lps)
        let exponential = ExponentialZiggurat.standard
        // In microseconds, rounded to the nearest: one multiply and one add per draw.
        let scale = mean * 1_000_000, offset = lookahead * 1_000_000 + 0.5
        @inline(__always) func delay(_ rng: inout RandomStream) -> SimTime {
            SimTime(microseconds: Int64(offset + scale * exponential.sample(&rng)))
        }
        for lp in 0..<lps {
            for _ in 0..<population { engine.schedule(UInt32(lp), after: delay(&rng)) }
        }
        let endTime = SimTime.fromSeconds(end)
        let clock = ContinuousClock()
        let start = clock.now
        var events = 0
        while let lp = engine.next(until: endTime) {
            handled[Int(lp)] &+= 1
            events &+= 1
            // Uniform process: the high half of a 64×64 product (Lemire), no division.
            let target = UInt32(truncatingIfNeeded: rng.next().multipliedFullWidth(by: n).high)
            engine.schedule(target, after: delay(&rng))
        }
        let d = clock.now - start
        let wall = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return Result(events: events, wallSeconds: wall, pendingEvents: engine.pendingCount)
    }
}
