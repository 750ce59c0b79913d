import Foundation

/// A value that must never be printed: tokens, private keys, exec-plugin output.
///
/// Every credential k3sim handles is wrapped in `Secret`, so string interpolation, `dump`,
/// `print` and error descriptions show `<redacted>` instead of the value; only the code that
/// hands it to libcurl reads `value`. This is what keeps credentials out of logs, error
/// messages, reports and the database (DESIGN.md "Live mode and safety").
public struct Secret<Value: Sendable & Equatable>: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public let value: Value
    public init(_ value: Value) { self.value = value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// How to verify the server and how to authenticate with TLS.
///
/// PEM bytes are handed to libcurl from memory (`CURLOPT_*_BLOB`), never written to a temporary
/// file.
public struct TLSOptions: Sendable, Equatable {
    /// PEM bundle of trusted CAs; nil: the system's trust store.
    public var caPEM: Data?
    public var clientCertificatePEM: Data?
    public var clientKeyPEM: Secret<Data>?
    /// kubeconfig `insecure-skip-tls-verify`: no server certificate or host name check.
    public var insecureSkipVerify: Bool
    /// kubeconfig `tls-server-name`: the name the server certificate is checked against,
    /// when it differs from the host in the URL.
    public var serverName: String?

    public init(
        caPEM: Data? = nil, clientCertificatePEM: Data? = nil, clientKeyPEM: Secret<Data>? = nil,
        insecureSkipVerify: Bool = false, serverName: String? = nil
    ) {
        self.caPEM = caPEM; self.clientCertificatePEM = clientCertificatePEM; self.clientKeyPEM = clientKeyPEM
        self.insecureSkipVerify = insecureSkipVerify; self.serverName = serverName
    }
}

public enum HTTPMethod: String, Sendable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"

    /// Whether repeating the request cannot do harm (RFC 9110 §9.2.2); decides whether a
    /// connection error after sending is retried.
    var isIdempotent: Bool { self != .post && self != .patch }
}

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: String
    /// Header names as sent; `Authorization` is added from `bearerToken`, never stored here.
    public var headers: [String: String]
    public var body: Data?
    public var bearerToken: Secret<String>?
    /// Whole request, connection included; nil for streams (watches end by themselves or
    /// by cancellation).
    public var timeout: TimeInterval?
    public var connectTimeout: TimeInterval

    public init(
        method: HTTPMethod = .get, url: String, headers: [String: String] = [:], body: Data? = nil,
        bearerToken: Secret<String>? = nil, timeout: TimeInterval? = 30, connectTimeout: TimeInterval = 10
    ) {
        self.method = method; self.url = url; self.headers = headers; self.body = body
        self.bearerToken = bearerToken; self.timeout = timeout; self.connectTimeout = connectTimeout
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Lower-cased names; for repeated headers the last value.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status; self.headers = headers; self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// `Retry-After` in seconds (the delta form; API servers send seconds).
    public var retryAfter: TimeInterval? {
        headers["retry-after"].flatMap { TimeInterval($0.trimmingCharacters(in: .whitespaces)) }
    }
}

/// A request that got no HTTP response.
///
/// The message is libcurl's own (host, port, reason), which never contains a credential: tokens
/// travel in headers and keys in memory blobs.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Refused, reset, DNS failure, no response: worth retrying.
        case connection
        case timeout
        /// The server's certificate or our client certificate was rejected: retrying cannot help.
        case tls
        case cancelled
        case other
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
}
