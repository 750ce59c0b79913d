import Foundation

/// All providers' catalogs and the exchange rates, as shipped or as overridden by a user's
/// catalog (`--catalog`, see `CatalogOverride`).
public struct PriceCatalog: Sendable, Equatable {
    /// Provider id (hetzner, aws, gcp, linode, cloudflare) → catalog.
    public var providers: [String: ProviderCatalog]
    public var rates: [FXRate]
    /// Where the figures came from besides the shipped files (user catalog paths), for reports.
    public var overrides: [String] = []

    public init(providers: [String: ProviderCatalog], rates: [FXRate], overrides: [String] = []) {
        self.providers = providers; self.rates = rates; self.overrides = overrides
    }

    /// The catalogs shipped with k3sim (SwiftPM resources of this module).
    public static func shipped() throws -> PriceCatalog {
        try cachedShipped.get()
    }

    private static let cachedShipped: Result<PriceCatalog, CatalogError> = {
        do { return .success(try loadShipped()) } catch let e as CatalogError { return .failure(e) } catch {
            return .failure(CatalogError(file: "catalog", path: "", message: "\(error)"))
        }
    }()

    static let providerFiles = ["hetzner", "aws", "gcp", "linode", "cloudflare"]

    private static func loadShipped() throws -> PriceCatalog {
        var providers: [String: ProviderCatalog] = [:]
        for name in providerFiles {
            let p: ProviderCatalog = try decodeResource(name)
            providers[p.provider] = p
        }
        let fx: FXFile = try decodeResource("fx")
        return PriceCatalog(providers: providers, rates: fx.rates)
    }

    private static func decodeResource<T: Decodable>(_ name: String) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else {
            throw CatalogError(file: "\(name).json", path: "", message: "the shipped catalog is missing from the k3sim bundle")
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw CatalogError(file: "\(name).json", path: CatalogError.path(of: error), message: "\(error)")
        }
    }

    public func provider(_ p: Provider) -> ProviderCatalog? { providers[p.rawValue] }

    /// How many `to` one `from` is worth, with the rate used (nil when from == to).
    ///
    /// Looks for a direct rate and its inverse.
    public func conversion(from: String, to: String) -> (factor: Double, rate: FXRate?)? {
        if from == to { return (1, nil) }
        if let r = rates.first(where: { $0.base == from && $0.quote == to }) { return (r.rate, r) }
        if let r = rates.first(where: { $0.base == to && $0.quote == from }) { return (1 / r.rate, r) }
        return nil
    }
}

/// A problem with a catalog file: which file, the field path, what.
public struct CatalogError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let path: String
    public let message: String
    public var description: String { path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)" }

    static func path(of error: Error) -> String {
        let ctx: DecodingError.Context?
        switch error as? DecodingError {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): ctx = c
        case .keyNotFound(let k, let c): return render(c.codingPath + [k])
        default: ctx = nil
        }
        return ctx.map { render($0.codingPath) } ?? ""
    }

    static func render(_ path: [CodingKey]) -> String {
        var s = ""
        for k in path {
            if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return s
    }
}
