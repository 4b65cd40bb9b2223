// Debian's libpython3-dev, found with pkg-config python3-embed.
// <sys/select.h> first: otherwise fd_set clashes with Foundation's on Linux.
#include <sys/select.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>
