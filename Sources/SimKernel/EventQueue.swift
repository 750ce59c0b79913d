import SimKernelShims

/// Identifies one scheduled event, so that it can be cancelled (a timer).
public struct EventID: Hashable, Sendable {
    /// When the event is due, in microseconds.
    public let time: Int64
    /// Insertion sequence number: unique within a queue, and the tie-breaker.
    public let sequence: UInt64
    /// Where the queue keeps the event's payload while it is pending.
    @usableFromInline let slot: UInt32
    @inlinable init(time: Int64, sequence: UInt64, slot: UInt32) {
        self.time = time; self.sequence = sequence; self.slot = slot
    }
}

/// A priority queue of value events ordered by (time, insertion order).
///
/// Two events at the same time leave the queue in the order they were scheduled, so a
/// run is a deterministic function of its inputs.
///
/// Layout (each step measured with `k3sim bench kernel`, see the README's Performance section):
/// - Keys are 16 bytes: the time, and a tag with the insertion sequence in its high bits and
///   a payload slot in its low bits, so one comparison of (time, tag) orders by (time,
///   insertion). Keys live in a two-level ladder queue (`KeyLadder`): a small 4-ary heap of
///   the keys due soonest, a rung of time buckets, and an unsorted far tier; a key moves at
///   most twice, and the heap it meets stays in cache even with a million events pending.
/// - Payloads stay put in a slot table (free slots chained in a free list), so keys move
///   without their payload; when a bucket enters the heap, its slots are prefetched.
/// - Cancellation costs nothing for events that are not cancelled (no hash set): a slot
///   remembers the sequence of the event it holds; `cancel` frees the slot when the
///   sequences agree (so cancelling an event that ran or was cancelled is a no-op), and a
///   key whose slot no longer holds its sequence is skipped when it reaches the top — the
///   check reads the slot that `pop` reads anyway for the payload. Stale keys are compacted
///   away when they outnumber the live ones.
/// Limits: 2^28 (268 million) pending events and 2^36 (68 billion) pushes per queue.
public struct EventQueue<Payload> {
    @usableFromInline static var slotBits: UInt64 { 28 }
    @usableFromInline static var slotMask: UInt64 { (1 << slotBits) - 1 }
    @usableFromInline static var maxSequence: UInt64 { 1 << (64 - slotBits) }
    /// A free slot's `sequence`: this bit plus the next free slot (or `noSlot`).
    @usableFromInline static var freeBit: UInt64 { 1 << 63 }
    @usableFromInline static var noSlot: UInt64 { slotMask }

    @usableFromInline struct Slot {
        @usableFromInline var sequence: UInt64
        @usableFromInline var payload: Payload?
        @inlinable init(sequence: UInt64, payload: Payload?) { self.sequence = sequence; self.payload = payload }
    }

    @usableFromInline var heap = KeyLadder()
    @usableFromInline var slots: [Slot] = []
    @usableFromInline var freeHead: UInt64 = EventQueue.noSlot
    @usableFromInline var nextSequence: UInt64 = 0
    /// Events scheduled and neither run nor cancelled (the heap also holds stale keys).
    @usableFromInline var live = 0

    public init() {}

    /// Events scheduled and neither run nor cancelled.
    @inlinable public var count: Int { live }
    @inlinable public var isEmpty: Bool { live == 0 }

    /// Schedules `payload` at `time`. - Complexity: O(log n)
    @inlinable @discardableResult
    public mutating func push(_ payload: Payload, at time: SimTime) -> EventID {
        let seq = nextSequence
        precondition(seq < EventQueue.maxSequence, "EventQueue: more than 2^36 events pushed")
        nextSequence &+= 1
        let slot: UInt64
        if freeHead != EventQueue.noSlot {
            slot = freeHead
            freeHead = slots[Int(slot)].sequence & ~EventQueue.freeBit
            slots[Int(slot)] = Slot(sequence: seq, payload: payload)
        } else {
            slot = UInt64(slots.count)
            precondition(slot < EventQueue.noSlot, "EventQueue: more than 2^28 pending events")
            slots.append(Slot(sequence: seq, payload: payload))
        }
        live += 1
        heap.push(Key(time: time.microseconds, tag: seq << EventQueue.slotBits | slot))
        return EventID(time: time.microseconds, sequence: seq, slot: UInt32(slot))
    }

