import Foundation
import KubeModel
import SimKernel
import Simulation

/// The scenario's own fields (not Kubernetes objects): every duration, count, rate and
/// threshold in range and finite, checked before anything is built from them. The flags'
/// own rules come first (kube-controller-manager, kubelet and etcd validate them at start-up);
/// the upper bounds are k3sim's (`Limits`).
extension ScenarioBuilder {
    func validateScenarioFields() throws {
        try validateSettings()
        try validateControlPlane()
        try validateNodeCounts()
        try validateExplicitNodes()
        try validatePeriodicWork()
        for (i, f) in spec.faults.enumerated() { try validateFaultOptions(f, at: [.key("faults"), .index(i)]) }
        for (i, t) in spec.timing.enumerated() { try validateTiming(t, at: [.key("timing"), .index(i)]) }
    }

    func validateSettings() throws {
        guard let s = spec.platform.settings?.values else { return }
        let path: [PathKey] = [.key("platform"), .key("settings")]
        func bad(_ key: String, _ message: String) -> PositionedFieldError { fail(path + [.key(key)], message) }
        // kube-controller-manager: a node that misses renewals for the grace period goes
        // NotReady; 0 would mark every node NotReady at the first pass, a period of 0 never runs it.
        if let v = s["nodeMonitorGracePeriod"] as? SimTime, v <= .zero {
            throw bad("nodeMonitorGracePeriod", "must be greater than 0")
        }
        if let v = s["nodeMonitorPeriod"] as? SimTime, v < Limits.minNodeMonitorPeriod {
            throw bad(
                "nodeMonitorPeriod",
                v <= .zero ? "must be positive" : "must be at least \(Limits.minNodeMonitorPeriod) (a limit of k3sim)")
        }
        let grace = s["nodeMonitorGracePeriod"] as? SimTime, period = s["nodeMonitorPeriod"] as? SimTime
        if let grace, let period, grace < period {
            throw bad("nodeMonitorGracePeriod", "must be at least nodeMonitorPeriod (\(period))")
        }
        // --node-eviction-rate: 0 or less (or NaN) would stop NoExecute tainting altogether.
        if let v = s["nodeEvictionRate"] as? Double, !(v > 0 && v <= Limits.maxEvictionRate) {
            throw bad(
                "nodeEvictionRate", "\(v) must be greater than 0 and at most \(Int(Limits.maxEvictionRate)) nodes per second")
        }
        // --secondary-node-eviction-rate: 0 is upstream's own value for small clusters.
        if let v = s["secondaryNodeEvictionRate"] as? Double, !(v >= 0 && v <= Limits.maxEvictionRate) {
            throw bad("secondaryNodeEvictionRate", "\(v) must be between 0 and \(Int(Limits.maxEvictionRate)) nodes per second")
        }
        if let v = s["unhealthyZoneThreshold"] as? Double, !(v >= 0 && v <= 1) {
            throw bad("unhealthyZoneThreshold", "\(v) must be a fraction between 0 and 1")
        }
        if let v = s["largeClusterSizeThreshold"] as? Int64, !(0...Int64(Limits.maxNodes)).contains(v) {
            throw bad("largeClusterSizeThreshold", "\(v) must be between 0 and \(Limits.maxNodes)")
        }
        for key in ["defaultNotReadyTolerationSeconds", "defaultUnreachableTolerationSeconds"] {
            if let v = s[key] as? Int64, !(0...Limits.maxSeconds).contains(v) {
                throw bad(key, "\(v) must be between 0 and \(Limits.seconds(Limits.maxSeconds))")
            }
        }
        // kubelet: nodeLeaseDurationSeconds must be greater than 0; k3sim renews every quarter
        // of it and needs whole seconds there.
        if let v = s["nodeLeaseDurationSeconds"] as? Int64, !(4...Limits.maxSeconds).contains(v) {
            throw bad(
                "nodeLeaseDurationSeconds",
                v < 4 ? "must be at least 4" : "\(v) must be at most \(Limits.seconds(Limits.maxSeconds))")
        }
    }

    /// The run's length over its shortest periods: how many node-monitor passes and etcd
    /// heartbeats it simulates (`Limits.maxMonitorPasses`, `Limits.maxHeartbeats`), so that a
    /// year-long run with a 100ms period cannot keep the machine busy for hours.
    func validatePeriodicWork() throws {
        let duration = spec.duration.time.microseconds
        let period = (spec.platform.settings?.values["nodeMonitorPeriod"] as? SimTime) ?? ClusterParameters().nodeMonitorPeriod
        if period > .zero, duration / period.microseconds > Limits.maxMonitorPasses {
            throw fail(
                [.key("duration")],
                "\(spec.duration.time) with nodeMonitorPeriod \(period) is \(duration / period.microseconds) node-monitor passes; "
                    + "at most \(Limits.maxMonitorPasses) (shorten the run or lengthen the period)")
        }
        if let cp = spec.controlPlane, cp.count > 1 {
            let heartbeat = cp.etcd?.heartbeatInterval?.time ?? ControlPlaneSpec.implicit.heartbeatInterval
            if heartbeat > .zero, duration / heartbeat.microseconds > Limits.maxHeartbeats {
                throw fail(
                    [.key("duration")],
                    "\(spec.duration.time) with etcd heartbeatInterval \(heartbeat) is \(duration / heartbeat.microseconds) heartbeats; "
                        + "at most \(Limits.maxHeartbeats) (shorten the run or lengthen the interval)")
            }
        }
    }

