import Foundation

/// What `k3sim live etcd probe` measured.
public struct EtcdProbeResult: Sendable, Codable, Equatable {
    /// A stretch of time in which writes or reads failed, seconds from the probe's start.
    public struct Window: Sendable, Codable, Equatable {
        public var start: Double
        public var end: Double
        /// True when the probe ended before writes worked again.
        public var open: Bool
        public var seconds: Double { end - start }
    }

    public struct LeaderChange: Sendable, Codable, Equatable {
        /// When the probe first saw the new leader.
        public var at: Double
        public var from: String?
        public var to: String
    }

    public var windows: [Window]
    public var leaderChanges: [LeaderChange]
    public var attempts: Int
    public var failures: Int
    public var durationSeconds: Double
    public var intervalSeconds: Double
    public var endpoints: [String]
    /// Member id → name, for labels.
    public var memberNames: [String: String]

    public var longestUnavailableSeconds: Double { windows.map(\.seconds).max() ?? 0 }
}

/// Writes and reads a key at a fixed interval through the JSON gateway and records every
/// window of unavailability and every leader change.
///
/// One attempt = a put, then a linearizable get of the same key, on the current endpoint; on
/// failure the probe moves to the next endpoint (as etcd's clients fail over). Attempts start
/// on the interval's grid **without waiting for the previous one**: while etcd has no leader a
/// write on a follower hangs until the request timeout, and an attempt that waited for it
/// would see the new leader up to a timeout late. So a window starts at the start of the first
/// failed attempt and ends when the first later attempt succeeds: its resolution is one interval.
/// After each success the endpoint's status names the leader; a new leader id is a leader change.
public struct EtcdProbe: Sendable {
    public var client: EtcdClient
    public var interval: TimeInterval
    public var duration: TimeInterval
    public var key: String

    public init(client: EtcdClient, interval: TimeInterval, duration: TimeInterval, key: String = "k3sim/probe") {
        self.client = client; self.interval = interval; self.duration = duration; self.key = key
    }

    struct Attempt { var start: Double; var end: Double; var ok: Bool; var leader: String? }

    /// Shared between the attempts in flight.
    final class State: @unchecked Sendable {
        let lock = NSLock()
        var endpoint = 0
        /// Start of the latest successful attempt: a failure that started before it is stale
        /// (a write that hung through the election) and must not move the probe off an
        /// endpoint that works again.
        var lastSuccessStart = -1.0
        var attempts: [Attempt] = []
        var names: [String: String] = [:]
        func with<T>(_ body: (State) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(self) }
    }

    /// Runs for `duration` (or until cancelled).
    public func run(cancellation: Cancellation? = nil) -> EtcdProbeResult {
        let clock = MonotonicClock()
        let state = State()
        for e in client.endpoints {
            if let ms = try? client.members(e) { for m in ms { state.names[m.id] = m.name }; break }
        }
        let group = DispatchGroup()
        var tick = 0
        while clock.now < duration, cancellation?.isCancelled != true {
            let n = tick
            group.enter()
            Thread.detachNewThread { [self] in
                attempt(n, clock: clock, state: state, cancellation: cancellation)
                group.leave()
            }
            tick += 1
            let wait = Double(tick) * interval - clock.now
            if wait > 0 { if let cancellation { cancellation.sleep(wait) } else { Thread.sleep(forTimeInterval: wait) } }
        }
        group.wait()
        return summarize(state.with { $0.attempts }, names: state.with { $0.names }, end: clock.now)
    }

    func attempt(_ n: Int, clock: MonotonicClock, state: State, cancellation: Cancellation?) {
        let started = clock.now
        let index = state.with { $0.endpoint }
        let e = client.endpoints[index % client.endpoints.count]
        var ok = false
        var leader: String?
        do {
            let value = "\(n)-\(started)"
            try client.put(e, key: key, value: value, cancellation: cancellation)
            // Another attempt may have written since: any value written by this probe will do.
            ok = try client.get(e, key: key, cancellation: cancellation) != nil
            if ok, let s = try? client.status(e), s.leader != "0" {
                leader = s.leader
                if state.with({ $0.names[s.leader] == nil }), let ms = try? client.members(e) {
                    state.with { st in for m in ms { st.names[m.id] = m.name } }
                }
            }
        } catch {
            ok = false
        }
        let ended = clock.now
        state.with { st in
            st.attempts.append(Attempt(start: started, end: ended, ok: ok, leader: leader))
            if ok { st.lastSuccessStart = max(st.lastSuccessStart, started) }
            // Fail over, unless another attempt has already moved on or the endpoint has worked since.
            if !ok && st.endpoint == index && started > st.lastSuccessStart { st.endpoint += 1 }
        }
    }

    /// Windows from the attempts in start order; leader changes in order of completion.
    func summarize(_ all: [Attempt], names: [String: String], end: Double) -> EtcdProbeResult {
        let attempts = all.sorted { $0.start < $1.start }
        var windows: [EtcdProbeResult.Window] = []
        var openSince: Double?
        for a in attempts {
            if a.ok {
                if let s = openSince {
                    // Writes work again when the first success started after the failures
                    // completes (a later-started one may complete first).
                    let end = attempts.filter { $0.ok && $0.start >= a.start }.map(\.end).min() ?? a.end
                    windows.append(.init(start: s, end: end, open: false))
                    openSince = nil
                }
            } else if openSince == nil {
                openSince = a.start
            }
        }
        if let s = openSince { windows.append(.init(start: s, end: end, open: true)) }
        var changes: [EtcdProbeResult.LeaderChange] = []
        var leader: String?
        for a in all.sorted(by: { $0.end < $1.end }) {
            guard let l = a.leader, l != leader else { continue }
            if leader != nil { changes.append(.init(at: a.end, from: leader, to: l)) }
            leader = l
        }
        return EtcdProbeResult(
            windows: windows, leaderChanges: changes, attempts: all.count,
            failures: all.filter { !$0.ok }.count, durationSeconds: end, intervalSeconds: interval,
            endpoints: client.endpoints, memberNames: names)
    }
}

/// Seconds since creation, from a clock that NTP cannot step.
struct MonotonicClock: Sendable {
    let start = DispatchTime.now().uptimeNanoseconds
    var now: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
