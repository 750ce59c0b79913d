import Foundation
import Simulation

/// One line of the run list (`k3sim runs`): enough to pick a run without loading its series.
public struct StoredRunSummary: Sendable, Equatable {
    public var id: Int64
    /// The name the scenario was first saved under.
    public var scenarioName: String
    public var seed: UInt64
    /// "simulation" or "live".
    public var source: String
    /// Id of the first run of its `--runs N` batch; nil for a single run.
    public var batchID: Int64?
    public var createdAt: Date
    public var simulatedSeconds: Double
    public var wallSeconds: Double
    public var events: Int

    public init(
        id: Int64, scenarioName: String, seed: UInt64, source: String, batchID: Int64?,
        createdAt: Date, simulatedSeconds: Double, wallSeconds: Double, events: Int
    ) {
        self.id = id; self.scenarioName = scenarioName; self.seed = seed; self.source = source
        self.batchID = batchID; self.createdAt = createdAt; self.simulatedSeconds = simulatedSeconds
        self.wallSeconds = wallSeconds; self.events = events
    }
}

/// A run read back in full: its RunRecord, rebuilt from the tables, and where it came from.
public struct StoredRun: Sendable, Equatable {
    public var id: Int64
    /// Id of the first run of its `--runs N` batch; nil for a single run.
    public var batchID: Int64?
    /// The name the scenario was first saved under.
    public var scenarioName: String
    /// The exact scenario text the run was made from, so a report can show or rerun it.
    public var scenarioText: String
    public var k3simVersion: String
    /// When the run was saved, to the millisecond.
    public var createdAt: Date
    public var record: RunRecord

    public init(
        id: Int64, batchID: Int64?, scenarioName: String, scenarioText: String,
        k3simVersion: String, createdAt: Date, record: RunRecord
    ) {
        self.id = id; self.batchID = batchID; self.scenarioName = scenarioName
        self.scenarioText = scenarioText; self.k3simVersion = k3simVersion
        self.createdAt = createdAt; self.record = record
    }
}
