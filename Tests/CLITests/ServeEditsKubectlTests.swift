import Foundation
import Testing

/// `kubectl taint` and `kubectl label` against `k3sim serve`, with the real kubectl binaries
/// (the oldest and the newest on the machine): the edits reach the scheduler and the taint
/// eviction controller, and the events say so in kube-scheduler's and the controller's words.
@Suite(.enabled(if: Kubectl.available, "kubectl is not on the PATH"))
struct ServeEditsKubectlTests {
    /// Three equal workers; `web` spreads over them, `db` waits for a node labelled disk=ssd.
    static let scenario = """
        apiVersion: k3sim/v1alpha1
        kind: Scenario
        metadata: {name: served-edits}
        spec:
          duration: 1h
          seed: 7
          platform: {distribution: k3s, provider: hetzner, kubernetesVersion: "1.33",
                     disable: [traefik, servicelb, metrics-server, local-storage, coredns]}
          nodes:
            - {name: w1, capacity: {cpu: "4", memory: 8Gi, pods: "110"}, labels: {topology.kubernetes.io/zone: a}}
            - {name: w2, capacity: {cpu: "4", memory: 8Gi, pods: "110"}, labels: {topology.kubernetes.io/zone: a}}
            - {name: w3, capacity: {cpu: "4", memory: 8Gi, pods: "110"}, labels: {topology.kubernetes.io/zone: a}}
          workloads:
            - object:
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: "1", memory: 1Gi}}}]
            - object:
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: db}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      nodeSelector: {disk: ssd}
                      containers: [{name: db, image: postgres:17, resources: {requests: {cpu: 100m, memory: 256Mi}}}]

        """

    static func lines(_ out: String, containing needle: String) -> [Substring] {
        out.split(separator: "\n").filter { $0.contains(needle) }
    }

    @Test(arguments: Kubectl.versions)
    func taintsAndLabelsReachTheSchedulerAndTheTaintEvictionController(version: String) throws {
        let kubectl = Kubectl.binary(version)
        let dir = try ServedScenario.tempDir()
        let file = dir.appendingPathComponent("edits.yaml")
        try Self.scenario.write(to: file, atomically: true, encoding: .utf8)
        let served = try ServedScenario(file.path, ["--speed", "20"])
        defer { _ = served.stop() }

        _ = try served.kubectl(kubectl, ["get", "deployment", "web"], until: { $0.contains("3/3") })
        // No node has disk=ssd: NodeAffinity's reason for each of the three (its ErrReasonPod).
        let pending = try served.kubectl(kubectl, ["get", "events"], until: { $0.contains("FailedScheduling") })
        #expect(
            pending.stdout.contains("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."),
            "\(pending.stdout)")

        let label = try served.kubectl(kubectl, ["label", "node", "w2", "disk=ssd"])
        #expect(label.code == 0 && label.stdout.contains("node/w2 labeled"), "\(label.stderr)")
        #expect(try served.kubectl(kubectl, ["get", "nodes", "-l", "disk=ssd", "-o", "name"]).stdout == "node/w2\n")
        let db = try served.kubectl(
            kubectl, ["get", "pods", "-l", "app=db", "-o", "wide"],
            until: { $0.contains("Running") })
        #expect(db.stdout.contains("Running") && db.stdout.contains(" w2 "), "the labelled node takes db: \(db.stdout)")

        for node in ["w1", "w2"] {
            let taint = try served.kubectl(kubectl, ["taint", "node", node, "dedicated=db:NoSchedule"])
            #expect(taint.code == 0 && taint.stdout.contains("node/\(node) tainted"), "\(taint.stderr)")
        }
        let onW3 = try served.kubectl(
            kubectl, ["get", "pods", "-l", "app=web", "--field-selector", "spec.nodeName=w3", "-o", "name"])
        let victim = try #require(onW3.stdout.split(separator: "\n").first.map { String($0.dropFirst("pod/".count)) })
        let noExecute = try served.kubectl(kubectl, ["taint", "node", "w3", "drill=now:NoExecute"])
        #expect(noExecute.code == 0 && noExecute.stdout.contains("node/w3 tainted"), "\(noExecute.stderr)")
        let taintJSON = try served.kubectl(kubectl, ["get", "node", "w3", "-o", "jsonpath={.spec.taints[*].key}"])
        #expect(taintJSON.stdout == "drill", "\(taintJSON.stdout)")

        // The pod does not tolerate drill: deleted at once, and its replacement fits nowhere:
        // TaintToleration's reason per node, the histogram sorted as strings.
        let events = try served.kubectl(
            kubectl, ["get", "events"],
            until: {
                $0.contains("TaintManagerEviction") && $0.contains("untolerated taint {drill: now}")
            })
        #expect(
            Self.lines(events.stdout, containing: "TaintManagerEviction").contains {
                $0.contains("pod/\(victim)") && $0.contains("Marking for deletion Pod default/\(victim)")
            }, "\(events.stdout)")
        #expect(
            events.stdout.contains(
                "0/3 nodes are available: 1 node(s) had untolerated taint {drill: now}, 2 node(s) had untolerated taint {dedicated: db}."
            ),
            "\(events.stdout)")

        let untaint = try served.kubectl(kubectl, ["taint", "node", "w1", "dedicated:NoSchedule-"])
        #expect(untaint.code == 0 && untaint.stdout.contains("node/w1 untainted"), "\(untaint.stderr)")
        let web = try served.kubectl(
            kubectl, ["get", "pods", "-l", "app=web", "-o", "wide"],
            until: {
                $0.components(separatedBy: "Running").count == 4 && !$0.contains(" w3 ")
            })
        #expect(web.stdout.components(separatedBy: " w1 ").count == 3, "the replacement went to w1: \(web.stdout)")

        let podName = try #require(Self.lines(web.stdout, containing: " w1 ").first?.split(separator: " ").first.map(String.init))
        let podLabel = try served.kubectl(kubectl, ["label", "pod", podName, "drill=yes"])
        #expect(podLabel.code == 0 && podLabel.stdout.contains("labeled"), "\(podLabel.stderr)")
        #expect(try served.kubectl(kubectl, ["get", "pods", "-l", "drill=yes", "-o", "name"]).stdout == "pod/\(podName)\n")
        let orphan = try served.kubectl(kubectl, ["label", "pod", podName, "app=other", "--overwrite"])
        #expect(orphan.code != 0 && orphan.stderr.contains("MethodNotAllowed"), "\(orphan.stderr)")

        let (code, output) = served.stop()
        #expect(code == 0)
        for action in [
            "label node/w2 disk=ssd", "taint node/w1 [dedicated=db:NoSchedule]", "taint node/w3 [drill=now:NoExecute]",
            "taint node/w1 []", "label pod/default/\(podName) drill=yes",
        ] {
            #expect(output.contains(action), "\(action): \(output)")
        }
    }
}
