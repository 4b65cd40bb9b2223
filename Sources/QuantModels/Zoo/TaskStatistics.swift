import Foundation

/// The statistics tasks report: correlations, agreement, divergence, cosine.
public enum TaskStatistics {
    /// Pearson's r of two equally long series (0 when either is constant).
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count == y.count, x.count > 1 else { return 0 }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }

    /// Spearman's ρ: Pearson's r of the ranks, ties sharing their average rank (as SciPy's `spearmanr`).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        pearson(ranks(x), ranks(y))
    }

    /// 1-based ranks with ties averaged.
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var ranks = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, x[order[j + 1]] == x[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        return ranks
    }

    /// Index of the largest value of each row (the first on ties).
    public static func argmax(_ output: EvaluationOutput) -> [Int] {
        (0..<output.rows).map { r in
            let row = output.row(r)
            return row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! - row.startIndex
        }
    }

    /// Mean over rows of KL(softmax(reference) ‖ softmax(output)), in nats, in double precision.
    public static func meanKL(_ output: EvaluationOutput, reference: EvaluationOutput) -> Double {
        guard output.rows == reference.rows, output.rows > 0 else { return .nan }
        var total = 0.0
        for r in 0..<output.rows {
            let p = logSoftmax(reference.row(r)), q = logSoftmax(output.row(r))
            for i in p.indices { total += Foundation.exp(p[i]) * (p[i] - q[i]) }
        }
        return total / Double(output.rows)
    }

    static func logSoftmax(_ row: ArraySlice<Float>) -> [Double] {
        let values = row.map(Double.init)
        let peak = values.max() ?? 0
        let logSum = Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - peak) }) + peak
        return values.map { $0 - logSum }
    }

    /// Cosine similarity of rows `a` of `x` and `b` of `y`, in double precision.
    public static func cosine(_ x: EvaluationOutput, _ a: Int, _ y: EvaluationOutput, _ b: Int) -> Double {
        var dot = 0.0, nx = 0.0, ny = 0.0
        for (u, v) in zip(x.row(a), y.row(b)) {
            dot += Double(u) * Double(v)
            nx += Double(u) * Double(u)
            ny += Double(v) * Double(v)
        }
        return nx > 0 && ny > 0 ? dot / (nx * ny).squareRoot() : 0
    }
}
