#!/usr/bin/env python3
"""Oracle fixtures for QuantBench's numeric formats (Tests/PluginTests/Format*.swift).

Run from the repository root (writes the JSON files beside this script):

    /work/oracle/venv/bin/python Tests/PluginTests/Fixtures/minifloat/gen_minifloat.py

Generated with Python 3.11, numpy 2.4.6, ml_dtypes 0.6.0, torch 2.15.0 (CPU) and
onnxruntime 1.32 (only its quantization.quant_utils.compute_scale_zp). The output is
deterministic (seeded).

Files:
- <dtype>.json, one per element format: `decode` holds the float32 bit pattern of every code
  (code order); `encodeInputs`/`encodeCodes` are float32 bit patterns and the code that the
  library's float32 -> format cast gives. Inputs: every value, every halfway point between
  adjacent values (ties) and the float32 neighbours of each tie, subnormals, overflow, NaN,
  +-Inf, +-0, and ~2000 random float32s across magnitudes. float16 uses numpy (ml_dtypes has no
  float16); numpy keeps NaN payloads, so float16 NaN inputs are only the canonical +-NaN.
  For the 16-bit formats the ties are sampled (about 1000 codes).
- mx_blocks.json: OCP MX v1.0 (REFERENCE section 4.1) computed independently: exact
  floor(log2 amax) with math.frexp, e clamped at -127, elements cast with ml_dtypes after
  clamping to the element max (round half to even), and a float64 half-away-from-zero
  quantizer for `outputsAway`.
- nvfp4_blocks.json: torchao's `_nvfp4_quantize` steps re-run in torch float32 (E4M3 via
  torch.float8_e4m3fn, E2M1 via ml_dtypes), two-level and single-level.
- ort_scale_zp.json: onnxruntime compute_scale_zp on random ranges, and its quantize formula
  (numpy round, then clip) on random data.
"""

import json
import math
import os
import warnings

import ml_dtypes
import numpy as np
import torch
from onnxruntime.quantization.quant_utils import compute_scale_zp

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
F32 = np.float32

FORMATS = {
    "float8_e4m3fn": (ml_dtypes.float8_e4m3fn, 8),
    "float8_e5m2": (ml_dtypes.float8_e5m2, 8),
    "float6_e3m2fn": (ml_dtypes.float6_e3m2fn, 6),
    "float6_e2m3fn": (ml_dtypes.float6_e2m3fn, 6),
    "float4_e2m1fn": (ml_dtypes.float4_e2m1fn, 4),
    "float8_e4m3": (ml_dtypes.float8_e4m3, 8),
    "float16": (np.float16, 16),
    "bfloat16": (ml_dtypes.bfloat16, 16),
}


def bits(x):
    return np.asarray(x, dtype=F32).view(np.uint32)


def from_bits(b):
    return np.asarray(b, dtype=np.uint32).view(F32)


def decode_all(dtype, nbits):
    storage = np.uint16 if nbits == 16 else np.uint8
    codes = np.arange(1 << nbits, dtype=np.uint32).astype(storage)
    return codes.view(dtype).astype(F32)


def ties_and_neighbours(values):
    """Midpoints of adjacent positive finite values (exact in float32), with their neighbours."""
    out = []
    for lo, hi in zip(values[:-1], values[1:]):
        mid = F32((float(lo) + float(hi)) / 2)
        assert float(mid) == (float(lo) + float(hi)) / 2
        out += [mid, np.nextafter(mid, F32(0)), np.nextafter(mid, F32(np.inf))]
    return out


def special_inputs(values, fmax, canonical_nan_only):
    top = values[-1]
    gap = float(top) - float(values[-2])
    beyond = F32(float(top) + gap / 2)  # first tie above the largest value
    sub = values[1]  # smallest positive value
    x = [fmax, beyond, np.nextafter(beyond, F32(0)), np.nextafter(beyond, F32(np.inf)),
         F32(2 * float(fmax)), F32(1e10), F32(3.4028235e38), F32(1e-30),
         F32(float(sub) / 2), np.nextafter(F32(float(sub) / 2), F32(1)), F32(float(sub) / 4),
         from_bits(1), from_bits(0x007FFFFF), from_bits(0x00800000), F32(0.0), F32(np.inf)]
    x = [F32(v) for v in x]
    x += [-v for v in x]
    nans = [0x7FC00000, 0xFFC00000]
    if not canonical_nan_only:
        nans += [0x7F800001, 0xFF800001, 0x7FA00000, 0x7FFFFFFF, 0xFFFFFFFF]
    return x + [from_bits(n) for n in nans]


def random_inputs(rng, values, count=2000):
    lo_exp = math.frexp(float(values[1]))[1] - 4
    hi_exp = math.frexp(float(values[-1]))[1] + 3
    exps = rng.integers(lo_exp, hi_exp + 1, count)
    mant = rng.random(count) + 1.0
    sign = np.where(rng.random(count) < 0.5, -1.0, 1.0)
    x = (sign * np.ldexp(mant / 2, exps)).astype(F32)
    # plus fully random finite bit patterns
    raw = rng.integers(0, 1 << 32, 200, dtype=np.uint64).astype(np.uint32)
    raw = raw[(raw & 0x7F800000) != 0x7F800000]
    return list(x) + list(from_bits(raw))


