/// A restricted pickle interpreter that builds the values of a state dict and never runs code.
///
/// It reads pickle protocols 2 to 5 (torch.save writes protocol 2) and interprets the opcodes a
/// checkpoint needs: stack and memo (MARK, POP, POP_MARK, DUP, BINPUT, LONG_BINPUT, MEMOIZE,
/// BINGET, LONG_BINGET, PROTO, FRAME, STOP), scalars (NONE, NEWTRUE, NEWFALSE, BININT, BININT1,
/// BININT2, LONG1, LONG4, BINFLOAT, BINUNICODE, SHORT_BINUNICODE, BINUNICODE8, BINSTRING,
/// SHORT_BINSTRING, BINBYTES, SHORT_BINBYTES, BINBYTES8, BYTEARRAY8), containers (EMPTY_TUPLE,
/// TUPLE, TUPLE1–3, EMPTY_LIST, LIST, APPEND, APPENDS, EMPTY_DICT, DICT, SETITEM, SETITEMS,
/// EMPTY_SET, ADDITEMS, FROZENSET) and objects (GLOBAL, STACK_GLOBAL, REDUCE, NEWOBJ, NEWOBJ_EX,
/// BUILD, BINPERSID). GLOBAL names are checked against ``TorchGlobal``'s whitelist as they are
/// read, and REDUCE "calls" only those globals, by building the value Python would get
/// (`PickleMachine+Calls.swift`); NEWOBJ creates only an OrderedDict or a Parameter, and BUILD
/// accepts only a dict's state (a state dict's `_metadata`). The text opcodes of protocols 0
/// and 1, extensions and out-of-band buffers are refused.
struct PickleMachine {
    /// Where the pickle comes from, for messages.
    struct Context {
        var path: String
        var entry: String
    }

    /// The result: the pickled object and the heap its containers and tensors live in.
    struct Result {
        var root: PickleValue
        var heap: PickleHeap
    }

    typealias Failure = PickleCursor.Failure

    var cursor: PickleCursor
    var heap = PickleHeap()
    let context: Context
    private var stack: [PickleValue] = []
    /// Stack heights at each open MARK.
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    private init(_ bytes: UnsafeRawBufferPointer, context: Context) {
        self.cursor = PickleCursor(bytes)
        self.context = context
    }

    /// Interprets a pickle up to its STOP opcode.
    ///
    /// - Parameters:
    ///   - bytes: The pickle (a checkpoint's `data.pkl`).
    ///   - context: The file and entry, for messages.
    /// - Returns: The object the pickle describes, with its heap.
    /// - Throws: `TensorFileError.refusedPickleGlobal` for a global outside the whitelist, and
    ///   `.malformedPickle` (naming the opcode and its byte offset) for anything else wrong.
    static func run(_ bytes: UnsafeRawBufferPointer, context: Context) throws -> Result {
        var machine = PickleMachine(bytes, context: context)
        var start = 0
        var opcodeByte: UInt8?
        do {
            while true {
                start = machine.cursor.position
                opcodeByte = nil
                guard !machine.cursor.isAtEnd else {
                    throw Failure(reason: "the pickle ends without a STOP opcode (the entry is truncated)")
                }
                let byte = try machine.cursor.byte()
                opcodeByte = byte
                guard let opcode = PickleOpcode(rawValue: byte) else {
                    throw Failure(reason: "this byte is not a pickle opcode")
                }
                if opcode == .stop { return Result(root: try machine.pop(), heap: machine.heap) }
                try machine.execute(opcode)
            }
        } catch let failure as Failure {
            let prefix = opcodeByte.map { PickleOpcode.describe($0) + ": " } ?? ""
            throw TensorFileError.malformedPickle(
                path: context.path, entry: context.entry, offset: start, reason: prefix + failure.reason)
        }
    }

    private mutating func execute(_ opcode: PickleOpcode) throws {
        switch opcode {
        case .proto, .frame, .mark, .pop, .popMark, .dup, .binPut, .longBinPut, .memoize, .binGet, .longBinGet:
            try executeControl(opcode)
        case .none, .newTrue, .newFalse, .binInt, .binInt1, .binInt2, .long1, .long4, .binFloat, .binUnicode,
             .shortBinUnicode, .binUnicode8, .binString, .shortBinString, .binBytes, .shortBinBytes, .binBytes8,
             .byteArray8:
            push(try scalar(opcode))
        case .emptyTuple, .tuple, .tuple1, .tuple2, .tuple3, .emptyList, .list, .append, .appends, .emptyDict,
             .dict, .setItem, .setItems, .emptySet, .addItems, .frozenSet:
            try executeContainer(opcode)
        case .global, .stackGlobal, .reduce, .newObj, .newObjEx, .build, .binPersistentID:
            try executeObject(opcode)
        case .int, .long, .float, .string, .unicode, .put, .get, .inst, .obj, .persistentID:
            throw Failure(reason: "text opcodes of pickle protocols 0 and 1 are not supported (torch.save writes "
                + "protocol 2; re-save the checkpoint with torch.save)")
        case .ext1, .ext2, .ext4:
            throw Failure(reason: "extension-registry objects are not supported (they are not tensors)")
        case .nextBuffer, .readonlyBuffer:
            throw Failure(reason: "out-of-band buffers are not supported (torch.save never writes them)")
        case .stop:
            break
        }
    }

    private mutating func executeControl(_ opcode: PickleOpcode) throws {
        switch opcode {
        case .proto:
            let version = try cursor.byte()
            guard version <= 5 else { throw Failure(reason: "pickle protocol \(version) is newer than 5") }
        case .frame:
            _ = try cursor.unsigned(8)
        case .mark:
            marks.append(stack.count)
        case .pop:
            _ = try pop()
        case .popMark:
            _ = try popMark()
        case .dup:
            push(try top())
        case .binPut:
            memo[Int(try cursor.byte())] = try top()
        case .longBinPut:
            memo[Int(try cursor.unsigned(4))] = try top()
        case .memoize:
            memo[memo.count] = try top()
        case .binGet, .longBinGet:
            let index = Int(opcode == .binGet ? UInt64(try cursor.byte()) : try cursor.unsigned(4))
            guard let value = memo[index] else {
                throw Failure(reason: "memo entry \(index) was never stored")
            }
            push(value)
        default:
            break
        }
    }

    // MARK: - Stack

    mutating func push(_ value: PickleValue) {
        stack.append(value)
    }

    /// Removes and returns the top value, which must lie above the innermost MARK.
    mutating func pop() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.popLast() else {
            throw Failure(reason: "the stack is empty (above the last MARK)")
        }
        return value
    }

    /// The top value, which must lie above the innermost MARK.
    func top() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.last else {
            throw Failure(reason: "the stack is empty (above the last MARK)")
        }
        return value
    }

    /// Replaces the top value.
    mutating func replaceTop(with value: PickleValue) throws {
        _ = try pop()
        push(value)
    }

    /// Removes and returns the values pushed since the innermost MARK, and the MARK.
    mutating func popMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw Failure(reason: "there is no MARK to pop to") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    /// Removes and returns the top `count` values, in stack order.
    mutating func pop(_ count: Int) throws -> [PickleValue] {
        guard stack.count - (marks.last ?? 0) >= count else {
            throw Failure(reason: "the stack holds fewer than \(count) values (above the last MARK)")
        }
        let items = Array(stack.suffix(count))
        stack.removeLast(count)
        return items
    }
}
