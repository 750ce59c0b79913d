import Foundation
import Testing

/// `k3sim capacity` as a user meets it: the reference scenario, JSON, a bad pod file.
@Suite(.serialized)
struct CapacityCLITests {
    let cli = CLITests()
    var reference: String { CLITests.packageRoot.appendingPathComponent("scenarios/hetzner-k3s-ha.yaml").path }
    var probe: String { CLITests.packageRoot.appendingPathComponent("scenarios/manifests/probe-pod.yaml").path }

    /// The servers' CriticalAddonsOnly taint keeps every copy on the agents; JSON's per-node
    /// counts add up to fitNow, and a loss never leaves more than the cluster as it stands.
    @Test func referenceScenario() throws {
        let text = try cli.k3sim(["capacity", reference, "--pod", probe])
        #expect(text.code == 0, "\(text.stderr)")
        #expect(text.stdout.contains("after the worst single node loss (node/"))
        #expect(text.stdout.contains("server-0  0     node(s) had untolerated taint {CriticalAddonsOnly: true}"))
        let json = try cli.k3sim(["capacity", reference, "--pod", probe, "--survive", "zone", "--json"])
        #expect(json.code == 0, "\(json.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let fitNow = try #require(doc["fitNow"] as? Int)
        let nodes = try #require(doc["nodes"] as? [[String: Any]])
        #expect(nodes.reduce(0) { $0 + ($1["fits"] as? Int ?? 0) } == fitNow)
        #expect(
            nodes.filter { ($0["name"] as? String)?.hasPrefix("agents-") == true }.allSatisfy {
                $0["limitedBy"] as? String == "cpu"
            })
        let loss = try #require(doc["fitAfterLoss"] as? [String: Any])
        #expect((loss["worst"] as? String)?.hasPrefix("zone/") == true)
        #expect(try #require(loss["instances"] as? Int) < fitNow)
    }

    @Test func badPodFile() throws {
        let dir = try cli.tempDir()
        let pod = dir.appendingPathComponent("pod.yaml")
        try """
        apiVersion: v1
        kind: Pod
        metadata: {name: probe}
        spec:
          containers: [{name: c, image: x, resources: {requests: {cpu: lots}}}]
        """.write(to: pod, atomically: true, encoding: .utf8)
        let r = try cli.k3sim(["capacity", reference, "--pod", pod.path])
        #expect(r.code == 2)
        #expect(
            r.stderr == "\(pod.path):5:64: spec.containers[0].resources.requests.cpu: quantity \"lots\" is not a Kubernetes "
                + "quantity (e.g. 500m, 2, 1.5Gi, 128974848, 129e6)\n")
        let survive = try cli.k3sim(["capacity", reference, "--pod", probe, "--survive", "rack"])
        #expect(survive.code == 2)
        #expect(survive.stderr == "--survive must be node, zone or none, not \"rack\"\n")
    }
}
