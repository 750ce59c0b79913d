import Foundation
import Simulation

extension ScenarioBuilder {
    /// `spec.startTime`: the UTC instant the run starts at, as RFC 3339 with a `Z`
    /// (`2025-06-01T01:55:00Z`), in seconds since the epoch; the default when not written.
    func startTime() throws -> Int64 {
        guard let text = spec.startTime else { return ClusterSpec.defaultStartTime }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard text.hasSuffix("Z"), let date = formatter.date(from: text) else {
            throw fail([.key("startTime")], "\(text) is not a UTC instant such as 2025-01-01T00:00:00Z")
        }
        return Int64(date.timeIntervalSince1970)
    }
}
