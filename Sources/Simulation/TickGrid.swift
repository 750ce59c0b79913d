import SimKernel

/// The ticks of a periodic loop that started at `start` and runs every `period` (a
/// controller's resync, a kubelet's probe or lease loop, etcd's heartbeat): `wait.Until`
/// loops keep their phase, so a component's next pass is on its own grid, not "now + period".
struct TickGrid {
    let start: SimTime
    let period: SimTime

    /// The first tick at or after `t` (the start when `t` is before it).
    func next(atOrAfter t: SimTime) -> SimTime {
        if t <= start { return start }
        let k = (t.microseconds - start.microseconds + period.microseconds - 1) / period.microseconds
        return start + period * k
    }

    /// The last tick at or before `t` (the start when `t` is before it).
    func last(atOrBefore t: SimTime) -> SimTime {
        guard t > start, period > .zero else { return start }
        return start + SimTime(microseconds: (t - start).microseconds / period.microseconds * period.microseconds)
    }
}
