import Simulation
import Testing

/// A parallel batch returns each seed's record in the order of the seeds, equal to the run of
/// that seed alone, however many workers share the seeds.
@Suite struct MonteCarloOrderTests {
    @Test(arguments: [1, 4])
    func recordsInSeedOrder(workers: Int) async throws {
        let spec = try Support.scenario("node-crash.yaml")
        // Unsorted, with a repeat: records are placed by index, not by seed or finishing order.
        let seeds: [UInt64] = [9, 2, 7, 2, 5, 11, 3]
        let sequential = seeds.map { seed -> RunRecord in
            var s = spec
            s.seed = seed
            return ClusterSimulation(spec: s).run()
        }
        let parallel = await MonteCarlo.run(spec, seeds: seeds, workers: workers)
        #expect(parallel.map(\.seed) == seeds)
        #expect(parallel.map(Support.comparable) == sequential.map(Support.comparable))
    }
}
