import KubeModel
import SimKernel

/// How long a container takes to stop once the kubelet kills it (kubernetes
/// `pkg/kubelet/kuberuntime/kuberuntime_container.go` `killContainer`): with a grace period above 0
/// the preStop hook runs first, for at most the grace period; what it used is taken off the grace
/// period (whole seconds); the container then gets SIGTERM and at least
/// `minimumGracePeriodInSeconds` 2 s before SIGKILL.
///
/// Only a `sleep` hook has a duration the manifest gives; other hooks take no time here (the run's
/// notes say so).
enum Termination {
    static let minimumGracePeriod = SimTime.seconds(2)

    static func exitAfter(preStopSleepSeconds sleep: Int64?, shutdown: SimTime, grace: SimTime) -> SimTime {
        var remaining = grace
        var hook = SimTime.zero
        if let sleep, grace > .zero {
            hook = min(.seconds(sleep), grace)
            remaining = grace - .seconds(hook.microseconds / 1_000_000)
        }
        return hook + min(shutdown, max(remaining, minimumGracePeriod))
    }

    /// The longest preStop sleep of the pod's containers (they are killed in parallel).
    static func preStopSleep(_ spec: PodSpec) -> Int64? { spec.containers.compactMap(\.preStopSleepSeconds).max() }
}
