import Catalog
import Foundation
import Yams

extension ScenarioLoader {
    /// A user's price catalog (`--catalog FILE`, see `CatalogOverride`) applied to `base`.
    ///
    /// The file is YAML or JSON (JSON is read as YAML, so both get positions): strict fields,
    /// and every error, also a semantic one such as a new type without a shape, is reported as
    /// `file:line:column: field.path: message`.
    public static func loadCatalog(path: String, base: PriceCatalog) throws -> PriceCatalog {
        let text = try Limits.readText(path: path, what: "the price catalog")
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw SourceMap(file: path, root: nil, text: text).convert(error) }
        guard let root else { throw ScenarioError(file: path, message: "the price catalog is empty") }
        if let e = ControlCharacters.check(root, file: path) { throw e }
        let map = SourceMap(file: path, root: root, text: text)
        do {
            let override = try YAMLDecoder().decode(CatalogOverride.self, from: root)
            return try base.merging(override, file: path)
        } catch {
            throw map.convert(error)
        }
    }
}
