import Testing

@testable import SimKernel

/// The ladder's bottom tier: a wheel of sub-buckets sorted by key, falling back to a heap
/// when a list would need a long walk. The reference is a plain sort of (time, tag).
@Suite struct NearTierTests {
    func sorted(_ keys: [Key]) -> [Key] { keys.sorted { $0.precedes($1) } }
    func drain(_ tier: inout NearTier) -> [Key] {
        var out: [Key] = []
        while let k = tier.top { out.append(k); tier.removeTop() }
        return out
    }
    func same(_ a: [Key], _ b: [Key]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.time == $1.time && $0.tag == $1.tag }
    }

    /// Random times over a bucket of width 2^shift, in push order (rising tags), with ties,
    /// keys before the bucket's start (pushes into the past) and every sub-bucket width from
    /// 1 µs up: the tier gives them back sorted, and interleaved pushes and pops agree with
    /// the reference too.
    @Test(arguments: [0, 5, 12, 13, 20, 40])
    func leavesInKeyOrder(shift: Int) {
        var rng = RandomStream(seed: UInt64(shift), entity: "near-tier", purpose: "order")
        let base: Int64 = 1_000_000_000
        let width = UInt64(1) << UInt64(shift)
        var tier = NearTier()
        tier.begin(base: base, shift: Int64(shift))
        var keys: [Key] = []
        var pending: [Key] = []
        var popped: [Key] = []
        for seq in 0..<3_000 {
            let t: Int64
            switch rng.next() % 10 {
            case 0: t = base - Int64(rng.next() % 1_000)  // the past: sub-bucket 0
            case 1: t = keys.last?.time ?? base  // a tie with the previous key
            default: t = base + Int64(rng.next() % width)
            }
            let key = Key(time: t, tag: UInt64(seq))
            keys.append(key); pending.append(key)
            tier.push(key)
            if rng.next() % 3 == 0, let top = tier.top {
                let want = pending.min { $0.precedes($1) }!
                #expect(top.time == want.time && top.tag == want.tag)
                pending.removeAll { $0.tag == want.tag }
                popped.append(top)
                tier.removeTop()
            }
        }
        let rest = drain(&tier)
        #expect(same(rest, sorted(pending)))
        #expect(tier.count == 0)
        #expect(popped.count + rest.count == keys.count)
    }

    /// A burst of keys in one sub-bucket, each after the ones before it but before a later
    /// key already there (events at `now` in front of a timer due a little later): each
    /// walks the list, so past `maxWalk` keys the tier moves everything to its heap, keeps
    /// the order, and goes back to the wheel once it has run dry.
    @Test func fallsBackToTheHeapAndReturns() {
        var tier = NearTier()
        tier.begin(base: 0, shift: 20)  // sub-buckets of 256 µs
        var keys = [Key(time: 250, tag: 0)]
        tier.push(keys[0])
        for seq in 1..<200 {
            let key = Key(time: Int64(seq), tag: UInt64(seq))  // all in sub-bucket 0, before 250
            keys.append(key)
            tier.push(key)
            #expect(tier.inHeap == (seq > NearWheel.maxWalk + 1))
        }
        #expect(tier.inHeap == true)
        #expect(tier.count == 200)
        #expect(same(drain(&tier), sorted(keys)))
        #expect(tier.inHeap == false)
        tier.push(Key(time: 5, tag: 1_000))
        #expect(tier.inHeap == false)
        #expect(tier.top?.tag == 1_000)
    }

    /// A bucket's keys after a fill are all in `storedKeys` (the queue prefetches their slots).
    @Test func storedKeysHoldTheFill() {
        var tier = NearTier()
        tier.begin(base: 0, shift: 10)
        let keys = (0..<50).map { Key(time: Int64(($0 * 37) % 1024), tag: UInt64($0)) }
        keys.withUnsafeBufferPointer { tier.append($0.baseAddress!, count: $0.count) }
        #expect(Set(tier.storedKeys.map(\.tag)) == Set(keys.map(\.tag)))
    }
}
