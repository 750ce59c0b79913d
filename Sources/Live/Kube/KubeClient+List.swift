import Foundation

/// A complete list: all pages joined, and the resourceVersion to watch from.
public struct ObjectList: Sendable {
    public var items: [JSONValue]
    public var resourceVersion: String
    /// How many pages (requests) it took.
    public var pages: Int
}

extension KubeClient {
    /// Lists with `limit`/`continue` pagination, as kubectl does for large clusters.
    ///
    /// A `continue` token that expired mid-way (410) restarts the list from the beginning once.
    public func list(
        _ resource: KubeResource, namespace: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil, pageSize: Int = 500, cancellation: Cancellation? = nil
    ) throws -> ObjectList {
        let path = resource.path(namespace: namespace)
        for _ in 0..<2 {
            var items: [JSONValue] = []
            var token: String?
            var pages = 0
            var rv = ""
            var expired = false
            repeat {
                var query = [("limit", String(pageSize))]
                if let labelSelector { query.append(("labelSelector", labelSelector)) }
                if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
                if let token { query.append(("continue", token)) }
                let r = try call(.get, path, query: query, cancellation: cancellation)
                if r.status == 410 && token != nil { expired = true; break }
                guard (200..<300).contains(r.status) else { throw KubeAPIError.from(r, method: .get, path: path) }
                let page = try JSONValue.parse(r.body)
                pages += 1
                items += page["items"]?.array ?? []
                rv = page[path: "metadata", "resourceVersion"]?.string ?? rv
                token = page[path: "metadata", "continue"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            } while token != nil
            if !expired { return ObjectList(items: items, resourceVersion: rv, pages: pages) }
        }
        throw KubeAPIError(
            status: 410, reason: "Expired", message: "the list's continue token expired twice",
            method: "GET", path: path)
    }

    /// Like `list`, but a resource the server does not serve is an empty list.
    ///
    /// That is a 404, as when CloudNativePG is not installed.
    public func listIfServed(_ resource: KubeResource, namespace: String? = nil) throws -> [JSONValue] {
        do { return try list(resource, namespace: namespace).items } catch let e as KubeAPIError where e.status == 404 {
            return []
        }
    }
}
