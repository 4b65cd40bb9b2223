"""Oracle fixtures for the native PyTorch zip checkpoint reader (TorchZipFile).

Every checkpoint here is written by torch.save itself (or, for the big-endian and deflated
variants, by rewriting a torch.save archive with zipfile, then checked to load in torch), and
every expected value is computed by torch / numpy -- never by QuantBench:

* names, dtypes, shapes and skipped entries come from the Python loader QuantBench already has
  (the script embedded in Sources/PythonBridge/Loaders/TorchCheckpointSource.swift, extracted and
  run here unchanged), so the native reader is pinned to it;
* values are that loader's `to_numpy(tensor).astype(numpy.float32)` as float32 bit patterns
  (`tensor.float()` for the float8 types numpy lacks: exact, as every float8 value is a float32);
* refused globals are the names torch.load(weights_only=True) refuses.

Run from the repository root with the oracle venv (torch, numpy, ml_dtypes):

    /work/oracle/venv/bin/python Tests/QuantModelsTests/Fixtures/torch/make_torch_fixtures.py

It writes the fixtures and expected_torch.json next to this script and, when the model asset
`$QUANTBENCH_ASSETS/digits-cnn/handwriting_model.pth` is present (QUANTBENCH_ASSETS defaults to
.assets; `quantbench fetch-assets` fills it), digits_cnn_expected.json with per-tensor sums.
"""

import collections
import hashlib
import json
import os
import re
import sys
import zipfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
LOADER = os.path.join(ROOT, "Sources", "PythonBridge", "Loaders", "TorchCheckpointSource.swift")
DIGITS_SHA256 = "325e0773529babe8ebb6adf35a82c64e57c5f3518c2adb975865355c74bc4786"


def python_loader():
    """The Python loader's functions (open_file, to_numpy, _flatten, _unwrap) from the Swift source."""
    source = open(LOADER, encoding="utf-8").read()
    body = re.search(r'static let script = """\n(.*?)\n\s*"""', source, re.S).group(1)
    lines = body.split("\n")
    indent = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
    namespace = {}
    exec("\n".join(l[indent:] for l in lines), namespace)
    return namespace


LOADER_NS = python_loader()


def path(name):
    return os.path.join(HERE, name)


def bits(tensor):
    """float32 bit patterns of the tensor as the Python loader converts it (C order)."""
    try:
        array = LOADER_NS["to_numpy"](tensor)
    except TypeError:  # float8: numpy has no such dtype; widening to float32 is exact
        array = tensor.detach().contiguous().float().numpy()
    with np.errstate(over="ignore"):
        as_f32 = np.ascontiguousarray(array).astype(np.float32).ravel(order="C")
    return [int(b) for b in as_f32.view(np.uint32)]


def listing(name, trusted=False):
    """What the Python loader lists for a checkpoint: tensors with values, and skipped entries."""
    stem = os.path.splitext(name)[0]
    if trusted:  # a fixture torch.load(weights_only=True) cannot read (pickle protocol 4, 5)
        obj, tensors, skipped = torch.load(path(name), weights_only=False), {}, []
        if isinstance(obj, torch.Tensor):
            tensors[stem] = obj
        else:
            LOADER_NS["_flatten"](LOADER_NS["_unwrap"](obj, skipped), "", tensors, skipped)
        infos = [(n, str(t.dtype).replace("torch.", ""), list(t.shape)) for n, t in tensors.items()]
    else:
        status, tensors, infos, skipped, _ = LOADER_NS["open_file"](path(name), stem)
        assert status == "ok", (name, status, tensors)
    return {
        "tensors": [
            {"name": n, "dtype": dtype, "shape": shape, "bits": bits(tensors[n])} for n, dtype, shape in infos
        ],
        "skipped": list(skipped),
    }


# Values per dtype: extremes, subnormals, specials, and float32 rounding (ties to even) for the wide types.
DTYPE_VALUES = {
    torch.float32: [1.5, -2.25, 3.4028235e38, 1e-45, float("nan"), -float("inf")],
    torch.float16: [-0.0, 1 / 3, 65504.0, 2.0**-24, -float("inf"), float("nan")],
    torch.bfloat16: [1 / 3, -3.3895313892515355e38, 9.183549615799121e-41, 1.0, float("inf"), -0.0],
    torch.float64: [0.1, -1e-40, 1e39, 1 + 2.0**-24, 1 + 3 * 2.0**-24, -2.5],
    torch.int64: [-(2**63), 2**63 - 1, 2**53 + 1, 16777217, -3, 0],
    torch.int32: [-(2**31), 2**31 - 1, 16777217, -16777217, 16777219, 7],
    torch.int16: [-32768, 32767, 0, -1, 300, -300],
    torch.int8: [-128, 127, 0, -1, 5, 100],
    torch.uint8: [0, 255, 1, 128, 7, 200],
    torch.bool: [True, False, True, True, False, False],
    torch.uint16: [0, 65535, 1, 32768, 7, 40000],
    torch.uint32: [0, 2**32 - 1, 16777217, 16777219, 7, 123456789],
    torch.uint64: [0, 2**63 + 2**40, 2**53 + 1, 16777219, 7, 2**63],
}


