/// The discrete-event run loop: a clock and an event queue.
///
/// Models above the kernel schedule value events (`Payload`, usually an enum) and handle
/// them in a `run` callback; the kernel knows nothing of what they mean. Time only moves
/// forward, to the time of the event being handled.
public struct Engine<Payload> {
    public private(set) var now: SimTime = .zero
    public private(set) var eventsProcessed: Int = 0
    @usableFromInline var queue = EventQueue<Payload>()

    public init() {}

    /// Pending events.
    public var pendingCount: Int { queue.count }

    /// Schedules `payload` at an absolute time; a time in the past runs at `now`.
    @discardableResult
    public mutating func schedule(_ payload: Payload, at time: SimTime) -> EventID {
        queue.push(payload, at: max(time, now))
    }

    /// Schedules `payload` after a delay from `now`.
    @discardableResult
    public mutating func schedule(_ payload: Payload, after delay: SimTime) -> EventID {
        queue.push(payload, at: now + max(delay, .zero))
    }

    /// Cancels a timer. Cancelling an event that already ran does nothing.
    public mutating func cancel(_ id: EventID) { queue.cancel(id) }

    /// Takes the next event due at or before `end`, moving the clock to it.
    public mutating func next(until end: SimTime = .distantFuture) -> Payload? {
        guard let t = queue.peekTime(), t <= end, let e = queue.pop() else { return nil }
        now = e.time
        eventsProcessed += 1
        return e.payload
    }

    /// Moves the clock to `end` once no event before it is left (end of a run).
    public mutating func advance(to end: SimTime) {
        if end > now { now = end }
    }
}
