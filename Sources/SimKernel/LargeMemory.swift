#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Memory for the event queue's arrays: 64-byte aligned (cache lines); from 4 MiB on,
/// 2 MiB aligned and advised for transparent huge pages on Linux, so that a heap of a
/// million events does not spend its time in TLB misses (measured: `k3sim bench kernel`).
@usableFromInline enum LargeMemory {
    static let hugePage = 2 << 20

    @usableFromInline static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        #if os(Linux)
            if byteCount >= 2 * hugePage {
                var p: UnsafeMutableRawPointer? = nil
                let size = (byteCount + hugePage - 1) / hugePage * hugePage
                if posix_memalign(&p, hugePage, size) == 0, let p {
                    _ = madvise(p, size, 14 /* MADV_HUGEPAGE */)
                    return p
                }
            }
        #endif
        return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    @usableFromInline static func deallocate(_ p: UnsafeMutableRawPointer) {
        // posix_memalign'd and allocate(byteCount:alignment:) memory are both free()d on Linux.
        p.deallocate()
    }
}
