import DequeModule
import KubeModel
import SimKernel

/// One simulated cluster: the API store, the components that react to it, and the run loop.
///
/// Each component (the controllers, kube-scheduler, the kubelet, etcd and leader election,
/// the fault injector) is a type in its own file that owns its state and handles its own
/// events through a context protocol this class conforms to. They change pods and nodes only
/// through the API store (`Store/APIStore.swift`), whose watchers keep the indexes,
/// measurement and the fault timelines current and tell the components that care.
public final class ClusterSimulation {
    /// The input; faults that change the platform (slow disk) adjust it while they last.
    var spec: ClusterSpec
    /// The parameters in force (a slow-disk fault raises `apiLatency` while it lasts).
    var params: ClusterParameters
    var engine = Engine<SimEvent>()
    let streams: RandomStreams

    /// Pods and nodes; read them through `pods` and `nodes`, write them through the store.
    let store = APIStore()
    var pods: [PodID: SimPod] { _read { yield store.pods } }
    var nodes: [SimNode] { _read { yield store.nodes } }
    var nodeIndex: [String: Int] = [:]
    /// The K3S servers' node indices (control-plane nodes are never added during a run).
    private(set) var serverNodes: [Int] = []
    /// Normalised image name → nodes that hold it (ImageLocality's spread).
    var imageNodeCount: [String: Int] = [:]
    var nextPodID = 0
    /// PodDisruptionBudgets: the scenario's and those operators create (CloudNativePG).
    var pdbs: [PodDisruptionBudget] = []
    var claims: [String: SimClaim] = [:]
    var volumes: [SimVolume] = []
    var workloads: [Workload] = []
    var priorityClasses: [String: Int32] = [:]
    /// The nodes' zones; `SimNode.zone` indexes them.
    var zones: [ZoneKey] = []

    // component state
    let nodeLifecycle: NodeLifecycleController
    let taintEviction = TaintEvictionController()
    let attachDetach: AttachDetachController
    let podGC = PodGarbageCollector()
    let kubelet = Kubelet()
    let containerRestarts = ContainerRestarts()
    let jobController = JobController()
    let replicaSetController = ReplicaSetController()
    let deploymentController = DeploymentController()
    let statefulSetController = StatefulSetController()
    let daemonSetController = DaemonSetController()
    /// The DaemonSets as their controller holds them (read-only here).
    var daemonSets: [SimDaemonSet] { daemonSetController.sets }
    /// The StatefulSets as their controller holds them (read-only here).
    var statefulSets: [SimStatefulSet] { statefulSetController.sets }
    let cnpgOperator = CloudNativePGOperator()
    /// The CloudNativePG Clusters as their operator holds them (read-only here).
    var pgClusters: [SimPGCluster] { cnpgOperator.clusters }
    let cronJobController = CronJobController()
    let autoscalerController = HorizontalPodAutoscalerController()
    let nodeAutoRepair: NodeAutoRepair?
    let scheduler: KubeScheduler
    /// The scheduler cache's indexes its plugins read.
    var schedulerCache = SchedulerCache()
    var k3sService = K3sServiceState()
    var pendingSyncs = Set<SyncKey>()
    let faultInjector = FaultInjector()
    let faultTimelines = FaultTimelines()
    let nodeDrainer = NodeDrainer()
    let etcd = EtcdRaft()
    let leaderElection = LeaderElection()
    var controlPlane = ControlPlaneState()
    /// Since when the API server cannot write (nil: it can).
    var apiUnavailableSince: SimTime?
    var apiUnavailableSeconds = 0.0
    let upgradeController = UpgradeController()
    let nodePoolUpgradeController = NodePoolUpgradeController()
    var notes: [String] = []
    /// Hears the Kubernetes events components post that the store's changes do not show
    /// (FailedScheduling, why a pod was deleted); only `k3sim serve` listens, and it never
    /// writes back, so a run is the same with or without it.
    var componentEvents: ((ComponentEvent) -> Void)?

    // measurement
    var nodeSeries: [[SeriesPoint]] = []
    /// Nodes whose series state changed during the current event.
    var changedNodeStates = Set<Int>()
    var pendingSeries: [SeriesPoint] = []
    var pendingCount = 0

