/// One node of an ONNX graph: enough to find which initializers feed which operator.
public struct ONNXNode: Sendable, Hashable {
    /// The node's name (may be empty: ONNX does not require names).
    public var name: String
    /// The operator, e.g. `MatMul`, `Conv`, `Add`.
    public var opType: String
    /// The names of its input values (graph inputs, initializers or other nodes' outputs).
    public var inputs: [String]
    /// The names of the values it produces.
    public var outputs: [String]

    public init(name: String, opType: String, inputs: [String], outputs: [String]) {
        self.name = name
        self.opType = opType
        self.inputs = inputs
        self.outputs = outputs
    }
}
