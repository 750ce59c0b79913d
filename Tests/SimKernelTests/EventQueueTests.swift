import Testing

@testable import SimKernel

/// The event queue: (time, insertion) order, lazy O(1) cancellation.
@Suite struct EventQueueTests {
    @Test func popsInTimeOrder() {
        var q = EventQueue<String>()
        q.push("c", at: .seconds(Int64(3)))
        q.push("a", at: .seconds(Int64(1)))
        q.push("b", at: .seconds(Int64(2)))
        #expect(q.count == 3)
        #expect(q.peekTime() == .seconds(Int64(1)))
        #expect(q.pop()?.payload == "a")
        #expect(q.pop()?.payload == "b")
        #expect(q.pop()?.payload == "c")
        #expect(q.pop() == nil)
        #expect(q.isEmpty == true)
        #expect(q.peekTime() == nil)
    }

    @Test func sameTimeLeavesInInsertionOrder() {
        var q = EventQueue<Int>()
        // 100 events at only three distinct times, pushed in scrambled time order.
        for i in 0..<100 { q.push(i, at: SimTime(microseconds: Int64((i * 7) % 3))) }
        var out: [(Int64, Int)] = []
        while let e = q.pop() { out.append((e.time.microseconds, e.payload)) }
        #expect(out.count == 100)
        // Sorted by time, and within one time by payload (= insertion order).
        for (x, y) in zip(out, out.dropFirst()) {
            #expect(x.0 < y.0 || (x.0 == y.0 && x.1 < y.1))
        }
    }

    @Test func popReturnsTheIDThatPushGave() {
        var q = EventQueue<String>()
        let id = q.push("x", at: .milliseconds(5))
        let e = q.pop()
        #expect(e?.id == id)
        #expect(e?.time == .milliseconds(5))
        #expect(id.time == 5_000)
    }

    @Test func cancelSkipsTheEventAndUpdatesCount() {
        var q = EventQueue<String>()
        let a = q.push("a", at: .seconds(Int64(1)))
        q.push("b", at: .seconds(Int64(2)))
        q.cancel(a)
        #expect(q.count == 1)
        #expect(q.peekTime() == .seconds(Int64(2)))
        #expect(q.pop()?.payload == "b")
        #expect(q.count == 0)
        #expect(q.pop() == nil)
    }

    @Test func cancellingTwiceCountsOnce() {
        var q = EventQueue<Int>()
        let a = q.push(1, at: .seconds(Int64(1)))
        q.push(2, at: .seconds(Int64(2)))
        q.cancel(a)
        q.cancel(a)
        #expect(q.count == 1)
        _ = q.peekTime()  // drops the cancelled top
        q.cancel(a)  // and again after it left the heap
        #expect(q.count == 1)
        #expect(q.pop()?.payload == 2)
        #expect(q.count == 0)
    }

    @Test func cancellingAnEventThatRanIsANoOp() {
        var q = EventQueue<Int>()
        let a = q.push(1, at: .seconds(Int64(1)))
        q.push(2, at: .seconds(Int64(2)))
        #expect(q.pop()?.payload == 1)
        q.cancel(a)
        #expect(q.count == 1)
        #expect(q.isEmpty == false)
        #expect(q.pop()?.payload == 2)
        q.cancel(a)
        #expect(q.count == 0)
        #expect(q.isEmpty == true)
    }

    /// A timer set after `peekTime` dropped a cancelled event further in the future must
    /// still be cancellable (the engine peeks before every step).
    @Test func cancelWorksAfterPeekDroppedALaterCancelledEvent() {
        var q = EventQueue<String>()
        let late = q.push("late", at: .seconds(Int64(10)))
        q.cancel(late)
        #expect(q.peekTime() == nil)  // drops "late"
        let early = q.push("early", at: .seconds(Int64(5)))
        q.cancel(early)
        #expect(q.count == 0)
        #expect(q.pop() == nil)
    }

    /// The queue itself does not forbid pushing before the last popped time (the engine
    /// clamps to `now`); cancellation and `count` must stay right anyway.
    @Test func pushingIntoThePastKeepsCancelAndCountRight() {
        var q = EventQueue<String>()
        let a = q.push("a", at: .seconds(Int64(10)))
        #expect(q.pop()?.payload == "a")
        let b = q.push("b", at: .seconds(Int64(5)))
        q.cancel(b)
        #expect(q.count == 0)
        #expect(q.pop() == nil)
        q.push("c", at: .seconds(Int64(1)))
        #expect(q.pop()?.payload == "c")
        q.cancel(a)  // ran long ago
        #expect(q.count == 0)
        #expect(q.isEmpty == true)
    }

    @Test func aHeapLargerThanOneLevelStaysOrdered() {
        // 4-ary heap: 1 + 4 + 16 + 64 + 256 = 341 nodes fill five levels; use many more.
        var q = EventQueue<Int>()
        var rng = RandomStream(seed: 7, entity: "test", purpose: "heap")
        var times: [Int64] = []
        for i in 0..<2_000 {
            let t = Int64(rng.next() % 10_000)
            times.append(t)
            q.push(i, at: SimTime(microseconds: t))
        }
        var popped: [Int64] = []
        while let e = q.pop() { popped.append(e.time.microseconds) }
        #expect(popped == times.sorted())
    }

