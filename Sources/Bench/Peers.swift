import Foundation

/// The peer engines of the kernel benchmark: the same PHOLD load on other engines.
///
/// They live in `../shared/bench`: the same PHOLD load on a plain C++ binary heap, on SimPy and on
/// SimGrid. Each is built (C++ with `g++ -O2` into a temporary folder) and run when its toolchain
/// is present; each prints one JSON line with `events`, `wallSeconds` and `eventsPerSecond`.
public struct PeerEngines {
    public let directory: URL
    let scratch: URL

    public enum Engine: String, CaseIterable, Codable, Sendable {
        case cppBinaryHeap = "cpp-binary-heap", simpy, simgrid = "simgrid-s4u"
    }

    /// Finds the folder with the peers.
    ///
    /// It is `--peers`, `K3SIM_BENCH_PEERS`, or `../shared/bench` from the current directory; nil
    /// when none of them holds `phold_reference.cc`.
    public static func locate(_ explicit: String?) -> PeerEngines? {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let env = ProcessInfo.processInfo.environment["K3SIM_BENCH_PEERS"] { candidates.append(env) }
        candidates.append("../shared/bench")
        for c in candidates {
            let url = URL(fileURLWithPath: c)
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("phold_reference.cc").path) {
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-bench-\(getpid())")
                try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                return PeerEngines(directory: url, scratch: scratch)
            }
        }
        return nil
    }

    /// Builds what can be built; returns, per engine, why it cannot run (nil: ready).
    public func prepare() -> [Engine: String] {
        var missing: [Engine: String] = [:]
        if !which("g++") {
            missing[.cppBinaryHeap] = "g++ not found"
            missing[.simgrid] = "g++ not found"
        } else {
            if let e = run(
                "g++",
                [
                    "-O2", "-o", scratch.appendingPathComponent("phold_reference").path,
                    directory.appendingPathComponent("phold_reference.cc").path,
                ]
            ).error {
                missing[.cppBinaryHeap] = "build failed: \(e)"
            }
            if !FileManager.default.fileExists(atPath: "/usr/include/simgrid/s4u.hpp") {
                missing[.simgrid] = "SimGrid not installed (apt-get install libsimgrid-dev)"
            } else if let e = run(
                "g++",
                [
                    "-O2", "-std=c++17", "-o", scratch.appendingPathComponent("phold_simgrid").path,
                    directory.appendingPathComponent("phold_simgrid.cpp").path, "-lsimgrid",
                ]
            ).error {
                missing[.simgrid] = "build failed: \(e)"
            }
        }
        if !which("python3") {
            missing[.simpy] = "python3 not found"
        } else if run("python3", ["-c", "import simpy"]).error != nil {
            missing[.simpy] = "SimPy not installed (pip install simpy==4.1.2)"
        }
        return missing
    }

    /// One PHOLD run on a peer.
    public func phold(_ engine: Engine, lps: Int, population: Int, end: Double) -> PeerResult {
        let args = ["\(lps)", "\(population)", "\(end)"]
        let r: (output: String, error: String?)
        switch engine {
        case .cppBinaryHeap: r = run(scratch.appendingPathComponent("phold_reference").path, args)
        case .simpy: r = run("python3", [directory.appendingPathComponent("phold_simpy.py").path] + args)
        case .simgrid:
            r = run(
                scratch.appendingPathComponent("phold_simgrid").path,
                [directory.appendingPathComponent("one_host.xml").path] + args
                    // One actor per token: with the default 8 MiB stacks and guard pages a
                    // million actors exceed vm.max_map_count; 16 KiB is ample for this actor.
                    + ["--log=root.thres:critical", "--cfg=contexts/guard-size:0", "--cfg=contexts/stack-size:16"])
        }
        if let e = r.error { return PeerResult(engine: engine.rawValue, error: e) }
        guard let line = r.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
            let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let events = obj["events"] as? Double ?? (obj["events"] as? Int).map(Double.init),
            let wall = obj["wallSeconds"] as? Double
        else {
            return PeerResult(engine: engine.rawValue, error: "unexpected output: \(r.output.prefix(200))")
        }
        return PeerResult(engine: engine.rawValue, events: Int(events), wallSeconds: wall)
    }

    public func cleanUp() { try? FileManager.default.removeItem(at: scratch) }

    func which(_ tool: String) -> Bool { run("/bin/sh", ["-c", "command -v \(tool)"]).error == nil }

    /// Runs a program (found on PATH unless the path is absolute); error: stderr or the status.
    func run(_ program: String, _ args: [String]) -> (output: String, error: String?) {
        let p = Process()
        if program.hasPrefix("/") {
            p.executableURL = URL(fileURLWithPath: program)
            p.arguments = args
        } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [program] + args
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { return ("", "\(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let output = String(decoding: o, as: UTF8.self)
        if p.terminationStatus != 0 {
            let msg = String(decoding: e, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return (output, "exit \(p.terminationStatus)\(msg.isEmpty ? "" : ": " + msg)")
        }
        return (output, nil)
    }
}

public struct PeerResult: Codable, Sendable {
    public var engine: String
    public var events: Int?
    public var wallSeconds: Double?
    public var eventsPerSecond: Double?
    /// Why the engine did not run.
    public var error: String?

    init(engine: String, events: Int, wallSeconds: Double) {
        self.engine = engine; self.events = events; self.wallSeconds = wallSeconds
        self.eventsPerSecond = wallSeconds > 0 ? Double(events) / wallSeconds : nil
    }
    init(engine: String, error: String) { self.engine = engine; self.error = error }
}
