import SimKernelShims

/// An implicit 4-ary min-heap of keys in 64-byte aligned memory.
///
/// It is the near tier's fallback when its wheel cannot take a key cheaply (`NearTier`). Element
/// `i` lives at `base[i + 3]`, so the children of `i` (4i+1 … 4i+4) sit at `base[4i+4 … 4i+7]`: one
/// cache line. The buffer's fields are constants and the count lives in the struct: no dynamic
/// exclusivity checks. Not copy-on-write: the event queue that owns the ladder cannot be copied.
/// Growth makes a new buffer.
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

    @inlinable var top: Key? { count > 0 ? buffer.base[3] : nil }

    /// Room for `extra` more keys.
    @usableFromInline mutating func reserve(_ extra: Int) {
        if count + extra > buffer.capacity {
            buffer = buffer.copy(count: count, capacity: max(count + extra, 2 * buffer.capacity))
        }
    }

    @usableFromInline var keys: [Key] { Array(UnsafeBufferPointer(start: buffer.base + 3, count: count)) }

    @inlinable mutating func push(_ key: Key) {
        if count == buffer.capacity {
            buffer = buffer.copy(count: count, capacity: 2 * buffer.capacity)
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
                // Four children, one cache line: a branch-free tournament of indices (the
                // keys are reloaded from L1 rather than carried through selects, which
                // spilled registers: 25% fewer instructions per pop, measured with callgrind).
                // The selection is a data dependency: in a large heap (a skewed bucket),
                // fetch the four grandchild lines while it is computed.
                let g = 4 &* first &+ 1
                if n > 16384 && g < n {
                    simkernel_prefetch(h + g); simkernel_prefetch(h + (g &+ 4))
                    simkernel_prefetch(h + (g &+ 8)); simkernel_prefetch(h + (g &+ 12))
                }
                let i01 = h[first &+ 1].precedes(h[first]) ? first &+ 1 : first
                let i23 = h[first &+ 3].precedes(h[first &+ 2]) ? first &+ 3 : first &+ 2
                let best = h[i23].precedes(h[i01]) ? i23 : i01
                let bk = h[best]
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