    func validateControlPlane() throws {
        guard let cp = spec.controlPlane else { return }
        let path: [PathKey] = [.key("controlPlane")]
        if cp.count > Limits.maxServers {
            throw fail(
                path + [.key("count")], "\(cp.count) servers: at most \(Limits.maxServers) (etcd recommends at most 7 members)")
        }
        guard let e = cp.etcd else { return }
        let etcd = path + [.key("etcd")]
        let heartbeat = e.heartbeatInterval?.time ?? ControlPlaneSpec.implicit.heartbeatInterval
        let election = e.electionTimeout?.time ?? ControlPlaneSpec.implicit.electionTimeout
        if let h = e.heartbeatInterval?.time, h < Limits.minHeartbeat {
            throw fail(etcd + [.key("heartbeatInterval")], "\(h) is shorter than the limit of \(Limits.minHeartbeat)")
        }
        // etcd (server/embed/config.go, Config.Validate): "--election-timeout[...] should be at
        // least as 5 times as --heartbeat-interval".
        if election.microseconds < heartbeat.microseconds * 5 {
            throw fail(
                etcd + [.key(e.electionTimeout == nil ? "heartbeatInterval" : "electionTimeout")],
                "electionTimeout (\(election)) should be at least 5 × heartbeatInterval (\(heartbeat))")
        }
    }

    /// Explicit nodes: a DNS-1123 name (ValidateNodeName) and capacity and allocatable as
    /// non-negative quantities within k3sim's bounds, pods at most `Limits.maxPods`.
    func validateExplicitNodes() throws {
        for (i, n) in spec.nodes.enumerated() {
            let path: [PathKey] = [.key("nodes"), .index(i)]
            if let problem = CoreValidation.dns1123Subdomain(n.name) {
                throw fail(path + [.key("name")], "Invalid value: \(FieldIssue.quote(n.name)): \(problem)")
            }
            if let issue = CoreValidation.labels(n.labels, path + [.key("labels")]).first {
                throw fail(issue.path, issue.message)
            }
            for (key, list) in [("capacity", n.capacity), ("allocatable", n.allocatable ?? [:])] {
                for (name, q) in list.sorted(by: { $0.key < $1.key }) {
                    let qp = path + [.key(key), .key(name)]
                    if name == "pods", q.value > Int64(Limits.maxPods) {
                        throw fail(
                            qp, "Invalid value: \(FieldIssue.quote(q.text)): must be at most \(Limits.maxPods) (a limit of k3sim)"
                        )
                    }
                    if let issue = CoreValidation.quantity(q, name: name, qp).first { throw fail(issue.path, issue.message) }
                }
            }
        }
    }

    func validateNodeCounts() throws {
        // validateControlPlane bounded it from above; a negative count is refused later.
        var total = max(0, spec.controlPlane?.count ?? 0)
        for (p, pool) in spec.nodePools.enumerated() {
            if let issue = CoreValidation.labels(pool.labels, [.key("nodePools"), .index(p), .key("labels")]).first {
                throw fail(issue.path, issue.message)
            }
            guard pool.count <= Limits.maxNodes - total else {
                throw fail(
                    [.key("nodePools"), .index(p), .key("count")],
                    "\(pool.count) nodes: the cluster may have at most \(Limits.maxNodes) nodes")
            }
            total += max(0, pool.count)
        }
        if spec.nodes.count > Limits.maxNodes - total {
            throw fail([.key("nodes")], "\(spec.nodes.count) nodes: the cluster may have at most \(Limits.maxNodes) nodes")
        }
    }

    func validateFaultOptions(_ f: ScenarioFile.Fault, at path: [PathKey]) throws {
        guard let o = f.options else { return }
        let opts = path + [.key("options")]
        if let n = o.count, !(1...Limits.maxNodes).contains(n) {
            throw fail(opts + [.key("count")], "\(n) must be between 1 and \(Limits.maxNodes)")
        }
        if let n = o.replicas, !(0...Limits.maxPods).contains(n) {
            throw fail(opts + [.key("replicas")], "\(n) must be between 0 and \(Limits.maxPods)")
        }
        if let n = o.concurrency, n > Limits.maxNodes {
            throw fail(opts + [.key("concurrency")], "\(n) must be at most \(Limits.maxNodes)")
        }
    }

    func validateTiming(_ t: ScenarioFile.Timing, at path: [PathKey]) throws {
        let fields: [(String, DistributionValue?)] = [
            ("imagePull", t.imagePull), ("containerStart", t.containerStart),
            ("appReady", t.appReady), ("shutdown", t.shutdown),
            ("runDuration", t.runDuration),
        ]
        for (key, d) in fields {
            guard case .lognormal(let median, let p95)? = d?.distribution else { continue }
            // The sampler draws z up to about 8.6 (Box-Muller from 53-bit uniforms).
            let sigma = log(p95 / median) / 1.6448536269514722
            let tail = median * exp(sigma * 8.6)
            guard tail.isFinite, tail <= Limits.maxLognormalTailSeconds else {
                throw fail(
                    path + [.key(key), .key("lognormal")],
                    "p95 is too far above the median: the distribution's tail would reach beyond \(Int64(Limits.maxLognormalTailSeconds)) s"
                )
            }
        }
        if let q = t.imageSize, !(0...Limits.maxBytes).contains(q.value) {
            throw fail(path + [.key("imageSize")], "\(q) must be between 0 and 1Pi")
        }
        if let p = t.failureProbability, !(0...1).contains(p) {
            throw fail(path + [.key("failureProbability")], "\(p) must be between 0 and 1")
        }
        // A process's exit status is 0–255 and 0 is success: a failed run exits with 1–255.
        if let code = t.exitCode, !(1...255).contains(code) {
            throw fail(path + [.key("exitCode")], "\(code) must be between 1 and 255 (a failed run's exit code)")
        }
    }
}
