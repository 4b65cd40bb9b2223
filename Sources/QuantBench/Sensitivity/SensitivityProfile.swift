import QuantCore
import QuantModels

/// What quantizing one layer alone (every other layer FP32) with one format did to the model.
public struct SensitivityEntry: Sendable, Codable, Equatable {
    /// The weight tensor, e.g. `conv_layers.0.weight`.
    public var layer: String
    /// The recipe's label (its format name, e.g. `int4`).
    public var format: String
    /// Elements of the weight.
    public var params: Int
    /// Exact storage bits of the quantized weight (scales included).
    public var storageBits: Double
    /// The primary metric with this layer quantized.
    public var metric: Double
    /// FP32's primary metric minus ``metric``: positive when quantizing the layer hurts.
    public var drop: Double
    /// Output SQNR vs FP32 in dB: 10·log10(Σ ref² / Σ (ref − out)²) over the evaluation output.
    public var outputSQNRDB: Double
    /// SQNR of the quantized weight vs its FP32 values, dB.
    public var weightSQNRDB: Double
    /// Every metric the task reports, with this layer quantized.
    public var metrics: [TaskMetric]

    /// The output noise power relative to the signal, 10^(−SQNR/10): independent noise sources
    /// add in power, so summing it over layers predicts the output SQNR of a plan.
    public var outputNoise: Double { outputSQNRDB.isInfinite ? 0 : pow10(-outputSQNRDB / 10) }

    enum CodingKeys: String, CodingKey {
        case layer, format, params, metric, drop, metrics
        case storageBits = "storage_bits"
        case outputSQNRDB = "output_sqnr_db"
        case weightSQNRDB = "weight_sqnr_db"
    }
}

/// A model's per-layer sensitivity to each profiled format.
public struct SensitivityProfile: Sendable, Codable {
    /// What a search minimizes.
    public enum Damage: String, Sendable, CaseIterable {
        /// The output noise power a layer adds alone (``SensitivityEntry/outputNoise``).
        case outputNoise = "output-noise"
        /// The primary metric's drop a layer causes alone.
        case metricDrop = "metric-drop"
    }

    public var model: String
    /// The metric ranked on: the first metric the task reports (digits-cnn `top1`, minilm `lee_pearson`).
    public var primaryMetric: String
    /// Its FP32 value.
    public var fp32Metric: Double
    /// Quantizable weights in forward order.
    public var layers: [String]
    /// Recipe labels in the order given.
    public var formats: [String]
    /// One entry per (layer, format), layer-major.
    public var entries: [SensitivityEntry]
    /// Wall seconds of the measurement (observation and quantization included).
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case model, layers, formats, entries, seconds
        case primaryMetric = "primary_metric"
        case fp32Metric = "fp32_metric"
    }

    /// The entry for `layer` quantized with `format`.
    public func entry(layer: String, format: String) -> SensitivityEntry? {
        entries.first { $0.layer == layer && $0.format == format }
    }

    /// Entries of `format`, most sensitive first by metric drop (then by lower output SQNR).
    public func rankedByDrop(format: String) -> [SensitivityEntry] {
        entries.filter { $0.format == format }.sorted {
            $0.drop != $1.drop ? $0.drop > $1.drop : $0.outputSQNRDB < $1.outputSQNRDB
        }
    }

    /// Entries of `format`, most sensitive (lowest output SQNR) first.
    public func rankedBySQNR(format: String) -> [SensitivityEntry] {
        entries.filter { $0.format == format }.sorted { $0.outputSQNRDB < $1.outputSQNRDB }
    }

    /// The search problem over `formats` (every profiled one by default): each layer's options
    /// cost `cost(entry)` (storage bits by default) and damage per `damage`.
    ///
    /// - Throws: ``SensitivityError`` for a format not profiled or a missing measurement.
    public func problem(
        formats chosen: [String]? = nil, damage: Damage = .outputNoise, cost: (SensitivityEntry) -> Double = { $0.storageBits }
    ) throws -> MixedPrecisionProblem {
        let names = chosen ?? formats
        for name in names where !formats.contains(name) { throw SensitivityError.unknownFormat(name: name, known: formats) }
        return MixedPrecisionProblem(layers: try layers.map { layer in
            let options = try names.map { format in
                guard let e = entry(layer: layer, format: format) else { throw SensitivityError.missingEntry(layer: layer, format: format) }
                return MixedPrecisionProblem.Option(name: format, cost: cost(e), damage: damage == .outputNoise ? e.outputNoise : e.drop)
            }
            return MixedPrecisionProblem.Layer(name: layer, elements: entry(layer: layer, format: names.first ?? "")?.params ?? 0, options: options)
        })
    }
}

import Foundation

@inline(__always) func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }
