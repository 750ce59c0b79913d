import Foundation

/// Decodes KubeModel values the operator builds from JSON templates.
enum JSONValueDecoder {
    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
}
