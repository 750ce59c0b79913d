import Simulation

/// The run report's Jobs and CronJobs, only for runs that had any.
///
/// What each CronJob started, skipped and replaced, and how each Job ended.
enum JobSection {
    static func section(_ r: RunRecord) -> ReportSection? {
        guard r.jobs != nil || r.cronJobs != nil else { return nil }
        var blocks: [ReportBlock] = []
        if let cronJobs = r.cronJobs {
            blocks.append(
                .table(
                    ReportTable(
                        header: [
                            "CronJob", "schedule", "Jobs created", "starts missed", "skipped (Forbid)", "replaced (Replace)",
                        ],
                        rows: cronJobs.map { c in
                            [
                                .code(c.name), .code(c.schedule), RichText("\(c.jobsCreated)"), RichText("\(c.missedStarts)"),
                                RichText("\(c.forbiddenStarts)"), RichText("\(c.replacedJobs)"),
                            ]
                        },
                        numeric: [2, 3, 4, 5],
                        caption: "Schedules are read in wall-clock time from the scenario's startTime.")))
        }
        if let jobs = r.jobs {
            blocks.append(
                .table(
                    ReportTable(
                        header: ["Job", "outcome", "created", "finished", "succeeded", "failed", "pods", "deleted"],
                        rows: jobs.map { j in
                            [
                                .code(j.name), RichText(j.outcome + (j.reason.map { " (\($0))" } ?? "")),
                                RichText(Fmt.clock(j.createdAt)),
                                RichText(j.finishedAt.map(Fmt.clock) ?? "—"), RichText("\(j.succeeded)"), RichText("\(j.failed)"),
                                RichText("\(j.podsCreated)"), RichText(j.deletedAt.map(Fmt.clock) ?? "—"),
                            ]
                        },
                        numeric: [4, 5, 6],
                        caption:
                            "Run times (m:ss). A pod deleted before it finished — evicted, or deleted with its Job — counts as failed."
                    )))
        }
        return ReportSection(id: "jobs", title: "Jobs and CronJobs", blocks: blocks)
    }
}
