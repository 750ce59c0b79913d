import Foundation
import Yams

/// One kubeconfig file as written (`apiVersion: v1, kind: Config`), with the position of every entry.
///
/// Positions let later errors point into the file. Decoding is lenient about unknown fields, as
/// kubectl's is (kubeconfigs carry `preferences`, `extensions` and vendor fields), and strict about
/// the types of the fields k3sim uses.
public struct KubeconfigFile: Sendable {
    public struct Cluster: Sendable {
        public var name: String
        public var position: SourcePosition
        public var server: String?
        public var certificateAuthority: String?
        public var certificateAuthorityData: Data?
        public var insecureSkipTLSVerify: Bool
        public var tlsServerName: String?
        public var proxyURL: String?
        /// Positions of fields, by kubeconfig field name, for errors found while resolving.
        public var fieldPositions: [String: SourcePosition]
    }

    public struct User: Sendable {
        public var name: String
        public var position: SourcePosition
        public var clientCertificate: String?
        public var clientCertificateData: Data?
        public var clientKey: String?
        public var clientKeyData: Secret<Data>?
        public var token: Secret<String>?
        public var tokenFile: String?
        public var exec: ExecConfig?
        /// Set when the user has `username`/`password` or `auth-provider`, which k3sim does not support.
        public var unsupported: String?
        public var fieldPositions: [String: SourcePosition]
    }

    public struct Context: Sendable {
        public var name: String
        public var position: SourcePosition
        public var cluster: String
        public var user: String
        public var namespace: String?
    }

    public var path: String
    public var clusters: [Cluster] = []
    public var users: [User] = []
    public var contexts: [Context] = []
    public var currentContext: String?
    public var currentContextPosition: SourcePosition?

    /// Reads and decodes `path`.
    ///
    /// Relative file paths inside it are resolved against its directory, as kubectl does.
    public static func load(path: String) throws -> KubeconfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeconfigError(file: path, "cannot read the kubeconfig file (does it exist and is it readable?)")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> KubeconfigFile {
        var file = KubeconfigFile(path: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw Self.yamlError(e, path: path)
        }
        guard let root else { return file }  // an empty file is an empty config
        let r = Reader(path: path, directory: URL(fileURLWithPath: path).deletingLastPathComponent())
        guard case .mapping(let top) = root else {
            throw r.error(root, "a kubeconfig must be a mapping (apiVersion: v1, kind: Config)")
        }
        if let kind = top["kind"], let k = kind.string, !k.isEmpty, k != "Config" {
            throw r.error(kind, "kind must be Config, not \(k)")
        }
        file.currentContext = try top["current-context"].map { try r.string($0, "current-context") }
        file.currentContextPosition = top["current-context"].map { r.position($0) }
        for (i, item) in try r.list(top["clusters"], "clusters").enumerated() {
            file.clusters.append(try r.cluster(item, index: i))
        }
        for (i, item) in try r.list(top["users"], "users").enumerated() {
            file.users.append(try r.user(item, index: i))
        }
        for (i, item) in try r.list(top["contexts"], "contexts").enumerated() {
            file.contexts.append(try r.context(item, index: i))
        }
        return file
    }

    static func yamlError(_ e: YamlError, path: String) -> KubeconfigError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return KubeconfigError(file: path, line: mark.line, column: mark.column, "invalid YAML: \(problem)")
        default:
            return KubeconfigError(file: path, "invalid YAML")
        }
    }
}

/// Reads typed fields out of Yams nodes, failing with the node's position.
struct Reader {
    let path: String
    let directory: URL

    func position(_ node: Node?) -> SourcePosition {
        SourcePosition(file: path, line: node?.mark?.line, column: node?.mark?.column)
    }

    func error(_ node: Node?, _ message: String) -> KubeconfigError { position(node).error(message) }

    func mapping(_ node: Node, _ field: String) throws -> Node.Mapping {
        guard case .mapping(let m) = node else { throw error(node, "\(field) must be a mapping") }
        return m
    }

    func list(_ node: Node?, _ field: String) throws -> [Node] {
        guard let node else { return [] }
        if case .scalar(let s) = node, s.string == "null" || s.string == "~" || s.string.isEmpty { return [] }
        guard case .sequence(let s) = node else { throw error(node, "\(field) must be a list") }
        return Array(s)
    }

    func string(_ node: Node, _ field: String) throws -> String {
        guard case .scalar(let s) = node else { throw error(node, "\(field) must be a string") }
        return s.string
    }

    func bool(_ node: Node, _ field: String) throws -> Bool {
        guard let b = node.bool else { throw error(node, "\(field) must be true or false") }
        return b
    }

    /// Decodes a `*-data` field: base64 of PEM, as kubectl writes them.
    ///
    /// The value is never echoed.
    func base64(_ node: Node, _ field: String) throws -> Data {
        let s = try string(node, field).filter { !$0.isWhitespace }
        guard let d = Data(base64Encoded: s) else { throw error(node, "\(field) is not valid base64") }
        return d
    }

    /// A file field, resolved relative to this kubeconfig's directory.
    func path(_ node: Node, _ field: String) throws -> String {
        let p = try string(node, field)
        if p.hasPrefix("/") || p.isEmpty { return p }
        if p.hasPrefix("~/") {
            return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(String(p.dropFirst(2))).path
        }
        return directory.appendingPathComponent(p).standardizedFileURL.path
    }

