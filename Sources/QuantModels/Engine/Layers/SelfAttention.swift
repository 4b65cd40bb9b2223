/// Multi-head self-attention over packed sequences: Hugging Face BERT's `BertSelfAttention`
/// (query, key and value projections, softmax(Q·Kᵀ/√d + mask)·V per head).
///
/// Sequences are packed rows of `[tokens, hidden]`; a token attends to the tokens of its own
/// sequence only, and a key mask can hide more keys (masked keys get the float minimum added,
/// as Hugging Face does, so a fully masked row still averages instead of dividing by zero).
public struct SelfAttention: Sendable {
    public let name: String
    public let heads: Int
    public let headSize: Int
    let query: Linear
    let key: Linear
    let value: Linear
    /// Query, key and value stacked `[3·hidden, hidden]` with their biases: without hooks the
    /// three projections are one GEMM (the input is packed once, the product is 3× wider).
    let fused: Linear

    init(_ name: String, hidden: Int, heads: Int, binder: inout WeightBinder) {
        self.name = name
        self.heads = heads
        headSize = hidden / heads
        query = Linear("\(name).query", in: hidden, out: hidden, binder: &binder)
        key = Linear("\(name).key", in: hidden, out: hidden, binder: &binder)
        value = Linear("\(name).value", in: hidden, out: hidden, binder: &binder)
        fused = Linear(stacking: [query, key, value], name: "\(name).qkv")
    }

    var hidden: Int { heads * headSize }
    public var linears: [Linear] { [query, key, value] }

    /// The attention context `[tokens, hidden]` (heads side by side, as BERT concatenates them).
    func forward(_ x: [Float], batch: TokenBatch, context: ForwardContext) -> [Float] {
        let rows = batch.tokenCount
        if context.hooks.isEmpty {
            let qkv = fused.forward(x, rows: rows, context: context)
            return attend(qkv, qkv, qkv, offsets: (0, hidden, 2 * hidden), stride: 3 * hidden, batch: batch)
        }
        let q = query.forward(x, rows: rows, context: context)
        let k = key.forward(x, rows: rows, context: context)
        let v = value.forward(x, rows: rows, context: context)
        return attend(q, k, v, offsets: (0, 0, 0), stride: hidden, batch: batch)
    }

    /// Attention over projections stored with row stride `stride`, each starting at its offset.
    private func attend(
        _ q: [Float], _ k: [Float], _ v: [Float], offsets: (Int, Int, Int), stride: Int, batch: TokenBatch
    ) -> [Float] {
        let rows = batch.tokenCount
        var output = [Float](repeating: 0, count: rows * hidden)
        let longest = batch.sequences.map(\.count).max() ?? 0
        var scores = [Float](repeating: 0, count: longest * longest)
        let scale = 1 / Float(headSize).squareRoot()
        q.withUnsafeBufferPointer { q in
            k.withUnsafeBufferPointer { k in
                v.withUnsafeBufferPointer { v in
                    output.withUnsafeMutableBufferPointer { out in
                        scores.withUnsafeMutableBufferPointer { s in
                            for sequence in batch.sequences {
                                let pointers = HeadPointers(
                                    q: q.baseAddress! + offsets.0, k: k.baseAddress! + offsets.1, v: v.baseAddress! + offsets.2,
                                    stride: stride, out: out.baseAddress!)
                                attend(sequence, pointers, scores: s.baseAddress!, scale: scale, mask: batch.keyMask)
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    private struct HeadPointers {
        let q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>
        /// Row stride of q, k and v.
        let stride: Int
        let out: UnsafeMutablePointer<Float>
    }

    /// All heads of one sequence: two GEMMs and a row softmax per head.
    private func attend(
        _ sequence: Range<Int>, _ p: HeadPointers, scores: UnsafeMutablePointer<Float>, scale: Float, mask: [Bool]?
    ) {
        let length = sequence.count, first = sequence.lowerBound
        guard length > 0 else { return }
        for head in 0..<heads {
            let input = first * p.stride + head * headSize, offset = first * hidden + head * headSize
            BLAS.sgemm(
                length, length, headSize, p.q + input, lda: p.stride, p.k + input, ldb: p.stride, transposeB: true,
                scores, ldc: length, alpha: scale)
            for row in 0..<length {
                if let mask {
                    mask.withUnsafeBufferPointer { m in RowKernels.softmax(scores + row * length, length, masked: m.baseAddress! + first) }
                } else {
                    RowKernels.softmax(scores + row * length, length, masked: nil)
                }
            }
            BLAS.sgemm(length, headSize, length, scores, lda: length, p.v + input, ldb: p.stride, p.out + offset, ldc: hidden)
        }
    }
}

/// Token ids of several texts packed one after another, without padding.
public struct TokenBatch: Sendable, Equatable {
    /// Every token id, sequence after sequence.
    public let ids: [Int]
    /// The rows of each sequence in ``ids``.
    public let sequences: [Range<Int>]
    /// Optional: true for keys no query may attend to (beyond the sequence boundaries).
    public let keyMask: [Bool]?

    /// Packs token id sequences (each already framed by [CLS] … [SEP]).
    public init(_ sequences: [[Int]], keyMask: [[Bool]]? = nil) {
        var ids: [Int] = [], ranges: [Range<Int>] = []
        for sequence in sequences {
            ranges.append(ids.count..<(ids.count + sequence.count))
            ids += sequence
        }
        self.ids = ids
        self.sequences = ranges
        self.keyMask = keyMask.map { $0.flatMap { $0 } }
    }

    public var tokenCount: Int { ids.count }
}
