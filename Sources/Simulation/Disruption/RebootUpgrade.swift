import KubeModel
import SimKernel

/// A Talos upgrade (`talosctl upgrade`, one node at a time): the node reboots into a new
/// image instead of restarting a process. Talos's upgrade sequence (siderolabs/talos
/// internal/app/machined/pkg/runtime/v1alpha1/v1alpha1_sequencer.go, `Sequencer.Upgrade`)
/// runs: `drain` (CordonAndDrainNode), `cleanup` (StopAllPods), `stopServices`
/// (StopServicesEphemeral: stopping `cri` stops what depends on it, the kubelet and etcd),
/// unmounts, `upgrade` (the installer writes the image), `kexec` and `reboot`. etcd runs in a
/// container that the containerd runner stops with SIGTERM (system/runner/containerd
/// `Stop`), and etcd answers SIGTERM with its graceful `Stop` (etcd-io/etcd server/etcdmain
/// etcd.go `startEtcd` registers `embed.Etcd.Close` as the interrupt handler), which hands a
/// leader's leadership to a follower first. The sequence has no `etcd leave` step: the member
/// keeps its place and rejoins after the reboot. The node is uncordoned by Talos's node
/// controller once the machine runs again (controllers/k8s/node_apply.go `ApplyCordoned`).
extension UpgradeController {
    /// Talos's drain (pkg/kubernetes `Client.Drain`): evicts every pod but DaemonSet, mirror
    /// and unmanaged pods (those stop with the machine and start again after it), retries a
    /// PodDisruptionBudget's 429 every 5 s, and gives up after `DrainTimeout` (5 min) without
    /// failing the upgrade.
    func startRebootUpgrade(_ u: Int, node n: Int, in ctx: UpgradeControllerContext) {
        let timeout = upgrades[u].plan.rebootDrainTimeout
        if case .failure(let refusal) = ctx.startDrain(
            n, owner: .upgrade(u), force: false, timeout: timeout, skipUnmanaged: true)
        {
            rebootIntoNewImage(u, node: n, drainFailure: refusal.message, in: ctx)
        }
    }

    /// The drain ended (done, or timed out: Talos goes on either way): the pods and services
    /// stop, the etcd member hands over its leadership if it leads, and the machine goes down
    /// to install the image and reboot.
    func rebootIntoNewImage(_ u: Int, node n: Int, drainFailure: String?, in ctx: UpgradeControllerContext) {
        let plan = upgrades[u].plan
        let name = ctx.nodes[n].name, now = ctx.now, boot = ctx.nodeBootTime
        if let drainFailure { upgrades[u].failures.append("\(name): \(drainFailure)") }
        ctx.updateFault(upgrades[u].fault) {
            $0.markNode(.rebooted, name, now) {
                "Talos rebooted \(describeNodes($0, noun: true)) into the new image: pods and services stopped (etcd on SIGTERM, a leader handing over its leadership first), the image installed and the machine restarted (installAndRebootTime \(plan.installAndRebootTime), assumption), then the kubelet after nodeBootTime \(boot)"
                    + (drainFailure.map { "; the drain gave up after DrainTimeout \(plan.rebootDrainTimeout): \($0)" } ?? "")
            }
        }
        ctx.shutDownMachine(n, why: "Talos upgrade")
        ctx.schedule(.machineRebooted(upgrade: u, node: n), after: plan.installAndRebootTime)
    }

    /// The new image starts: the kubelet is up after `nodeBootTime`, posts Ready=True, and
    /// then Talos uncordons the node (the boot's event is queued first, so Ready comes first).
    func rebootedMachineStarts(_ u: Int, node n: Int, in ctx: UpgradeControllerContext) {
        ctx.powerOnNode(n)
        ctx.schedule(.nodeDone(upgrade: u, node: n), after: ctx.nodeBootTime)
    }
}
