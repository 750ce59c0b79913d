import Testing

@testable import KubeModel

/// robfig/cron v3 `ParseStandard` (what the API server validates a CronJob's schedule with),
/// restated as data: its parser_test.go cases for ranges, steps and names, and its errors.
struct CronScheduleTests {
    /// (expression, bounds index, expected values).
    static let ranges: [(String, Int, [Int])] = [
        ("5", 0, [5]), ("0", 0, [0]), ("7", 0, [7]),
        ("5-5", 0, [5]), ("5-6", 0, [5, 6]), ("5-7", 0, [5, 6, 7]),
        ("5-6/2", 0, [5]), ("5-7/2", 0, [5, 7]), ("5-7/1", 0, [5, 6, 7]),
        ("*/60", 0, [0]), ("*/30", 0, [0, 30]), ("10/20", 0, [10, 30, 50]),
        ("jan-mar", 3, [1, 2, 3]), ("SUN,sat", 4, [0, 6]), ("mon-fri", 4, [1, 2, 3, 4, 5]),
    ]

    @Test(arguments: ranges)
    func rangesAndSteps(_ expr: String, _ field: Int, _ values: [Int]) throws {
        let bits = try CronSchedule.field(expr, CronSchedule.bounds[field]).bits
        #expect((0..<64).filter { bits >> UInt64($0) & 1 == 1 } == values)
    }

    /// robfig's messages, which the API server puts after `Invalid value: "…": `.
    static let errors: [(String, String)] = [
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("0 24 * * *", "end of range (24) above maximum (23): 24"),
        ("0 0 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("0 0 * * 7", "end of range (7) above maximum (6): 7"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("*/2/3 * * * *", "too many slashes: */2/3"),
        ("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("CRON_TZ=UTC 0 * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
    ]

    @Test(arguments: errors)
    func refused(_ schedule: String, _ message: String) {
        #expect(throws: CronSchedule.ParseError(message: message)) { try CronSchedule(schedule) }
    }

    @Test func descriptorsAndEvery() throws {
        #expect(try CronSchedule("@hourly") == CronSchedule("0 * * * *"))
        #expect(try CronSchedule("@midnight") == CronSchedule("0 0 * * *"))
        #expect(try CronSchedule("@every 1h30m").every == "1h30m")
    }

    /// Vixie cron's day rule (robfig `dayMatches`): both day fields restricted — either may
    /// match; one of them `*` — both must; `*/2` is restricted (a step above 1 drops the star).
    @Test func dayOfMonthOrDayOfWeek() throws {
        let either = try CronSchedule("0 0 1 * mon")
        #expect(either.matches(minute: 0, hour: 0, day: 1, month: 6, weekday: 3))  // the 1st, a Wednesday
        #expect(either.matches(minute: 0, hour: 0, day: 9, month: 6, weekday: 1))  // a Monday
        #expect(!either.matches(minute: 0, hour: 0, day: 9, month: 6, weekday: 2))
        let both = try CronSchedule("0 0 * * mon")
        #expect(!both.matches(minute: 0, hour: 0, day: 1, month: 6, weekday: 3))
        let stepped = try CronSchedule("0 0 */2 * mon")
        #expect(stepped.matches(minute: 0, hour: 0, day: 2, month: 6, weekday: 1))
        #expect(stepped.matches(minute: 0, hour: 0, day: 3, month: 6, weekday: 3))
    }
}
