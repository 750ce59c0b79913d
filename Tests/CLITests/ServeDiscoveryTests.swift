import Foundation
import Testing

/// Aggregated discovery for the kubectl versions that ask for it, and a paused run walked
/// through by hand with `POST /k3sim/step`.
@Suite(.enabled(if: Kubectl.available, "kubectl is not on the PATH"))
struct ServeDiscoveryTests {
    @Test func kubectlReadsEveryResourceFromTheAggregatedDocuments() throws {
        let served = try ServedScenario(ServedScenario.scenario("node-crash"), ["--speed", "0"])
        defer { _ = served.stop() }
        let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
        let apis = try ServedScenario.run("/usr/bin/curl", ["-s", "-i", "-H", "Accept: \(accept)", "\(served.url)/apis"])
        #expect(
            apis.stdout.lowercased().contains(
                "content-type: application/json;g=apidiscovery.k8s.io;v=v2;as=apigroupdiscoverylist"),
            "\(apis.stdout)")
        #expect(
            apis.stdout.contains(#""kind":"APIGroupDiscoveryList""#) && apis.stdout.contains(#""subresource":"scale""#),
            "\(apis.stdout)")
        // kubectl 1.33 takes both documents and asks no group/version on its own.
        let get = try served.kubectl(Kubectl.binary("1.33"), ["get", "deploy,sts,pdb,sc,pvc", "-A", "-v=6"])
        #expect(get.code == 0 && get.stdout.contains("deployment.apps/web"), "\(get.stderr)")
        #expect(get.stderr.contains("/apis?") && !get.stderr.contains("/apis/apps/v1?"), "\(get.stderr)")
        // 1.27 does not ask for v2: the plain documents, one per group/version.
        let old = try ServedScenario.run(
            Kubectl.binary("1.27"),
            [
                "--kubeconfig", served.kubeconfig, "--cache-dir",
                served.dir.appendingPathComponent("cache-1.27").path, "get", "deploy", "-v=6",
            ])
        #expect(old.code == 0 && old.stderr.contains("/apis/apps/v1?"), "\(old.stderr)")
    }

    @Test func aPausedRunSteppedToItsEndIsTheScenariosRun() throws {
        let served = try ServedScenario(ServedScenario.scenario("node-crash"), ["--speed", "0"])
        let curl = "/usr/bin/curl"
        func step(_ by: String) throws -> String {
            try ServedScenario.run(
                curl, ["-s", "--max-time", "30", "-XPOST", "\(served.url)/k3sim/step", "-d", #"{"by":"\#(by)"}"#]
            ).stdout
        }
        Thread.sleep(forTimeInterval: 1)
        #expect(try ServedScenario.run(curl, ["-s", "\(served.url)/k3sim/status"]).stdout.contains(#""simulatedSeconds":0,"#))
        #expect(try step("soon").contains("is not a positive duration"))
        #expect(try step("6m").contains(#""toSeconds":360"#))
        let nodes = try served.kubectl(Kubectl.binary("1.33"), ["get", "nodes", "w2"])
        #expect(nodes.stdout.contains("NotReady"), "w2 crashed at 5m and is NotReady 50 s later: \(nodes.stdout)")
        let last = try step("1h")
        #expect(last.contains(#""finished":true"#), "\(last)")
        let (code, output) = served.wait()
        #expect(code == 0 && !output.contains("Requests that changed"), "\(output)")
        let k3sim = ServedScenario.binary.path
        #expect(try ServedScenario.run(k3sim, ["run", ServedScenario.scenario("node-crash"), "--db", served.database]).code == 0)
        func record(_ id: String) throws -> String {
            try ServedScenario.run(k3sim, ["show", id, "--json", "--db", served.database]).stdout
                .split(separator: "\n").filter { !$0.contains("\"wallSeconds\"") && !$0.contains("\"runId\"") }.joined(
                    separator: "\n")
        }
        #expect(try record("1") == record("2"))
    }
}
