/// A reproducible random stream, derived from (seed, entity, purpose).
///
/// Every random quantity in a run comes from a stream named after what it is for, e.g.
/// (seed 1, "node/agents-2", "lease-phase"). Two scenarios that differ in one place draw
/// the same numbers everywhere else (common random numbers), and the same seed always
/// gives the same run. The generator is xoshiro256**; the key derivation uses FNV-1a and
/// SplitMix64, which are stable across processes (Swift's `Hasher` is not).
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64, entity: String, purpose: String) {
        self.init(key: RandomStream.mix(seed, RandomStream.fnv1a(entity), RandomStream.fnv1a(purpose)))
    }

    /// A stream from a raw 64-bit key.
    public init(key: UInt64) {
        var sm = key
        s0 = RandomStream.splitMix(&sm); s1 = RandomStream.splitMix(&sm)
        s2 = RandomStream.splitMix(&sm); s3 = RandomStream.splitMix(&sm)
    }

    @inlinable public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    @inlinable @inline(__always) func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    static func mix(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        var st = a
        var h = splitMix(&st)
        st = h ^ b
        h = splitMix(&st)
        st = h ^ c
        return splitMix(&st)
    }
}

/// Hands out named streams for one run.
public struct RandomStreams: Sendable {
    public let seed: UInt64
    public init(seed: UInt64) { self.seed = seed }
    public func stream(_ entity: String, _ purpose: String) -> RandomStream {
        RandomStream(seed: seed, entity: entity, purpose: purpose)
    }
}

/// Streams that go on where their previous draw stopped, one per (entity, purpose).
///
/// For instance an etcd member's successive election timeouts, a node's successive image pulls.
/// Each starts as `RandomStreams.stream(entity, purpose)`, so a draw depends only on the draws
/// before it from the same stream, never on other entities' events.
public struct ContinuingStreams: Sendable {
    private struct Key: Hashable, Sendable {
        let entity: String
        let purpose: String
    }
    private let source: RandomStreams
    private var streams: [Key: RandomStream] = [:]

    public init(_ source: RandomStreams) { self.source = source }

    /// Runs `body` on the stream (entity, purpose) and keeps where it stopped.
    public mutating func draw<T>(_ entity: String, _ purpose: String, _ body: (inout RandomStream) -> T) -> T {
        let key = Key(entity: entity, purpose: purpose)
        var rng = streams[key] ?? source.stream(entity, purpose)
        let value = body(&rng)
        streams[key] = rng
        return value
    }
}
