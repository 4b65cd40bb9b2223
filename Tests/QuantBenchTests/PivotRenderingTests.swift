import Foundation
import QuantBench
import Testing

/// The expected texts are written by hand from the numbers Python's statistics module gave
/// (``ReportFixtures``, `shown`); the best of each column is derived from those numbers.
@Suite("Pivot table rendering")
struct PivotRenderingTests {
    static func table(_ metric: String, columns: [String] = ["weights"], records: [CellRecord] = ReportCells.grid()) throws -> PivotTable {
        try PivotTable(records: records, spec: PivotSpec(rows: ["calibrator"], columns: columns, metric: metric))
    }

    static func shown(_ slots: [String: SlotOracle], _ key: String) -> String { slots[key]!.shown }

    @Test func markdownShowsMeanPlusMinusStdAndBoldsTheBest() throws {
        let s = { Self.shown(ReportFixtures.top1Slots, $0) }
        // int8: 88.60 (mse) > 88.40 > 88.00; int4: 75.10 (mse) > 70.10, kl missing.
        let expected = """
            Top-1 (%) ↑ by weights

            | calibrator | int8 | int4 |
            | :-- | --: | --: |
            | minmax | \(s("minmax/int8")) | \(s("minmax/int4")) |
            | mse | **\(s("mse/int8"))** | **\(s("mse/int4"))** |
            | kl | \(s("kl/int8")) | — |

            """
        #expect(try Self.table("top1").markdown() == expected)
        #expect(s("minmax/int8") == "88.40 ± 0.30")
    }

    @Test func lowerIsBetterAndTiesAreAllBold() throws {
        let s = { Self.shown(ReportFixtures.klSlots, $0) }
        // int8: minmax and mse both show 0.0123 (lower is better), so both are bold.
        let expected = """
            KL to FP32 (nats) ↓ by weights

            | calibrator | int8 | int4 |
            | :-- | --: | --: |
            | minmax | **\(s("minmax/int8"))** | \(s("minmax/int4")) |
            | mse | **\(s("mse/int8"))** | **\(s("mse/int4"))** |
            | kl | \(s("kl/int8")) | — |

            """
        #expect(try Self.table("kl").markdown() == expected)
    }

