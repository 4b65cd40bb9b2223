import QuantCore

/// The built-in numeric formats, for the registry.
///
/// | id | what |
/// |---|---|
/// | `int<b>` (b = 2…16) | signed integers; symmetric restricted range by default (``IntegerFormat``) |
/// | `uint<b>` | unsigned integers, affine with an integer zero-point |
/// | `fp8-e4m3`, `fp8-e5m2`, `fp6-e3m2`, `fp6-e2m3`, `fp4-e2m1` | OCP minifloats with an absmax scale (``MinifloatFormat``) |
/// | `fp16`, `bf16` | plain casts by default |
/// | `minifloat(e, m)` | any IEEE-style minifloat with infinities |
/// | `mxfp8-e4m3`, `mxfp8-e5m2`, `mxfp6-e3m2`, `mxfp6-e2m3`, `mxfp4`, `mxint8` | OCP MX v1.0 blocks of 32 (``MXFormat``) |
/// | `nvfp4` | NVIDIA NVFP4, blocks of 16 with E4M3 scales (``NVFP4Format``) |
public enum FormatPlugins {
    public static var descriptors: [PluginDescriptor<any NumericFormat>] {
        integerDescriptors + minifloatDescriptors + blockDescriptors
    }

    /// Builds a format from its name, e.g. `int4(symmetric=false)`, using only these
    /// descriptors; a convenience for tools and tests (the workbench uses its registry).
    /// - Throws: ``QuantCoreError`` for an unknown id or a bad parameter.
    public static func format(_ text: String) throws -> any NumericFormat {
        var registry = PluginRegistry()
        descriptors.forEach { registry.register(format: $0) }
        return try registry.format(text)
    }

    static var integerDescriptors: [PluginDescriptor<any NumericFormat>] {
        [
            PluginDescriptor(
                .prefixed("int", numberParameter: "bits"),
                parameters: [
                    PluginParameter("bits", .integer(2...16), default: "8", "bits per code"),
                    PluginParameter(
                        "symmetric", .boolean, default: "true",
                        "true: ±amax, zero-point 0; false: affine [min, max] over the full range, integer zero-point"),
                    PluginParameter(
                        "range", .choice(["restricted", "full"]), default: "restricted",
                        "symmetric codes: restricted ±(2^(b−1)−1), s = amax/127 for int8 (ORT, TensorRT); full [−2^(b−1), 2^(b−1)−1], s = amax/127.5 (PyTorch qint8)"),
                    roundingParameter, scaleParameter,
                ],
                summary: "signed b-bit integers (2…16), symmetric restricted range by default",
                make: { IntegerFormat(arguments: $0, signed: true) }),
            PluginDescriptor(
                .prefixed("uint", numberParameter: "bits"),
                parameters: [
                    PluginParameter("bits", .integer(2...16), default: "8", "bits per code"),
                    roundingParameter, scaleParameter,
                ],
                summary: "unsigned b-bit integers [0, 2^b−1], affine with an integer zero-point",
                make: { IntegerFormat(arguments: $0, signed: false) }),
        ]
    }

    static var minifloatDescriptors: [PluginDescriptor<any NumericFormat>] {
        let ocp: [(String, MinifloatCodec, String)] = [
            ("fp8-e4m3", .e4m3fn, "OCP FP8 E4M3 (E4M3FN, max 448) with an absmax scale"),
            ("fp8-e5m2", .e5m2, "OCP FP8 E5M2 (max 57344) with an absmax scale"),
            ("fp6-e3m2", .e3m2fn, "OCP FP6 E3M2 (max 28) with an absmax scale"),
            ("fp6-e2m3", .e2m3fn, "OCP FP6 E2M3 (max 7.5) with an absmax scale"),
            ("fp4-e2m1", .e2m1fn, "OCP FP4 E2M1 (±{0, 0.5, 1, 1.5, 2, 3, 4, 6}) with an absmax scale"),
        ]
        var list = ocp.map { id, codec, summary in
            PluginDescriptor<any NumericFormat>(
                .exact(id), parameters: [scaledParameter(default: true), scaleParameter], summary: summary,
                make: { MinifloatFormat(arguments: $0, codec: codec) })
        }
        for (id, codec, summary) in [
            ("fp16", MinifloatCodec.fp16, "IEEE half precision; a plain cast unless scaled=true"),
            ("bf16", MinifloatCodec.bf16, "bfloat16; a plain cast unless scaled=true"),
        ] {
            list.append(
                PluginDescriptor(
                    .exact(id), parameters: [scaledParameter(default: false), scaleParameter], summary: summary,
                    make: { MinifloatFormat(arguments: $0, codec: codec) }))
        }
        list.append(
            PluginDescriptor(
                .exact("minifloat"),
                parameters: [
                    PluginParameter("e", .integer(2...8), default: "4", "exponent bits"),
                    PluginParameter("m", .integer(0...10), default: "3", "mantissa bits"),
                    scaledParameter(default: true), scaleParameter,
                ],
                summary: "IEEE-style minifloat with e exponent and m mantissa bits, infinities and NaN",
                make: { args in
                    let codec = MinifloatCodec(exponentBits: args.integer("e"), mantissaBits: args.integer("m"), specials: .ieee)
                    return MinifloatFormat(arguments: args, codec: codec)
                }))
        return list
    }

