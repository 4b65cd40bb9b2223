// Debian's libpython3-dev, found with pkg-config python3-embed.
// <sys/select.h> first: otherwise fd_set clashes with Foundation's on Linux.
#include <sys/select.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>

// Function-like macros and macro constants of the C API that Swift cannot import,
// wrapped as static inline functions. Only PythonBridge uses them.

/// A new reference to None.
static inline PyObject *qb_new_none(void) { Py_INCREF(Py_None); return Py_None; }
static inline int qb_is_none(PyObject *o) { return o == Py_None; }
static inline int qb_is_unicode(PyObject *o) { return PyUnicode_Check(o); }
static inline int qb_is_bool(PyObject *o) { return PyBool_Check(o); }
static inline int qb_is_long(PyObject *o) { return PyLong_Check(o); }
static inline int qb_is_float(PyObject *o) { return PyFloat_Check(o); }
/// The buffer request for any strided, formatted, read-only export (PyBUF_RECORDS_RO).
static inline int qb_buffer_records_ro(void) { return PyBUF_RECORDS_RO; }
/// The buffer request for a writable C-contiguous export (PyBUF_CONTIG | PyBUF_FORMAT).
static inline int qb_buffer_contig_writable(void) { return PyBUF_CONTIG | PyBUF_FORMAT; }
static inline int qb_file_input(void) { return Py_file_input; }
static inline int qb_eval_input(void) { return Py_eval_input; }
