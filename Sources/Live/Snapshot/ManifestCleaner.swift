import Foundation

/// Turns live API objects into manifests as a user would write them: no status, no
/// server-set metadata (uid, resourceVersion, managedFields, creationTimestamp, owner
/// references), no last-applied annotation; and leaves out what the scenario adds by itself
/// (K3S's packaged components) or creates itself (claims of StatefulSets and CloudNativePG).
enum ManifestCleaner {
    static let serverMetadata: Set<String> = [
        "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "ownerReferences", "finalizers", "deletionTimestamp",
        "deletionGracePeriodSeconds", "generateName",
    ]
    static let serverAnnotations: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
        "deprecated.daemonset.template.generation", "pv.kubernetes.io/bind-completed",
        "pv.kubernetes.io/bound-by-controller", "volume.kubernetes.io/selected-node",
        "volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/storage-provisioner",
    ]

    /// K3S's packaged components in kube-system, which the scenario adds unless `disable:`
    /// lists them (K3S `--disable` names).
    static let k3sComponents: [(kind: String, name: String, component: String)] = [
        ("Deployment", "coredns", "coredns"), ("Deployment", "metrics-server", "metrics-server"),
        ("Deployment", "local-path-provisioner", "local-storage"), ("Deployment", "traefik", "traefik"),
    ]

    /// The `disable:` list for the components the cluster does not run, and whether an object
    /// is one of those the scenario adds itself.
    static func k3sDisabled(deployments: [JSONValue], daemonSets: [JSONValue]) -> [String] {
        var disabled: [String] = []
        for c in k3sComponents where !deployments.contains(where: { $0.namespace == "kube-system" && $0.name == c.name }) {
            disabled.append(c.component)
        }
        if !daemonSets.contains(where: isServiceLB) { disabled.append("servicelb") }
        return disabled
    }

    static func isServiceLB(_ o: JSONValue) -> Bool {
        o.namespace == "kube-system" && (o.name.hasPrefix("svclb-") || o.labels["svccontroller.k3s.cattle.io/svcname"] != nil)
    }

    static func isK3sComponent(_ o: JSONValue, kind: String) -> Bool {
        if kind == "DaemonSet" { return isServiceLB(o) }
        return o.namespace == "kube-system" && k3sComponents.contains { $0.kind == kind && $0.name == o.name }
    }

    static func clean(_ o: JSONValue, apiVersion: String, kind: String) -> JSONValue {
        var out: [String: JSONValue] = ["apiVersion": .string(apiVersion), "kind": .string(kind)]
        var meta = (o["metadata"]?.object ?? [:]).filter { !serverMetadata.contains($0.key) }
        if var ann = meta["annotations"]?.object {
            ann = ann.filter { !serverAnnotations.contains($0.key) }
            meta["annotations"] = ann.isEmpty ? nil : .object(ann)
        }
        out["metadata"] = .object(meta)
        if var spec = o["spec"] {
            // Pod templates carry `creationTimestamp: null` in every live object.
            if var template = spec["template"], var tmeta = template["metadata"]?.object {
                tmeta["creationTimestamp"] = nil
                template["metadata"] = .object(tmeta)
                spec["template"] = template
            }
            if kind == "StatefulSet", var claims = spec["volumeClaimTemplates"]?.array {
                for i in claims.indices {
                    claims[i]["status"] = nil
                    if var m = claims[i]["metadata"]?.object { m["creationTimestamp"] = nil; claims[i]["metadata"] = .object(m) }
                }
                spec["volumeClaimTemplates"] = .array(claims)
            }
            if kind == "Service" { spec = cleanService(spec) }
            if kind == "PersistentVolumeClaim" { spec = cleanClaim(spec) }
            out["spec"] = spec
        }
        if kind == "PriorityClass" {
            for k in ["value", "globalDefault", "preemptionPolicy", "description"] { out[k] = o[k] }
        }
        return .object(out)
    }

    /// The scheduler only needs a Service's selector (spreading); allocated addresses and
    /// ports differ per cluster and are dropped.
    static func cleanService(_ spec: JSONValue) -> JSONValue {
        var s: [String: JSONValue] = [:]
        if let sel = spec["selector"] { s["selector"] = sel }
        if let t = spec["type"] { s["type"] = t }
        if let ports = spec["ports"]?.array {
            s["ports"] = .array(ports.map { p in .object((p.object ?? [:]).filter { $0.key != "nodePort" }) })
        }
        return .object(s)
    }

    /// A claim as requested, not as bound (volumeName and volumeMode are the binder's).
    static func cleanClaim(_ spec: JSONValue) -> JSONValue {
        .object((spec.object ?? [:]).filter { ["accessModes", "resources", "storageClassName", "selector"].contains($0.key) })
    }

    /// Claims the scenario's controllers create themselves: a StatefulSet's (`<template>-<set>-<ordinal>`)
    /// and CloudNativePG's (owned by a Cluster).
    static func isControllerClaim(_ pvc: JSONValue, statefulSets: [JSONValue]) -> Bool {
        if pvc[path: "metadata", "ownerReferences"]?.array?.isEmpty == false { return true }
        for s in statefulSets where s.namespace == pvc.namespace {
            for t in s[path: "spec", "volumeClaimTemplates"]?.array ?? [] where pvc.name.hasPrefix("\(t.name)-\(s.name)-") {
                return true
            }
        }
        return false
    }
}
