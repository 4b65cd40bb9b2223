import CPython
import CPythonLoader

extension PythonObject {
    /// Takes the pending Python exception and turns it into a Swift error; the caller holds the GIL.
    ///
    /// Uses Python 3.11's `PyErr_Fetch` + `PyErr_NormalizeException`, then formats the
    /// traceback with `traceback.format_exception`. A `ModuleNotFoundError` becomes
    /// ``PythonBridgeError/missingPackage(name:installCommand:)`` naming the module and the
    /// command that installs it.
    ///
    /// - Returns: The error; clears Python's error indicator.
    static func fetchError() -> PythonBridgeError {
        var type: UnsafeMutablePointer<PyObject>?
        var value: UnsafeMutablePointer<PyObject>?
        var traceback: UnsafeMutablePointer<PyObject>?
        qb_PyErr_Fetch(&type, &value, &traceback)
        guard let rawType = type else {
            return .exception(type: "SystemError", message: "a Python call failed without setting an exception", traceback: "")
        }
        qb_PyErr_NormalizeException(&type, &value, &traceback)
        let typeObject = PythonObject(owning: type ?? rawType)
        let valueObject = value.map { PythonObject(owning: $0) }
        let tracebackObject = traceback.map { PythonObject(owning: $0) }
        defer { qb_PyErr_Clear() }

        let typeName = attributeText(typeObject, "__name__") ?? "Exception"
        let message = valueObject.flatMap(strText) ?? ""
        if typeName == "ModuleNotFoundError", let valueObject, let name = attributeText(valueObject, "name") {
            return .missingPackage(name: name, installCommand: PythonBridgeError.installCommand(forModule: name))
        }
        let formatted = formatTraceback(type: typeObject, value: valueObject, traceback: tracebackObject)
        return .exception(type: typeName, message: message, traceback: formatted)
    }

    /// `str(getattr(object, name))`, or nil; the caller holds the GIL.
    private static func attributeText(_ object: PythonObject, _ name: String) -> String? {
        guard let attribute = qb_PyObject_GetAttrString(object.pointer, name) else {
            qb_PyErr_Clear()
            return nil
        }
        let owned = PythonObject(owning: attribute)
        return qb_is_none(owned.pointer) != 0 ? nil : strText(owned)
    }

    /// `str(object)`, or nil; the caller holds the GIL.
    private static func strText(_ object: PythonObject) -> String? {
        guard let text = qb_PyObject_Str(object.pointer) else {
            qb_PyErr_Clear()
            return nil
        }
        return try? PythonObject(owning: text).stringUnderGIL()
    }

    /// `"".join(traceback.format_exception(type, value, tb))`, or "" when that fails.
    private static func formatTraceback(type: PythonObject, value: PythonObject?, traceback: PythonObject?) -> String {
        do {
            let module = try PythonObject.owning(qb_PyImport_ImportModule("traceback"))
            let format = try PythonObject.owning(qb_PyObject_GetAttrString(module.pointer, "format_exception"))
            let none = PythonObject(owning: qb_new_none())
            let arguments = try PythonObject.tuple([type, value ?? none, traceback ?? none])
            let lines = try PythonObject.owning(qb_PyObject_Call(format.pointer, arguments.pointer, nil))
            let empty = try PythonObject.owning(qb_PyUnicode_FromString(""))
            let joined = try PythonObject.owning(qb_PyUnicode_Join(empty.pointer, lines.pointer))
            return try joined.stringUnderGIL()
        } catch {
            qb_PyErr_Clear()
            return ""
        }
    }
}
