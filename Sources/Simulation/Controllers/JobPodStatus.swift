import KubeModel

/// A failed Job pod's status as a podFailurePolicy reads it: its containers' exit codes and
/// its DisruptionTarget condition.
enum JobPodStatus {
    /// 128 + SIGTERM: what a container killed by the default action of the kubelet's SIGTERM
    /// reports (an assumption: a process that handles the signal may exit otherwise).
    static let terminatedBySignal: Int32 = 143
    /// What the kubelet reports for a container it can no longer find, as after the node
    /// rebooted (pkg/kubelet/kubelet_pods.go `convertToAPIContainerStatuses`: reason
    /// ContainerStatusUnknown, exit code 137).
    static let statusUnknown: Int32 = 137

    /// The run ended non-zero: the first app container with `exitCode`, the other app
    /// containers and the init containers (which completed before them) with 0.
    static func exited(_ pod: SimPod, exitCode: Int32) -> FailedPodStatus {
        let apps = pod.spec.containers.enumerated().map { i, c in
            FailedPodStatus.ContainerState(name: c.name, exitCode: i == 0 ? exitCode : 0)
        }
        return status(pod, apps: apps, initExitCode: 0)
    }

    /// Deleted before it finished: containers that had started were stopped by the kubelet
    /// (`terminatedBySignal`); containers that had not have no terminated state to match.
    static func deleted(_ pod: SimPod, containersStarted: Bool) -> FailedPodStatus {
        let code: Int32? = containersStarted ? terminatedBySignal : nil
        let apps = pod.spec.containers.map { FailedPodStatus.ContainerState(name: $0.name, exitCode: code) }
        return status(pod, apps: apps, initExitCode: containersStarted ? 0 : nil)
    }

    /// The node under it restarted and its containers are gone.
    static func lost(_ pod: SimPod) -> FailedPodStatus {
        let apps = pod.spec.containers.map { FailedPodStatus.ContainerState(name: $0.name, exitCode: statusUnknown) }
        return status(pod, apps: apps, initExitCode: 0)
    }

    private static func status(
        _ pod: SimPod, apps: [FailedPodStatus.ContainerState], initExitCode: Int32?
    ) -> FailedPodStatus {
        FailedPodStatus(
            namespace: pod.namespace, name: pod.name, containers: apps,
            initContainers: pod.spec.initContainers.map { .init(name: $0.name, exitCode: initExitCode) },
            conditions: pod.disruptionTarget == nil ? [] : [.init(type: "DisruptionTarget", status: "True")])
    }
}
