/// One value on the stack of a ``PickleMachine``.
///
/// Containers and tensors live in a ``PickleHeap`` and are referred to by index, as Python refers
/// to objects: a dict memoized before its items are set (`EMPTY_DICT BINPUT … SETITEMS`) is the
/// same dict wherever it is fetched again. Values themselves are flat (no recursive cases), so a
/// deeply nested pickle cannot overflow the stack when its values are released.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits (LONG1, LONG4); only its type matters to a state dict.
    case bigInt
    case float(Double)
    case string(String)
    case bytes([UInt8])
    /// Index into ``PickleHeap/tuples``.
    case tuple(Int)
    /// Index into ``PickleHeap/lists``.
    case list(Int)
    /// Index into ``PickleHeap/dicts``.
    case dict(Int)
    /// Index into ``PickleHeap/sets``.
    case set(Int)
    /// A whitelisted class, function, dtype or storage type named by GLOBAL or STACK_GLOBAL.
    case global(TorchGlobal)
    /// A storage loaded by BINPERSID: index into ``PickleHeap/storages``.
    case storage(Int)
    /// A tensor rebuilt by `_rebuild_tensor_v2` and its kin: index into ``PickleHeap/tensors``.
    case tensor(Int)
    /// A small object whose contents do not matter (a `torch.device`, a `bytearray`), by type name.
    case object(typeName: String)
}

/// A tuple, and the name of its type (`tuple`, or `Size` for a `torch.Size`).
struct PickleTuple {
    var items: [PickleValue]
    var typeName = "tuple"
}

/// A set or frozenset.
struct PickleSet {
    var items: [PickleValue] = []
    var typeName = "set"
}

/// A dict or `collections.OrderedDict`, in insertion order, replacing the value of a repeated key
/// as Python does.
struct PickleDict {
    var typeName = "dict"
    private(set) var keys: [PickleValue] = []
    private(set) var values: [PickleValue] = []
    private var positions: [PickleKey: Int] = [:]

    init(typeName: String = "dict") {
        self.typeName = typeName
    }

    /// Sets `value` for `key`, keeping the key's first position.
    mutating func set(_ key: PickleValue, _ value: PickleValue) {
        let identity = PickleKey(key)
        if let position = positions[identity] {
            values[position] = value
        } else {
            positions[identity] = keys.count
            keys.append(key)
            values.append(value)
        }
    }

    /// The value of a string key, if present.
    func value(forString key: String) -> PickleValue? {
        positions[.string(key)].map { values[$0] }
    }

    var count: Int { keys.count }
}

/// How dict keys compare: by value for strings, numbers, bytes and None (`1`, `True` and `1.0`
/// are one key, as in Python), by identity for containers.
enum PickleKey: Hashable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bytes([UInt8])
    case none
    case other(String)

    init(_ value: PickleValue) {
        switch value {
        case let .string(text): self = .string(text)
        case let .int(number): self = .integer(number)
        case let .bool(flag): self = .integer(flag ? 1 : 0)
        case let .float(number):
            if let exact = Int(exactly: number) { self = .integer(exact) } else { self = .float(number) }
        case let .bytes(bytes): self = .bytes(bytes)
        case .none: self = .none
        case let .tuple(index): self = .other("tuple \(index)")
        case let .list(index): self = .other("list \(index)")
        case let .dict(index): self = .other("dict \(index)")
        case let .set(index): self = .other("set \(index)")
        case let .storage(index): self = .other("storage \(index)")
        case let .tensor(index): self = .other("tensor \(index)")
        case let .global(global): self = .other("global \(global.qualifiedName)")
        case .bigInt, .object: self = .other("object")
        }
    }
}

/// The objects a pickle built, referred to by index from ``PickleValue``.
struct PickleHeap {
    var tuples: [PickleTuple] = []
    var lists: [[PickleValue]] = []
    var dicts: [PickleDict] = []
    var sets: [PickleSet] = []
    var storages: [TorchStorageReference] = []
    var tensors: [TorchTensorRecord] = []

    /// Stores a tuple and returns its value.
    mutating func tuple(_ items: [PickleValue], typeName: String = "tuple") -> PickleValue {
        tuples.append(PickleTuple(items: items, typeName: typeName))
        return .tuple(tuples.count - 1)
    }

    /// Stores a list and returns its value.
    mutating func list(_ items: [PickleValue]) -> PickleValue {
        lists.append(items)
        return .list(lists.count - 1)
    }

    /// Stores an empty dict (or OrderedDict) and returns its value.
    mutating func dict(typeName: String = "dict") -> PickleValue {
        dicts.append(PickleDict(typeName: typeName))
        return .dict(dicts.count - 1)
    }

    /// Stores a set and returns its value.
    mutating func set(_ items: [PickleValue], typeName: String = "set") -> PickleValue {
        sets.append(PickleSet(items: items, typeName: typeName))
        return .set(sets.count - 1)
    }

    /// The items of a tuple or list value, or `nil` for any other value.
    func sequence(_ value: PickleValue) -> [PickleValue]? {
        switch value {
        case let .tuple(index): return tuples[index].items
        case let .list(index): return lists[index]
        default: return nil
        }
    }
}
