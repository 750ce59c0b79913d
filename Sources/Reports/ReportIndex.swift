import Foundation

/// The table of contents of a report directory (`reports/README.md`), and the clean-up that
/// keeps a regenerated directory free of reports whose scenario no longer exists.
public enum ReportIndex {
    /// `README.md` listing every report with its title, linking the formats written.
    public static func file(_ reports: [NamedReport], format: ReportFormat) -> ReportFile {
        var out = """
            # k3sim example reports

            Rendered by `k3sim report --all --out reports/` from the scenarios in `scenarios/`: each scenario \
            simulated once with its own seed, the reference scenario also as a Monte Carlo batch, and a \
            comparison of the runs that share the reference scenario's application workloads. Regenerate them with the same command; see the README's Reports \
            section. The HTML files are self-contained (open them offline); the Markdown files carry the same \
            content as text.


            """
        out += "| report | kind | files |\n|---|---|---|\n"
        for r in reports {
            let links = format.extensions.map { "[\($0)](\(r.name).\($0))" }.joined(separator: " · ")
            out += "| \(MarkdownRenderer.escape(r.document.title)) | \(r.document.kind.rawValue) | \(links) |\n"
        }
        return ReportFile(name: "README.md", contents: out)
    }

    /// Deletes the reports that the directory's previous index (`README.md`) listed and that are not in `keeping`.
    ///
    /// A renamed or removed scenario leaves no stale example behind. Only files the index links to
    /// are ever removed, never anything else in the directory.
    public static func removeStaleReports(in directory: URL, keeping: [String]) throws {
        let index = directory.appendingPathComponent("README.md")
        guard let data = FileManager.default.contents(atPath: index.path) else { return }
        for name in linkedFiles(String(decoding: data, as: UTF8.self)) where !keeping.contains(name) {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            do {
                try FileManager.default.removeItem(at: url)
            } catch {
                throw ReportError(
                    "cannot remove the old report \(name) from \(directory.path): \(error.localizedDescription)",
                    isBadInput: false)
            }
        }
    }

    /// The `.html`/`.md` files an index links to with `](name)`, without directories.
    static func linkedFiles(_ markdown: String) -> [String] {
        var out: [String] = []
        for part in markdown.components(separatedBy: "](").dropFirst() {
            guard let close = part.firstIndex(of: ")") else { continue }
            let name = String(part[..<close])
            guard !name.contains("/"), !name.hasPrefix("."), name.hasSuffix(".html") || name.hasSuffix(".md") else { continue }
            if !out.contains(name) { out.append(name) }
        }
        return out
    }
}
