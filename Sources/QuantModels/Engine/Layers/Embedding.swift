/// A lookup table `[vocabulary, width]`: PyTorch's `nn.Embedding`.
public struct Embedding: Sendable {
    public let name: String
    public let count: Int
    public let width: Int
    let table: [Float]

    init(_ name: String, count: Int, width: Int, binder: inout WeightBinder) {
        self.name = name
        self.count = count
        self.width = width
        table = binder.take("\(name).weight", shape: [count, width])
    }

    /// Adds row `index` to `target` (width values).
    @inline(__always)
    func add(row index: Int, to target: UnsafeMutablePointer<Float>) {
        table.withUnsafeBufferPointer { t in
            let source = t.baseAddress! + index * width
            for i in 0..<width { target[i] += source[i] }
        }
    }
}
