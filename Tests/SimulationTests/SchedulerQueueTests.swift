import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// kube-scheduler's queue as a component: the backoff of a pod that failed, and the periodic
/// move of unschedulable pods back to the active queue.
struct SchedulerQueueTests {
    /// kubernetes pkg/scheduler/internal/queue/pod_backoff_test.go `TestBackoffPod`: with a
    /// 1 s initial and a 10 s maximum backoff, successive failures back off 1, 2, 4, 8, 10, 10 s.
    @Test(arguments: [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (6, 10)])
    func backoffDoublesUpToTheMaximum(attempts: Int, seconds: Int64) {
        let b = KubeScheduler.backoff(afterAttempts: attempts, initial: .seconds(1), max: .seconds(10))
        #expect(b == .seconds(seconds))
    }

    /// A pod that never failed has no backoff.
    @Test func noBackoffBeforeTheFirstFailure() {
        #expect(KubeScheduler.backoff(afterAttempts: 0, initial: .seconds(1), max: .seconds(10)) == .zero)
    }

    /// A pod that fits nowhere, with nothing in the cluster changing, is tried again each time
    /// the leftover flush moves it back (after `podMaxInUnschedulablePodsDuration`), one API
    /// latency later: its 1 s backoff has long expired by then.
    @Test func unschedulablePodIsRetriedByTheLeftoverFlush() {
        var w = Workloads()
        w.deployments = [Support.deployment("big", replicas: 1, cpuMilli: 8000)]
        let sim = ClusterSimulation(
            spec: ClusterSpec(
                name: "t", duration: .minutes(11), nodes: [Support.node("n1", cpu: 4000)], workloads: w,
                timing: [Support.constantTiming]))
        var attempts: [SimTime] = []
        sim.componentEvents = { event in
            if case .failedScheduling = event { attempts.append(sim.now) }
        }
        _ = sim.run()
        let flush = sim.params.podMaxInUnschedulablePodsDuration, latency = sim.params.apiLatency
        #expect(attempts.count == 3)
        guard let first = attempts.first, attempts.count == 3 else { return }
        #expect(attempts == [first, first + flush + latency, first + (flush + latency) * 2])
        let pending = sim.pods.values.filter { $0.node == nil }.map(\.id)
        #expect(pending.count == 1 && sim.scheduler.unschedulable.keys.sorted() == pending)
        // The FitError, then DefaultPreemption's verdict on the one node (no lower-priority pods).
        #expect(
            pending.first.flatMap(sim.scheduler.lastFailure)
                == "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
                + "1 No preemption victims found for incoming pod.")
    }
}
