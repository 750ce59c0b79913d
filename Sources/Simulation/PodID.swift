/// A pod of the run: the number the API store gave it when it was created (its key in the
/// store, never reused), as components, events and indexes refer to it.
struct PodID: Hashable, Comparable, Sendable, CustomStringConvertible {
    let number: Int

    init(_ number: Int) { self.number = number }

    /// A pod the store does not hold (the one `explain` evaluates).
    static let outsideTheStore = PodID(-1)

    static func < (a: PodID, b: PodID) -> Bool { a.number < b.number }

    /// The number, as notes and keys print it.
    var description: String { "\(number)" }
}
