import Foundation
import KubeModel
import Yams

/// Reads Kubernetes manifests: multi-document YAML (and `kind: List`), errors positioned in the manifest file.
///
/// Each object is decoded strictly when the simulation models its kind. `kubernetesMinor` is the
/// cluster's version: an object under an API version it no longer serves is refused as the API
/// server refuses it. Without a scenario, the oldest supported minor refuses what every supported
/// cluster refuses.
public enum ManifestLoader {
    public static func load(path: String, kubernetesMinor: Int = ScenarioLoader.supportedMinors.lowerBound) throws -> [KubeObject]
    {
        let text = try Limits.readText(path: path, what: "the manifest file")
        return try load(text: text, path: path, kubernetesMinor: kubernetesMinor)
    }

    public static func load(
        text: String, path: String,
        kubernetesMinor: Int = ScenarioLoader.supportedMinors.lowerBound
    ) throws -> [KubeObject] {
        var objects: [KubeObject] = []
        var documents: [Node] = []
        do {
            // Not `Array(compose_all(...))`: its sequence stops at a syntax error without
            // throwing, which loaded a broken manifest partially and silently.
            let parser = try Yams.Parser(yaml: text)
            while let doc = try parser.nextRoot() { documents.append(doc) }
        } catch {
            throw SourceMap(file: path, root: nil, text: text).convert(error)
        }
        for doc in documents {
            if isEmptyDocument(doc) { continue }
            try checkKubernetesDocument(doc, path: path)
            if let e = ControlCharacters.check(doc, file: path) { throw e }
            guard case .mapping(let m) = doc else { continue }
            let map = SourceMap(file: path, root: doc)
            if m["kind"]?.string == "List", let items = m["items"], case .sequence(let seq) = items {
                for (i, item) in seq.enumerated() {
                    try refuseRemovedAPI(item, map: map, prefix: [.key("items"), .index(i)], minor: kubernetesMinor)
                    let object: KubeObject
                    do { object = try YAMLDecoder().decode(KubeObject.self, from: item) } catch {
                        throw map.convertNested(error, prefix: [.key("items"), .index(i)])
                    }
                    if let issue = KubeValidation.firstIssue(object) {
                        throw map.error(path: [.key("items"), .index(i)] + issue.path, atKey: false, message: issue.message)
                    }
                    objects.append(object)
                }
                continue
            }
            try refuseRemovedAPI(doc, map: map, prefix: [], minor: kubernetesMinor)
            let object: KubeObject
            do { object = try YAMLDecoder().decode(KubeObject.self, from: doc) } catch { throw map.convert(error) }
            if let issue = KubeValidation.firstIssue(object) {
                throw map.error(path: issue.path, atKey: false, message: issue.message)
            }
            objects.append(object)
        }
        if documents.allSatisfy(isEmptyDocument) {
            throw ScenarioError(file: path, message: "holds no Kubernetes objects (an empty file or empty documents)")
        }
        return objects
    }
}

extension ManifestLoader {
    /// An object whose apiVersion the cluster no longer serves, for any kind (RemovedAPI).
    static func refuseRemovedAPI(_ node: Node, map: SourceMap, prefix: [PathKey], minor: Int) throws {
        guard case .mapping(let m) = node, let apiVersion = m["apiVersion"]?.string, let kind = m["kind"]?.string,
            let message = RemovedAPI.refusal(apiVersion: apiVersion, kind: kind, minor: minor)
        else { return }
        throw map.error(path: prefix + [.key("apiVersion")], atKey: false, message: message)
    }

    /// `---` with nothing or only comments after it, or `{}`.
    static func isEmptyDocument(_ doc: Node) -> Bool {
        switch doc {
        case .mapping(let m): return m.isEmpty
        case .scalar(let s): return s.string.isEmpty || s.style == .plain && ["~", "null", "Null", "NULL"].contains(s.string)
        default: return false
        }
    }

    /// Checks that a manifest document is a Kubernetes object.
    ///
    /// A manifest file holds Kubernetes objects: each document a mapping with apiVersion and kind,
    /// not a k3sim Scenario or PriceCatalog, not a kubeconfig. The error says what the document is,
    /// never what it contains.
    static func checkKubernetesDocument(_ doc: Node, path: String) throws {
        let mark = doc.mark
        func refuse(_ what: String) -> ScenarioError {
            ScenarioError(file: path, line: mark?.line, column: mark?.column, message: "\(what), not Kubernetes objects")
        }
        switch doc {
        case .scalar: throw refuse("holds a single value (a YAML scalar)")
        case .sequence: throw refuse("holds a list (a YAML sequence)")
        case .alias: throw refuse("holds a YAML alias")
        case .mapping(let m):
            let apiVersion = m["apiVersion"]?.string, kind = m["kind"]?.string
            if let apiVersion, apiVersion.hasPrefix("k3sim/") {
                throw refuse("holds a k3sim \(kind ?? "document") (apiVersion \(apiVersion))")
            }
            if kind == "Config" && m["clusters"] != nil || m["clusters"] != nil && m["users"] != nil {
                throw refuse("holds a kubeconfig (kind Config)")
            }
        // Without apiVersion or kind the decoder says which is missing.
        }
    }
}

extension SourceMap {
    /// For errors in a node decoded on its own: its coding path starts below `prefix`.
    func convertNested(_ error: Error, prefix: [PathKey]) -> ScenarioError {
        let inner = SourceMap(file: file, root: nil).pathOf(error)
        return self.error(path: prefix + inner.path, atKey: inner.atKey, message: convert(error).message)
    }

    func pathOf(_ error: Error) -> (path: [PathKey], atKey: Bool) {
        switch error {
        case let e as UnknownFieldError: return (SourceMap.pathKeys(e.codingPath), true)
        case let e as DecodingError:
            switch e {
            case .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
                return (SourceMap.pathKeys(c.codingPath), false)
            @unknown default: return ([], false)
            }
        default: return ([], false)
        }
    }
}