    @Test func latexBooktabsText() throws {
        let s = { Self.shown(ReportFixtures.top1Slots, $0).replacingOccurrences(of: " ± ", with: " \\pm ") }
        let options = PivotRenderOptions(caption: "Top-1 by calibrator & weights_bits", label: "tab:top1")
        let expected = #"""
            \begin{table}[htbp]
            \centering
            \caption{Top-1 by calibrator \& weights\_bits}
            \label{tab:top1}
            \begin{tabular}{lrr}
            \toprule
             & \multicolumn{2}{c}{Top-1 (\%) $\uparrow$} \\
            \cmidrule(lr){2-3}
            calibrator & int8 & int4 \\
            \midrule
            minmax & $\#(s("minmax/int8"))$ & $\#(s("minmax/int4"))$ \\
            mse & \textbf{\boldmath$\#(s("mse/int8"))$} & \textbf{\boldmath$\#(s("mse/int4"))$} \\
            kl & \#(s("kl/int8")) & --- \\
            \bottomrule
            \end{tabular}
            \end{table}

            """#
        #expect(try Self.table("top1").latex(options) == expected)
        #expect(s("minmax/int8") == "88.40 \\pm 0.30")
    }

    /// calibrator × (weights × granularity), one seed, values chosen by hand.
    static func twoLevelCells() -> [CellRecord] {
        let values: [(String, String, String, Double)] = [
            ("minmax", "int8", "per-tensor", 0.5), ("minmax", "int8", "per-channel", 0.625), ("minmax", "int4", "per-tensor", 0.25),
            ("minmax", "int4", "per-channel", 0.375), ("mse_v2", "int8", "per-tensor", 0.75), ("mse_v2", "int8", "per-channel", 0.5),
            ("mse_v2", "int4", "per-tensor", 0.125), ("mse_v2", "int4", "per-channel", 0.5),
        ]
        return values.enumerated().map { i, entry in
            ReportCells.cell(calibrator: entry.0, weights: entry.1, seed: 0, metrics: ["top1": entry.3], index: i, granularity: entry.2)
        }
    }

    @Test func latexTwoColumnAxesUseMulticolumnAndCmidrule() throws {
        let table = try Self.table("top1", columns: ["weights", "granularity"], records: Self.twoLevelCells())
        let expected = #"""
            \begin{table}[htbp]
            \centering
            \begin{tabular}{lrrrr}
            \toprule
             & \multicolumn{4}{c}{Top-1 (\%) $\uparrow$} \\
            \cmidrule(lr){2-5}
             & \multicolumn{2}{c}{int8} & \multicolumn{2}{c}{int4} \\
            \cmidrule(lr){2-3} \cmidrule(lr){4-5}
            calibrator & per-tensor & per-channel & per-tensor & per-channel \\
            \midrule
            minmax & 50.00 & \textbf{62.50} & \textbf{25.00} & 37.50 \\
            mse\_v2 & \textbf{75.00} & 50.00 & 12.50 & \textbf{50.00} \\
            \bottomrule
            \end{tabular}
            \end{table}

            """#
        #expect(table.latex() == expected)
        // The same in Markdown: "weights / granularity" keys, no ±.
        let markdown = table.markdown()
        #expect(markdown.hasPrefix("Top-1 (%) ↑ by weights / granularity\n\n| calibrator | int8 / per-tensor | int8 / per-channel | int4 / per-tensor | int4 / per-channel |\n"))
        #expect(markdown.contains("| mse_v2 | **75.00** | 50.00 | 12.50 | **50.00** |"))
    }

    @Test func csvMatchesPythonsCSVModule() throws {
        var cells: [CellRecord] = []
        for (key, values) in ReportFixtures.exact.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "/").map(String.init)
            for (seed, value) in values.enumerated() {
                cells.append(ReportCells.cell(calibrator: parts[0], weights: parts[1], seed: seed, metrics: ["kl": value], index: cells.count))
            }
        }
        let spec = PivotSpec(rows: ["calibrator"], columns: ["weights"], metric: "kl", valueOrder: ["calibrator": ["minmax"], "weights": ["int8", "int4"]])
        let table = try PivotTable(records: cells, spec: spec)
        #expect(table.csv() == ReportFixtures.exactPivotCSV)
        #expect(table.rendered(as: .csv) == ReportFixtures.exactPivotCSV)
    }

    @Test func csvWithoutReplicatesHasOneColumnPerKey() throws {
        let table = try Self.table("top1", columns: [], records: Array(Self.twoLevelCells().prefix(1)))
        #expect(table.csv() == "calibrator,top1\r\nminmax,0.5\r\n")
    }

    @Test func precisionOverrideAndUnknownMetricHasNoBold() throws {
        let cells = [
            ReportCells.cell(calibrator: "a", weights: "int8", seed: 0, metrics: ["mystery": -1.23456], index: 0),
            ReportCells.cell(calibrator: "b", weights: "int8", seed: 0, metrics: ["mystery": 2.5], index: 1),
        ]
        let table = try Self.table("mystery", columns: [], records: cells)
        #expect(table.markdown() == "| calibrator | mystery |\n| :-- | --: |\n| a | -1.235 |\n| b | 2.500 |\n")
        #expect(table.markdown(PivotRenderOptions(precision: 1)).contains("| a | -1.2 |"))
        let latex = table.latex()
        #expect(latex.contains("calibrator & mystery \\\\"))
        #expect(latex.contains("a & $-1.235$ \\\\"))
        #expect(!latex.contains("textbf"))
    }

    @Test func nonFiniteValues() throws {
        let cells = [
            ReportCells.cell(calibrator: "a", weights: "int8", seed: 0, metrics: ["kl": .infinity], index: 0),
            ReportCells.cell(calibrator: "b", weights: "int8", seed: 0, metrics: ["kl": .nan], index: 1),
            ReportCells.cell(calibrator: "c", weights: "int8", seed: 0, metrics: ["kl": 0.5], index: 2),
            ReportCells.cell(calibrator: "d", weights: "int8", seed: 0, metrics: ["kl": 0.25], index: 3),
        ]
        let table = try Self.table("kl", columns: [], records: cells)
        #expect(table.markdown().hasSuffix("| a | ∞ |\n| b | NaN |\n| c | 0.5000 |\n| d | **0.2500** |\n"))
        #expect(table.latex().contains("a & $\\infty$ \\\\\nb & NaN \\\\\nc & 0.5000 \\\\\nd & \\textbf{0.2500} \\\\"))
        #expect(table.csv() == "calibrator,kl\r\na,inf\r\nb,nan\r\nc,0.5\r\nd,0.25\r\n")
    }

    @Test func escaping() throws {
        let cells = [
            ReportCells.cell(calibrator: "p_99.9%&#{x}|a*b", weights: "int8", seed: 0, metrics: ["wordsim_spearman": 0.5], index: 0),
        ]
        let table = try Self.table("wordsim_spearman", columns: [], records: cells)
        #expect(table.latex().contains(##"p\_99.9\%\&\#\{x\}\textbar{}a*b & 0.500 \\"##))
        #expect(table.latex().contains(#"calibrator & WordSim $\rho$ $\uparrow$ \\"#))
        #expect(table.markdown().contains(#"| p_99.9%&#{x}\|a\*b | 0.500 |"#))
        #expect(table.markdown().hasPrefix("| calibrator | WordSim ρ ↑ |"))
    }
}
