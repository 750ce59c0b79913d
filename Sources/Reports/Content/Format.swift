import Foundation

/// How numbers read in reports.
///
/// One place, so every table and chart summary agrees (and golden files do not change because two
/// builders rounded differently).
enum Fmt {
    /// "46.8 s": one decimal, enough for timelines measured in tens of milliseconds.
    static func seconds(_ s: Double) -> String { String(format: "%.1f s", s) }

    /// "+46.8 s": a delay after a fault.
    static func after(_ s: Double) -> String { (s < 0 ? "" : "+") + seconds(s) }

    /// A point in simulated time as a clock from the start of the run: "10:46.8" (m:ss.s) or
    /// "1:02:03.4" beyond an hour.
    static func clock(_ t: Double) -> String {
        let tenths = Int64((t * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let total = abs(tenths)
        let h = total / 36_000, m = (total / 600) % 60, s = (total / 10) % 60, d = total % 10
        if h > 0 { return sign + String(format: "%lld:%02lld:%02lld.%lld", h, m, s, d) }
        return sign + String(format: "%lld:%02lld.%lld", m, s, d)
    }

    /// A duration as scenario files write it: "1h", "20m", "1h30m", "45s", "90.5s".
    static func duration(_ s: Double) -> String {
        guard s == s.rounded() else { return String(format: "%.1fs", s) }
        let total = Int64(s)
        if total == 0 { return "0s" }
        let h = total / 3600, m = (total % 3600) / 60, sec = total % 60
        var out = ""
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if sec > 0 { out += "\(sec)s" }
        return out
    }

    /// "99.87 %"; exactly 1 is "100 %" so that perfect availability stands out.
    static func percent(_ ratio: Double) -> String {
        ratio == 1 ? "100 %" : String(format: "%.2f %%", ratio * 100)
    }

    /// CPU from millicores, in cores: "4", "3.5", "0.25".
    static func cpu(_ milli: Int64) -> String { trimmed(Double(milli) / 1000, decimals: 3) }

    /// A request as Kubernetes writes it: "250m", "2" (whole cores), "0" for none.
    static func cpuRequest(_ milli: Int64) -> String {
        milli % 1000 == 0 ? "\(milli / 1000)" : "\(milli)m"
    }

    /// Memory in binary units: "7.9 GiB", "256 MiB", "512 KiB", "0".
    static func memory(_ bytes: Int64) -> String {
        if bytes == 0 { return "0" }
        let units: [(String, Double)] = [("TiB", 1_099_511_627_776), ("GiB", 1_073_741_824), ("MiB", 1_048_576), ("KiB", 1024)]
        let b = Double(bytes)
        for (name, size) in units where b >= size {
            return trimmed(b / size, decimals: b / size >= 100 ? 0 : 1) + " " + name
        }
        return "\(bytes) B"
    }

    /// A plain number with at most `decimals` decimals and no trailing zeros.
    static func trimmed(_ x: Double, decimals: Int = 2) -> String {
        var s = String(format: "%.\(decimals)f", x)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    /// "121.24 EUR": an amount of money, always to the cent (as `k3sim cost` prints it).
    static func money(_ x: Double, _ currency: String) -> String {
        let s = String(format: "%.2f", x)
        return (s == "-0.00" ? "0.00" : s) + " " + currency
    }

    /// A unit price with at least two and at most six decimals: "10.49 EUR", "0.0245 USD";
    /// "unpriced" when the catalog had no price (never 0).
    static func unitPrice(_ x: Double?, _ currency: String) -> String {
        guard let x else { return "unpriced" }
        var s = String(format: "%.6f", x)
        while s.hasSuffix("0"), let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) > 3 { s.removeLast() }
        return s + " " + currency
    }

    /// "3 runs", "1 run".
    static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? noun : (plural ?? noun + "s"))
    }
}
