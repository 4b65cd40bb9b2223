import Foundation
import QuantCore

/// Oracle fixtures made by `Fixtures/minifloat/gen_minifloat.py` (ml_dtypes, numpy, torch, ORT).
enum FormatFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/minifloat")

    static func load<T: Decodable>(_ file: String, as type: T.Type = T.self) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// The codec each ml_dtypes/numpy dtype is checked against.
    static let codecs: [String: MinifloatCodec] = [
        "float8_e4m3fn": .e4m3fn, "float8_e5m2": .e5m2, "float6_e3m2fn": .e3m2fn, "float6_e2m3fn": .e2m3fn,
        "float4_e2m1fn": .e2m1fn, "float16": .fp16, "bfloat16": .bf16,
        "float8_e4m3": MinifloatCodec(exponentBits: 4, mantissaBits: 3, specials: .ieee),
    ]

    static let dtypes = codecs.keys.sorted()
}

/// One element format's decode table and encode cases (float32 bit patterns).
struct CodecFixture: Decodable {
    var dtype: String
    var library: String
    var totalBits: Int
    var decode: [UInt32]
    var encodeInputs: [UInt32]
    var encodeCodes: [UInt32]
}

/// MX blocks and their expected scales and outputs.
struct MXFixture: Decodable {
    struct Case: Decodable {
        var format: String
        var inputs: [UInt32]
        var scale: UInt32
        var outputs: [UInt32]
        var outputsAway: [UInt32]
    }
    var cases: [Case]
}

/// NVFP4 tensors (blocks of 16) with torchao's per-block scales and outputs.
struct NVFP4Fixture: Decodable {
    struct Case: Decodable {
        var twoLevel: Bool
        var inputs: [UInt32]
        var scales: [UInt32]
        var outputs: [UInt32]
    }
    var torchaoClampMin: Double
    var cases: [Case]
}

/// ONNX Runtime compute_scale_zp results and its quantize formula on random data.
struct ORTFixture: Decodable {
    struct Case: Decodable {
        var format: String
        var lower: UInt32
        var upper: UInt32
        var scale: UInt32
        var zeroPoint: Int
        var inputs: [UInt32]
        var outputs: [UInt32]
    }
    var cases: [Case]
}

extension Array where Element == UInt32 {
    /// The floats these bit patterns encode.
    var floats: [Float] { map { Float(bitPattern: $0) } }
}

/// Whether two floats have the same bits, counting every NaN as equal.
func sameBits(_ a: Float, _ b: Float) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
}

/// A hex spelling of a float's bits, for failure messages.
func hexBits(_ x: Float) -> String { "0x" + String(x.bitPattern, radix: 16) }
