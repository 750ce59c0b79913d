import DequeModule
import SimKernel

/// What the kubelet on one node keeps to itself: the Lease timer and the backoff of failing
/// renewals, and its serialized image pulls (apart from `SimNode`, which the scheduler copies).
struct KubeletNodeState {
    /// Increments when the machine stops; the kubelet's events from before carry an older one
    /// and are dropped.
    var epoch = 0
    var leaseTimer: EventID?
    /// Current retry backoff of failed Lease updates (zero: the last one succeeded).
    var leaseBackoff: SimTime = .zero
    /// Pulls waiting, in order (`serializeImagePulls` true: one at a time).
    var pullQueue = Deque<(pod: PodID, image: String)>()
    var pulling = false
}

/// What the kubelet keeps about one pod: how far its start got, and the generation that
/// invalidates pending work when the kubelet's plans change.
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
