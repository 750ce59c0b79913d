import Foundation
import Testing

@testable import Scenario

/// `explain --pod FILE` takes the file's one pod or workload; a file with several asks which
/// (`--pod FILE#NAME`) instead of explaining whichever comes first.
@Suite struct ExplainPodTests {
    static let guestbook = RealManifestCorpusTests.corpus
        .appendingPathComponent("kubernetes-examples__web-guestbook-all-in-one__guestbook-all-in-one.yaml").path

    @Test func severalObjectsAskWhich() {
        do {
            _ = try ScenarioLoader.loadPodForExplain(path: Self.guestbook)
            Issue.record("a file with three Deployments should not pick one")
        } catch let e as ScenarioError {
            #expect(
                e.message
                    == "holds 3 pods and workloads (Deployment redis-master, Deployment redis-replica, Deployment frontend): "
                    + "choose one with --pod \(Self.guestbook)#NAME")
        } catch { Issue.record("\(error)") }
    }

    @Test func aNamePicksOne() throws {
        let pod = try ScenarioLoader.loadPodForExplain(path: Self.guestbook + "#frontend")
        #expect(pod.metadata.name == "frontend-pod")
        #expect(pod.spec.containers.first?.name == "php-redis")
        #expect(throws: ScenarioError.self) { try ScenarioLoader.loadPodForExplain(path: Self.guestbook + "#nope") }
    }

    @Test func aSingleWorkloadNeedsNoName() throws {
        let path = RealManifestCorpusTests.corpus.appendingPathComponent(
            "kubernetes-website__examples-application-php-apache.yaml"
        ).path
        #expect(try ScenarioLoader.loadPodForExplain(path: path).metadata.name == "php-apache-pod")
    }
}
