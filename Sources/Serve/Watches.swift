import Foundation
import SimKernel

/// Watches as the API server's watch cache serves them (k8s.io/apiserver
/// `pkg/storage/cacher`): from a resourceVersion the cache still holds, the events after it;
/// from one it no longer holds, a single ERROR event with a 410 `Expired` Status, after
/// which clients list again; with `allowWatchBookmarks=true`, a BOOKMARK carrying the current
/// resourceVersion about once a minute.
extension ServedCluster {
    /// cacher.go `bookmarkFrequency`, counted on the simulated clock (ages and timestamps are too).
    static let bookmarkInterval = SimTime.seconds(60)

    func watchEvent(_ type: String, _ object: JSON, table: Bool) -> Data {
        let payload: JSON =
            table ? Tables.table([object], kind: object["kind"] as? String ?? "", rv: rv, now: server.now) : object
        var data = JSONText.data(["type": type, "object": payload] as JSON)
        data.append(0x0A)
        return data
    }

    /// watch_cache.go `getAllEventsSinceLocked`: a resourceVersion below the oldest kept
    /// event's minus one is too old; cacher.go `Watch` answers it with an ERROR watch event
    /// (HTTP 200), as the uncached path does.
    func expired(since: Int) -> Data? {
        guard since > 0, since < droppedThrough else { return nil }
        let status = Objects.status(
            code: 410, reason: "Expired", message: "too old resource version: \(since) (\(droppedThrough))")
        var data = JSONText.data(["type": "ERROR", "object": status] as JSON)
        data.append(0x0A)
        return data
    }

    /// Opens a watch: events after `since` (a list's resourceVersion) from the log, or every
    /// current object as ADDED when the client names none (or 0), then the changes as they happen.
    func openWatch(_ w: WatchRequest, current: [JSON]) -> AsyncStream<Data> {
        // Bounded: a client that stops reading loses old events instead of growing the server.
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        if let since = w.since, let gone = expired(since: since) {
            continuation.yield(gone)
            continuation.finish()
            return stream
        }
        if let since = w.since, since > 0 {
            for e in log where e.rv > since && e.resource == w.resource && matches(e.object, w) {
                continuation.yield(watchEvent(e.type, e.object, table: w.table))
            }
        } else {
            for o in current where matches(o, w) { continuation.yield(watchEvent("ADDED", o, table: w.table)) }
        }
        if server.finished || stopRequested {
            continuation.finish()
            return stream
        }
        let id = nextWatcher
        nextWatcher += 1
        watchers[id] = Watcher(
            request: w, continuation: continuation,
            nextBookmark: w.bookmarks ? server.now + Self.bookmarkInterval : nil)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeWatcher(id) }
        }
        return stream
    }

    func removeWatcher(_ id: Int) { watchers[id] = nil }

    /// A newline between watch events (JSON streams allow whitespace): the write to a client
    /// that went away fails, which ends its watch, even while nothing changes.
    func keepWatchesAlive() {
        for w in watchers.values { w.continuation.yield(Data([0x0A])) }
    }

    /// BOOKMARK events for the watches whose next one is due: an object of the watched kind
    /// with only `metadata.resourceVersion` (the cacher's bookmark event).
    func sendDueBookmarks() {
        for id in watchers.keys.sorted() {
            guard let w = watchers[id], let due = w.nextBookmark, server.now >= due else { continue }
            let object: JSON = [
                "kind": w.request.kind, "apiVersion": w.request.apiVersion,
                "metadata": ["resourceVersion": String(rv), "creationTimestamp": NSNull()] as JSON,
            ]
            let payload: JSON =
                w.request.table
                ? [
                    "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": ["resourceVersion": String(rv)],
                    "rows": [] as [Any],
                ]
                : object
            var data = JSONText.data(["type": "BOOKMARK", "object": payload] as JSON)
            data.append(0x0A)
            w.continuation.yield(data)
            watchers[id]?.nextBookmark = server.now + Self.bookmarkInterval
        }
    }
}
