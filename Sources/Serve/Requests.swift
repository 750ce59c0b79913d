import Foundation
import KubeModel
import SimKernel
import Simulation

/// An HTTP request as the served cluster sees it (the HTTP layer collects the body).
struct APIRequest: Sendable {
    let method: String
    let path: String
    let query: [String: String]
    let accept: String
    let body: Data
}

enum APIReply: Sendable {
    case json(Int, Data)
    /// JSON with its own Content-Type (aggregated discovery).
    case typed(Int, Data, String)
    case text(Int, String)
    case watch(AsyncStream<Data>)
}

/// A path below a group/version: `[namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]`.
struct ResourcePath {
    let resource: APIResource
    let namespace: String?
    let name: String?
    let subresource: String?

    static func parse(_ path: String) -> ResourcePath? {
        var parts = path.split(separator: "/").map(String.init)
        let prefixCount = parts.first == "api" ? 2 : 3
        guard parts.count > prefixCount, ["api", "apis"].contains(parts[0]) else { return nil }
        let prefix = "/" + parts[0..<prefixCount].joined(separator: "/")
        parts.removeFirst(prefixCount)
        var namespace: String?
        // `/api/v1/namespaces/NAME` is the Namespace itself; `/namespaces/NS/pods` a namespaced list.
        if parts.count >= 3, parts[0] == "namespaces" {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard let resource = Discovery.resource(prefix: prefix, name: parts[0]), parts.count <= 3 else { return nil }
        return ResourcePath(
            resource: resource, namespace: namespace, name: parts.count > 1 ? parts[1] : nil,
            subresource: parts.count > 2 ? parts[2] : nil)
    }
}

extension ServedCluster {
    func handle(_ req: APIRequest) -> APIReply {
        let reply = route(req)
        // A write changes the store at once: watches hear of it before the next step.
        if req.method != "GET" { publishChanges() }
        return reply
    }

    private func route(_ req: APIRequest) -> APIReply {
        let path = req.path.count > 1 && req.path.hasSuffix("/") ? String(req.path.dropLast()) : req.path
        switch (req.method, path) {
        case ("GET", "/version"): return json(Discovery.version(kubernetesMinor: settings.kubernetesMinor, k3s: settings.k3s))
        case ("GET", "/api") where AggregatedDiscovery.wanted(req.accept),
            ("GET", "/apis") where AggregatedDiscovery.wanted(req.accept):
            return .typed(200, JSONText.data(AggregatedDiscovery.list(core: path == "/api")), AggregatedDiscovery.contentType)
        case ("GET", "/api"): return json(Discovery.coreVersions)
        case ("GET", "/apis"): return json(Discovery.groupList)
        case ("GET", "/healthz"), ("GET", "/livez"), ("GET", "/readyz"): return .text(200, "ok")
        case ("GET", "/k3sim/status"): return json(statusDocument)
        case ("POST", "/k3sim/faults"): return injectFault(req.body)
        case ("POST", "/k3sim/step"): return step(req.body)
        default: break
        }
        if req.method == "GET", let list = Discovery.resourceList(prefix: path) { return json(list) }
        if req.method == "GET", let g = Discovery.groups.first(where: { "/apis/\($0.group)" == path }) {
            return json(Discovery.group(g.group, g.version))
        }
        guard let target = ResourcePath.parse(path) else {
            if req.method != "GET" { return notAllowed(req) }
            return failure(404, "NotFound", "the server could not find the requested resource (\(req.method) \(path))")
        }
        switch req.method {
        case "GET": return get(target, req)
        case "PATCH", "PUT": return patch(target, req)
        case "DELETE": return delete(target, req)
        case "POST" where target.subresource == "eviction": return evict(target, req)
        default: return notAllowed(req)
        }
    }

    var statusDocument: JSON {
        [
            "scenario": settings.scenarioName, "simulatedSeconds": server.now.seconds, "time": SimClock.timestamp(server.now),
            "endSeconds": server.duration.seconds, "speed": settings.speed, "actions": actions,
            "watches": watchers.count,
        ]
    }

    func json(_ object: JSON, status: Int = 200) -> APIReply { .json(status, JSONText.data(object)) }

    func failure(_ code: Int, _ reason: String, _ message: String) -> APIReply {
        json(Objects.status(code: code, reason: reason, message: message), status: code)
    }

    func notAllowed(_ req: APIRequest) -> APIReply {
        failure(
            405, "MethodNotAllowed",
            "the simulated cluster (k3sim serve) does not accept \(req.method) \(req.path): it takes cordon/uncordon, taint and label, scale, rollout restart, delete pod, eviction and POST /k3sim/faults"
        )
    }

    // MARK: reads

