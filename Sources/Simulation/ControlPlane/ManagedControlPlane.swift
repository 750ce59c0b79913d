import SimKernel

/// The provider's upgrade of a managed control plane (`upgrade` of `controlplane` on EKS, GKE,
/// LKE). Replicas in several zones are replaced one at a time behind the provider's load
/// balancer: the API never stops (EKS; GKE regional; LKE HA). A single replica (GKE zonal, LKE
/// without HA) is down while it is replaced: GKE's documentation for zonal clusters says
/// workloads keep running but the API is unavailable for the upgrade, several minutes. While
/// it is down kubelets cannot renew Leases, no controller runs and nothing is scheduled;
/// afterwards the new kube-controller-manager starts its controllers from scratch, so the node
/// lifecycle controller counts grace periods from then on, as after a K3S quorum loss.
extension ClusterSimulation {
    func upgradeManagedControlPlane(_ i: Int, _ f: FaultSpec) {
        let cp = spec.controlPlane
        if cp.managedHighAvailability {
            faults.records[i].mark(
                .started, now, "the provider replaces the control-plane replicas one at a time; the API stays available")
            faults.records[i].mark(
                .completed, now, "highly available control plane: no API unavailability (upgrade duration not modelled)")
            faults.records[i].done = true
            return
        }
        let outage = f.duration ?? cp.managedUpgradeOutage
        faults.records[i].mark(
            .started, now,
            "single-replica control plane replaced: no API for \(outage)\(f.duration == nil ? " (assumption; GKE documents several minutes for zonal clusters)" : ""); kubelets cannot renew Leases, controllers and the scheduler stop"
        )
        controlPlane.managedReplicaDown = true
        controlPlaneAvailabilityChanged()
        engine.schedule(.fault(.managedControlPlaneUpgraded(i)), after: outage)
    }

    func finishManagedControlPlaneUpgrade(_ i: Int) {
        controlPlane.managedReplicaDown = false
        restartControllers()
        controlPlaneAvailabilityChanged()
        faults.records[i].mark(
            .completed, now,
            "the new control-plane replica serves; kube-controller-manager starts its controllers from scratch (grace periods count from now)"
        )
        faults.records[i].done = true
    }
}
