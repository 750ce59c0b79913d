import Foundation
import Live
import Testing

/// kubeconfig as kubectl reads it: merge order, relative paths, `*-data` over files, errors
/// with positions, exec plugins with caching, in-cluster config, and no value in any message.
final class KubeconfigTests {
    let dir: URL
    init() throws { dir = try Tools.tempDir("kubeconfig") }
    deinit { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func config(
        cluster: String = "c", server: String = "https://10.0.0.1:6443", user: String = "u", context: String = "ctx",
        current: String? = "ctx", userBody: String = "token: t0ken", clusterExtra: String = ""
    ) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: \(cluster)
          cluster:
            server: \(server)\(clusterExtra)
        users:
        - name: \(user)
          user:
            \(userBody)
        contexts:
        - name: \(context)
          context: {cluster: \(cluster), user: \(user), namespace: shop}
        \(current.map { "current-context: \($0)" } ?? "")

        """
    }

    func load(_ options: KubeconfigOptions) throws -> ClusterConnection { try KubeconfigLoader.load(options) }

    @Test func kubeconfigListMergesFirstFileWins() throws {
        let a = try write("a.yaml", config(server: "https://first:6443", current: nil))
        let b = try write("b.yaml", config(server: "https://second:6443", context: "other", current: "ctx"))
        let c = try load(
            KubeconfigOptions(environment: ["KUBECONFIG": "\(dir.path)/missing.yaml:\(a):\(b)"], homeDirectory: dir.path))
        // current-context from b (a sets none); cluster "c" from a (first file wins).
        #expect(c.server == "https://first:6443")
        #expect(c.namespace == "shop" && c.contextName == "ctx")
        let other = try load(
            KubeconfigOptions(context: "other", environment: ["KUBECONFIG": "\(a):\(b)"], homeDirectory: dir.path))
        #expect(other.server == "https://first:6443")  // "other" names cluster c, defined first in a
    }

    @Test func explicitFileIsNotMergedAndMustExist() throws {
        let a = try write("x/a.yaml", config(server: "https://only:6443"))
        let c = try load(KubeconfigOptions(explicitPath: a, environment: ["KUBECONFIG": "/nonexistent"], homeDirectory: dir.path))
        #expect(c.server == "https://only:6443")
        #expect(throws: KubeconfigError.self) {
            try load(KubeconfigOptions(explicitPath: "\(dir.path)/nope.yaml", environment: [:]))
        }
    }

    @Test func relativeFilesAndDataFields() throws {
        _ = try write("certs/ca.crt", "CA-FROM-FILE")
        _ = try write("certs/client.crt", "CERT-FROM-FILE")
        _ = try write("certs/client.key", "KEY-FROM-FILE")
        let path = try write(
            "nested/../kc.yaml",
            config(
                userBody: "client-certificate: certs/client.crt\n    client-key: certs/client.key",
                clusterExtra: "\n    certificate-authority: certs/ca.crt"))
        let c = try load(KubeconfigOptions(explicitPath: path, environment: [:]))
        #expect(c.tls.caPEM == Data("CA-FROM-FILE".utf8))
        #expect(c.tls.clientCertificatePEM == Data("CERT-FROM-FILE".utf8))
        #expect(c.tls.clientKeyPEM?.value == Data("KEY-FROM-FILE".utf8))
        let data = Data("CA-FROM-DATA".utf8).base64EncodedString()
        let both = try write(
            "both.yaml",
            config(clusterExtra: "\n    certificate-authority: certs/ca.crt\n    certificate-authority-data: \(data)"))
        #expect(try load(KubeconfigOptions(explicitPath: both, environment: [:])).tls.caPEM == Data("CA-FROM-DATA".utf8))
    }

    @Test func errorsPointIntoTheFileAndNeverShowValues() throws {
        let missingCluster = try write(
            "m.yaml", config(cluster: "c").replacingOccurrences(of: "cluster: c, user", with: "cluster: nope, user"))
        do { _ = try load(KubeconfigOptions(explicitPath: missingCluster, environment: [:])); Issue.record("loaded") } catch let e
            as KubeconfigError
        {
            #expect(
                e.description
                    == "\(missingCluster):12:3: context \"ctx\" names cluster \"nope\", which no kubeconfig file defines")
        }
        let badBase64 = try write("b.yaml", config(userBody: "client-key-data: not*base64*SECRETVALUE"))
        do { _ = try load(KubeconfigOptions(explicitPath: badBase64, environment: [:])); Issue.record("loaded") } catch let e
            as KubeconfigError
        {
            #expect(e.description.hasPrefix("\(badBase64):10:22: users[0].user.client-key-data is not valid base64"))
            #expect(!e.description.contains("SECRETVALUE"))
        }
        let badYAML = try write("y.yaml", "clusters: [\n  - {name: a")
        #expect(throws: KubeconfigError.self) { try load(KubeconfigOptions(explicitPath: badYAML, environment: [:])) }
        let insecure = try write(
            "i.yaml",
            config(
                clusterExtra:
                    "\n    insecure-skip-tls-verify: true\n    certificate-authority-data: \(Data("x".utf8).base64EncodedString())"
            ))
        do { _ = try load(KubeconfigOptions(explicitPath: insecure, environment: [:])); Issue.record("loaded") } catch let e
            as KubeconfigError
        {
            #expect(e.line == 7 && e.message.contains("insecure-skip-tls-verify cannot be combined"))
        }
        let noContext = try write("n.yaml", config(current: nil))
        do { _ = try load(KubeconfigOptions(explicitPath: noContext, environment: [:])); Issue.record("loaded") } catch let e
            as KubeconfigError
        {
            #expect(e.message.contains("no current-context is set; pass --context NAME (contexts: ctx)"))
        }
    }

    /// A server URL without a host (or with an impossible port) is refused while loading, with
    /// its place, before anything is looked up on the network.
    @Test(arguments: ["\"https://\"", "\"https://:6443\"", "\"https://10.0.0.1:70000\""])
    func serverURLsWithoutAHostAreRefused(server: String) throws {
        let path = try write("s.yaml", config(server: server))
        do { _ = try load(KubeconfigOptions(explicitPath: path, environment: [:])); Issue.record("loaded \(server)") } catch let e
            as KubeconfigError
        {
            #expect(e.line == 6 && e.message.contains("is not a URL with a host"), "\(e.description)")
        }
    }

    /// 300 mutations of a kubeconfig (lines dropped or repeated, values replaced by garbage,
    /// control characters, huge numbers, wrong types): each loads or is refused with a
    /// KubeconfigError — never a crash, never another error — and no refusal shows the token.
    @Test func mutatedKubeconfigsLoadOrAreRefusedWithoutLeaking() throws {
        let original = config(server: "https://10.0.0.1:6443", userBody: "token: SECRETTOKEN")
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let garbage = [
            "", "[]", "{}", "\"https://\"", "9999999999999999999999", "-1", "\"\\u0007\"", "~", "!!binary AAAA",
            "{server: 1}", "\"http://[::1\"", String(repeating: "a", count: 5000),
        ]
        var seed: UInt64 = 0x5EED  // a fixed LCG: the same 300 mutations every run
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        for i in 0..<300 {
            var mutated = lines
            let at = next() % mutated.count
            switch next() % 4 {
            case 0: mutated.remove(at: at)
            case 1: mutated.insert(mutated[at], at: at)
            case 2:
                if let colon = mutated[at].firstIndex(of: ":") {
                    mutated[at] = String(mutated[at][...colon]) + " " + garbage[next() % garbage.count]
                }
            default: mutated[at] += String(UnicodeScalar(UInt8(next() % 32)))
            }
            let path = try write("fuzz/\(i).yaml", mutated.joined(separator: "\n"))
            do {
                _ = try load(KubeconfigOptions(explicitPath: path, environment: [:]))
            } catch let e as KubeconfigError {
                #expect(!e.description.contains("SECRETTOKEN"), "mutation \(i): \(e.description)")
            } catch {
                Issue.record("mutation \(i): \(error) is not a KubeconfigError")
            }
        }
    }

    @Test func secretsAreRedactedWhenPrinted() throws {
        let path = try write("t.yaml", config(userBody: "token: super-secret-token"))
        let c = try load(KubeconfigOptions(explicitPath: path, environment: [:]))
        guard case .token(let t) = c.auth else { Issue.record("no token"); return }
        #expect(t.value == "super-secret-token")
        for text in ["\(c)", String(describing: c), String(reflecting: c), "\(t)"] {
            #expect(!text.contains("super-secret-token"))
        }
    }

    @Test func execPluginRunsOnceUntilExpiry() throws {
        let counter = dir.appendingPathComponent("runs").path
        let plugin = try write(
            "bin/get-token",
            """
            #!/bin/sh
            echo run >> \(counter)
            echo "$KUBERNETES_EXEC_INFO" > \(dir.path)/exec-info.json
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin","expirationTimestamp":"2999-01-01T00:00:00Z"}}'
            """)
        chmod(plugin, 0o755)
        let path = try write(
            "e.yaml",
            config(
                userBody: """
                    exec:
                          apiVersion: client.authentication.k8s.io/v1
                          command: ./bin/get-token
                          args: [--cluster, prod]
                          env: [{name: AWS_PROFILE, value: prod}]
                          provideClusterInfo: true
                    """))
        let c = try load(KubeconfigOptions(explicitPath: path, environment: [:]))
        guard case .exec(let provider) = c.auth else { Issue.record("no exec"); return }
        #expect(try provider.credential().token?.value == "from-plugin")
        #expect(try provider.credential().token?.value == "from-plugin")
        #expect(provider.runs == 1)
        let info = try JSONValue.parse(try Data(contentsOf: dir.appendingPathComponent("exec-info.json")))
        #expect(
            info["kind"]?.string == "ExecCredential" && info[path: "spec", "cluster", "server"]?.string == "https://10.0.0.1:6443"
        )
        provider.invalidate()
        _ = try provider.credential()
        #expect(provider.runs == 2)
        let wrong = try write(
            "bin/wrong",
            "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"x\"}}'\n"
        )
        chmod(wrong, 0o755)
        let p2 = try write(
            "e2.yaml", config(userBody: "exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/wrong}"))
        guard case .exec(let bad) = try load(KubeconfigOptions(explicitPath: p2, environment: [:])).auth else { return }
        #expect(throws: KubeconfigError.self) { try bad.credential() }
    }

    @Test func inClusterServiceAccount() throws {
        let sa = dir.appendingPathComponent("sa").path
        _ = try write("sa/token", "sa-token\n")
        _ = try write("sa/ca.crt", "CA")
        _ = try write("sa/namespace", "ops")
        let c = try load(
            KubeconfigOptions(
                environment: ["KUBERNETES_SERVICE_HOST": "10.43.0.1", "KUBERNETES_SERVICE_PORT": "443"],
                homeDirectory: dir.path, serviceAccountDirectory: sa))
        #expect(c.server == "https://10.43.0.1:443" && c.namespace == "ops" && c.tls.caPEM == Data("CA".utf8))
        guard case .tokenFile(let f) = c.auth else { Issue.record("no token file"); return }
        #expect(f == sa + "/token")
        #expect(throws: KubeconfigError.self) { try load(KubeconfigOptions(environment: [:], homeDirectory: dir.path)) }
    }

    @Test func theCLIReportsABadKubeconfigInOneSentenceWithExitCode2() throws {
        let path = try write(
            "cli.yaml",
            config(userBody: "token: do-not-print-me").replacingOccurrences(of: "cluster: c, user", with: "cluster: gone, user"))
        let r = try Tools.k3sim(["live", "snapshot", "--kubeconfig", path])
        #expect(r.code == 2)
        #expect(
            r.stderr == "kubeconfig: \(path):12:3: context \"ctx\" names cluster \"gone\", which no kubeconfig file defines\n")
        #expect(!r.stderr.contains("do-not-print-me") && r.stdout.isEmpty)
        let missing = try Tools.k3sim(["live", "drill", "--kubeconfig", "\(dir.path)/absent.yaml", "--action", "drain", "node/a"])
        #expect(
            missing.code == 2
                && missing.stderr.contains("absent.yaml: the kubeconfig file given with --kubeconfig does not exist"))
    }
}
