import GRDB

/// SQLite persistence of simulation (and later live) results.
///
/// One `ResultStore` wraps one database file through a GRDB `DatabaseQueue`: k3sim is a CLI that
/// writes a batch of runs and reads a few back, so a single serialized connection is simpler than
/// a pool and still safe to share between tasks. Opening a store brings its schema up to date by
/// running the pending migrations of `Schema` (never dropping data: a migration that has already
/// run is skipped).
///
/// Writing is in `ResultStore+Save.swift`, reading in `ResultStore+Read.swift`. Every error
/// leaving this type is a `StoreError`.
public final class ResultStore: Sendable {
    /// Internal so tests can inspect tables directly.
    let dbQueue: DatabaseQueue
    /// Where the database lives, for error messages (":memory:" for an in-memory store).
    let path: String

    /// Opens the results database at `path`, creating the file if needed, and migrates it.
    ///
    /// Throws `StoreError` if the file cannot be opened or created (e.g. its directory does not
    /// exist) or is not a database this version can migrate.
    public init(path: String) throws {
        self.path = path
        // GRDB opens a temporary database for an empty path: the runs would be lost on exit.
        guard !path.isEmpty else {
            throw StoreError("no results database given (an empty path names a temporary database that is lost)")
        }
        do {
            dbQueue = try DatabaseQueue(path: path, configuration: Self.configuration())
        } catch {
            throw StoreError("cannot open results database at \(path): \(Self.reason(error))", underlying: error)
        }
        try migrate()
    }

    /// A private database that lives as long as the store: for tests and dry runs.
    public static func inMemory() throws -> ResultStore {
        try ResultStore(inMemory: ())
    }

    private init(inMemory: Void) throws {
        path = ":memory:"
        do {
            dbQueue = try DatabaseQueue(configuration: Self.configuration())
        } catch {
            throw StoreError("cannot create an in-memory results database: \(Self.reason(error))", underlying: error)
        }
        try migrate()
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.label = "k3sim.results"
        // Cascading deletes and the integrity of child rows rely on it (GRDB's default, stated here
        // because the schema depends on it).
        config.foreignKeysEnabled = true
        // Two k3sim processes may share a results file; wait for the other's write instead of
        // failing at once with "database is locked".
        config.busyMode = .timeout(10)
        return config
    }

    private func migrate() throws {
        do {
            // Up to date (the usual case, and the only one a read-only file allows): no write lock.
            // Any failure here (no table yet, another process creating it) means "not known to
            // be up to date", and the exclusive transaction below decides.
            if Schema.isUpToDate(dbQueue) { return }
            try dbQueue.writeWithoutTransaction { db in try Schema.migrate(db) }
        } catch {
            throw StoreError("cannot prepare results database at \(path): \(Self.reason(error))", underlying: error)
        }
    }

    /// Names of the migrations applied to this database, oldest first (for tests and diagnostics).
    func appliedMigrations() throws -> [String] {
        try perform("cannot read the migrations of results database at \(path)") {
            try dbQueue.read { db in try Schema.migrator.appliedMigrations(db) }
        }
    }

    /// Runs `body`, turning any error it throws into a `StoreError` that starts with `context`.
    ///
    /// A `StoreError` thrown inside passes through unchanged: it already says what went wrong.
    func perform<T>(_ context: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("\(context()): \(Self.reason(error))", underlying: error)
        }
    }

    /// The part of an error worth showing a user: SQLite's own message, without the SQL statement GRDB appends.
    ///
    /// For instance "NOT NULL constraint failed: workload_result.availability".
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return String(describing: error)
    }
}