    /// Differential test against a reference: a plain array, popped by minimum (time, seq).
    /// Many random interleavings of push / pop / peek / cancel (of pending, cancelled,
    /// already-run and never-cancelled ids), with times sometimes before the last pop.
    @Test(arguments: 0..<40)
    func matchesReferenceModel(run: Int) {
        var rng = RandomStream(seed: UInt64(run), entity: "event-queue", purpose: "ops")
        var q = EventQueue<Int>()
        var reference: [(time: Int64, seq: Int, payload: Int)] = []
        var issued: [(id: EventID, seq: Int)] = []
        var nextSeq = 0
        var lastTime: Int64 = 0
        let timeRange = UInt64(1 + rng.next() % 50)  // small ranges force many ties

        for _ in 0..<600 {
            let op = rng.next() % 100
            switch op {
            case 0..<45:  // push, mostly at or after the last popped time
                let past = rng.next() % 10 == 0
                let t =
                    past
                    ? Int64(rng.next() % timeRange)
                    : lastTime + Int64(rng.next() % timeRange)
                let payload = nextSeq
                let id = q.push(payload, at: SimTime(microseconds: t))
                reference.append((t, nextSeq, payload))
                issued.append((id, nextSeq))
                nextSeq += 1
            case 45..<75:  // pop
                let got = q.pop()
                if let i = reference.indices.min(by: {
                    (reference[$0].time, reference[$0].seq) < (reference[$1].time, reference[$1].seq)
                }) {
                    let want = reference.remove(at: i)
                    #expect(got?.payload == want.payload)
                    #expect(got?.time.microseconds == want.time)
                    lastTime = want.time
                } else {
                    #expect(got == nil)
                }
            case 75..<85:  // peek
                let want = reference.map(\.time).min()
                #expect(q.peekTime()?.microseconds == want)
            default:  // cancel any id ever issued (pending, cancelled, or already run)
                guard !issued.isEmpty else { break }
                let pick = issued[Int(rng.next() % UInt64(issued.count))]
                q.cancel(pick.id)
                reference.removeAll { $0.seq == pick.seq }
            }
            #expect(q.count == reference.count)
            #expect(q.isEmpty == reference.isEmpty)
        }
        // Drain: the rest leaves in reference order.
        let rest = reference.sorted { ($0.time, $0.seq) < ($1.time, $1.seq) }.map(\.payload)
        var drained: [Int] = []
        while let e = q.pop() { drained.append(e.payload) }
        #expect(drained == rest)
        #expect(q.count == 0)
    }

    /// Cancelled keys do not pile up: once stale keys outnumber the live ones the queue
    /// drops them, and what is left still leaves in order.
    @Test func massCancellationCompactsStaleKeys() {
        var q = EventQueue<Int>()
        var ids: [EventID] = []
        for i in 0..<20_000 { ids.append(q.push(i, at: SimTime(microseconds: Int64((i * 7919) % 100_000)))) }
        _ = q.peekTime()  // builds a rung
        for (i, id) in ids.enumerated() where i % 10 != 0 { q.cancel(id) }
        #expect(q.count == 2_000)
        #expect(q.heap.count < 10_000)
        var last: (Int64, Int) = (-1, -1)
        var n = 0
        while let e = q.pop() {
            #expect(e.payload % 10 == 0)
            #expect((e.time.microseconds, e.payload) > last)
            last = (e.time.microseconds, e.payload)
            n += 1
        }
        #expect(n == 2_000)
    }

