import ArgumentParser
import Foundation
import Store

/// `k3sim merge`: joins the databases of a sweep's shards (and any other results databases)
/// into one, so that `k3sim report` treats the sweep as one batch.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge results databases (e.g. the shards of a sweep) into one.",
        discussion: """
            Every run of every SOURCE is copied into --db with its series, topology, costs and validations, \
            in one transaction. Batches stay batches; the shards of one sweep (`run --runs N --shard I/K`: same \
            scenario text, first seed, N and K) become one batch ordered by seed, as if the sweep had run in one \
            `run --runs N`. Merge every shard in one command.
            """)

    @Argument(help: "Results databases to merge (not modified, except that an older one is migrated).")
    var sources: [String]
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        guard !sources.isEmpty else { throw ValidationError("name at least one database to merge") }
    }

    func run() throws {
        let target = URL(fileURLWithPath: database.path).standardizedFileURL.path
        var seen = Set<String>()
        for source in sources {
            let path = URL(fileURLWithPath: source).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: source) else {
                throw CLIError.badInput("\(source): no such database")
            }
            guard path != target else {
                throw CLIError.badInput("\(source) is the target database (--db); merge into another file")
            }
            guard seen.insert(path).inserted else { throw CLIError.badInput("\(source) is named twice") }
        }
        let summary: MergeSummary
        do {
            let stores = try sources.map { try ResultStore(path: $0) }
            summary = try ResultStore(path: database.path).merge(stores, names: sources)
        } catch let e as MergeConflict {
            throw CLIError.badInput(e.description)
        } catch let e as StoreError {
            throw CLIError.failure(e.description)
        }
        for s in summary.sweeps {
            print(
                "sweep of \(s.runs) runs of \(s.scenarioName) from seed \(s.firstSeed): shards "
                    + "\(s.shards.map(String.init).joined(separator: ", ")) of \(s.shardCount) → batch #\(s.batchID) (\(s.storedRuns) runs)"
            )
            if !s.missing.isEmpty {
                FileHandle.standardError.write(
                    Data(
                        ("warning: shards \(s.missing.map(String.init).joined(separator: ", ")) of that sweep "
                            + "were not among the sources: batch #\(s.batchID) holds \(s.storedRuns) of its \(s.runs) runs\n")
                            .utf8))
            }
        }
        print(
            "merged \(summary.runs) runs (\(summary.sweeps.count) sweeps, \(summary.batches) other batches or runs, "
                + "\(summary.validations) validations) into \(database.path)")
    }
}
