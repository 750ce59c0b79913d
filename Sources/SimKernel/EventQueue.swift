/// Identifies one scheduled event, so that it can be cancelled (a timer).
public struct EventID: Hashable, Sendable {
    /// When the event is due, in microseconds.
    public let time: Int64
    /// Insertion sequence number: unique within a queue, and the tie-breaker.
    public let sequence: UInt64
    @inlinable init(time: Int64, sequence: UInt64) { self.time = time; self.sequence = sequence }
}

/// A priority queue of value events ordered by (time, insertion order).
///
/// Two events at the same time leave the queue in the order they were scheduled, so a
/// run is a deterministic function of its inputs. The layout is an implicit 4-ary min-heap
/// over a flat array of entries: shallower than a binary heap and with the four children
/// of a node next to each other in memory.
/// Cancellation is lazy: a cancelled entry stays in the heap and is skipped when it
/// reaches the top, which keeps `cancel` O(1).
public struct EventQueue<Payload> {
    @usableFromInline struct Entry {
        @usableFromInline var time: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var payload: Payload
        @inlinable init(time: Int64, sequence: UInt64, payload: Payload) {
            self.time = time; self.sequence = sequence; self.payload = payload
        }
        @inlinable func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    @usableFromInline var heap: [Entry] = []
    @usableFromInline var nextSequence: UInt64 = 0
    /// Sequence numbers of the events scheduled and neither run nor cancelled. An entry of
    /// the heap whose sequence is not here was cancelled and is skipped when it reaches the
    /// top. (Fix: this replaces a "cancelled" set plus the (time, sequence) of the last pop,
    /// which took a pending event for one that ran whenever it was ordered before the last
    /// entry removed, e.g. after `peekTime` dropped a later cancelled timer, or after a push
    /// before the last pop; the cancel was then lost, and a later cancel of an event that
    /// had run made `count` negative.)
    @usableFromInline var pending: Set<UInt64> = []

    public init() {}

    /// Events scheduled and neither run nor cancelled.
    public var count: Int { pending.count }
    public var isEmpty: Bool { count == 0 }

    /// Schedules `payload` at `time`. - Complexity: O(log n)
    @inlinable @discardableResult
    public mutating func push(_ payload: Payload, at time: SimTime) -> EventID {
        let seq = nextSequence
        nextSequence &+= 1
        heap.append(Entry(time: time.microseconds, sequence: seq, payload: payload))
        siftUp(heap.count - 1)
        pending.insert(seq)
        return EventID(time: time.microseconds, sequence: seq)
    }

    /// Cancels a scheduled event; cancelling one that already ran, or twice, is a no-op.
    /// - Complexity: O(1)
    public mutating func cancel(_ id: EventID) {
        pending.remove(id.sequence)  // not there: already ran or already cancelled
    }

    /// The time of the next live event, if any.
    public mutating func peekTime() -> SimTime? {
        dropCancelledTop()
        return heap.first.map { SimTime(microseconds: $0.time) }
    }

    /// Removes and returns the earliest live event. - Complexity: O(log n)
    @inlinable
    public mutating func pop() -> (time: SimTime, id: EventID, payload: Payload)? {
        while let top = heap.first {
            removeTop()
            if pending.remove(top.sequence) == nil { continue }  // cancelled
            return (SimTime(microseconds: top.time), EventID(time: top.time, sequence: top.sequence), top.payload)
        }
        return nil
    }

    mutating func dropCancelledTop() {
        while let top = heap.first, !pending.contains(top.sequence) {
            removeTop()
        }
    }

    @inlinable mutating func removeTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    @inlinable mutating func siftUp(_ start: Int) {
        var i = start
        let item = heap[i]
        while i > 0 {
            let parent = (i - 1) >> 2
            if !item.precedes(heap[parent]) { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = item
    }

    @inlinable mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        let item = heap[i]
        while true {
            let first = 4 * i + 1
            if first >= n { break }
            var best = first
            let end = min(first + 4, n)
            var c = first + 1
            while c < end {
                if heap[c].precedes(heap[best]) { best = c }
                c += 1
            }
            if !heap[best].precedes(item) { break }
            heap[i] = heap[best]
            i = best
        }
        heap[i] = item
    }
}
