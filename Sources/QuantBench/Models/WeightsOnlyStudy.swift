import Foundation
import QuantCore

/// The `weights-only` model kind: every weight of a tensor file quantized and measured, without
/// a forward pass, one tensor at a time.
///
/// Tensors are loaded, quantized and dropped one by one (native files are memory-mapped), so a
/// study of a large checkpoint holds one tensor's working set beyond the mapped file.
public struct WeightsOnlyStudy: Sendable {
    public var recipe: QuantizationRecipe
    /// Which tensors are weights: by default the floating-point ones with at least two axes
    /// (biases, norms and integer buffers are not what weight quantization studies).
    public var includes: @Sendable (TensorInfo) -> Bool

    public init(recipe: QuantizationRecipe, includes: @escaping @Sendable (TensorInfo) -> Bool = WeightsOnlyStudy.isWeight) {
        self.recipe = recipe
        self.includes = includes
    }

    /// Floating point (`float*`, `bfloat16`) with two or more axes.
    public static func isWeight(_ info: TensorInfo) -> Bool {
        info.shape.count >= 2 && (info.dtype.hasPrefix("float") || info.dtype.hasPrefix("bfloat"))
    }

    /// Quantizes the selected tensors of `source` (all weights when `names` is empty).
    ///
    /// A tensor that fails is recorded with its error and the rest go on.
    public func run(_ source: any TensorSource, names: [String] = []) -> WeightsOnlyReport {
        let selected = names.isEmpty ? source.tensors.filter(includes).map(\.name) : names
        let quantizer = TensorQuantizer(recipe: recipe)
        var report = WeightsOnlyReport(source: source.path)
        for name in selected {
            do {
                let tensor = try source.load(name)
                let signal = tensor.values.reduce(0.0) { $1.isFinite ? $0 + Double($1) * Double($1) : $0 }
                let (_, tensorReport) = try quantizer.quantize(tensor)
                report.add(tensorReport, signalEnergy: signal)
            } catch {
                report.failures.append(String(describing: error))
            }
        }
        return report
    }
}

/// Per-tensor results of a ``WeightsOnlyStudy`` and their totals.
public struct WeightsOnlyReport: Sendable, Encodable {
    public var source: String
    public var tensors: [TensorReport] = []
    public var failures: [String] = []
    /// Elements quantized.
    public private(set) var elements = 0
    /// Σ signal energy and Σ error energy over every tensor (for the model-wide SQNR).
    private var signalEnergy = 0.0
    private var errorEnergy = 0.0
    /// Σ storage bits (scales and zero-points included).
    public private(set) var storageBits = 0.0

    init(source: String) { self.source = source }

    mutating func add(_ report: TensorReport, signalEnergy signal: Double) {
        let n = report.shape.reduce(1, *) - report.nonFiniteCount
        tensors.append(report)
        elements += n
        errorEnergy += report.mse * Double(n)
        signalEnergy += signal
        storageBits += report.storageBitsPerElement * Double(report.shape.reduce(1, *))
    }

    /// 10·log10(Σ signal / Σ error) over every quantized element (+∞ when nothing is lost).
    public var overallSQNR: Double { errorEnergy > 0 ? 10 * log10(signalEnergy / errorEnergy) : .infinity }
    /// Mean storage bits per element over the quantized tensors.
    public var bitsPerElement: Double { elements > 0 ? storageBits / Double(elements) : 0 }

    enum CodingKeys: String, CodingKey {
        case source, tensors, failures, elements
        case overallSQNR = "overall_sqnr_db"
        case bitsPerElement = "bits_per_element"
        case storageBits = "storage_bits"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(tensors, forKey: .tensors)
        try c.encode(failures, forKey: .failures)
        try c.encode(elements, forKey: .elements)
        try c.encode(overallSQNR.isFinite ? overallSQNR : nil, forKey: .overallSQNR)
        try c.encode(bitsPerElement, forKey: .bitsPerElement)
        try c.encode(storageBits, forKey: .storageBits)
    }
}
