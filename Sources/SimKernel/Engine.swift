/// The discrete-event run loop: a clock and an event queue.
///
/// Models above the kernel schedule value events (`Payload`, usually an enum) and handle
/// them in a `run` callback; the kernel knows nothing of what they mean. Time only moves
/// forward, to the time of the event being handled. Not copyable, like its queue.
public struct Engine<Payload>: ~Copyable {
    @usableFromInline var clock: SimTime = .zero
    @usableFromInline var processed: Int = 0
    @usableFromInline var queue = EventQueue<Payload>()

    public init() {}

    public var now: SimTime { @inlinable get { clock } }
    public var eventsProcessed: Int { @inlinable get { processed } }

    /// Pending events.
    @inlinable public var pendingCount: Int { queue.count }

    /// Schedules `payload` at an absolute time; a time in the past runs at `now`.
    @inlinable @discardableResult
    public mutating func schedule(_ payload: Payload, at time: SimTime) -> EventID {
        queue.push(payload, at: max(time, clock))
    }

    /// Schedules `payload` after a delay from `now`.
    @inlinable @discardableResult
    public mutating func schedule(_ payload: Payload, after delay: SimTime) -> EventID {
        queue.push(payload, at: clock + max(delay, .zero))
    }

    /// Cancels a timer.
    ///
    /// Cancelling an event that already ran does nothing.
    @inlinable public mutating func cancel(_ id: EventID) { queue.cancel(id) }

    /// Takes the next event due at or before `end`, moving the clock to it.
    @inlinable
    public mutating func next(until end: SimTime = .distantFuture) -> Payload? {
        guard let e = queue.pop(until: end) else { return nil }
        clock = e.time
        processed &+= 1
        return e.payload
    }

    /// Moves the clock to `end` once no event before it is left (end of a run).
    @inlinable public mutating func advance(to end: SimTime) {
        if end > clock { clock = end }
    }
}
