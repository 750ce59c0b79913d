import SimKernel

/// The provider's upgrade of a managed control plane (`upgrade` of `controlplane` on EKS, GKE,
/// LKE). Replicas in several zones are replaced one at a time behind the provider's load
/// balancer: the API never stops (EKS; GKE regional; LKE HA). A single replica (GKE zonal, LKE
/// without HA) is down while it is replaced: GKE's documentation for zonal clusters says
/// workloads keep running but the API is unavailable for the upgrade, several minutes. While
/// it is down kubelets cannot renew Leases, no controller runs and nothing is scheduled;
/// afterwards the new kube-controller-manager starts its controllers from scratch, so the node
/// lifecycle controller counts grace periods from then on, as after a K3S quorum loss.
extension FaultInjector {
    func upgradeManagedControlPlane(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        let cp = ctx.controlPlaneSpec
        let timelines = ctx.faultTimelines
        if cp.managedHighAvailability {
            timelines.mark(
                i, .started, ctx.now, "the provider replaces the control-plane replicas one at a time; the API stays available")
            timelines.mark(
                i, .completed, ctx.now, "highly available control plane: no API unavailability (upgrade duration not modelled)")
            timelines.update(i) { $0.done = true }
            return
        }
        let outage = f.duration ?? cp.managedUpgradeOutage
        timelines.mark(
            i, .started, ctx.now,
            "single-replica control plane replaced: no API for \(outage)\(f.duration == nil ? " (assumption; GKE documents several minutes for zonal clusters)" : ""); kubelets cannot renew Leases, controllers and the scheduler stop"
        )
        ctx.setManagedReplicaDown(true)
        ctx.controlPlaneAvailabilityChanged()
        ctx.schedule(.managedControlPlaneUpgraded(i), after: outage)
    }

    func finishManagedControlPlaneUpgrade(_ i: FaultID, in ctx: FaultInjectorContext) {
        ctx.setManagedReplicaDown(false)
        ctx.restartControllers()
        ctx.controlPlaneAvailabilityChanged()
        ctx.faultTimelines.mark(
            i, .completed, ctx.now,
            "the new control-plane replica serves; kube-controller-manager starts its controllers from scratch (grace periods count from now)"
        )
        ctx.faultTimelines.update(i) { $0.done = true }
    }
}
