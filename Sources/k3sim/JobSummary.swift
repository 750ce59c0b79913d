import Simulation

/// The Jobs and CronJobs of a run in the text summary: one line per CronJob (its Jobs
/// created, starts missed or skipped, Jobs replaced), then a table of the Jobs.
enum JobSummary {
    static func lines(_ r: RunRecord) -> [String] {
        var out: [String] = []
        for c in r.cronJobs ?? [] {
            out.append(
                "CronJob \(c.name) (\(c.schedule)): \(c.jobsCreated) Job(s) created, \(c.missedStarts) start(s) missed, "
                    + "\(c.forbiddenStarts) skipped by Forbid, \(c.replacedJobs) replaced")
        }
        guard let jobs = r.jobs, !jobs.isEmpty else { return out }
        out.append("Jobs")
        var rows = [["NAME", "OUTCOME", "CREATED", "FINISHED", "SUCCEEDED", "FAILED", "PODS"]]
        for j in jobs {
            let outcome = j.outcome + (j.reason.map { $0 == "CompletionsReached" ? "" : " (\($0))" } ?? "")
            rows.append([
                j.name, outcome, TextSummary.seconds(j.createdAt), j.finishedAt.map(TextSummary.seconds) ?? "—",
                "\(j.succeeded)", "\(j.failed)", "\(j.podsCreated)",
            ])
        }
        out.append(TextSummary.table(rows))
        return out
    }
}
