import ArgumentParser
import Foundation
import Live
import Simulation
import Store

/// `k3sim live etcd`: etcd's status and a write/read probe through the v3 JSON gateway.
struct LiveEtcd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etcd",
        abstract: "etcd status, a probe that measures leader-loss windows, and a partition check against real etcd.",
        discussion:
            "K3S embedded etcd: --endpoints https://SERVER:2379 --cacert /var/lib/rancher/k3s/server/tls/etcd/server-ca.crt --cert .../client.crt --key .../client.key",
        subcommands: [Status.self, Probe.self, LiveEtcdPartition.self])

    struct Connection: ParsableArguments {
        @Option(help: "Comma-separated client URLs (https://host:2379,...).") var endpoints: String
        @Option(help: "CA certificate file (PEM).") var cacert: String?
        @Option(help: "Client certificate file (PEM).") var cert: String?
        @Option(help: "Client key file (PEM).") var key: String?
        @Flag(help: "Do not verify the server certificate.") var insecureSkipTlsVerify = false
        @Option(help: "Per-request timeout (probe attempts do not wait for each other, so it does not coarsen the probe).")
        var requestTimeout: String = "1s"

        func client() throws -> EtcdClient {
            let urls = endpoints.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !urls.isEmpty, urls.allSatisfy({ $0.hasPrefix("http://") || $0.hasPrefix("https://") }) else {
                throw CLIError.badInput("--endpoints must be http(s) URLs separated by commas, e.g. https://10.0.0.2:2379")
            }
            func read(_ path: String?, _ option: String) throws -> Data? {
                guard let path else { return nil }
                guard let d = FileManager.default.contents(atPath: path) else {
                    throw CLIError.badInput("\(option): cannot read \(path)")
                }
                return d
            }
            let tls = TLSOptions(
                caPEM: try read(cacert, "--cacert"), clientCertificatePEM: try read(cert, "--cert"),
                clientKeyPEM: try read(key, "--key").map(Secret.init), insecureSkipVerify: insecureSkipTlsVerify)
            return EtcdClient(
                endpoints: urls, tls: tls, requestTimeout: try seconds(requestTimeout, option: "--request-timeout"),
                http: HTTPClient(proxyEnvironment: ProxyEnvironment(), userAgent: "k3sim/\(K3sim.version)"))
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Leader, members, raft term and index, DB size.")
        @OptionGroup var connection: Connection
        @Flag(help: "JSON on stdout: {\"leader\", \"members\", \"raftTerm\", \"endpoints\"}.") var json = false

        func run() throws {
            let status = try liveErrors { try connection.client().clusterStatus() }
            if json {
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                print(String(decoding: try e.encode(status), as: UTF8.self))
                return
            }
            print("leader: \(status.leader ?? "none"), raft term \(status.raftTerm)")
            for m in status.members {
                let s = status.endpoints.first { $0.memberID == m.id }
                let detail = s.map { "raft index \($0.raftIndex), db \($0.dbSize) bytes, etcd \($0.version)" } ?? "not probed"
                print("  \(m.name.isEmpty ? m.id : m.name) (\(m.id))\(m.name == status.leader ? " leader" : ""): \(detail)")
            }
            for (e, why) in status.unreachable.sorted(by: { $0.key < $1.key }) { print("  unreachable \(e): \(why)") }
        }
    }

    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write and read a key at a fixed interval; record unavailability windows and leader changes.",
            discussion:
                "Writes the key k3sim/probe (and nothing else). With --validate N it simulates the same etcd settings (--heartbeat-interval, --election-timeout) over N seeds and stores the probe, the simulations and a validation record."
        )
        @OptionGroup var connection: Connection
        @Option(help: "How long to probe.") var duration: String = "60s"
        @Option(help: "Time between attempts.") var interval: String = "100ms"
        @Option(help: "The cluster's etcd --heartbeat-interval (K3S: 500ms), for --validate.") var heartbeatInterval: String =
            "500ms"
        @Option(help: "The cluster's etcd --election-timeout (K3S: 5s), for --validate.") var electionTimeout: String = "5s"
        @Option(help: "Simulated member round trip (network + fsync), for --validate.") var memberRoundTrip: String = "10ms"
        @Option(help: "Simulate the settings over N seeds and store a validation record.") var validate: Int?
        @Flag(
            help:
                "Probe every endpoint on its own at the same time, without failover: what a client pinned to each member sees (e.g. a majority member and a partitioned one)."
        )
        var eachEndpoint = false
        @OptionGroup var database: DatabaseOption
        @Flag(help: "JSON on stdout: {\"leaderChanges\", \"longestUnavailableSeconds\", \"windows\": [{\"start\", \"end\"}]}.")
        var json = false

        struct Output: Encodable {
            struct Window: Encodable { let start: Double, end: Double, open: Bool }
            struct Validation: Encodable {
                let validationId: Int64, liveRunId: Int64, simulatedRuns: Int, simulated: Statistic?, observed: Double?,
                    inside: Bool?
            }
            let leaderChanges: Int, longestUnavailableSeconds: Double, windows: [Window]
            let attempts: Int, failures: Int, durationSeconds: Double
            let validation: Validation?
        }

        /// `--each-endpoint --json`: one entry per endpoint.
        struct EndpointOutput: Encodable {
            let endpoint: String
            let leaderChanges: Int, longestUnavailableSeconds: Double, windows: [Output.Window]
            let attempts: Int, failures: Int, durationSeconds: Double
        }

        func run() async throws {
            let client = try connection.client()
            if eachEndpoint {
                if validate != nil {
                    throw CLIError.badInput("--validate compares one probe with failover; it does not go with --each-endpoint")
                }
                try runEachEndpoint(client)
                return
            }
            let probe = EtcdProbe(
                client: client, interval: try seconds(interval, option: "--interval"),
                duration: try seconds(duration, option: "--duration"))
            let settings = EtcdProbeRecord.Settings(
                members: client.endpoints.count,
                heartbeatMilliseconds: Int(try seconds(heartbeatInterval, option: "--heartbeat-interval") * 1000),
                electionTimeoutMilliseconds: Int(try seconds(electionTimeout, option: "--election-timeout") * 1000),
                roundTripMilliseconds: Int(try seconds(memberRoundTrip, option: "--member-round-trip") * 1000))
            if let n = validate, n < 1 { throw CLIError.badInput("--validate must be at least 1") }
            if !json { printErr("probing \(client.endpoints.joined(separator: ",")) every \(interval) for \(duration)...") }
            let result = withInterruptCancellation { cancel in probe.run(cancellation: cancel) }
            var validation: Output.Validation?
            if let n = validate {
                let v = try await liveErrors {
                    try await EtcdValidator.validate(
                        result, settings: settings, runs: n, store: try ResultStore(path: database.path),
                        k3simVersion: K3sim.version)
                }
                let row = v.comparisons.first { $0.milestone == "leaderElected" }
                validation = .init(
                    validationId: v.validationID, liveRunId: v.liveRunID, simulatedRuns: n, simulated: v.simulated,
                    observed: row?.observed, inside: row?.inside)
            }
            let out = Output(
                leaderChanges: result.leaderChanges.count, longestUnavailableSeconds: result.longestUnavailableSeconds,
                windows: result.windows.map { .init(start: $0.start, end: $0.end, open: $0.open) },
                attempts: result.attempts, failures: result.failures, durationSeconds: result.durationSeconds,
                validation: validation)
            // Nothing answered: the figures say nothing about the cluster, so the exit code says so.
            let noneAnswered = result.attempts > 0 && result.failures == result.attempts
            let unanswered = CLIError.failure(
                "no write was answered by \(client.endpoints.joined(separator: ", ")): check the endpoints and the network")
            if json {
                print(try JSONSummary.encode(out))
                if noneAnswered { throw unanswered }
                return
            }
            print(
                "\(result.attempts) attempts, \(result.failures) failed; \(result.leaderChanges.count) leader change(s); "
                    + "longest unavailability \(String(format: "%.2f", result.longestUnavailableSeconds)) s")
            for w in result.windows {
                print(
                    String(
                        format: "  unavailable %.2f–%.2f s (%.2f s)%@", w.start, w.end, w.seconds,
                        w.open ? " (still at the end)" : ""))
            }
            if let v = validation, let s = v.simulated {
                print(
                    String(
                        format: "simulated leader loss over %d seeds: p50 %.2f s, p95 %.2f s, range %.2f–%.2f s; observed %@: %@",
                        v.simulatedRuns, s.p50, s.p95, s.min, s.max, v.observed.map { String(format: "%.2f s", $0) } ?? "none",
                        v.inside.map { $0 ? "inside" : "outside" } ?? "not comparable"))
                print("validation #\(v.validationId) stored in \(database.path) (live run #\(v.liveRunId))")
            }
            if noneAnswered { throw unanswered }
        }

        /// One probe per endpoint, each with a client that knows only that endpoint (so it never
        /// fails over), all started together: during a partition the majority's endpoints show
        /// the leader-loss window and the cut-off member's endpoint shows writes failing until the heal.
        func runEachEndpoint(_ client: EtcdClient) throws {
            let interval = try seconds(interval, option: "--interval"), duration = try seconds(duration, option: "--duration")
            if !json {
                printErr(
                    "probing \(client.endpoints.joined(separator: ", ")) each on its own every \(self.interval) for \(self.duration)..."
                )
            }
            final class Results: @unchecked Sendable {
                let lock = NSLock()
                var byIndex: [Int: EtcdProbeResult] = [:]
            }
            let results = Results()
            withInterruptCancellation { cancel in
                let group = DispatchGroup()
                for (i, e) in client.endpoints.enumerated() {
                    var one = client
                    one.endpoints = [e]
                    let probe = EtcdProbe(client: one, interval: interval, duration: duration)
                    group.enter()
                    Thread.detachNewThread {
                        let r = probe.run(cancellation: cancel)
                        results.lock.lock(); results.byIndex[i] = r; results.lock.unlock()
                        group.leave()
                    }
                }
                group.wait()
            }
            let all = client.endpoints.indices.compactMap { results.byIndex[$0] }
            let noneAnswered = all.allSatisfy { $0.attempts > 0 && $0.failures == $0.attempts }
            if json {
                print(
                    try JSONSummary.encode([
                        "endpoints": all.map { r in
                            EndpointOutput(
                                endpoint: r.endpoints[0], leaderChanges: r.leaderChanges.count,
                                longestUnavailableSeconds: r.longestUnavailableSeconds,
                                windows: r.windows.map { .init(start: $0.start, end: $0.end, open: $0.open) },
                                attempts: r.attempts, failures: r.failures, durationSeconds: r.durationSeconds)
                        }
                    ]))
                if noneAnswered { throw CLIError.failure("no endpoint answered a write") }
                return
            }
            for r in all {
                print(
                    "\(r.endpoints[0]): \(r.attempts) attempts, \(r.failures) failed; \(r.leaderChanges.count) leader change(s); "
                        + "longest unavailability \(String(format: "%.2f", r.longestUnavailableSeconds)) s")
                for w in r.windows {
                    print(
                        String(
                            format: "  unavailable %.2f–%.2f s (%.2f s)%@", w.start, w.end, w.seconds,
                            w.open ? " (still at the end)" : ""))
                }
            }
            if noneAnswered { throw CLIError.failure("no endpoint answered a write") }
        }
    }
}
