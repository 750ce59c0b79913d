import KubeModel
import SimKernel

/// The images on each node, as the kubelet pulls them and the scheduler's ImageLocality reads
/// them.
extension ClusterSimulation {
    /// The image size assumption for a pod's images (ImageLocality).
    func imageSize(for pod: SimPod) -> Int64 {
        for rule in spec.timing where rule.selector.matches(pod.labels) {
            if let s = rule.imageSizeBytes { return s }
        }
        return PodTimingRule.defaultImageSizeBytes
    }

    /// Records an image as present on a node (names normalised as the scheduler compares them).
    func imagePresent(_ image: String, on n: Int) {
        let name = ImageLocality.normalized(image)
        guard !nodes[n].images.contains(name) else { return }
        store.update(node: n) { node in
            node.images.insert(name)
            node.imageCount += 1
        }
        imageNodeCount[name, default: 0] += 1
    }

    func hasImage(_ image: String, on n: Int) -> Bool { nodes[n].images.contains(ImageLocality.normalized(image)) }
}
