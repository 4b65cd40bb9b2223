#include "qb_python_api.h"

#include <dlfcn.h>
#include <stdio.h>

// One pointer per API function, set by qb_python_load().
#define QB_POINTER_FUNCTION(type, name, params, args) static type(*p_##name) params;
#define QB_POINTER_PROCEDURE(name, params, args) static void(*p_##name) params;
QB_PYTHON_FUNCTIONS(QB_POINTER_FUNCTION)
QB_PYTHON_PROCEDURES(QB_POINTER_PROCEDURE)

// The wrappers Swift calls.
#define QB_WRAP_FUNCTION(type, name, params, args) type qb_##name params { return p_##name args; }
#define QB_WRAP_PROCEDURE(name, params, args) void qb_##name params { p_##name args; }
QB_PYTHON_FUNCTIONS(QB_WRAP_FUNCTION)
QB_PYTHON_PROCEDURES(QB_WRAP_PROCEDURE)

// Data the inline macros of the headers would reference: None and two type objects.
static PyObject *none_object;
static PyTypeObject *bool_type;
static PyTypeObject *float_type;

#define QB_TEXT(x) #x
#define QB_VERSION_TEXT(major, minor) QB_TEXT(major) "." QB_TEXT(minor)

const char *qb_python_default_library(void) {
    return "libpython" QB_VERSION_TEXT(PY_MAJOR_VERSION, PY_MINOR_VERSION) ".so.1.0";
}

static void *resolve(void *handle, const char *name, const char *library, char *error, size_t capacity) {
    void *symbol = dlsym(handle, name);
    if (symbol == NULL) snprintf(error, capacity, "%s has no symbol %s (is it Python %d.%d?)",
                                 library, name, PY_MAJOR_VERSION, PY_MINOR_VERSION);
    return symbol;
}

int qb_python_load(const char *library, char *error, size_t capacity) {
    void *handle = dlopen(library, RTLD_NOW | RTLD_GLOBAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(error, capacity, "%s", reason ? reason : "dlopen failed");
        return 0;
    }
#define QB_LOAD(name) \
    if ((*(void **)&p_##name = resolve(handle, #name, library, error, capacity)) == NULL) return 0;
#define QB_LOAD_FUNCTION(type, name, params, args) QB_LOAD(name)
#define QB_LOAD_PROCEDURE(name, params, args) QB_LOAD(name)
    QB_PYTHON_FUNCTIONS(QB_LOAD_FUNCTION)
    QB_PYTHON_PROCEDURES(QB_LOAD_PROCEDURE)
    if ((none_object = resolve(handle, "_Py_NoneStruct", library, error, capacity)) == NULL) return 0;
    if ((bool_type = resolve(handle, "PyBool_Type", library, error, capacity)) == NULL) return 0;
    if ((float_type = resolve(handle, "PyFloat_Type", library, error, capacity)) == NULL) return 0;
    return 1;
}

PyObject *qb_PyRun_String(const char *code, int start, PyObject *globals, PyObject *locals) {
    return p_PyRun_StringFlags(code, start, globals, locals, NULL);
}

PyObject *qb_new_none(void) {
    p_Py_IncRef(none_object);
    return none_object;
}

int qb_is_none(PyObject *o) { return o == none_object; }
int qb_is_bool(PyObject *o) { return Py_TYPE(o) == bool_type; }
int qb_is_float(PyObject *o) { return Py_TYPE(o) == float_type || p_PyType_IsSubtype(Py_TYPE(o), float_type); }
