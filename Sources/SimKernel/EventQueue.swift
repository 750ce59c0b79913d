import SimKernelShims

/// Identifies one scheduled event, so that it can be cancelled (a timer).
public struct EventID: Hashable, Sendable {
    /// When the event is due, in microseconds.
    public let time: Int64
    /// Insertion sequence number: unique within a queue, and the tie-breaker.
    public let sequence: UInt64
    /// Where the queue keeps the event's payload while it is pending.
    @usableFromInline let slot: UInt32
    @inlinable init(time: Int64, sequence: UInt64, slot: UInt32) {
        self.time = time; self.sequence = sequence; self.slot = slot
    }
}

/// A priority queue of value events ordered by (time, insertion order).
///
/// Two events at the same time leave the queue in the order they were scheduled, so a
/// run is a deterministic function of its inputs.
///
/// Layout (each step measured with `k3sim bench kernel`, see the README's Performance section):
/// - Keys are 16 bytes: the time, and a tag with the insertion sequence in its high bits and
///   a payload slot in its low bits, so one comparison of (time, tag) orders by (time,
///   insertion). Keys live in a two-level ladder queue (`KeyLadder`): the keys due soonest
///   sorted into sub-buckets found by a bitmap (`NearWheel`, with a 4-ary heap as its
///   fallback), a rung of time buckets, and an unsorted far tier; a key moves at most
///   twice, and the tier it meets last stays in cache even with a million events pending.
/// - Payloads stay put in a slot table (free slots chained in a free list), so keys move
///   without their payload; when a bucket enters the near tier, its slots are prefetched.
/// - Cancellation costs nothing for events that are not cancelled (no hash set): a slot
///   remembers the sequence of the event it holds; `cancel` frees the slot when the
///   sequences agree (so cancelling an event that ran or was cancelled is a no-op), and a
///   key whose slot no longer holds its sequence is skipped when it reaches the top — the
///   check reads the slot that `pop` reads anyway for the payload. Stale keys are compacted
///   away when they outnumber the live ones.
/// - The slots, the rung and the heap live in raw memory (`SlotTable`, `RungStorage`,
///   `KeyHeap.Buffer`), and the queue is not copyable: it owns that memory alone, so no
///   operation checks whether it is shared (copy-on-write cost a uniqueness call into the
///   runtime per push and per pop, 4–5 % of a PHOLD event, measured; a simulation never
///   needs two copies of its future).
/// Limits: 2^28 (268 million) pending events and 2^36 (68 billion) pushes per queue.
public struct EventQueue<Payload>: ~Copyable {
    @usableFromInline static var slotBits: UInt64 { 28 }
    @usableFromInline static var slotMask: UInt64 { (1 << slotBits) - 1 }
    @usableFromInline static var maxSequence: UInt64 { 1 << (64 - slotBits) }
    /// A free slot's `sequence`: this bit plus the next free slot (or `noSlot`).
    @usableFromInline static var freeBit: UInt64 { 1 << 63 }
    @usableFromInline static var noSlot: UInt64 { slotMask }

    @usableFromInline struct Slot {
        @usableFromInline var sequence: UInt64
        @usableFromInline var payload: Payload?
        @inlinable init(sequence: UInt64, payload: Payload?) { self.sequence = sequence; self.payload = payload }
    }

    @usableFromInline var heap = KeyLadder()
    @usableFromInline var slots = SlotTable<Payload>(capacity: 0)
    /// Slots handed out so far (holding an event or in the free list).
    @usableFromInline var slotCount = 0
    @usableFromInline var freeHead: UInt64 = EventQueue.noSlot
    @usableFromInline var nextSequence: UInt64 = 0
    /// Events scheduled and neither run nor cancelled (the heap also holds stale keys).
    @usableFromInline var live = 0

    public init() {}

    /// Events scheduled and neither run nor cancelled.
    @inlinable public var count: Int { live }
    @inlinable public var isEmpty: Bool { live == 0 }

    /// Schedules `payload` at `time`. - Complexity: O(log n)
    @inlinable @discardableResult
    public mutating func push(_ payload: Payload, at time: SimTime) -> EventID {
        let seq = nextSequence
        precondition(seq < EventQueue.maxSequence, "EventQueue: more than 2^36 events pushed")
        nextSequence &+= 1
        let slot: UInt64
        if freeHead != EventQueue.noSlot {
            slot = freeHead
            freeHead = slots.base[Int(slot)].sequence & ~EventQueue.freeBit
        } else {
            slot = UInt64(slotCount)
            precondition(slot < EventQueue.noSlot, "EventQueue: more than 2^28 pending events")
            if slotCount == slots.capacity { slots = slots.copy(capacity: max(64, 2 * slotCount)) }
            slotCount &+= 1
        }
        slots.base[Int(slot)] = Slot(sequence: seq, payload: payload)
        live &+= 1
        heap.push(Key(time: time.microseconds, tag: seq << EventQueue.slotBits | slot))
        return EventID(time: time.microseconds, sequence: seq, slot: UInt32(slot))
    }

