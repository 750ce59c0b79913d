import Foundation
import KubeModel
import SimKernel
import Simulation

/// How `k3sim serve` runs a scenario.
public struct ServeSettings: Sendable {
    /// Simulated seconds per wall-clock second; 0 pauses the clock (requests still work).
    public var speed: Double
    public var scenarioName: String
    public var kubernetesMinor: Int
    public var k3s: Bool
    /// How many watch events the server keeps for watches that resume from a
    /// resourceVersion (kube-apiserver's `--default-watch-cache-size` plays this part); a
    /// watch from an older one is answered 410 Expired.
    public var watchCacheSize: Int

    public init(speed: Double, scenarioName: String, kubernetesMinor: Int, k3s: Bool, watchCacheSize: Int = 20_000) {
        self.speed = speed; self.scenarioName = scenarioName; self.kubernetesMinor = kubernetesMinor; self.k3s = k3s
        self.watchCacheSize = max(1, watchCacheSize)
    }
}

/// One served simulation. The simulation is not thread-safe, so it lives in this actor and
/// only here: the pacing loop steps it between requests, and each request runs to completion
/// at the current simulated time, so a run is a deterministic function of the seed and of
/// when requests arrived.
actor ServedCluster {
    struct Watcher {
        let request: WatchRequest
        let continuation: AsyncStream<Data>.Continuation
        /// When (simulated) its next BOOKMARK is due, if it asked for bookmarks.
        var nextBookmark: SimTime?
    }

    struct LoggedEvent {
        let rv: Int
        let resource: String
        let type: String
        let object: JSON
    }

    let server: SimulationServer
    let settings: ServeSettings
    var rv = 1
    var podRV: [Int: Int] = [:]
    var nodeRV: [String: Int] = [:]
    /// Per Service ("NS/NAME"): its Endpoints' resourceVersion and content, to publish changes.
    var endpointsRV: [String: Int] = [:]
    var endpointsText: [String: Data] = [:]
    /// Recent watch events, so a watch from a list's resourceVersion misses nothing; at most
    /// `settings.watchCacheSize` of them.
    var log: [LoggedEvent] = []
    /// The resourceVersion of the newest event dropped from `log` (0: none yet).
    var droppedThrough = 0
    var watchers: [Int: Watcher] = [:]
    var nextWatcher = 0
    var stopRequested = false
    /// Simulated time added by hand (`POST /k3sim/step`) on top of the wall-clock pacing.
    var stepped = SimTime.zero
    /// The writes clients made, in order, with their simulated time (printed at the end).
    var actions: [String] = []

    init(spec: ClusterSpec, settings: ServeSettings) {
        self.server = SimulationServer(ClusterSimulation(spec: spec))
        self.settings = settings
        for p in server.pods { podRV[p.uid] = rv }
        for n in server.nodes { nodeRV[n.name] = rv }
        let pods = server.pods
        for s in server.services {
            endpointsText[Self.key(s)] = JSONText.data(ServiceObjects.endpoints(s, pods: pods, rv: 0))
            endpointsText["slice:" + Self.key(s)] = JSONText.data(ServiceObjects.endpointSlice(s, pods: pods, rv: 0))
        }
        _ = server.takeChanges()
    }

    var version: String { "v1.\(settings.kubernetesMinor).0" + (settings.k3s ? "+k3s1" : "") }

    func stop() { stopRequested = true }

    /// Paces the simulation to the wall clock until the scenario's end or `stop()`, then
    /// closes the watches and returns the run's record.
    func run() async -> RunRecord {
        let clock = ContinuousClock()
        let start = clock.now
        let simStart = server.now
        var lastKeepAlive = start
        while !stopRequested && !server.finished {
            if clock.now - lastKeepAlive > .seconds(5) {
                lastKeepAlive = clock.now
                keepWatchesAlive()
            }
            sendDueBookmarks()
            let elapsed = clock.now - start
            let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let target = simStart + stepped + SimTime.fromSeconds(min(wall * settings.speed, 1e12))
            // A bounded batch, so that requests are answered while a fast run catches up.
            let caughtUp = server.advance(to: target, limit: 20_000)
            publishChanges()
            if caughtUp { try? await Task.sleep(for: .milliseconds(10)) } else { await Task.yield() }
        }
        if stopRequested && !server.finished { server.endNow() }
        for w in watchers.values { w.continuation.finish() }
        watchers.removeAll()
        let elapsed = clock.now - start
        let record = server.record(
            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        // A request that ended the run (a step to its end) is still being answered: give the
        // answer time to leave before the HTTP server shuts down.
        try? await Task.sleep(for: .milliseconds(300))
        return record
    }

    /// Turns the store's changes since the last call into watch events.
    func publishChanges() {
        let changes = server.takeChanges()
        guard !changes.isEmpty else { return }
        for p in changes.pods {
            rv += 1
            let type = podRV[p.uid] == nil ? "ADDED" : "MODIFIED"
            podRV[p.uid] = rv
            record(LoggedEvent(rv: rv, resource: "pods", type: type, object: Objects.pod(p, rv: rv)))
        }
        for p in changes.deletedPods {
            rv += 1
            podRV[p.uid] = nil
            record(LoggedEvent(rv: rv, resource: "pods", type: "DELETED", object: Objects.pod(p, rv: rv)))
        }
        if !changes.pods.isEmpty || !changes.deletedPods.isEmpty { publishEndpoints() }
        for n in changes.nodes {
            rv += 1
            nodeRV[n.name] = rv
            record(LoggedEvent(rv: rv, resource: "nodes", type: "MODIFIED", object: Objects.node(n, rv: rv, version: version)))
            record(LoggedEvent(rv: rv, resource: "leases", type: "MODIFIED", object: Objects.lease(n, rv: rv)))
        }
    }

    /// A MODIFIED Endpoints or EndpointSlice event for each Service whose addresses changed.
    private func publishEndpoints() {
        let pods = server.pods
        let renderers: [(prefix: String, resource: String, render: (Service, Int) -> JSON)] = [
            ("", "endpoints", { ServiceObjects.endpoints($0, pods: pods, rv: $1) }),
            ("slice:", "endpointslices", { ServiceObjects.endpointSlice($0, pods: pods, rv: $1) }),
        ]
        for s in server.services.sorted(by: { Self.key($0) < Self.key($1) }) where !s.selector.isEmpty {
            for r in renderers {
                let key = r.prefix + Self.key(s)
                let text = JSONText.data(r.render(s, 0))
                if endpointsText[key] == nil { endpointsText[key] = text; continue }
                guard endpointsText[key] != text else { continue }
                endpointsText[key] = text
                rv += 1
                endpointsRV[key] = rv
                record(LoggedEvent(rv: rv, resource: r.resource, type: "MODIFIED", object: r.render(s, rv)))
            }
        }
    }

    private func record(_ e: LoggedEvent) {
        log.append(e)
        // Dropped in batches (a quarter at a time), so an append does not shift the log each time.
        if log.count > settings.watchCacheSize {
            let drop = log.count - settings.watchCacheSize * 3 / 4
            droppedThrough = log[drop - 1].rv
            log.removeFirst(drop)
        }
        for w in watchers.values where w.request.resource == e.resource && matches(e.object, w.request) {
            w.continuation.yield(watchEvent(e.type, e.object, table: w.request.table))
        }
    }

    func matches(_ object: JSON, _ w: WatchRequest) -> Bool {
        let meta = object["metadata"] as? JSON ?? [:]
        if let ns = w.namespace, meta["namespace"] as? String != ns { return false }
        if let name = w.name, meta["name"] as? String != name { return false }
        if let l = w.labels, !l.matches(meta["labels"] as? [String: String] ?? [:]) { return false }
        if let f = w.fields, !f.matches(Self.fields(object)) { return false }
        return true
    }

    /// The field paths field selectors may name.
    static func fields(_ object: JSON) -> [String: String] {
        let meta = object["metadata"] as? JSON ?? [:]
        let spec = object["spec"] as? JSON ?? [:], status = object["status"] as? JSON ?? [:]
        var f = ["metadata.name": meta["name"] as? String ?? "", "metadata.namespace": meta["namespace"] as? String ?? ""]
        if object["kind"] as? String == "Pod" {
            f["spec.nodeName"] = spec["nodeName"] as? String ?? ""
            f["status.phase"] = status["phase"] as? String ?? ""
        }
        if object["kind"] as? String == "Event" {
            let inv = object["involvedObject"] as? JSON ?? [:]
            f["involvedObject.name"] = inv["name"] as? String ?? ""
            f["involvedObject.kind"] = inv["kind"] as? String ?? ""
            f["involvedObject.namespace"] = inv["namespace"] as? String ?? ""
            if let uid = inv["uid"] as? String { f["involvedObject.uid"] = uid }
        }
        return f
    }
}

struct WatchRequest: Sendable {
    let resource: String
    let namespace: String?
    let labels: Selector?
    let fields: Selector?
    let name: String?
    let table: Bool
    let since: Int?
    /// `allowWatchBookmarks=true`.
    var bookmarks = false
    /// The kind and apiVersion a BOOKMARK's object carries.
    var kind = ""
    var apiVersion = "v1"
}
