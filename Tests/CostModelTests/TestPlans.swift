import Formats
import QuantBench
import QuantCore

/// Plans built by hand for the cost-model tests: encodings come from the real format plug-ins,
/// granule counts are written out in each test.
enum TestPlans {
    static let registry = PluginRegistry.builtIn

    /// The encoding of a registry format, with `granuleSize` elements per granule.
    static func encoding(_ format: String, granuleSize: Int) throws -> OperandEncoding {
        let f = try registry.format(format)
        return OperandEncoding(
            format: f.name, kind: f.numberKind, elementBits: f.elementBits, granuleSize: granuleSize,
            granuleOverheadBits: f.granuleOverheadBits, tensorOverheadBits: f.tensorOverheadBits)
    }

    /// A K×N layer with `rows` per item whose weights are `format` cut into `granules` granules of `granuleSize`.
    static func layer(
        _ name: String = "w", k: Int, n: Int, rows: LayerGeometry.Rows = .perItem(1), weights format: String?,
        granuleSize: Int = 0, granules: Int = 0, activations: OperandEncoding? = nil
    ) throws -> LayerPlan {
        let geometry = LayerGeometry(weight: name, inFeatures: k, outFeatures: n, rows: rows)
        let weights = try format.map { try encoding($0, granuleSize: granuleSize) } ?? .float(bits: 32)
        return LayerPlan(geometry: geometry, weights: weights, weightGranules: format == nil ? 0 : granules, activations: activations)
    }

    static func plan(_ layers: [LayerPlan], unquantized: Int = 0, measurement: CostPlan.Measurement? = nil) -> CostPlan {
        CostPlan(model: "test-model", layers: layers, unquantizedParameters: unquantized, measurement: measurement)
    }

    /// |a − b| ≤ tolerance·|b|.
    static func close(_ a: Double?, _ b: Double, relative tolerance: Double = 1e-12) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * abs(b)
    }
}
