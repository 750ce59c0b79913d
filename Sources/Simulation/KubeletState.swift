import SimKernel

/// What the kubelets keep to themselves, apart from the API objects: per node the Lease
/// timer and the backoff of failing renewals, per pod how far its start got and the
/// generation that invalidates pending work when the kubelet's plans change.
struct KubeletState {
    var nodes: [KubeletNodeState] = []
    var pods: [Int: KubeletPodState] = [:]

    func pod(_ id: Int) -> KubeletPodState { pods[id] ?? KubeletPodState() }
}

struct KubeletNodeState {
    var leaseTimer: EventID?
    /// Current retry backoff of failed Lease updates (zero: the last one succeeded).
    var leaseBackoff: SimTime = .zero
}

struct KubeletPodState {
    /// The machine epoch in which the kubelet admitted the pod (nil: not admitted).
    var admittedEpoch: Int?
    /// Past volume attachment, on to pulling and starting.
    var startRequested = false
    /// Incremented whenever the kubelet's pending work for this pod becomes stale.
    var generation = 0
    var imagesPending = 0
    /// The prober worker's start: probes run at this + k · periodSeconds.
    var probeGridStart: SimTime = .zero
    /// The prober found it ready (whether or not the API heard it yet).
    var probedReady = false
}
