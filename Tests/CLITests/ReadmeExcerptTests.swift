import Foundation
import Testing

/// The README's output excerpts are what the current binary prints. A block to check follows a
/// marker line such as
///
///     <!-- excerpt: k3sim run scenarios/hetzner-k3s-ha.yaml | lines 1-14 20- -->
///
/// The command runs in the package root against a fresh database; `lines` keeps those output
/// lines (1-based, `20-` to the end) and shows each gap as a line `...`. With
/// `K3SIM_UPDATE_README=1` (or `tools/update-readme-excerpts`) the test rewrites the blocks instead.
@Suite(.serialized) struct ReadmeExcerptTests {
    static let readme = CLITests.packageRoot.appendingPathComponent("README.md")

    struct Excerpt {
        let arguments: [String]
        let ranges: [(first: Int, last: Int?)]
        /// Line indexes in the README of the fenced block's content.
        let content: Range<Int>
    }

    static func excerpts(in lines: [String]) throws -> [Excerpt] {
        var found: [Excerpt] = []
        for (i, line) in lines.enumerated() where line.hasPrefix("<!-- excerpt: ") {
            let body = line.dropFirst("<!-- excerpt: ".count).replacingOccurrences(of: " -->", with: "")
            let parts = body.components(separatedBy: " | ")
            let words = parts[0].split(separator: " ").map(String.init)
            try #require(words.first == "k3sim", "README line \(i + 1): an excerpt runs k3sim")
            var ranges: [(Int, Int?)] = []
            if parts.count > 1 {
                let spec = parts[1].split(separator: " ").map(String.init)
                try #require(spec.first == "lines", "README line \(i + 1): expected `| lines A-B …`")
                for r in spec.dropFirst() {
                    let ends = r.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                    let first = try #require(Int(ends[0]))
                    ranges.append((first, ends.count == 1 ? first : Int(ends[1])))
                }
            }
            try #require(
                lines.indices.contains(i + 1) && lines[i + 1] == "```", "README line \(i + 2): a fence must follow the marker")
            let close = try #require(lines[(i + 2)...].firstIndex(of: "```"), "README line \(i + 2): unclosed fence")
            found.append(
                Excerpt(
                    arguments: Array(words.dropFirst()), ranges: ranges.isEmpty ? [(1, nil)] : ranges,
                    content: (i + 2)..<close))
        }
        return found
    }

    /// The kept lines, with `...` for every gap (also after the last range when output goes on).
    static func render(_ output: [String], _ ranges: [(first: Int, last: Int?)]) -> [String] {
        var result: [String] = []
        var next = 1
        for r in ranges {
            let last = min(r.last ?? output.count, output.count)
            guard r.first <= last else { continue }
            if r.first > next { result.append("...") }
            result += output[(r.first - 1)..<last]
            next = last + 1
        }
        if next <= output.count { result.append("...") }
        return result
    }

    func run(_ arguments: [String]) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = arguments
        p.currentDirectoryURL = CLITests.packageRoot
        p.environment = ProcessInfo.processInfo.environment.merging(
            // The day catalogs' ages are measured against, so that the excerpts do not change with the date.
            ["K3SIM_DB": dir.appendingPathComponent("readme.sqlite").path, "K3SIM_TODAY": "2026-12-07"]) { _, b in b }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "k3sim \(arguments.joined(separator: " ")) exited \(p.terminationStatus)")
        var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    @Test func excerptsAreWhatTheBinaryPrints() throws {
        var lines = try String(contentsOf: Self.readme, encoding: .utf8).components(separatedBy: "\n")
        let excerpts = try Self.excerpts(in: lines)
        #expect(excerpts.count >= 3, "the run, explain and cost excerpts are marked")
        let update = ProcessInfo.processInfo.environment["K3SIM_UPDATE_README"] == "1"
        // From the last block up, so that rewriting one leaves the line numbers of the others.
        for e in excerpts.reversed() {
            let expected = Self.render(try run(e.arguments), e.ranges)
            if update {
                lines.replaceSubrange(e.content, with: expected)
            } else {
                #expect(
                    Array(lines[e.content]) == expected,
                    "README's excerpt of `k3sim \(e.arguments.joined(separator: " "))` drifted: run tools/update-readme-excerpts")
            }
        }
        if update { try lines.joined(separator: "\n").write(to: Self.readme, atomically: true, encoding: .utf8) }
    }

    @Test func gapsAreMarked() {
        let output = (1...6).map { "l\($0)" }
        #expect(Self.render(output, [(1, 2), (5, 5)]) == ["l1", "l2", "...", "l5", "..."])
        #expect(Self.render(output, [(2, nil)]) == ["...", "l2", "l3", "l4", "l5", "l6"])
        #expect(Self.render(output, [(1, nil)]) == output)
    }
}
