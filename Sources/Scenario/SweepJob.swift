import Foundation
import Simulation
import Yams

/// The manifests that run a sweep too large for one machine on a Kubernetes cluster (`k3sim sweep --emit-job`).
///
/// A ConfigMap with the scenario and its manifest files, a ReadWriteMany claim for the results, and
/// an Indexed Job whose pod `JOB_COMPLETION_INDEX` runs
/// `k3sim run --runs N --shard $(JOB_COMPLETION_INDEX)/K` into its own database on the claim.
/// `k3sim merge` joins those databases afterwards.
public struct SweepJob: Sendable {
    public var name: String
    public var namespace: String?
    public var image: String
    public var runs: Int
    public var firstSeed: UInt64
    public var shards: Int
    /// Pods at once (the Job's parallelism); at most `shards`.
    public var parallelism: Int
    public var storageClass: String?
    public var storage: String = "1Gi"
    /// CPU each pod requests: a pod runs its shard on every core it gets.
    public var cpu: String = "1"
    public var memory: String = "1Gi"

    public init(
        name: String, namespace: String?, image: String, runs: Int, firstSeed: UInt64, shards: Int,
        parallelism: Int, storageClass: String?
    ) {
        self.name = name; self.namespace = namespace; self.image = image; self.runs = runs
        self.firstSeed = firstSeed; self.shards = shards; self.parallelism = parallelism
        self.storageClass = storageClass
    }

    /// Why this Job cannot be written for `scenario`, or nil.
    public func problem(for scenario: LoadedScenario) -> String? {
        if let p = SweepShard.problem(runs: runs, index: 0, count: shards) { return p }
        if let p = Limits.runsProblem(runs: runs, shards: shards) { return p }
        if parallelism < 1 { return "--parallelism must be at least 1" }
        // DNS-1123 subdomain of at most 52 characters: the Job controller appends
        // "-<index>-<random>" to make pod names within 63.
        let valid = name.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil
        if !valid || name.count > 52 {
            return
                "the Job name \"\(name)\" must be lowercase letters, digits and '-', start and end with a letter or digit, and have at most 52 characters"
        }
        for f in scenario.manifestFiles where f.hasPrefix("/") || f.split(separator: "/").contains("..") {
            return
                "manifest \(f) lies outside the scenario's directory, so it cannot travel in the ConfigMap; copy it next to the scenario"
        }
        let base = URL(fileURLWithPath: scenario.path).deletingLastPathComponent()
        let files =
            [(scenario.path, scenario.text)]
            + scenario.manifestFiles.map { f in
                (f, (try? String(contentsOf: base.appendingPathComponent(f), encoding: .utf8)) ?? "")
            }
        for (file, text) in files {
            if let what = Self.credentials(in: text) {
                return
                    "\(file) holds \(what): the Job's ConfigMap would show it to everyone who can read ConfigMaps in the namespace; take it out of the files the sweep copies"
            }
        }
        return nil
    }

