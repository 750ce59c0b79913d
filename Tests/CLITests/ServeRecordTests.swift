import Foundation
import Testing

/// A served run without requests is the scenario's run: the same record as `k3sim run`.
struct ServeRecordTests {
    func strip(_ s: String) -> String {
        s.split(separator: "\n").filter { !$0.contains("\"wallSeconds\"") && !$0.contains("\"runId\"") }.joined(separator: "\n")
    }

    @Test(arguments: ["node-crash", "drain-pdb"])
    func servedAtFullSpeedEqualsRun(scenario: String) throws {
        let k3sim = ServedScenario.binary.path
        let served = try ServedScenario(ServedScenario.scenario(scenario), ["--speed", "1e9"])
        let (code, output) = served.wait()
        #expect(code == 0, "\(output)")
        #expect(output.contains("run #1 stored"))
        #expect(!output.contains("Requests that changed"))
        let run = try ServedScenario.run(k3sim, ["run", ServedScenario.scenario(scenario), "--db", served.database])
        #expect(run.code == 0, "\(run.stderr)")
        let a = try ServedScenario.run(k3sim, ["show", "1", "--json", "--db", served.database])
        let b = try ServedScenario.run(k3sim, ["show", "2", "--json", "--db", served.database])
        #expect(a.code == 0 && !a.stdout.isEmpty)
        #expect(strip(a.stdout) == strip(b.stdout))
    }

    @Test func badFlagsAreOneSentenceAndExitTwo() throws {
        let k3sim = ServedScenario.binary.path
        for args in [["--speed=-1"], ["--address", "nowhere"], ["--until", "soon"]] {
            let r = try ServedScenario.run(k3sim, ["serve", ServedScenario.scenario("node-crash")] + args)
            #expect(r.code == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").first?.contains("must") == true, "\(r.stderr)")
        }
        let missing = try ServedScenario.run(k3sim, ["serve", "/nonexistent/scenario.yaml"])
        #expect(missing.code == 2, "\(missing.stderr)")
    }
}
