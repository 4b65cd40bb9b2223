// Debian's zlib1g-dev: gzip decompression for the digits data set (inflateInit2_ with 16 + MAX_WBITS).
// Named CZlibShim, not CZlib: ZIPFoundation already defines a clang module called CZlib, and two
// modules of one name in the same build are an error.
#include <zlib.h>
