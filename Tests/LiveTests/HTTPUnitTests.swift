import Foundation
import Testing

@testable import Live

/// The parts of the HTTP layer that need no server: proxy rules, retry backoff, the watch
/// stream parser, and the snapshot's node placement.
struct HTTPUnitTests {
    @Test func proxyRulesFollowGo() {
        let env = ProxyEnvironment.from([
            "HTTPS_PROXY": "proxy.corp:3128", "http_proxy": "http://p80:80",
            "NO_PROXY": "internal.example, .svc,10.0.0.0/8, api.example:6443,[fd00::1]",
        ])
        #expect(env.proxy(for: "https://k3s.example.com:6443") == "http://proxy.corp:3128")
        #expect(env.proxy(for: "http://plain.example/") == "http://p80:80")
        #expect(env.proxy(for: "https://internal.example/") == nil)
        #expect(env.proxy(for: "https://a.internal.example/") == nil)
        #expect(env.proxy(for: "https://kubernetes.default.svc/") == nil)
        #expect(env.proxy(for: "https://10.1.2.3:6443/") == nil)
        #expect(env.proxy(for: "https://11.1.2.3:6443/") == "http://proxy.corp:3128")
        #expect(env.proxy(for: "https://api.example:6443/") == nil)
        #expect(env.proxy(for: "https://api.example:443/") == "http://proxy.corp:3128")
        #expect(env.proxy(for: "https://[fd00::1]:6443/") == nil)
        #expect(env.proxy(for: "https://127.0.0.1:6443/") == nil)  // loopback never goes through a proxy
        #expect(env.proxy(for: "https://localhost:6443/") == nil)
        #expect(ProxyEnvironment.from(["HTTPS_PROXY": "p:1", "NO_PROXY": "*"]).proxy(for: "https://x/") == nil)
    }

    @Test func backoffDoublesAndHonoursRetryAfter() {
        let p = RetryPolicy(maxAttempts: 6, baseDelay: 0.25, maxDelay: 4)
        #expect((1...6).map { p.delay(afterAttempt: $0, retryAfter: nil) } == [0.25, 0.5, 1, 2, 4, 4])
        #expect(p.delay(afterAttempt: 1, retryAfter: 3) == 3)
        #expect(p.delay(afterAttempt: 1, retryAfter: 30) == 4)
    }

    @Test func watchParserHandlesSplitLines() {
        let parser = WatchStreamParser()
        let a = #"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}"# + "\n"
        let b = #"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}"# + "\n"
        let all = Data((a + b).utf8)
        var events: [WatchEvent] = []
        for cut in stride(from: 0, to: all.count, by: 7) {
            events += parser.feed(all.subdata(in: cut..<min(cut + 7, all.count)))
        }
        #expect(events.map(\.type) == ["ADDED", "BOOKMARK"])
        #expect(events[1].object.resourceVersion == "9")
    }

    @Test func poolLocationsReproduceTheRealPlacement() {
        let even = NodeLayout.roundRobin([("a", "fsn1"), ("b", "nbg1"), ("c", "hel1"), ("d", "fsn1")])
        #expect(even.0 == ["fsn1", "hel1", "nbg1"])
        #expect(even.1 == ["a", "c", "b", "d"])  // fsn1, hel1, nbg1, fsn1
        let uneven = NodeLayout.roundRobin([("a", "fsn1"), ("b", "fsn1"), ("c", "fsn1"), ("d", "nbg1")])
        #expect(uneven.0 == ["fsn1", "fsn1", "fsn1", "nbg1"])
        #expect(uneven.1 == ["a", "b", "c", "d"])
    }

    @Test func drillTargetsParseLikeTheScenarioFaults() throws {
        #expect(try DrillAction.parse(action: "drain", target: "node/a1", defaultNamespace: "x") == .drain(node: "a1"))
        #expect(
            try DrillAction.parse(action: "rollout", target: "deployment/web", defaultNamespace: "shop")
                == .rollout(namespace: "shop", deployment: "web"))
        #expect(
            try DrillAction.parse(action: "delete-pod", target: "pod/shop/web-1", defaultNamespace: "x")
                == .deletePod(namespace: "shop", pod: "web-1"))
        #expect(throws: DrillError.self) { try DrillAction.parse(action: "drain", target: "pod/a", defaultNamespace: "x") }
        #expect(throws: DrillError.self) { try DrillAction.parse(action: "crash", target: "node/a", defaultNamespace: "x") }
    }
}

/// What a server echoes back never shows a credential.
@Suite struct ServerMessageRedactionTests {
    @Test func echoedCredentialsAreRedacted() {
        let body =
            #"{"kind": "Status", "reason": "Unauthorized", "message": "bad header Authorization: Bearer s3cr3t-t0ken.xyz; also eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln and Basic dXNlcjpwYXNz"}"#
        let e = KubeAPIError.from(HTTPResponse(status: 401, body: Data(body.utf8)), method: .get, path: "/api")
        #expect(
            !e.description.contains("s3cr3t") && !e.description.contains("eyJhbGci") && !e.description.contains("dXNlcjpwYXNz"),
            "\(e.description)")
        #expect(e.description.contains("Bearer [redacted]") && e.description.contains("Basic [redacted]"))
        let plain = #"{"message": "pods \"x\" not found", "reason": "NotFound"}"#
        #expect(
            KubeAPIError.from(HTTPResponse(status: 404, body: Data(plain.utf8)), method: .get, path: "/p").message
                == #"pods "x" not found"#)
    }
}