    /// Every object of a resource now, as JSON.
    func objects(_ r: APIResource) -> [JSON] {
        switch r.name {
        case "nodes": return server.nodes.map { Objects.node($0, rv: nodeRV[$0.name] ?? rv, version: version) }
        case "pods": return server.pods.map { Objects.pod($0, rv: podRV[$0.uid] ?? rv) }
        case "namespaces": return server.namespaces.map { Objects.namespace($0, rv: 1) }
        case "leases":
            return server.nodes.map { Objects.lease($0, rv: nodeRV[$0.name] ?? rv) }
                + server.controlPlaneLeases.map { Objects.lease($0, rv: rv) }
        case "poddisruptionbudgets": return server.podDisruptionBudgets.map { Objects.pdb($0, rv: rv) }
        case "storageclasses": return server.storageClasses.map { StorageObjects.storageClass($0, rv: 1) }
        case "persistentvolumeclaims": return server.claims.map { StorageObjects.claim($0, rv: rv) }
        case "persistentvolumes": return server.claims.filter(\.bound).map { StorageObjects.volume($0, rv: rv) }
        case "clusters": return server.pgClusters.map { StorageObjects.pgCluster($0, rv: rv) }
        case "services":
            return ServiceObjects.ordered(server.services).map { ServiceObjects.service($0.service, clusterIP: $0.ip, rv: 1) }
        case "endpoints":
            let pods = server.pods
            return server.services.map { ServiceObjects.endpoints($0, pods: pods, rv: endpointsRV[Self.key($0)] ?? 1) }
        case "endpointslices":
            let pods = server.pods
            return server.services.filter { !$0.selector.isEmpty }
                .map { ServiceObjects.endpointSlice($0, pods: pods, rv: endpointsRV["slice:" + Self.key($0)] ?? 1) }
        case "events":
            // The components' events, then the fault timelines' milestones (k3sim's own view).
            let mechanisms = server.events.enumerated().map { Objects.event($0.element, index: $0.offset, rv: rv) }
            return mechanisms
                + server.milestones.enumerated().map {
                    Objects.event(
                        index: $0.offset, at: $0.element.at, fault: $0.element.fault, reason: $0.element.name,
                        message: $0.element.mechanism, rv: rv)
                }
        default: return server.workloads.filter { $0.kind == r.kind }.map { Objects.workload($0, rv: rv) }
        }
    }

    func get(_ t: ResourcePath, _ req: APIRequest) -> APIReply {
        let r = t.resource
        let labels = Selector(req.query["labelSelector"]), fields = Selector(req.query["fieldSelector"])
        if (req.query["labelSelector"] != nil && labels == nil) || (req.query["fieldSelector"] != nil && fields == nil) {
            return failure(400, "BadRequest", "unable to parse the label or field selector")
        }
        let table = req.accept.contains("as=Table")
        var filter = WatchRequest(
            resource: r.name, namespace: r.namespaced ? t.namespace : nil, labels: labels, fields: fields,
            name: t.name, table: table, since: req.query["resourceVersion"].flatMap { Int($0) })
        filter.bookmarks = req.query["allowWatchBookmarks"] == "true"
        filter.kind = r.kind
        filter.apiVersion = r.groupVersion
        // As etcd returns them: ordered by key (namespace, then name).
        let items = objects(r).filter { matches($0, filter) }.sorted { Self.key($0) < Self.key($1) }
        if req.query["watch"] == "true" || req.query["watch"] == "1" {
            return .watch(openWatch(filter, current: items))
        }
        if let name = t.name {
            guard let object = items.first else { return notFound(r, name) }
            if t.subresource == "scale", r.name == "deployments", let d = deployment(t) {
                return json(Objects.scale(d, rv: rv))
            }
            return json(table ? Tables.table([object], kind: r.kind, rv: rv, now: server.now) : object)
        }
        if table { return json(Tables.table(items, kind: r.kind, rv: rv, now: server.now)) }
        return json(Objects.list(kind: r.kind, apiVersion: r.groupVersion, items: items, rv: rv))
    }

    static func key(_ s: Service) -> String { "\(s.metadata.namespace)/\(s.metadata.name)" }

    static func key(_ object: JSON) -> String {
        let meta = object["metadata"] as? JSON ?? [:]
        return "\(meta["namespace"] as? String ?? "")/\(meta["name"] as? String ?? "")"
    }

    func notFound(_ r: APIResource, _ name: String) -> APIReply {
        let group = r.group.isEmpty ? r.name : "\(r.name).\(r.group)"
        return failure(404, "NotFound", "\(group) \"\(name)\" not found")
    }

    func deployment(_ t: ResourcePath) -> ServedWorkload? {
        server.workloads.first { $0.kind == "Deployment" && $0.namespace == (t.namespace ?? "default") && $0.name == t.name }
    }
}
