import Foundation

/// Where to find the cluster, as given on the command line and in the environment.
public struct KubeconfigOptions: Sendable {
    /// `--kubeconfig`: this file only, no merging (kubectl's ExplicitPath).
    public var explicitPath: String?
    /// `--context`: instead of current-context.
    public var context: String?
    public var environment: [String: String]
    public var homeDirectory: String
    /// Where a pod's service-account token, CA and namespace are mounted.
    public var serviceAccountDirectory: String

    public init(
        explicitPath: String? = nil, context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = FileManager.default.homeDirectoryForCurrentUser.path,
        serviceAccountDirectory: String = "/var/run/secrets/kubernetes.io/serviceaccount"
    ) {
        self.explicitPath = explicitPath; self.context = context; self.environment = environment
        self.homeDirectory = homeDirectory; self.serviceAccountDirectory = serviceAccountDirectory
    }
}

/// How requests authenticate besides a client certificate.
public enum Authentication: Sendable {
    case none
    case token(Secret<String>)
    /// Read at every request (service-account tokens rotate; client-go re-reads the file too).
    case tokenFile(String)
    case exec(ExecCredentialProvider)
}

/// Everything needed to talk to one API server: the result of reading the kubeconfig.
public struct ClusterConnection: Sendable {
    public var server: String
    public var tls: TLSOptions
    public var auth: Authentication
    public var namespace: String
    public var proxyURL: String?
    /// Where this came from, for messages: `context "default" of /root/.kube/config`.
    public var origin: String
    public var contextName: String?

    public init(
        server: String, tls: TLSOptions = TLSOptions(), auth: Authentication = .none, namespace: String = "default",
        proxyURL: String? = nil, origin: String, contextName: String? = nil
    ) {
        self.server = server; self.tls = tls; self.auth = auth; self.namespace = namespace
        self.proxyURL = proxyURL; self.origin = origin; self.contextName = contextName
    }
}

