import Foundation

/// An API error answer (a `Status` object), or an unexpected status code.
public struct KubeAPIError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    /// `Status.reason` (NotFound, Forbidden, TooManyRequests, Expired, ...).
    public var reason: String
    public var message: String
    public var method: String
    public var path: String

    public var description: String {
        let what = message.isEmpty ? reason : message
        return "\(method) \(path): HTTP \(status)\(what.isEmpty ? "" : " (\(what))")"
    }

    static func from(_ r: HTTPResponse, method: HTTPMethod, path: String) -> KubeAPIError {
        let status = try? JSONValue.parse(r.body)
        return KubeAPIError(
            status: r.status, reason: redactingCredentials(status?["reason"]?.string ?? ""),
            message: redactingCredentials(status?["message"]?.string ?? String(r.text.prefix(200))),
            method: method.rawValue, path: path)
    }

    /// A server (or a proxy in front of it) may echo the request's Authorization header or a
    /// token in its message: bearer and basic credentials and anything shaped like a JWT are
    /// replaced before the message reaches a terminal, a log or the database.
    static func redactingCredentials(_ text: String) -> String {
        let patterns = [#"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"#, #"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"#]
        var out = text
        for p in patterns {
            guard let re = try? NSRegularExpression(pattern: p) else { continue }
            out = re.stringByReplacingMatches(
                in: out, range: NSRange(out.startIndex..., in: out),
                withTemplate: p.hasPrefix("(?i)") ? "$1 [redacted]" : "[redacted]")
        }
        return out
    }
}

/// A Kubernetes API client over libcurl: requests authenticated from the kubeconfig, with
/// retries on 429/5xx, and the handful of verbs live mode needs (the rest of the file family:
/// `KubeClient+Lists.swift`, `KubeClient+Watch.swift`, `KubeClient+Mutations.swift`).
public final class KubeClient: Sendable {
    public let connection: ClusterConnection
    let http: HTTPClient
    /// Every request made (method and path, never headers): mutating ones are what the drill's
    /// plan promised and what tests check.
    public let log: RequestLog

    public init(connection: ClusterConnection, http: HTTPClient? = nil) {
        self.connection = connection
        var client = http ?? HTTPClient()
        if client.proxyURL == nil { client.proxyURL = connection.proxyURL }
        self.http = client
        self.log = RequestLog()
    }

    /// TLS and bearer token for the next request (an exec plugin runs when its cached
    /// credential has expired).
    func credentials() throws -> (TLSOptions, Secret<String>?) {
        var tls = connection.tls
        switch connection.auth {
        case .none: return (tls, nil)
        case .token(let t): return (tls, t)
        case .tokenFile(let path):
            guard let d = FileManager.default.contents(atPath: path) else {
                throw KubeconfigError(file: path, "cannot read the token file")
            }
            return (tls, Secret(String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        case .exec(let provider):
            let c = try provider.credential()
            if let cert = c.clientCertificatePEM, let key = c.clientKeyPEM {
                tls.clientCertificatePEM = cert; tls.clientKeyPEM = key
            }
            return (tls, c.token)
        }
    }

    public func url(_ path: String, query: [(String, String)] = []) -> String {
        guard !query.isEmpty else { return connection.server + path }
        var c = URLComponents()
        c.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves '+' alone; the API server would read it as a space.
        return connection.server + path + "?" + (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    /// One API call.
    ///
    /// A 401 with an exec plugin refreshes the credential and tries once more, as client-go does.
    public func call(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil,
        contentType: String = "application/json", retry: RetryPolicy = .standard, timeout: TimeInterval = 30,
        cancellation: Cancellation? = nil
    ) throws -> HTTPResponse {
        var headers = ["Accept": "application/json"]
        if body != nil { headers["Content-Type"] = contentType }
        for attempt in 0..<2 {
            let (tls, token) = try credentials()
            let request = HTTPRequest(
                method: method, url: url(path, query: query), headers: headers, body: body,
                bearerToken: token, timeout: timeout)
            log.append(method.rawValue, path, query: query)
            let response = try http.send(request, tls: tls, retry: retry, cancellation: cancellation)
            if response.status == 401, attempt == 0, case .exec(let provider) = connection.auth {
                provider.invalidate()
                continue
            }
            return response
        }
        preconditionFailure("unreachable")
    }

    /// `call`, then the body as JSON, or a `KubeAPIError` for anything but 2xx.
    public func json(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil,
        contentType: String = "application/json", retry: RetryPolicy = .standard,
        cancellation: Cancellation? = nil
    ) throws -> JSONValue {
        let r = try call(
            method, path, query: query, body: body, contentType: contentType, retry: retry, cancellation: cancellation)
        guard (200..<300).contains(r.status) else { throw KubeAPIError.from(r, method: method, path: path) }
        do { return try JSONValue.parse(r.body) } catch {
            throw KubeAPIError(
                status: r.status, reason: "", message: "the answer is not JSON", method: method.rawValue, path: path)
        }
    }

    /// The object, or nil when it does not exist.
    public func get(_ resource: KubeResource, namespace: String? = nil, name: String) throws -> JSONValue? {
        let path = resource.path(namespace: namespace, name: name)
        let r = try call(.get, path)
        if r.status == 404 { return nil }
        guard (200..<300).contains(r.status) else { throw KubeAPIError.from(r, method: .get, path: path) }
        return try JSONValue.parse(r.body)
    }

    public struct ServerVersion: Sendable, Equatable {
        /// The server's `gitVersion`, such as `v1.33.4+k3s1`.
        public var gitVersion: String
        public var major: Int
        public var minor: Int
        public var isK3s: Bool { gitVersion.contains("k3s") }
    }

    /// `GET /version`, as `kubectl version` reads it.
    public func serverVersion() throws -> ServerVersion {
        let v = try json(.get, "/version")
        let git = v["gitVersion"]?.string ?? ""
        func number(_ s: String?) -> Int? { s.flatMap { Int($0.filter(\.isNumber)) } }
        var parts = git.dropFirst().split(separator: ".")
        if parts.count < 2 { parts = ["0", "0"] }
        return ServerVersion(
            gitVersion: git, major: number(v["major"]?.string) ?? Int(parts[0]) ?? 0,
            minor: number(v["minor"]?.string) ?? Int(parts[1].prefix { $0.isNumber }) ?? 0)
    }
}

/// The requests a client made, in order: method, path and query (never headers or bodies).
public final class RequestLog: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public var method: String
        public var path: String
        public var query: String
        public var isMutating: Bool { method != "GET" }
    }
    private let lock = NSLock()
    private var entries: [Entry] = []

    func append(_ method: String, _ path: String, query: [(String, String)]) {
        lock.lock(); defer { lock.unlock() }
        entries.append(Entry(method: method, path: path, query: query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")))
    }

    public var all: [Entry] { lock.lock(); defer { lock.unlock() }; return entries }
    public var mutating: [Entry] { all.filter(\.isMutating) }
}
