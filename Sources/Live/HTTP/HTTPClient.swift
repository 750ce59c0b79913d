import Foundation

/// When a request is repeated, and how long to wait before each try.
///
/// Requests are repeated on 429 and (for requests safe to repeat) 5xx answers and connection
/// errors, with exponential backoff, honouring `Retry-After`. client-go does the same for
/// 429/`Retry-After`; k3sim also rides out the API server restarts of a K3S upgrade.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    public var retryStatuses: Set<Int>

    public init(
        maxAttempts: Int, baseDelay: TimeInterval = 0.25, maxDelay: TimeInterval = 8,
        retryStatuses: Set<Int> = [429, 500, 502, 503, 504]
    ) {
        self.maxAttempts = maxAttempts; self.baseDelay = baseDelay; self.maxDelay = maxDelay; self.retryStatuses = retryStatuses
    }

    public static let standard = RetryPolicy(maxAttempts: 5)
    /// For requests whose caller handles failures itself (evictions: kubectl drain retries a
    /// 429 every 5 s and counts the retries).
    public static let none = RetryPolicy(maxAttempts: 1, retryStatuses: [])

    /// Delay before attempt `attempt + 1` (attempt counts from 1): base·2^(attempt−1), capped,
    /// or the server's `Retry-After` when it asks for longer.
    public func delay(afterAttempt attempt: Int, retryAfter: TimeInterval?) -> TimeInterval {
        let backoff = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return min(maxDelay, max(backoff, retryAfter ?? 0))
    }
}

/// HTTP over libcurl with k3sim's retry rules; stateless (a handle per request), so it can be
/// shared between threads.
public struct HTTPClient: Sendable {
    public var proxyEnvironment: ProxyEnvironment
    /// kubeconfig `proxy-url`: used for every request instead of the environment.
    public var proxyURL: String?
    public var userAgent: String
    /// Called before each retry with the attempt that failed and why (for counters and tests;
    /// never given the request's headers).
    public var onRetry: (@Sendable (_ attempt: Int, _ reason: String) -> Void)?

    public init(
        proxyEnvironment: ProxyEnvironment = .from(), proxyURL: String? = nil, userAgent: String = "k3sim",
        onRetry: (@Sendable (Int, String) -> Void)? = nil
    ) {
        self.proxyEnvironment = proxyEnvironment; self.proxyURL = proxyURL; self.userAgent = userAgent; self.onRetry = onRetry
    }

    func proxy(for url: String) -> String? { proxyURL ?? proxyEnvironment.proxy(for: url) }

    /// One attempt.
    public func send(_ request: HTTPRequest, tls: TLSOptions, cancellation: Cancellation? = nil) throws -> HTTPResponse {
        try CurlTransfer.perform(
            request, tls: tls, proxy: proxy(for: request.url), userAgent: userAgent,
            cancellation: cancellation, onData: nil)
    }

    /// Attempts until success, a final answer, or the policy gives up; the last answer or
    /// error is returned or thrown.
    public func send(_ request: HTTPRequest, tls: TLSOptions, retry: RetryPolicy, cancellation: Cancellation? = nil) throws
        -> HTTPResponse
    {
        var attempt = 1
        while true {
            let wait: TimeInterval
            do {
                let response = try send(request, tls: tls, cancellation: cancellation)
                let retryable = response.status == 429 || (request.method.isIdempotent && response.status >= 500)
                guard attempt < retry.maxAttempts, retry.retryStatuses.contains(response.status), retryable else {
                    return response
                }
                wait = retry.delay(afterAttempt: attempt, retryAfter: response.retryAfter)
                onRetry?(attempt, "HTTP \(response.status)")
            } catch let e as HTTPError {
                let retryable =
                    e.kind == .connection && (request.method.isIdempotent || CurlTransfer.neverSent(e))
                    || (e.kind == .timeout && request.method.isIdempotent)
                guard attempt < retry.maxAttempts, retryable else { throw e }
                wait = retry.delay(afterAttempt: attempt, retryAfter: nil)
                onRetry?(attempt, e.message)
            }
            if let cancellation {
                guard cancellation.sleep(wait) else { throw HTTPError(.cancelled, cancellation.reason ?? "cancelled") }
            } else {
                Thread.sleep(forTimeInterval: wait)
            }
            attempt += 1
        }
    }

    /// A streaming request (a watch): `onData` gets the body of a 2xx answer chunk by chunk as it arrives.
    ///
    /// `onData` returns false to stop. A non-2xx answer is returned whole, with its body, for the
    /// caller to interpret (such as 410 Gone).
    public func stream(
        _ request: HTTPRequest, tls: TLSOptions, cancellation: Cancellation?,
        onData: @escaping (Data) -> Bool
    ) throws -> HTTPResponse {
        try CurlTransfer.perform(
            request, tls: tls, proxy: proxy(for: request.url), userAgent: userAgent,
            cancellation: cancellation, onData: onData)
    }
}
