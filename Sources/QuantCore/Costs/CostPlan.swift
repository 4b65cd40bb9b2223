/// What kind of number an operand's codes are, which decides where a chip can run it natively.
public enum NumberKind: Sendable, Hashable, Codable {
    /// Integer codes (`int8`, `uint4`): compute type `int<b>`.
    case integer
    /// Floating-point codes (`fp8-e4m3`, `fp16`): compute type `fp<b>`.
    case float
    /// A block format with a shared scale per `blockSize` elements (MX, NVFP4): compute type is the
    /// format's own id (`mxfp4`, `nvfp4`), native only where a chip lists it.
    case block(format: String, blockSize: Int)
    /// A custom format whose kind the cost models cannot tell; they cost it as emulated.
    case unknown
}

/// How one operand (a weight tensor, or a layer's input activations) is stored and computed.
public struct OperandEncoding: Sendable, Hashable, Codable {
    /// The format's canonical name, e.g. `int4`, `mxfp4`, or `fp32` for an unquantized operand.
    public var format: String
    public var kind: NumberKind
    /// Bits per element code.
    public var elementBits: Int
    /// Elements that share one set of quantization parameters (K for per-channel weights, g for
    /// groups of g, the tensor size for per-tensor); nil for an unquantized operand.
    public var granuleSize: Int?
    /// Bits stored once per granule (scale plus zero-point).
    public var granuleOverheadBits: Int
    /// Bits stored once per tensor (NVFP4's global scale).
    public var tensorOverheadBits: Int

    public init(
        format: String, kind: NumberKind, elementBits: Int, granuleSize: Int?, granuleOverheadBits: Int = 0,
        tensorOverheadBits: Int = 0
    ) {
        self.format = format
        self.kind = kind
        self.elementBits = elementBits
        self.granuleSize = granuleSize
        self.granuleOverheadBits = granuleOverheadBits
        self.tensorOverheadBits = tensorOverheadBits
    }

    /// An unquantized IEEE float operand of `bits` bits (32 or 16).
    public static func float(bits: Int) -> OperandEncoding {
        OperandEncoding(format: "fp\(bits)", kind: .float, elementBits: bits, granuleSize: nil)
    }

    /// Whether the operand carries quantization parameters.
    public var isQuantized: Bool { granuleSize != nil }
}

/// One weight layer of a plan: its geometry and how its weights and input activations are held.
public struct LayerPlan: Sendable, Hashable, Codable {
    public var geometry: LayerGeometry
    /// The weight encoding.
    public var weights: OperandEncoding
    /// Exact number of weight granules (a short last group counts as one).
    public var weightGranules: Int
    /// The input activations' encoding; nil when they stay in the model's float type.
    public var activations: OperandEncoding?

    public init(geometry: LayerGeometry, weights: OperandEncoding, weightGranules: Int, activations: OperandEncoding?) {
        self.geometry = geometry
        self.weights = weights
        self.weightGranules = weightGranules
        self.activations = activations
    }

    /// Exact storage of the weight tensor in bits: elements·b + granules·overhead + tensor overhead.
    public var weightStorageBits: Int {
        geometry.weightElements * weights.elementBits + weightGranules * weights.granuleOverheadBits
            + weights.tensorOverheadBits
    }
}

/// A quantized model as the cost models see it: every weight layer with its encodings, the
/// parameters left unquantized, and, when the plan was run, how long our simulation took.
public struct CostPlan: Sendable, Hashable, Codable {
    /// The measured wall-clock of the workbench's own fake-quant evaluation (simulation cost).
    public struct Measurement: Sendable, Hashable, Codable {
        public var seconds: Double
        public var items: Int
        /// Threads the evaluation ran on.
        public var threads: Int
        public init(seconds: Double, items: Int, threads: Int) {
            self.seconds = seconds
            self.items = items
            self.threads = threads
        }
    }

    /// The model's name, e.g. `minilm`.
    public var model: String
    public var layers: [LayerPlan]
    /// Parameters no plan quantizes (biases, norms, embeddings), stored in FP32.
    public var unquantizedParameters: Int
    public var measurement: Measurement?

    public init(model: String, layers: [LayerPlan], unquantizedParameters: Int, measurement: Measurement? = nil) {
        self.model = model
        self.layers = layers
        self.unquantizedParameters = unquantizedParameters
        self.measurement = measurement
    }
}
