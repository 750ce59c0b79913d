import SimKernel

/// Time integrals of one workload's readiness.
struct ReadinessIntegrals {
    var availabilityArea = 0.0
    var belowDesired = 0.0
    var unavailable = 0.0
    var seconds = 0.0

    mutating func add(ready: Int, desired: Int, seconds dt: Double) {
        guard dt > 0, desired > 0 else { return }
        availabilityArea += Double(min(ready, desired)) / Double(desired) * dt
        if ready < desired { belowDesired += dt }
        if ready == 0 { unavailable += dt }
        seconds += dt
    }
}

/// Measurement observes the API store's changes (it is never called by the controllers'
/// logic): ready replicas per workload as time integrals, pending pods, node states.
/// A workload is measured from the moment it first reaches its desired count, so the
/// initial roll-out of the cluster does not count as downtime; one that never gets there
/// is measured over the whole run.
extension ClusterSimulation {
    func measurePods(workload w: WorkloadID) {
        let ready = workloads[w].serving
        let pods = workloads[w].pods
        // In place: a copy of the workload would make appending to its series copy the series.
        let dt = (now - workloads[w].lastChange).seconds
        let (before, desired) = (workloads[w].ready, workloads[w].desired)
        if workloads[w].measuring { workloads[w].steady.add(ready: before, desired: desired, seconds: dt) }
        workloads[w].whole.add(ready: before, desired: desired, seconds: dt)
        workloads[w].lastChange = now
        workloads[w].ready = ready
        if !workloads[w].measuring && ready >= desired && desired > 0 { workloads[w].measuring = true }
        if workloads[w].measuring { workloads[w].minReady = min(workloads[w].minReady, ready) }
        if ready != before { workloads[w].series.append(SeriesPoint(t: now.seconds, value: Double(ready))) }
        faultTimelines.workloadChanged(w, pods: pods, in: self)
    }

    func measureDesiredChanged(workload w: WorkloadID) { measurePods(workload: w) }

    func secondsWithoutPrimary(workload w: WorkloadID) -> Double? {
        cnpgOperator.secondsWithoutPrimary(workload: w, now: now)
    }

    /// The node's state for the node series changed; recorded once the event is handled, so a
    /// node that goes through several states within one event shows the last.
    func nodeStateChanged(_ n: Int) { changedNodeStates.insert(n) }

    func recordChangedNodeStates() {
        guard !changedNodeStates.isEmpty else { return }
        for n in changedNodeStates.sorted() { recordNodeState(n) }
        changedNodeStates.removeAll(keepingCapacity: true)
    }

    func recordNodeState(_ n: Int) {
        let node = nodes[n]
        let label: String
        if node.deleted {
            label = "Deleted"
        } else if !node.up {
            label = "Down"
        } else if node.ready != .isTrue {
            label = "NotReady"
        } else if upgrades.contains(where: { $0.inProgress.contains(n) })
            || nodePoolUpgrades.contains(where: { $0.inProgress.contains(n) })
        {
            label = "Upgrading"
        } else if node.unschedulable {
            label = "Cordoned"
        } else {
            label = "Ready"
        }
        if nodeSeries[n].last?.label != label {
            nodeSeries[n].append(SeriesPoint(t: now.seconds, value: label == "Ready" ? 1 : 0, label: label))
        }
    }

    func recordPending(_ delta: Int) {
        pendingCount += delta
        if pendingSeries.last?.t == now.seconds { pendingSeries.removeLast() }
        pendingSeries.append(SeriesPoint(t: now.seconds, value: Double(pendingCount)))
    }

    func makeRecord(wallSeconds: Double) -> RunRecord {
        var results: [WorkloadResult] = []
        var series: [TimeSeries] = []
        // A Job's pods are meant to finish: its result is the Job's outcome (`jobResults`), not
        // an availability.
        for w in workloads.ids where workloads[w].kind != "Job" {
            measurePods(workload: w)  // closes the integrals at the end of the run
            let wl = workloads[w]
            let m = wl.measuring ? wl.steady : wl.whole
            results.append(
                WorkloadResult(
                    name: wl.name, kind: wl.kind, desiredReplicas: wl.desired,
                    availability: m.seconds > 0 ? m.availabilityArea / m.seconds : (wl.desired == 0 ? 1 : 0),
                    secondsBelowDesired: m.belowDesired, secondsUnavailable: m.unavailable,
                    minReadyReplicas: wl.measuring ? wl.minReady : wl.ready,
                    secondsWithoutPrimary: secondsWithoutPrimary(workload: w)))
            series.append(TimeSeries(kind: "readyReplicas", entity: wl.name, points: wl.series))
        }
        for n in nodes.indices {
            series.append(TimeSeries(kind: "nodeState", entity: nodes[n].name, points: nodeSeries[n]))
        }
        series.append(TimeSeries(kind: "pendingPods", entity: "cluster", points: pendingSeries))
        if !serverNodes.isEmpty {
            series.append(TimeSeries(kind: "controlPlane", entity: "etcdLeader", points: controlPlane.series))
        }
        var allNotes = notes
        for p in pendingPods() { allNotes.append("Pending at the end: \(p.key): \(p.reason)") }
        var record = RunRecord(
            scenarioName: spec.name, seed: spec.seed, simulatedSeconds: spec.duration.seconds,
            wallSeconds: wallSeconds, events: engine.eventsProcessed, workloads: results,
            faults: faultTimelines.results,
            controlPlane: ControlPlaneResult(
                writeUnavailableSeconds: apiUnavailableSeconds + (apiUnavailableSince.map { (now - $0).seconds } ?? 0),
                leaderChanges: etcd.leaderChanges),
            pendingPodsAtEnd: pendingPods().count, series: series, notes: allNotes,
            topology: RunTopology(spec: spec))
        (record.jobs, record.cronJobs) = jobResults()
        record.autoscalers = autoscalerResults()
        return record
    }
}