    /// Cancels a scheduled event; cancelling one that already ran, or twice, is a no-op.
    /// - Complexity: O(1) (amortised: stale keys are compacted now and then)
    @inlinable
    public mutating func cancel(_ id: EventID) {
        let slot = Int(id.slot)
        guard slot < slots.count, slots[slot].sequence == id.sequence else { return }
        release(slot)
        if heap.count > 4096 && heap.count > 2 * live { compact() }
    }

    /// The time of the next live event, if any.
    @inlinable
    public mutating func peekTime() -> SimTime? {
        while let top = nextKey() {
            if isLive(top) { return SimTime(microseconds: top.time) }
            heap.removeTop()
        }
        return nil
    }

    /// Removes and returns the earliest live event. - Complexity: O(log n)
    @inlinable
    public mutating func pop() -> (time: SimTime, id: EventID, payload: Payload)? {
        while let top = nextKey() {
            heap.removeTop()
            prefetchTopSlot()
            let slot = Int(top.tag & EventQueue.slotMask)
            let seq = top.tag >> EventQueue.slotBits
            guard slots[slot].sequence == seq else { continue }  // cancelled: slot freed or reused
            let payload = slots[slot].payload.take()!
            slots[slot].sequence = EventQueue.freeBit | freeHead
            freeHead = UInt64(slot)
            live -= 1
            return (SimTime(microseconds: top.time), EventID(time: top.time, sequence: seq, slot: UInt32(slot)), payload)
        }
        return nil
    }

    /// Removes and returns the earliest live event if it is due at or before `end`
    /// (`peekTime` and `pop` in one pass).
    @inlinable
    public mutating func pop(until end: SimTime) -> (time: SimTime, payload: Payload)? {
        let endTime = end.microseconds
        while let top = nextKey() {
            let slot = Int(top.tag & EventQueue.slotMask)
            let seq = top.tag >> EventQueue.slotBits
            guard slots[slot].sequence == seq else { heap.removeTop(); continue }  // cancelled
            if top.time > endTime { return nil }
            heap.removeTop()
            prefetchTopSlot()
            let payload = slots[slot].payload.take()!
            slots[slot].sequence = EventQueue.freeBit | freeHead
            freeHead = UInt64(slot)
            live -= 1
            return (SimTime(microseconds: top.time), payload)
        }
        return nil
    }

    /// The smallest key; when `near` is refilled from a bucket, the slots of all its keys are
    /// fetched at once (many cache misses in flight instead of one per pop).
    @inlinable mutating func nextKey() -> Key? {
        if heap.needsRefill {
            guard heap.refill() else { return nil }
            let n = heap.near.count
            let keys = heap.near.buffer.base + 3
            slots.withUnsafeBufferPointer { s in
                for i in 0..<n { simkernel_prefetch(s.baseAddress! + Int(keys[i].tag & EventQueue.slotMask)) }
            }
        }
        return heap.near.top
    }

    /// The next pop reads the top key's slot: start fetching it now, while the caller
    /// handles this event (at a million pending events the slot is not in cache).
    @inlinable func prefetchTopSlot() {
        guard let next = heap.near.top else { return }
        slots.withUnsafeBufferPointer { simkernel_prefetch($0.baseAddress! + Int(next.tag & EventQueue.slotMask)) }
    }

    @inlinable func isLive(_ key: Key) -> Bool {
        slots[Int(key.tag & EventQueue.slotMask)].sequence == key.tag >> EventQueue.slotBits
    }

    @inlinable mutating func release(_ slot: Int) {
        slots[slot].payload = nil
        slots[slot].sequence = EventQueue.freeBit | freeHead
        freeHead = UInt64(slot)
        live -= 1
    }

