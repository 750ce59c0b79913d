import Foundation

/// Which proxy a request goes through, decided the way kubectl (Go's
/// `golang.org/x/net/http/httpproxy`) decides it, so that k3sim reaches a cluster exactly when
/// kubectl does: `HTTPS_PROXY`/`https_proxy` for https, `HTTP_PROXY`/`http_proxy` for http,
/// `NO_PROXY`/`no_proxy` exceptions (`*`, `host`, `.suffix`, `host:port`, IPs and CIDRs), and
/// never a proxy for localhost or loopback addresses.
///
/// libcurl reads similar variables itself but with other rules (no CIDRs, upper-case
/// `HTTP_PROXY` ignored), so k3sim decides and passes the result explicitly (`CURLOPT_PROXY`,
/// empty for "no proxy").
public struct ProxyEnvironment: Sendable, Equatable {
    public var httpsProxy: String?
    public var httpProxy: String?
    public var noProxy: String?

    public init(httpsProxy: String? = nil, httpProxy: String? = nil, noProxy: String? = nil) {
        self.httpsProxy = httpsProxy; self.httpProxy = httpProxy; self.noProxy = noProxy
    }

    /// Upper case first, as Go's `FromEnvironment` does.
    public static func from(_ env: [String: String] = ProcessInfo.processInfo.environment) -> ProxyEnvironment {
        func get(_ name: String) -> String? {
            let v = env[name.uppercased()].flatMap { $0.isEmpty ? nil : $0 } ?? env[name.lowercased()]
            return (v?.isEmpty ?? true) ? nil : v
        }
        return ProxyEnvironment(httpsProxy: get("https_proxy"), httpProxy: get("http_proxy"), noProxy: get("no_proxy"))
    }

    /// The proxy URL for `url`, or nil to connect directly.
    public func proxy(for url: String) -> String? {
        guard let u = URLComponents(string: url), let scheme = u.scheme?.lowercased(), let rawHost = u.host else { return nil }
        let chosen = scheme == "https" ? httpsProxy : scheme == "http" ? httpProxy : nil
        guard let chosen, !chosen.isEmpty else { return nil }
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let port = u.port ?? (scheme == "https" ? 443 : 80)
        if host == "localhost" || Self.isLoopback(host) { return nil }
        if bypassed(host: host, port: port) { return nil }
        return chosen.contains("://") ? chosen : "http://" + chosen
    }

    func bypassed(host: String, port: Int) -> Bool {
        for raw in (noProxy ?? "").split(separator: ",") {
            var entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return true }
            if entry.contains("/") {
                if CIDR(entry)?.contains(host) == true { return true }
                continue
            }
            if let ip = IPAddress(entry.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) {
                if IPAddress(host) == ip { return true }
                continue
            }
            // host:port (not an IPv6 literal): the port must match too.
            if let colon = entry.lastIndex(of: ":"), !entry.hasPrefix("[") {
                guard Int(entry[entry.index(after: colon)...]) == port else { continue }
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix(".") {
                if host.hasSuffix(entry) { return true }
            } else if host == entry || host.hasSuffix("." + entry) {
                return true
            }
        }
        return false
    }

    static func isLoopback(_ host: String) -> Bool {
        guard let ip = IPAddress(host) else { return false }
        return ip.bytes.count == 4 ? ip.bytes[0] == 127 : ip.bytes == [UInt8](repeating: 0, count: 15) + [1]
    }
}

/// An IPv4 or IPv6 address as bytes (enough to compare and mask).
struct IPAddress: Equatable {
    let bytes: [UInt8]
    init?(_ s: String) {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, s, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, s, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }
}

struct CIDR {
    let network: IPAddress
    let prefix: Int
    init?(_ s: String) {
        let parts = s.split(separator: "/")
        guard parts.count == 2, let ip = IPAddress(String(parts[0])), let p = Int(parts[1]), p >= 0, p <= ip.bytes.count * 8
        else { return nil }
        network = ip; prefix = p
    }
    func contains(_ host: String) -> Bool {
        guard let ip = IPAddress(host), ip.bytes.count == network.bytes.count else { return false }
        var left = prefix
        for (a, b) in zip(ip.bytes, network.bytes) {
            guard left > 0 else { return true }
            let bits = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != b & mask { return false }
            left -= bits
        }
        return true
    }
}
