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

    init(_ name: String, hidden: Int, heads: Int, binder: inout WeightBinder) {
        self.name = name
        self.heads = heads
        headSize = hidden / heads
        query = Linear("\(name).query", in: hidden, out: hidden, binder: &binder)
        key = Linear("\(name).key", in: hidden, out: hidden, binder: &binder)
        value = Linear("\(name).value", in: hidden, out: hidden, binder: &binder)
    }

    var hidden: Int { heads * headSize }
    public var linears: [Linear] { [query, key, value] }

    /// The attention context `[tokens, hidden]` (heads side by side, as BERT concatenates them).
    func forward(_ x: [Float], batch: TokenBatch, context: ForwardContext) -> [Float] {
        let rows = batch.tokenCount
        let q = query.forward(x, rows: rows, context: context)
        let k = key.forward(x, rows: rows, context: context)
        let v = value.forward(x, rows: rows, context: context)
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
                                let pointers = HeadPointers(q: q.baseAddress!, k: k.baseAddress!, v: v.baseAddress!, out: out.baseAddress!)
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
        let out: UnsafeMutablePointer<Float>
    }

    /// All heads of one sequence: two GEMMs and a row softmax per head.
    private func attend(
        _ sequence: Range<Int>, _ p: HeadPointers, scores: UnsafeMutablePointer<Float>, scale: Float, mask: [Bool]?
    ) {
        let length = sequence.count, first = sequence.lowerBound
        guard length > 0 else { return }
        for head in 0..<heads {
            let offset = first * hidden + head * headSize
            BLAS.sgemm(
                length, length, headSize, p.q + offset, lda: hidden, p.k + offset, ldb: hidden, transposeB: true,
                scores, ldc: length, alpha: scale)
            for row in 0..<length {
                if let mask {
                    mask.withUnsafeBufferPointer { m in RowKernels.softmax(scores + row * length, length, masked: m.baseAddress! + first) }
                } else {
                    RowKernels.softmax(scores + row * length, length, masked: nil)
                }
            }
            BLAS.sgemm(length, headSize, length, scores, lda: length, p.v + offset, ldb: hidden, p.out + offset, ldc: hidden)
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
