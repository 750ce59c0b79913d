/// The slots of an event queue: each holds a pending event's payload and the sequence of the
/// event it belongs to (or, when free, the free bit and the next free slot).
///
/// Raw memory rather than an array: a push and a pop each wrote a slot two or three times,
/// and every array write paid a uniqueness call and a bounds check (measured with
/// `k3sim bench kernel`); the queue cannot be copied, so the table is never shared. Every
/// slot up to `capacity` is initialized (free ones hold no payload), so the table can
/// release them itself; the fields are constants, so reading them needs no exclusivity
/// check.
@usableFromInline final class SlotTable<Payload> {
    @usableFromInline typealias Slot = EventQueue<Payload>.Slot
    @usableFromInline let base: UnsafeMutablePointer<Slot>
    @usableFromInline let capacity: Int

    /// A table of free slots that hold nothing (`sequence` has only the free bit: it matches
    /// no key).
    @usableFromInline init(capacity: Int) {
        self.capacity = capacity
        base = UnsafeMutablePointer.allocate(capacity: max(capacity, 1))
        base.initialize(repeating: Slot(sequence: EventQueue<Payload>.freeBit, payload: nil), count: capacity)
    }

    deinit {
        base.deinitialize(count: capacity)
        base.deallocate()
    }

    /// A copy with room for `capacity` slots (at least as many as this one).
    @usableFromInline func copy(capacity newCapacity: Int) -> SlotTable {
        let t = SlotTable(capacity: max(newCapacity, capacity))
        t.base.update(from: base, count: capacity)
        return t
    }
}
