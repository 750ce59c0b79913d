/// The one error type the Store library throws.
///
/// GRDB's errors carry SQL text and result codes that mean little to a k3sim user; the CLI prints
/// `message` as is, so it is one sentence saying what could not be done and why. The original
/// error stays available in `underlying` for debugging and tests.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in one sentence.
    ///
    /// For instance "cannot open results database at /tmp/x/k3sim.sqlite: unable to open database
    /// file".
    public let message: String
    /// The GRDB (or other) error that caused this one, if any.
    public let underlying: (any Error)?

    public init(_ message: String, underlying: (any Error)? = nil) {
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}
