import Foundation
import KubeModel
import Simulation

/// What of a Job or CronJob the run leaves out, one sentence per object and field: the Job
/// controller here has no per-index back-off, so a FailIndex rule would change the outcome.
enum JobNotes {
    static func notes(_ w: Workloads) -> [String] {
        var notes: [String] = []
        func spec(_ subject: String, _ s: JobSpec) {
            if let policy = s.podFailurePolicy, policy.rules.contains(where: { $0.action == "FailIndex" }) {
                notes.append(
                    "\(subject): podFailurePolicy's FailIndex rules count the failure like Count; backoffLimitPerIndex is not modelled."
                )
            }
            if s.completionMode == .Indexed {
                notes.append(
                    "\(subject): Indexed completion mode runs each index until it succeeds; backoffLimitPerIndex and per-index hostnames are not modelled."
                )
            }
        }
        for j in w.jobs { spec("Job \(j.metadata.key)", j.spec) }
        for c in w.cronJobs {
            spec("CronJob \(c.metadata.key)", c.jobSpec)
            if c.schedule.hasPrefix("@every") {
                notes.append("CronJob \(c.metadata.key): @every schedules are not simulated; it creates no Job.")
            }
            if let tz = c.timeZone, TimeZone(identifier: tz) == nil {
                notes.append("CronJob \(c.metadata.key): time zone \(tz) is not known here; its schedule is read in UTC.")
            }
        }
        return notes
    }
}
