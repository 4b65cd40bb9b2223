import QuantBench
import Testing

@Suite struct ExperimentFileTests {
    static let notebook = """
        # Title

        Some prose.
        ```swift
        let x = 1
        ```
        ```grid
        model = "digits-cnn"
        calibrator = ["minmax", "kl"]
        ```
        Between.

        ~~~~table
        rows = "calibrator"
        ~~~~
        ```plot
        ```
        The end.
        """

    @Test func keepsProseAndFindsCellsWithTheirLines() throws {
        let file = try ExperimentFile(file: "nb.md", text: Self.notebook)
        let cells = file.cells
        #expect(cells.map(\.kind) == [.grid, .table, .plot])
        #expect(cells.map(\.index) == [1, 2, 3])
        #expect(cells.map(\.line) == [8, 14, 17])
        #expect(cells[0].text == "model = \"digits-cnn\"\ncalibrator = [\"minmax\", \"kl\"]")
        #expect(cells[2].text == "")
        guard case let .prose(first) = file.blocks[0] else { Issue.record("no prose first"); return }
        #expect(first == "# Title\n\nSome prose.\n```swift\nlet x = 1\n```")
        guard case let .prose(last) = file.blocks.last else { Issue.record("no prose last"); return }
        #expect(last == "The end.")
    }

    @Test func bareTOMLIsOneGridCell() throws {
        let file = try ExperimentFile(file: "g.toml", text: "model = \"minilm\"\n")
        #expect(file.cells == [ExperimentCell(kind: .grid, text: "model = \"minilm\"\n", index: 1, line: 1)])
    }

    @Test func unclosedFenceNamesItsLine() {
        let text = "Prose\n\n```grid\nmodel = \"digits-cnn\"\n"
        #expect(throws: ExperimentError.unclosedFence(
            ExperimentLocation(file: "nb.md", line: 3, cellIndex: 1, cellKind: .grid), fence: "```grid")) {
            try ExperimentFile(file: "nb.md", text: text)
        }
        do {
            _ = try ExperimentFile(file: "nb.md", text: text)
        } catch {
            #expect(String(describing: error).hasPrefix("nb.md:3 (cell 1, grid): the fence '```grid' opened here is never closed"))
        }
    }

    @Test func misspeltCellKindIsAnErrorWithCloseMatch() {
        let text = "Prose\n```gird\nmodel = \"x\"\n```\n```text\nfine\n```\n"
        do {
            _ = try ExperimentFile(file: "nb.md", text: text)
            Issue.record("expected an error")
        } catch {
            let message = String(describing: error)
            #expect(message.hasPrefix("nb.md:2: 'gird' is not a cell kind (did you mean 'grid'?)"), "\(message)")
        }
    }
}

extension ExperimentFileTests {
    @Test func everyCellKindAndTildeFences() throws {
        let text = "~~~inspect\na\n~~~\n```python\nprint(1)\n```\n````grid\nmodel = \"minilm\"\n````\n"
        let cells = try ExperimentFile(file: "k.md", text: text).cells
        #expect(cells.map(\.kind) == [.inspect, .python, .grid])
        #expect(cells.map(\.line) == [2, 5, 8])
    }
}

extension GridExpansionTests {
    @Test func arrayOfTablesSyntaxAndWeightsOnlyModel() throws {
        let cells = try Self.cells("""
            model = ["digits-cnn", "weights-only:model.safetensors"]
            weights = ["int8", "int4"]

            [[exclude]]
            model = "weights-only:model.safetensors"
            weights = "int8"

            [[include]]
            model = "minilm"
            weights = "fp8-e5m2"
            """)
        #expect(cells.count == 4)
        #expect(cells.map { $0.values["model"]?.string ?? "" } == ["digits-cnn", "digits-cnn", "weights-only:model.safetensors", "minilm"])
    }
}