def make_dtypes():
    state = {}
    for dtype, values in DTYPE_VALUES.items():
        name = str(dtype).replace("torch.", "")
        if dtype in (torch.uint32, torch.uint64):
            state[name] = torch.tensor(np.array(values, dtype=name)).reshape(2, 3)
        else:
            state[name] = torch.tensor(values, dtype=dtype).reshape(2, 3)
    codes = torch.arange(256, dtype=torch.int32).to(torch.uint8)
    state["float8_e4m3fn"] = codes.view(torch.float8_e4m3fn).reshape(16, 16)
    state["float8_e5m2"] = codes.view(torch.float8_e5m2).reshape(16, 16)
    torch.save(state, path("dtypes.pth"))


def make_views():
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8
    shared = torch.arange(12, dtype=torch.float32) - 5.5
    state = {
        "transposed": base.t(),
        "stepped": base[::2, 1::2],
        "row": base[2],
        "permuted": (torch.arange(24, dtype=torch.float32) * 0.25).reshape(2, 3, 4).permute(2, 0, 1),
        "expanded": torch.tensor([1.0, -2.0, 3.0]).expand(2, 3),
        "shared_head": shared[2:6],
        "shared_tail": shared[6:].view(2, 3),
        "bf16_transposed": (torch.arange(6, dtype=torch.float32) / 3).to(torch.bfloat16).reshape(2, 3).t(),
        "int64_column": (torch.arange(12, dtype=torch.int64) * 1_000_000_007).reshape(3, 4)[:, 1],
    }
    assert not state["transposed"].is_contiguous() and state["shared_head"].storage_offset() == 2
    assert state["shared_head"].untyped_storage().data_ptr() == state["shared_tail"].untyped_storage().data_ptr()
    torch.save(state, path("views.pth"))


class SmallNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3)
        self.norm = torch.nn.BatchNorm2d(2)
        self.head = torch.nn.Sequential(torch.nn.Linear(8, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))


def make_module_and_training():
    torch.manual_seed(0)
    net = SmallNet()
    state = net.state_dict()
    assert hasattr(state, "_metadata")
    torch.save(state, path("module.pth"))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    loss = net.head(torch.randn(2, 8)).sum()
    loss.backward()
    optimizer.step()
    torch.save(
        {"epoch": 3, "model": net.state_dict(), "optimizer": optimizer.state_dict(), "lr": 0.01, "best": None},
        path("training.ckpt"),
    )


def make_nested_parameter_scalar_bare():
    torch.manual_seed(1)
    nested = {
        "encoder": {"layer": {"w": torch.randn(2, 2)}, "b": torch.randn(3)},
        "decoder.w": torch.randn(1, 2),
        7: torch.tensor([7.0]),
        "note": "text",
        "count": 3,
        "ratio": 0.5,
        "nothing": None,
        "tags": ["a", "b"],
        "pair": (1, 2),
        "size": torch.Size([2, 3]),
        "flags": {"on": True},
        "blob": b"\x00\x01",
        "counts": collections.Counter(a=2, b=1),
        "z": complex(1, -2),
        "ids": {1, 2},
    }
    torch.save(nested, path("nested.pth"))
    torch.save(
        {
            "weight": torch.nn.Parameter(torch.randn(2, 3)),
            "frozen": torch.nn.Parameter(torch.randn(3), requires_grad=False),
            "buffer": torch.randn(2),
        },
        path("parameter.pth"),
    )
    torch.save(
        {
            "scalar": torch.tensor(3.5),
            "int_scalar": torch.tensor(-7, dtype=torch.int64),
            "empty": torch.zeros(0, 4),
            "empty_int": torch.zeros(0, dtype=torch.int32),
        },
        path("scalar_empty.pth"),
    )
    torch.save(torch.linspace(-1, 1, 5, dtype=torch.float16), path("bare.pt"))
    torch.save({"a": torch.arange(6.0).reshape(2, 3), "b": torch.tensor([1, 2])}, path("protocol4.pth"), pickle_protocol=4)
    torch.save({"a": torch.arange(4.0), "b": torch.ones(2, dtype=torch.int16)}, path("legacy.pt"),
               _use_new_zipfile_serialization=False)


