import Foundation
import Testing
import Yams

@testable import Scenario

/// `k3sim sweep --emit-job`: the manifests read back as what the Job controller needs.
@Suite struct SweepJobTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let reference = root.appendingPathComponent("scenarios/hetzner-k3s-ha.yaml").path

    func documents(_ job: SweepJob, _ loaded: LoadedScenario) throws -> [[String: Any]] {
        try Yams.load_all(yaml: try job.yaml(for: loaded)).map { $0 as! [String: Any] }
    }

    @Test func indexedJobRunsOneShardPerIndex() throws {
        let loaded = try ScenarioLoader.load(path: reference)
        let job = SweepJob(
            name: "drill", namespace: "sims", image: "registry.example/k3sim:0.1", runs: 1000, firstSeed: 42,
            shards: 8, parallelism: 4, storageClass: "nfs")
        #expect(job.problem(for: loaded) == nil)
        let docs = try documents(job, loaded)
        #expect(docs.map { $0["kind"] as? String } == ["ConfigMap", "PersistentVolumeClaim", "Job"])

        let data = docs[0]["data"] as! [String: String]
        #expect(data["scenario.yaml"] == loaded.text)
        #expect(loaded.manifestFiles == ["manifests/shop.yaml", "manifests/platform.yaml"])
        let shop = try String(
            contentsOfFile: Self.root.appendingPathComponent("scenarios/manifests/shop.yaml").path, encoding: .utf8)
        #expect(data["manifest-0-shop.yaml"] == shop)

        let claim = docs[1]["spec"] as! [String: Any]
        #expect(claim["accessModes"] as? [String] == ["ReadWriteMany"] && claim["storageClassName"] as? String == "nfs")

        let spec = docs[2]["spec"] as! [String: Any]
        #expect(spec["completionMode"] as? String == "Indexed")
        #expect(spec["completions"] as? Int == 8 && spec["parallelism"] as? Int == 4)
        let pod = (spec["template"] as! [String: Any])["spec"] as! [String: Any]
        #expect(pod["restartPolicy"] as? String == "Never")
        let container = (pod["containers"] as! [[String: Any]])[0]
        #expect(container["command"] as? [String] == ["k3sim"])
        #expect(
            container["args"] as? [String] == [
                "run", "/scenario/scenario.yaml", "--runs", "1000", "--seed", "42",
                "--shard", "$(JOB_COMPLETION_INDEX)/8",
                "--db", "/results/shard-$(JOB_COMPLETION_INDEX).sqlite",
            ])
        let volumes = pod["volumes"] as! [[String: Any]]
        let items = (volumes[0]["configMap"] as! [String: Any])["items"] as! [[String: String]]
        #expect(items.map { $0["path"]! } == ["scenario.yaml", "manifests/shop.yaml", "manifests/platform.yaml"])
        #expect((docs[2]["metadata"] as! [String: Any])["namespace"] as? String == "sims")
    }

    @Test func badJobsAreRefused() throws {
        let loaded = try ScenarioLoader.load(path: reference)
        func job(name: String = "ok", runs: Int = 10, shards: Int = 2) -> SweepJob {
            SweepJob(
                name: name, namespace: nil, image: "i", runs: runs, firstSeed: 1, shards: shards, parallelism: 1,
                storageClass: nil)
        }
        #expect(job(name: "Bad_Name").problem(for: loaded)?.contains("Job name") == true)
        #expect(job(name: String(repeating: "a", count: 53)).problem(for: loaded) != nil)
        #expect(job(runs: 2, shards: 3).problem(for: loaded)?.contains("3 shards need at least 3 runs") == true)
    }

    /// The Job copies the scenario and its manifests into a ConfigMap, readable by anyone who
    /// may read ConfigMaps: a file holding a credential is refused, naming what was found.
    @Test(arguments: [
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n", "a Secret"),
        ("# key\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n", "a private key"),
        ("users:\n- name: u\n  user:\n    token: abc.def\n", "kubeconfig credentials"),
    ])
    func filesWithCredentialsAreNotCopied(text: String, what: String) throws {
        #expect(SweepJob.credentials(in: text) == what)
        #expect(SweepJob.credentials(in: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {mode: fast}\n") == nil)
    }
}
