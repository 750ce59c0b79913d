/// A node as it is at the start of a run.
///
/// It holds the Node object's name, labels, taints and allocatable, and the pool it belongs to. The
/// catalog builds these from machine types; the simulation starts from them.
public struct NodeSpec: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var taints: [Taint]
    public var unschedulable: Bool
    public var allocatable: Resources
    public var allocatablePods: Int
    /// Pool or role, for reports ("agents", "control-plane").
    public var pool: String

    public init(
        name: String, labels: [String: String] = [:], taints: [Taint] = [], unschedulable: Bool = false,
        allocatable: Resources, allocatablePods: Int = 110, pool: String = ""
    ) {
        self.name = name; self.labels = labels; self.taints = taints; self.unschedulable = unschedulable
        self.allocatable = allocatable; self.allocatablePods = allocatablePods; self.pool = pool
    }
}