def rewrite(source, target, transform=lambda name, data: data, compression=zipfile.ZIP_STORED):
    """Copies a torch zip archive record by record, transforming each record's bytes."""
    with zipfile.ZipFile(path(source)) as zin, zipfile.ZipFile(path(target), "w", compression=compression) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, transform(info.filename, zin.read(info.filename)))


def make_rewritten():
    # Big-endian: the same tensors with every storage byte-swapped and byteorder "big"; torch swaps them back.
    torch.save({"f32": torch.tensor([1.5, -2.0, 1e-40]), "f16": torch.tensor([0.5, -65504.0], dtype=torch.float16),
                "i64": torch.tensor([2**40 + 1, -3], dtype=torch.int64), "u8": torch.tensor([1, 255], dtype=torch.uint8)},
               path("bigendian_source.pth"))
    sizes = {"0": 4, "1": 2, "2": 8, "3": 1}

    def swap(name, data):
        if name.endswith("/byteorder"):
            return b"big"
        key = name.rsplit("/", 1)[-1]
        if "/data/" in name and sizes[key] > 1:
            return np.frombuffer(data, dtype=f"<u{sizes[key]}").byteswap().tobytes()
        return data

    rewrite("bigendian_source.pth", "bigendian.pth", swap)
    source, swapped = torch.load(path("bigendian_source.pth")), torch.load(path("bigendian.pth"))
    assert all(torch.equal(source[k], swapped[k]) for k in source), "torch did not read the big-endian copy back"
    os.remove(path("bigendian_source.pth"))
    rewrite("views.pth", "deflated.pth", compression=zipfile.ZIP_DEFLATED)


def make_refused_and_not_state_dicts():
    torch.save({"net": torch.nn.Linear(2, 2)}, path("module_object.pth"))
    torch.save({"w": np.arange(3.0)}, path("numpy_array.pth"))
    torch.save([torch.ones(2)], path("list.pt"))
    torch.save({"a": 1, "b": "x"}, path("no_tensors.pt"))
    torch.save(12, path("number.pt"))


def refused_global(name):
    """The global torch.load(weights_only=True) refuses in the file."""
    try:
        torch.load(path(name), weights_only=True)
    except Exception as error:  # noqa: BLE001 - the message is the oracle
        found = re.search(r"GLOBAL ([\w.]+)", str(error))
        return found.group(1)
    raise AssertionError(f"{name} loaded with weights_only=True")


def not_state_dict(name):
    status, message = LOADER_NS["open_file"](path(name), os.path.splitext(name)[0])
    assert status == "not-state-dict", (name, status, message)
    return message


def digits_expected():
    assets = os.environ.get("QUANTBENCH_ASSETS", os.path.join(ROOT, ".assets"))
    model = os.path.join(assets, "digits-cnn", "handwriting_model.pth")
    if not os.path.exists(model):
        print(f"skipping digits_cnn_expected.json: {model} is missing (run quantbench fetch-assets)")
        return
    assert hashlib.sha256(open(model, "rb").read()).hexdigest() == DIGITS_SHA256
    state = torch.load(model, map_location="cpu", weights_only=True)
    tensors = [
        {"name": name, "dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
         "sum": float(t.double().sum()), "sum_of_squares": float((t.double() ** 2).sum())}
        for name, t in state.items()
    ]
    document = {"file": "digits-cnn/handwriting_model.pth", "sha256": DIGITS_SHA256, "torch": torch.__version__,
                "tensors": tensors}
    with open(path("digits_cnn_expected.json"), "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")


def main():
    make_dtypes()
    make_views()
    make_module_and_training()
    make_nested_parameter_scalar_bare()
    make_rewritten()
    make_refused_and_not_state_dicts()
    files = {}
    for name in ["dtypes.pth", "views.pth", "module.pth", "training.ckpt", "nested.pth", "parameter.pth",
                 "scalar_empty.pth", "bare.pt", "bigendian.pth", "deflated.pth"]:
        files[name] = listing(name)
    files["protocol4.pth"] = listing("protocol4.pth", trusted=True)
    expected = {
        "versions": {"python": sys.version.split()[0], "torch": torch.__version__, "numpy": np.__version__},
        "files": files,
        "legacy": {"legacy.pt": listing("legacy.pt")},
        "refused": {name: refused_global(name) for name in ["module_object.pth", "numpy_array.pth"]},
        "not_state_dict": {name: not_state_dict(name) for name in ["list.pt", "no_tensors.pt", "number.pt"]},
    }
    with open(path("expected_torch.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    digits_expected()


if __name__ == "__main__":
    main()
