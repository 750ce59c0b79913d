import Foundation

/// A CronJob's `spec.schedule` as the API server validates it and the CronJob controller reads it.
///
/// Both use `cron.ParseStandard` of robfig/cron v3 (`parser.go`), which kubernetes
/// `pkg/apis/batch/validation/validation.go` `validateScheduleFormat` calls. Five fields — minute
/// 0–59, hour 0–23, day of month 1–31, month 1–12 or JAN–DEC, day of week 0–6 or SUN–SAT — each `*`
/// (or `?`), a value, a range `a-b`, with an optional step `/n`, or a comma-separated list of
/// those; or a descriptor (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
/// `@hourly`). Errors carry robfig's wording.
public struct CronSchedule: Sendable, Equatable {
    /// Allowed values per field, as bit sets (bit i: value i).
    public let minute: UInt64, hour: UInt64, dayOfMonth: UInt64, month: UInt64, dayOfWeek: UInt64
    /// Whether day of month / day of week hold a `*` or `?` without a step above 1 (robfig's
    /// starBit): when both are restricted a day matches if either does (Vixie cron), else both must.
    let domStar: Bool, dowStar: Bool
    /// `@every DURATION`, kept as written (accepted, not interpreted here).
    public let every: String?

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    struct Bounds { let min: Int, max: Int, names: [String: Int] }
    static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
        "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]
    static let days: [String: Int] = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
    static let bounds = [
        Bounds(min: 0, max: 59, names: [:]), Bounds(min: 0, max: 23, names: [:]),
        Bounds(min: 1, max: 31, names: [:]), Bounds(min: 1, max: 12, names: months),
        Bounds(min: 0, max: 6, names: days),
    ]
    static let descriptors = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    public init(_ spec: String) throws {
        if spec.contains("TZ") {
            // validateScheduleFormat refuses time zones in the schedule before parsing it.
            throw ParseError(message: "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")
        }
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ParseError(message: "empty spec string") }
        var text = trimmed
        if trimmed.hasPrefix("@every ") {
            every = String(trimmed.dropFirst(7))
            minute = 0; hour = 0; dayOfMonth = 0; month = 0; dayOfWeek = 0; domStar = true; dowStar = true
            return
        }
        every = nil
        if trimmed.hasPrefix("@") {
            guard let expanded = Self.descriptors[trimmed.lowercased()] else {
                throw ParseError(message: "unrecognized descriptor: \(trimmed)")
            }
            text = expanded
        }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
        }
        let sets = try zip(fields, Self.bounds).map { try Self.field($0, $1) }
        minute = sets[0].bits; hour = sets[1].bits; dayOfMonth = sets[2].bits; month = sets[3].bits; dayOfWeek = sets[4].bits
        domStar = sets[2].star
        dowStar = sets[4].star
    }

    static func field(_ text: String, _ b: Bounds) throws -> (bits: UInt64, star: Bool) {
        var bits: UInt64 = 0, star = false
        for expr in text.split(separator: ",", omittingEmptySubsequences: false) {
            let r = try range(String(expr), b)
            bits |= r.bits
            star = star || r.star
        }
        return (bits, star)
    }

    /// robfig `getRange`: `*`/`?`, `a`, `a-b`, each with an optional `/step`.
    static func range(_ expr: String, _ b: Bounds) throws -> (bits: UInt64, star: Bool) {
        let rangeAndStep = expr.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start: Int, end: Int
        var star = false
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            start = b.min; end = b.max
            star = true
        } else {
            start = try intOrName(lowAndHigh[0], b.names)
            switch lowAndHigh.count {
            case 1: end = start
            case 2: end = try intOrName(lowAndHigh[1], b.names)
            default: throw ParseError(message: "too many hyphens: \(expr)")
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            step = try mustParseInt(rangeAndStep[1])
            // "N/step" means N-max/step.
            if lowAndHigh.count == 1 { end = b.max }
            if step > 1 { star = false }
        default: throw ParseError(message: "too many slashes: \(expr)")
        }
        if start < b.min { throw ParseError(message: "beginning of range (\(start)) below minimum (\(b.min)): \(expr)") }
        if end > b.max { throw ParseError(message: "end of range (\(end)) above maximum (\(b.max)): \(expr)") }
        if start > end { throw ParseError(message: "beginning of range (\(start)) beyond end of range (\(end)): \(expr)") }
        if step == 0 { throw ParseError(message: "step of range should be a positive number: \(expr)") }
        var bits: UInt64 = 0
        for v in stride(from: start, through: end, by: step) { bits |= 1 << UInt64(v) }
        return (bits, star)
    }

    static func intOrName(_ s: String, _ names: [String: Int]) throws -> Int {
        if let v = names[s.lowercased()] { return v }
        return try mustParseInt(s)
    }

    static func mustParseInt(_ s: String) throws -> Int {
        guard let v = Int(s) else {
            throw ParseError(message: "failed to parse int from \(s): strconv.Atoi: parsing \"\(s)\": invalid syntax")
        }
        if v < 0 { throw ParseError(message: "negative number (\(v)) not allowed: \(s)") }
        return v
    }

    /// Whether a civil minute (UTC; the controller's default without `timeZone`) matches.
    public func matches(minute mi: Int, hour h: Int, day d: Int, month mo: Int, weekday w: Int) -> Bool {
        guard minute >> UInt64(mi) & 1 == 1, hour >> UInt64(h) & 1 == 1, month >> UInt64(mo) & 1 == 1 else { return false }
        let dom = dayOfMonth >> UInt64(d) & 1 == 1, dow = dayOfWeek >> UInt64(w) & 1 == 1
        return domStar || dowStar ? dom && dow : dom || dow
    }
}
