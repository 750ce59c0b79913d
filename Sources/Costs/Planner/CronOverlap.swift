import Foundation
import KubeModel
import Simulation

/// How many runs of a CronJob with concurrencyPolicy Allow can be active together.
///
/// It is the most schedule times within any span as long as one run (a run started at t still runs
/// at t + length − ε, so the span is half-open). For an even schedule this is ceil(run length ÷
/// interval); for an uneven one (`0,5 * * * *`) it counts the bunched times, not the shortest gap
/// against every run.
enum CronOverlap {
    /// Beyond this many concurrent runs the plan stops counting (an assumption: a schedule
    /// whose runs pile up that far is a backlog, not a capacity figure to buy machines for).
    static let cap = 100
    /// The schedule is read over a year from the simulation's default start (or this many
    /// firings, enough for weeks of an every-minute schedule), which covers every pattern a
    /// five-field schedule can have but leap days.
    static let horizonSeconds: Int64 = 366 * 86_400
    static let maxFirings = 20_000

    static func maxOverlapping(schedule: CronSchedule?, timeZone: String?, runSeconds: Double) -> Int {
        // An unparsed or `@every` schedule is not simulated: count one run.
        guard let schedule, schedule.every == nil, runSeconds > 0 else { return 1 }
        let zone = timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(secondsFromGMT: 0) ?? .current
        let offset: (Int64) -> Int64 = { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0)))) }
        let start = ClusterSpec.defaultStartTime
        var times: [Int64] = []
        var t = start
        while times.count < maxFirings, let next = schedule.next(after: t, utcOffset: offset), next <= start + horizonSeconds {
            times.append(next)
            t = next
        }
        return maxWithin(times, span: runSeconds)
    }

    /// The most of `times` (ascending) inside any half-open window [t, t + span), at least 1.
    static func maxWithin(_ times: [Int64], span: Double) -> Int {
        var best = times.isEmpty ? 1 : 0
        var j = 0
        for i in times.indices {
            if j < i { j = i }
            while j < times.count && Double(times[j] - times[i]) < span { j += 1 }
            best = max(best, j - i)
            if best >= cap { return cap }
        }
        return max(1, best)
    }
}