    /// Drops stale keys and rebuilds the heap (the order of the live keys is unchanged).
    @usableFromInline mutating func compact() {
        var liveKeys = ContiguousArray<Key>()
        liveKeys.reserveCapacity(live)
        heap.forEach { if isLive($0) { liveKeys.append($0) } }
        heap = KeyLadder(liveKeys)
    }
}

/// A heap key: (time, tag) ordered lexicographically.
@usableFromInline struct Key {
    @usableFromInline var time: Int64
    @usableFromInline var tag: UInt64
    @inlinable init(time: Int64, tag: UInt64) { self.time = time; self.tag = tag }
    /// Written without short-circuits so that it compiles to flag arithmetic, not branches
    /// (the heap's comparisons are unpredictable).
    @inlinable @inline(__always) func precedes(_ o: Key) -> Bool {
        let lt = time < o.time ? 1 : 0, eq = time == o.time ? 1 : 0, tl = tag < o.tag ? 1 : 0
        return (lt | (eq & tl)) != 0
    }
}

/// The keys of the queue in three tiers (a two-level ladder queue, Tang, Goh and Thng
/// 2005, with a heap as its bottom): `near`, a 4-ary heap of every key due before
/// `nearLimit`; a rung of buckets of equal time width, unsorted, covering
/// [`nearLimit`, `rungEnd`); and `far`, an unsorted array of the keys due at or after
/// `rungEnd`. When `near` runs dry the next non-empty bucket is heapified into it; when
/// the rung is used up, `far` is spread over a new rung sized to hold about
/// `bucketTarget` keys per bucket. Each key moves at most twice, so a push and a pop cost
/// O(1) amortised plus a heap operation on a small, cache-resident heap; at a million
/// pending events that is what keeps the queue out of main memory.
@usableFromInline struct KeyLadder {
    @usableFromInline static var bucketTarget: Int { 32 }
    @usableFromInline static var maxBuckets: Int { 1 << 20 }
    @usableFromInline static var rungBuckets: Int { 16384 }
    /// Keys per chunk of a bucket (a bucket is a chain of chunks in one pool).
    @usableFromInline static var chunk: Int { 16 }

    @usableFromInline struct Bucket {
        @usableFromInline var head: Int32 = -1
        @usableFromInline var tail: Int32 = -1
        @usableFromInline var tailCount: Int32 = 0
        @usableFromInline var count: Int32 = 0
        @inlinable init() {}
    }

    @usableFromInline var near = KeyHeap()
    /// Keys due before this go to `near`.
    @usableFromInline var nearLimit: Int64 = .min
    @usableFromInline var buckets: [Bucket] = []
    /// Bucket chunks: chunk c holds pool[c·chunk ..< (c+1)·chunk]; chained by `chunkNext`.
    @usableFromInline var pool: [Key] = []
    @usableFromInline var chunkNext: [Int32] = []
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

    @inlinable mutating func push(_ key: Key) {
        if key.time < nearLimit {
            near.push(key)
        } else if key.time < rungEnd {
            append(key, to: Int((key.time &- rungStart) >> shift))
            rungKeys &+= 1
        } else {
            far.append(key)
        }
    }

    @inlinable mutating func append(_ key: Key, to b: Int) {
        let c = KeyLadder.chunk
        var t = buckets[b].tail
        if t < 0 || Int(buckets[b].tailCount) == c {
            let n = newChunk()
            if t < 0 { buckets[b].head = n } else { chunkNext[Int(t)] = n }
            buckets[b].tail = n
            buckets[b].tailCount = 0
            t = n
        }
        pool[Int(t) &* c &+ Int(buckets[b].tailCount)] = key
        buckets[b].tailCount &+= 1
        buckets[b].count &+= 1
    }

