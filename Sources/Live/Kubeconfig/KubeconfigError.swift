/// A kubeconfig problem, said in one sentence with where it is (`file:line:column`) when known.
///
/// Messages name fields, never their values: a value may be a credential.
public struct KubeconfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    public var description: String {
        guard let file else { return message }
        guard let line else { return "\(file): \(message)" }
        return "\(file):\(line):\(column ?? 1): \(message)"
    }
}

/// Where a value was found, for errors that come up later.
///
/// For instance a context naming a cluster that no file defines.
public struct SourcePosition: Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var column: Int?

    func error(_ message: String) -> KubeconfigError {
        KubeconfigError(file: file, line: line, column: column, message)
    }
}
