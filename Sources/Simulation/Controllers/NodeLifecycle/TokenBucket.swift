import SimKernel

/// A token bucket with burst 1, as `flowcontrol.NewTokenBucketRateLimiter(qps, 1)`;
/// qps 0 never accepts (`NewFakeNeverRateLimiter`).
struct TokenBucket {
    var qps: Double
    var tokens = 1.0
    var last: SimTime

    mutating func tryAccept(now: SimTime) -> Bool {
        guard qps > 0 else { return false }
        tokens = min(1, tokens + qps * (now - last).seconds)
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// When the next token is there; nil when the limiter never accepts.
    func nextToken(now: SimTime) -> SimTime? {
        guard qps > 0 else { return nil }
        let have = min(1, tokens + qps * (now - last).seconds)
        return have >= 1 ? now : now + .fromSeconds((1 - have) / qps)
    }
}
