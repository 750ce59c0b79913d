import KubeModel

/// When a CronJob schedule fires, as robfig/cron v3 `SpecSchedule.Next` finds it: the first
/// whole minute strictly after a given instant whose wall-clock fields match, in the CronJob's
/// time zone (UTC without one). Instants are seconds since the epoch; `utcOffset` gives a
/// zone's offset at an instant (0 for UTC).
extension CronSchedule {
    /// The first firing after `t`, or nil when none falls within five years (robfig gives up
    /// after five years too: `yearLimit`).
    public func next(after t: Int64, utcOffset: (Int64) -> Int64 = { _ in 0 }) -> Int64? {
        guard every == nil else { return nil }
        var candidate = Self.floorDiv(t, 60) * 60 + 60
        let limit = t + 5 * 366 * 86_400
        while candidate <= limit {
            let offset = utcOffset(candidate)
            let local = candidate + offset
            let days = Self.floorDiv(local, 86_400)
            let secondOfDay = local - days * 86_400
            let (_, month, day) = Self.civil(fromDays: days)
            let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
            let hourNow = Int(secondOfDay / 3600), minuteNow = Int(secondOfDay % 3600 / 60)
            let dayMatches = matches(minute: firstBit(minute), hour: firstBit(hour), day: day, month: month, weekday: weekday)
            if !dayMatches {
                candidate += 86_400 - secondOfDay  // next local midnight
            } else if hour >> UInt64(hourNow) & 1 == 0 {
                candidate += 3600 - secondOfDay % 3600  // next hour
            } else if minute >> UInt64(minuteNow) & 1 == 0 {
                candidate += 60
            } else {
                return candidate
            }
        }
        return nil
    }

    /// The lowest value a bit set allows (the day test holds minute and hour at a matching value).
    private func firstBit(_ bits: UInt64) -> Int { bits == 0 ? 0 : bits.trailingZeroBitCount }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// The proleptic Gregorian date of a day number (days since 1970-01-01), by the usual
    /// era arithmetic (400-year cycles of 146097 days).
    static func civil(fromDays z0: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
