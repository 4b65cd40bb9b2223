import Foundation
import QuantModels
import Testing

@Suite("Task statistics")
struct TaskStatisticsTests {
    let x: [Double] = [1, 2, 3, 4, 5, 5, 2]
    let y: [Double] = [5, 6, 7, 8, 7, 9, 1]

    /// Oracle: scipy.stats 1.x (`spearmanr`, `pearsonr`, `rankdata`) on the same series.
    @Test func correlationsMatchSciPy() {
        #expect(TaskStatistics.ranks(x) == [1.0, 2.5, 4.0, 5.0, 6.5, 6.5, 2.5])
        #expect(abs(TaskStatistics.spearman(x, y) - 0.8348975218874902) < 1e-12)
        #expect(abs(TaskStatistics.pearson(x, y) - 0.684198820388002) < 1e-12)
        #expect(TaskStatistics.pearson([1, 1, 1], [1, 2, 3]) == 0)
    }

    /// Hand derivation: softmax([0, ln 3]) = (¼, ¾) and softmax([0, 0]) = (½, ½), so
    /// KL = ¼·ln(½) + ¾·ln(3/2) = 0.13081203594113697; agreement and argmax by inspection.
    @Test func divergenceAndArgmax() {
        let reference = EvaluationOutput(rows: 2, width: 2, values: [0, Float(log(3.0)), 1, 1])
        let output = EvaluationOutput(rows: 2, width: 2, values: [0, 0, 1, 1])
        #expect(abs(TaskStatistics.meanKL(output, reference: reference) - 0.13081203594113697 / 2) < 1e-7)
        #expect(TaskStatistics.meanKL(reference, reference: reference) == 0)
        #expect(TaskStatistics.argmax(reference) == [1, 0])
        let a = EvaluationOutput(rows: 1, width: 3, values: [3, 4, 0]), b = EvaluationOutput(rows: 1, width: 3, values: [4, -3, 0])
        #expect(TaskStatistics.cosine(a, 0, b, 0) == 0)
        #expect(abs(TaskStatistics.cosine(a, 0, a, 0) - 1) < 1e-15)
    }
}
