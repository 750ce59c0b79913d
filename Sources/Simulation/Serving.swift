import KubeModel
import SimKernel

/// What `k3sim serve` reads and writes of a running simulation: plain snapshots of the API
/// objects at the current simulated time, stepping the engine to a time, and the writes a
/// client makes, applied through the same paths as the scenario's own faults. Everything
/// here runs on the simulation's single owner (never concurrently with `step`).

/// Serves one simulation: registers its own store watchers (which only note what changed and
/// so leave the run unchanged) and answers reads and writes at the current simulated time.
public final class SimulationServer {
    public let simulation: ClusterSimulation
    private var changedPods = Set<PodID>()
    private var deletedPods: [PodID: ServedPod] = [:]
    var changedNodes = Set<Int>()
    private var readySince: [Int: SimTime] = [:]
    /// Per pod, when the API last heard its containers started (for `state.running.startedAt`).
    private var runningSince: [PodID: SimTime] = [:]
    /// Per pod, the start before the current one (a restarted container's `lastState`).
    private var previousStart: [PodID: SimTime] = [:]
    /// The mechanisms' Kubernetes events, newest last (at most `eventLimit`).
    public internal(set) var events: [ServedEvent] = []
    static let eventLimit = 5_000

    public init(_ simulation: ClusterSimulation) {
        self.simulation = simulation
        simulation.store.watchPods { [unowned self] change in
            self.recordEvents(change)
            if case .updated(let old, let new) = change, !old.statusRunning, new.statusRunning {
                if let before = self.runningSince[new.id] { self.previousStart[new.id] = before }
                self.runningSince[new.id] = self.simulation.now
            }
            switch change {
            case .added(let p), .updated(_, let p): self.changedPods.insert(p.id)
            case .deleted(let p):
                self.changedPods.remove(p.id)
                self.deletedPods[p.id] = self.served(p)
                self.runningSince[p.id] = nil
                self.previousStart[p.id] = nil
            }
        }
        simulation.componentEvents = { [unowned self] event in self.recordComponentEvent(event) }
        simulation.store.watchNodes { [unowned self] change in
            if change.old.ready != change.new.ready {
                self.readySince[change.node] = self.simulation.now
                let name = self.simulation.nodes[change.node].name, ready = change.new.ready == .isTrue
                // RecordNodeStatusChange (pkg/controller/util/node/controller_utils.go) posts
                // both as Normal events.
                self.addEvent(
                    ServedEvent(
                        at: self.simulation.now, kind: "Node", namespace: "default", name: name,
                        reason: ready ? "NodeReady" : "NodeNotReady", warning: false,
                        message: "Node \(name) status is now: \(ready ? "NodeReady" : "NodeNotReady")",
                        component: "node-controller"))
            }
            self.changedNodes.insert(change.node)
        }
    }

    public var now: SimTime { simulation.now }
    public var duration: SimTime { simulation.spec.duration }
    /// The clock reached the run's end.
    public var finished: Bool { simulation.now >= simulation.spec.duration }

    /// Steps every event due at or before `t` (at most `limit` of them), then moves the clock to
    /// `t` when none is left before it.
    ///
    /// Returns false when it stopped at the limit.
    @discardableResult
    public func advance(to t: SimTime, limit: Int = .max) -> Bool {
        let end = min(t, simulation.spec.duration)
        var n = 0
        while n < limit, let event = simulation.engine.next(until: end) {
            simulation.step(event)
            n += 1
        }
        if n == limit { return false }
        simulation.engine.advance(to: end)
        return true
    }

    /// The run's record, as `run()` makes it, once the clock is at the end.
    public func record(wallSeconds: Double) -> RunRecord {
        simulation.engine.advance(to: simulation.spec.duration)
        return simulation.makeRecord(wallSeconds: wallSeconds)
    }

    public func takeChanges() -> ServedChanges {
        var c = ServedChanges()
        c.pods = changedPods.sorted().compactMap { simulation.pods[$0].map(served) }
        c.deletedPods = deletedPods.keys.sorted().compactMap { deletedPods[$0] }
        c.nodes = changedNodes.sorted().map(servedNode)
        changedPods.removeAll(); deletedPods.removeAll(); changedNodes.removeAll()
        return c
    }
}

// MARK: reads

extension SimulationServer {
    public var nodes: [ServedNode] { simulation.nodes.indices.filter { !simulation.nodes[$0].deleted }.map(servedNode) }
    public var pods: [ServedPod] { simulation.pods.keys.sorted().compactMap { simulation.pods[$0].map(served) } }

