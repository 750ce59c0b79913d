import KubeModel
import Simulation

/// What the run's notes say about claims nobody will provision: the event the PV controller
/// leaves on the claim (pkg/controller/volume/persistentvolume/pv_controller.go:
/// `syncUnboundClaim` FailedBinding for a claim without a class, `provisionClaim`
/// ProvisioningFailed for a class that does not exist, `provisionClaimOperationExternal`
/// ExternalProvisioning while waiting for a provisioner), and that the claim and every pod
/// that mounts it stay Pending.
enum StorageNotes {
    /// The claim's event when it cannot be provisioned on `storage`, or nil when it can.
    static func problem(storageClassName: String?, in storage: StorageSpec) -> String? {
        guard let name = storageClassName ?? storage.defaultClass, !name.isEmpty else {
            let why = storageClassName == nil ? "no StorageClass is marked default, so it has no class: " : ""
            return why + "no persistent volumes available for this claim and no storage class is set"
        }
        guard let sc = storage.storageClass(name) else { return "storageclass.storage.k8s.io \"\(name)\" not found" }
        guard sc.provisionerRuns else {
            return StorageClassSpec.externalProvisioningMessage(PlatformStorage.csiName(sc.provisioner))
                + " (nothing runs \(sc.provisioner) on this platform)"
        }
        return nil
    }

    /// One note per claim, claim template or CloudNativePG cluster whose volumes cannot be provisioned.
    static func notes(_ w: Workloads, storage: StorageSpec) -> [String] {
        var subjects: [(String, String?)] = w.persistentVolumeClaims.map {
            ("PersistentVolumeClaim \($0.metadata.key)", $0.storageClassName)
        }
        for s in w.statefulSets {
            for t in s.volumeClaimTemplates {
                subjects.append(("StatefulSet \(s.metadata.key) claim template \(t.metadata.name)", t.storageClassName))
            }
        }
        subjects += w.cnpgClusters.map { ("CloudNativePG Cluster \($0.metadata.key) storage", $0.storageClass) }
        let known = storage.classes.map { $0.name + ($0.name == storage.defaultClass ? " (default)" : "") }
        let idle = storage.classes.filter { !$0.provisionerRuns }.map {
            "StorageClass \($0.name): nothing runs its provisioner \($0.provisioner) on this platform, so claims of this class stay Pending."
        }
        return idle
            + subjects.compactMap { subject, className in
                problem(storageClassName: className, in: storage).map {
                    "\(subject): \($0); the claim stays Pending and so does every pod that mounts it"
                        + " (StorageClasses here: \(known.isEmpty ? "none" : known.joined(separator: ", ")))."
                }
            }
    }
}
