import QuantCore

/// Takes a model's weights from a checkpoint by name, collecting every mismatch before failing.
///
/// A layer asks for each tensor with the shape the architecture needs; a missing name or a
/// wrong shape is recorded (and zeros stand in) so that ``finish(ignoring:)`` can list every
/// problem at once, plus the checkpoint tensors nothing asked for.
struct WeightBinder {
    let weights: [String: Tensor]
    let model: String
    let source: String
    private(set) var problems: [String] = []
    private var used: Set<String> = []

    init(weights: [String: Tensor], model: String, source: String) {
        self.weights = weights
        self.model = model
        self.source = source
    }

    /// The values of `name`, which must have `shape`.
    mutating func take(_ name: String, shape: [Int]) -> [Float] {
        used.insert(name)
        guard let tensor = weights[name] else {
            problems.append("missing \(name) \(Self.describe(shape))")
            return [Float](repeating: 0, count: shape.reduce(1, *))
        }
        guard tensor.shape == shape else {
            problems.append("\(name) is \(tensor.shapeDescription), expected \(Self.describe(shape))")
            return [Float](repeating: 0, count: shape.reduce(1, *))
        }
        return tensor.values
    }

    /// Throws ``ModelError/weightsDoNotMatch(model:source:problems:)`` listing every problem,
    /// including unexpected tensors except those `ignoring` accepts (e.g. unused pooler weights).
    func finish(ignoring: (String) -> Bool = { _ in false }) throws {
        let unexpected = weights.keys.filter { !used.contains($0) && !ignoring($0) }.sorted()
        let all = problems + unexpected.map { "unexpected \($0) \(weights[$0]!.shapeDescription)" }
        guard all.isEmpty else { throw ModelError.weightsDoNotMatch(model: model, source: source, problems: all) }
    }

    static func describe(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}
