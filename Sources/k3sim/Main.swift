import ArgumentParser
import Foundation

/// k3sim's command line.
///
/// Commands are thin: parse, call a library, print.
@main
struct K3sim: AsyncParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "k3sim",
        abstract: "Simulate Kubernetes (K3S) clusters: failure drills, rollouts and availability, before production.",
        version: version,
        subcommands: [
            Run.self, Runs.self, Show.self, Merge.self, Sweep.self, Explain.self, CapacityCommand.self, CompareCommand.self,
            CostCommand.self, CostDiffCommand.self, PlanCommand.self, Report.self, BenchCommand.self, LiveCommand.self,
            ServeCommand.self,
        ])

    /// Exit codes of the contract: 0 success, 2 bad input (usage, scenario, manifest), 1 other failures.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot(CostDiffCommand.rewritten(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let e as CLIError {
            FileHandle.standardError.write(Data((e.message + "\n").utf8))
            Foundation.exit(e.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            if code == .validationFailure || error is ValidationError {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// An error the CLI reports as one sentence with an exit code.
struct CLIError: Error {
    let message: String
    let code: Int32
    static func badInput(_ m: String) -> CLIError { CLIError(message: m, code: 2) }
    static func failure(_ m: String) -> CLIError { CLIError(message: m, code: 1) }
}

/// `--db`, else `K3SIM_DB`, else `k3sim.sqlite` in the current directory.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "Results database (default: $K3SIM_DB or ./k3sim.sqlite).")
    var db: String?

    var path: String { db ?? ProcessInfo.processInfo.environment["K3SIM_DB"] ?? "k3sim.sqlite" }

    /// An empty name would make SQLite use a temporary database, lost when k3sim exits.
    func validate() throws {
        if path.isEmpty {
            throw ValidationError(
                db != nil
                    ? "--db needs a file name (an empty one names a temporary database that is lost)"
                    : "K3SIM_DB is empty: give a file name or unset it")
        }
    }
}
