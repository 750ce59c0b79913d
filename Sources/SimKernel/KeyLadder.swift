import SimKernelShims

/// A heap key: (time, tag) ordered lexicographically.
@usableFromInline struct Key {
    @usableFromInline var time: Int64
    @usableFromInline var tag: UInt64
    @inlinable init(time: Int64, tag: UInt64) { self.time = time; self.tag = tag }
    /// Whether this key comes before `o`, without branches (the heap's comparisons are unpredictable).
    ///
    /// On Linux one 128-bit comparison, time high and tag low: a compare and a subtract-with-borrow
    /// (5% fewer instructions per PHOLD event than the flag arithmetic, callgrind); Int128 needs
    /// macOS 15, so Darwin keeps the flag arithmetic written without short-circuits.
    @inlinable @inline(__always) func precedes(_ o: Key) -> Bool {
        #if canImport(Darwin)
            let lt = time < o.time ? 1 : 0, eq = time == o.time ? 1 : 0, tl = tag < o.tag ? 1 : 0
            return (lt | (eq & tl)) != 0
        #else
            return (Int128(time) << 64 | Int128(tag)) < (Int128(o.time) << 64 | Int128(o.tag))
        #endif
    }
}

/// The keys of the queue in three tiers: a two-level ladder queue with a sorted bottom.
///
/// The ladder queue is Tang, Goh and Thng 2005. `near` holds every key due before `nearLimit`,
/// sorted by a radix step over sub-buckets (`NearTier`, `NearWheel`); a rung of buckets of equal
/// time width, unsorted, covers [`nearLimit`, `rungEnd`); and `far` is an unsorted array of the
/// keys due at or after `rungEnd`. When `near` runs dry the next non-empty bucket moves into it;
/// when the rung is used up, `far` is spread over a new rung sized to hold about `bucketTarget`
/// keys per bucket. Each key moves at most twice, and a push and a pop cost O(1) amortised on
/// small, cache-resident structures; at a million pending events that is what keeps the queue out
/// of main memory.
@usableFromInline struct KeyLadder {
    /// Keys per bucket at the front of a rung.
    ///
    /// Large, because the near tier sorts a bucket in O(1) per key (`NearWheel`): few buckets keep
    /// every push on a bucket header and a tail chunk already in cache. Measured with
    /// `k3sim bench kernel` (10,000 pending): 8 keys 39 M events/s (the best size for the 4-ary
    /// heap the wheel replaced), 32 43 M, 128 45 M, 256 46 M, 512 45.5 M, 1,024 43 M, 2,048 37 M; a
    /// million pending (where the rung's bucket cap sets the width) 22.4–24.1 M for all of them.
    @usableFromInline static var bucketTarget: Int { 256 }
    @usableFromInline static var maxBuckets: Int { 1 << 20 }
    @usableFromInline static var rungBuckets: Int { 16384 }
    /// Keys per chunk of a bucket (a bucket is a chain of chunks in one pool).
    @usableFromInline static var chunk: Int { 16 }

    /// A chain of chunks: the first, and the pool position after the last key.
    ///
    /// So the last chunk is (end − 1) / chunk. Eight bytes: a push reads one header in a table that
    /// stays in cache (half the size of the first layout, which kept a tail chunk, its count and
    /// the bucket's count: measured with `k3sim bench kernel`).
    @usableFromInline struct Bucket {
        @usableFromInline var head: Int32 = -1
        @usableFromInline var end: Int32 = 0
        @inlinable init() {}
        @inlinable var isEmpty: Bool { head < 0 }
    }

    @usableFromInline var near = NearTier()
    /// Keys due before this go to `near`.
    @usableFromInline var nearLimit: Int64 = .min
    /// The buckets and their chunks of keys.
    @usableFromInline var rung = RungStorage(bucketCapacity: 0, chunkCapacity: 0)
    /// Chunks handed out so far (in use or in the free list).
    @usableFromInline var chunksUsed = 0
    @usableFromInline var freeChunk: Int32 = -1
    @usableFromInline var rungStart: Int64 = 0
    @usableFromInline var rungEnd: Int64 = .min
    /// Bucket width 2^shift microseconds.
    @usableFromInline var shift: Int64 = 0
    /// The next bucket to move to `near`; `buckets[cursor..<bucketCount]` are pending.
    @usableFromInline var cursor = 0
    @usableFromInline var bucketCount = 0
    /// Keys in `buckets[cursor...]`.
    @usableFromInline var rungKeys = 0
    @usableFromInline var far = ContiguousArray<Key>()

