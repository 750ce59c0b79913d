import Yams

/// Refuses control characters other than tab and line feed in any key or value k3sim reads.
///
/// k3sim prints names, images, descriptions and sources from its input to a terminal; a value
/// holding an escape sequence (written `"\e[2J"` or `"\u001b"` in a double-quoted YAML string,
/// which the YAML reader accepts) would act on that terminal. No key or value of a scenario,
/// manifest, catalog or scheduler configuration may hold a control character other than tab and
/// line feed (a k3sim rule; the API server has none, but it does not print to a terminal).
enum ControlCharacters {
    /// The first key or value holding one, with its path and position.
    static func check(_ node: Node, file: String, path: [PathKey] = []) -> ScenarioError? {
        switch node {
        case .scalar(let s):
            return offending(s.string).map { found(node.mark, file: file, path: path, $0) }
        case .mapping(let m):
            for pair in m {
                let key = pair.key.string ?? "?"
                if let c = offending(key) { return found(pair.key.mark, file: file, path: path + [.key(key)], c) }
                if let e = check(pair.value, file: file, path: path + [.key(key)]) { return e }
            }
        case .sequence(let seq):
            for (i, n) in seq.enumerated() {
                if let e = check(n, file: file, path: path + [.index(i)]) { return e }
            }
        case .alias:
            break
        }
        return nil
    }

    static func offending(_ s: String) -> Unicode.Scalar? {
        s.unicodeScalars.first { u in
            u.value != 0x09 && u.value != 0x0A
                && (u.value < 0x20 || (0x7F..<0xA0).contains(u.value) || u.value == 0x2028 || u.value == 0x2029)
        }
    }

    static func found(_ mark: Mark?, file: String, path: [PathKey], _ c: Unicode.Scalar) -> ScenarioError {
        ScenarioError(
            file: file, line: mark?.line, column: mark?.column, field: SourceMap.render(path),
            message:
                "holds the control character U+\(String(c.value, radix: 16, uppercase: true).leftPadded(4)); k3sim input may not (it would reach the terminal)"
        )
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
