/// REDUCE on a whitelisted global: the value Python would get from calling it, built without
/// calling anything.
extension PickleMachine {
    /// The value of `global(*arguments)`.
    ///
    /// - Throws: `Failure` when the arguments are not what torch.save writes for that global.
    mutating func call(_ global: TorchGlobal, _ arguments: [PickleValue]) throws -> PickleValue {
        switch global {
        case .orderedDict:
            return try orderedDict(arguments)
        case .counter:
            return try counter(arguments)
        case .rebuildTensor, .rebuildTensorV2:
            return try rebuildTensor(arguments, minimumCount: 4, dtypeIndex: nil, function: global)
        case .rebuildTensorV3:
            return try rebuildTensor(arguments, minimumCount: 7, dtypeIndex: 6, function: global)
        case .rebuildParameter, .rebuildParameterWithState:
            guard case .tensor = arguments.first else {
                throw Failure(reason: "\(global.qualifiedName) needs a tensor as its first argument")
            }
            return arguments[0]
        case .rebuildFromTypeV2:
            return try rebuildFromType(arguments)
        case .size:
            let items = arguments.isEmpty ? [] : try integers(arguments[0], what: "torch.Size")
            return heap.tuple(items.map(PickleValue.int), typeName: "Size")
        case .device:
            return .object(typeName: "device")
        case .set, .frozenset:
            let items = try arguments.first.map { try iterable($0, for: global) } ?? []
            return heap.set(items, typeName: global == .set ? "set" : "frozenset")
        case .bytes:
            let values = try arguments.first.map { try integers($0, what: "bytes") } ?? []
            guard values.allSatisfy({ (0...255).contains($0) }) else { throw Failure(reason: "bytes must be in 0...255") }
            return .bytes(values.map { UInt8(truncatingIfNeeded: $0) })
        case .bytearray:
            return .object(typeName: "bytearray")
        case .complex:
            return .object(typeName: "complex")
        case .codecsEncode:
            return try encode(arguments)
        case .tensorClass, .parameterClass, .storageClass, .dtype:
            throw Failure(reason: "\(global.qualifiedName) cannot be called here")
        }
    }

    /// `OrderedDict()` or `OrderedDict([(key, value), ...])`.
    private mutating func orderedDict(_ arguments: [PickleValue]) throws -> PickleValue {
        let result = heap.dict(typeName: "OrderedDict")
        guard case let .dict(index) = result else { return result }
        for pair in try arguments.first.map({ try iterable($0, for: .orderedDict) }) ?? [] {
            guard let items = heap.sequence(pair), items.count == 2 else {
                throw Failure(reason: "OrderedDict needs (key, value) pairs")
            }
            heap.dicts[index].set(items[0], items[1])
        }
        return result
    }

