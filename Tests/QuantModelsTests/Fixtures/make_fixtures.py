"""Oracle fixtures for QuantModelsTests (native tensor-file I/O).

Every file here is written by the reference libraries (numpy, safetensors, torch), and every
expected value in expected.json is computed by numpy / ml_dtypes -- never by QuantBench.

Run from the repository root with the oracle venv (numpy, ml_dtypes, torch, safetensors):

    /work/oracle/venv/bin/python Tests/QuantModelsTests/Fixtures/make_fixtures.py

Versions used for the committed fixtures: Python 3.11.7, numpy 2.4.6, ml_dtypes 0.6.0,
torch 2.15.0+cu132, safetensors 0.8.0 (also recorded in expected.json under "versions").
The .npz fixtures embed the time of writing, so regenerating changes their bytes, not their contents.

Interop: WriterTests pin our writers byte for byte to numpy's and safetensors' own output, so
the Python readers read what QuantBench writes. To check a folder of files QuantBench wrote
(swift_weight.npy, swift.safetensors, ... as named in check_swift_output) directly:

    /work/oracle/venv/bin/python Tests/QuantModelsTests/Fixtures/make_fixtures.py \
        --check-swift-output DIR
"""

import json
import os
import sys

import ml_dtypes
import numpy as np
import safetensors
import safetensors.numpy
import safetensors.torch
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

# Values per numpy dtype, shape (2, 3); chosen to hit extremes, subnormals, specials and
# float32 rounding (ties to even) for the wide types.
NPY_VALUES = {
    "bool": [True, False, True, True, False, False],
    "int8": [-128, 127, 0, -1, 5, 100],
    "int16": [-32768, 32767, 0, -1, 300, -300],
    "int32": [-(2**31), 2**31 - 1, 16777217, -16777217, 16777219, 7],
    "int64": [-(2**63), 2**63 - 1, 2**53 + 1, 16777217, -3, 0],
    "uint8": [0, 255, 1, 128, 7, 200],
    "uint16": [0, 65535, 1, 32768, 7, 40000],
    "uint32": [0, 2**32 - 1, 16777217, 16777219, 7, 123456789],
    "uint64": [0, 2**64 - 1, 2**53 + 1, 16777219, 7, 2**63],
    "float16": [-0.0, 1 / 3, 65504.0, 2.0**-24, -np.inf, np.nan],
    "float32": [1.5, -2.25, 3.4028235e38, 1e-45, np.nan, -np.inf],
    "float64": [0.1, -1e-40, 1e39, 1 + 2.0**-24, 1 + 3 * 2.0**-24, -2.5],
}

# Values the writers are checked on: exact in every writable type.
WRITER_VALUES = [1.0, -2.5, 0.375, 1024.0, -0.0, 6.0]


def bits(array):
    """float32 bit patterns of the array converted by numpy / ml_dtypes, in C order."""
    with np.errstate(over="ignore"):
        as_f32 = np.ascontiguousarray(array).astype(np.float32).ravel(order="C")
    return [int(b) for b in as_f32.view(np.uint32)]


def describe(array, name=None):
    entry = {"dtype": str(array.dtype.name), "shape": list(array.shape), "bits": bits(array)}
    if name is not None:
        entry["name"] = name
    return entry


def path(*parts):
    return os.path.join(HERE, *parts)


def make_npy(expected):
    """One file per dtype x byte order x memory order, plus 3-d, 0-d, empty and v2/v3 headers."""
    files = {}
    for dtype, values in NPY_VALUES.items():
        base = np.array(values, dtype=dtype).reshape(2, 3)
        orders = ["le", "be"] if base.dtype.itemsize > 1 else ["le"]
        for order in orders:
            typed = base.astype(base.dtype.newbyteorder("<" if order == "le" else ">"))
            for layout in ["c", "f"]:
                array = np.asfortranarray(typed) if layout == "f" else np.ascontiguousarray(typed)
                name = f"{dtype}_{order}_{layout}"
                np.save(path("npy", name + ".npy"), array)
                files[name + ".npy"] = describe(base, name)
    cube = np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.5 - 3
    np.save(path("npy", "float32_le_f_3d.npy"), np.asfortranarray(cube))
    files["float32_le_f_3d.npy"] = describe(cube, "float32_le_f_3d")
    cube16 = (np.arange(24, dtype=np.int16).reshape(2, 3, 4) * 1000 - 9000).astype(">i2")
    np.save(path("npy", "int16_be_f_3d.npy"), np.asfortranarray(cube16))
    files["int16_be_f_3d.npy"] = describe(cube16.astype(np.int16), "int16_be_f_3d")
    scalar = np.array(2.718281828459045, dtype=np.float64)
    np.save(path("npy", "scalar_float64.npy"), scalar)
    files["scalar_float64.npy"] = describe(scalar, "scalar_float64")
    empty = np.zeros((0, 3), dtype=np.float32)
    np.save(path("npy", "empty_float32.npy"), empty)
    files["empty_float32.npy"] = describe(empty, "empty_float32")
    small = np.array([[1.25, -0.5], [8.0, 1e-3]], dtype=">f4")
    for version in [(2, 0), (3, 0)]:
        name = f"version{version[0]}_float32"
        with open(path("npy", name + ".npy"), "wb") as handle:
            np.lib.format.write_array(handle, small, version=version)
        files[name + ".npy"] = describe(small, name)
    expected["npy"] = files