    /// What in `text` looks like a credential, if anything: a Secret, a private key, or the
    /// credential fields of a kubeconfig.
    static func credentials(in text: String) -> String? {
        let checks = [
            (#"(?m)^\s*kind:\s*["']?Secret["']?\s*$"#, "a Secret"),
            (#"-----BEGIN [A-Z ]*PRIVATE KEY-----"#, "a private key"),
            (#"(?m)^\s*(client-key-data|client-key|token|password):\s*\S"#, "kubeconfig credentials"),
        ]
        for (pattern, what) in checks where text.range(of: pattern, options: .regularExpression) != nil { return what }
        return nil
    }

    /// The three manifests as one YAML stream, with a comment that says how to use it.
    public func yaml(for scenario: LoadedScenario) throws -> String {
        let labels: Node = ["app.kubernetes.io/name": "k3sim", "app.kubernetes.io/instance": Node(name)]
        let (configMap, items) = try scenarioConfigMap(for: scenario, labels: labels)
        let claim = resultsClaim(labels: labels)
        let job = indexedJob(items: items, labels: labels)
        let header = """
            # k3sim sweep: \(runs) runs of scenario "\(scenario.name)" from seed \(firstSeed), in \(shards) shards
            # (\(min(parallelism, shards)) pods at a time). Pod I runs `k3sim run --shard I/\(shards)` into
            # /results/shard-I.sqlite on the claim \(name)-results (ReadWriteMany: the pods may run on any node).
            #   kubectl apply -f THIS_FILE && kubectl wait --for=condition=complete job/\(name) --timeout=24h
            # then copy /results out (see README "Sweeps on Kubernetes") and run:
            #   k3sim merge --db sweep.sqlite shard-*.sqlite && k3sim report --db sweep.sqlite

            """
        return header + (try Yams.serialize(nodes: [configMap, claim, job], allowUnicode: true, explicitStart: true))
    }

    /// The scenario and its manifests, and the volume items that put each back at its path.
    private func scenarioConfigMap(for scenario: LoadedScenario, labels: Node) throws -> (Node, [Node]) {
        let base = URL(fileURLWithPath: scenario.path).deletingLastPathComponent()
        var data: [(Node, Node)] = [("scenario.yaml", Self.literal(scenario.text))]
        var items: [Node] = [["key": "scenario.yaml", "path": "scenario.yaml"]]
        for (i, f) in scenario.manifestFiles.enumerated() {
            let text = try String(contentsOf: base.appendingPathComponent(f), encoding: .utf8)
            // ConfigMap keys cannot hold '/'; the volume's items put each file back at its path.
            let key = "manifest-\(i)-" + (f.split(separator: "/").last.map(String.init) ?? "file")
            data.append((Node(key), Self.literal(text)))
            items.append(["key": Node(key), "path": Node(f)])
        }
        let size = data.reduce(0) { $0 + ($1.1.string?.utf8.count ?? 0) }
        guard size < 1_000_000 else {
            throw SweepJobError(message: "the scenario and its manifests are \(size) bytes; a ConfigMap holds at most 1 MiB")
        }
        let configMap: Node = [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata("\(name)-scenario", labels),
            "data": Node.mapping(Node.Mapping(data)),
        ]
        return (configMap, items)
    }

    /// The ReadWriteMany claim every shard writes its database to.
    private func resultsClaim(labels: Node) -> Node {
        var claimSpec: [(Node, Node)] = [
            ("accessModes", ["ReadWriteMany"]),
            ("resources", ["requests": ["storage": Node(storage)]]),
        ]
        if let storageClass { claimSpec.append(("storageClassName", Node(storageClass))) }
        return [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata("\(name)-results", labels),
            "spec": Node.mapping(Node.Mapping(claimSpec)),
        ]
    }

    /// The Indexed Job whose pod I runs shard I.
    private func indexedJob(items: [Node], labels: Node) -> Node {
        let args: [Node] = [
            "run", "/scenario/scenario.yaml", "--runs", Self.quoted("\(runs)"), "--seed", Self.quoted("\(firstSeed)"),
            "--shard", Self.quoted("$(JOB_COMPLETION_INDEX)/\(shards)"),
            "--db", Self.quoted("/results/shard-$(JOB_COMPLETION_INDEX).sqlite"),
        ]
        let container: Node = [
            "name": "k3sim", "image": Node(image), "command": ["k3sim"], "args": Node.sequence(Node.Sequence(args)),
            // The Job controller adds this variable itself; declaring it makes the $(…) expansion
            // in args independent of that (and of the order in which the variable is added).
            "env": [
                [
                    "name": "JOB_COMPLETION_INDEX",
                    "valueFrom": ["fieldRef": ["fieldPath": "metadata.annotations['batch.kubernetes.io/job-completion-index']"]],
                ]
            ],
            "resources": ["requests": ["cpu": Self.quoted(cpu), "memory": Node(memory)], "limits": ["memory": Node(memory)]],
            "volumeMounts": [
                ["name": "scenario", "mountPath": "/scenario", "readOnly": "true"],
                ["name": "results", "mountPath": "/results"],
            ],
        ]
        let podSpec: Node = [
            "restartPolicy": "Never",
            // The results claim is writable by this group: the image runs as a non-root user.
            "securityContext": ["runAsNonRoot": "true", "fsGroup": "65532"],
            "containers": [container],
            "volumes": [
                [
                    "name": "scenario",
                    "configMap": ["name": Node("\(name)-scenario"), "items": Node.sequence(Node.Sequence(items))],
                ],
                ["name": "results", "persistentVolumeClaim": ["claimName": Node("\(name)-results")]],
            ],
        ]
        return [
            "apiVersion": "batch/v1", "kind": "Job", "metadata": metadata(name, labels),
            "spec": [
                "completionMode": "Indexed", "completions": Node("\(shards)"), "parallelism": Node("\(min(parallelism, shards))"),
                "backoffLimitPerIndex": "2",
                "template": ["metadata": ["labels": labels], "spec": podSpec],
            ],
        ]
    }

    private func metadata(_ objectName: String, _ labels: Node) -> Node {
        var pairs: [(Node, Node)] = [("name", Node(objectName))]
        if let namespace { pairs.append(("namespace", Node(namespace))) }
        pairs.append(("labels", labels))
        return Node.mapping(Node.Mapping(pairs))
    }

    private static func literal(_ text: String) -> Node {
        Node.scalar(Node.Scalar(text, .implicit, .literal))
    }

    /// A string that would otherwise read back as a number or a boolean.
    private static func quoted(_ text: String) -> Node {
        Node.scalar(Node.Scalar(text, .implicit, .doubleQuoted))
    }
}

public struct SweepJobError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
