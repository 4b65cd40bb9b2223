import CPython
