/// The ladder's bottom tier: every key due before the ladder's `nearLimit`.
///
/// That is the bucket being drained, and pushes into it. The keys sit in a `NearWheel`; if the
/// wheel refuses a key (a long list out of order), they all move to a 4-ary heap, which serves
/// until the tier next runs dry.
@usableFromInline struct NearTier {
    @usableFromInline var wheel = NearWheel()
    @usableFromInline var heap = KeyHeap()
    @usableFromInline var inHeap = false

    @inlinable init() {}

    @inlinable var count: Int { inHeap ? heap.count : wheel.count }

    @inlinable var top: Key? {
        if _slowPath(inHeap) { return heap.top }
        return wheel.count > 0 ? wheel.top : nil
    }

    @inlinable @inline(__always) mutating func push(_ key: Key) {
        if _slowPath(inHeap) { heap.push(key) } else if _slowPath(!wheel.insert(key)) { moveToHeap(adding: key) }
    }

    @inlinable @inline(__always) mutating func removeTop() {
        if _slowPath(inHeap) {
            heap.removeTop()
            if heap.count == 0 { inHeap = false }
        } else {
            wheel.removeTop()
        }
    }

    /// Starts filling the empty tier with a bucket covering [base, base + 2^shift).
    @inlinable mutating func begin(base: Int64, shift: Int64) {
        inHeap = false
        wheel.reset(base: base, shift: shift)
    }

    /// Adds a bucket's keys (after `begin`).
    @inlinable mutating func append(_ keys: UnsafePointer<Key>, count: Int) {
        for i in 0..<count { push(keys[i]) }
    }

    /// The keys as stored, for prefetching their slots right after a fill.
    @inlinable var storedKeys: UnsafeBufferPointer<Key> {
        if inHeap { return UnsafeBufferPointer(start: heap.buffer.base + 3, count: heap.count) }
        return UnsafeBufferPointer(start: wheel.pool.keys, count: wheel.used)
    }

    @usableFromInline func forEach(_ body: (Key) -> Void) {
        if inHeap { for k in heap.keys { body(k) } } else { wheel.forEach(body) }
    }

    /// The wheel's keys leave in order, so each push into the heap stays where it lands.
    @usableFromInline mutating func moveToHeap(adding key: Key) {
        heap.reserve(wheel.count + 1)
        wheel.drain { heap.push($0) }
        heap.push(key)
        inHeap = true
    }
}
