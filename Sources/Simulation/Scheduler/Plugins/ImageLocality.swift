import KubeModel

/// ImageLocality (plugins/imagelocality): favours nodes that already hold the pod's images,
/// weighted by image size and by how widely the image is spread (to avoid piling pods on the one
/// node that has it): sum over the pod's images on the node of size · (nodes with the image / all
/// nodes), clamped to [23 MB, 1000 MB · containers] and scaled to 0..100.
///
/// Image sizes are not in manifests: a named assumption per timing rule (`imageSize`, default 100
/// MiB).
struct ImageLocality: ScorePlugin {
    let name = "ImageLocality"
    static let mb: Int64 = 1024 * 1024
    static let minThreshold: Int64 = 23 * mb
    static let maxContainerThreshold: Int64 = 1000 * mb

    /// Each image's term `size · spread` does not depend on the node: work it out once per
    /// cycle (the score is the sum of the terms of the images the node holds).
    func preScore(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        let total = ctx.cluster.nodeCount
        let size = Double(ctx.cluster.imageSize(for: pod))
        state.imageScores = Set(pod.spec.images.map(ImageLocality.normalized)).map { image in
            (image, Int64(size * (Double(ctx.cluster.nodesWithImage(image)) / Double(max(total, 1)))))
        }
        return true
    }

    func score(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState, into scores: inout [Int64]) {
        let containers = pod.spec.containers.count + pod.spec.initContainers.count
        var sums = [Int64](repeating: 0, count: feasible.count)
        for (image, term) in state.imageScores {
            ctx.cluster.addImageTerm(term, ofImage: image, for: feasible, in: ctx.nodes, into: &sums)
        }
        for j in feasible.indices {
            // At most the lower threshold (a node without the images) clamps to it: 0, without a division.
            scores[j] =
                sums[j] <= ImageLocality.minThreshold ? 0 : ImageLocality.priority(sumScores: sums[j], containers: containers)
        }
    }

    static func priority(sumScores: Int64, containers: Int) -> Int64 {
        let maxThreshold = maxContainerThreshold * Int64(max(containers, 1))
        let s = min(max(sumScores, minThreshold), maxThreshold)
        return Framework.maxNodeScore * (s - minThreshold) / (maxThreshold - minThreshold)
    }

    /// `normalizedImageName`: an image without a tag or digest is `:latest` (a ':' or '@' in
    /// its last non-empty '/'-separated part), scanned as bytes.
    static func normalized(_ image: String) -> String {
        let slash = UInt8(ascii: "/"), colon = UInt8(ascii: ":"), at = UInt8(ascii: "@")
        var tagged = false, inLast = false
        for b in image.utf8.reversed() {
            if b == slash {
                if inLast { break }
                continue
            }
            inLast = true
            if b == colon || b == at { tagged = true; break }
        }
        return tagged ? image : image + ":latest"
    }
}
