/// Per image: whether each node holds it, so that ImageLocality scores hundreds of feasible nodes
/// per cycle without hashing the image name into every node's image set.
///
/// A node's images only ever grow (`imagePresent`), so an unchanged image count means an unchanged
/// set: a node is looked up again only when its count moved, and one found to hold the image never
/// again.
struct ImagePresence {
    var holds: [Bool] = []
    /// Per node, the image count `holds` was read at (−1: not yet).
    var readAt: [Int32] = []
}

extension ClusterSimulation {
    /// Adds `term` to `sums[j]` for each of `feasible` (in `nodes`, the cycle's snapshot)
    /// that holds `image`, without an array of answers per image.
    func addTerm(_ term: Int64, ofImage image: String, for feasible: [Int], in nodes: [SimNode], into sums: inout [Int64]) {
        var p = schedulerCache.imagePresence.removeValue(forKey: image) ?? ImagePresence()
        if p.holds.count < nodes.count {
            p.holds += Array(repeating: false, count: nodes.count - p.holds.count)
            p.readAt += Array(repeating: -1, count: nodes.count - p.readAt.count)
        }
        let verify = schedulerCache.matchCounts.verify
        for (j, n) in feasible.enumerated() {
            // A node that held the image still does (images are only added): its count is not read.
            if !p.holds[n] {
                let count = nodes[n].imageCount
                if p.readAt[n] != count {
                    p.holds[n] = nodes[n].images.contains(image)
                    p.readAt[n] = count
                }
            }
            if verify {
                precondition(p.holds[n] == nodes[n].images.contains(image), "ImagePresence: stale for \(nodes[n].name)")
            }
            if p.holds[n] { sums[j] += term }
        }
        schedulerCache.imagePresence[image] = p
    }
}
