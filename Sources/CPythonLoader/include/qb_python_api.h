// The CPython C API as QuantBench uses it, resolved at run time.
//
// The quantbench binary does not link libpython: qb_python_load() dlopens it on first use of
// Python, so every command that does not need Python runs on a machine without it. Each API
// function the bridge calls is reached through a wrapper named qb_<function>; calling one before
// a successful qb_python_load() is a programming error. Types and inline helpers come from the
// headers alone (module CPython), which link nothing.
#ifndef QB_PYTHON_API_H
#define QB_PYTHON_API_H

#include <sys/select.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stddef.h>

// X(return type, name, parameter list, argument list) for each function that returns a value,
// V(name, parameter list, argument list) for each that returns void.
#define QB_PYTHON_FUNCTIONS(X) \
    X(PyObject *, PyBool_FromLong, (long v), (v)) \
    X(int, PyDict_SetItemString, (PyObject *d, const char *k, PyObject *v), (d, k, v)) \
    X(PyObject *, PyDict_New, (void), ()) \
    X(PyObject *, PyErr_Occurred, (void), ()) \
    X(PyObject *, PyEval_GetBuiltins, (void), ()) \
    X(PyThreadState *, PyEval_SaveThread, (void), ()) \
    X(double, PyFloat_AsDouble, (PyObject *o), (o)) \
    X(PyObject *, PyFloat_FromDouble, (double v), (v)) \
    X(PyGILState_STATE, PyGILState_Ensure, (void), ()) \
    X(PyObject *, PyImport_ImportModule, (const char *name), (name)) \
    X(int, PyIndex_Check, (PyObject *o), (o)) \
    X(PyObject *, PyList_GetItem, (PyObject *l, Py_ssize_t i), (l, i)) \
    X(PyObject *, PyList_New, (Py_ssize_t n), (n)) \
    X(int, PyList_SetItem, (PyObject *l, Py_ssize_t i, PyObject *v), (l, i, v)) \
    X(Py_ssize_t, PyList_Size, (PyObject *l), (l)) \
    X(long long, PyLong_AsLongLong, (PyObject *o), (o)) \
    X(PyObject *, PyLong_FromLongLong, (long long v), (v)) \
    X(PyObject *, PyObject_Call, (PyObject *f, PyObject *a, PyObject *k), (f, a, k)) \
    X(PyObject *, PyObject_GetAttrString, (PyObject *o, const char *n), (o, n)) \
    X(int, PyObject_GetBuffer, (PyObject *o, Py_buffer *b, int flags), (o, b, flags)) \
    X(PyObject *, PyObject_GetItem, (PyObject *o, PyObject *k), (o, k)) \
    X(int, PyObject_IsTrue, (PyObject *o), (o)) \
    X(PyObject *, PyObject_Str, (PyObject *o), (o)) \
    X(PyObject *, PyObject_Type, (PyObject *o), (o)) \
    X(int, PyType_IsSubtype, (PyTypeObject *a, PyTypeObject *b), (a, b)) \
    X(PyObject *, PyRun_StringFlags, (const char *s, int start, PyObject *g, PyObject *l, PyCompilerFlags *f), (s, start, g, l, f)) \
    X(PyObject *, PySequence_List, (PyObject *o), (o)) \
    X(PyObject *, PyTuple_New, (Py_ssize_t n), (n)) \
    X(int, PyTuple_SetItem, (PyObject *t, Py_ssize_t i, PyObject *v), (t, i, v)) \
    X(const char *, PyUnicode_AsUTF8, (PyObject *o), (o)) \
    X(const char *, PyUnicode_AsUTF8AndSize, (PyObject *o, Py_ssize_t *n), (o, n)) \
    X(PyObject *, PyUnicode_FromString, (const char *s), (s)) \
    X(PyObject *, PyUnicode_FromStringAndSize, (const char *s, Py_ssize_t n), (s, n)) \
    X(PyObject *, PyUnicode_Join, (PyObject *sep, PyObject *items), (sep, items)) \
    X(PyStatus, PyConfig_SetBytesString, (PyConfig *c, wchar_t **f, const char *s), (c, f, s)) \
    X(PyStatus, PyStatus_Error, (const char *m), (m)) \
    X(int, PyStatus_Exception, (PyStatus s), (s)) \
    X(PyStatus, Py_InitializeFromConfig, (const PyConfig *c), (c)) \
    X(int, Py_IsInitialized, (void), ())

#define QB_PYTHON_PROCEDURES(V) \
    V(PyBuffer_Release, (Py_buffer *b), (b)) \
    V(PyConfig_Clear, (PyConfig *c), (c)) \
    V(PyConfig_InitPythonConfig, (PyConfig *c), (c)) \
    V(PyErr_Clear, (void), ()) \
    V(PyErr_Fetch, (PyObject **t, PyObject **v, PyObject **tb), (t, v, tb)) \
    V(PyErr_NormalizeException, (PyObject **t, PyObject **v, PyObject **tb), (t, v, tb)) \
    V(PyEval_RestoreThread, (PyThreadState *s), (s)) \
    V(PyGILState_Release, (PyGILState_STATE s), (s)) \
    V(Py_DecRef, (PyObject *o), (o)) \
    V(Py_IncRef, (PyObject *o), (o))

#define QB_DECLARE_FUNCTION(type, name, params, args) type qb_##name params;
#define QB_DECLARE_PROCEDURE(name, params, args) void qb_##name params;
QB_PYTHON_FUNCTIONS(QB_DECLARE_FUNCTION)
QB_PYTHON_PROCEDURES(QB_DECLARE_PROCEDURE)
#undef QB_DECLARE_FUNCTION
#undef QB_DECLARE_PROCEDURE

/// The file name of the libpython these headers belong to, e.g. "libpython3.11.so.1.0".
const char *qb_python_default_library(void);

/// Loads `library` (a file name searched like the dynamic linker does, or a path) with
/// RTLD_GLOBAL, so extension modules find its symbols, and resolves every function above.
/// Returns 1 on success; 0 with a message in `error` otherwise. Call once, before any qb_ function.
int qb_python_load(const char *library, char *error, size_t capacity);

/// `PyRun_String`: runs `code` as `start` (file or eval input) in the given namespaces.
PyObject *qb_PyRun_String(const char *code, int start, PyObject *globals, PyObject *locals);

/// A new reference to None.
PyObject *qb_new_none(void);
/// Whether `o` is None, a bool, a float (or subclass).
int qb_is_none(PyObject *o);
int qb_is_bool(PyObject *o);
int qb_is_float(PyObject *o);

#endif