    /// `Counter()` or `Counter({key: count, ...})`, a dict to a state dict's reader.
    private mutating func counter(_ arguments: [PickleValue]) throws -> PickleValue {
        let result = heap.dict(typeName: "Counter")
        guard case let .dict(index) = result, let argument = arguments.first else { return result }
        guard case let .dict(source) = argument else {
            throw Failure(reason: "collections.Counter needs a dict, found \(PythonRepr.typeName(argument, heap))")
        }
        for (key, value) in zip(heap.dicts[source].keys, heap.dicts[source].values) { heap.dicts[index].set(key, value) }
        return result
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, ...)`,
    /// and `_rebuild_tensor` (four arguments) and `_rebuild_tensor_v3` (with a dtype seventh).
    private mutating func rebuildTensor(
        _ arguments: [PickleValue], minimumCount: Int, dtypeIndex: Int?, function: TorchGlobal
    ) throws -> PickleValue {
        let name = function.qualifiedName
        guard arguments.count >= minimumCount, case let .storage(storageIndex) = arguments[0] else {
            throw Failure(reason: "\(name) needs a storage and at least \(minimumCount - 1) more arguments, "
                + "found \(arguments.count) arguments")
        }
        guard case let .int(offset) = arguments[1], offset >= 0 else {
            throw Failure(reason: "\(name) needs a non-negative storage offset, found \(PythonRepr.repr(arguments[1], heap))")
        }
        let shape = try integers(arguments[2], what: "a tensor's size")
        let strides = try integers(arguments[3], what: "a tensor's stride")
        guard shape.count == strides.count, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
            throw Failure(reason: "\(name) has size \(shape) and stride \(strides); both need one non-negative "
                + "entry per axis")
        }
        let storage = heap.storages[storageIndex]
        var dtype = storage.dtype
        if let dtypeIndex {
            guard case let .global(.dtype(given)) = arguments[dtypeIndex] else {
                throw Failure(reason: "\(name) needs a torch dtype, found \(PythonRepr.repr(arguments[dtypeIndex], heap))")
            }
            dtype = given
        }
        let record = TorchTensorRecord(storage: storage, dtype: dtype, offset: offset, shape: shape, strides: strides)
        heap.tensors.append(record)
        return .tensor(heap.tensors.count - 1)
    }

    /// `_rebuild_from_type_v2(func, new_type, args, state)`: `func(*args)` for a plain tensor or
    /// parameter type; the state (Python attributes) does not change the data and is ignored.
    private mutating func rebuildFromType(_ arguments: [PickleValue]) throws -> PickleValue {
        guard arguments.count == 4, case let .global(function) = arguments[0], function.rebuildsTensor,
              function != .rebuildFromTypeV2, let inner = heap.sequence(arguments[2])
        else {
            throw Failure(reason: "_rebuild_from_type_v2 needs a tensor rebuild function, a type, arguments and a state")
        }
        guard case let .global(type) = arguments[1], type == .tensorClass || type == .parameterClass else {
            throw Failure(reason: "_rebuild_from_type_v2 rebuilds a subclass of torch.Tensor "
                + "(\(PythonRepr.describeCallable(arguments[1], heap))), which QuantBench does not read")
        }
        return try call(function, inner)
    }

    /// `_codecs.encode(text, encoding)`, which protocol 2 uses for `bytes`.
    private func encode(_ arguments: [PickleValue]) throws -> PickleValue {
        guard case let .string(text) = arguments.first else {
            throw Failure(reason: "_codecs.encode needs a string")
        }
        let encoding = arguments.count > 1 ? PythonRepr.text(arguments[1])?.lowercased() : "utf-8"
        switch encoding {
        case "latin1", "latin-1", "iso-8859-1":
            let scalars = text.unicodeScalars.map(\.value)
            guard scalars.allSatisfy({ $0 < 256 }) else {
                throw Failure(reason: "_codecs.encode: the text has characters outside latin-1")
            }
            return .bytes(scalars.map { UInt8(truncatingIfNeeded: $0) })
        case "utf-8", "utf8":
            return .bytes(Array(text.utf8))
        default:
            throw Failure(reason: "_codecs.encode with encoding \(encoding ?? "?") is not supported")
        }
    }

    /// The integers of a tuple, list or `torch.Size`.
    private func integers(_ value: PickleValue, what: String) throws -> [Int] {
        guard let items = heap.sequence(value) else {
            throw Failure(reason: "\(what) must be a tuple of integers, found \(PythonRepr.repr(value, heap))")
        }
        return try items.map { item in
            guard case let .int(number) = item else {
                throw Failure(reason: "\(what) must be a tuple of integers, found \(PythonRepr.repr(value, heap))")
            }
            return number
        }
    }

    /// The items of a list, tuple or set argument.
    private func iterable(_ value: PickleValue, for global: TorchGlobal) throws -> [PickleValue] {
        if let items = heap.sequence(value) { return items }
        if case let .set(index) = value { return heap.sets[index].items }
        throw Failure(reason: "\(global.qualifiedName) needs a list or tuple, found \(PythonRepr.typeName(value, heap))")
    }
}
