import Foundation
import Testing

/// Services with their Endpoints, storage and CloudNativePG Clusters through `k3sim serve`,
/// read with the real kubectl, following a failover.
@Suite(.enabled(if: Kubectl.available, "kubectl is not on the PATH"))
struct ServeObjectsKubectlTests {
    @Test func endpointsStorageAndTheCNPGClusterFollowAFailover() throws {
        let kubectl = Kubectl.binary("1.33")
        // cnpg-failover without its crash, and a Service like the operator's -rw one (the primary only).
        let text = try String(contentsOfFile: ServedScenario.scenario("cnpg-failover"), encoding: .utf8)
        let dir = try ServedScenario.tempDir()
        let scenario = dir.appendingPathComponent("cnpg.yaml")
        let service = """
                - object:
                    apiVersion: v1
                    kind: Service
                    metadata: {name: shop-db-rw, namespace: shop}
                    spec: {selector: {cnpg.io/cluster: shop-db, role: primary}, ports: [{port: 5432}]}

            """
        try (String(text[..<text.range(of: "  faults:")!.lowerBound]) + service).write(
            to: scenario, atomically: true, encoding: .utf8)
        let served = try ServedScenario(scenario.path, ["--speed", "30"])
        defer { _ = served.stop() }

        let healthy = try served.kubectl(
            kubectl, ["get", "clusters.postgresql.cnpg.io", "-n", "shop"],
            until: { $0.contains("Cluster in healthy state") }, seconds: 20)
        let row =
            healthy.stdout.split(separator: "\n").last.map { $0.split(separator: " ", omittingEmptySubsequences: true) } ?? []
        #expect(healthy.stdout.hasPrefix("NAME") && healthy.stdout.contains("PRIMARY"), "\(healthy.stdout)")
        #expect(row.first == "shop-db" && row.last == "shop-db-1" && row.count == 9, "\(healthy.stdout)")
        #expect(row[2] == "3" && row[3] == "3", "instances and readyInstances: \(healthy.stdout)")

        let claims = try served.kubectl(kubectl, ["get", "pvc", "-n", "shop", "--no-headers"])
        #expect(claims.stdout.components(separatedBy: "Bound").count == 4, "\(claims.stdout)")
        #expect(claims.stdout.components(separatedBy: "20Gi   RWO   hcloud-volumes").count == 4, "\(claims.stdout)")
        let volume = try served.kubectl(kubectl, ["get", "pv", "--no-headers"]).stdout.split(separator: "\n")
            .first { $0.contains("shop/shop-db-1") }.map { String($0.split(separator: " ")[0]) }
        let pv = try #require(volume)
        let affinity = try served.kubectl(
            kubectl,
            [
                "get", "pv", pv, "-o",
                "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key}",
            ])
        #expect(affinity.stdout == "topology.kubernetes.io/region", "hcloud volumes are bound to a location: \(affinity.stdout)")
        let classes = try served.kubectl(kubectl, ["get", "sc"])
        #expect(
            classes.stdout.contains("hcloud-volumes (default)") && classes.stdout.contains("csi.hetzner.cloud"),
            "\(classes.stdout)")

        // The first Service in (namespace, name) order gets 10.43.0.100.
        let svc = try served.kubectl(kubectl, ["get", "svc", "-n", "shop", "shop-db-rw"])
        #expect(svc.stdout.contains("ClusterIP   10.43.0.100"), "\(svc.stdout)")
        func ip(_ pod: String) throws -> String {
            try served.kubectl(kubectl, ["get", "pod", "-n", "shop", pod, "-o", "jsonpath={.status.podIP}"]).stdout
        }
        func endpoints() throws -> String {
            try served.kubectl(
                kubectl, ["get", "endpoints", "-n", "shop", "shop-db-rw", "-o", "jsonpath={.subsets[*].addresses[*].ip}"]
            ).stdout
        }
        #expect(try endpoints() == ip("shop-db-1"))
        let slice = try served.kubectl(
            kubectl,
            [
                "get", "endpointslices", "-n", "shop", "-l", "kubernetes.io/service-name=shop-db-rw",
                "-o", "jsonpath={.items[0].endpoints[*].addresses[0]} {.items[0].endpoints[*].conditions.ready}",
            ])
        #expect(try slice.stdout == "\(ip("shop-db-1")) true", "\(slice.stdout) \(slice.stderr)")

        let node = try served.kubectl(kubectl, ["get", "pod", "-n", "shop", "shop-db-1", "-o", "jsonpath={.spec.nodeName}"])
            .stdout
        let curl = try ServedScenario.run(
            "/usr/bin/curl",
            [
                "-s", "-XPOST", "\(served.url)/k3sim/faults",
                "-d", #"{"action":"crash","target":"node/\#(node)"}"#,
            ])
        #expect(curl.stdout.contains("injected"), "\(curl.stdout)")
        let failedOver = try served.kubectl(
            kubectl, ["get", "clusters.postgresql.cnpg.io", "-n", "shop", "--no-headers"],
            until: { !$0.contains("shop-db-1") && !$0.contains("Failing over") && !$0.isEmpty }, seconds: 20)
        let primary = try #require(
            failedOver.stdout.split(separator: " ", omittingEmptySubsequences: true).last
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(["shop-db-2", "shop-db-3"].contains(primary), "\(failedOver.stdout)")
        let followed = try served.kubectl(
            kubectl,
            [
                "get", "endpoints", "-n", "shop", "shop-db-rw", "-o",
                "jsonpath={.subsets[*].addresses[*].ip}",
            ],
            until: { (try? ip(primary)) == $0 })
        #expect(try followed.stdout == ip(primary), "the -rw endpoints follow the new primary")
    }
}
