import Foundation

/// One event of a watch stream.
public struct WatchEvent: Sendable {
    /// ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.
    public var type: String
    public var object: JSONValue
}

/// How a watch request ended.
public enum WatchEnd: Sendable, Equatable {
    /// The server closed the stream (its timeout): watch again from the last resourceVersion.
    case closed(resourceVersion: String)
    /// 410 Gone (as an HTTP status or an ERROR event): the resourceVersion is too old; relist.
    case expired
    /// The consumer or a cancellation stopped it.
    case stopped
}

extension KubeClient {
    /// Watches from `resourceVersion` (`?watch=1&allowWatchBookmarks=true`), handing every event to `onEvent` as it arrives.
    ///
    /// `onEvent` returns false to stop. BOOKMARK events carry only a newer resourceVersion and are
    /// passed on too, so the caller can resume from them.
    public func watch(
        _ resource: KubeResource, namespace: String? = nil, resourceVersion: String,
        fieldSelector: String? = nil, labelSelector: String? = nil, timeoutSeconds: Int = 300,
        cancellation: Cancellation?, onEvent: @escaping (WatchEvent) -> Bool
    ) throws -> WatchEnd {
        let path = resource.path(namespace: namespace)
        var query = [
            ("watch", "1"), ("allowWatchBookmarks", "true"), ("resourceVersion", resourceVersion),
            ("timeoutSeconds", String(timeoutSeconds)),
        ]
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        let (tls, token) = try credentials()
        let request = HTTPRequest(
            method: .get, url: url(path, query: query), headers: ["Accept": "application/json"],
            bearerToken: token, timeout: nil)
        log.append("GET", path, query: query)
        let parser = WatchStreamParser()
        var lastRV = resourceVersion
        var expired = false
        var stopped = false
        let response = try http.stream(request, tls: tls, cancellation: cancellation) { chunk in
            for event in parser.feed(chunk) {
                if event.type == "ERROR" {
                    if event.object["code"]?.int == 410 { expired = true }
                    return false
                }
                if let rv = event.object.resourceVersion { lastRV = rv }
                if !onEvent(event) { stopped = true; return false }
            }
            return true
        }
        if response.status == 410 || expired { return .expired }
        guard (200..<300).contains(response.status) else { throw KubeAPIError.from(response, method: .get, path: path) }
        if stopped || cancellation?.isCancelled == true { return .stopped }
        return .closed(resourceVersion: lastRV)
    }
}

/// Splits a watch body (one JSON event per line, arriving in arbitrary chunks) into events.
final class WatchStreamParser {
    private var buffer = Data()

    func feed(_ chunk: Data) -> [WatchEvent] {
        buffer.append(chunk)
        var events: [WatchEvent] = []
        while let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = buffer[buffer.startIndex..<nl]
            buffer = Data(buffer[buffer.index(after: nl)...])
            guard !line.allSatisfy({ $0 == 32 || $0 == 13 }), let v = try? JSONValue.parse(Data(line)),
                let type = v["type"]?.string, let object = v["object"]
            else { continue }
            events.append(WatchEvent(type: type, object: object))
        }
        return events
    }
}

/// A cache of one resource kept current by list + watch, on its own thread, as client-go's informers do.
///
/// On 410 Gone it relists, when the server closes the stream it watches again from the last
/// resourceVersion (or bookmark), on errors it backs off and retries. The drill reads `objects` and
/// gets `onChange` with the time each event arrived.
public final class Informer: @unchecked Sendable {
    public let resource: KubeResource
    let client: KubeClient
    let namespace: String?
    let fieldSelector: String?
    let cancellation: Cancellation
    private let lock = NSLock()
    private var store: [String: JSONValue] = [:]
    private var listed = false
    private var relistCount = 0
    private var failure: String?
    /// Called on the informer's thread after every change (type, object, arrival time).
    let onChange: (@Sendable (String, JSONValue, Date) -> Void)?

    public init(
        client: KubeClient, resource: KubeResource, namespace: String? = nil, fieldSelector: String? = nil,
        cancellation: Cancellation, onChange: (@Sendable (String, JSONValue, Date) -> Void)? = nil
    ) {
        self.client = client; self.resource = resource; self.namespace = namespace
        self.fieldSelector = fieldSelector; self.cancellation = cancellation; self.onChange = onChange
    }

    public var objects: [String: JSONValue] { lock.lock(); defer { lock.unlock() }; return store }
    public var hasSynced: Bool { lock.lock(); defer { lock.unlock() }; return listed }
    /// How many times a 410 forced a new list.
    public var relists: Int { lock.lock(); defer { lock.unlock() }; return relistCount }
    public var lastError: String? { lock.lock(); defer { lock.unlock() }; return failure }

    public func start() {
        let t = Thread { [self] in run() }
        t.name = "k3sim-informer-\(resource.plural)"
        t.start()
    }

    /// Waits until the first list is in (or `timeout` passes).
    @discardableResult
    public func waitForSync(timeout: TimeInterval) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while !hasSynced && Date() < end && !cancellation.isCancelled { Thread.sleep(forTimeInterval: 0.02) }
        return hasSynced
    }

    func run() {
        var rv: String?
        var backoff = 0.2
        while !cancellation.isCancelled {
            do {
                if rv == nil {
                    let list = try client.list(
                        resource, namespace: namespace, fieldSelector: fieldSelector, cancellation: cancellation)
                    let fresh = Dictionary(list.items.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
                    lock.lock(); let old = store; store = fresh; listed = true; lock.unlock()
                    let now = Date()
                    for (k, v) in fresh where old[k] != v { onChange?(old[k] == nil ? "ADDED" : "MODIFIED", v, now) }
                    for (k, v) in old where fresh[k] == nil { onChange?("DELETED", v, now) }
                    rv = list.resourceVersion
                }
                let end = try client.watch(
                    resource, namespace: namespace, resourceVersion: rv ?? "", fieldSelector: fieldSelector,
                    timeoutSeconds: 60, cancellation: cancellation
                ) { [self] event in
                    apply(event)
                    return !cancellation.isCancelled
                }
                switch end {
                case .expired:
                    lock.lock(); relistCount += 1; lock.unlock()
                    rv = nil
                case .closed(let last): rv = last
                case .stopped: return
                }
                backoff = 0.2
            } catch {
                lock.lock(); failure = String(describing: error); lock.unlock()
                if !cancellation.sleep(backoff) { return }
                backoff = min(backoff * 2, 5)
            }
        }
    }

    func apply(_ event: WatchEvent) {
        let now = Date()
        guard event.type != "BOOKMARK" else { return }
        lock.lock()
        if event.type == "DELETED" { store[event.object.key] = nil } else { store[event.object.key] = event.object }
        lock.unlock()
        onChange?(event.type, event.object, now)
    }
}
