import Foundation
import Live
import Testing

/// The Kubernetes client against the loopback API server: TLS with client certificates from
/// memory, bearer tokens, pagination, watches with bookmarks and 410 Gone.
@Suite(.serialized, .enabled(if: Tools.fakeServerAvailable, Comment(rawValue: Tools.fakeServerMissing)))
struct APIClientTests {
    func client(_ server: FakeK3s, auth: String = "cert") throws -> KubeClient {
        let kc = try server.kubeconfig(auth: auth)
        return KubeClient(
            connection: try KubeconfigLoader.load(KubeconfigOptions(explicitPath: kc.path, environment: [:])),
            http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
    }

    @Test func versionAndPaginatedListWithClientCertificate() throws {
        let server = try FakeK3s()
        let c = try client(server)
        let v = try c.serverVersion()
        #expect(v.gitVersion == "v1.33.4+k3s1" && v.minor == 33 && v.isK3s)
        let pods = try c.list(.pods, pageSize: 3)
        #expect(pods.items.count == 8)
        #expect(pods.pages == 3)
        let log = try server.requests()
        #expect(log.filter { $0.path == "/api/v1/pods" }.map { $0.query["continue"] ?? "" } == ["", "3", "6"])
        #expect(log.allSatisfy { $0.auth == "cert" })
    }

    @Test func bearerTokenWithoutClientCertificate() throws {
        let server = try FakeK3s()
        let nodes = try client(server, auth: "token").list(.nodes)
        #expect(nodes.items.count == 6)
        #expect(try server.requests().last?.auth == "token")
    }

    @Test func noCredentialsIsUnauthorizedAndWrongCAFailsTLS() throws {
        let server = try FakeK3s()
        let anonymous = KubeClient(
            connection: ClusterConnection(
                server: server.server, tls: TLSOptions(caPEM: try Data(contentsOf: server.pki.ca)),
                origin: "test"), http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
        #expect(throws: KubeAPIError.self) { try anonymous.serverVersion() }
        let wrongCA = KubeClient(
            connection: ClusterConnection(
                server: server.server, tls: TLSOptions(caPEM: try Data(contentsOf: server.pki.otherCA)),
                origin: "test"), http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
        do {
            _ = try wrongCA.serverVersion()
            Issue.record("a server certificate from another CA was accepted")
        } catch let e as HTTPError {
            #expect(e.kind == .tls)
        }
        // insecure-skip-tls-verify accepts it.
        let insecure = KubeClient(
            connection: ClusterConnection(
                server: server.server, tls: TLSOptions(insecureSkipVerify: true),
                auth: .token(Secret(server.token)), origin: "test"),
            http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
        #expect(try insecure.serverVersion().minor == 33)
    }

    @Test func watchDeliversEventsAndBookmarks() throws {
        let server = try FakeK3s()
        let c = try client(server)
        let list = try c.list(.nodes)
        let cancel = Cancellation()
        var events: [String] = []
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            _ = try? c.setUnschedulable(node: "k3s-agent-hel1-c", true)
        }
        let end = try c.watch(.nodes, resourceVersion: list.resourceVersion, timeoutSeconds: 3, cancellation: cancel) { e in
            events.append("\(e.type) \(e.object.name)")
            return !(events.contains("MODIFIED k3s-agent-hel1-c") && events.contains { $0.hasPrefix("BOOKMARK") })
        }
        #expect(end == .stopped)
        #expect(events.contains("MODIFIED k3s-agent-hel1-c"))
        #expect(events.contains { $0.hasPrefix("BOOKMARK") })
    }

    @Test func informerRelistsAfter410Gone() throws {
        let server = try FakeK3s(expireFirstPodWatch: true)
        let c = try client(server)
        let cancel = Cancellation()
        defer { cancel.cancel(reason: "test over") }
        let informer = Informer(client: c, resource: .pods, cancellation: cancel)
        informer.start()
        #expect(informer.waitForSync(timeout: 10))
        let deadline = Date().addingTimeInterval(10)
        while informer.relists == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(informer.relists == 1)
        #expect(informer.objects.count == 8)
        // The relist request follows the 410 (the counter is bumped first): wait for it.
        var lists = 0
        while lists < 2 && Date() < deadline {
            lists = try server.requests().filter { $0.path == "/api/v1/pods" && $0.query["watch"] == nil }.count
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(lists >= 2)
    }

    @Test func evictionIsAnswered429WhileThePDBIsAtItsLimit() throws {
        let server = try FakeK3s()
        let c = try client(server)
        #expect(try c.evict(namespace: "shop", pod: "web-7c9d8b5f4-a") == .evicted)
        guard case .blocked(let why) = try c.evict(namespace: "shop", pod: "web-7c9d8b5f4-b") else {
            Issue.record("the second eviction was not blocked"); return
        }
        #expect(why.contains("disruption budget"))
        #expect(try c.evict(namespace: "shop", pod: "nope") == .gone)
        // One POST each: evictions are not retried by the HTTP layer (the drill does it).
        #expect(try server.requests().filter { $0.method == "POST" }.count == 3)
    }

    @Test func retriesA503WithBackoffAndGivesUpOnARefusedConnection() throws {
        let server = try FakeK3s(flakyVersion: 2)
        let kc = try server.kubeconfig()
        let retries = Counter()
        let c = KubeClient(
            connection: try KubeconfigLoader.load(KubeconfigOptions(explicitPath: kc.path, environment: [:])),
            http: HTTPClient(proxyEnvironment: ProxyEnvironment(), onRetry: { _, why in retries.add(why) }))
        #expect(try c.serverVersion().minor == 33)
        #expect(retries.values == ["HTTP 503", "HTTP 503"])
        #expect(try server.requests().filter { $0.path == "/version" }.count == 3)
        // Nobody listens: connection refused, retried, then the error (with no credential in it).
        let dead = KubeClient(
            connection: ClusterConnection(
                server: "https://127.0.0.1:\(Tools.freePort())", auth: .token(Secret("tok-123")), origin: "t"),
            http: HTTPClient(proxyEnvironment: ProxyEnvironment(), onRetry: { _, why in retries.add(why) }))
        do { _ = try dead.serverVersion(); Issue.record("connected to nothing") } catch let e as HTTPError {
            #expect(e.kind == .connection && !e.message.contains("tok-123"))
        }
        #expect(retries.values.count == 2 + RetryPolicy.standard.maxAttempts - 1)
    }

    @Test func execPluginTokenAndTLSServerName() throws {
        let server = try FakeK3s()
        let plugin = server.dir.appendingPathComponent("plugin.sh")
        try """
        #!/bin/sh
        echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"\(server.token)"}}'
        """.write(to: plugin, atomically: true, encoding: .utf8)
        chmod(plugin.path, 0o755)
        let ca = try server.pki.base64(server.pki.ca)
        func kubeconfig(_ serverName: String) throws -> String {
            let text = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: k
                  cluster: {server: "\(server.server)", certificate-authority-data: \(ca), tls-server-name: \(serverName)}
                users:
                - name: k
                  user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh}}
                contexts:
                - name: k
                  context: {cluster: k, user: k}
                current-context: k

                """
            let url = server.dir.appendingPathComponent("exec-\(serverName).yaml")
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        // The certificate is valid for localhost (and 127.0.0.1): verified against that name.
        let good = KubeClient(
            connection: try KubeconfigLoader.load(KubeconfigOptions(explicitPath: try kubeconfig("localhost"), environment: [:])),
            http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
        #expect(try good.list(.nodes).items.count == 6)
        #expect(try server.requests().last?.auth == "token")
        let wrong = KubeClient(
            connection: try KubeconfigLoader.load(
                KubeconfigOptions(explicitPath: try kubeconfig("other.example"), environment: [:])),
            http: HTTPClient(proxyEnvironment: ProxyEnvironment()))
        #expect(throws: HTTPError.self) { try wrong.serverVersion() }
    }
}

extension APIClientTests {
    /// HTTPS_PROXY end to end: the API server is addressed as k3s.test, a name only the proxy
    /// resolves, so the request works only through the tunnel; NO_PROXY=k3s.test bypasses it.
    @Test func httpsProxyTunnelsAndNoProxyBypasses() throws {
        let server = try FakeK3s()
        let proxyLog = server.dir.appendingPathComponent("proxy.log")
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: Tools.which("python3")!)
        proxy.arguments = [Tools.fixtures.appendingPathComponent("connect_proxy.py").path, "--log", proxyLog.path]
        let proxyPort = try FakeK3s.start(proxy)
        defer { kill(proxy.processIdentifier, SIGKILL); proxy.waitUntilExit() }
        var connection = try KubeconfigLoader.load(
            KubeconfigOptions(explicitPath: try server.kubeconfig().path, environment: [:]))
        connection.server = "https://k3s.test:\(server.port)"
        let env = ["HTTPS_PROXY": "http://127.0.0.1:\(proxyPort)"]
        let proxied = KubeClient(connection: connection, http: HTTPClient(proxyEnvironment: .from(env)))
        #expect(try proxied.serverVersion().minor == 33)
        #expect(try String(contentsOf: proxyLog, encoding: .utf8) == "k3s.test:\(server.port)\n")
        let bypassed = KubeClient(
            connection: connection,
            http: HTTPClient(
                proxyEnvironment: .from(env.merging(["NO_PROXY": "k3s.test"]) { a, _ in a }),
                onRetry: nil))
        #expect(throws: HTTPError.self) { try bypassed.call(.get, "/version", retry: .none) }
        #expect(try String(contentsOf: proxyLog, encoding: .utf8) == "k3s.test:\(server.port)\n")
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
