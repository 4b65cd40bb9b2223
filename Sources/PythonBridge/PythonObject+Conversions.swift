import CPython
import CPythonLoader

/// A Swift value that can become a Python object: `String`, `Int`, `Double`, `Float`, `Bool`,
/// `PythonObject`, and arrays of these (as Python lists).
public protocol PythonConvertible {
    /// A new Python object for this value.
    ///
    /// - Throws: ``PythonBridgeError`` when the interpreter is unavailable or allocation fails.
    func pythonObject() throws -> PythonObject
}

extension PythonObject: PythonConvertible {
    public func pythonObject() throws -> PythonObject { self }
}

extension String: PythonConvertible {
    public func pythonObject() throws -> PythonObject { try PythonObject(self) }
}

extension Int: PythonConvertible {
    public func pythonObject() throws -> PythonObject { try PythonObject(self) }
}

extension Double: PythonConvertible {
    public func pythonObject() throws -> PythonObject { try PythonObject(self) }
}

extension Float: PythonConvertible {
    public func pythonObject() throws -> PythonObject { try PythonObject(Double(self)) }
}

extension Bool: PythonConvertible {
    public func pythonObject() throws -> PythonObject { try PythonObject(self) }
}

extension Array: PythonConvertible where Element: PythonConvertible {
    public func pythonObject() throws -> PythonObject { try PythonObject(list: map { try $0.pythonObject() }) }
}

extension PythonObject {
    /// A Python `str`.
    public convenience init(_ value: String) throws {
        let pointer = try Python.withGIL { () throws -> UnsafeMutablePointer<PyObject> in
            let utf8 = Array(value.utf8)
            let object = utf8.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { qb_PyUnicode_FromStringAndSize($0.baseAddress, buffer.count) }
            }
            return try Self.checked(object)
        }
        self.init(owning: pointer)
    }

    /// A Python `int`.
    public convenience init(_ value: Int) throws {
        self.init(owning: try Python.withGIL { try Self.checked(qb_PyLong_FromLongLong(Int64(value))) })
    }

    /// A Python `float`.
    public convenience init(_ value: Double) throws {
        self.init(owning: try Python.withGIL { try Self.checked(qb_PyFloat_FromDouble(value)) })
    }

    /// A Python `bool`.
    public convenience init(_ value: Bool) throws {
        self.init(owning: try Python.withGIL { try Self.checked(qb_PyBool_FromLong(value ? 1 : 0)) })
    }

    /// A Python `list` of the given objects.
    public convenience init(list items: [PythonObject]) throws {
        let pointer = try Python.withGIL { () throws -> UnsafeMutablePointer<PyObject> in
            let list = try Self.checked(qb_PyList_New(items.count))
            for (index, item) in items.enumerated() {
                qb_Py_IncRef(item.pointer)  // PyList_SetItem steals a reference
                qb_PyList_SetItem(list, index, item.pointer)
            }
            return list
        }
        self.init(owning: pointer)
    }

    /// The pointer, or the pending Python error; the caller holds the GIL.
    private static func checked(_ pointer: UnsafeMutablePointer<PyObject>?) throws -> UnsafeMutablePointer<PyObject> {
        guard let pointer else { throw fetchError() }
        return pointer
    }

    /// Whether this is Python's `None`.
    public var isNone: Bool {
        (try? Python.withGIL { qb_is_none(pointer) != 0 }) ?? false
    }

    /// The value of a Python `str`.
    ///
    /// - Throws: ``PythonBridgeError/typeMismatch(expected:actual:)`` for any other type.
    public func asString() throws -> String {
        try Python.withGIL { try stringUnderGIL() }
    }

    /// The value of a `str`; the caller holds the GIL.
    func stringUnderGIL() throws -> String {
        guard qb_is_unicode(pointer) != 0 else { throw PythonBridgeError.typeMismatch(expected: "str", actual: typeName) }
        var size = 0
        guard let utf8 = qb_PyUnicode_AsUTF8AndSize(pointer, &size) else { throw Self.fetchError() }
        return utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
            String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
        }
    }

    /// The value of a Python `int` (or `bool`, or anything with `__index__`).
    ///
    /// - Throws: ``PythonBridgeError/typeMismatch(expected:actual:)`` for other types, or
    ///   ``PythonBridgeError/exception(type:message:traceback:)`` (`OverflowError`) past 64 bits.
    public func asInt() throws -> Int {
        try Python.withGIL {
            guard qb_is_long(pointer) != 0 || qb_PyIndex_Check(pointer) != 0 else {
                throw PythonBridgeError.typeMismatch(expected: "int", actual: typeName)
            }
            let value = qb_PyLong_AsLongLong(pointer)
            if value == -1, qb_PyErr_Occurred() != nil { throw Self.fetchError() }
            return Int(value)
        }
    }

    /// The value of a Python `float` (or `int`, or anything with `__float__`).
    ///
    /// - Throws: ``PythonBridgeError`` when Python cannot convert it.
    public func asDouble() throws -> Double {
        try Python.withGIL {
            let value = qb_PyFloat_AsDouble(pointer)
            if value == -1, qb_PyErr_Occurred() != nil { throw Self.fetchError() }
            return value
        }
    }

    /// The truth value, like `bool(object)` in Python.
    ///
    /// - Throws: ``PythonBridgeError`` when `__bool__` raises.
    public func asBool() throws -> Bool {
        try Python.withGIL {
            let truth = qb_PyObject_IsTrue(pointer)
            guard truth >= 0 else { throw Self.fetchError() }
            return truth == 1
        }
    }

    /// The items of any iterable (list, tuple, ...), like `list(object)` in Python.
    ///
    /// - Throws: ``PythonBridgeError`` when the object is not iterable.
    public func asArray() throws -> [PythonObject] {
        try Python.withGIL {
            let list = try PythonObject.owning(qb_PySequence_List(pointer))
            return (0..<qb_PyList_Size(list.pointer)).compactMap { index in
                qb_PyList_GetItem(list.pointer, index).map(PythonObject.borrowing)
            }
        }
    }
}