    /// Cancels a scheduled event; cancelling one that already ran, or twice, is a no-op.
    /// - Complexity: O(1) (amortised: stale keys are compacted now and then)
    @inlinable
    public mutating func cancel(_ id: EventID) {
        let slot = Int(id.slot)
        guard slot < slotCount, slots.base[slot].sequence == id.sequence else { return }
        release(slot)
        if heap.count > 4096 && heap.count > 2 * live { compact() }
    }

    /// The time of the next live event, if any.
    @inlinable
    public mutating func peekTime() -> SimTime? {
        while let top = nextKey() {
            if isLive(top) { return SimTime(microseconds: top.time) }
            heap.removeTop()
        }
        return nil
    }

    /// Removes and returns the earliest live event. - Complexity: O(log n)
    @inlinable
    public mutating func pop() -> (time: SimTime, id: EventID, payload: Payload)? {
        while let top = nextKey() {
            heap.removeTop()
            prefetchTopSlot()
            let slot = Int(top.tag & EventQueue.slotMask)
            let seq = top.tag >> EventQueue.slotBits
            guard slots.base[slot].sequence == seq else { continue }  // cancelled: slot freed or reused
            let payload = take(slot)
            return (SimTime(microseconds: top.time), EventID(time: top.time, sequence: seq, slot: UInt32(slot)), payload)
        }
        return nil
    }

    /// Removes and returns the earliest live event if it is due at or before `end`
    /// (`peekTime` and `pop` in one pass).
    @inlinable
    public mutating func pop(until end: SimTime) -> (time: SimTime, payload: Payload)? {
        let endTime = end.microseconds
        while let top = nextKey() {
            let slot = Int(top.tag & EventQueue.slotMask)
            let seq = top.tag >> EventQueue.slotBits
            guard slots.base[slot].sequence == seq else { heap.removeTop(); continue }  // cancelled
            if top.time > endTime { return nil }
            heap.removeTop()
            prefetchTopSlot()
            let payload = take(slot)
            return (SimTime(microseconds: top.time), payload)
        }
        return nil
    }

    /// The smallest key; when `near` is refilled from a bucket, the slots of all its keys are
    /// fetched at once (many cache misses in flight instead of one per pop).
    @inlinable mutating func nextKey() -> Key? {
        if heap.needsRefill {
            guard heap.refill() else { return nil }
            for key in heap.near.storedKeys { simkernel_prefetch(slots.base + Int(key.tag & EventQueue.slotMask)) }
        }
        return heap.near.top
    }

    /// The next pop reads the top key's slot: start fetching it now, while the caller
    /// handles this event (at a million pending events the slot is not in cache).
    @inlinable func prefetchTopSlot() {
        guard let next = heap.near.top else { return }
        simkernel_prefetch(slots.base + Int(next.tag & EventQueue.slotMask))
    }

    @inlinable func isLive(_ key: Key) -> Bool {
        slots.base[Int(key.tag & EventQueue.slotMask)].sequence == key.tag >> EventQueue.slotBits
    }

    /// Takes the payload of a live event's slot and frees the slot.
    @inlinable @inline(__always) mutating func take(_ slot: Int) -> Payload {
        let s = slots.base + slot
        let payload = s.pointee.payload.take()!
        s.pointee.sequence = EventQueue.freeBit | freeHead
        freeHead = UInt64(slot)
        live &-= 1
        return payload
    }

    @inlinable mutating func release(_ slot: Int) {
        slots.base[slot].payload = nil
        slots.base[slot].sequence = EventQueue.freeBit | freeHead
        freeHead = UInt64(slot)
        live &-= 1
    }

    /// Drops stale keys and rebuilds the heap (the order of the live keys is unchanged).
    @usableFromInline mutating func compact() {
        var liveKeys = ContiguousArray<Key>()
        liveKeys.reserveCapacity(live)
        heap.forEach { if isLive($0) { liveKeys.append($0) } }
        heap = KeyLadder(liveKeys)
    }
}
