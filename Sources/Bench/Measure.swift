import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Process-level measurements for the benchmarks.
public enum Measure {
    /// Peak resident set size of this process so far (getrusage `ru_maxrss`: KiB on Linux,
    /// bytes on macOS).
    public static func peakMemoryBytes() -> Int {
        let u = usage()
        #if os(Linux)
            return Int(u.ru_maxrss) * 1024
        #else
            return Int(u.ru_maxrss)
        #endif
    }

    /// User + system CPU seconds of this process so far (steadier than wall time on a shared machine).
    public static func cpuSeconds() -> Double {
        let u = usage()
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(u.ru_utime) + seconds(u.ru_stime)
    }

    private static func usage() -> rusage {
        var u = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &u)
        #else
            getrusage(RUSAGE_SELF, &u)
        #endif
        return u
    }

    /// Wall seconds of `body`.
    public static func wall<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let r = try body()
        let d = clock.now - start
        return (r, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// Wall seconds of an async `body` (a Monte Carlo batch).
    public static func wall<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let r = try await body()
        let d = clock.now - start
        return (r, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// The machine, for the report: CPU model, cores, memory and the load average.
    public static func machine() -> MachineInfo {
        var model = "unknown CPU"
        if let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let colon = line.firstIndex(of: ":")
        {
            model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var load: [Double] = []
        if let s = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
            load = s.split(separator: " ").prefix(3).compactMap { Double($0) }
        }
        return MachineInfo(
            cpu: model, cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: Int(ProcessInfo.processInfo.physicalMemory), loadAverage: load)
    }
}

public struct MachineInfo: Codable, Sendable {
    public var cpu: String
    public var cores: Int
    public var memoryBytes: Int
    /// 1, 5 and 15-minute load averages when the benchmark started.
    public var loadAverage: [Double]

    public var summary: String {
        let load = loadAverage.map { String(format: "%.2f", $0) }.joined(separator: " ")
        return "\(cpu), \(cores) cores, \(memoryBytes / (1 << 30)) GiB, load average \(load)"
    }
}
