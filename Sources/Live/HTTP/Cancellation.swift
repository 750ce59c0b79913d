import Foundation

/// A flag that long operations (watches, retries, drills, probes) poll, so that Ctrl-C or a
/// timeout stops them between steps and the caller can still restore what it changed.
public final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var why: String?

    public init() {}

    public func cancel(reason: String) {
        lock.lock(); defer { lock.unlock() }
        if !cancelled { cancelled = true; why = reason }
    }

    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }
    public var reason: String? { lock.lock(); defer { lock.unlock() }; return why }

    /// Sleeps up to `seconds` in short slices; returns false when cancelled meanwhile.
    @discardableResult
    public func sleep(_ seconds: TimeInterval) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while !isCancelled {
            let left = end.timeIntervalSinceNow
            if left <= 0 { return true }
            Thread.sleep(forTimeInterval: min(left, 0.05))
        }
        return false
    }

    /// Cancels this flag on SIGINT and SIGTERM (Ctrl-C, `kill`) instead of letting the process die.
    ///
    /// A drill must still uncordon. Returns the dispatch sources, which must be kept alive.
    public func cancelOnInterrupt() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.cancel(reason: sig == SIGINT ? "interrupted (Ctrl-C)" : "terminated") }
            source.resume()
            return source
        }
    }
}
