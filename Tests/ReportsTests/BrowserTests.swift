import Foundation
import Testing

/// Headless Chromium, as the browser test drives it.
enum Chromium {
    /// `$K3SIM_CHROMIUM`, else the first of the usual names on `PATH`; nil when there is none.
    static let executable: String? = {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["K3SIM_CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        let dirs = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in dirs where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
        }
        return nil
    }()

    static let skipMessage =
        "no Chromium on PATH (install Debian's chromium, as .ci/run does, or set K3SIM_CHROMIUM): "
        + "the HTML reports were not checked in a browser"

    /// Requests Chromium makes for itself (time sync, component updates, sign-in, spell-check
    /// dictionaries) even with background networking disabled. They are not the page's; every
    /// other http(s) request in the log is.
    static let ownServices = [
        "http://clients2.google.com/time/", "https://accounts.google.com/ListAccounts",
        "http://update.googleapis.com/service/update2/", "https://update.googleapis.com/service/update2/",
        "https://redirector.gvt1.com/edgedl/chrome/dict/",
        // The optimization guide's model download (Chromium 14x asks for it on its own).
        "https://optimizationguide-pa.googleapis.com/",
    ]

    struct Load { let status: Int32; let dom: String; let log: String }

    /// Loads `file` headless with every host unresolvable and verbose logging to stderr, and
    /// returns the DOM after load and the log.
    static func load(_ file: URL, timeout: TimeInterval = 120) throws -> Load {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let out = work.appendingPathComponent("dom.html"), err = work.appendingPathComponent("log.txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable ?? "chromium")
        p.arguments = [
            "--headless", "--disable-gpu", "--no-sandbox", "--user-data-dir=\(work.appendingPathComponent("profile").path)",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=1",
            "--dump-dom", file.absoluteString,
        ]
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        try p.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            p.terminate()
            _ = done.wait(timeout: .now() + 10)
            throw BrowserError("chromium did not finish loading \(file.lastPathComponent) within \(Int(timeout)) s")
        }
        let read = { (u: URL) in String(decoding: FileManager.default.contents(atPath: u.path) ?? Data(), as: UTF8.self) }
        return Load(status: p.terminationStatus, dom: read(out), log: read(err))
    }

    /// The http(s) URLs the page requested, from the network delegate's log lines.
    static func pageRequests(_ log: String) -> [String] {
        log.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "NotifyBeforeURLRequest: ") else { return nil }
            let url = String(line[r.upperBound...].prefix { $0 != " " })
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { return nil }
            return ownServices.contains(where: url.hasPrefix) ? nil : url
        }
    }

    /// Console messages (errors, CSP violations, uncaught exceptions) the page produced.
    static func consoleMessages(_ log: String) -> [String] {
        log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
    }
}

struct BrowserError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Every committed HTML report opens in a real browser with no network: its DOM has the charts
/// its kind promises, and the browser logs no request to the network and no console message.
@Suite(.serialized) struct BrowserTests {
    static let reports = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reports")

    /// The charts each kind of report must contain (by `data-chart`).
    static let expectedCharts: [String: [[String]]] = [
        "run": [["ready-replicas"], ["node-states"], ["pending-pods"]],
        "montecarlo": [["histogram", "cdf"]],
        "comparison": [["comparison"], ["cost-by-category"], ["cost-availability"]],
        "validation": [["validation"]],
    ]

    static func count(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

    @Test(.enabled(if: Chromium.executable != nil, Comment(rawValue: Chromium.skipMessage)))
    func everyCommittedReportLoadsOfflineWithItsCharts() throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: Self.reports.path)) ?? [])
            .filter { $0.hasSuffix(".html") }.sorted()
        try #require(!names.isEmpty, "no HTML reports in \(Self.reports.path): run `k3sim report --all --out reports/`")
        for name in names {
            let load = try Chromium.load(Self.reports.appendingPathComponent(name))
            #expect(load.status == 0, "\(name): chromium exited with \(load.status)")
            let dom = load.dom
            #expect(dom.contains("</html>"), "\(name): no DOM was dumped")
            guard let kindRange = dom.range(of: "<meta name=\"k3sim-report\" content=\"") else {
                Issue.record("\(name): not a k3sim report (no k3sim-report meta tag)")
                continue
            }
            let kind = String(dom[kindRange.upperBound...].prefix { $0 != "\"" })
            let expected = try #require(Self.expectedCharts[kind], "\(name): unknown report kind \(kind)")
            for alternatives in expected {
                #expect(
                    alternatives.contains { dom.contains("data-chart=\"\($0)\"") },
                    "\(name): the DOM has no \(alternatives.joined(separator: " or ")) chart")
            }
            let figures = Self.count("<figure class=\"chart-figure\"", in: dom)
            #expect(figures > 0, "\(name): no charts")
            #expect(Self.count("<svg ", in: dom) == figures, "\(name): a figure without its SVG")
            #expect(!dom.contains("<script"), "\(name): has a script")
            #expect(Chromium.pageRequests(load.log).isEmpty, "\(name) requested: \(Chromium.pageRequests(load.log))")
            #expect(Chromium.consoleMessages(load.log).isEmpty, "\(name) console: \(Chromium.consoleMessages(load.log))")
        }
    }

    /// The checks above are only worth something if they can fail: a page with a network image,
    /// a stylesheet from a font CDN and a console error must trip all of them.
    @Test(.enabled(if: Chromium.executable != nil, Comment(rawValue: Chromium.skipMessage)))
    func theLogChecksCatchANetworkRequestAndAConsoleError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-bad-page-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("bad.html")
        try Data(
            """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title>
            <link rel="stylesheet" href="https://fonts.example.com/font.css"></head>
            <body><img src="http://images.example.com/x.png" alt="x"><script>console.error("boom")</script></body></html>
            """.utf8
        ).write(to: page)
        let load = try Chromium.load(page)
        let requests = Chromium.pageRequests(load.log)
        #expect(requests.contains("https://fonts.example.com/font.css"), "requests seen: \(requests)")
        #expect(requests.contains("http://images.example.com/x.png"), "requests seen: \(requests)")
        #expect(Chromium.consoleMessages(load.log).contains { $0.contains("boom") })
    }
}
