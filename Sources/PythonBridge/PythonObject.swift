import Foundation
import CPython
import CPythonLoader

/// One strong reference to a Python object, released when the Swift object goes away.
///
/// Every method runs on the Python thread under the GIL (through ``Python/withGIL(_:)``), so a
/// `PythonObject` may be used from any task; the Python object is only ever touched there, which
/// is what makes the class `@unchecked Sendable`. The raw pointer stays internal to the bridge.
public final class PythonObject: @unchecked Sendable {
    /// The owned reference (never null).
    let pointer: UnsafeMutablePointer<PyObject>

    /// Takes ownership of a new reference.
    init(owning pointer: UnsafeMutablePointer<PyObject>) {
        self.pointer = pointer
    }

    deinit {
        // The interpreter is running (this object exists), so go to its thread directly, never
        // through Python.start(), which may hold its lock while objects are released. From
        // another thread the release is posted and not waited for.
        let reference = OwnedReference(pointer: pointer)
        Python.thread.performOrPost {
            let gil = qb_PyGILState_Ensure()
            qb_Py_DecRef(reference.pointer)
            qb_PyGILState_Release(gil)
        }
    }

    /// Wraps a new reference returned by the C API, or throws the pending Python error when it is null.
    ///
    /// The caller holds the GIL.
    static func owning(_ pointer: UnsafeMutablePointer<PyObject>?) throws -> PythonObject {
        guard let pointer else { throw fetchError() }
        return PythonObject(owning: pointer)
    }

    /// Wraps a borrowed reference (taking a new one); the caller holds the GIL.
    static func borrowing(_ pointer: UnsafeMutablePointer<PyObject>) -> PythonObject {
        qb_Py_IncRef(pointer)
        return PythonObject(owning: pointer)
    }

    /// Python's `None`.
    public static var none: PythonObject {
        get throws { try Python.withGIL { PythonObject(owning: qb_new_none()) } }
    }

    /// The attribute `name`, like `object.name` in Python.
    ///
    /// - Throws: ``PythonBridgeError/exception(type:message:traceback:)`` (`AttributeError`).
    public func attribute(_ name: String) throws -> PythonObject {
        try Python.withGIL { try .owning(qb_PyObject_GetAttrString(pointer, name)) }
    }

    /// The item `object[key]` for a string key (e.g. a variable of a namespace from ``Python/run(_:)``).
    ///
    /// - Throws: ``PythonBridgeError/exception(type:message:traceback:)`` (`KeyError`, `TypeError`).
    public func item(_ key: String) throws -> PythonObject {
        try Python.withGIL {
            let key = try PythonObject(key)
            return try .owning(qb_PyObject_GetItem(pointer, key.pointer))
        }
    }

    /// Calls the object with positional and keyword arguments, like `object(*args, **kwargs)`.
    ///
    /// - Parameters:
    ///   - arguments: Positional arguments.
    ///   - keywords: Keyword arguments, in order.
    /// - Returns: What the call returned.
    /// - Throws: ``PythonBridgeError`` with the Python traceback when the call raises.
    @discardableResult
    public func call(_ arguments: [any PythonConvertible] = [], keywords: KeyValuePairs<String, any PythonConvertible> = [:])
        throws -> PythonObject
    {
        try Python.withGIL {
            let tuple = try PythonObject.tuple(arguments.map { try $0.pythonObject() })
            var kwargs: PythonObject?
            if !keywords.isEmpty {
                let dict = try PythonObject.owning(qb_PyDict_New())
                for (key, value) in keywords {
                    let value = try value.pythonObject()
                    guard qb_PyDict_SetItemString(dict.pointer, key, value.pointer) == 0 else { throw PythonObject.fetchError() }
                }
                kwargs = dict
            }
            return try .owning(qb_PyObject_Call(pointer, tuple.pointer, kwargs?.pointer))
        }
    }

    /// Calls the method `name` with positional and keyword arguments, like `object.name(...)`.
    ///
    /// - Throws: ``PythonBridgeError`` with the Python traceback when lookup or the call raises.
    @discardableResult
    public func callMethod(
        _ name: String, _ arguments: [any PythonConvertible] = [], keywords: KeyValuePairs<String, any PythonConvertible> = [:]
    ) throws -> PythonObject {
        try attribute(name).call(arguments, keywords: keywords)
    }

    /// A tuple of the given objects; the caller holds the GIL.
    static func tuple(_ items: [PythonObject]) throws -> PythonObject {
        let tuple = try PythonObject.owning(qb_PyTuple_New(items.count))
        for (index, item) in items.enumerated() {
            qb_Py_IncRef(item.pointer)  // PyTuple_SetItem steals a reference
            guard qb_PyTuple_SetItem(tuple.pointer, index, item.pointer) == 0 else { throw fetchError() }
        }
        return tuple
    }

    /// The name of the object's type, e.g. `ndarray`; the caller holds the GIL.
    var typeName: String {
        guard let type = try? PythonObject.owning(qb_PyObject_Type(pointer)),
            let name = try? PythonObject.owning(qb_PyObject_GetAttrString(type.pointer, "__name__")),
            let utf8 = qb_PyUnicode_AsUTF8(name.pointer)
        else {
            qb_PyErr_Clear()
            return "object"
        }
        return String(cString: utf8)
    }
}

/// A reference on its way to the Python thread to be released.
///
/// `@unchecked Sendable`: the pointer is only dereferenced on the Python thread, under the GIL.
private struct OwnedReference: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<PyObject>
}

extension PythonObject: CustomStringConvertible {
    /// `str(object)`, or a placeholder when that raises.
    public var description: String {
        (try? Python.withGIL { () -> String in
            guard let text = try? PythonObject.owning(qb_PyObject_Str(pointer)) else { return "<unprintable \(typeName)>" }
            return (try? text.stringUnderGIL()) ?? "<unprintable \(typeName)>"
        }) ?? "<Python unavailable>"
    }
}
