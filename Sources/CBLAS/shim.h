// Debian's libopenblas-dev (0.3.21, pthread variant), found with pkg-config openblas.
#include <cblas.h>
