import SimKernel
import Testing

@testable import Simulation

/// Leader election driven by hand, with client-go's defaults (leaseDuration 15 s, renewDeadline
/// 10 s, retryPeriod 2 s). The holder renews on a 2 s grid from its last renewal, so a crash
/// leaves its Lease valid for 13–15 s more; another instance acquires it at its next retry,
/// 0–2 s later: 13–17 s after the crash. A kube-scheduler that stops gracefully releases the
/// Lease (ReleaseOnCancel), so the next retry (0–2 s) takes it; kube-controller-manager does not.
struct LeaderElectionTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func aCrashedHolderIsReplacedThirteenToSeventeenSecondsLater(seed: UInt64) throws {
        let ctx = ElectionContext(seed: seed)
        let election = LeaderElection()
        election.start(in: ctx)
        let holder = try #require(election.controllerManager.holder)
        ctx.now = .milliseconds(5300)
        ctx.running.remove(holder)
        election.serversChanged(in: ctx)
        #expect(election.controllerManager.holder == nil)
        let takeover = try #require(
            ctx.scheduled.first { if case .takeover(.controllerManager, _) = $0.0 { true } else { false } })
        let delay = (takeover.1 - ctx.now).seconds
        #expect(delay > 13 && delay < 17)
        // kube-scheduler's Lease may sit on the same server and be lost with it.
        #expect(ctx.milestones.first == .controllerManagerLeaseLost)

        ctx.now = takeover.1
        election.handle(takeover.0, in: ctx)
        let next = try #require(election.controllerManager.holder)
        #expect(next != holder && ctx.running.contains(next))
        #expect(election.controllerManager.lastRenew == takeover.1)
        #expect(ctx.acquired == [.controllerManager])
        #expect(ctx.milestones.last == .controllerManagerResumed)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func aGracefulStopReleasesOnlyTheSchedulersLease(seed: UInt64) throws {
        let ctx = ElectionContext(seed: seed)
        let election = LeaderElection()
        election.start(in: ctx)
        ctx.now = .seconds(20)
        ctx.gracefulStops = Set(ctx.serverNodes)
        ctx.running = []
        election.serversChanged(in: ctx)
        for (event, at) in ctx.scheduled {
            guard case .takeover(let role, _) = event else { continue }
            let delay = (at - ctx.now).seconds
            if role == .scheduler { #expect(delay >= 0 && delay < 2) } else { #expect(delay > 13 && delay < 17) }
        }
        #expect(ctx.scheduled.count == 2)
    }

    /// A holder that runs but cannot write gives up renewDeadline after its writes started
    /// failing; the Lease then expires leaseDuration after its last renewal before that.
    @Test func aHolderThatCannotWriteGivesUpAfterRenewDeadline() throws {
        let ctx = ElectionContext(seed: 7)
        let election = LeaderElection()
        election.start(in: ctx)
        let holder = try #require(election.scheduler.holder)
        let grid = election.scheduler.lastRenew
        ctx.now = .milliseconds(4100)
        ctx.writable.remove(holder)
        election.serversChanged(in: ctx)
        let deadline = try #require(ctx.scheduled.first { if case .renewDeadline(.scheduler, _) = $0.0 { true } else { false } })
        #expect(deadline.1 == .milliseconds(14_100))
        #expect(election.holderWorking(.scheduler, in: ctx))

        ctx.now = deadline.1
        ctx.scheduled.removeAll()
        election.handle(deadline.0, in: ctx)
        #expect(election.scheduler.holder == nil)
        // The last renewal at or before 4.1 s on the grid that starts at `grid` (−2…0 s).
        let lastRenewal = grid + .seconds(2) * Int64(((SimTime.milliseconds(4100) - grid).seconds / 2).rounded(.down))
        #expect(election.scheduler.lastRenew == lastRenewal)
        let takeover = try #require(ctx.scheduled.first)
        #expect(takeover.1 == max(ctx.now, lastRenewal + .seconds(15)))
        #expect(ctx.milestones == [.schedulerLeaseLost])
    }
}

/// Three servers (nodes 0–2), all running and able to write unless a test says otherwise.
private final class ElectionContext: LeaderElectionContext {
    var now: SimTime = .zero
    let controlPlaneSpec = ControlPlaneSpec(datastore: .embeddedEtcd, servers: ["s0", "s1", "s2"])
    let serverNodes = [0, 1, 2]
    var running: Set<Int> = [0, 1, 2]
    var writable: Set<Int> = [0, 1, 2]
    var gracefulStops: Set<Int> = []
    var scheduled: [(LeaderElectionEvent, SimTime)] = []
    var milestones: [MilestoneName] = []
    var acquired: [LeaderElectedRole] = []
    private let streams: RandomStreams
    private var continuing: ContinuingStreams

    init(seed: UInt64) {
        streams = RandomStreams(seed: seed)
        continuing = ContinuingStreams(streams)
    }

    func schedule(_ event: LeaderElectionEvent, at time: SimTime) { scheduled.append((event, time)) }
    func nodeName(_ n: Int) -> String { "s\(n)" }
    func k3sRunning(_ n: Int) -> Bool { running.contains(n) }
    func canWrite(from n: Int) -> Bool { writable.contains(n) }
    func canReachWritableServer(from n: Int) -> Bool { true }
    func stoppedGracefully(_ n: Int) -> Bool { gracefulStops.contains(n) }
    func drawInSequence<T>(_ entity: String, _ purpose: String, _ body: (inout RandomStream) -> T) -> T {
        continuing.draw(entity, purpose, body)
    }
    func freshStream(_ entity: String, _ purpose: String) -> RandomStream { streams.stream(entity, purpose) }
    func faultsCausing(nodes: [Int]) -> [FaultID] { [] }
    var datastoreLossCauses: [FaultID] { [] }
    func faultsObserveControlPlane(_ name: MilestoneName, _ mechanism: String, causes: [FaultID]) { milestones.append(name) }
    func leaseAcquired(_ role: LeaderElectedRole) { acquired.append(role) }
}