    @inlinable init() {}
    @usableFromInline init(_ keys: ContiguousArray<Key>) { far = keys }

    /// Keys held, stale ones included.
    @inlinable var count: Int { near.count &+ rungKeys &+ far.count }

    @inlinable @inline(__always) mutating func push(_ key: Key) {
        if key.time < nearLimit {
            near.push(key)
        } else if key.time < rungEnd {
            append(key, to: Int((key.time &- rungStart) &>> shift))  // shift ≤ 62: a masking shift, no overshift branch
            rungKeys &+= 1
        } else {
            far.append(key)
        }
    }

    /// Appends to bucket `b` (`b` < `bucketCount`).
    @inlinable @inline(__always) mutating func append(_ key: Key, to b: Int) {
        let c = Int32(KeyLadder.chunk)
        var end = rung.buckets[b].end
        if end & (c &- 1) == 0 {  // an empty bucket (end 0) or a full last chunk
            let n = newChunk()  // may move the rung's memory
            let bucket = rung.buckets + b
            if bucket.pointee.head < 0 { bucket.pointee.head = n } else { rung.chunkNext[Int((end &- 1) / c)] = n }
            end = n &* c
        }
        rung.pool[Int(end)] = key
        rung.buckets[b].end = end &+ 1
    }

    /// How many keys chunk `chunkIndex` of `bucket` holds: all but the last are full. (The
    /// chain is walked in place rather than through a method taking a closure: a closure
    /// that changes the ladder while a method reads it made `moveToNear` copy the ladder,
    /// 14% slower per PHOLD event.)
    @inlinable @inline(__always) static func keyCount(ofChunk chunkIndex: Int32, in bucket: Bucket) -> Int {
        let c = KeyLadder.chunk
        return Int(bucket.end &- 1) / c == Int(chunkIndex) ? Int(bucket.end) &- Int(chunkIndex) &* c : c
    }

    @inlinable mutating func newChunk() -> Int32 {
        if freeChunk >= 0 {
            let n = freeChunk
            freeChunk = rung.chunkNext[Int(n)]
            rung.chunkNext[Int(n)] = -1
            return n
        }
        if chunksUsed == rung.chunkCapacity { growChunks() }
        let n = Int32(chunksUsed)
        chunksUsed &+= 1
        rung.chunkNext[Int(n)] = -1
        return n
    }

    @usableFromInline mutating func growChunks() {
        rung = rung.copy(bucketCapacity: 0, chunkCapacity: max(64, 2 * rung.chunkCapacity), chunksUsed: chunksUsed)
    }

    /// The smallest key, refilling `near` from the rung (and the rung from `far`) if needed.
    @inlinable var top: Key? {
        mutating get {
            if near.count == 0 && !refill() { return nil }
            return near.top
        }
    }

    /// Whether the next `top` moves a bucket into `near`.
    @inlinable var needsRefill: Bool { near.count == 0 }

    /// Removes the smallest key; call after `top` returned it.
    @inlinable mutating func removeTop() { near.removeTop() }

    /// Moves the next non-empty bucket into the empty `near`; false when no key is left.
    @usableFromInline mutating func refill() -> Bool {
        while true {
            while cursor < bucketCount {
                let b = cursor
                cursor += 1
                nearLimit = cursor == bucketCount ? rungEnd : rungStart + Int64(cursor) &<< shift
                if !rung.buckets[b].isEmpty {
                    moveToNear(b)
                    return true
                }
            }
            if far.isEmpty { return false }
            buildRung()
        }
    }

