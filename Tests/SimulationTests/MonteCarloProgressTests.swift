import Foundation
import Simulation
import Testing

/// The progress callback of a parallel batch counts every run once and does not change results.
@Suite struct MonteCarloProgressTests {
    final class Calls: @unchecked Sendable {
        let lock = NSLock()
        var seen: [Int] = []
        func add(_ n: Int) { lock.lock(); seen.append(n); lock.unlock() }
    }

    @Test func progressCountsEachRunOnce() throws {
        let spec = try Support.scenario("node-crash.yaml")
        let calls = Calls()
        let seeds: [UInt64] = Array(3...10)
        let records = MonteCarlo.run(spec, seeds: seeds) { calls.add($0) }
        #expect(calls.seen.sorted() == Array(1...seeds.count))
        let quiet = MonteCarlo.run(spec, seeds: seeds)
        #expect(records.map(Support.comparable) == quiet.map(Support.comparable))
    }
}
