import Catalog
import Foundation
import Yams

/// Writes a planned platform as a scenario that `k3sim run` accepts: the original scenario
/// with its platform, control plane and node pools replaced by the plan, manifest paths made
/// relative to the new file, and the faults replaced by a drill that crashes every node (or
/// zone) in turn, so that the plan's failure tolerance can be watched second by second.
public enum ScenarioEmitter {
    /// When the drill starts, how long each crash lasts (longer than grace period + the
    /// 300 s eviction, so replacements must be scheduled elsewhere) and how far apart crashes are.
    static let drillStart = 5, crashMinutes = 8, spacingMinutes = 12

    public static func emit(
        _ loaded: LoadedScenario, platform: PlatformSpec, survive: String, outputPath: String,
        notes: [String] = []
    ) throws -> String {
        guard case .mapping(var root)? = try Yams.compose(yaml: loaded.text), case .mapping(var spec)? = root["spec"] else {
            throw ScenarioError(file: loaded.path, message: "cannot re-read the scenario to write the plan")
        }
        if case .mapping(var meta)? = root["metadata"] {
            meta["name"] = Node("\(loaded.name)-\(platform.provider.rawValue)-plan")
            meta["description"] = Node(
                "\(platform.distribution.rawValue) on \(platform.provider.rawValue) \(platform.region), "
                    + "planned by k3sim plan to survive the loss of a \(survive)")
            root["metadata"] = .mapping(meta)
        }
        spec["platform"] = platformNode(spec["platform"], platform)
        if let cp = platform.controlPlane {
            var m: Node.Mapping
            if case .mapping(let old)? = spec["controlPlane"] { m = old } else { m = Node.Mapping([]) }
            m["highAvailability"] = nil
            m["count"] = Node(String(cp.count))
            m["serverType"] = Node(cp.type)
            m["locations"] = .sequence(Node.Sequence(cp.zones.map { Node($0) }, .implicit, .flow))
            m["datastore"] = Node(cp.datastore)
            m["schedulable"] = Node(cp.schedulable ? "true" : "false")
            spec["controlPlane"] = .mapping(m)
        } else if let ha = platform.managedHighAvailability, platform.distribution != .eks {
            spec["controlPlane"] = .mapping(Node.Mapping([(Node("highAvailability"), Node(ha ? "true" : "false"))]))
        } else {
            spec["controlPlane"] = nil
        }
        spec["nodePools"] = .sequence(
            Node.Sequence(
                platform.pools.map { p in
                    .mapping(
                        Node.Mapping([
                            (Node("name"), Node(p.name)), (Node("serverType"), Node(p.type)),
                            (Node("count"), Node(String(p.count))),
                            (Node("locations"), .sequence(Node.Sequence(p.zones.map { Node($0) }, .implicit, .flow))),
                        ]))
                }))
        spec["nodes"] = nil
        spec["workloads"] = try workloadsNode(spec["workloads"], from: loaded.path, to: outputPath)
        let (faults, minutes) = drill(platform, survive: survive)
        spec["faults"] = .sequence(Node.Sequence(faults))
        spec["duration"] = Node("\(minutes)m")
        root["spec"] = .mapping(spec)
        let header =
            [
                "# Planned by `k3sim plan` from \(URL(fileURLWithPath: loaded.path).lastPathComponent).",
                "# The faults crash every \(survive == "zone" ? "zone" : "node") in turn (for \(crashMinutes)m each).",
            ]
            + notes.map { "# " + $0 }
        return header.joined(separator: "\n") + "\n" + (try Yams.serialize(node: .mapping(root)))
    }

    static func platformNode(_ old: Node?, _ p: PlatformSpec) -> Node {
        var m: Node.Mapping
        if case .mapping(let o)? = old { m = o } else { m = Node.Mapping([]) }
        m["distribution"] = Node(p.distribution.rawValue)
        m["provider"] = Node(p.provider.rawValue)
        m["region"] = Node(p.region)
        if p.distribution != .k3s { m["disable"] = nil }
        // A default class the new platform lacks becomes its network block storage, where
        // the original sent unnamed claims; without one, the platform's own default applies.
        let classes = PlatformStorage.platformClasses(
            p.distribution, p.provider, minor: ScenarioLoader.supportedMinors.upperBound)
        if let sc = m["defaultStorageClass"]?.string, !classes.classes.contains(where: { $0.name == sc }) {
            m["defaultStorageClass"] = PlatformStorage.blockStorageClass(p.distribution, p.provider).map { Node($0) }
        }
        return .mapping(m)
    }

    /// `file:` entries rewritten relative to the new scenario's directory.
    static func workloadsNode(_ old: Node?, from scenarioPath: String, to outputPath: String) throws -> Node? {
        guard case .sequence(var seq)? = old else { return old }
        let base = URL(fileURLWithPath: scenarioPath).deletingLastPathComponent()
        let outDir = URL(fileURLWithPath: outputPath).deletingLastPathComponent().standardizedFileURL
        for i in seq.indices {
            guard case .mapping(var m) = seq[i], let file = m["file"]?.string else { continue }
            let abs = file.hasPrefix("/") ? URL(fileURLWithPath: file) : base.appendingPathComponent(file)
            m["file"] = Node(relativePath(abs.standardizedFileURL.path, from: outDir.path))
            seq[i] = .mapping(m)
        }
        return .sequence(seq)
    }

    static func relativePath(_ target: String, from dir: String) -> String {
        let t = target.split(separator: "/"), d = dir.split(separator: "/")
        var common = 0
        while common < min(t.count, d.count) && t[common] == d[common] { common += 1 }
        let ups = Array(repeating: "..", count: d.count - common)
        return (ups + t[common...].map(String.init)).joined(separator: "/")
    }

    /// Crash each node (or zone) in turn, each back after `crashMinutes`.
    static func drill(_ p: PlatformSpec, survive: String) -> ([Node], Int) {
        var targets: [String] = []
        if survive == "zone" {
            var zones: [String] = []
            for z in (p.controlPlane?.zones ?? []) + p.pools.flatMap(\.zones) where !zones.contains(z) { zones.append(z) }
            targets = zones.map { "zone/\($0)" }
        } else {
            if let cp = p.controlPlane { targets += (0..<cp.count).map { "node/server-\($0)" } }
            for pool in p.pools { targets += (0..<pool.count).map { "node/\(pool.name)-\($0)" } }
        }
        let faults = targets.enumerated().map { i, t in
            Node.mapping(
                Node.Mapping([
                    (Node("at"), Node("\(drillStart + i * spacingMinutes)m")), (Node("action"), Node("crash")),
                    (Node("target"), Node(t)), (Node("for"), Node("\(crashMinutes)m")),
                ]))
        }
        return (faults, drillStart + targets.count * spacingMinutes + drillStart)
    }
}
