import Foundation
import Hummingbird
import Logging
import Simulation

/// `k3sim serve`: starts the HTTP server (Hummingbird) on loopback, writes a kubeconfig,
/// paces the simulation until its end or Ctrl-C and returns the run's record.
public enum ServeSession {
    public struct Outcome: Sendable {
        public let record: RunRecord
        /// What clients did, with simulated times ("00:05:00 cordon node/w2").
        public let actions: [String]
        public let url: String
    }

    public struct ServeError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `announce` is called once the server listens, with its URL.
    public static func run(
        spec: ClusterSpec, settings: ServeSettings, host: String, port: Int,
        kubeconfig: String, announce: @escaping @Sendable (String) -> Void
    ) async throws -> Outcome {
        let cluster = ServedCluster(spec: spec, settings: settings)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "k3sim-serve")
        logger.logLevel = .critical
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, context in
                try await respond(request, context, cluster)
            },
            configuration: .init(address: .hostname(host, port: port), serverName: "k3sim"),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? port)
                portSink.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var bound: Int?
            for await p in ports { bound = p }
            guard let bound else { throw ServeError(description: "the HTTP server did not start on \(host):\(port)") }
            let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(bound)"
            do {
                try Kubeconfig.text(server: url, context: settings.scenarioName)
                    .write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            } catch {
                throw ServeError(description: "cannot write the kubeconfig \(kubeconfig): \(error.localizedDescription)")
            }
            announce(url)
            let interrupt = Interrupt { Task { await cluster.stop() } }
            let record = await cluster.run()
            interrupt.cancel()
            let actions = await cluster.actions
            group.cancelAll()
            return Outcome(record: record, actions: actions, url: url)
        }
    }

    /// `application/x-www-form-urlencoded` as Go's url.Values encodes it (kubectl writes a space as `+`).
    static func query(_ raw: String) -> [String: String] {
        var query: [String: String] = [:]
        for pair in raw.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                let s = $0.replacingOccurrences(of: "+", with: " ")
                return s.removingPercentEncoding ?? s
            }
            query[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        return query
    }

    static func respond(_ request: Request, _ context: BasicRequestContext, _ cluster: ServedCluster) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 4 << 20)
        let query = Self.query(request.uri.query ?? "")
        let accept = request.headers[.accept] ?? ""
        let req = APIRequest(
            method: request.method.rawValue, path: request.uri.path, query: query, accept: accept,
            body: Data(buffer: body))
        switch await cluster.handle(req) {
        case .json(let status, let data):
            return Response(
                status: .init(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .typed(let status, let data, let contentType):
            return Response(
                status: .init(code: status), headers: [.contentType: contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .text(let status, let text):
            return Response(
                status: .init(code: status), headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        case .watch(let stream):
            return Response(
                status: .ok, headers: [.contentType: "application/json", .transferEncoding: "chunked"],
                body: .init(asyncSequence: stream.map { ByteBuffer(bytes: $0) }))
        }
    }
}

/// SIGINT (Ctrl-C) and SIGTERM end the run cleanly instead of killing the process.
final class Interrupt: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]

    init(_ handler: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler(handler: handler)
            s.resume()
            return s
        }
    }

    func cancel() { for s in sources { s.cancel() } }
}

/// A kubeconfig with one cluster, user and context, all named after the scenario.
enum Kubeconfig {
    static func text(server: String, context: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: \(context)
          cluster:
            server: \(server)
        users:
        - name: \(context)
          user:
            token: k3sim
        contexts:
        - name: \(context)
          context:
            cluster: \(context)
            user: \(context)
            namespace: default
        current-context: \(context)

        """
    }
}
