import Foundation
import Simulation
import Store

/// Which files a report set is written as.
public enum ReportFormat: String, CaseIterable, Sendable {
    case html, md, both

    var extensions: [String] {
        switch self {
        case .html: return ["html"]
        case .md: return ["md"]
        case .both: return ["html", "md"]
        }
    }
}

/// A report with the file name it is written under (without extension).
public struct NamedReport: Sendable {
    public var name: String
    public var document: ReportDocument

    public init(name: String, document: ReportDocument) { self.name = name; self.document = document }

    /// The report's files in `format`, rendered.
    public func files(_ format: ReportFormat, generator: String) -> [ReportFile] {
        format.extensions.map { ext in
            ReportFile(
                name: "\(name).\(ext)",
                contents: ext == "html"
                    ? HTMLRenderer.render(document, generator: generator)
                    : MarkdownRenderer.render(document, generator: generator))
        }
    }
}

/// A rendered file: its name in the output directory and its text.
public struct ReportFile: Sendable, Equatable {
    public var name: String
    public var contents: String
    public init(name: String, contents: String) { self.name = name; self.contents = contents }
}

/// What went wrong while building reports.
///
/// `isBadInput` is set when the request itself was wrong (an unknown run id, no runs stored), which
/// the CLI reports with exit code 2.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let isBadInput: Bool
    public init(_ message: String, isBadInput: Bool) { self.message = message; self.isBadInput = isBadInput }
    public var description: String { message }
}

/// Builds the reports for stored runs.
///
/// It only reads the store: a report is always about runs as they were recorded, never a new
/// simulation.
public struct ReportBuilder: Sendable {
    public let store: ResultStore

    public init(store: ResultStore) { self.store = store }

    /// The reports for `runIDs` (the latest run when empty).
    ///
    /// - a run report for each run;
    /// - for a run that belongs to a `--runs N` batch, the batch's Monte Carlo report (once per batch);
    /// - for a live run, a validation report against the newest simulation of the same scenario;
    /// - with two or more runs, a comparison report with one column per run.
    public func reports(for runIDs: [Int64]) throws -> [NamedReport] {
        let runs = try runs(runIDs)
        var out: [NamedReport] = []
        var batchesDone: [Int64] = []
        for run in runs {
            out.append(runReport(run))
            if let batch = run.batchID, !batchesDone.contains(batch) {
                batchesDone.append(batch)
                if let mc = try monteCarloReport(batchID: batch) { out.append(mc) }
            }
            if run.record.source == "live", let v = try validationReport(live: run) { out.append(v) }
        }
        if runs.count >= 2 { out.append(comparisonReport(runs)) }
        return out
    }

    public func runReport(_ run: StoredRun) -> NamedReport {
        NamedReport(
            name: "run-\(run.id)-\(Self.slug(run.record.scenarioName))",
            document: RunReport.document(run, costs: costs(of: run.id)))
    }

    /// The Monte Carlo report of the batch whose first run is `batchID`; nil for a batch of one.
    public func monteCarloReport(batchID: Int64) throws -> NamedReport? {
        let runs = try read { try store.batch(id: batchID) }
        guard runs.count >= 2 else { return nil }
        return NamedReport(
            name: "montecarlo-\(batchID)-\(Self.slug(runs[0].record.scenarioName))",
            document: MonteCarloReport.document(runs, costs: costs(of: runs[0].id)))
    }

    public func comparisonReport(_ runs: [StoredRun]) -> NamedReport {
        NamedReport(
            name: "comparison-" + runs.map { "\($0.id)" }.joined(separator: "-"),
            document: ComparisonReport.document(runs, costs: runs.map { costs(of: $0.id) }))
    }

    /// The platform cost `k3sim run` stored beside a run (`ResultStore.costs(runID:)`).
    ///
    /// There is none for runs stored before costs were, and for live runs. A failure to read them
    /// does not stop the report; its cost parts say that the cost could not be read, and why.
    func costs(of runID: Int64) -> RunCosts {
        do { return .stored(try store.costs(runID: runID)) } catch let e as StoreError {
            return .unreadable(e.message)
        } catch {
            return .unreadable("\(error)")
        }
    }

    /// Validation of a live run against the newest simulated run of the same scenario (its whole
    /// batch when it has one); nil when no simulation of it is stored.
    public func validationReport(live: StoredRun) throws -> NamedReport? {
        let summaries = try read { try store.runs() }
        guard let sim = summaries.first(where: { $0.source != "live" && $0.scenarioName == live.scenarioName }) else {
            return nil
        }
        let simulated = try read { try store.batch(id: sim.batchID ?? sim.id) }
        guard !simulated.isEmpty else { return nil }
        return NamedReport(
            name: "validation-\(live.id)-\(Self.slug(live.record.scenarioName))",
            document: ValidationReport.document(live: live, simulated: simulated))
    }

    /// The runs with these ids, in the order given (duplicates once); the newest run when empty.
    ///
    /// An unknown id, or an empty store, is a `ReportError` with `isBadInput`.
    public func runs(_ ids: [Int64]) throws -> [StoredRun] {
        var wanted: [Int64] = []
        for id in ids where !wanted.contains(id) { wanted.append(id) }
        if wanted.isEmpty {
            guard let latest = try read({ try store.latestRunID() }) else {
                throw ReportError(
                    "no runs are stored yet: run a scenario first, e.g. `k3sim run scenarios/hetzner-k3s-ha.yaml`",
                    isBadInput: true)
            }
            wanted = [latest]
        }
        return try wanted.map { id in
            guard let run = try read({ try store.run(id: id) }) else {
                throw ReportError("no run \(id) in the results database (see `k3sim runs`)", isBadInput: true)
            }
            return run
        }
    }

    func read<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as StoreError { throw ReportError(e.message, isBadInput: false) }
    }

    /// A file-name-safe form of a scenario name: lower-case letters, digits and dashes.
    public static func slug(_ s: String) -> String {
        let mapped = s.lowercased().map { c -> Character in (c.isLetter && c.isASCII) || (c.isNumber && c.isASCII) ? c : "-" }
        let collapsed = String(mapped).split(separator: "-").joined(separator: "-")
        return collapsed.isEmpty ? "scenario" : String(collapsed.prefix(60))
    }

    /// Writes the files into `directory` (created if needed), replacing files of the same name.
    public static func write(_ files: [ReportFile], to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for f in files {
                try Data(f.contents.utf8).write(to: directory.appendingPathComponent(f.name), options: .atomic)
            }
        } catch {
            throw ReportError("cannot write reports to \(directory.path): \(error.localizedDescription)", isBadInput: false)
        }
    }
}
