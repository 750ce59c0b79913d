import ArgumentParser
import Foundation
import Scenario

/// `k3sim sweep --emit-job`: a sweep too large for one machine, as a Kubernetes Indexed Job.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the Kubernetes Indexed Job that runs a sweep of seeds in shards.",
        discussion: """
            --emit-job writes a ConfigMap (the scenario and its manifest files), a ReadWriteMany \
            PersistentVolumeClaim for the results and an Indexed Job of K completions: pod I runs \
            `k3sim run SCENARIO --runs N --seed S --shard I/K --db /results/shard-I.sqlite`. \
            Afterwards `k3sim merge` joins the shard databases. See README "Sweeps on Kubernetes".
            """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @Option(help: "Runs in the whole sweep (consecutive seeds).") var runs: Int
    @Option(help: "Number of shards (the Job's completions).") var shards: Int
    @Option(help: "First seed (default: the scenario's spec.seed).") var seed: UInt64?
    @Flag(name: .customLong("emit-job"), help: "Write the Job manifests.") var emitJob = false
    @Option(help: "Container image with k3sim on its PATH.") var image: String
    @Option(help: "Job name (also prefixes the ConfigMap and the claim).") var name: String = "k3sim-sweep"
    @Option(help: "Namespace of the objects (default: kubectl's current one).") var namespace: String?
    @Option(help: "Pods at once (default: every shard at once).") var parallelism: Int?
    @Option(name: .customLong("storage-class"), help: "StorageClass of the results claim (must offer ReadWriteMany).")
    var storageClass: String?
    @Option(help: "Write the manifests to this file instead of stdout.") var out: String?

    func validate() throws {
        guard emitJob else {
            throw ValidationError(
                "sweep only writes a Job for now: add --emit-job (to sweep on this machine use `k3sim run --runs N`)")
        }
    }

    func run() throws {
        let loaded: LoadedScenario
        do { loaded = try ScenarioLoader.load(path: scenario) } catch let e as ScenarioError {
            throw CLIError.badInput(e.description)
        }
        let job = SweepJob(
            name: name, namespace: namespace, image: image, runs: runs, firstSeed: seed ?? loaded.spec.seed,
            shards: shards, parallelism: parallelism ?? shards, storageClass: storageClass)
        if let problem = job.problem(for: loaded) { throw CLIError.badInput(problem) }
        let yaml: String
        do { yaml = try job.yaml(for: loaded) } catch let e as SweepJobError { throw CLIError.badInput(e.message) }
        if let out {
            do { try yaml.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw CLIError.failure("cannot write \(out): \(error.localizedDescription)")
            }
            print("wrote \(out): Job \(name) with \(shards) shards of \(runs) runs")
        } else {
            print(yaml, terminator: "")
        }
    }
}