def format_fixture(name, dtype, nbits, rng):
    decoded = decode_all(dtype, nbits)
    finite = decoded[np.isfinite(decoded)]
    positives = np.unique(np.abs(finite.astype(np.float64))).astype(F32)  # 0 and up
    fmax = positives[-1]
    if nbits == 16:
        idx = np.unique(np.concatenate([
            np.arange(0, 40), np.arange(len(positives) - 40, len(positives) - 1),
            rng.integers(0, len(positives) - 1, 900)]))
        pairs = [positives[i:i + 2] for i in idx]
        ties = [t for p in pairs for t in ties_and_neighbours(p)]
        sample_codes = np.unique(np.concatenate([np.arange(0, 64), rng.integers(0, 1 << 16, 1500),
                                                 np.arange((1 << 16) - 64, 1 << 16), 0x7C00 + np.arange(-4, 5),
                                                 0x7F80 + np.arange(-4, 5)]))
        values = list(decoded[sample_codes[sample_codes < (1 << 16)]])
        if name == "float16":
            values = [v for v in values if not np.isnan(v)]
    else:
        ties = ties_and_neighbours(positives)
        values = list(decoded)
    inputs = values + ties + [-t for t in ties] + special_inputs(positives, fmax, name == "float16") + random_inputs(rng, positives)
    inputs = np.array(inputs, dtype=F32)
    _, first = np.unique(bits(inputs), return_index=True)
    inputs = inputs[np.sort(first)]
    storage = np.uint16 if nbits == 16 else np.uint8
    codes = inputs.astype(dtype).view(storage).astype(np.uint32)
    return {
        "dtype": name, "library": "numpy " + np.__version__ if name == "float16" else "ml_dtypes " + ml_dtypes.__version__,
        "totalBits": nbits,
        "decode": [int(b) for b in bits(decoded)],
        "encodeInputs": [int(b) for b in bits(inputs)],
        "encodeCodes": [int(c) for c in codes],
    }


# ---------------------------------------------------------------- MX
MX_ELEMENTS = {
    "mxfp8-e4m3": (ml_dtypes.float8_e4m3fn, 8, 448.0),
    "mxfp8-e5m2": (ml_dtypes.float8_e5m2, 15, 57344.0),
    "mxfp6-e3m2": (ml_dtypes.float6_e3m2fn, 4, 28.0),
    "mxfp6-e2m3": (ml_dtypes.float6_e2m3fn, 2, 7.5),
    "mxfp4": (ml_dtypes.float4_e2m1fn, 2, 6.0),
    "mxint8": (None, 0, 127 / 64),
}


def mx_exponent(amax, emax):
    a = amax if amax != 0 else 2.0 ** -126
    e = math.frexp(a)[1] - 1 - emax  # frexp: a = m * 2^k with m in [0.5, 1) -> floor(log2 a) = k - 1
    return max(e, -127)


def away_quantize(y, element):
    """Half-away-from-zero rounding of float64 y (already clamped) onto the element grid."""
    dtype, emax, vmax = MX_ELEMENTS[element]
    if dtype is None:
        q = np.copysign(np.floor(np.abs(y) * 64 + 0.5), y)
        return np.clip(q, -127, 127) / 64
    info = ml_dtypes.finfo(dtype)
    mbits = int(info.nmant)
    min_exp = int(math.log2(float(info.smallest_normal)))
    out = []
    for v in y:
        if v == 0:
            out.append(v)
            continue
        e = max(math.frexp(abs(v))[1] - 1, min_exp)
        step = 2.0 ** (e - mbits)
        out.append(math.copysign(min(math.floor(abs(v) / step + 0.5) * step, vmax), v))
    return np.array(out)


def mx_block(block, element):
    dtype, emax, vmax = MX_ELEMENTS[element]
    amax = float(np.max(np.abs(block)))
    e = mx_exponent(amax, emax)
    scale = F32(np.ldexp(F32(1), e))
    y = (block / scale).astype(F32)  # exact: power-of-two division
    y = np.clip(y, -vmax, vmax).astype(F32)
    if dtype is None:
        even = (np.clip(np.round(y * 64), -127, 127) / 64).astype(F32)
    else:
        even = y.astype(dtype).astype(F32)
    away = away_quantize(y.astype(np.float64), element).astype(F32)
    return scale, (even * scale).astype(F32), (away * scale).astype(F32)


def mx_blocks(rng):
    blocks = [np.zeros(32, F32), -np.zeros(32, F32)]
    for s in [1e-3, 0.1, 1.0, 7.0, 300.0, 1e5, 1e-30, 1e-39, 1e38]:
        blocks.append((rng.standard_normal(32) * s).astype(F32))
    b = rng.standard_normal(32).astype(F32); b[5] = 7.0; blocks.append(b)  # fp4 max in (6, 8): saturates
    b = rng.standard_normal(32).astype(F32); b[3] = 4.0; blocks.append(b)  # power-of-two max
    b = rng.standard_normal(32).astype(F32); b[3] = np.nextafter(F32(256), F32(0)); blocks.append(b)
    grid = np.array([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5, 0.0625, 0.1875, 0.3125, 0.46875, 3.25, 5.5, 0.5 + 1 / 128],
                    dtype=F32)
    b = np.concatenate([grid, -grid, [4, 6, 7.5]]).astype(F32)[:32]  # element ties with amax in [4, 8)
    blocks.append(b)
    return blocks


