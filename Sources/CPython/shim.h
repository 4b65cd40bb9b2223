// Debian's libpython3-dev headers, found with pkg-config python3 (which, unlike python3-embed,
// adds no -lpython3.11).
// <sys/select.h> first: otherwise fd_set clashes with Foundation's on Linux.
#include <sys/select.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>

// Headers only: nothing here links libpython (CPythonLoader loads it at run time), so these
// helpers may use only macros and inline code, no symbol of the library. Swift cannot import
// function-like macros and macro constants, so they are wrapped as static inline functions.
// Only PythonBridge uses them.

static inline int qb_is_unicode(PyObject *o) { return PyUnicode_Check(o); }
static inline int qb_is_long(PyObject *o) { return PyLong_Check(o); }
/// The buffer request for any strided, formatted, read-only export (PyBUF_RECORDS_RO).
static inline int qb_buffer_records_ro(void) { return PyBUF_RECORDS_RO; }
/// The buffer request for a writable C-contiguous export (PyBUF_CONTIG | PyBUF_FORMAT).
static inline int qb_buffer_contig_writable(void) { return PyBUF_CONTIG | PyBUF_FORMAT; }
static inline int qb_file_input(void) { return Py_file_input; }
static inline int qb_eval_input(void) { return Py_eval_input; }
