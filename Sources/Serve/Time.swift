import SimKernel

/// Simulated time as the API shows it: wall time is a fixed epoch plus the simulated seconds,
/// so timestamps and ages are the same in every run of a scenario.
enum SimClock {
    /// 2026-01-01T00:00:00Z, in seconds since 1970.
    static let epoch: Int64 = 1_767_225_600

    /// RFC 3339 with seconds (`metav1.Time`).
    static func timestamp(_ t: SimTime) -> String {
        let (date, secs) = civil(t)
        return date + "T" + secs + "Z"
    }

    /// RFC 3339 with microseconds (`metav1.MicroTime`, Lease renewTime and Event eventTime).
    static func microTimestamp(_ t: SimTime) -> String {
        let (date, secs) = civil(t)
        let micros = ((t.microseconds % 1_000_000) + 1_000_000) % 1_000_000
        return date + "T" + secs + "." + pad(Int(micros), 6) + "Z"
    }

    private static func civil(_ t: SimTime) -> (String, String) {
        let total = epoch + Int64((Double(t.microseconds) / 1e6).rounded(.down))
        let days = Int(total / 86_400), rem = Int(total % 86_400)
        // Howard Hinnant's days-from-civil inverse.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return ("\(y)-\(pad(m, 2))-\(pad(d, 2))", "\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))")
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// kubectl's age (`duration.HumanDuration`): 45s, 5m30s, 2h3m, 3d4h.
    static func age(from t: SimTime, to now: SimTime) -> String {
        let s = max(0, Int((now - t).microseconds / 1_000_000))
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        let h = m / 60
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        let d = h / 24
        return h % 24 == 0 || d >= 8 ? "\(d)d" : "\(d)d\(h % 24)h"
    }
}