def mx_fixture(rng):
    blocks = mx_blocks(rng)
    cases = []
    for element in MX_ELEMENTS:
        for block in blocks:
            scale, even, away = mx_block(block, element)
            cases.append({"format": element, "inputs": [int(v) for v in bits(block)],
                          "scale": int(bits(scale)), "outputs": [int(v) for v in bits(even)],
                          "outputsAway": [int(v) for v in bits(away)]})
    return {"cases": cases}


# ---------------------------------------------------------------- NVFP4
def nvfp4_tensor(x, two_level):
    """torchao _nvfp4_quantize steps (float32), then dequantize: returns per-block scale and output."""
    data = torch.from_numpy(x.copy()).reshape(-1, 16)
    max_abs = torch.amax(torch.abs(data), dim=-1)
    block_scale = max_abs / 6.0
    eps = torch.finfo(torch.float8_e4m3fn).tiny
    if two_level:
        per_tensor = torch.max(torch.abs(data)).to(torch.float32) / (448.0 * 6.0)
        scaled = torch.clamp(block_scale / per_tensor, min=eps, max=448.0)
        total = per_tensor * scaled.to(torch.float8_e4m3fn).to(torch.float32)
    else:
        total = torch.clamp(block_scale, min=eps, max=448.0).to(torch.float8_e4m3fn).to(torch.float32)
    scaled_data = torch.clamp(data / total.unsqueeze(-1), -6.0, 6.0)
    p = scaled_data.numpy().astype(ml_dtypes.float4_e2m1fn).astype(F32)
    out = torch.from_numpy(p) * total.unsqueeze(-1)
    return total.numpy(), out.reshape(-1).numpy()


def nvfp4_fixture(rng):
    tensors = []
    for s in [1.0, 0.02, 50.0, 5000.0]:
        x = (rng.standard_normal(16 * 8) * s).astype(F32)
        x[16:32] *= 1e-3  # a quiet block
        x[32:48] = 0  # an all-zero block
        x[48:64] *= 30  # a loud block
        tensors.append(x)
    cases = []
    for x in tensors:
        for two in [True, False]:
            scales, out = nvfp4_tensor(x, two)
            cases.append({"twoLevel": two, "inputs": [int(v) for v in bits(x)],
                          "scales": [int(v) for v in bits(scales)], "outputs": [int(v) for v in bits(out)]})
    return {"torchaoClampMin": float(torch.finfo(torch.float8_e4m3fn).tiny), "cases": cases}


# ---------------------------------------------------------------- ORT integer
ORT_CONFIGS = [  # (format name, qmin, qmax, symmetric)
    ("int8", -127, 127, True), ("int8(symmetric=false)", -128, 127, False), ("uint8", 0, 255, False),
    ("int4", -7, 7, True), ("int4(symmetric=false)", -8, 7, False), ("uint4", 0, 15, False),
    ("int16", -32767, 32767, True), ("int16(symmetric=false)", -32768, 32767, False), ("uint16", 0, 65535, False),
    ("int2(symmetric=false)", -2, 1, False), ("int3", -3, 3, True),
]


def ort_fixture(rng):
    cases = []
    for name, qmin, qmax, symmetric in ORT_CONFIGS:
        for k in range(12):
            lo, hi = sorted(rng.standard_normal(2) * 10 ** rng.uniform(-3, 2))
            if k == 0:
                lo, hi = -1.0, 2.0
            if k == 1:
                lo, hi = 0.3, 5.0  # range not containing zero
            lo, hi = F32(lo), F32(hi)
            z, s = compute_scale_zp(np.array(lo, F32), np.array(hi, F32), np.array(qmin), np.array(qmax), symmetric)
            s, z = F32(s), int(z)
            x = (rng.uniform(float(lo) * 1.2, float(hi) * 1.2, 64)).astype(F32)
            q = np.clip(np.asarray((x / s).round() + z), qmin, qmax)
            fq = (s * (q - z).astype(F32)).astype(F32)
            cases.append({"format": name, "lower": int(bits(lo)), "upper": int(bits(hi)), "scale": int(bits(s)),
                          "zeroPoint": z, "inputs": [int(v) for v in bits(x)], "outputs": [int(v) for v in bits(fq)]})
    return {"cases": cases}


def write(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def main():
    rng = np.random.default_rng(20240611)
    for name, (dtype, nbits) in FORMATS.items():
        write(name + ".json", format_fixture(name, dtype, nbits, rng))
    write("mx_blocks.json", mx_fixture(rng))
    write("nvfp4_blocks.json", nvfp4_fixture(rng))
    write("ort_scale_zp.json", ort_fixture(rng))


if __name__ == "__main__":
    main()
