import Simulation

/// StorageClasses, PersistentVolumeClaims, the PersistentVolumes provisioned for them, and
/// CloudNativePG Clusters, as the API (and the operator's status) shows them.
enum StorageObjects {
    /// A provisioned volume's name: `pvc-<claim uid>`, as external provisioners name them.
    static func volumeName(_ c: ServedClaim) -> String { "pvc-" + ServedUID.of("PersistentVolumeClaim", c.namespace, c.name) }

    /// Bytes as a binary-suffixed quantity when exact (10Gi), else plain bytes.
    static func quantity(_ bytes: Int64) -> String {
        for (suffix, unit) in [("Ti", Int64(1) << 40), ("Gi", Int64(1) << 30), ("Mi", Int64(1) << 20), ("Ki", Int64(1) << 10)]
        where bytes >= unit && bytes % unit == 0 { return "\(bytes / unit)\(suffix)" }
        return "\(bytes)"
    }

    /// printers.go `GetAccessModesAsString`'s abbreviations.
    static func accessModes(_ modes: [String]) -> String {
        let short = ["ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"]
        return modes.map { short[$0] ?? $0 }.joined(separator: ",")
    }

    static func storageClass(_ s: ServedStorageClass, rv: Int) -> JSON {
        var meta = Objects.metadata(
            name: s.name, namespace: nil, uid: Objects.uidFor("StorageClass", "", s.name), rv: rv, created: .zero)
        if s.isDefault { meta["annotations"] = ["storageclass.kubernetes.io/is-default-class": "true"] }
        return [
            "kind": "StorageClass", "apiVersion": "storage.k8s.io/v1", "metadata": meta, "provisioner": s.provisioner,
            "reclaimPolicy": "Delete", "allowVolumeExpansion": false,
            "volumeBindingMode": s.waitForFirstConsumer ? "WaitForFirstConsumer" : "Immediate",
        ]
    }

    static func claim(_ c: ServedClaim, rv: Int) -> JSON {
        var spec: JSON = [
            "accessModes": c.accessModes, "volumeMode": "Filesystem",
            "resources": ["requests": ["storage": quantity(c.storageBytes)]],
        ]
        if let sc = c.storageClass { spec["storageClassName"] = sc }
        var status: JSON = ["phase": c.bound ? "Bound" : "Pending"]
        if c.bound {
            spec["volumeName"] = volumeName(c)
            status["accessModes"] = c.accessModes
            status["capacity"] = ["storage": quantity(c.storageBytes)]
        }
        return [
            "kind": "PersistentVolumeClaim", "apiVersion": "v1",
            "metadata": Objects.metadata(
                name: c.name, namespace: c.namespace,
                uid: Objects.uidFor("PersistentVolumeClaim", c.namespace, c.name), rv: rv, created: .zero),
            "spec": spec, "status": status,
        ]
    }

    static func volume(_ c: ServedClaim, rv: Int) -> JSON {
        var spec: JSON = [
            "capacity": ["storage": quantity(c.storageBytes)], "accessModes": c.accessModes,
            "persistentVolumeReclaimPolicy": "Delete", "volumeMode": "Filesystem",
            "claimRef": [
                "kind": "PersistentVolumeClaim", "apiVersion": "v1", "namespace": c.namespace, "name": c.name,
                "uid": Objects.uidFor("PersistentVolumeClaim", c.namespace, c.name),
            ] as JSON,
        ]
        if let sc = c.storageClass { spec["storageClassName"] = sc }
        if let a = c.volumeNodeAffinity {
            spec["nodeAffinity"] = [
                "required": [
                    "nodeSelectorTerms": [
                        [
                            "matchExpressions": [
                                ["key": a.key, "operator": "In", "values": [a.value]] as JSON
                            ]
                        ]
                    ]
                ]
            ]
        }
        let name = volumeName(c)
        var meta = Objects.metadata(
            name: name, namespace: nil, uid: Objects.uidFor("PersistentVolume", "", name), rv: rv, created: .zero)
        meta["annotations"] = ["pv.kubernetes.io/provisioned-by": c.provisioner]
        return ["kind": "PersistentVolume", "apiVersion": "v1", "metadata": meta, "spec": spec, "status": ["phase": "Bound"]]
    }

    static func pgCluster(_ c: ServedPGCluster, rv: Int) -> JSON {
        var status: JSON = ["instances": c.instances, "readyInstances": c.readyInstances, "phase": c.phase]
        if let p = c.currentPrimary { status["currentPrimary"] = p; status["targetPrimary"] = p }
        return [
            "kind": "Cluster", "apiVersion": "postgresql.cnpg.io/v1",
            "metadata": Objects.metadata(
                name: c.name, namespace: c.namespace, uid: Objects.uidFor("Cluster", c.namespace, c.name),
                rv: rv, created: .zero, labels: c.labels),
            "spec": ["instances": c.instances], "status": status,
        ]
    }
}
