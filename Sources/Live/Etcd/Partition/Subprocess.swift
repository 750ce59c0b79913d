import Foundation

/// Runs a command to its end and collects what it printed: the `ip` commands that build and
/// cut the partition harness, and `etcd --version`.
public enum Subprocess {
    public struct Result: Sendable { public let code: Int32; public let stdout: String; public let stderr: String }

    /// The executable's path in PATH, or nil.
    public static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    @discardableResult
    public static func run(_ executable: String, _ args: [String], environment: [String: String]? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        if let environment { p.environment = environment }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try p.run()
        // Both pipes are read at once, so that neither fills up and blocks the child.
        let errData = PipeReader(err.fileHandleForReading)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(
            code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: errData.wait(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on a thread of its own.
final class PipeReader: @unchecked Sendable {
    private let done = NSCondition()
    private var data: Data?

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let d = handle.readDataToEndOfFile()
            done.lock(); data = d; done.signal(); done.unlock()
        }
    }

    func wait() -> Data {
        done.lock(); defer { done.unlock() }
        while true {
            if let data { return data }
            done.wait()
        }
    }
}