    func servedNode(_ n: Int) -> ServedNode {
        let node = simulation.nodes[n]
        return ServedNode(
            index: n, name: node.name, labels: node.labels, taints: node.taints, unschedulable: node.unschedulable,
            ready: node.ready.rawValue, readySince: readySince[n] ?? .zero, heartbeat: node.statusHeartbeat,
            leaseRenewTime: simulation.leaseRenewTime(n), allocatable: node.spec.allocatable,
            allocatablePods: node.spec.allocatablePods, podCount: node.pods.count)
    }

    func served(_ p: SimPod) -> ServedPod {
        ServedPod(
            uid: p.id.number, name: p.name, namespace: p.namespace, labels: p.labels, nodeName: p.nodeName, nodeIndex: p.node,
            nominatedNodeName: p.nominatedNode.map { simulation.nodes[$0].name }, created: p.created,
            ready: p.ready, readySince: p.readySince, running: p.statusRunning, deletionTimestamp: p.deletionTimestamp,
            gracePeriodSeconds: p.gracePeriod.microseconds / 1_000_000, owner: ownerName(p.owner),
            containers: p.spec.containers.map { ($0.name, $0.image) }, priority: p.priority, spec: p.spec,
            tolerations: p.tolerations, startTime: startTime(p), runningSince: runningSince[p.id], restarts: restarts(p))
    }

    private func startTime(_ p: SimPod) -> SimTime? {
        simulation.kubelet.pods[p.id]?.admittedEpoch == nil ? nil : simulation.kubelet.pods[p.id]?.probeGridStart
    }

    private func restarts(_ p: SimPod) -> ServedRestarts? {
        guard let r = simulation.containerRestarts.records[p.id] else { return nil }
        return ServedRestarts(
            count: r.restarts, lastFinishedAt: r.finishedAt, lastStartedAt: previousStart[p.id],
            backingOff: !p.statusRunning && !p.isTerminating && r.finishedAt >= r.startedAt && p.node != nil,
            backOff: r.backoff.wait(finishedAt: r.finishedAt))
    }

    func ownerName(_ owner: PodOwner) -> (kind: String, name: String)? {
        switch owner {
        case .replicaSet(let i): return ("ReplicaSet", simulation.replicaSets[i].name)
        case .daemonSet(let i): return ("DaemonSet", simulation.daemonSets[i].object.metadata.name)
        case .statefulSet(let i, _): return ("StatefulSet", simulation.statefulSets[i].object.metadata.name)
        case .pgCluster(let i, _): return ("Cluster", simulation.pgClusters[i].object.metadata.name)
        case .job(let i): return ("Job", simulation.jobController.jobs[i].name)
        case .none: return nil
        }
    }

    public var workloads: [ServedWorkload] {
        let sim = simulation
        var out: [ServedWorkload] = []
        for (d, dep) in sim.deployments.enumerated() {
            let s = sim.deploymentStatus(d), o = dep.object
            out.append(
                ServedWorkload(
                    kind: "Deployment", name: o.metadata.name, namespace: o.metadata.namespace,
                    labels: o.metadata.labels, selector: o.selector.matchLabels, replicas: o.replicas,
                    current: s.replicas, ready: s.ready, available: s.available, updated: s.updated, owner: nil,
                    containers: o.template.spec.containers.map { ($0.name, $0.image) }))
        }
        for (i, rs) in sim.replicaSets.enumerated() {
            let s = sim.replicaSetStatus(i)
            out.append(
                ServedWorkload(
                    kind: "ReplicaSet", name: rs.name, namespace: rs.namespace, labels: rs.template.metadata.labels,
                    selector: rs.selector.matchLabels, replicas: rs.replicas, current: s.replicas, ready: s.ready,
                    available: s.available, updated: s.replicas,
                    owner: rs.deployment.map { ("Deployment", sim.deployments[$0].object.metadata.name) },
                    containers: rs.template.spec.containers.map { ($0.name, $0.image) }))
        }
        for ds in sim.daemonSets {
            let o = ds.object, ready = ds.existingPods - ds.unavailablePods
            out.append(
                ServedWorkload(
                    kind: "DaemonSet", name: o.metadata.name, namespace: o.metadata.namespace,
                    labels: o.metadata.labels, selector: o.selector.matchLabels, replicas: ds.shouldRunCount,
                    current: ds.existingPods, ready: ready, available: ready,
                    updated: ds.activeByRevision[ds.revisionLabel] ?? 0, owner: nil,
                    containers: o.template.spec.containers.map { ($0.name, $0.image) }))
        }
        for ss in sim.statefulSets {
            let o = ss.object
            let members = ss.podByOrdinal.values.compactMap { sim.pods[$0] }
            let ready = members.filter { $0.ready && !$0.isTerminating }.count
            out.append(
                ServedWorkload(
                    kind: "StatefulSet", name: o.metadata.name, namespace: o.metadata.namespace,
                    labels: o.metadata.labels, selector: o.selector.matchLabels, replicas: o.replicas,
                    current: members.count, ready: ready, available: ready, updated: members.count, owner: nil,
                    containers: o.template.spec.containers.map { ($0.name, $0.image) }))
        }
        return out
    }