def npz_arrays():
    return {
        "weight": (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) / 3,
        "bias": np.array([0.5, -1.0, 65504.0, 2.0**-24], dtype=np.float16),
        "ids": np.array([-(2**40), 3, 2**53 + 1, 0, 17], dtype=np.int64),
        "layer/0.scale": np.asfortranarray(np.arange(6, dtype=">f8").reshape(2, 3) / 7),
        "scalar": np.array(42, dtype=np.uint8),
    }


def make_npz(expected):
    arrays = npz_arrays()
    np.savez(path("arrays.npz"), **arrays)
    np.savez_compressed(path("arrays_compressed.npz"), **arrays)
    described = {name: describe(array) for name, array in arrays.items()}
    expected["npz"] = {"arrays.npz": described, "arrays_compressed.npz": described}


def torch_from(array, torch_dtype):
    """A torch tensor with exactly the bytes of a numpy / ml_dtypes array."""
    raw = np.ascontiguousarray(array).view(np.uint8).copy()
    return torch.from_numpy(raw).view(torch_dtype).reshape(array.shape)


def safetensors_mixed_arrays():
    codes = np.arange(256, dtype=np.uint8).reshape(16, 16)
    bf16 = np.array([1.0, -2.5, 3.14159, 1e38, -1e-39, np.nan, np.inf, 0.0078125], dtype=ml_dtypes.bfloat16)
    return {
        "encoder.layer.0.attention.query.weight": (np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5) / 3,
        "encoder.layer.0.attention.query.bias": np.array(NPY_VALUES["float16"], dtype=np.float16),
        "encoder.layer.0.output.weight_bf16": bf16.reshape(2, 4),
        "quantized.int8": np.array(NPY_VALUES["int8"], dtype=np.int8).reshape(3, 2),
        "quantized.int64": np.array(NPY_VALUES["int64"], dtype=np.int64),
        "quantized.uint8": np.array(NPY_VALUES["uint8"], dtype=np.uint8),
        "fp8.e4m3fn": codes.view(ml_dtypes.float8_e4m3fn),
        "fp8.e5m2": codes.view(ml_dtypes.float8_e5m2),
        "mask": np.array(NPY_VALUES["bool"], dtype=np.bool_).reshape(2, 3),
        "wide.float64": np.array(NPY_VALUES["float64"], dtype=np.float64),
        "wide.int16": np.array(NPY_VALUES["int16"], dtype=np.int16),
        "wide.int32": np.array(NPY_VALUES["int32"], dtype=np.int32),
    }


TORCH_DTYPES = {
    "float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16, "int8": torch.int8,
    "int64": torch.int64, "uint8": torch.uint8, "float8_e4m3fn": torch.float8_e4m3fn,
    "float8_e5m2": torch.float8_e5m2, "bool": torch.bool, "float64": torch.float64,
    "int16": torch.int16, "int32": torch.int32,
}


def make_safetensors(expected):
    metadata = {"format": "pt", "source": "make_fixtures.py"}
    mixed = safetensors_mixed_arrays()
    tensors = {name: torch_from(array, TORCH_DTYPES[array.dtype.name]) for name, array in mixed.items()}
    safetensors.torch.save_file(tensors, path("mixed.safetensors"), metadata=metadata)
    unsigned = {
        "u16": np.array(NPY_VALUES["uint16"], dtype=np.uint16).reshape(2, 3),
        "u32": np.array(NPY_VALUES["uint32"], dtype=np.uint32),
        "u64": np.array(NPY_VALUES["uint64"], dtype=np.uint64),
        "scalar": np.array(-7.5, dtype=np.float32),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }
    safetensors.numpy.save_file(unsigned, path("unsigned.safetensors"))
    expected["safetensors"] = {
        "mixed.safetensors": {"metadata": metadata,
                              "tensors": {name: describe(array) for name, array in mixed.items()}},
        "unsigned.safetensors": {"metadata": {},
                                 "tensors": {name: describe(array) for name, array in unsigned.items()}},
    }


def writer_arrays():
    """Tensors the Swift writers must reproduce byte for byte."""
    return {
        "layer.0.weight": np.array(WRITER_VALUES, dtype=np.float32).reshape(2, 3),
        "bias": np.array(WRITER_VALUES[:4], dtype=np.float32),
        "scalar": np.array(0.25, dtype=np.float32),
        "empty": np.zeros((0, 2), dtype=np.float32),
    }


