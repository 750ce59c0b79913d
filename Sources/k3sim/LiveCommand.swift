import ArgumentParser
import Foundation
import Live
import Scenario
import Simulation
import Store

/// `k3sim live`: a real cluster, read-only unless `--execute` is given.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Snapshot a real cluster, run a drill on it safely, and compare it with the simulation.",
        discussion:
            "Read-only by default: only `drill --execute` and `validate --execute` change the cluster, after printing their plan.",
        subcommands: [LiveSnapshot.self, LiveDrill.self, LiveValidate.self, LiveEtcd.self])
}

struct LiveSnapshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Write the cluster as a scenario (GET requests only; Secrets are never read).")
    @OptionGroup var cluster: ClusterOptions
    @Option(name: .shortAndLong, help: "Scenario file to write (default: stdout).") var output: String?
    @Option(help: "Scenario name (default: live-<API server host>).") var name: String?

    func run() throws {
        let snapshot = try liveErrors {
            SnapshotBuilder.build(try ClusterObjects.read(from: try cluster.client()), name: name)
        }
        guard let output else { print(snapshot.text, terminator: ""); return }
        do { try snapshot.text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
            throw CLIError.failure("cannot write \(output): \(error.localizedDescription)")
        }
        print("wrote \(output) (scenario \(snapshot.name), Kubernetes \(snapshot.kubernetesVersion))")
        for n in snapshot.notes { print("note: \(n)") }
    }
}

/// What drill and validate share: the action, consent and limits.
struct DrillArguments: ParsableArguments {
    @Option(help: "drain, rollout or delete-pod.") var action: String
    @Argument(help: "node/NAME (drain), deployment/[NAMESPACE/]NAME (rollout), pod/NAMESPACE/NAME (delete-pod).")
    var target: String
    @Flag(help: "Perform the drill. Without it the plan is printed and nothing changes.") var execute = false
    @Option(help: "Give up and restore after this long.") var timeout: String = "10m"
    @Flag(help: "drain: evict pods without a controller (kubectl drain --force).") var force = false
    @Flag(help: "drain: evict pods with emptyDir volumes (kubectl drain --delete-emptydir-data).") var deleteEmptydirData = false
    @Flag(help: "drain: uncordon the node when the drill has finished (kubectl drain leaves it cordoned).") var uncordon = false

    func plan(_ client: KubeClient) throws -> DrillPlan {
        try liveErrors {
            let action = try DrillAction.parse(action: self.action, target: target, defaultNamespace: client.connection.namespace)
            return try DrillPlanner.plan(action, client: client, force: force, deleteEmptyDirData: deleteEmptydirData)
        }
    }

    func timeoutSeconds() throws -> TimeInterval { try seconds(timeout, option: "--timeout") }
}

struct LiveDrill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill", abstract: "Run a drain, rollout restart or pod deletion as kubectl would, and record its timeline.",
        discussion:
            "Without --execute: prints the exact requests it would send and changes nothing. With --execute: performs them, watches the cluster, stores the observed timeline as a live run, and on failure, timeout or Ctrl-C uncordons what it cordoned."
    )
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var drill: DrillArguments
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print the run's JSON summary on stdout.") var json = false

    func run() throws {
        let timeout = try drill.timeoutSeconds()
        let client = try cluster.client()
        let plan = try drill.plan(client)
        guard drill.execute else {
            print(plan.text)
            print("Dry run: nothing was changed. Add --execute to perform the plan.")
            return
        }
        printErr(plan.text)
        // The scenario stored with the run (GET only) and the scenario's node names. A cluster
        // that cannot be snapshotted (e.g. RBAC forbids listing claims) still gets its drill.
        var name = SnapshotBuilder.defaultName(client.connection.server)
        var text = "# live drill against \(client.connection.server): the cluster could not be snapshotted\n"
        var nodeNames: [String: String] = [:]
        do {
            let (snapshot, loaded) = try LiveValidator.scenario(
                client: client, plan: plan, timeout: timeout, path: "live-drill.yaml")
            (name, text, nodeNames) = (loaded.name, loaded.text, snapshot.nodeNames)
        } catch {
            printErr("note: the cluster could not be snapshotted (\(error)); the run is stored without its scenario")
        }
        let outcome = try withInterruptCancellation { cancel in
            try liveErrors {
                try DrillRunner(
                    client: client, plan: plan,
                    options: DrillOptions(
                        timeout: timeout, uncordonAfter: drill.uncordon, scenarioName: name, nodeNames: nodeNames),
                    cancellation: cancel
                ).run()
            }
        }
        let id = try liveErrors {
            try ResultStore(path: database.path).save(
                scenarioName: name, scenarioText: text,
                records: [outcome.record], k3simVersion: K3sim.version)[0]
        }
        LiveText.printOutcome(outcome, runID: id, json: json, db: database.path)
        if let failure = outcome.failure { throw CLIError.failure("the drill failed: \(failure)") }
    }
}

struct LiveValidate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Snapshot, simulate the drill over N seeds, run it live, compare per milestone.",
        discussion:
            "Stores the simulated runs, the live run and a validation record (see `k3sim report`). Without --execute it snapshots, simulates and prints the plan, and changes nothing."
    )
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var drill: DrillArguments
    @Option(help: "Simulated runs (consecutive seeds).") var runs: Int = 20
    @Option(help: "Also write the snapshot scenario (with the drill as its fault) to this file.") var scenarioOut: String?
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print the comparison as JSON on stdout.") var json = false

    func validate() throws { guard runs >= 1 else { throw ValidationError("--runs must be at least 1") } }

    func run() async throws {
        let timeout = try drill.timeoutSeconds()
        let client = try cluster.client()
        let plan = try drill.plan(client)
        let path = scenarioOut ?? "live-validate.yaml"
        if !drill.execute {
            let (snapshot, loaded) = try liveErrors {
                try LiveValidator.scenario(client: client, plan: plan, timeout: timeout, path: path)
            }
            let sims = await MonteCarlo.run(loaded.spec, seeds: (0..<runs).map { loaded.spec.seed &+ UInt64($0) })
            try writeScenario(snapshot)
            print(plan.text)
            print("Simulated over \(runs) seeds (not stored):")
            print(LiveText.simulatedOnly(sims))
            print("Dry run: nothing was changed. Add --execute to run the drill and store the comparison.")
            return
        }
        printErr(plan.text)
        let store = try liveErrors { try ResultStore(path: database.path) }
        let outcome = try await withInterruptCancellation { cancel in
            try await liveErrors {
                try await LiveValidator.validate(
                    client: client, plan: plan,
                    options: DrillOptions(timeout: timeout, uncordonAfter: drill.uncordon, scenarioName: ""),
                    runs: runs, store: store, scenarioPath: path, k3simVersion: K3sim.version,
                    cancellation: cancel, progress: printErr)
            }
        }
        try writeScenario(outcome.snapshot)
        LiveText.printValidation(outcome, json: json, db: database.path)
        if let failure = outcome.drill.failure { throw CLIError.failure("the drill failed: \(failure)") }
    }

    func writeScenario(_ s: Snapshot) throws {
        guard let scenarioOut else { return }
        do { try s.text.write(toFile: scenarioOut, atomically: true, encoding: .utf8) } catch {
            throw CLIError.failure("cannot write \(scenarioOut): \(error.localizedDescription)")
        }
    }
}
