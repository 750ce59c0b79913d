/// Stable content hash of a scenario's text, so that saving the same scenario twice reuses one row.
///
/// FNV-1a 64-bit over the UTF-8 bytes, written as 16 lowercase hex digits: deterministic across
/// platforms and processes (unlike `Hasher`, which is seeded per process) and free of any crypto
/// dependency. It only deduplicates; it is not a security boundary, and `ResultStore` compares
/// the full text before reusing a row, so a collision is reported instead of silently merged.
enum ContentHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    static func fnv1a64(_ text: String) -> String {
        var hash = offsetBasis
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