    /// `{name: X, <key>: {...}}`, the shape of every named list entry.
    func named(_ node: Node, list: String, index: Int, key: String) throws -> (String, Node.Mapping, Node) {
        let m = try mapping(node, "\(list)[\(index)]")
        guard let nameNode = m["name"] else { throw error(node, "\(list)[\(index)] has no name") }
        let name = try string(nameNode, "\(list)[\(index)].name")
        guard let body = m[key] else { throw error(node, "\(list)[\(index)] (\(name)) has no \(key)") }
        return (name, try mapping(body, "\(list)[\(index)].\(key)"), body)
    }

    func cluster(_ node: Node, index: Int) throws -> KubeconfigFile.Cluster {
        let (name, m, _) = try named(node, list: "clusters", index: index, key: "cluster")
        let f = "clusters[\(index)].cluster"
        var c = KubeconfigFile.Cluster(name: name, position: position(node), insecureSkipTLSVerify: false, fieldPositions: [:])
        for (k, v) in m {
            guard let key = k.string else { continue }
            c.fieldPositions[key] = position(v)
            switch key {
            case "server": c.server = try string(v, "\(f).server")
            case "certificate-authority": c.certificateAuthority = try path(v, "\(f).certificate-authority")
            case "certificate-authority-data": c.certificateAuthorityData = try base64(v, "\(f).certificate-authority-data")
            case "insecure-skip-tls-verify": c.insecureSkipTLSVerify = try bool(v, "\(f).insecure-skip-tls-verify")
            case "tls-server-name": c.tlsServerName = try string(v, "\(f).tls-server-name")
            case "proxy-url": c.proxyURL = try string(v, "\(f).proxy-url")
            default: break
            }
        }
        return c
    }

    func user(_ node: Node, index: Int) throws -> KubeconfigFile.User {
        let (name, m, _) = try named(node, list: "users", index: index, key: "user")
        let f = "users[\(index)].user"
        var u = KubeconfigFile.User(name: name, position: position(node), fieldPositions: [:])
        for (k, v) in m {
            guard let key = k.string else { continue }
            u.fieldPositions[key] = position(v)
            switch key {
            case "client-certificate": u.clientCertificate = try path(v, "\(f).client-certificate")
            case "client-certificate-data": u.clientCertificateData = try base64(v, "\(f).client-certificate-data")
            case "client-key": u.clientKey = try path(v, "\(f).client-key")
            case "client-key-data": u.clientKeyData = Secret(try base64(v, "\(f).client-key-data"))
            case "token": u.token = Secret(try string(v, "\(f).token"))
            case "tokenFile": u.tokenFile = try path(v, "\(f).tokenFile")
            case "exec": u.exec = try exec(v, field: "\(f).exec")
            case "username", "password": u.unsupported = "basic authentication (username/password, removed in Kubernetes 1.19)"
            case "auth-provider": u.unsupported = "auth-provider plugins (removed in kubectl 1.26; use an exec plugin)"
            default: break
            }
        }
        return u
    }

    func exec(_ node: Node, field f: String) throws -> ExecConfig {
        let m = try mapping(node, f)
        guard let cmd = m["command"] else { throw error(node, "\(f) has no command") }
        var command = try string(cmd, "\(f).command")
        // client-go resolves a command with a path separator relative to the kubeconfig.
        if command.contains("/") && !command.hasPrefix("/") {
            command = directory.appendingPathComponent(command).standardizedFileURL.path
        }
        let args = try list(m["args"], "\(f).args").map { try string($0, "\(f).args") }
        var env: [(String, String)] = []
        for (i, e) in try list(m["env"], "\(f).env").enumerated() {
            let em = try mapping(e, "\(f).env[\(i)]")
            guard let n = em["name"], let v = em["value"] else { throw error(e, "\(f).env[\(i)] needs name and value") }
            env.append((try string(n, "\(f).env[\(i)].name"), try string(v, "\(f).env[\(i)].value")))
        }
        let apiVersion = try m["apiVersion"].map { try string($0, "\(f).apiVersion") } ?? ""
        guard ExecConfig.supportedVersions.contains(apiVersion) else {
            throw error(
                m["apiVersion"] ?? node, "\(f).apiVersion must be one of \(ExecConfig.supportedVersions.joined(separator: ", "))")
        }
        let provide = try m["provideClusterInfo"].map { try bool($0, "\(f).provideClusterInfo") } ?? false
        let mode = try m["interactiveMode"].map { try string($0, "\(f).interactiveMode") } ?? "IfAvailable"
        return ExecConfig(
            command: command, args: args, env: env.map { ExecConfig.EnvVar(name: $0.0, value: Secret($0.1)) },
            apiVersion: apiVersion, provideClusterInfo: provide, interactiveMode: mode,
            position: position(node))
    }

    func context(_ node: Node, index: Int) throws -> KubeconfigFile.Context {
        let (name, m, body) = try named(node, list: "contexts", index: index, key: "context")
        let f = "contexts[\(index)].context"
        guard let cluster = m["cluster"] else { throw error(body, "\(f) (\(name)) has no cluster") }
        guard let user = m["user"] else { throw error(body, "\(f) (\(name)) has no user") }
        return KubeconfigFile.Context(
            name: name, position: position(node), cluster: try string(cluster, "\(f).cluster"),
            user: try string(user, "\(f).user"),
            namespace: try m["namespace"].map { try string($0, "\(f).namespace") })
    }
}
