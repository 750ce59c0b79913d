import Foundation
import GRDB
import Simulation

/// A row of `scenario`, as a GRDB record.
///
/// Records are used for the two tables that are written one row at a time and read by column;
/// the bulk child rows go through cached prepared statements instead (see `ResultStore+Save`).
struct ScenarioRow: Codable, FetchableRecord, MutablePersistableRecord, Equatable {
    static let databaseTableName = "scenario"

    var id: Int64?
    var name: String
    var contentHash: String
    var text: String
    /// ISO-8601 UTC, see `Timestamp`.
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, text
        case contentHash = "content_hash"
        case createdAt = "created_at"
    }

    enum Columns {
        static let contentHash = Column(CodingKeys.contentHash)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `run`, as a GRDB record: the scalar part of a RunRecord plus where it came from.
struct RunRow: Codable, FetchableRecord, MutablePersistableRecord, Equatable {
    static let databaseTableName = "run"

    var id: Int64?
    var scenarioId: Int64
    var batchId: Int64?
    var scenarioName: String
    /// The UInt64 seed's bit pattern: SQLite integers are signed 64-bit.
    var seed: Int64
    var source: String
    var k3simVersion: String
    var createdAt: String
    var simulatedSeconds: Double
    var wallSeconds: Double
    var events: Int
    var pendingPodsAtEnd: Int
    var writeUnavailableSeconds: Double
    var leaderChanges: Int

    enum CodingKeys: String, CodingKey {
        case id, seed, source, events
        case scenarioId = "scenario_id"
        case batchId = "batch_id"
        case scenarioName = "scenario_name"
        case k3simVersion = "k3sim_version"
        case createdAt = "created_at"
        case simulatedSeconds = "simulated_seconds"
        case wallSeconds = "wall_seconds"
        case pendingPodsAtEnd = "pending_pods_at_end"
        case writeUnavailableSeconds = "write_unavailable_seconds"
        case leaderChanges = "leader_changes"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let batchId = Column(CodingKeys.batchId)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(record: RunRecord, scenarioID: Int64, batchID: Int64?, k3simVersion: String, createdAt: String) {
        id = nil
        scenarioId = scenarioID
        batchId = batchID
        scenarioName = record.scenarioName
        seed = Int64(bitPattern: record.seed)
        source = record.source
        self.k3simVersion = k3simVersion
        self.createdAt = createdAt
        simulatedSeconds = record.simulatedSeconds
        wallSeconds = record.wallSeconds
        events = record.events
        pendingPodsAtEnd = record.pendingPodsAtEnd
        writeUnavailableSeconds = record.controlPlane.writeUnavailableSeconds
        leaderChanges = record.controlPlane.leaderChanges
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The seed as the simulation knows it; exact for every UInt64.
    var unsignedSeed: UInt64 { UInt64(bitPattern: seed) }
}

/// The text form of `created_at` columns: ISO-8601 in UTC with milliseconds (`2025-03-01T12:34:56.789Z`).
///
/// Fixed width, so text order is time order and `ORDER BY created_at` needs no conversion; readable
/// in the `sqlite3` shell, unlike a Julian day.
enum Timestamp {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    static func string(_ date: Date) -> String {
        date.formatted(style)
    }

    static func date(_ text: String) throws -> Date {
        do {
            return try style.parse(text)
        } catch {
            throw StoreError("cannot read timestamp \"\(text)\" from the results database: it is not ISO-8601", underlying: error)
        }
    }
}
