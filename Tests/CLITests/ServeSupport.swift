import Foundation

/// A `k3sim serve` process started by a test, and the real kubectl binaries as its clients.
final class ServedScenario: @unchecked Sendable {
    static var binary: URL { CLITests.binary }

    static func scenario(_ name: String) -> String { CLITests.packageRoot.appendingPathComponent("scenarios/\(name).yaml").path }

    let dir: URL
    let process = Process()
    let output: URL
    let kubeconfig: String
    private(set) var url = ""

    init(_ scenario: String, _ arguments: [String]) throws {
        dir = try Self.tempDir()
        output = dir.appendingPathComponent("serve.out")
        kubeconfig = dir.appendingPathComponent("kubeconfig").path
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = Self.binary
        process.arguments =
            ["serve", scenario, "--kubeconfig", kubeconfig, "--db", dir.appendingPathComponent("r.sqlite").path]
            + arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Serving ") }),
                let at = line.range(of: " at ")
            {
                url = String(line[at.upperBound...])
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw ServeTestError(message: "k3sim serve did not announce its URL: \(text)")
    }

    var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
    var database: String { dir.appendingPathComponent("r.sqlite").path }

    /// Ctrl-C: the run is stored; returns the exit code and everything it printed.
    func stop() -> (Int32, String) {
        if process.isRunning { process.interrupt() }
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// Waits for the scenario's end.
    func wait() -> (Int32, String) {
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    func kubectl(_ binary: String, _ args: [String]) throws -> Output {
        try Self.run(binary, ["--kubeconfig", kubeconfig, "--cache-dir", dir.appendingPathComponent("cache").path] + args)
    }

    /// Runs kubectl until `check` accepts its stdout or `seconds` pass; returns the last output.
    func kubectl(_ binary: String, _ args: [String], until check: (String) -> Bool, seconds: Double = 30) throws -> Output {
        let deadline = Date().addingTimeInterval(seconds)
        var last = try kubectl(binary, args)
        while !check(last.stdout) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            last = try kubectl(binary, args)
        }
        return last
    }

    typealias Output = CLITests.Result

    static func run(_ executable: String, _ args: [String]) throws -> Output {
        try CLITests.run(URL(fileURLWithPath: executable), args)
    }

    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The kubectl binaries on the machine: `kubectl` on the PATH and the versioned ones beside
/// the binary it links to (`kubectl.1.27` … `kubectl.1.33`).
enum Kubectl {
    static let onPath: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/kubectl"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    static var available: Bool { onPath != nil }

    /// The versioned binary, else the one on the PATH.
    static func binary(_ version: String) -> String {
        guard let onPath else { return "kubectl" }
        let resolved = URL(fileURLWithPath: onPath).resolvingSymlinksInPath()
        let versioned = resolved.deletingLastPathComponent().appendingPathComponent("kubectl.\(version)").path
        return FileManager.default.isExecutableFile(atPath: versioned) ? versioned : onPath
    }

    /// The oldest and the newest kubectl on the machine.
    static let versions = ["1.27", "1.33"]
}
