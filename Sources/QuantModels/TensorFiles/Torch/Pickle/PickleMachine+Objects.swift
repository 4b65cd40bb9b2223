/// Globals, REDUCE, NEWOBJ, BUILD and BINPERSID: the opcodes that would create objects and call
/// functions in Python. Here they only build values for the whitelisted ``TorchGlobal``s.
extension PickleMachine {
    mutating func executeObject(_ opcode: PickleOpcode) throws {
        switch opcode {
        case .global:
            let module = try cursor.line()
            let name = try cursor.line()
            push(.global(try resolve(module: module, name: name)))
        case .stackGlobal:
            let pair = try pop(2)
            guard case let .string(module) = pair[0], case let .string(name) = pair[1] else {
                throw Failure(reason: "STACK_GLOBAL needs a module and a name string")
            }
            push(.global(try resolve(module: module, name: name)))
        case .reduce:
            let arguments = try tupleItems(try pop(), for: "REDUCE")
            guard case let .global(global) = try top() else {
                throw Failure(reason: "REDUCE can only call a global, found \(PythonRepr.typeName(try top(), heap))")
            }
            try replaceTop(with: try call(global, arguments))
        case .newObj, .newObjEx:
            if opcode == .newObjEx {
                guard case let .dict(index) = try pop(), heap.dicts[index].count == 0 else {
                    throw Failure(reason: "NEWOBJ_EX with keyword arguments is not supported")
                }
            }
            let arguments = try tupleItems(try pop(), for: opcode.name)
            push(try instantiate(try pop(), arguments))
        case .build:
            let state = try pop()
            try build(try top(), state: state)
        case .binPersistentID:
            push(try loadStorage(try pop()))
        default:
            throw Failure(reason: "not an object opcode")
        }
    }

    /// The whitelisted global `module.name`.
    ///
    /// - Throws: `TensorFileError.refusedPickleGlobal` when it is not whitelisted.
    private func resolve(module: String, name: String) throws -> TorchGlobal {
        guard let global = TorchGlobal(module: module, name: name) else {
            throw TensorFileError.refusedPickleGlobal(
                path: context.path, entry: context.entry, global: module + "." + name)
        }
        return global
    }

    /// The items of a tuple argument list.
    private func tupleItems(_ value: PickleValue, for opcode: String) throws -> [PickleValue] {
        guard case let .tuple(index) = value else {
            throw Failure(reason: "\(opcode) needs an argument tuple, found \(PythonRepr.typeName(value, heap))")
        }
        return heap.tuples[index].items
    }

    /// NEWOBJ: `cls.__new__(cls, *arguments)`, for OrderedDict and Parameter only.
    private mutating func instantiate(_ cls: PickleValue, _ arguments: [PickleValue]) throws -> PickleValue {
        switch cls {
        case .global(.orderedDict) where arguments.isEmpty:
            return heap.dict(typeName: "OrderedDict")
        case .global(.parameterClass):
            guard case .tensor = arguments.first else {
                throw Failure(reason: "Parameter needs a tensor as its first argument")
            }
            return arguments[0]
        default:
            throw Failure(reason: "cannot create an object of \(PythonRepr.describeCallable(cls, heap)); only "
                + "collections.OrderedDict and torch.nn.Parameter are created")
        }
    }

    /// BUILD: sets an object's state. Only a dict's state is accepted (a state dict's `_metadata`
    /// attribute), and ignored: it is not an item of the dict.
    private func build(_ instance: PickleValue, state: PickleValue) throws {
        guard case .dict = instance else {
            throw Failure(reason: "cannot set the state of \(PythonRepr.typeName(instance, heap)); only a dict's "
                + "state (an OrderedDict's _metadata) is accepted")
        }
    }

    /// BINPERSID: the storage `("storage", storage_type, key, location, numel)` refers to.
    private mutating func loadStorage(_ id: PickleValue) throws -> PickleValue {
        let fields = heap.sequence(id) ?? []
        guard fields.count == 5, PythonRepr.text(fields[0]) == "storage",
              case let .global(.storageClass(dtype)) = fields[1],
              let key = PythonRepr.text(fields[2]), case let .int(count) = fields[4], count >= 0
        else {
            throw Failure(reason: "a persistent id must be ('storage', storage type, key, location, element count), "
                + "found \(PythonRepr.repr(id, heap))")
        }
        let reference = TorchStorageReference(
            key: key, dtype: dtype ?? .untyped, count: count, location: PythonRepr.text(fields[3]) ?? "")
        heap.storages.append(reference)
        return .storage(heap.storages.count - 1)
    }
}