    /// The same differential test at scale, so that the ladder's tiers all work: tens of
    /// thousands of pending events spread over rungs, buckets of many chunks, far-future
    /// timers, pushes into the past and into the current bucket, `pop(until:)`, mass
    /// cancellation (which compacts stale keys) and `peekTime`.
    /// The reference is an array kept sorted descending by (time, seq).
    @Test(arguments: 0..<6)
    func matchesReferenceModelAtScale(run: Int) {
        var rng = RandomStream(seed: UInt64(run), entity: "event-queue", purpose: "scale")
        var q = EventQueue<Int>()
        var reference: [(time: Int64, seq: Int)] = []  // descending: the next event is last
        var issued: [EventID] = []
        var lastTime: Int64 = 0
        let spread = Int64(1 + rng.next() % 5_000_000)
        func insert(_ t: Int64, _ seq: Int) {
            var lo = 0, hi = reference.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if (reference[mid].time, reference[mid].seq) > (t, seq) { lo = mid + 1 } else { hi = mid }
            }
            reference.insert((t, seq), at: lo)
        }
        for step in 0..<40_000 {
            let op = rng.next() % 100
            switch op {
            case 0..<50:
                let t: Int64
                switch rng.next() % 20 {
                case 0: t = Int64(rng.next() % UInt64(max(lastTime, 1)))  // the past
                case 1: t = lastTime + 3_600_000_000 + Int64(rng.next() % 1000)  // far future
                case 2: t = lastTime  // now (ties)
                default: t = lastTime + Int64(rng.next() % UInt64(spread))
                }
                issued.append(q.push(issued.count, at: SimTime(microseconds: t)))
                insert(t, issued.count - 1)
            case 50..<85:
                let got = q.pop()
                let want = reference.popLast()
                #expect(got?.payload == want?.seq)
                if let want { lastTime = want.time }
            case 85..<88:
                let end = lastTime + Int64(rng.next() % UInt64(spread))
                let got = q.pop(until: SimTime(microseconds: end))
                if let last = reference.last, last.time <= end {
                    reference.removeLast()
                    #expect(got?.payload == last.seq)
                    lastTime = last.time
                } else {
                    #expect(got == nil)
                }
            case 88..<90 where step % 1000 == 0:
                #expect(q.peekTime()?.microseconds == reference.last?.time)
            default:
                // Cancel a burst (sometimes thousands) of random ids: pending, run or cancelled.
                guard !issued.isEmpty else { break }
                let burst = rng.next() % 100 == 0 ? 2_000 : 1
                for _ in 0..<burst {
                    let id = issued[Int(rng.next() % UInt64(issued.count))]
                    q.cancel(id)
                    var lo = 0, hi = reference.count
                    let key = (id.time, Int(id.sequence))
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if (reference[mid].time, reference[mid].seq) > key { lo = mid + 1 } else { hi = mid }
                    }
                    if lo < reference.count, reference[lo].seq == key.1 { reference.remove(at: lo) }
                }
            }
            #expect(q.count == reference.count)
        }
        var drained: [Int] = []
        while let e = q.pop() { drained.append(e.payload) }
        #expect(drained == reference.reversed().map(\.seq))
        #expect(q.isEmpty == true)
    }
}

/// The engine: a clock that moves to each event's time.
@Suite struct EngineTests {
    enum Ev: Equatable { case a, b, c }

    @Test func runsEventsInOrderAndMovesTheClock() {
        var e = Engine<Ev>()
        e.schedule(.b, at: .seconds(Int64(2)))
        e.schedule(.a, at: .seconds(Int64(1)))
        #expect(e.pendingCount == 2)
        #expect(e.next() == .a)
        #expect(e.now == .seconds(Int64(1)))
        e.schedule(.c, after: .milliseconds(500))  // 1.5 s
        #expect(e.next() == .c)
        #expect(e.now == .milliseconds(1_500))
        #expect(e.next() == .b)
        #expect(e.now == .seconds(Int64(2)))
        #expect(e.next() == nil)
        #expect(e.eventsProcessed == 3)
        #expect(e.pendingCount == 0)
    }

    @Test func pastTimesAndNegativeDelaysRunNow() {
        var e = Engine<Ev>()
        e.schedule(.a, at: .seconds(Int64(5)))
        #expect(e.next() == .a)
        e.schedule(.b, at: .seconds(Int64(1)))  // in the past
        e.schedule(.c, after: .seconds(Int64(-3)))  // negative delay
        #expect(e.next() == .b)
        #expect(e.now == .seconds(Int64(5)))
        #expect(e.next() == .c)
        #expect(e.now == .seconds(Int64(5)))
    }

    @Test func nextStopsAtTheHorizonWithoutMovingTheClock() {
        var e = Engine<Ev>()
        e.schedule(.a, at: .seconds(Int64(1)))
        e.schedule(.b, at: .seconds(Int64(10)))
        #expect(e.next(until: .seconds(Int64(5))) == .a)
        #expect(e.next(until: .seconds(Int64(5))) == nil)
        #expect(e.now == .seconds(Int64(1)))
        #expect(e.pendingCount == 1)
        // Events exactly at the horizon run.
        #expect(e.next(until: .seconds(Int64(10))) == .b)
    }

    @Test func advanceOnlyMovesForward() {
        var e = Engine<Ev>()
        e.advance(to: .seconds(Int64(30)))
        #expect(e.now == .seconds(Int64(30)))
        e.advance(to: .seconds(Int64(10)))
        #expect(e.now == .seconds(Int64(30)))
    }

    @Test func cancelledTimersDoNotFire() {
        var e = Engine<Ev>()
        let t = e.schedule(.a, after: .seconds(Int64(1)))
        e.schedule(.b, after: .seconds(Int64(2)))
        e.cancel(t)
        #expect(e.pendingCount == 1)
        #expect(e.next() == .b)
        e.cancel(t)  // long gone: no-op
        #expect(e.pendingCount == 0)
        #expect(e.eventsProcessed == 1)
    }

    /// A lease timer re-armed after a peek past the horizon dropped an old cancelled
    /// timer must still be cancellable.
    @Test func cancelAfterHorizonPeek() {
        var e = Engine<Ev>()
        let old = e.schedule(.a, at: .seconds(Int64(10)))
        e.cancel(old)
        #expect(e.next(until: .seconds(Int64(5))) == nil)
        let renewed = e.schedule(.b, at: .seconds(Int64(7)))
        e.cancel(renewed)
        #expect(e.pendingCount == 0)
        #expect(e.next() == nil)
    }
}