    @inlinable mutating func newChunk() -> Int32 {
        if freeChunk >= 0 {
            let n = freeChunk
            freeChunk = chunkNext[Int(n)]
            chunkNext[Int(n)] = -1
            return n
        }
        let n = Int32(chunkNext.count)
        chunkNext.append(-1)
        pool.append(contentsOf: repeatElement(Key(time: 0, tag: 0), count: KeyLadder.chunk))
        return n
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

    /// Moves the next non-empty bucket into the empty `near`. false: no key left.
    @usableFromInline mutating func refill() -> Bool {
        while true {
            while cursor < bucketCount {
                let b = cursor
                cursor += 1
                nearLimit = cursor == bucketCount ? rungEnd : rungStart + Int64(cursor) << shift
                if buckets[b].count > 0 {
                    moveToNear(b)
                    return true
                }
            }
            if far.isEmpty { return false }
            buildRung()
        }
    }

    /// Spreads `far` over a new rung. The bucket width (a power of two) is chosen so that
    /// the first buckets hold about `bucketTarget` keys: pending times are usually densest
    /// just after now, so the width comes from the density of the earliest keys, estimated
    /// from evenly spaced samples. The rung has at most 8 × keys / bucketTarget buckets;
    /// keys beyond its end (far-future timers) stay in `far` for a later rung.
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
        if buckets.count < used { buckets.append(contentsOf: repeatElement(Bucket(), count: used - buckets.count)) }
        cursor = 0
        nearLimit = lo
        var kept = 0
        var keys = far
        far = []  // `keys` is the only reference: no copy below
        let end = rungEnd
        keys.withUnsafeMutableBufferPointer { f in
            for i in 0..<f.count {
                let key = f[i]
                if key.time < end { append(key, to: Int((key.time &- lo) >> shift)) } else { f[kept] = key; kept += 1 }
            }
        }
        rungKeys = n - kept
        keys.removeLast(n - kept)
        far = keys
    }

    /// Heapifies bucket `b` into the empty `near` and frees its chunks.
    @usableFromInline mutating func moveToNear(_ b: Int) {
        let bucket = buckets[b]
        let c = KeyLadder.chunk
        rungKeys -= Int(bucket.count)
        near.reserve(Int(bucket.count))
        var chunkIndex = bucket.head
        pool.withUnsafeBufferPointer { p in
            while chunkIndex >= 0 {
                let k = chunkIndex == bucket.tail ? Int(bucket.tailCount) : c
                near.appendUnordered(p.baseAddress! + Int(chunkIndex) * c, count: k)
                chunkIndex = chunkNext[Int(chunkIndex)]
            }
        }
        near.heapify()
        chunkNext[Int(bucket.tail)] = freeChunk
        freeChunk = bucket.head
        buckets[b] = Bucket()
    }

    /// Every key held, in no particular order.
    @usableFromInline func forEach(_ body: (Key) -> Void) {
        for k in near.keys { body(k) }
        if cursor < bucketCount {
            for b in cursor..<bucketCount {
                var chunkIndex = buckets[b].head
                while chunkIndex >= 0 {
                    let k = chunkIndex == buckets[b].tail ? Int(buckets[b].tailCount) : KeyLadder.chunk
                    for i in 0..<k { body(pool[Int(chunkIndex) * KeyLadder.chunk + i]) }
                    chunkIndex = chunkNext[Int(chunkIndex)]
                }
            }
        }
        for k in far { body(k) }
    }
}

/// An implicit 4-ary min-heap of keys in 64-byte aligned memory. Element `i` lives at
/// `base[i + 3]`, so the children of `i` (4i+1 … 4i+4) sit at `base[4i+4 … 4i+7]`: one
/// cache line. Copy-on-write like the standard collections. (The buffer's fields are
/// constants and the count lives in the struct: no dynamic exclusivity checks.)
@usableFromInline struct KeyHeap {
    @usableFromInline final class Buffer {
        @usableFromInline let base: UnsafeMutablePointer<Key>
        @usableFromInline let capacity: Int

        @usableFromInline init(capacity: Int) {
            self.capacity = max(capacity, 16)
            let raw = LargeMemory.allocate(byteCount: (self.capacity + 3) * MemoryLayout<Key>.stride)
            base = raw.bindMemory(to: Key.self, capacity: self.capacity + 3)
        }
        deinit { LargeMemory.deallocate(UnsafeMutableRawPointer(base)) }

        @usableFromInline func copy(count: Int, capacity: Int) -> Buffer {
            let b = Buffer(capacity: capacity)
            (b.base + 3).initialize(from: base + 3, count: count)
            return b
        }
    }