    public var podDisruptionBudgets: [ServedPDB] {
        simulation.pdbs.indices.map { i in
            let s = simulation.pdbStatus(i)
            return ServedPDB(
                budget: simulation.pdbs[i], currentHealthy: s.currentHealthy, desiredHealthy: s.desiredHealthy,
                expected: s.expected, disruptionsAllowed: s.disruptionsAllowed)
        }
    }

    /// Every namespace an object lives in, with those Kubernetes always has.
    public var namespaces: [String] {
        var names: Set<String> = ["default", "kube-system", "kube-public", "kube-node-lease"]
        for p in simulation.pods.values { names.insert(p.namespace) }
        for w in workloads { names.insert(w.namespace) }
        for s in simulation.spec.workloads.services { names.insert(s.metadata.namespace) }
        for c in simulation.claims.values { names.insert(c.spec.metadata.namespace) }
        return names.sorted()
    }

    /// The fault timelines so far: (time, fault action and target, milestone, mechanism).
    public var milestones: [(at: Double, fault: String, name: String, mechanism: String)] {
        simulation.faultTimelines.records.flatMap { r in
            r.result.milestones.map {
                (at: $0.at, fault: "\(r.result.action) \(r.result.target)", name: $0.name.rawValue, mechanism: $0.mechanism)
            }
        }
    }
}

// MARK: writes

extension SimulationServer {
    /// `kubectl cordon` / `uncordon`: as a drain cordons.
    public func setUnschedulable(node name: String, _ value: Bool) -> ServedWriteResult {
        guard let n = simulation.nodeIndex[name], !simulation.nodes[n].deleted else { return .notFound }
        if value { simulation.cordon(n) } else { simulation.uncordon(n) }
        return .done
    }

    /// spec.replicas of a Deployment (PATCH or the /scale subresource).
    public func scaleDeployment(namespace: String, name: String, replicas: Int) -> ServedWriteResult {
        guard let d = simulation.deploymentIndex(namespace, name) else { return .notFound }
        simulation.scaleDeployment(d, to: replicas)
        return .done
    }

    /// DELETE of a pod: graceful deletion, as the API server does it.
    public func deletePod(namespace: String, name: String) -> ServedWriteResult {
        guard let p = livePod(namespace, name) else { return .notFound }
        simulation.deletePod(p.id, reason: "kubectl delete")
        return .done
    }

    /// The eviction subresource: the budget check, then graceful deletion.
    public func evictPod(namespace: String, name: String) -> ServedWriteResult {
        guard let p = simulation.pods.values.first(where: { $0.namespace == namespace && $0.name == name }) else {
            return .notFound
        }
        switch simulation.evict(p.id) {
        case .evicted: return .done
        case .tooManyRequests(let m): return .tooManyRequests(m)
        case .failed(let m): return .failed(m)
        }
    }

    /// A scenario fault action at the current time; it joins the run's faults (and its record)
    /// like one written in the scenario.
    public func inject(_ fault: FaultSpec) {
        var f = fault
        f.at = simulation.now
        simulation.spec.faults.append(f)
        simulation.faultInjector.schedule(f, in: simulation)
    }

    private func livePod(_ namespace: String, _ name: String) -> SimPod? {
        simulation.pods.values.first { $0.namespace == namespace && $0.name == name }
    }
}

extension SimulationServer {
    /// Ends the run at the current time (Ctrl-C): the record covers what was simulated.
    public func endNow() {
        simulation.spec.duration = simulation.now
    }
}

extension SimulationServer {
    /// A line for the run's notes (what a client did), stored with the record.
    public func addNote(_ text: String) {
        simulation.notes.append(text)
    }
}

extension SimulationServer {
    /// The control plane's leader-election Leases (none on a managed control plane, whose
    /// servers the cluster does not see).
    public var controlPlaneLeases: [ServedLease] {
        let sim = simulation
        guard !sim.serverNodes.isEmpty else { return [] }
        let election = sim.leaderElection
        return [election.controllerManager, election.scheduler].map { c in
            let renewed =
                c.holder == nil ? c.lastRenew : election.lastRenewal(c, atOrBefore: c.renewFailingSince ?? sim.now, in: sim)
            return ServedLease(
                name: c.name, holder: c.holder.map { sim.nodes[$0].name }, renewTime: renewed,
                durationSeconds: Int(sim.spec.controlPlane.leaseDuration.seconds))
        }
    }
}