    // random streams that are drawn in sequence, by (entity, purpose)
    var continuingStreams: ContinuingStreams

    /// Called after every event, for invariant checks in tests.
    public var afterEvent: ((ClusterSimulation) -> Void)?

    public init(spec: ClusterSpec) {
        var spec = spec
        // KubeSchedulerConfiguration's queue backoff overrides the defaults.
        if let b = spec.scheduler?.podInitialBackoffSeconds { spec.parameters.podInitialBackoff = .seconds(Int64(b)) }
        if let b = spec.scheduler?.podMaxBackoffSeconds { spec.parameters.podMaxBackoff = .seconds(Int64(b)) }
        self.spec = spec
        self.params = spec.parameters
        self.streams = RandomStreams(seed: spec.seed)
        self.continuingStreams = ContinuingStreams(streams)
        self.scheduler = KubeScheduler(
            profiles: SchedulerProfile.profiles(spec.scheduler), tieBreak: streams.stream("scheduler", "tie-break"))
        self.notes = spec.notes
        self.nodeAutoRepair = spec.nodeAutoRepair.map(NodeAutoRepair.init)
        self.nodeLifecycle = NodeLifecycleController(params: spec.parameters)
        self.attachDetach = AttachDetachController(maxWaitForUnmountDuration: spec.storage.maxWaitForUnmountDuration)
        watchStore()
        setUpNodes()
        serverNodes = spec.controlPlane.servers.compactMap { nodeIndex[$0] }
        scheduler.rebuildNodeTree(nodes)
        startControlPlane()
        setUpWorkloads()
        for f in spec.faults { faultInjector.schedule(f, in: self) }
        startNodeLifecycleController()
    }

    /// Runs to the scenario's end and returns the record.
    public func run() -> RunRecord {
        let clock = ContinuousClock()
        let start = clock.now
        while let event = engine.next(until: spec.duration) { step(event) }
        engine.advance(to: spec.duration)
        let elapsed = clock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return makeRecord(wallSeconds: wall)
    }

    var now: SimTime { engine.now }

    /// Runs `body` on the stream (entity, purpose), which goes on from its previous draw.
    func drawInSequence<T>(_ entity: String, _ purpose: String, _ body: (inout RandomStream) -> T) -> T {
        continuingStreams.draw(entity, purpose, body)
    }

    /// One event, then what follows every event: kubelets that can no longer write leave
    /// their derived Lease renewals, the node series records the states the event changed,
    /// and the test hook runs.
    func step(_ event: SimEvent) {
        handle(event)
        kubelet.checkLeaseWritability(in: self)
        recordChangedNodeStates()
        afterEvent?(self)
    }

    /// Routes an event to the component it belongs to (after holding it back while the
    /// control-plane component it needs is down).
    func handle(_ event: SimEvent) {
        if deferIfBlocked(event) { return }
        switch event {
        case .fault(let e): faultInjector.handle(e, in: self)
        case .kubelet(let e): kubelet.handle(e, in: self)
        case .container(let e): containerRestarts.handle(e, in: self)
        case .nodeLifecycle(let e): nodeLifecycle.handle(e, in: self)
        case .taintEviction(let e): taintEviction.handle(e, in: self)
        case .sync(let key): pendingSyncs.remove(key); sync(key)
        case .availabilityCheck(let i):
            replicaSetController.availabilityCheckDue(i, in: self)
        case .etcd(let e): etcd.handle(e, in: self)
        case .leaderElection(let e): leaderElection.handle(e, in: self)
        case .attachDetach(let e): attachDetach.handle(e, in: self)
        case .podGC(let e): podGC.handle(e, in: self)
        case .job(let e): jobController.handle(e, in: self)
        case .cronJob(let e): cronJobController.handle(e, in: self)
        case .autoscaler(let e): autoscalerController.handle(e, in: self)
        case .nodeAutoRepair(let e): nodeAutoRepair?.handle(e, in: self)
        case .cnpg(let e): cnpgOperator.handle(e, in: self)
        case .drain(let e): nodeDrainer.handle(e, in: self)
        case .upgrade(let e): upgradeController.handle(e, in: self)
        case .nodePoolUpgrade(let e): nodePoolUpgradeController.handle(e, in: self)
        case .scheduler(let e): scheduler.handle(e, in: self)
        }
    }

