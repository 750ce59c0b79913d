import Foundation
import Testing

/// `k3sim bench` end to end, at toy sizes (the benchmarks are measured by hand, not here):
/// exit codes and the JSON keys of the contract.
@Suite struct BenchCLITests {
    func k3sim(_ args: [String]) throws -> CLITests.Result {
        try CLITests.run(CLITests.binary, args, directory: CLITests.packageRoot)
    }

    func json(_ s: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
    }

    @Test func kernelPrintsEventsPerSecond() throws {
        let r = try k3sim([
            "bench", "kernel", "--lps", "100", "--population", "5", "--end", "10", "--repeats", "1", "--no-peers", "--json",
        ])
        #expect(r.code == 0, "\(r.stderr)")
        let j = try json(r.stdout)
        #expect((j["eventsPerSecond"] as? Double ?? 0) > 0)
        #expect(j["wallSeconds"] is Double)
        #expect((j["peakMemoryBytes"] as? Int ?? 0) > 0)
        let row = try #require((j["rows"] as? [[String: Any]])?.first)
        #expect(row["pendingEvents"] as? Int == 500)
        #expect((row["events"] as? Int ?? 0) > 1000)
    }

    @Test func kernelRejectsBadSizes() throws {
        #expect(try k3sim(["bench", "kernel", "--lps", "0"]).code == 2)
        #expect(try k3sim(["bench", "kernel", "--end", "-1"]).code == 2)
    }

    @Test func schedulerPlacesEveryPod() throws {
        let r = try k3sim(["bench", "scheduler", "--nodes", "30", "--pods", "120", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let j = try json(r.stdout)
        #expect(j["scheduled"] as? Int == 120)
        #expect((j["podsPerSecond"] as? Double ?? 0) > 0)
        #expect(j["placementDigest"] is String)
    }

    @Test func monteCarloMatchesTheSequentialRuns() throws {
        let r = try k3sim(["bench", "montecarlo", "scenarios/node-crash.yaml", "--runs", "4", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let j = try json(r.stdout)
        #expect(j["identicalToSequential"] as? Bool == true)
        #expect((j["runsPerSecond"] as? Double ?? 0) > 0)
    }
}
