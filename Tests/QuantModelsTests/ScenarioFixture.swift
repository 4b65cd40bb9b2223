import Foundation

/// What make_scenario_fixtures.py computed with numpy (and Hugging Face's tokenizers) from the
/// pinned assets: selections, generators, transformed images and digests.
struct ScenarioOracle: Decodable {
    struct Selection: Decodable {
        var pool: Int
        var seed: Int
        var size: Int?
        var positions: [Int]
    }

    struct Gaussians: Decodable {
        var seed: Int
        var split: UInt64
        var item: Int
        var values: [Double]
    }

    /// A digits calibration set (seed, size, transform) or the first `count` evaluation images.
    struct Images: Decodable {
        var seed: Int?
        var size: Int?
        var count: Int?
        var transform: String
        var positions: [Int]?
        var digest: String
        /// The normalized values at ``ScenarioOracle/pixels`` of the first and second image.
        var first: [Double]
        var second: [Double]
    }

    struct TextSet: Decodable {
        var seed: Int
        var size: Int?
        var positions: [Int]
        var digest: String
    }

    var pixels: [Int]
    var positions: [Selection]
    var mix64: [String: String]
    var gaussians: [Gaussians]
    var calibration: [Images]
    var evaluation: [Images]
    var minilm: [TextSet]

    static func load() throws -> ScenarioOracle {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("scenarios", "expected.json")))
        return try JSONDecoder().decode(ScenarioOracle.self, from: data)
    }
}