    func sync(_ key: SyncKey) {
        switch key {
        case .replicaSet(let i): replicaSetController.sync(i, in: self)
        case .deployment(let i): deploymentController.sync(i, in: self)
        case .daemonSet(let i): daemonSetController.sync(i, in: self)
        case .statefulSet(let i): statefulSetController.sync(i, in: self)
        }
    }

    // MARK: set-up

    func setUpNodes() {
        let renewInterval = params.leaseRenewInterval.microseconds
        for (i, ns) in spec.nodes.enumerated() {
            let zoneKey = ZoneKey(labels: ns.labels)
            let zone: Int
            if let z = zones.firstIndex(of: zoneKey) { zone = z } else { zone = zones.count; zones.append(zoneKey) }
            // The lease phase: when in each 10 s interval this node renews. The last renewal
            // before t=0 is at phase − interval.
            var rng = streams.stream("node/\(ns.name)", "lease-phase")
            let phase = SimTime(microseconds: Int64(rng.nextUnit() * Double(renewInterval)))
            store.add(node: SimNode(index: i, spec: ns, zone: zone, leaseRenewTime: phase - params.leaseRenewInterval))
            kubelet.addNode(leaseTimer: schedule(.leaseRenew(node: i, epoch: 0), at: phase))
            nodeSeries.append([])
            nodeIndex[ns.name] = i
        }
    }

    func setUpWorkloads() {
        for pc in [PriorityClass.systemClusterCritical, .systemNodeCritical] + spec.workloads.priorityClasses {
            priorityClasses[pc.metadata.name] = pc.value
        }
        for d in spec.workloads.deployments { deploymentController.create(d, in: self) }
        for rs in spec.workloads.replicaSets { replicaSetController.createStandalone(rs, in: self) }
        for ds in spec.workloads.daemonSets { daemonSetController.create(ds, in: self) }
        for p in spec.workloads.pods {
            let w = addWorkload(name: p.metadata.key, kind: "Pod", desired: 1)
            if refusedByAdmission(
                p.spec, namespace: p.metadata.namespace, podName: p.metadata.name, owner: "Pod \(p.metadata.key)",
                event: { "Error from server (Forbidden): \($0)" })
            {
                continue
            }
            createPod(
                name: p.metadata.name, namespace: p.metadata.namespace, labels: p.metadata.labels,
                spec: p.spec, owner: .none, workload: w)
        }
        pdbs = spec.workloads.podDisruptionBudgets
        for pvc in spec.workloads.persistentVolumeClaims { addClaim(pvc) }
        for c in spec.workloads.cnpgClusters { cnpgOperator.create(c, in: self) }
        for s in spec.workloads.statefulSets { statefulSetController.create(s, in: self) }
        for j in spec.workloads.jobs { jobController.create(j, in: self) }
        for c in spec.workloads.cronJobs { cronJobController.create(c, in: self) }
        autoscalerController.start(spec.autoscalers, in: self)
    }

    /// The controller manager started at some point within a monitor period before t=0.
    func startNodeLifecycleController() {
        var rng = streams.stream("kube-controller-manager", "monitor-phase")
        let phase = SimTime(microseconds: Int64(rng.nextUnit() * Double(params.nodeMonitorPeriod.microseconds)))
        nodeLifecycle.start(phase: phase, in: self)
        for n in nodes.indices { recordNodeState(n) }
    }

    func addWorkload(name: String, kind: String, desired: Int) -> WorkloadID {
        workloads.append(Workload(name: name, kind: kind, desired: desired))
        return WorkloadID(workloads.count - 1)
    }

    /// Priority admission: spec.priority, else the class's value, else 0.
    func resolvePriority(_ spec: PodSpec) -> Int32 {
        if let p = spec.priority { return p }
        if let name = spec.priorityClassName, let v = priorityClasses[name] { return v }
        return spec.priorityClassName == nil
            ? (self.spec.workloads.priorityClasses.first { $0.globalDefault }?.value ?? 0) : 0
    }
}
