import Testing

@testable import SimKernel

/// Named random streams: xoshiro256** seeded through SplitMix64 from an FNV-1a/SplitMix64
/// mix of (seed, entity, purpose). Reference numbers were computed with an independent
/// implementation of the published algorithms (Vigna's xoshiro256starstar.c and
/// splitmix64.c, FNV-1a 64 from the FNV spec) in Python.
@Suite struct RandomStreamTests {
    @Test func splitMix64MatchesReference() {
        // splitmix64.c seeded with 0: the well-known first outputs.
        var state: UInt64 = 0
        #expect(RandomStream.splitMix(&state) == 0xE220_A839_7B1D_CDAF)
        #expect(RandomStream.splitMix(&state) == 0x6E78_9E6A_A1B9_65F4)
        #expect(RandomStream.splitMix(&state) == 0x06C4_5D18_8009_454F)
    }

    @Test func fnv1aMatchesReference() {
        #expect(RandomStream.fnv1a("") == 0xCBF2_9CE4_8422_2325)  // the offset basis
        #expect(RandomStream.fnv1a("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(RandomStream.fnv1a("foobar") == 0x8594_4171_F739_67E8)
    }

    @Test func xoshiro256StarStarMatchesReference() {
        // State {1, 2, 3, 4}: first output rotl(2·5, 7)·9 = 1280·9 = 11520; the second
        // uses s1 = 2 ^ (3 ^ 1) = 0, so it is 0.
        var r = RandomStream(key: 0)
        r.s0 = 1; r.s1 = 2; r.s2 = 3; r.s3 = 4
        let out = (0..<6).map { _ in r.next() }
        #expect(
            out == [
                11520, 0, 1_509_978_240, 1_215_971_899_390_074_240,
                1_216_172_134_540_287_360, 607_988_272_756_665_600,
            ])
    }

    /// Pins the whole key derivation, so that a run is reproducible across processes,
    /// machines and releases.
    @Test func namedStreamsAreStableAcrossProcesses() {
        var r = RandomStream(seed: 1, entity: "node/agents-2", purpose: "lease-phase")
        #expect(
            [r.next(), r.next(), r.next()]
                == [10_309_127_616_406_653_696, 9_744_890_087_923_410_726, 7_054_485_886_182_976_058])
        var e = RandomStream(seed: 42, entity: "", purpose: "")
        #expect(
            [e.next(), e.next(), e.next()]
                == [14_186_973_115_892_776_936, 4_154_088_997_136_040_804, 7_888_394_376_918_146_507])
    }

    @Test func sameKeySameSequence() {
        var a = RandomStream(seed: 9, entity: "pod/web-1", purpose: "image-pull")
        var b = RandomStream(seed: 9, entity: "pod/web-1", purpose: "image-pull")
        for _ in 0..<1_000 { #expect(a.next() == b.next()) }
    }

    @Test(arguments: [
        (UInt64(10), "pod/web-1", "image-pull"),  // different seed
        (9, "pod/web-2", "image-pull"),  // different entity
        (9, "pod/web-1", "container-start"),  // different purpose
        (9, "pod/web-1image-pull", ""),  // concatenation does not collide
        (9, "image-pull", "pod/web-1"),  // entity and purpose are not symmetric
    ])
    func differentKeysGiveDifferentSequences(seed: UInt64, entity: String, purpose: String) {
        let base = (UInt64(9), "pod/web-1", "image-pull")
        var a = RandomStream(seed: base.0, entity: base.1, purpose: base.2)
        var b = RandomStream(seed: seed, entity: entity, purpose: purpose)
        let xs = (0..<8).map { _ in a.next() }
        let ys = (0..<8).map { _ in b.next() }
        #expect(xs != ys)
        #expect(Set(xs).isDisjoint(with: ys))  // not merely shifted copies
    }

    @Test func streamsDoNotDependOnCreationOrderOrOtherDraws() {
        let streams = RandomStreams(seed: 3)
        // Order 1: x then y, drawing from x in between.
        var x1 = streams.stream("node/a", "kubelet")
        _ = (0..<100).map { _ in x1.next() }
        var y1 = streams.stream("node/b", "kubelet")
        let first = (0..<10).map { _ in y1.next() }
        // Order 2: y first, nothing else drawn.
        var y2 = streams.stream("node/b", "kubelet")
        let second = (0..<10).map { _ in y2.next() }
        #expect(first == second)
        // RandomStreams is just a seed holder.
        var direct = RandomStream(seed: 3, entity: "node/b", purpose: "kubelet")
        #expect((0..<10).map { _ in direct.next() } == second)
        #expect(streams.seed == 3)
    }

    @Test func nextUnitIsInTheHalfOpenUnitInterval() {
        var r = RandomStream(seed: 1, entity: "unit", purpose: "interval")
        var sum = 0.0
        let n = 20_000
        for _ in 0..<n {
            let u = r.nextUnit()
            #expect(u >= 0 && u < 1)
            sum += u
        }
        // Mean of U[0,1) is 1/2, sd 1/√12 ≈ 0.289; the sample mean's sd is 0.289/√20000 ≈ 0.002.
        #expect(abs(sum / Double(n) - 0.5) < 0.01)
    }

    @Test func worksAsASwiftRandomNumberGenerator() {
        var a = RandomStream(seed: 5, entity: "e", purpose: "p")
        var b = RandomStream(seed: 5, entity: "e", purpose: "p")
        let xs = (0..<50).map { _ in Int.random(in: 0..<6, using: &a) }
        let ys = (0..<50).map { _ in Int.random(in: 0..<6, using: &b) }
        #expect(xs == ys)
        #expect(xs.allSatisfy { (0..<6).contains($0) })
        #expect(Set(xs).count > 1)
    }

    @Test func bitsAreBalanced() {
        // Each of the 64 output bits is set about half the time (20,000 draws: sd of the
        // count is √(20000/4) ≈ 71, so ±600 is more than 8 sd).
        var r = RandomStream(seed: 11, entity: "bits", purpose: "balance")
        var ones = [Int](repeating: 0, count: 64)
        for _ in 0..<20_000 {
            let v = r.next()
            for bit in 0..<64 where v & (1 << UInt64(bit)) != 0 { ones[bit] += 1 }
        }
        #expect(ones.allSatisfy { abs($0 - 10_000) < 600 })
    }
}
