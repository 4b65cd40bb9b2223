import Foundation
import QuantCore
import TOMLKit

/// The chips the roofline model knows: the built-in `chips.toml`, optionally with a user's
/// chips file merged over it.
///
/// A chips file has one table per chip; every figure is an inline table with its value, source
/// and whether it is verified, under a key whose name carries the unit:
///
///     [h100-sxm]
///     summary = "NVIDIA H100 SXM5 80 GB"
///     peak_fp16_tflops = { value = 989.4, source = "NVIDIA datasheet", verified = false }
///     memory_gb_per_s  = { value = 3350, source = "NVIDIA datasheet", verified = false }
///
/// Peak keys are `peak_<precision>_<unit>` with unit `tops`/`tflops` (10¹²) or `gops`/`gflops`
/// (10⁹), precision a ``ComputePrecision`` name (`int4`, `int8`, `fp8`, `fp16`, `bf16`, `fp32`,
/// `mxfp4`, `nvfp4`, ...), always dense. Bandwidth keys are `memory_gb_per_s` or
/// `memory_tb_per_s`. A figure may carry a `note` (e.g. a sparse figure halved to dense).
public struct ChipTable: Sendable {
    public private(set) var chips: [String: Chip]

    public init(chips: [String: Chip] = [:]) { self.chips = chips }

    /// The built-in table (`Plugins/CostModels/chips.toml`, embedded in the code at build time).
    public static func builtIn() throws -> ChipTable {
        try parse(String(decoding: PackageResources.chips_toml, as: UTF8.self), file: "chips.toml (built-in)")
    }

    /// The chips of the file at `path`.
    public static func load(path: String) throws -> ChipTable {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CostModelError.unreadableChipFile(path: path, reason: error.localizedDescription)
        }
        return try parse(text, file: path)
    }

    /// The built-in table with the file at `path` merged over it (a figure in the user's file
    /// replaces the built-in figure of the same chip and key).
    public static func builtIn(mergedWith path: String?) throws -> ChipTable {
        var table = try builtIn()
        if let path { try table.merge(try load(path: path), from: path) }
        return table
    }

    /// Adds `other`'s chips; for a chip in both, `other`'s summary and figures win key by key.
    ///
    /// - Throws: ``CostModelError/malformedChipFile(file:line:chip:key:reason:)`` naming `file`
    ///   for a new chip without any peak (an entry that only overrides figures of a known chip
    ///   may omit them).
    public mutating func merge(_ other: ChipTable, from file: String) throws {
        for (id, chip) in other.chips.sorted(by: { $0.key < $1.key }) {
            guard var existing = chips[id] else {
                guard !chip.peaks.isEmpty else {
                    throw CostModelError.malformedChipFile(
                        file: file, line: nil, chip: id, key: nil, reason: "lists no peak throughput; add at least one key like peak_int8_tops")
                }
                chips[id] = chip
                continue
            }
            existing.summary = chip.summary.isEmpty ? existing.summary : chip.summary
            existing.peaks.merge(chip.peaks) { _, new in new }
            existing.memoryBandwidth = chip.memoryBandwidth ?? existing.memoryBandwidth
            chips[id] = existing
        }
    }

    /// The chip named `id`.
    ///
    /// - Throws: ``CostModelError/unknownChip(_:known:)`` listing every known id.
    public func chip(_ id: String) throws -> Chip {
        guard let chip = chips[id] else { throw CostModelError.unknownChip(id, known: chips.keys.sorted()) }
        return chip
    }

    /// The chips of a chips file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> ChipTable {
        let root: TOMLTable
        do {
            try TOMLScreen.check(text)
            root = try TOMLTable(string: text)
        } catch let failure as TOMLScreen.Failure {
            throw CostModelError.malformedChipFile(file: file, line: failure.line, chip: nil, key: nil, reason: failure.reason)
        } catch let error as TOMLParseError {
            throw CostModelError.malformedChipFile(
                file: file, line: error.source.begin.line, chip: nil, key: nil, reason: error.description)
        }
        let reader = ChipEntryReader(file: file, text: text)
        var chips: [String: Chip] = [:]
        for id in root.keys {
            guard let entry = root[id]?.table else {
                throw reader.failure(chip: id, key: nil, "is not a table; write [\(id)] followed by its figures")
            }
            chips[id] = try reader.chip(id: id, entry: entry)
        }
        return ChipTable(chips: chips)
    }
}
