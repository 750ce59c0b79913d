import Foundation
import Live

/// How the live tests gate and start the partition harness (`EtcdNetnsCluster` in Live).
extension EtcdNetnsCluster {
    /// Root alone is not enough in a container without CAP_SYS_ADMIN: try to make a namespace.
    static let available: Bool = {
        let found = EtcdPartitionPrerequisites.look(etcdPath: nil)
        guard EtcdPartitionPrerequisites.missing(found, etcdPath: nil) == nil, let ip = found.ip else { return false }
        return EtcdPartitionPrerequisites.namespacesRefused(ip: ip) == nil
    }()
    static let missing =
        "needs root with network namespaces, iproute2 and Debian's etcd-server on PATH; .ci/run runs as root and installs them"

    /// A harness with the etcd and ip on PATH.
    static func start(heartbeatMilliseconds: Int = 100, electionTimeoutMilliseconds: Int = 1000) throws -> EtcdNetnsCluster {
        try EtcdNetnsCluster(
            heartbeatMilliseconds: heartbeatMilliseconds, electionTimeoutMilliseconds: electionTimeoutMilliseconds,
            ip: Tools.which("ip")!, etcd: Tools.which("etcd")!)
    }
}
