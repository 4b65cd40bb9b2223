/// Scalars and containers: the opcodes that build plain Python values.
extension PickleMachine {
    /// Reads the scalar an opcode pushes.
    mutating func scalar(_ opcode: PickleOpcode) throws -> PickleValue {
        switch opcode {
        case .none: return .none
        case .newTrue: return .bool(true)
        case .newFalse: return .bool(false)
        case .binInt: return .int(Int(Int32(truncatingIfNeeded: try cursor.unsigned(4))))
        case .binInt1: return .int(Int(try cursor.byte()))
        case .binInt2: return .int(Int(try cursor.unsigned(2)))
        case .long1, .long4:
            let count = opcode == .long1 ? Int(try cursor.byte()) : try cursor.length(4)
            return try cursor.signedLong(count).map(PickleValue.int) ?? .bigInt
        case .binFloat:
            return .float(Double(bitPattern: try cursor.unsigned(8).byteSwapped))
        case .binUnicode, .binString: return .string(try cursor.text(try cursor.length(4)))
        case .shortBinUnicode, .shortBinString: return .string(try cursor.text(try cursor.length(1)))
        case .binUnicode8: return .string(try cursor.text(try cursor.length(8)))
        case .binBytes: return .bytes(Array(try cursor.slice(try cursor.length(4))))
        case .shortBinBytes: return .bytes(Array(try cursor.slice(try cursor.length(1))))
        case .binBytes8: return .bytes(Array(try cursor.slice(try cursor.length(8))))
        case .byteArray8:
            _ = try cursor.slice(try cursor.length(8))
            return .object(typeName: "bytearray")
        default:
            throw Failure(reason: "not a scalar opcode")
        }
    }

    /// Builds or fills a tuple, list, dict or set.
    mutating func executeContainer(_ opcode: PickleOpcode) throws {
        switch opcode {
        case .emptyTuple: push(heap.tuple([]))
        case .tuple: push(heap.tuple(try popMark()))
        case .tuple1: push(heap.tuple(try pop(1)))
        case .tuple2: push(heap.tuple(try pop(2)))
        case .tuple3: push(heap.tuple(try pop(3)))
        case .emptyList: push(heap.list([]))
        case .list: push(heap.list(try popMark()))
        case .append: try append([try pop()])
        case .appends: try append(try popMark())
        case .emptyDict: push(heap.dict())
        case .dict:
            let items = try popMark()
            let dict = heap.dict()
            try setItems(items, in: dict)
            push(dict)
        case .setItem:
            let pair = try pop(2)
            try setItems(pair, in: try top())
        case .setItems:
            let items = try popMark()
            try setItems(items, in: try top())
        case .emptySet: push(heap.set([]))
        case .addItems:
            let items = try popMark()
            guard case let .set(index) = try top() else {
                throw Failure(reason: "ADDITEMS needs a set below the MARK, found \(PythonRepr.typeName(try top(), heap))")
            }
            heap.sets[index].items += items
        case .frozenSet: push(heap.set(try popMark(), typeName: "frozenset"))
        default:
            throw Failure(reason: "not a container opcode")
        }
    }

    /// Appends to the list on top of the stack.
    private mutating func append(_ items: [PickleValue]) throws {
        guard case let .list(index) = try top() else {
            throw Failure(reason: "can only append to a list, found \(PythonRepr.typeName(try top(), heap))")
        }
        heap.lists[index] += items
    }

    /// Sets alternating keys and values in a dict.
    private mutating func setItems(_ items: [PickleValue], in target: PickleValue) throws {
        guard case let .dict(index) = target else {
            throw Failure(reason: "can only set items of a dict, found \(PythonRepr.typeName(target, heap))")
        }
        guard items.count.isMultiple(of: 2) else {
            throw Failure(reason: "a key has no value (\(items.count) items after the MARK)")
        }
        for pair in stride(from: 0, to: items.count, by: 2) {
            heap.dicts[index].set(items[pair], items[pair + 1])
        }
    }
}
