import QuantCore

/// An experiment file parsed and validated: its notebook and the grid of every grid cell.
public struct Experiment: Sendable {
    /// The notebook (or the bare `.toml` as one grid cell).
    public var file: ExperimentFile
    /// One spec per grid cell, in file order.
    public var grids: [GridSpec]

    /// Parses and validates `file`: every grid's keys, values and plug-in names, and every
    /// format/granularity pair its cells would use. Nothing runs.
    ///
    /// - Throws: ``ExperimentError``; with more than one problem, ``ExperimentError/many(_:)``
    ///   holding all of them in file order.
    public init(_ file: ExperimentFile, registry: PluginRegistry = .builtIn) throws(ExperimentError) {
        self.file = file
        var grids: [GridSpec] = [], errors: [ExperimentError] = []
        for cell in file.cells where cell.kind == .grid {
            var parser = GridParser(file: file.file, cell: cell, registry: registry)
            guard let spec = parser.parse() else {
                errors += parser.errors.sorted { ($0.location?.line ?? 0) < ($1.location?.line ?? 0) }
                continue
            }
            errors += spec.compatibilityErrors(spec.cells(), file: file.file, registry: registry)
            grids.append(spec)
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw .many(errors) }
        self.grids = grids
    }

    /// Reads, parses and validates the experiment at `path`.
    ///
    /// - Throws: ``ExperimentError`` with every problem found (reading, fences, grids).
    public init(contentsOf path: String, registry: PluginRegistry = .builtIn) throws(ExperimentError) {
        let file: ExperimentFile
        do {
            file = try ExperimentFile(contentsOf: path)
        } catch let error as ExperimentError {
            throw error
        } catch {
            throw .unreadable(file: path, reason: String(describing: error))
        }
        try self.init(file, registry: registry)
    }

    /// The cost models of every grid, each once, in file order (every cell of the experiment is
    /// costed by all of them: costs do not change what a cell computes, so they are not axes of
    /// its hash).
    public var costModels: [String] {
        var seen: Set<String> = []
        return grids.flatMap(\.costModels).filter { seen.insert($0).inserted }
    }

    /// Every grid's cells, in file order.
    ///
    /// A cell two grids both produce (same hash) is listed once, at its first place.
    public var cells: [GridCell] {
        var seen: Set<String> = []
        return grids.flatMap { $0.cells() }.filter { seen.insert($0.hash).inserted }
    }
}

extension ExperimentError {
    /// Where the error is, if it has a place.
    public var location: ExperimentLocation? {
        switch self {
        case .unreadable, .many: nil
        case let .unclosedFence(at, _), let .unknownCellKind(at, _, _), let .badTOML(at, _), let .unknownKey(at, _, _),
            let .wrongType(at, _, _, _), let .badValue(at, _, _, _), let .unknownModel(at, _, _), let .badPlugin(at, _, _, _),
            let .incompatible(at, _), let .zipLengthMismatch(at, _, _):
            at
        }
    }
}
