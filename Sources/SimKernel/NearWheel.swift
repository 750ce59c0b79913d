/// The keys of the bucket being drained, sorted by a radix step instead of a heap: the
/// bucket's time range is cut into 4,096 sub-buckets of equal power-of-two width, each a
/// list sorted by key, and a two-level bitmap (one summary word over 64 words) finds the
/// first non-empty one with two trailing-zero counts.
///
/// A bucket holds a few keys spread over its width, so nearly every key gets a sub-bucket
/// to itself: putting a key in costs a shift, a bit set and a link, taking the smallest
/// costs a list step and, when the list empties, two bit scans, where the 4-ary heap this
/// replaces paid a branchy sift-down per pop (a quarter of a PHOLD event, measured with
/// `k3sim bench kernel`). Keys mostly arrive in sequence order (a bucket keeps push order),
/// so a key that is not smaller than its list's tail is appended in O(1); otherwise the
/// list is walked from its head, and a walk longer than `maxWalk` is refused (`insert`
/// returns false) so that the owner can fall back to a heap: many keys in one sub-bucket
/// out of order (a burst of equal-time events arriving out of sequence) cannot go quadratic.
@usableFromInline struct NearWheel {
    @usableFromInline static var subBuckets: Int { 4096 }
    @usableFromInline static var maxWalk: Int { 16 }

    /// Per sub-bucket: its list's first and last key (indexes into the pool), valid while its bit is set.
    ///
    /// It also holds the 64 bitmap words. Fixed size, so the fields are constants.
    @usableFromInline final class Index {
        @usableFromInline let heads: UnsafeMutablePointer<Int32>
        @usableFromInline let tails: UnsafeMutablePointer<Int32>
        @usableFromInline let words: UnsafeMutablePointer<UInt64>

        @usableFromInline init() {
            heads = .allocate(capacity: NearWheel.subBuckets)
            tails = .allocate(capacity: NearWheel.subBuckets)
            words = .allocate(capacity: NearWheel.subBuckets / 64)
            words.initialize(repeating: 0, count: NearWheel.subBuckets / 64)
        }
        deinit { heads.deallocate(); tails.deallocate(); words.deallocate() }
    }

    /// The keys and their list links; handed out from 0 and reused once the wheel is empty.
    ///
    /// Growth makes a new pool.
    @usableFromInline final class Pool {
        @usableFromInline let keys: UnsafeMutablePointer<Key>
        @usableFromInline let next: UnsafeMutablePointer<Int32>
        @usableFromInline let capacity: Int

        @usableFromInline init(capacity: Int) {
            self.capacity = max(capacity, 64)
            keys = LargeMemory.allocate(byteCount: self.capacity * MemoryLayout<Key>.stride)
                .bindMemory(to: Key.self, capacity: self.capacity)
            next = .allocate(capacity: self.capacity)
        }
        deinit { LargeMemory.deallocate(UnsafeMutableRawPointer(keys)); next.deallocate() }

        @usableFromInline func copy(used: Int, capacity: Int) -> Pool {
            let p = Pool(capacity: capacity)
            p.keys.update(from: keys, count: used)
            p.next.update(from: next, count: used)
            return p
        }
    }

    @usableFromInline let index = Index()
    @usableFromInline var pool = Pool(capacity: 64)
    /// Which of the 64 words are non-zero.
    @usableFromInline var summary: UInt64 = 0
    /// The time of sub-bucket 0 and the width of each, 2^subShift microseconds.
    @usableFromInline var base: Int64 = 0
    @usableFromInline var subShift: Int64 = 0
    /// Pool entries handed out since the wheel was last empty.
    @usableFromInline var used = 0
    @usableFromInline var count = 0
    /// The first non-empty sub-bucket (`subBuckets` when empty).
    @usableFromInline var first = NearWheel.subBuckets

    @inlinable init() {}

    /// Starts an empty wheel over [base, base + 2^shift) (a bucket of width 2^shift).
    @inlinable mutating func reset(base: Int64, shift: Int64) {
        self.base = base
        subShift = max(0, shift - 12)  // 4,096 = 2^12 sub-buckets
        used = 0
    }

    /// The sub-bucket of a time below the wheel's end; times before `base` (a push into
    /// the past) share sub-bucket 0, whose list is sorted like any other.
    @inlinable @inline(__always) func subBucket(_ time: Int64) -> Int {
        if time <= base { return 0 }
        return min(Int(truncatingIfNeeded: (time &- base) &>> subShift), NearWheel.subBuckets &- 1)
    }

    /// The smallest key (the wheel must not be empty).
    @inlinable var top: Key { pool.keys[Int(index.heads[first])] }

    /// Adds a key; false (and nothing added) if its list would need a walk longer than
    /// `maxWalk`.
    @inlinable @inline(__always) mutating func insert(_ key: Key) -> Bool {
        if used == pool.capacity { pool = pool.copy(used: used, capacity: 2 * pool.capacity) }
        let s = subBucket(key.time)
        let e = Int32(truncatingIfNeeded: used)
        let keys = pool.keys, next = pool.next
        let w = s &>> 6, bit = UInt64(1) &<< UInt64(s & 63)
        if index.words[w] & bit == 0 {
            index.words[w] |= bit
            summary |= UInt64(1) &<< UInt64(w)
            index.heads[s] = e
            index.tails[s] = e
            next[Int(e)] = -1
            if s < first { first = s }
        } else {
            let tail = index.tails[s]
            if !key.precedes(keys[Int(tail)]) {
                next[Int(tail)] = e
                next[Int(e)] = -1
                index.tails[s] = e
            } else {
                var previous: Int32 = -1
                var current = index.heads[s]
                var steps = 0
                while current >= 0 && !key.precedes(keys[Int(current)]) {
                    steps &+= 1
                    if steps > NearWheel.maxWalk { return false }
                    previous = current
                    current = next[Int(current)]
                }
                next[Int(e)] = current  // current ≥ 0: the key precedes the tail
                if previous < 0 { index.heads[s] = e } else { next[Int(previous)] = e }
            }
        }
        keys[Int(e)] = key
        used &+= 1
        count &+= 1
        return true
    }

    /// Removes the smallest key (the wheel must not be empty).
    @inlinable @inline(__always) mutating func removeTop() {
        let s = first
        let following = pool.next[Int(index.heads[s])]
        count &-= 1
        if following >= 0 {
            index.heads[s] = following
            return
        }
        let w = s &>> 6
        let word = index.words[w] & ~(UInt64(1) &<< UInt64(s & 63))
        index.words[w] = word
        if word != 0 {
            first = w &<< 6 | word.trailingZeroBitCount
            return
        }
        summary &= ~(UInt64(1) &<< UInt64(w))
        if summary == 0 {
            first = NearWheel.subBuckets
            used = 0
            return
        }
        let w2 = summary.trailingZeroBitCount
        first = w2 &<< 6 | index.words[w2].trailingZeroBitCount
    }

    /// Every key held, in order; the wheel is left empty.
    @usableFromInline mutating func drain(_ body: (Key) -> Void) {
        while count > 0 { body(top); removeTop() }
    }

    /// Every key held, in order.
    @usableFromInline func forEach(_ body: (Key) -> Void) {
        var summaryLeft = summary
        while summaryLeft != 0 {
            let w = summaryLeft.trailingZeroBitCount
            summaryLeft &= summaryLeft &- 1
            var word = index.words[w]
            while word != 0 {
                var e = index.heads[w &<< 6 | word.trailingZeroBitCount]
                word &= word &- 1
                while e >= 0 { body(pool.keys[Int(e)]); e = pool.next[Int(e)] }
            }
        }
    }
}
