import Foundation
import Testing

/// The inputs that crashed or hung k3sim, end to end through the binary: each exits 2 at once
/// with `file:line:column: field: message` on stderr, and leaves the database as it was (not
/// created when there was none, byte for byte the same when there was one).
@Suite(.serialized)
struct BadInputCLITests {
    let cli = CLITests()

    static func nodeCrash() throws -> String {
        try String(contentsOf: CLITests.packageRoot.appendingPathComponent("scenarios/node-crash.yaml"), encoding: .utf8)
    }

    /// Mutations of node-crash.yaml and the field each error must name.
    static func cases() throws -> [(String, String)] {
        let base = try nodeCrash()
        let settings = { (s: String) in base.replacingOccurrences(of: "    disable:", with: "    settings: {\(s)}\n    disable:")
        }
        return [
            (base.replacingOccurrences(of: "duration: 20m", with: "duration: 100000000000000h"), "spec.duration"),
            (base.replacingOccurrences(of: "at: 5m", with: "at: 100000000000000h"), "spec.faults[0].at"),
            (
                settings("defaultUnreachableTolerationSeconds: 4611686018427387904"),
                "spec.platform.settings.defaultUnreachableTolerationSeconds"
            ),
            (settings("nodeEvictionRate: .nan"), "spec.platform.settings.nodeEvictionRate"),
            (settings("nodeMonitorGracePeriod: 0s"), "spec.platform.settings.nodeMonitorGracePeriod"),
            (
                base.replacingOccurrences(of: "target: node/w2", with: "target: deployment/web\n      options: {count: -1}")
                    .replacingOccurrences(of: "action: crash", with: "action: delete-pod"), "spec.faults[0].options.count"
            ),
            (
                base.replacingOccurrences(of: "target: node/w2", with: "target: pod/default/nope")
                    .replacingOccurrences(of: "action: crash", with: "action: delete-pod"), "spec.faults[0].target"
            ),
            (base.replacingOccurrences(of: "replicas: 3", with: "replicas: -1"), "spec.workloads[0].object.spec.replicas"),
            (base.replacingOccurrences(of: "    - object:", with: "    - file: /etc/passwd\n    - object:"), ""),
        ]
    }

    @Test func refusedInputsExit2AndLeaveTheDatabaseAlone() throws {
        let dir = try cli.tempDir()
        let db = dir.appendingPathComponent("k.sqlite").path
        // No database yet: a refused input must not create one.
        let first = dir.appendingPathComponent("bad.yaml")
        try Self.cases()[0].0.write(to: first, atomically: true, encoding: .utf8)
        let r0 = try cli.k3sim(["run", first.path, "--db", db])
        #expect(r0.code == 2, "\(r0.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
        // With a stored run: the file stays byte for byte the same.
        #expect(try cli.k3sim(["run", cli.scenario, "--db", db]).code == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        for (i, (text, field)) in try Self.cases().enumerated() {
            let file = dir.appendingPathComponent("bad-\(i).yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let start = Date()
            let r = try cli.k3sim(["run", file.path, "--db", db])
            #expect(r.code == 2, "case \(i): \(r.stderr)")
            #expect(Date().timeIntervalSince(start) < 10, "case \(i) took too long")
            #expect(r.stdout.isEmpty)
            let line = r.stderr.trimmingCharacters(in: .newlines)
            #expect(!line.contains("\n"), "case \(i): \(r.stderr)")
            #expect(line.range(of: #"^[^:]+:\d+:\d+: "#, options: .regularExpression) != nil, "case \(i): \(line)")
            if !field.isEmpty { #expect(line.contains(": \(field): "), "case \(i): \(line)") }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    @Test func aNaNPriceIsRefused() throws {
        let dir = try cli.tempDir()
        let catalog = dir.appendingPathComponent("c.yaml")
        try """
        apiVersion: k3sim/v1alpha1
        kind: PriceCatalog
        providers:
          - provider: hetzner
            instanceTypes:
              - id: cax31
                prices: [{basis: new, region: eu-central, perMonth: .nan}]
        """.write(to: catalog, atomically: true, encoding: .utf8)
        let scenario = CLITests.packageRoot.appendingPathComponent("scenarios/hetzner-k3s-ha.yaml").path
        let r = try cli.k3sim(["cost", scenario, "--catalog", catalog.path])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(
            r.stderr.contains("c.yaml:7:61: providers[0].instanceTypes[0].prices[0].perMonth: nan must be a finite number"),
            "\(r.stderr)")
    }

    /// A shard of 2^62 runs overflowed index × runs; 200,000 runs in one process would hold
    /// every record in memory.
    @Test func tooManyRunsAreRefused() throws {
        let huge = try cli.k3sim(["run", cli.scenario, "--runs", "4611686018427387904", "--shard", "3/4"])
        #expect(huge.code == 2)
        #expect(huge.stderr.contains("--runs 4611686018427387904 is more than the limit of 1000000000"), "\(huge.stderr)")
        let shards = try cli.k3sim(["run", cli.scenario, "--runs", "5", "--shard", "0/9223372036854775807"])
        #expect(shards.code == 2, "\(shards.stderr)")
        let many = try cli.k3sim(["run", cli.scenario, "--runs", "200000"])
        #expect(many.code == 2)
        #expect(many.stderr.contains("more than the limit of 100000"), "\(many.stderr)")
        let sweep = try cli.k3sim(["sweep", cli.scenario, "--runs", "2000000", "--shards", "4", "--image", "x", "--emit-job"])
        #expect(sweep.code == 2)
        #expect(sweep.stderr.contains("500000 runs in one process"), "\(sweep.stderr)")
    }

    @Test func anEmptyDatabasePathIsRefused() throws {
        let r = try cli.k3sim(["run", cli.scenario, "--db", ""])
        #expect(r.code == 2)
        #expect(r.stderr.contains("--db needs a file name"), "\(r.stderr)")
        let e = try cli.k3sim(["runs"], environment: ["K3SIM_DB": ""])
        #expect(e.code == 2)
    }

    /// The database is opened before the simulation: an unusable path fails at once, exit 1.
    @Test func anUnusableDatabaseFailsBeforeSimulating() throws {
        let r = try cli.k3sim(["run", cli.scenario, "--db", "/nonexistent-dir/k.sqlite"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("cannot open results database"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// First runs creating the same database at once all store their run (before, the second
    /// one usually failed with `table "scenario" already exists`, after simulating).
    @Test func concurrentFirstRunsAllSucceed() throws {
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var list: [CLITests.Result] = []
            func add(_ r: CLITests.Result) { lock.lock(); list.append(r); lock.unlock() }
        }
        let cli = self.cli, scenario = cli.scenario
        for round in 0..<3 {
            let db = try cli.tempDir().appendingPathComponent("new-\(round).sqlite").path
            let results = Results()
            DispatchQueue.concurrentPerform(iterations: 3) { _ in
                if let r = try? cli.k3sim(["run", scenario, "--db", db]) { results.add(r) }
            }
            #expect(results.list.count == 3)
            for r in results.list { #expect(r.code == 0, "\(r.stderr)") }
            let list = try cli.k3sim(["runs", "--db", db])
            #expect(list.stdout.components(separatedBy: "node-crash").count - 1 == 3, "\(list.stdout)")
        }
    }
}