    static var blockDescriptors: [PluginDescriptor<any NumericFormat>] {
        let mx: [(String, MXFormat.Element, String)] = [
            ("mxfp8-e4m3", .minifloat(.e4m3fn), "OCP MXFP8: E4M3 elements, an E8M0 scale per 32 (8.25 bits)"),
            ("mxfp8-e5m2", .minifloat(.e5m2), "OCP MXFP8: E5M2 elements, an E8M0 scale per 32 (8.25 bits)"),
            ("mxfp6-e3m2", .minifloat(.e3m2fn), "OCP MXFP6: E3M2 elements, an E8M0 scale per 32 (6.25 bits)"),
            ("mxfp6-e2m3", .minifloat(.e2m3fn), "OCP MXFP6: E2M3 elements, an E8M0 scale per 32 (6.25 bits)"),
            ("mxfp4", .minifloat(.e2m1fn), "OCP MXFP4: E2M1 elements, an E8M0 scale per 32 (4.25 bits)"),
            ("mxint8", .int8, "OCP MXINT8: 8-bit integer elements (×2^−6), an E8M0 scale per 32 (8.25 bits)"),
        ]
        var list = mx.map { id, element, summary in
            PluginDescriptor<any NumericFormat>(
                .exact(id), parameters: [elementRoundingParameter], summary: summary,
                make: { MXFormat(arguments: $0, element: element) })
        }
        list.append(
            PluginDescriptor(
                .exact("nvfp4"),
                parameters: [
                    PluginParameter(
                        "two-level", .boolean, default: "true",
                        "true: fp32 tensor scale amax/2688 times an E4M3 block scale; false: E4M3 block scale alone")
                ],
                summary: "NVIDIA NVFP4: E2M1 elements, an E4M3 scale per 16, an fp32 tensor scale (4.5 bits)",
                make: { NVFP4Format(arguments: $0) }))
        return list
    }

    static let roundingParameter = PluginParameter(
        "rounding", .choice(Rounding.allCases.map(\.rawValue)), default: "even",
        "ties: even (numpy, PyTorch, ONNX) or away from zero (C round, TF QuantizeV2)")

    static let elementRoundingParameter = PluginParameter(
        "rounding", .choice(Rounding.allCases.map(\.rawValue)), default: "even",
        "element ties: even (RNE) or away from zero (microxcaling's default \"nearest\")")

    static let scaleParameter = PluginParameter(
        "scale", .choice(ScalePrecision.allCases.map(\.rawValue)), default: "fp32",
        "the type each scale is stored (and rounded) in")

    static func scaledParameter(default value: Bool) -> PluginParameter {
        PluginParameter(
            "scaled", .boolean, default: String(value),
            "true: s = amax / max finite per granule; false: a plain cast (s = 1, no scale stored)")
    }
}

extension PluginArguments {
    /// The `rounding` choice as a ``Rounding``.
    var rounding: Rounding { Rounding(rawValue: choice("rounding")) ?? .even }
    /// The `scale` choice as a ``ScalePrecision``.
    var scalePrecision: ScalePrecision { ScalePrecision(rawValue: choice("scale")) ?? .fp32 }
}