    /// Spreads `far` over a new rung.
    ///
    /// The bucket width (a power of two) is chosen so that the first buckets hold about
    /// `bucketTarget` keys: pending times are usually densest just after now, so the width comes
    /// from the density of the earliest keys, estimated from evenly spaced samples. The rung has at
    /// most 8 × keys / bucketTarget buckets; keys beyond its end (far-future timers) stay in `far`
    /// for a later rung.
    @usableFromInline mutating func buildRung() {
        var lo = Int64.max, hi = Int64.min
        for k in far { lo = min(lo, k.time); hi = max(hi, k.time) }
        let n = far.count
        let target = KeyLadder.bucketTarget
        let span = UInt64(bitPattern: hi &- lo)  // hi ≥ lo: no overflow as unsigned
        var width: UInt64
        if n <= target {
            width = span + 1
        } else {
            // Density near the front: the 8th smallest of up to 256 samples (each stands
            // for n / samples keys) is about 8 · n / samples keys after `lo`.
            let samples = min(n, 256)
            var sample = (0..<samples).map { far[$0 * n / samples].time }
            sample.sort()
            let k = min(8, samples - 1)
            let keysBefore = Double(k) * Double(n) / Double(samples)
            let front = Double(UInt64(bitPattern: sample[k] &- lo)) + 1
            width = UInt64(max(1, front * Double(target) / keysBefore))
        }
        // Not more than `rungBuckets` buckets over the span: more buckets than fit in the
        // cache cost a miss per push (measured: 1,000,000 pending events).
        width = max(width, span / UInt64(KeyLadder.rungBuckets) + 1)
        var shift = Int64(64 - (max(width, 1) - 1).leadingZeroBitCount)  // 2^shift ≥ width
        if shift > 62 { shift = 62 }
        let maxCount = min(KeyLadder.maxBuckets, 8 * n / target + 16)
        let used = Int(min(span >> UInt64(shift), UInt64(maxCount - 1))) + 1
        self.shift = shift
        bucketCount = used
        rungStart = lo
        let last = lo.addingReportingOverflow(Int64(used) << shift)
        rungEnd = last.overflow ? .max : last.partialValue
        if rung.bucketCapacity < used {
            rung = rung.copy(bucketCapacity: used, chunkCapacity: 0, chunksUsed: chunksUsed)
        }
        cursor = 0
        nearLimit = lo
        var kept = 0
        var keys = far
        far = []  // `keys` is the only reference: no copy below
        let end = rungEnd
        keys.withUnsafeMutableBufferPointer { f in
            for i in 0..<f.count {
                let key = f[i]
                if key.time < end { append(key, to: Int((key.time &- lo) &>> shift)) } else { f[kept] = key; kept += 1 }
            }
        }
        rungKeys = n - kept
        keys.removeLast(n - kept)
        far = keys
    }

    /// Moves bucket `b` into the empty `near` and frees its chunks.
    @usableFromInline mutating func moveToNear(_ b: Int) {
        near.begin(base: rungStart &+ Int64(b) &<< shift, shift: shift)
        let bucket = rung.buckets[b]
        var chunkIndex = bucket.head
        while chunkIndex >= 0 {
            let k = KeyLadder.keyCount(ofChunk: chunkIndex, in: bucket)
            near.append(rung.pool + Int(chunkIndex) &* KeyLadder.chunk, count: k)
            rungKeys &-= k
            chunkIndex = rung.chunkNext[Int(chunkIndex)]
        }
        rung.chunkNext[Int(bucket.end &- 1) / KeyLadder.chunk] = freeChunk
        freeChunk = bucket.head
        rung.buckets[b] = Bucket()
    }

    /// Every key held, in no particular order.
    @usableFromInline func forEach(_ body: (Key) -> Void) {
        near.forEach(body)
        if cursor < bucketCount {
            for b in cursor..<bucketCount {
                let bucket = rung.buckets[b]
                var chunkIndex = bucket.head
                while chunkIndex >= 0 {
                    let keys = rung.pool + Int(chunkIndex) * KeyLadder.chunk
                    for i in 0..<KeyLadder.keyCount(ofChunk: chunkIndex, in: bucket) { body(keys[i]) }
                    chunkIndex = rung.chunkNext[Int(chunkIndex)]
                }
            }
        }
        for k in far { body(k) }
    }
}
