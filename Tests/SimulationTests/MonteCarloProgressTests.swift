import Foundation
import Simulation
import Testing

/// The progress callback of a parallel batch counts every run once, one call at a time, and does
/// not change results.
@Suite struct MonteCarloProgressTests {
    final class Calls: @unchecked Sendable {
        let lock = NSLock()
        var seen: [Int] = []
        func add(_ n: Int) { lock.lock(); seen.append(n); lock.unlock() }
    }

    @Test func progressCountsEachRunOnce() async throws {
        let spec = try Support.scenario("node-crash.yaml")
        let calls = Calls()
        let seeds: [UInt64] = Array(3...10)
        let records = await MonteCarlo.run(spec, seeds: seeds, workers: 4) { calls.add($0) }
        // Calls do not overlap, so the counts arrive in order.
        #expect(calls.seen == Array(1...seeds.count))
        let quiet = await MonteCarlo.run(spec, seeds: seeds)
        #expect(records.map(Support.comparable) == quiet.map(Support.comparable))
    }
}
