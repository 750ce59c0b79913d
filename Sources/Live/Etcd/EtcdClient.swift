import Foundation

/// An etcd error answer or a failed request to one endpoint.
public struct EtcdError: Error, Sendable, CustomStringConvertible {
    public var endpoint: String
    public var message: String
    public var description: String { "\(endpoint): \(message)" }
}

/// One member's view (`Maintenance.Status`).
public struct EtcdEndpointStatus: Sendable, Equatable, Codable {
    public var endpoint: String
    public var memberID: String
    /// The leader's member id as this member knows it ("0": none).
    public var leader: String
    public var raftTerm: Int
    public var raftIndex: Int
    public var dbSize: Int
    public var version: String
}

public struct EtcdMember: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var peerURLs: [String]
    public var clientURLs: [String]
}

/// A client of etcd's v3 JSON gateway, over libcurl with the same TLS handling as the API client.
///
/// The gateway is grpc-gateway: `POST /v3/<service>/<method>`, 64-bit integers as strings, keys and
/// values base64. K3S's embedded etcd listens on :2379 with client certificates under
/// `/var/lib/rancher/k3s/server/tls/etcd/`.
public struct EtcdClient: Sendable {
    public var endpoints: [String]
    public var tls: TLSOptions
    /// Per request: short, so that a probe notices a dead or leaderless member quickly.
    public var requestTimeout: TimeInterval
    let http: HTTPClient

    public init(
        endpoints: [String], tls: TLSOptions = TLSOptions(), requestTimeout: TimeInterval = 1,
        http: HTTPClient = HTTPClient()
    ) {
        self.endpoints = endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.tls = tls; self.requestTimeout = requestTimeout; self.http = http
    }

    func post(_ endpoint: String, _ path: String, _ body: JSONValue, cancellation: Cancellation? = nil) throws -> JSONValue {
        let request = HTTPRequest(
            method: .post, url: endpoint + path, headers: ["Content-Type": "application/json"],
            body: body.data(), timeout: requestTimeout, connectTimeout: min(requestTimeout, 2))
        let r: HTTPResponse
        do { r = try http.send(request, tls: tls, cancellation: cancellation) } catch let e as HTTPError {
            throw EtcdError(endpoint: endpoint, message: e.message)
        }
        let doc = try? JSONValue.parse(r.body)
        guard r.status == 200, let doc, doc["error"] == nil else {
            let msg = doc?["message"]?.string ?? doc?["error"]?.string ?? String(r.text.prefix(200))
            throw EtcdError(endpoint: endpoint, message: "HTTP \(r.status)\(msg.isEmpty ? "" : ": \(msg)")")
        }
        return doc
    }

    static func number(_ v: JSONValue?) -> Int { v?.int ?? v?.string.flatMap { Int($0) } ?? 0 }
    /// A member id in hex, as etcdctl shows it.
    ///
    /// Member ids are uint64; the gateway sends them as decimal strings.
    static func memberID(_ v: JSONValue?) -> String {
        let s = v?.string ?? v?.int.map(String.init) ?? "0"
        return UInt64(s).map { String($0, radix: 16) } ?? s
    }

    public func status(_ endpoint: String, cancellation: Cancellation? = nil) throws -> EtcdEndpointStatus {
        let s = try post(endpoint, "/v3/maintenance/status", .object([:]), cancellation: cancellation)
        return EtcdEndpointStatus(
            endpoint: endpoint, memberID: Self.memberID(s[path: "header", "member_id"]),
            leader: Self.memberID(s["leader"]), raftTerm: Self.number(s["raftTerm"]),
            raftIndex: Self.number(s["raftIndex"]), dbSize: Self.number(s["dbSize"]),
            version: s["version"]?.string ?? "")
    }

    public func members(_ endpoint: String) throws -> [EtcdMember] {
        let r = try post(endpoint, "/v3/cluster/member/list", .object([:]))
        return (r["members"]?.array ?? []).map { m in
            EtcdMember(
                id: Self.memberID(m["ID"]), name: m["name"]?.string ?? "",
                peerURLs: (m["peerURLs"]?.array ?? []).compactMap(\.string),
                clientURLs: (m["clientURLs"]?.array ?? []).compactMap(\.string))
        }
    }

    /// Writes `key` = `value`; returns the new revision.
    @discardableResult
    public func put(_ endpoint: String, key: String, value: String, cancellation: Cancellation? = nil) throws -> Int {
        let r = try post(
            endpoint, "/v3/kv/put",
            .object([
                "key": .string(Data(key.utf8).base64EncodedString()), "value": .string(Data(value.utf8).base64EncodedString()),
            ]), cancellation: cancellation)
        return Self.number(r[path: "header", "revision"])
    }

    /// The value of `key` (a linearizable read: it goes through the leader), or nil.
    public func get(_ endpoint: String, key: String, cancellation: Cancellation? = nil) throws -> String? {
        let r = try post(
            endpoint, "/v3/kv/range", .object(["key": .string(Data(key.utf8).base64EncodedString())]),
            cancellation: cancellation)
        guard let kv = r["kvs"]?.array?.first, let b64 = kv["value"]?.string, let d = Data(base64Encoded: b64) else { return nil }
        return String(decoding: d, as: UTF8.self)
    }

    /// The cluster as `k3sim live etcd status` shows it.
    public struct ClusterStatus: Sendable, Codable, Equatable {
        /// The leader's member name (its id when unnamed); nil when no endpoint knows one.
        public var leader: String?
        public var members: [EtcdMember]
        public var raftTerm: Int
        public var endpoints: [EtcdEndpointStatus]
        /// Endpoints that did not answer, with why.
        public var unreachable: [String: String]
    }

    public func clusterStatus() throws -> ClusterStatus {
        var statuses: [EtcdEndpointStatus] = []
        var unreachable: [String: String] = [:]
        var members: [EtcdMember]?
        for e in endpoints {
            do {
                statuses.append(try status(e))
                if members == nil { members = try self.members(e) }
            } catch let err as EtcdError {
                unreachable[e] = err.message
            }
        }
        guard let members else {
            throw EtcdError(endpoint: endpoints.joined(separator: ","), message: "no endpoint answered")
        }
        let term = statuses.map(\.raftTerm).max() ?? 0
        let leaderID = statuses.filter { $0.raftTerm == term && $0.leader != "0" }.first?.leader
        let leader = leaderID.map { id in members.first { $0.id == id }.map { $0.name.isEmpty ? id : $0.name } ?? id }
        return ClusterStatus(leader: leader, members: members, raftTerm: term, endpoints: statuses, unreachable: unreachable)
    }
}
