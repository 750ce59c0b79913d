/// A Kubernetes event a component posts about something the store's changes alone do not
/// tell apart (see `ClusterSimulation.componentEvents`).
enum ComponentEvent {
    /// kube-scheduler could not place the pod; `message` is its FitError text.
    case failedScheduling(pod: PodID, message: String)
    /// The pod got its deletionTimestamp; `reason` names who deleted it ("ScaleDown",
    /// "DeletionByTaintManager", "PreemptionByScheduler", …).
    case podDeletion(pod: PodID, reason: String)
}
