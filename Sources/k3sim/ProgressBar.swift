import Foundation

/// A progress bar with an ETA on stderr for `--runs N`.
///
/// It is drawn only when stderr is a terminal (a pipe or a CI log stays quiet). Thread-safe: the
/// runs finish on worker threads. Redraws at most ten times a second, and always for the last run.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let start = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private let lock = NSLock()

    /// Nil when stderr is not a terminal or there is only one run: nothing to draw.
    init?(total: Int, label: String = "runs") {
        guard total > 1, isatty(STDERR_FILENO) != 0 else { return nil }
        self.total = total
        self.label = label
    }

    func update(finished: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = ContinuousClock.now
        if finished < total, let last = lastDraw, now - last < .milliseconds(100) { return }
        lastDraw = now
        let elapsed = Self.seconds(now - start)
        FileHandle.standardError.write(
            Data(
                ("\r" + Self.line(finished: finished, total: total, elapsed: elapsed, label: label)
                    + "\u{1B}[K").utf8))
    }

    /// Erases the bar so that what follows starts on a clean line.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// `  412/1000 runs [########............]  41% · 2.1 s · ETA 3.0 s`; the ETA assumes the
    /// remaining runs take as long on average as the finished ones.
    static func line(finished: Int, total: Int, elapsed: Double, label: String, width: Int = 24) -> String {
        let fraction = total > 0 ? Double(finished) / Double(total) : 1
        let filled = min(width, Int((fraction * Double(width)).rounded(.down)))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let percent = String(format: "%3d%%", Int((fraction * 100).rounded(.down)))
        var text = "\(finished)/\(total) \(label) [\(bar)] \(percent) · \(duration(elapsed))"
        if finished > 0 && finished < total {
            text += " · ETA " + duration(elapsed / Double(finished) * Double(total - finished))
        }
        return text
    }

    static func duration(_ s: Double) -> String {
        if s < 60 { return String(format: "%.1f s", s) }
        let m = Int(s) / 60
        return m < 60 ? "\(m) min \(Int(s) % 60) s" : "\(m / 60) h \(m % 60) min"
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
