/// The memory of a ladder's rung: the buckets' headers, and the pool of fixed-size chunks
/// the buckets' keys live in (chained by `chunkNext`).
///
/// Raw memory rather than three arrays: a push into a bucket touched the header, the chunk
/// chain and the pool, and each array write paid its own uniqueness call and bounds check
/// (three calls into the runtime per push, measured with `k3sim bench kernel`); the queue
/// that owns the ladder cannot be copied, so this memory is never shared. The fields are
/// constants (growth makes a new object), so reading them needs no exclusivity check.
@usableFromInline final class RungStorage {
    @usableFromInline let buckets: UnsafeMutablePointer<KeyLadder.Bucket>
    @usableFromInline let bucketCapacity: Int
    /// Chunk c holds pool[c·chunk ..< (c+1)·chunk].
    @usableFromInline let pool: UnsafeMutablePointer<Key>
    @usableFromInline let chunkNext: UnsafeMutablePointer<Int32>
    @usableFromInline let chunkCapacity: Int

    /// Every bucket starts empty; chunks are handed out by the ladder.
    @usableFromInline init(bucketCapacity: Int, chunkCapacity: Int) {
        self.bucketCapacity = bucketCapacity
        self.chunkCapacity = chunkCapacity
        buckets = UnsafeMutablePointer.allocate(capacity: max(bucketCapacity, 1))
        buckets.initialize(repeating: KeyLadder.Bucket(), count: bucketCapacity)
        pool = LargeMemory.allocate(byteCount: max(chunkCapacity, 1) * KeyLadder.chunk * MemoryLayout<Key>.stride)
            .bindMemory(to: Key.self, capacity: max(chunkCapacity, 1) * KeyLadder.chunk)
        chunkNext = UnsafeMutablePointer.allocate(capacity: max(chunkCapacity, 1))
    }

    deinit {
        buckets.deallocate()
        LargeMemory.deallocate(UnsafeMutableRawPointer(pool))
        chunkNext.deallocate()
    }

    /// A copy with room for at least as many buckets and chunks; `chunksUsed` chunks are
    /// copied (the others are not handed out yet).
    @usableFromInline func copy(bucketCapacity: Int, chunkCapacity: Int, chunksUsed: Int) -> RungStorage {
        let s = RungStorage(
            bucketCapacity: max(bucketCapacity, self.bucketCapacity),
            chunkCapacity: max(chunkCapacity, self.chunkCapacity))
        s.buckets.update(from: buckets, count: self.bucketCapacity)
        s.pool.update(from: pool, count: chunksUsed * KeyLadder.chunk)
        s.chunkNext.update(from: chunkNext, count: chunksUsed)
        return s
    }
}