/// Loads kubeconfig files as kubectl does (client-go `ClientConfigLoadingRules`).
///
/// - `--kubeconfig FILE`: only that file, which must exist;
/// - else `KUBECONFIG` (a `:`-separated list; missing files are skipped): the files are merged,
///   and for every cluster, user and context name and for current-context **the first file
///   that sets it wins**;
/// - else `~/.kube/config`;
/// - else, inside a pod, the service account (in-cluster config).
///
/// Relative paths in a file are relative to that file. `*-data` fields win over file fields.
public enum KubeconfigLoader {
    public static func load(_ options: KubeconfigOptions) throws -> ClusterConnection {
        let paths: [String]
        if let explicit = options.explicitPath {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw KubeconfigError(file: explicit, "the kubeconfig file given with --kubeconfig does not exist")
            }
            paths = [explicit]
        } else if let list = options.environment["KUBECONFIG"], !list.isEmpty {
            var seen: [String] = []
            for p in list.split(separator: ":").map(String.init) where !p.isEmpty && !seen.contains(p) {
                seen.append(p)
            }
            paths = seen.filter { FileManager.default.fileExists(atPath: $0) }
            if paths.isEmpty {
                throw KubeconfigError("none of the files in KUBECONFIG exists (\(seen.joined(separator: ", ")))")
            }
        } else {
            let home = options.homeDirectory + "/.kube/config"
            if FileManager.default.fileExists(atPath: home) {
                paths = [home]
            } else if let inCluster = try InClusterConfig.load(options) {
                return inCluster
            } else {
                throw KubeconfigError("no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create \(home)")
            }
        }
        return try resolve(files: try paths.map(KubeconfigFile.load), context: options.context)
    }

    /// Merges `files` (first wins) and resolves the chosen context into a connection.
    public static func resolve(files: [KubeconfigFile], context: String?) throws -> ClusterConnection {
        var clusters: [String: KubeconfigFile.Cluster] = [:]
        var users: [String: KubeconfigFile.User] = [:]
        var contexts: [String: KubeconfigFile.Context] = [:]
        var current: (String, SourcePosition?)?
        for f in files {
            for c in f.clusters where clusters[c.name] == nil { clusters[c.name] = c }
            for u in f.users where users[u.name] == nil { users[u.name] = u }
            for c in f.contexts where contexts[c.name] == nil { contexts[c.name] = c }
            if current == nil, let cc = f.currentContext, !cc.isEmpty { current = (cc, f.currentContextPosition) }
        }
        let fileList = files.map(\.path).joined(separator: ", ")
        let available = contexts.keys.sorted().joined(separator: ", ")
        let contextName: String
        let ctx: KubeconfigFile.Context
        if let name = context {
            guard let c = contexts[name] else {
                throw KubeconfigError(
                    "context \"\(name)\" (--context) is not in \(fileList) (contexts: \(available.isEmpty ? "none" : available))")
            }
            contextName = name; ctx = c
        } else if let (name, position) = current {
            guard let c = contexts[name] else {
                let message = "current-context \"\(name)\" names no context (contexts: \(available.isEmpty ? "none" : available))"
                throw position?.error(message) ?? KubeconfigError(message)
            }
            contextName = name; ctx = c
        } else {
            throw KubeconfigError(
                file: files.first?.path,
                "no current-context is set; pass --context NAME (contexts: \(available.isEmpty ? "none" : available))")
        }
        guard let cluster = clusters[ctx.cluster] else {
            throw ctx.position.error(
                "context \"\(contextName)\" names cluster \"\(ctx.cluster)\", which no kubeconfig file defines")
        }
        guard let user = users[ctx.user] else {
            throw ctx.position.error("context \"\(contextName)\" names user \"\(ctx.user)\", which no kubeconfig file defines")
        }
        return try connection(cluster: cluster, user: user, context: ctx)
    }

    static func connection(
        cluster: KubeconfigFile.Cluster, user: KubeconfigFile.User,
        context: KubeconfigFile.Context
    ) throws -> ClusterConnection {
        func at(_ c: KubeconfigFile.Cluster, _ field: String) -> SourcePosition { c.fieldPositions[field] ?? c.position }
        func at(_ u: KubeconfigFile.User, _ field: String) -> SourcePosition { u.fieldPositions[field] ?? u.position }
        guard let server = cluster.server, !server.isEmpty else {
            throw cluster.position.error("cluster \"\(cluster.name)\" has no server")
        }
        guard server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw at(cluster, "server").error("cluster \"\(cluster.name)\": server must be an https:// or http:// URL")
        }
        // Checked before any connection: a URL without a host would make curl look up a name.
        guard let url = URLComponents(string: server), let host = url.host, !host.isEmpty,
            url.port.map({ (1...65535).contains($0) }) ?? true
        else {
            throw at(cluster, "server").error(
                "cluster \"\(cluster.name)\": server \"\(server)\" is not a URL with a host (and a port from 1 to 65535)")
        }
        var tls = TLSOptions(insecureSkipVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName)
        tls.caPEM =
            try cluster.certificateAuthorityData
            ?? cluster.certificateAuthority.map {
                try read($0, what: "certificate-authority", at: at(cluster, "certificate-authority"))
            }
        if tls.insecureSkipVerify && tls.caPEM != nil {
            // client-go refuses this combination too.
            throw at(cluster, "insecure-skip-tls-verify").error(
                "cluster \"\(cluster.name)\": insecure-skip-tls-verify cannot be combined with a certificate authority; remove one of them"
            )
        }
        if let reason = user.unsupported {
            throw user.position.error("user \"\(user.name)\": k3sim does not support \(reason)")
        }
        tls.clientCertificatePEM =
            try user.clientCertificateData
            ?? user.clientCertificate.map { try read($0, what: "client-certificate", at: at(user, "client-certificate")) }
        tls.clientKeyPEM =
            try user.clientKeyData
            ?? user.clientKey.map { Secret(try read($0, what: "client-key", at: at(user, "client-key"))) }
        if (tls.clientCertificatePEM == nil) != (tls.clientKeyPEM == nil) {
            throw user.position.error(
                "user \"\(user.name)\" has a client certificate without a key or a key without a certificate")
        }
        let auth: Authentication
        if let exec = user.exec {
            auth = .exec(ExecCredentialProvider(config: exec, server: server, caPEM: tls.caPEM))
        } else if let token = user.token, !token.value.isEmpty {
            auth = .token(token)
        } else if let file = user.tokenFile {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw at(user, "tokenFile").error("user \"\(user.name)\": cannot read tokenFile \(file)")
            }
            auth = .tokenFile(file)
        } else {
            auth = .none
        }
        return ClusterConnection(
            server: server.hasSuffix("/") ? String(server.dropLast()) : server, tls: tls, auth: auth,
            namespace: context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            proxyURL: cluster.proxyURL, origin: "context \"\(context.name)\" of \(context.position.file)",
            contextName: context.name)
    }

    static func read(_ path: String, what: String, at position: SourcePosition) throws -> Data {
        guard let d = FileManager.default.contents(atPath: path) else {
            throw position.error("cannot read \(what) file \(path)")
        }
        return d
    }
}

/// The service account of the pod k3sim runs in (client-go `rest.InClusterConfig`).
enum InClusterConfig {
    static func load(_ options: KubeconfigOptions) throws -> ClusterConnection? {
        guard let host = options.environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = options.environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else { return nil }
        let dir = options.serviceAccountDirectory
        let tokenPath = dir + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeconfigError(
                file: tokenPath, "running in a pod (KUBERNETES_SERVICE_HOST is set) but the service-account token cannot be read")
        }
        let ca = FileManager.default.contents(atPath: dir + "/ca.crt")
        let namespace =
            FileManager.default.contents(atPath: dir + "/namespace")
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "default"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return ClusterConnection(
            server: "https://\(hostPart):\(port)", tls: TLSOptions(caPEM: ca), auth: .tokenFile(tokenPath),
            namespace: namespace.isEmpty ? "default" : namespace, origin: "in-cluster service account")
    }
}
