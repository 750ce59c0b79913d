import SimKernel
import Simulation

/// The `Table` format (meta.k8s.io/v1) kubectl asks for: the columns the real API server
/// prints for each resource, ages in simulated time; each row carries the full object.
enum Tables {
    struct Column {
        let name: String
        let priority: Int
        var type = "string"
        var format = ""
    }

    static func columns(for kind: String) -> [Column] {
        switch kind {
        case "Node":
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Status", priority: 0),
                Column(name: "Roles", priority: 0), Column(name: "Age", priority: 0), Column(name: "Version", priority: 0),
                Column(name: "Internal-IP", priority: 1), Column(name: "External-IP", priority: 1),
                Column(name: "OS-Image", priority: 1), Column(name: "Kernel-Version", priority: 1),
                Column(name: "Container-Runtime", priority: 1),
            ]
        case "Pod":
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Ready", priority: 0),
                Column(name: "Status", priority: 0), Column(name: "Restarts", priority: 0), Column(name: "Age", priority: 0),
                Column(name: "IP", priority: 1), Column(name: "Node", priority: 1),
                Column(name: "Nominated Node", priority: 1), Column(name: "Readiness Gates", priority: 1),
            ]
        case "Deployment":
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Ready", priority: 0),
                Column(name: "Up-to-date", priority: 0, type: "integer"), Column(name: "Available", priority: 0, type: "integer"),
                Column(name: "Age", priority: 0), Column(name: "Containers", priority: 1), Column(name: "Images", priority: 1),
            ]
        case "ReplicaSet", "StatefulSet":
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Desired", priority: 0, type: "integer"),
                Column(name: "Current", priority: 0, type: "integer"), Column(name: "Ready", priority: 0, type: "integer"),
                Column(name: "Age", priority: 0),
            ]
        case "DaemonSet":
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Desired", priority: 0, type: "integer"),
                Column(name: "Current", priority: 0, type: "integer"), Column(name: "Ready", priority: 0, type: "integer"),
                Column(name: "Up-to-date", priority: 0, type: "integer"), Column(name: "Available", priority: 0, type: "integer"),
                Column(name: "Age", priority: 0),
            ]
        case "PodDisruptionBudget":
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Min Available", priority: 0),
                Column(name: "Max Unavailable", priority: 0), Column(name: "Allowed Disruptions", priority: 0, type: "integer"),
                Column(name: "Age", priority: 0),
            ]
        case "Event":
            return [
                Column(name: "Last Seen", priority: 0), Column(name: "Type", priority: 0), Column(name: "Reason", priority: 0),
                Column(name: "Object", priority: 0), Column(name: "Message", priority: 0),
            ]
        case "Lease":
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Holder", priority: 0),
                Column(name: "Age", priority: 0),
            ]
        case "Service":
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Type", priority: 0),
                Column(name: "Cluster-IP", priority: 0), Column(name: "External-IP", priority: 0),
                Column(name: "Port(s)", priority: 0), Column(name: "Age", priority: 0), Column(name: "Selector", priority: 1),
            ]
        case "Endpoints":
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Endpoints", priority: 0),
                Column(name: "Age", priority: 0),
            ]
        case "EndpointSlice":
            return ["Name", "AddressType", "Ports", "Endpoints", "Age"].enumerated()
                .map { Column(name: $0.element, priority: 0, format: $0.offset == 0 ? "name" : "") }
        case "StorageClass":
            return ["Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age"].enumerated()
                .map { Column(name: $0.element, priority: 0, format: $0.offset == 0 ? "name" : "") }
        case "PersistentVolumeClaim":
            return ["Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass", "Age"].enumerated()
                .map { Column(name: $0.element, priority: 0, format: $0.offset == 0 ? "name" : "") }
                + [Column(name: "VolumeMode", priority: 1)]
        case "PersistentVolume":
            return ["Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass", "Reason", "Age"]
                .enumerated()
                .map { Column(name: $0.element, priority: 0, format: $0.offset == 0 ? "name" : "") }
                + [Column(name: "VolumeMode", priority: 1)]
        case "Cluster":
            // The CloudNativePG CRD's additionalPrinterColumns.
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Age", priority: 0),
                Column(name: "Instances", priority: 0, type: "integer"), Column(name: "Ready", priority: 0, type: "integer"),
                Column(name: "Status", priority: 0), Column(name: "Primary", priority: 0),
            ]
        default:
            return [
                Column(name: "Name", priority: 0, format: "name"), Column(name: "Status", priority: 0),
                Column(name: "Age", priority: 0),
            ]
        }
    }

    /// One object's cells, in the order of `columns(for:)`.
    static func cells(_ object: JSON, now: SimTime) -> [Any] {
        let kind = object["kind"] as? String ?? ""
        let meta = object["metadata"] as? JSON ?? [:]
        let name = meta["name"] as? String ?? ""
        let age = ageOf(meta, now: now)
        let spec = object["spec"] as? JSON ?? [:], status = object["status"] as? JSON ?? [:]
        switch kind {
        case "Node": return nodeCells(object, name: name, age: age)
        case "Pod": return podCells(object, name: name, age: age, now: now)
        case "Deployment":
            let containers = (((spec["template"] as? JSON)?["spec"] as? JSON)?["containers"] as? [JSON]) ?? []
            return [
                name, "\(int(status["readyReplicas"]))/\(int(spec["replicas"]))", int(status["updatedReplicas"]),
                int(status["availableReplicas"]), age, containers.compactMap { $0["name"] as? String }.joined(separator: ","),
                containers.compactMap { $0["image"] as? String }.joined(separator: ","),
            ]
        case "ReplicaSet", "StatefulSet":
            return [name, int(spec["replicas"]), int(status["replicas"]), int(status["readyReplicas"]), age]
        case "DaemonSet":
            return [
                name, int(status["desiredNumberScheduled"]), int(status["currentNumberScheduled"]), int(status["numberReady"]),
                int(status["updatedNumberScheduled"]), int(status["numberAvailable"]), age,
            ]
        case "PodDisruptionBudget":
            return [
                name, spec["minAvailable"].map { "\($0)" } ?? "N/A", spec["maxUnavailable"].map { "\($0)" } ?? "N/A",
                int(status["disruptionsAllowed"]), age,
            ]
        case "Event":
            let inv = object["involvedObject"] as? JSON ?? [:]
            return [
                age, object["type"] ?? "", object["reason"] ?? "",
                "\((inv["kind"] as? String ?? "").lowercased())/\(inv["name"] as? String ?? "")", object["message"] ?? "",
            ]
        case "Lease": return [name, spec["holderIdentity"] ?? "", age]
        case "Service":
            let selector = (spec["selector"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map {
                "\($0.key)=\($0.value)"
            }
            return [
                name, spec["type"] ?? "", spec["clusterIP"] ?? "", "<none>", "<none>", age,
                selector.isEmpty ? "<none>" : selector.joined(separator: ","),
            ]
        case "Endpoints": return [name, ServiceObjects.endpointsCell(object), age]
        case "EndpointSlice":
            return [name, object["addressType"] ?? "", "<unset>", ServiceObjects.sliceEndpointsCell(object), age]
        default: return storageCells(object, kind: kind, name: name, age: age)
        }
    }

    static func storageCells(_ object: JSON, kind: String, name: String, age: String) -> [Any] {
        let meta = object["metadata"] as? JSON ?? [:]
        let spec = object["spec"] as? JSON ?? [:], status = object["status"] as? JSON ?? [:]
        let capacity = ((status["capacity"] ?? spec["capacity"]) as? JSON)?["storage"] as? String ?? ""
        let modes = StorageObjects.accessModes((status["accessModes"] ?? spec["accessModes"]) as? [String] ?? [])
        switch kind {
        case "StorageClass":
            let isDefault = (meta["annotations"] as? [String: String])?["storageclass.kubernetes.io/is-default-class"] == "true"
            return [
                isDefault ? "\(name) (default)" : name, object["provisioner"] ?? "", object["reclaimPolicy"] ?? "",
                object["volumeBindingMode"] ?? "", "\(object["allowVolumeExpansion"] as? Bool ?? false)", age,
            ]
        case "PersistentVolumeClaim":
            return [
                name, status["phase"] ?? "", spec["volumeName"] ?? "", capacity, modes, spec["storageClassName"] ?? "", age,
                spec["volumeMode"] ?? "",
            ]
        case "PersistentVolume":
            let ref = spec["claimRef"] as? JSON ?? [:]
            return [
                name, capacity, modes, spec["persistentVolumeReclaimPolicy"] ?? "", status["phase"] ?? "",
                "\(ref["namespace"] as? String ?? "")/\(ref["name"] as? String ?? "")", spec["storageClassName"] ?? "", "", age,
                spec["volumeMode"] ?? "",
            ]
        case "Cluster":
            return [
                name, age, int(status["instances"]), int(status["readyInstances"]), status["phase"] ?? "",
                status["currentPrimary"] ?? "",
            ]
        default: return [name, status["phase"] ?? "", age]
        }
    }

    static func nodeCells(_ object: JSON, name: String, age: String) -> [Any] {
        let spec = object["spec"] as? JSON ?? [:], status = object["status"] as? JSON ?? [:]
        let ready = ((status["conditions"] as? [JSON])?.first { $0["type"] as? String == "Ready" })?["status"] as? String
        var state = ready == "True" ? "Ready" : (ready == "False" ? "NotReady" : "NotReady")
        if spec["unschedulable"] as? Bool == true { state += ",SchedulingDisabled" }
        let labels = (object["metadata"] as? JSON)?["labels"] as? [String: String] ?? [:]
        let roles = labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }
            .map { String($0.dropFirst("node-role.kubernetes.io/".count)) }.sorted()
        let info = status["nodeInfo"] as? JSON ?? [:]
        let ip = ((status["addresses"] as? [JSON])?.first { $0["type"] as? String == "InternalIP" })?["address"] ?? "<none>"
        return [
            name, state, roles.isEmpty ? "<none>" : roles.joined(separator: ","), age, info["kubeletVersion"] ?? "", ip,
            "<none>", info["osImage"] ?? "", info["kernelVersion"] ?? "", info["containerRuntimeVersion"] ?? "",
        ]
    }

    static func podCells(_ object: JSON, name: String, age: String, now: SimTime) -> [Any] {
        let meta = object["metadata"] as? JSON ?? [:]
        let spec = object["spec"] as? JSON ?? [:], status = object["status"] as? JSON ?? [:]
        let containers = status["containerStatuses"] as? [JSON] ?? []
        let ready = containers.filter { $0["ready"] as? Bool == true }.count
        var phase = status["phase"] as? String ?? ""
        // printers.go printPod: a waiting container's reason, Terminating while being deleted.
        let waiting = containers.compactMap { (($0["state"] as? JSON)?["waiting"] as? JSON)?["reason"] as? String }.first
        if meta["deletionTimestamp"] != nil {
            phase = "Terminating"
        } else if let waiting, spec["nodeName"] != nil {
            phase = waiting
        }
        let restarts = containers.reduce(0) { $0 + int($1["restartCount"]) }
        // printPod: "3 (2m ago)", from the newest lastState.terminated.finishedAt.
        let lastExit = containers.compactMap {
            ((($0["lastState"] as? JSON)?["terminated"] as? JSON)?["finishedAt"] as? String).flatMap(parse)
        }.max()
        let restartCell =
            lastExit.map { restarts > 0 ? "\(restarts) (\(SimClock.age(from: $0, to: now)) ago)" : "\(restarts)" }
            ?? "\(restarts)"
        return [
            name, "\(ready)/\(containers.count)", phase, restartCell, age, status["podIP"] ?? "<none>",
            spec["nodeName"] ?? "<none>", status["nominatedNodeName"] ?? "<none>", "<none>",
        ]
    }

    static func int(_ v: Any?) -> Int { v as? Int ?? 0 }

    static func ageOf(_ meta: JSON, now: SimTime) -> String {
        guard let ts = meta["creationTimestamp"] as? String, let t = parse(ts) else { return "<unknown>" }
        return SimClock.age(from: t, to: now)
    }

    /// The inverse of `SimClock.timestamp` for the timestamps this server writes.
    static func parse(_ ts: String) -> SimTime? {
        let digits = ts.split { !$0.isNumber }.compactMap { Int64($0) }
        guard digits.count >= 6 else { return nil }
        let (y, m, d) = (digits[0], digits[1], digits[2])
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let secs = days * 86_400 + digits[3] * 3600 + digits[4] * 60 + digits[5]
        return .seconds(secs - SimClock.epoch)
    }

    static func table(_ objects: [JSON], kind: String, rv: Int, now: SimTime) -> JSON {
        let cols: [JSON] = columns(for: kind).map {
            ["name": $0.name, "type": $0.type, "format": $0.format, "description": $0.name, "priority": $0.priority]
        }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": ["resourceVersion": String(rv)],
            "columnDefinitions": cols,
            "rows": objects.map { ["cells": cells($0, now: now), "object": $0] as JSON },
        ]
    }
}
