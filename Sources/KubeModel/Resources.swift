/// Resource amounts in the units the scheduler computes with: millicores, bytes, counts.
public struct Resources: Hashable, Sendable {
    public var milliCPU: Int64
    public var memoryBytes: Int64
    public var ephemeralStorageBytes: Int64
    /// Extended resources (such as `nvidia.com/gpu`) and hugepages, in whole units.
    public var scalar: [String: Int64]

    public init(
        milliCPU: Int64 = 0, memoryBytes: Int64 = 0, ephemeralStorageBytes: Int64 = 0,
        scalar: [String: Int64] = [:]
    ) {
        self.milliCPU = milliCPU; self.memoryBytes = memoryBytes
        self.ephemeralStorageBytes = ephemeralStorageBytes; self.scalar = scalar
    }

    public static let zero = Resources()

    /// Resources from a `requests`/`capacity` map: CPU in millicores, the rest in whole units.
    ///
    /// `pods` is not a request and is left out.
    public init(_ list: [String: Quantity]) {
        self.init()
        for (name, q) in list {
            switch name {
            case "cpu": milliCPU = q.milliValue
            case "memory": memoryBytes = q.value
            case "ephemeral-storage": ephemeralStorageBytes = q.value
            case "pods": break
            default: scalar[name] = q.value
            }
        }
    }

    public static func + (a: Resources, b: Resources) -> Resources {
        var r = a
        r.add(b)
        return r
    }

    public mutating func add(_ b: Resources) {
        milliCPU += b.milliCPU; memoryBytes += b.memoryBytes; ephemeralStorageBytes += b.ephemeralStorageBytes
        for (k, v) in b.scalar { scalar[k, default: 0] += v }
    }

    public mutating func subtract(_ b: Resources) {
        milliCPU -= b.milliCPU; memoryBytes -= b.memoryBytes; ephemeralStorageBytes -= b.ephemeralStorageBytes
        for (k, v) in b.scalar { scalar[k, default: 0] -= v }
    }

    /// Per-resource maximum.
    public func max(_ b: Resources) -> Resources {
        var r = Resources(
            milliCPU: Swift.max(milliCPU, b.milliCPU), memoryBytes: Swift.max(memoryBytes, b.memoryBytes),
            ephemeralStorageBytes: Swift.max(ephemeralStorageBytes, b.ephemeralStorageBytes), scalar: scalar)
        for (k, v) in b.scalar { r.scalar[k] = Swift.max(r.scalar[k] ?? 0, v) }
        return r
    }
}