def make_writer_oracles(expected):
    arrays = writer_arrays()
    npy = {}
    for dtype in ["float32", "float16", "float64"]:
        for name, array in arrays.items():
            file = f"writer_{name.replace('.', '_')}_{dtype}.npy"
            np.save(path("writer", file), array.astype(dtype))
            npy[file] = {"tensor": name, "elementType": dtype}
    safetensors.numpy.save_file(arrays, path("writer", "writer_f32.safetensors"), metadata={"format": "np"})
    safetensors.numpy.save_file({k: v.astype(np.float16) for k, v in arrays.items()},
                                path("writer", "writer_f16.safetensors"))
    bf16 = {k: torch.from_numpy(v.copy()).to(torch.bfloat16) for k, v in arrays.items()}
    safetensors.torch.save_file(bf16, path("writer", "writer_bf16.safetensors"))
    expected["writer"] = {
        "tensors": {name: describe(array) for name, array in arrays.items()},
        "npy": npy,
        "safetensors": {
            "writer_f32.safetensors": {"elementType": "float32", "metadata": {"format": "np"}},
            "writer_f16.safetensors": {"elementType": "float16", "metadata": {}},
            "writer_bf16.safetensors": {"elementType": "bfloat16", "metadata": {}},
        },
    }


def make_rounding_oracle(expected):
    """float32 inputs and their values after rounding to float16 (numpy) and bfloat16 (ml_dtypes)."""
    rng = np.random.default_rng(20240611)
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 65504.0, 65520.0, 65519.99, 1e-8, 2.0**-25,
                        3 * 2.0**-26, 1 + 2.0**-8, 1 + 3 * 2.0**-8, 1 + 2.0**-11, 1 + 3 * 2.0**-11,
                        3.3895314e38, 3.4028235e38, 1e-40, -1e-45], dtype=np.float32)
    ties = (rng.integers(0, 2**31, 40, dtype=np.uint32) & ~np.uint32(0xFFFF)) | np.uint32(0x8000)
    random = np.concatenate([special, ties.view(np.float32),
                             rng.standard_normal(60).astype(np.float32) * 10.0 ** rng.integers(-6, 6, 60),
                             rng.integers(0, 2**32, 60, dtype=np.uint64).astype(np.uint32).view(np.float32)])
    with np.errstate(over="ignore", invalid="ignore"):
        expected["rounding"] = {
            "input": bits(random),
            "float16": bits(random.astype(np.float16)),
            "bfloat16": bits(random.astype(ml_dtypes.bfloat16)),
        }


def check_readers():
    """The reference libraries read their own fixtures back (sanity check of the script)."""
    for name, array in npz_arrays().items():
        for file in ["arrays.npz", "arrays_compressed.npz"]:
            loaded = np.load(path(file))[name]
            assert np.array_equal(loaded, array), (file, name)
    loaded = safetensors.numpy.load_file(path("writer", "writer_f32.safetensors"))
    assert all(np.array_equal(loaded[k], v) for k, v in writer_arrays().items())


def check_swift_output(directory):
    """Reads files QuantBench wrote (names as below), with numpy and safetensors."""
    arrays = writer_arrays()
    weight = arrays["layer.0.weight"]
    checks = {
        "swift_weight.npy": lambda: np.load(os.path.join(directory, "swift_weight.npy")),
        "swift_weight_f16.npy": lambda: np.load(os.path.join(directory, "swift_weight_f16.npy")),
    }
    for file, load in checks.items():
        loaded = load()
        assert np.array_equal(loaded.astype(np.float32), weight), file
        print(f"ok  {file}: numpy reads {loaded.dtype} {loaded.shape}")
    for file in ["swift_stored.npz", "swift_deflated.npz"]:
        with np.load(os.path.join(directory, file)) as archive:
            for name, array in arrays.items():
                assert np.array_equal(archive[name], array) and archive[name].shape == array.shape, (file, name)
        print(f"ok  {file}: numpy reads {sorted(arrays)}")
    for file, dtype in [("swift.safetensors", np.float32), ("swift_f16.safetensors", np.float16)]:
        loaded = safetensors.numpy.load_file(os.path.join(directory, file))
        for name, array in arrays.items():
            assert loaded[name].dtype == dtype and np.array_equal(loaded[name], array.astype(dtype)), (file, name)
        print(f"ok  {file}: safetensors {safetensors.__version__} reads {sorted(loaded)}")
    loaded = safetensors.torch.load_file(os.path.join(directory, "swift_bf16.safetensors"))
    for name, array in arrays.items():
        assert torch.equal(loaded[name], torch.from_numpy(array.copy()).to(torch.bfloat16)), name
    print("ok  swift_bf16.safetensors: safetensors.torch reads bfloat16")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check-swift-output":
        check_swift_output(sys.argv[2])
        return
    for folder in ["npy", "writer"]:
        os.makedirs(path(folder), exist_ok=True)
    expected = {"versions": {
        "python": sys.version.split()[0], "numpy": np.__version__, "ml_dtypes": ml_dtypes.__version__,
        "torch": torch.__version__, "safetensors": safetensors.__version__}}
    make_npy(expected)
    make_npz(expected)
    make_safetensors(expected)
    make_writer_oracles(expected)
    make_rounding_oracle(expected)
    check_readers()
    with open(path("expected.json"), "w") as handle:
        json.dump(expected, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print("fixtures written to", HERE)


if __name__ == "__main__":
    main()
