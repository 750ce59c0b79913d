import KubeModel
import SimKernel

/// The Job controller's arithmetic (kubernetes pkg/controller/job), free of the cluster so
/// that upstream's table tests can be restated as data.
enum JobArithmetic {
    /// `DefaultJobPodFailureBackOff` and `MaxJobPodFailureBackOff` (job_controller.go).
    static let initialBackoff = SimTime.seconds(10)
    static let maxBackoff = SimTime.seconds(360)

    /// How many pods should run now (`manageJob`): with completions, at most parallelism and
    /// no more than the completions still missing; without (a work queue), parallelism until a
    /// pod succeeded, then no new pods — those running may finish.
    static func wantActive(parallelism: Int, completions: Int?, succeeded: Int, active: Int) -> Int {
        guard let completions else { return succeeded > 0 ? active : parallelism }
        return max(0, min(parallelism, completions - succeeded))
    }

    /// The wait before replacement pods may be created (backoff_utils.go
    /// `getRemainingTimeForFailuresCount`): 10 s after the last failure for the first failure
    /// since the last success, doubling per further failure, capped at 6 min; zero once
    /// that much time has passed.
    static func backoffRemaining(failuresAfterLastSuccess: Int, lastFailure: SimTime?, now: SimTime) -> SimTime {
        guard failuresAfterLastSuccess > 0, let lastFailure else { return .zero }
        var backoff = initialBackoff
        for _ in 1..<failuresAfterLastSuccess {
            backoff = backoff * 2
            if backoff >= maxBackoff { backoff = maxBackoff; break }
        }
        let elapsed = now - lastFailure
        return backoff < elapsed ? .zero : backoff - elapsed
    }

    /// Failed (`syncJob`): more failed pods than backoffLimit, or — restartPolicy OnFailure —
    /// the container restarts of the pods still running reach it (`pastBackoffLimitOnFailure`;
    /// with backoffLimit 0 any restart).
    static func pastBackoffLimit(failed: Int, backoffLimit: Int, restartPolicy: String, activeRestarts: Int) -> Bool {
        if failed > backoffLimit { return true }
        guard restartPolicy == "OnFailure" else { return false }
        return backoffLimit == 0 ? activeRestarts > 0 : activeRestarts >= backoffLimit
    }

    /// Complete: completions pods succeeded; without completions, any pod succeeded and none
    /// still runs.
    static func complete(completions: Int?, succeeded: Int, active: Int) -> Bool {
        guard let completions else { return succeeded > 0 && active == 0 }
        return succeeded >= completions
    }

    /// Indexed mode: the indexes to start, lowest first — those neither succeeded nor running.
    static func indexesToStart(completions: Int, succeeded: Set<Int>, running: Set<Int>, count: Int) -> [Int] {
        var out: [Int] = []
        var i = 0
        while out.count < count && i < completions {
            if !succeeded.contains(i) && !running.contains(i) { out.append(i) }
            i += 1
        }
        return out
    }
}
