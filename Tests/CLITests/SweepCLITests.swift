import Foundation
import Testing

@testable import k3sim

/// Sweeps in shards, merged: the same report as one run over all seeds.
@Suite(.serialized)
struct SweepCLITests {
    let cli = CLITests()
    var scenario: String { CLITests.packageRoot.appendingPathComponent("scenarios/node-crash.yaml").path }

    @Test func mergedShardsReportLikeOneRun() throws {
        let dir = try cli.tempDir()
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let whole = try cli.k3sim(["run", scenario, "--runs", "6", "--db", path("whole.sqlite")])
        #expect(whole.code == 0, "\(whole.stderr)")
        for i in 0..<2 {
            let r = try cli.k3sim(["run", scenario, "--runs", "6", "--shard", "\(i)/2", "--db", path("shard-\(i).sqlite")])
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stdout.contains("Shard \(i)/2 of a sweep of 6 runs"))
        }
        let merge = try cli.k3sim(["merge", "--db", path("merged.sqlite"), path("shard-1.sqlite"), path("shard-0.sqlite")])
        #expect(merge.code == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("shards 0, 1 of 2 → batch #1 (6 runs)"))
        for (db, out) in [("whole.sqlite", "whole"), ("merged.sqlite", "merged")] {
            let r = try cli.k3sim(["report", "1", "--db", path(db), "--out", path(out)])
            #expect(r.code == 0, "\(r.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: path("whole")).sorted()
        #expect(files.contains { $0.hasPrefix("montecarlo-1-") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: path("merged")).sorted() == files)
        for f in files {
            // Reports never show wall time or save time per run, so the documents are equal byte for byte.
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: path("whole/\(f)")))
                    == Data(contentsOf: URL(fileURLWithPath: path("merged/\(f)"))),
                "\(f) differs")
        }
    }

    @Test func mergeAndShardErrorsExitWithTwo() throws {
        let dir = try cli.tempDir()
        let db = dir.appendingPathComponent("s.sqlite").path
        #expect(try cli.k3sim(["run", scenario, "--runs", "2", "--shard", "2/2", "--db", db]).code == 2)
        #expect(try cli.k3sim(["run", scenario, "--runs", "2", "--shard", "1-2", "--db", db]).code == 2)
        #expect(try cli.k3sim(["run", scenario, "--runs", "1", "--shard", "0/2", "--db", db]).code == 2)
        #expect(!FileManager.default.fileExists(atPath: db))
        let missing = try cli.k3sim(["merge", "--db", db, dir.appendingPathComponent("nope.sqlite").path])
        #expect(missing.code == 2 && missing.stderr.contains("no such database"))
        #expect(try cli.k3sim(["run", scenario, "--runs", "2", "--shard", "0/2", "--db", db]).code == 0)
        let twice = try cli.k3sim(["merge", "--db", dir.appendingPathComponent("m.sqlite").path, db, db])
        #expect(twice.code == 2)
        let itself = try cli.k3sim(["merge", "--db", db, db])
        #expect(itself.code == 2 && itself.stderr.contains("target database"))
    }

    @Test func sweepNeedsEmitJobAndWritesOne() throws {
        #expect(try cli.k3sim(["sweep", scenario, "--runs", "10", "--shards", "2", "--image", "k3sim:dev"]).code == 2)
        let r = try cli.k3sim(["sweep", scenario, "--runs", "10", "--shards", "2", "--image", "k3sim:dev", "--emit-job"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("completionMode: Indexed") && r.stdout.contains("$(JOB_COMPLETION_INDEX)/2"))
        let bad = try cli.k3sim([
            "sweep", scenario, "--runs", "10", "--shards", "2", "--image", "k3sim:dev", "--emit-job",
            "--name", "Not Valid",
        ])
        #expect(bad.code == 2 && bad.stderr.contains("Job name"))
    }

    @Test func progressLineHasCountPercentAndETA() {
        let line = ProgressBar.line(finished: 250, total: 1000, elapsed: 2, label: "runs", width: 20)
        #expect(line == "250/1000 runs [#####...............]  25% · 2.0 s · ETA 6.0 s")
        #expect(!ProgressBar.line(finished: 1000, total: 1000, elapsed: 8, label: "runs").contains("ETA"))
        #expect(ProgressBar.duration(125) == "2 min 5 s" && ProgressBar.duration(7260) == "2 h 1 min")
    }
}
