import SimKernel

/// What a HorizontalPodAutoscaler (or a load on a target without one) did in the run.
public struct AutoscalerResult: Codable, Sendable, Equatable {
    /// One write of the target's replicas, with the metric that caused it.
    public struct Rescale: Codable, Sendable, Equatable {
        /// Simulated seconds.
        public var at: Double
        public var from: Int
        public var to: Int
        /// The Ready pods' CPU use as a percentage of their requests (for an AverageValue
        /// target, their average in millicores); nil when bounds alone moved it.
        public var utilization: Int?
        public var demandMillicores: Int64

        public init(at: Double, from: Int, to: Int, utilization: Int?, demandMillicores: Int64) {
            self.at = at; self.from = from; self.to = to; self.utilization = utilization
            self.demandMillicores = demandMillicores
        }
    }
    /// `namespace/name`; empty for a load on a target without a HorizontalPodAutoscaler.
    public var name: String
    /// `deployment/NS/NAME` or `statefulset/NS/NAME`.
    public var target: String
    public var minReplicas: Int
    public var maxReplicas: Int
    public var initialReplicas: Int
    public var rescales: [Rescale] = []
    public var maxReplicasReached: Int
    /// Whether the target's replicas reached maxReplicas, and for how long.
    public var hitMaxReplicas = false
    public var secondsAtMax = 0.0
    /// The most of the target's pods a sync found Pending (no node had room).
    public var maxPendingPods = 0
    /// The highest utilisation a sync measured, and when.
    public var peakUtilization: Int?
    public var peakUtilizationAt: Double?

    public init(name: String, target: String, minReplicas: Int, maxReplicas: Int, initialReplicas: Int) {
        self.name = name; self.target = target; self.minReplicas = minReplicas; self.maxReplicas = maxReplicas
        self.initialReplicas = initialReplicas; self.maxReplicasReached = initialReplicas
        hitMaxReplicas = !name.isEmpty && initialReplicas >= maxReplicas
    }

    mutating func observe(utilization: Int, demandMillicores: Int64, at time: SimTime) {
        if utilization > (peakUtilization ?? Int.min) { peakUtilization = utilization; peakUtilizationAt = time.seconds }
    }

    mutating func rescaled(from: Int, to: Int, utilization: Int?, demandMillicores: Int64, at time: SimTime) {
        rescales.append(
            Rescale(at: time.seconds, from: from, to: to, utilization: utilization, demandMillicores: demandMillicores))
        maxReplicasReached = max(maxReplicasReached, to)
        if to >= maxReplicas { hitMaxReplicas = true }
    }
}

extension ClusterSimulation: AutoscalerContext {
    func schedule(_ event: AutoscalerEvent, at time: SimTime) { engine.schedule(.autoscaler(event), at: time) }

    func autoscalerPhase() -> Double {
        var rng = streams.stream("kube-controller-manager", "hpa-phase")
        return rng.nextUnit()
    }

    func scaleTargetReplicas(_ target: AutoscalerSpec.Target) -> Int? {
        switch target {
        case .deployment(let ns, let name): return deploymentIndex(ns, name).map { deployments[$0].object.replicas }
        case .statefulSet(let ns, let name):
            return statefulSetController.index(namespace: ns, name: name).map { statefulSets[$0].object.replicas }
        }
    }

    func scaleTargetPods(_ target: AutoscalerSpec.Target) -> [AutoscaledPod] {
        let workload: WorkloadID?
        switch target {
        case .deployment(let ns, let name): workload = deploymentIndex(ns, name).map { deployments[$0].workload }
        case .statefulSet(let ns, let name):
            workload = statefulSetController.index(namespace: ns, name: name).map { statefulSets[$0].workload }
        }
        guard let w = workload else { return [] }
        return workloads[w].members.compactMap { pods[$0] }.sorted { $0.name < $1.name }.map {
            AutoscaledPod(
                ready: $0.ready && $0.running, terminating: $0.isTerminating, scheduled: $0.node != nil,
                requestMillicores: $0.requests.milliCPU)
        }
    }

    func setScaleTargetReplicas(_ target: AutoscalerSpec.Target, to replicas: Int) {
        switch target {
        case .deployment(let ns, let name):
            if let d = deploymentIndex(ns, name) { scaleDeployment(d, to: replicas) }
        case .statefulSet(let ns, let name):
            if let s = statefulSetController.index(namespace: ns, name: name) { scaleStatefulSet(s, to: replicas) }
        }
    }

    func scaleStatefulSet(_ i: Int, to replicas: Int) {
        let w = statefulSets[i].workload
        workloads[w].desired = replicas
        measureDesiredChanged(workload: w)
        statefulSetController.scale(i, to: replicas, in: self)
    }

    /// The autoscalers of the run; nil when it had none (so that records without stay as they were).
    func autoscalerResults() -> [AutoscalerResult]? {
        let results = autoscalerController.finish(at: now)
        return results.isEmpty ? nil : results
    }
}
