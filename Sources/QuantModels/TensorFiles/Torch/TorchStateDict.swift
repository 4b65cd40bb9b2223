/// The tensors of an unpickled checkpoint, named as the Python torch loader names them.
///
/// The rules are those of `TorchCheckpointSource` in the Python bridge: a bare tensor is named
/// after the file's stem; a dict is flattened, nested dicts giving dotted names
/// (`{"encoder": {"w": t}}` → `encoder.w`); a dict with no tensor of its own whose `state_dict`,
/// `model` or `module` entry is a dict (a training checkpoint) is read from that entry, its other
/// entries being skipped. Entries that are neither tensors nor dicts are skipped and listed as
/// `name (type)`. A name met twice keeps its first position and its last tensor, as a Python dict does.
struct TorchStateDict {
    /// The tensors, in the order the Python loader lists them.
    private(set) var entries: [(name: String, record: TorchTensorRecord)] = []
    /// Entries that are not tensors, as `name (type)`.
    private(set) var skipped: [String] = []
    private var positions: [String: Int] = [:]
    private var visits = 0
    private let heap: PickleHeap
    private let context: PickleMachine.Context

    /// The keys tried, in order, for the model inside a training checkpoint.
    static let wrappers = ["state_dict", "model", "module"]
    /// Dict nesting deeper than this (or a dict that contains itself) is refused.
    static let maximumDepth = 200
    /// At most this many entries are visited (shared dicts can otherwise multiply them).
    static let maximumVisits = 1 << 22

    /// Flattens the pickled object.
    ///
    /// - Parameters:
    ///   - result: The unpickled checkpoint.
    ///   - stem: The file name without its extension, the name of a bare tensor.
    ///   - context: The file and pickle entry, for messages.
    /// - Throws: `TensorFileError.notAStateDict` when no tensor is found (a list, a dict without
    ///   tensors, a number), or `.malformedPickle` for dicts nested too deeply.
    init(_ result: PickleMachine.Result, stem: String, context: PickleMachine.Context) throws {
        heap = result.heap
        self.context = context
        switch result.root {
        case let .tensor(index):
            add(stem, heap.tensors[index])
        case let .dict(index):
            try flatten(unwrapped(index), prefix: "", depth: 0)
        default:
            break
        }
        guard !entries.isEmpty else {
            throw TensorFileError.notAStateDict(path: context.path, found: Self.describe(result.root, heap))
        }
    }

    /// The dict holding the model: `index` itself, or its `state_dict` / `model` / `module` dict.
    private mutating func unwrapped(_ index: Int) -> Int {
        let dict = heap.dicts[index]
        if dict.values.contains(where: { if case .tensor = $0 { true } else { false } }) { return index }
        for key in Self.wrappers {
            guard case let .dict(inner) = dict.value(forString: key) else { continue }
            for (other, value) in zip(dict.keys, dict.values) where PickleKey(other) != .string(key) {
                skipped.append("\(PythonRepr.str(other, heap)) (\(PythonRepr.typeName(value, heap)))")
            }
            return inner
        }
        return index
    }

    private mutating func flatten(_ index: Int, prefix: String, depth: Int) throws {
        guard depth < Self.maximumDepth else {
            throw TensorFileError.malformedPickle(
                path: context.path, entry: context.entry, offset: nil,
                reason: "its dicts nest more than \(Self.maximumDepth) levels deep, or a dict contains itself")
        }
        let dict = heap.dicts[index]
        visits += dict.count
        guard visits <= Self.maximumVisits else {
            throw TensorFileError.malformedPickle(
                path: context.path, entry: context.entry, offset: nil,
                reason: "its dicts hold more than \(Self.maximumVisits) entries once shared dicts are expanded")
        }
        for (key, value) in zip(dict.keys, dict.values) {
            let name = prefix + PythonRepr.str(key, heap)
            switch value {
            case let .tensor(tensor): add(name, heap.tensors[tensor])
            case let .dict(inner): try flatten(inner, prefix: name + ".", depth: depth + 1)
            default: skipped.append("\(name) (\(PythonRepr.typeName(value, heap)))")
            }
        }
    }

    private mutating func add(_ name: String, _ record: TorchTensorRecord) {
        if let position = positions[name] {
            entries[position].record = record
        } else {
            positions[name] = entries.count
            entries.append((name, record))
        }
    }

    /// What a checkpoint without tensors holds, worded as the Python loader words it.
    static func describe(_ root: PickleValue, _ heap: PickleHeap) -> String {
        switch root {
        case .tuple, .list:
            return "a \(PythonRepr.typeName(root, heap)) of \(heap.sequence(root)?.count ?? 0) items"
        case let .dict(index):
            let keys = heap.dicts[index].keys.prefix(8).map { PythonRepr.repr($0, heap) }
            return "a dict with no tensors (keys: \(keys.isEmpty ? "none" : keys.joined(separator: ", ")))"
        default:
            return "a \(PythonRepr.qualifiedTypeName(root, heap)) object"
        }
    }
}
