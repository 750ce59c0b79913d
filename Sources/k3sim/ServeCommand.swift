import ArgumentParser
import Foundation
import Scenario
import Serve
import Simulation
import Store

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a scenario paced to the wall clock and serve it as a Kubernetes API for kubectl.",
        discussion: """
            The simulation runs at --speed times real time (0 pauses it; requests are still answered) and is served \
            over plain HTTP on loopback. kubectl reads nodes, pods, workloads, PDBs, services and endpoints, claims, \
            volumes, storage classes, CloudNativePG clusters, leases and events, and can \
            cordon/uncordon, taint and label nodes, label pods, scale, delete and evict pods (so `kubectl drain` works); \
            other writes answer 405. \
            `curl -XPOST URL/k3sim/faults -d '{"action":"crash","target":"node/NAME"}'` injects a scenario fault \
            action now; `curl -XPOST URL/k3sim/step -d '{"by":"30s"}'` moves the clock on by hand (with --speed 0 \
            the only way it moves). Ctrl-C or the scenario's end stores the run like `k3sim run`.
            """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @Option(help: "Random seed (default: the scenario's spec.seed).") var seed: UInt64?
    @Option(help: "Simulated seconds per wall-clock second (0 pauses the clock).") var speed: Double = 1
    @Option(help: ArgumentHelp("Where to listen (default 127.0.0.1 and a free port).", valueName: "HOST:PORT"))
    var address: String = "127.0.0.1:0"
    @Option(help: "Where to write the kubeconfig.") var kubeconfig: String = "k3sim-serve.kubeconfig"
    @Option(
        help: ArgumentHelp("End the run at this simulated time instead of the scenario's duration (e.g. 10m).", valueName: "T"))
    var until: String?
    @Option(
        help: ArgumentHelp(
            "Watch events kept for watches that resume from a resourceVersion; older ones get 410 Expired.",
            valueName: "N"))
    var watchCacheSize: Int = 20_000
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        guard watchCacheSize >= 1 else { throw ValidationError("--watch-cache-size must be at least 1 (got \(watchCacheSize))") }
        guard speed >= 0, speed.isFinite else { throw ValidationError("--speed must be a number of at least 0 (got \(speed))") }
        _ = try hostPort()
        if let until, (DurationValue.parse(until) ?? .zero) <= .zero {
            throw ValidationError("--until must be a positive duration such as 90s or 10m (got \"\(until)\")")
        }
    }

    func hostPort() throws -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65535).contains(port), colon != address.startIndex
        else {
            throw ValidationError("--address must be HOST:PORT, e.g. 127.0.0.1:8080 (got \"\(address)\")")
        }
        let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return (host, port)
    }

    func run() async throws {
        let loaded: LoadedScenario
        do { loaded = try ScenarioLoader.load(path: scenario) } catch let e as ScenarioError {
            throw CLIError.badInput(e.description)
        }
        var spec = loaded.spec
        if let seed { spec.seed = seed }
        if let until, let t = DurationValue.parse(until) { spec.duration = t }
        let store: ResultStore
        do { store = try ResultStore(path: database.path) } catch let e as StoreError { throw CLIError.failure(e.description) }
        let settings = ServeSettings(
            speed: speed, scenarioName: loaded.name, kubernetesMinor: loaded.platform.kubernetesMinor,
            k3s: loaded.platform.distribution == .k3s, watchCacheSize: watchCacheSize)
        let (host, port) = try hostPort()
        let kubeconfigPath = kubeconfig, name = loaded.name, seedUsed = spec.seed,
            speedText = speed == 0 ? "paused" : "\(speed)× real time"
        let outcome: ServeSession.Outcome
        do {
            outcome = try await ServeSession.run(spec: spec, settings: settings, host: host, port: port, kubeconfig: kubeconfig) {
                url in
                // Written at once (not through print's buffer): scripts wait for this line on a pipe.
                FileHandle.standardOutput.write(
                    Data(
                        """
                        Serving \(name) (seed \(seedUsed), \(speedText)) at \(url)
                        kubeconfig \(kubeconfigPath) (context \(name)):
                          kubectl --kubeconfig \(kubeconfigPath) get pods -A -w
                        Inject a fault now: curl -XPOST \(url)/k3sim/faults -d '{"action":"crash","target":"node/NAME"}'
                        Ctrl-C stops and stores the run.

                        """.utf8))
            }
        } catch let e as ServeSession.ServeError {
            throw CLIError.failure(e.description)
        }
        let id: Int64
        do {
            id = try store.save(
                scenarioName: loaded.name, scenarioText: loaded.text, records: [outcome.record],
                k3simVersion: K3sim.version, shard: nil, costs: RunCost.option(loaded).map { [RunCost.stored($0)] } ?? [])[0]
        } catch let e as StoreError {
            throw CLIError.failure(e.description)
        }
        if !outcome.actions.isEmpty {
            print("Requests that changed the cluster:\n" + outcome.actions.map { "  " + $0 }.joined(separator: "\n"))
        }
        print(TextSummary.single(outcome.record, runID: id, description: loaded.description, db: database.path))
    }
}
