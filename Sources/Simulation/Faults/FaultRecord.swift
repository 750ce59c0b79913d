import KubeModel
import SimKernel

/// One injected fault and what is tracked for its timeline: what the fault hit (its nodes,
/// the workloads serving there, the pod or Deployment it acts on), which the timelines need
/// to tell which later events belong to it, and the milestones so far.
struct FaultRecord {
    var result: FaultResult
    let spec: FaultSpec
    var nodes: [Int] = []
    /// Workloads that lost serving pods when the fault hit, and those of them that a
    /// controller replaces (Deployment, ReplicaSet).
    var affected: Set<WorkloadID> = []
    var replaceable: Set<WorkloadID> = []
    var deployment: Int?
    var workload: WorkloadID?
    /// crash-container and fail-probe: the pod whose container fails.
    var pod: PodID?
    var done = false
    /// Per node milestone: the nodes it happened to so far, in order.
    var milestoneNodes: [MilestoneName: [String]] = [:]

    mutating func mark(_ name: MilestoneName, _ t: SimTime, _ mechanism: String, replace: Bool = false) {
        if let i = result.milestones.firstIndex(where: { $0.name == name }) {
            guard replace else { return }
            result.milestones[i] = Milestone(name: name, at: t.seconds, mechanism: mechanism)
        } else {
            result.milestones.append(Milestone(name: name, at: t.seconds, mechanism: mechanism))
        }
    }

    func has(_ name: MilestoneName) -> Bool { result.milestones.contains { $0.name == name } }

    /// A milestone that happens node by node (a zone fault hits several): one line naming every
    /// node so far, at the time of the latest.
    ///
    /// `text` gets the nodes' names.
    mutating func markNode(_ name: MilestoneName, _ node: String, _ t: SimTime, _ text: ([String]) -> String) {
        var list = milestoneNodes[name] ?? []
        if !list.contains(node) { list.append(node) }
        milestoneNodes[name] = list
        mark(name, t, text(list), replace: true)
    }
}

/// "agents-2", or "3 nodes (agents-1, agents-2, server-1)"; with `noun`, "node agents-2".
func describeNodes(_ names: [String], noun: Bool = false) -> String {
    if names.count == 1 { return noun ? "node \(names[0])" : names[0] }
    return "\(names.count) nodes (\(names.joined(separator: ", ")))"
}

func formatSeconds(_ s: Double) -> String {
    let r = (s * 10).rounded() / 10
    return r == r.rounded() ? "\(Int(r)) s" : "\(r) s"
}
