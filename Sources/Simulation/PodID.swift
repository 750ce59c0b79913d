/// A pod of the run: the number the API store gave it when it was created (its key in the
/// store, never reused), as components, events and indexes refer to it.
struct PodID: Hashable, Comparable, Sendable, CustomStringConvertible {
    let number: Int

    init(_ number: Int) { self.number = number }

    /// A pod the store does not hold (the one `explain` evaluates).
    static let outsideTheStore = PodID(-1)

    static func < (a: PodID, b: PodID) -> Bool { a.number < b.number }

    /// Hashes as `Int` does.
    ///
    /// A synthesized conformance would run the full Hasher for every lookup, where `Int` takes
    /// the single-word shortcut; pod sets and dictionaries are on every event's path (about 4 %
    /// of `bench scale large-500`).
    func hash(into hasher: inout Hasher) { hasher.combine(number) }
    func _rawHashValue(seed: Int) -> Int { number._rawHashValue(seed: seed) }

    /// The number, as notes and keys print it.
    var description: String { "\(number)" }
}
