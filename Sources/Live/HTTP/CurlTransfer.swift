import CCurl
import Foundation

/// One HTTP exchange on a libcurl easy handle.
///
/// This is the only file that talks to libcurl; the rest of Live sees `HTTPRequest`/`HTTPResponse`.
///
/// Why libcurl and not URLSession: on Linux, Foundation's URLSession cannot present a client
/// certificate, and K3S's kubeconfig authenticates with one.
enum CurlTransfer {
    /// `curl_global_init` must run once before any handle exists, and is not thread-safe itself.
    static let globalInit: CURLcode = k3sim_global_init()

    /// Receives what libcurl hands over: headers, and the body (buffered, or passed to
    /// `onData` chunk by chunk for a successful streaming response).
    final class Sink {
        var status = 0
        var headers: [String: String] = [:]
        var body = Data()
        let onData: ((Data) -> Bool)?
        let cancellation: Cancellation?
        var stoppedByConsumer = false
        init(onData: ((Data) -> Bool)?, cancellation: Cancellation?) { self.onData = onData; self.cancellation = cancellation }
    }

    static func perform(
        _ request: HTTPRequest, tls: TLSOptions, proxy: String?, userAgent: String,
        cancellation: Cancellation?, onData: ((Data) -> Bool)?
    ) throws -> HTTPResponse {
        guard globalInit == CURLE_OK else { throw HTTPError(.other, "libcurl could not be initialised") }
        guard let h = curl_easy_init() else { throw HTTPError(.other, "libcurl could not create a handle") }
        defer { curl_easy_cleanup(h) }
        let sink = Sink(onData: onData, cancellation: cancellation)
        let sinkPointer = Unmanaged.passRetained(sink)
        defer { sinkPointer.release() }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        var url = request.url
        var connectTo: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(connectTo) }
        if let name = tls.serverName, var u = URLComponents(string: url), let host = u.host {
            // tls-server-name: verify the certificate for `name` while connecting to `host`.
            let port = u.port ?? (u.scheme == "http" ? 80 : 443)
            connectTo = curl_slist_append(nil, "\(name):\(port):\(host):\(port)")
            u.host = name
            url = u.string ?? url
        }

