/// A fault of the scenario as the timelines, the injector and the components that report to
/// them refer to it: its place in the scenario's list of faults.
struct FaultID: Hashable, Comparable, Sendable, CustomStringConvertible {
    let index: Int

    init(_ index: Int) { self.index = index }

    static func < (a: FaultID, b: FaultID) -> Bool { a.index < b.index }

    /// The index, as timelines name a fault ("fault 2").
    var description: String { "\(index)" }
}

extension Array where Element == FaultRecord {
    subscript(_ id: FaultID) -> FaultRecord {
        get { self[id.index] }
        _modify { yield &self[id.index] }
    }

    /// Every fault's id, in scenario order.
    var ids: [FaultID] { indices.map(FaultID.init) }
}
