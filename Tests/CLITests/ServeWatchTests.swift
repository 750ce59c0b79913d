import Foundation
import Testing

/// What clients that keep a cache need from `k3sim serve`: pods as the kubelet reports them
/// (admitted tolerations, resources, restarts), watches that resume from a resourceVersion
/// or are told it is too old (410 Expired), and bookmarks.
@Suite(.enabled(if: Kubectl.available, "kubectl is not on the PATH"))
struct ServeWatchTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func podsCarryAdmissionAndRestartsAsTheKubeletReportsThem() throws {
        let kubectl = Kubectl.binary("1.33")
        let served = try ServedScenario(ServedScenario.scenario("node-crash"), ["--speed", "20", "--until", "1h"])
        defer { _ = served.stop() }
        // A crash needs a running container: wait until all three are.
        let pods = try served.kubectl(
            kubectl, ["get", "pods", "--no-headers"],
            until: { $0.components(separatedBy: "1/1   Running").count == 4 }, seconds: 30)
        let name = try #require(pods.stdout.split(separator: "\n").first?.split(separator: " ").first.map(String.init))
        let pod = try Self.json(try served.kubectl(kubectl, ["get", "pod", name, "-o", "json"]).stdout)
        let spec = try #require(pod["spec"] as? [String: Any])
        // DefaultTolerationSeconds adds both NoExecute tolerations with 300 s.
        let tolerations = try #require(spec["tolerations"] as? [[String: Any]])
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            #expect(
                tolerations.contains {
                    $0["key"] as? String == key && $0["operator"] as? String == "Exists" && $0["effect"] as? String == "NoExecute"
                        && $0["tolerationSeconds"] as? Int == 300
                }, "\(tolerations)")
        }
        let container = try #require((spec["containers"] as? [[String: Any]])?.first)
        let requests = (container["resources"] as? [String: Any])?["requests"] as? [String: String]
        #expect(requests == ["cpu": "1", "memory": "1Gi"], "\(container)")

        // Two exits: the first restarts at once, the second waits the 10 s back-off.
        let curl = try ServedScenario.run(
            "/usr/bin/curl",
            [
                "-s", "-XPOST", "\(served.url)/k3sim/faults", "-d",
                #"{"action":"crash-container","target":"pod/default/\#(name)","count":2}"#,
            ])
        #expect(curl.stdout.contains("crash-container"), "\(curl.stdout)")
        let table = try served.kubectl(
            kubectl, ["get", "pod", name], until: { $0.contains("Running") && $0.contains(" 2 (") }, seconds: 30)
        #expect(table.stdout.contains(" 2 ("), "RESTARTS shows the count and the last exit's age: \(table.stdout)")
        let restarted = try Self.json(try served.kubectl(kubectl, ["get", "pod", name, "-o", "json"]).stdout)
        let status = try #require(((restarted["status"] as? [String: Any])?["containerStatuses"] as? [[String: Any]])?.first)
        #expect(status["restartCount"] as? Int == 2)
        let last = (status["lastState"] as? [String: Any])?["terminated"] as? [String: Any]
        #expect(last?["reason"] as? String == "Error" && last?["finishedAt"] != nil, "\(status)")
        let events = try served.kubectl(kubectl, ["get", "events", "--field-selector", "involvedObject.name=\(name)"])
        #expect(
            events.stdout.contains("BackOff")
                && events.stdout.contains("Back-off restarting failed container web in pod \(name)_default("),
            "\(events.stdout)")
    }

    @Test func watchesResumeFromTheCacheOrAreToldTheirVersionExpired() throws {
        // A cache of 4 events: the node and Lease updates of the first seconds push the start out.
        let served = try ServedScenario(ServedScenario.scenario("node-crash"), ["--speed", "60", "--watch-cache-size", "4"])
        defer { _ = served.stop() }
        let curl = "/usr/bin/curl"
        var gone = try ServedScenario.run(
            curl, ["-s", "--max-time", "2", "\(served.url)/api/v1/pods?watch=true&resourceVersion=1"])
        let deadline = Date().addingTimeInterval(10)
        while !gone.stdout.contains("ERROR") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.3)
            gone = try ServedScenario.run(
                curl, ["-s", "--max-time", "2", "\(served.url)/api/v1/pods?watch=true&resourceVersion=1"])
        }
        let event = try Self.json(String(gone.stdout.split(separator: "\n").first ?? ""))
        let object = event["object"] as? [String: Any]
        #expect(event["type"] as? String == "ERROR")
        #expect(object?["code"] as? Int == 410 && object?["reason"] as? String == "Expired", "\(gone.stdout)")
        #expect((object?["message"] as? String)?.hasPrefix("too old resource version: 1 (") == true, "\(gone.stdout)")

        // Bookmarks once a simulated minute: at 60× one arrives within about a second.
        let watch = try ServedScenario.run(
            curl,
            [
                "-s", "--max-time", "3",
                "\(served.url)/api/v1/nodes?watch=true&allowWatchBookmarks=true",
            ])
        let bookmark = try #require(watch.stdout.split(separator: "\n").first { $0.contains("BOOKMARK") }, "\(watch.stdout)")
        let b = try Self.json(String(bookmark))
        let meta = (b["object"] as? [String: Any])?["metadata"] as? [String: Any]
        #expect((b["object"] as? [String: Any])?["kind"] as? String == "Node")
        #expect(Int(meta?["resourceVersion"] as? String ?? "") ?? 0 >= 1, "\(bookmark)")
        // Without allowWatchBookmarks there are none.
        let plain = try ServedScenario.run(curl, ["-s", "--max-time", "2", "\(served.url)/api/v1/nodes?watch=true"])
        #expect(!plain.stdout.contains("BOOKMARK"))
    }
}