        try set(h, CURLOPT_URL, url)
        try set(h, CURLOPT_NOSIGNAL, 1)  // many threads; no SIGALRM for timeouts
        try set(h, CURLOPT_USERAGENT, userAgent)
        try set(h, CURLOPT_ACCEPT_ENCODING, "")  // whatever libcurl can decode
        try set(h, CURLOPT_PROXY, proxy ?? "")  // "" = no proxy, and do not read the environment
        if connectTo != nil { try check(k3sim_setopt_slist(h, CURLOPT_CONNECT_TO, connectTo), "CURLOPT_CONNECT_TO") }
        try check(k3sim_setopt_pointer(h, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try set(h, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        if let t = request.timeout { try set(h, CURLOPT_TIMEOUT_MS, Int(t * 1000)) }
        try configureTLS(h, tls)

        switch request.method {
        case .get: try set(h, CURLOPT_HTTPGET, 1)
        case .post: try set(h, CURLOPT_POST, 1)
        default: try set(h, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if let body = request.body {
            try check(k3sim_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
            try body.withUnsafeBytes { raw in
                // COPYPOSTFIELDS copies, so the Data may go away before the transfer.
                try check(
                    k3sim_setopt_pointer(
                        h, CURLOPT_COPYPOSTFIELDS,
                        UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!)),
                    "CURLOPT_COPYPOSTFIELDS")
            }
        } else if request.method == .post {
            try set(h, CURLOPT_POSTFIELDSIZE, 0)
        }
        var headers = request.headers
        if let token = request.bearerToken { headers["Authorization"] = "Bearer " + token.value }
        if headers["Expect"] == nil { headers["Expect"] = "" }  // no 100-continue round trip
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            headerList = curl_slist_append(headerList, value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        try check(k3sim_setopt_slist(h, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")

        let user = sinkPointer.toOpaque()
        try check(
            k3sim_setopt_write_function(h) { ptr, size, count, user in
                // curl hands back the WRITEDATA pointer set below; without it, 0 fails the transfer.
                guard let user else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
                let n = size * count
                guard n > 0, let ptr else { return n }
                let chunk = Data(bytes: ptr, count: n)
                if let onData = sink.onData, (200..<300).contains(sink.status) {
                    if !onData(chunk) { sink.stoppedByConsumer = true; return 0 }
                } else {
                    sink.body.append(chunk)
                }
                return n
            }, "CURLOPT_WRITEFUNCTION")
        try check(k3sim_setopt_pointer(h, CURLOPT_WRITEDATA, user), "CURLOPT_WRITEDATA")
        try check(
            k3sim_setopt_header_function(h) { ptr, size, count, user in
                guard let user else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
                let n = size * count
                guard let ptr else { return n }
                let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: n), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                if line.hasPrefix("HTTP/") {
                    // A new response (after a proxy CONNECT or a 100): forget the previous headers.
                    sink.headers = [:]
                    let parts = line.split(separator: " ")
                    sink.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                } else if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].lowercased()
                    sink.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return n
            }, "CURLOPT_HEADERFUNCTION")
        try check(k3sim_setopt_pointer(h, CURLOPT_HEADERDATA, user), "CURLOPT_HEADERDATA")
        // The progress callback runs about once a second even when no data flows, so a quiet
        // watch notices cancellation.
        try set(h, CURLOPT_NOPROGRESS, 0)
        try check(
            k3sim_setopt_xferinfo_function(h) { user, _, _, _, _ in
                guard let user else { return 1 }
                let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
                return sink.cancellation?.isCancelled == true ? 1 : 0
            }, "CURLOPT_XFERINFOFUNCTION")
        try check(k3sim_setopt_pointer(h, CURLOPT_XFERINFODATA, user), "CURLOPT_XFERINFODATA")

        let code = curl_easy_perform(h)
        if code != CURLE_OK {
            if sink.stoppedByConsumer || (code == CURLE_ABORTED_BY_CALLBACK && cancellation?.isCancelled == true) {
                // The consumer or a cancellation ended a stream: not an error.
                return HTTPResponse(status: sink.status, headers: sink.headers, body: sink.body)
            }
            throw error(code, errorBuffer)
        }
        var status = 0
        _ = k3sim_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    static func configureTLS(_ h: UnsafeMutableRawPointer, _ tls: TLSOptions) throws {
        if tls.insecureSkipVerify {
            try set(h, CURLOPT_SSL_VERIFYPEER, 0)
            try set(h, CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            try set(h, CURLOPT_SSL_VERIFYPEER, 1)
            try set(h, CURLOPT_SSL_VERIFYHOST, 2)
        }
        if let ca = tls.caPEM {
            // Only the given CA, as kubectl: no system CA file or directory besides it.
            try check(k3sim_setopt_string(h, CURLOPT_CAINFO, nil), "CURLOPT_CAINFO")
            try check(k3sim_setopt_string(h, CURLOPT_CAPATH, nil), "CURLOPT_CAPATH")
            try blob(h, CURLOPT_CAINFO_BLOB, ca, "the certificate authority")
        }
        if let cert = tls.clientCertificatePEM {
            try set(h, CURLOPT_SSLCERTTYPE, "PEM")
            try blob(h, CURLOPT_SSLCERT_BLOB, cert, "the client certificate")
        }
        if let key = tls.clientKeyPEM {
            try set(h, CURLOPT_SSLKEYTYPE, "PEM")
            try blob(h, CURLOPT_SSLKEY_BLOB, key.value, "the client key")
        }
    }

    static func blob(_ h: UnsafeMutableRawPointer, _ option: CURLoption, _ data: Data, _ what: String) throws {
        let code = data.withUnsafeBytes { raw in k3sim_setopt_blob(h, option, raw.baseAddress, raw.count) }
        guard code == CURLE_OK else {
            throw HTTPError(.tls, "libcurl rejected \(what): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    static func set(_ h: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int) throws {
        try check(k3sim_setopt_long(h, option, value), "option \(option.rawValue)")
    }

    static func set(_ h: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) throws {
        try check(k3sim_setopt_string(h, option, value), "option \(option.rawValue)")
    }

    static func check(_ code: CURLcode, _ what: String) throws {
        guard code == CURLE_OK else {
            throw HTTPError(.other, "libcurl refused \(what): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    static func error(_ code: CURLcode, _ buffer: UnsafeMutablePointer<CChar>) -> HTTPError {
        let detail = buffer.pointee == 0 ? String(cString: curl_easy_strerror(code)) : String(cString: buffer)
        let kind: HTTPError.Kind
        switch code {
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_ABORTED_BY_CALLBACK: kind = .cancelled
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .tls
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_GOT_NOTHING,
            CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            kind = .connection
        default: kind = .other
        }
        return HTTPError(kind, detail)
    }

    /// Whether the request surely never reached the server (safe to resend a POST).
    static func neverSent(_ e: HTTPError) -> Bool {
        e.kind == .connection
            && (e.message.contains("Failed to connect") || e.message.contains("Could not resolve")
                || e.message.contains("Connection refused"))
    }
}
