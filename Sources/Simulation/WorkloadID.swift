/// A workload of the run (a Deployment, StatefulSet, DaemonSet, Job, standalone ReplicaSet or
/// bare pod) as pods, faults and measurement refer to it: its place in the run's list of
/// workloads, in the order they were created.
struct WorkloadID: Hashable, Comparable, Sendable {
    let index: Int

    init(_ index: Int) { self.index = index }

    /// What a pod the run does not hold belongs to (a pod `explain` evaluates).
    static let outsideTheRun = WorkloadID(-1)

    static func < (a: WorkloadID, b: WorkloadID) -> Bool { a.index < b.index }
}

extension Array where Element == Workload {
    subscript(_ id: WorkloadID) -> Workload {
        get { self[id.index] }
        _modify { yield &self[id.index] }
    }

    /// Every workload's id, in creation order.
    var ids: [WorkloadID] { indices.map(WorkloadID.init) }
}