    @usableFromInline var buffer: Buffer
    @usableFromInline var count: Int

    @inlinable init() { buffer = Buffer(capacity: 16); count = 0 }
    @usableFromInline init(_ keys: [Key]) {
        buffer = Buffer(capacity: keys.count)
        count = keys.count
        keys.withUnsafeBufferPointer { if let b = $0.baseAddress { (buffer.base + 3).initialize(from: b, count: keys.count) } }
        if count > 1 {
            var i = (count - 2) / 4
            while i >= 0 { siftDown(i); i -= 1 }
        }
    }

    @inlinable var top: Key? { count > 0 ? buffer.base[3] : nil }

    /// Room for `extra` more keys, uniquely owned.
    @usableFromInline mutating func reserve(_ extra: Int) {
        if count + extra > buffer.capacity {
            buffer = buffer.copy(count: count, capacity: max(count + extra, 2 * buffer.capacity))
        } else if !isKnownUniquelyReferenced(&buffer) {
            buffer = buffer.copy(count: count, capacity: buffer.capacity)
        }
    }

    /// Appends keys without restoring the heap order (call `heapify` after; `reserve` before).
    @usableFromInline mutating func appendUnordered(_ keys: UnsafePointer<Key>, count k: Int) {
        (buffer.base + 3 + count).update(from: keys, count: k)
        count += k
    }

    /// Floyd's bottom-up heap construction, O(n).
    @usableFromInline func heapify() {
        if count > 1 {
            var i = (count - 2) / 4
            while i >= 0 { siftDown(i); i -= 1 }
        }
    }

    @usableFromInline var keys: [Key] { Array(UnsafeBufferPointer(start: buffer.base + 3, count: count)) }

    @inlinable mutating func push(_ key: Key) {
        if count == buffer.capacity {
            buffer = buffer.copy(count: count, capacity: 2 * buffer.capacity)
        } else if !isKnownUniquelyReferenced(&buffer) {
            buffer = buffer.copy(count: count, capacity: buffer.capacity)
        }
        let h = buffer.base + 3
        var i = count
        count &+= 1
        while i > 0 {
            let parent = (i &- 1) >> 2
            let p = h[parent]
            if !key.precedes(p) { break }
            h[i] = p
            i = parent
        }
        h[i] = key
    }

    @inlinable mutating func removeTop() {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy(count: count, capacity: buffer.capacity) }
        count &-= 1
        if count > 0 {
            buffer.base[3] = buffer.base[3 &+ count]
            siftDown(0)
        }
    }

    @inlinable func siftDown(_ start: Int) {
        let h = buffer.base + 3
        let n = count
        var i = start
        let item = h[i]
        while true {
            let first = 4 &* i &+ 1
            if first &+ 3 < n {
                // Four children, one cache line: a branch-free tournament. The selection is a
                // data dependency: in a large heap (a skewed bucket), fetch the four
                // grandchild lines while it is computed.
                let g = 4 &* first &+ 1
                if n > 16384 && g < n {
                    simkernel_prefetch(h + g); simkernel_prefetch(h + (g &+ 4))
                    simkernel_prefetch(h + (g &+ 8)); simkernel_prefetch(h + (g &+ 12))
                }
                let k0 = h[first], k1 = h[first &+ 1], k2 = h[first &+ 2], k3 = h[first &+ 3]
                let b01 = k1.precedes(k0), b23 = k3.precedes(k2)
                let m01 = b01 ? k1 : k0, i01 = b01 ? first &+ 1 : first
                let m23 = b23 ? k3 : k2, i23 = b23 ? first &+ 3 : first &+ 2
                let b = m23.precedes(m01)
                let bk = b ? m23 : m01, best = b ? i23 : i01
                if !bk.precedes(item) { break }
                h[i] = bk
                i = best
            } else {
                if first >= n { break }
                var best = first
                var c = first &+ 1
                while c < n {
                    if h[c].precedes(h[best]) { best = c }
                    c &+= 1
                }
                if !h[best].precedes(item) { break }
                h[i] = h[best]
                i = best
            }
        }
        h[i] = item
    }
}
