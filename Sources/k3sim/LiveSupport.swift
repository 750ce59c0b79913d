import ArgumentParser
import Foundation
import Live
import Scenario
import Store

/// `--kubeconfig` and `--context`, read as kubectl reads them.
struct ClusterOptions: ParsableArguments {
    @Option(help: "kubeconfig file (default: $KUBECONFIG, merged as kubectl does, else ~/.kube/config, else in-cluster).")
    var kubeconfig: String?
    @Option(help: "kubeconfig context (default: current-context).") var context: String?

    func client() throws -> KubeClient {
        let connection = try liveErrors {
            try KubeconfigLoader.load(KubeconfigOptions(explicitPath: kubeconfig, context: context))
        }
        return KubeClient(connection: connection, http: HTTPClient(userAgent: "k3sim/\(K3sim.version)"))
    }
}

/// Maps live-mode errors to the CLI contract: bad kubeconfig or drill request → exit 2, the
/// cluster or network failing → exit 1; one sentence each, never a credential (the errors
/// carry none: tokens and keys are `Secret`s and never part of a message).
func liveErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw cliError(error) }
}

/// `liveErrors` around code that awaits (a simulated batch).
func liveErrors<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch { throw cliError(error) }
}

private func cliError(_ error: any Error) -> any Error {
    switch error {
    case let e as KubeconfigError: CLIError.badInput("kubeconfig: \(e.description)")
    case DrillError.badInput(let m): CLIError.badInput(m)
    case DrillError.failed(let m): CLIError.failure(m)
    case let e as KubeAPIError: CLIError.failure("the API server refused \(e.description)")
    case let e as HTTPError: CLIError.failure("cannot reach the cluster: \(e.message)")
    case let e as EtcdError: CLIError.failure("etcd \(e.description)")
    case let e as StoreError: CLIError.failure(e.description)
    case let e as ScenarioError:
        CLIError.failure("the snapshot does not load as a scenario (please report this): \(e.description)")
    default: error
    }
}

/// `90s`, `5m`, `500ms` as seconds.
func seconds(_ s: String, option: String) throws -> TimeInterval {
    guard let t = DurationValue.parse(s), t.seconds > 0 else {
        throw ValidationError("\(option) must be a positive duration such as 500ms, 90s or 10m, not \"\(s)\"")
    }
    return t.seconds
}

/// Runs `body` with a cancellation that Ctrl-C and SIGTERM trigger.
func withInterruptCancellation<T>(_ body: (Cancellation) throws -> T) rethrows -> T {
    let cancellation = Cancellation()
    let sources = cancellation.cancelOnInterrupt()
    return try withExtendedLifetime(sources) { try body(cancellation) }
}

/// `withInterruptCancellation` around code that awaits.
func withInterruptCancellation<T>(_ body: (Cancellation) async throws -> T) async rethrows -> T {
    let cancellation = Cancellation()
    let sources = cancellation.cancelOnInterrupt()
    defer { withExtendedLifetime(sources) {} }
    return try await body(cancellation)
}

func printErr(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
