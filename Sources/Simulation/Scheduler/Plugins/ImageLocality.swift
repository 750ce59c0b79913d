import KubeModel

/// ImageLocality (plugins/imagelocality): favours nodes that already hold the pod's
/// images, weighted by image size and by how widely the image is spread (to avoid
/// piling pods on the one node that has it):
/// sum over the pod's images on the node of size · (nodes with the image / all nodes),
/// clamped to [23 MB, 1000 MB · containers] and scaled to 0..100.
/// Image sizes are not in manifests: a named assumption per timing rule (`imageSize`,
/// default 100 MiB).
struct ImageLocality: ScorePlugin {
    let name = "ImageLocality"
    static let mb: Int64 = 1024 * 1024
    static let minThreshold: Int64 = 23 * mb
    static let maxContainerThreshold: Int64 = 1000 * mb

    func score(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> Int64 {
        let total = ctx.sim.nodes.count
        var sum: Int64 = 0
        for image in Set(pod.spec.images.map(ImageLocality.normalized)) where node.images.contains(image) {
            let spread = Double(ctx.sim.imageNodeCount[image] ?? 0) / Double(max(total, 1))
            sum += Int64(Double(ctx.sim.imageSize(for: pod)) * spread)
        }
        return ImageLocality.priority(sumScores: sum, containers: pod.spec.containers.count + pod.spec.initContainers.count)
    }

    static func priority(sumScores: Int64, containers: Int) -> Int64 {
        let maxThreshold = maxContainerThreshold * Int64(max(containers, 1))
        let s = min(max(sumScores, minThreshold), maxThreshold)
        return Framework.maxNodeScore * (s - minThreshold) / (maxThreshold - minThreshold)
    }

    /// `normalizedImageName`: an image without a tag or digest is `:latest`.
    static func normalized(_ image: String) -> String {
        let last = image.split(separator: "/").last.map(String.init) ?? image
        return last.contains(":") || last.contains("@") ? image : image + ":latest"
    }
}
