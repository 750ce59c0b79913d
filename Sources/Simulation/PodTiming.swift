import KubeModel
import SimKernel

/// How long a pod's image pull, container start, application start and shutdown take: per
/// field, the first timing rule matching the pod's labels that sets it, else the defaults.
typealias PodTiming = (
    imagePull: Distribution, containerStart: Distribution, appReady: Distribution, shutdown: Distribution
)

extension ClusterSimulation {
    func timing(for pod: SimPod) -> PodTiming {
        let d = PodTimingRule.self
        var pull: Distribution?, start: Distribution?, app: Distribution?, stop: Distribution?
        for rule in spec.timing where rule.selector.matches(pod.labels) {
            pull = pull ?? rule.imagePull
            start = start ?? rule.containerStart
            app = app ?? rule.appReady
            stop = stop ?? rule.shutdown
        }
        return (pull ?? d.defaultImagePull, start ?? d.defaultContainerStart, app ?? d.defaultAppReady, stop ?? d.defaultShutdown)
    }

    /// A sample from the stream (entity, purpose), drawn in sequence.
    func draw(_ entity: String, _ purpose: String, _ distribution: Distribution) -> Double {
        drawInSequence(entity, purpose) { max(0, distribution.sample(&$0)) }
    }
}
