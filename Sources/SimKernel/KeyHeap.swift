import SimKernelShims

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
