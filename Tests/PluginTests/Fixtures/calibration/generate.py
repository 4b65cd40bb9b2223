#!/usr/bin/env python3
"""Regenerate the calibration oracle fixtures for QuantBench's Swift tests.

How to run (from anywhere):

    /work/oracle/venv/bin/python Tests/PluginTests/Fixtures/calibration/generate.py

Setup of the venv beyond numpy/scipy/onnx/onnxruntime/torch (PyPI only):

    /work/oracle/venv/bin/pip install nvidia-modelopt==0.47.0 requests huggingface_hub

(`modelopt.torch` imports `requests` and `huggingface_hub` at import time; neither is
used to download anything here.)

It writes, next to itself: the input tensors (*.npy, float32 little-endian, C order,
np.save format) and expected.json. Nothing else is written outside a temporary
directory (used for the small ONNX models that onnxruntime's calibrators need).

Library versions these fixtures were produced with (checked and recorded in
expected.json["meta"]["versions"]; the script warns if they differ):

    python        3.11.7
    numpy         2.4.6
    scipy         1.17.1
    torch         2.15.0 (+cu132 wheel, run on CPU only, torch.set_num_threads(1))
    onnx          1.23.2
    onnxruntime   1.32.0
    nvidia-modelopt 0.47.0   (pip; provides the pytorch_quantization-successor calib code)
    ml_dtypes     0.6.0      (installed, not used here)

pytorch_quantization itself could NOT be installed: the PyPI package
`pytorch-quantization` 2.2.1 is a stub whose setup.py raises "RuntimeError: Bad
params" (the real wheels live on NVIDIA's own index, which this workplace cannot
reach). The "pytorch_quantization-style" numbers are therefore produced by
ModelOpt 0.47.0's `modelopt.torch.quantization.calib.histogram`:
  * histogram: `HistogramCalibrator(num_bits, None, unsigned, num_bins=2048,
    torch_hist=True).collect(x)` -- the default torch.histc path, identical in
    pytorch_quantization 2.x and ModelOpt 0.47;
  * `_compute_amax_percentile` and `_compute_amax_entropy` (via
    `HistogramCalibrator.compute_amax`) are used unchanged; their bodies are
    identical to pytorch_quantization's (compared against
    NVIDIA/TensorRT tools/pytorch-quantization/pytorch_quantization/calib/histogram.py,
    differing only in logging / CUDA placement);
  * `_compute_amax_mse` is used with the module-global `fake_tensor_quant`
    rebound, for the duration of the call, to a shim that calls ModelOpt's
    `FakeTensorQuantFunction.apply(inputs, amax, None, num_bits, unsigned)`, i.e.
    pytorch_quantization's argument order `fake_tensor_quant(inputs, amax,
    num_bits, unsigned)`. ModelOpt 0.47 itself passes num_bits into the `bias`
    slot (REFERENCE 2.8); that unpatched result is recorded separately under
    `modelopt_0_47_unpatched_mse_int8` for illustration only. On CPU both
    libraries quantize through the same `_tensor_quant` body (x*scale, RNE
    round, clamp to [-(2^(b-1)-1), 2^(b-1)-1] (narrow) or [0, 2^b-1] (unsigned),
    divide by scale; scale = maxbound/amax in float32).

Fixed seeds: every tensor uses its own numpy Generator,
np.random.default_rng(SEED_BASE + k) with SEED_BASE = 20240611 and k listed in
TENSOR_SEEDS below. Data are drawn in float64 and then cast to float32.
The script is deterministic (re-running it reproduces byte-identical files).
"""

import json
import os
import sys
import tempfile
import warnings
from collections import OrderedDict

import numpy as np
import scipy
import scipy.stats
import torch

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
torch.manual_seed(0)

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_BASE = 20240611
TENSOR_SEEDS = {
    "gauss_outliers": 1,
    "relu": 2,
    "laplace": 3,
    "uniform_shifted": 4,
    "student_t3": 5,
    "weights_2d": 6,
    "batches": 7,
}
N = 65536
EXPECTED_VERSIONS = {
    "numpy": "2.4.6",
    "scipy": "1.17.1",
    "torch": "2.15.0",
    "onnx": "1.23.2",
    "onnxruntime": "1.32.0",
    "modelopt": "0.47.0",
}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def f(v):
    """Full-precision JSON float (repr of the Python float); non-finite -> None."""
    v = float(v)
    if not np.isfinite(v):
        return None
    return v


def i(v):
    return int(v)


def rng_for(name):
    return np.random.default_rng(SEED_BASE + TENSOR_SEEDS[name])


def save(name, arr):
    arr = np.ascontiguousarray(arr, dtype="<f4")
    np.save(os.path.join(HERE, name + ".npy"), arr)
    return arr


# --------------------------------------------------------------------------
# 1. input tensors
# --------------------------------------------------------------------------
def make_tensors():
    t = OrderedDict()

    r = rng_for("gauss_outliers")
    x = r.standard_normal(N)
    pos = r.choice(N, size=16, replace=False)
    sign = r.choice(np.array([-1.0, 1.0]), size=16)
    mag = r.uniform(20.0, 40.0, size=16)
    x[pos] = sign * mag
    t["gauss_outliers"] = save("gauss_outliers", x)

    r = rng_for("relu")
    t["relu"] = save("relu", np.maximum(0.0, r.standard_normal(N)))

    r = rng_for("laplace")
    t["laplace"] = save("laplace", r.laplace(0.0, 1.0, N))

    r = rng_for("uniform_shifted")
    t["uniform_shifted"] = save("uniform_shifted", r.uniform(-1.0, 3.0, N))

    r = rng_for("student_t3")
    t["student_t3"] = save("student_t3", r.standard_t(3, N))

    r = rng_for("weights_2d")
    sig = np.logspace(-2.0, 0.0, 64)  # 0.01 .. 1, log-spaced
    w = r.standard_normal((64, 512)) * sig[:, None]
    for row in range(0, 64, 8):  # rows 0, 8, ..., 56 get one outlier
        col = r.integers(0, 512)
        s = r.choice(np.array([-1.0, 1.0]))
        w[row, col] = s * 8.0 * sig[row]
    t["weights_2d"] = save("weights_2d", w)

    r = rng_for("batches")
    b = np.stack([r.normal(0.1 * k, 1.0 + 0.25 * k, 8192) for k in range(8)])
    t["batches"] = save("batches", b)

    t["constant"] = save("constant", np.full(1000, 0.5))
    t["zeros"] = save("zeros", np.zeros(1000))
    return t


# --------------------------------------------------------------------------
# 3a. numpy statistics
# --------------------------------------------------------------------------
def numpy_stats(x32):
    x = x32.astype(np.float64).ravel()
    ax = np.abs(x)
    mn, mx = float(x32.min()), float(x32.max())
    amax = float(np.abs(x32).max())
    mean = np.mean(x)
    p = np.percentile(ax, [99.0, 99.9, 99.99])
    with np.errstate(all="ignore"):
        kurt = scipy.stats.kurtosis(x, fisher=False)
        ratio = amax / p[0] if p[0] != 0 else float("nan")
    abs_counts, abs_edges = np.histogram(ax, bins=2048, range=(0.0, amax))
    sgn_counts, sgn_edges = np.histogram(x, bins=2048, range=(mn, mx))
    # same histograms computed on the float32 data (numpy 2 / NEP 50: float32 edges
    # and float32 arithmetic) -- recorded only as a flag
    abs32, _ = np.histogram(np.abs(x32.ravel()), bins=2048, range=(0.0, amax))
    sgn32, _ = np.histogram(x32.ravel(), bins=2048, range=(mn, mx))
    stats = OrderedDict(
        [
            ("count", int(x.size)),
            ("min", f(mn)),
            ("max", f(mx)),
            ("absmax", f(amax)),
            ("mean", f(mean)),
            ("std", f(np.std(x))),
            ("kurtosis_pearson", f(kurt)),
            ("mean_abs_dev", f(np.mean(np.abs(x - mean)))),
            ("abs_percentiles", OrderedDict([("99", f(p[0])), ("99.9", f(p[1])), ("99.99", f(p[2]))])),
            ("outlier_ratio", f(ratio)),
            (
                "abs_hist",
                OrderedDict(
                    [
                        ("bins", 2048),
                        ("range", [f(abs_edges[0]), f(abs_edges[-1])]),
                        ("float32_input_gives_same_counts", bool(np.array_equal(abs32, abs_counts))),
                        ("counts", [i(c) for c in abs_counts]),
                    ]
                ),
            ),
            (
                "signed_hist",
                OrderedDict(
                    [
                        ("bins", 2048),
                        ("range", [f(sgn_edges[0]), f(sgn_edges[-1])]),
                        ("float32_input_gives_same_counts", bool(np.array_equal(sgn32, sgn_counts))),
                        ("counts", [i(c) for c in sgn_counts]),
                    ]
                ),
            ),
        ]
    )
    return stats, abs_counts, abs_edges


# --------------------------------------------------------------------------
# 3b. pytorch_quantization-style (ModelOpt 0.47 calib.histogram)
# --------------------------------------------------------------------------
def pq_style(x32, name, np_abs_counts, np_abs_edges):
    import modelopt.torch.quantization.calib.histogram as mh
    from modelopt.torch.quantization.tensor_quant import FakeTensorQuantFunction

    orig_ftq = mh.fake_tensor_quant

    def pq_order_fake_tensor_quant(inputs, amax, num_bits=8, unsigned=False, narrow_range=True):
        # pytorch_quantization: fake_tensor_quant(inputs, amax, num_bits, unsigned, narrow_range)
        return FakeTensorQuantFunction.apply(inputs, amax, None, num_bits, unsigned, narrow_range)

    xt = torch.from_numpy(np.ascontiguousarray(x32.ravel()))

    def calib(num_bits, unsigned):
        c = mh.HistogramCalibrator(num_bits=num_bits, axis=None, unsigned=unsigned, num_bins=2048, torch_hist=True)
        c.collect(xt.clone())
        return c

    errors = OrderedDict()

    def run(fn, where):
        # A library exception is recorded (value null, message in "errors") rather than hidden.
        try:
            return f(fn())
        except Exception as e:
            errors[where] = f"{type(e).__name__}: {e}"
            return None

    out = OrderedDict()
    out["implementation"] = (
        "nvidia-modelopt 0.47.0 modelopt.torch.quantization.calib.histogram: HistogramCalibrator(torch_hist=True).collect "
        "+ compute_amax (percentile, entropy unchanged; mse with fake_tensor_quant rebound to pytorch_quantization "
        "argument order). pytorch_quantization itself not installable (PyPI stub)."
    )
    c8 = calib(8, False)
    hist = c8._calib_hist.int().cpu().numpy()
    edges = c8._calib_bin_edges.cpu().numpy()
    out["hist"] = OrderedDict(
        [
            ("source", "torch.histc(|x| as float32, bins=2048, min=0, max=max|x|); edges = torch.linspace(0, max|x|, 2049) float32"),
            ("bins", int(hist.size)),
            ("edge_first", f(edges[0])),
            ("edge_last", f(edges[-1])),
            ("same_counts_as_numpy_abs_hist", bool(np.array_equal(hist, np_abs_counts))),
            ("counts", [i(c) for c in hist]),
        ]
    )
    out["percentile"] = OrderedDict(
        (str(p), run(lambda p=p: c8.compute_amax("percentile", percentile=p), f"percentile.{p}")) for p in (99.9, 99.99, 99.999)
    )

    mse = OrderedDict()
    mh.fake_tensor_quant = pq_order_fake_tensor_quant
    try:
        mse["int8"] = run(lambda: c8.compute_amax("mse"), "mse.int8")
        mse["int4"] = run(lambda: calib(4, False).compute_amax("mse"), "mse.int4")
    finally:
        mh.fake_tensor_quant = orig_ftq
    out["mse"] = mse
    out["modelopt_0_47_unpatched_mse_int8"] = run(lambda: calib(8, False).compute_amax("mse"), "modelopt_0_47_unpatched_mse_int8")

    ent = OrderedDict()
    ent["int8"] = run(lambda: calib(8, False).compute_amax("entropy"), "entropy.int8")
    ent["int4"] = run(lambda: calib(4, False).compute_amax("entropy"), "entropy.int4")
    if name == "relu":
        ent["uint8"] = run(lambda: calib(8, True).compute_amax("entropy"), "entropy.uint8")
    out["entropy"] = ent

    # Same library functions applied to the numpy float64 |x| histogram of
    # numpy.abs_hist (counts + float64 edges np.linspace(0, absmax, 2049)).
    # Only a handful of boundary values land in a neighbouring bin compared with
    # torch.histc; these are the oracles for a Double-precision histogram.
    nh = OrderedDict()
    nh["note"] = ("ModelOpt 0.47 _compute_amax_* applied to numpy.abs_hist counts with float64 edges "
                  "np.linspace(0, absmax, 2049) (mse casts edges to float32 internally, as the library does)")
    nh["percentile"] = OrderedDict(
        (str(p), run(lambda p=p: mh._compute_amax_percentile(np_abs_counts.copy(), np_abs_edges.copy(), p),
                                 f"on_numpy_float64_hist.percentile.{p}"))
        for p in (99.9, 99.99, 99.999)
    )
    mh.fake_tensor_quant = pq_order_fake_tensor_quant
    try:
        nh["mse"] = OrderedDict(
            (k, run(lambda b=b: mh._compute_amax_mse(np_abs_counts.copy(), np_abs_edges.copy(), b, False),
                                     f"on_numpy_float64_hist.mse.{k}"))
            for k, b in (("int8", 8), ("int4", 4))
        )
    finally:
        mh.fake_tensor_quant = orig_ftq
    nh["entropy"] = OrderedDict(
        (k, run(lambda b=b, u=u: mh._compute_amax_entropy(np_abs_counts.copy(), np_abs_edges.copy(), b, u),
                                          f"on_numpy_float64_hist.entropy.{k}"))
        for k, b, u in ((("int8", 8, False), ("int4", 4, False)) + ((("uint8", 8, True),) if name == "relu" else ()))
    )
    out["on_numpy_float64_hist"] = nh
    out["errors"] = errors  # path (relative to this object) -> exception text; the value there is null
    return out


# --------------------------------------------------------------------------
# 3c. torch.ao.quantization observers
# --------------------------------------------------------------------------
def _qp(obs):
    s, z = obs.calculate_qparams()
    return s, z


def minmax_record(obs):
    s, z = _qp(obs)
    return OrderedDict(
        [
            ("min_val", f(obs.min_val)),
            ("max_val", f(obs.max_val)),
            ("scale", f(s.reshape(-1)[0])),
            ("zero_point", i(z.reshape(-1)[0])),
        ]
    )


def histogram_record(obs):
    new_min, new_max = obs._non_linear_param_search()
    s, z = _qp(obs)
    return OrderedDict(
        [
            ("min_val", f(obs.min_val)),
            ("max_val", f(obs.max_val)),
            ("new_min", f(new_min)),
            ("new_max", f(new_max)),
            ("scale", f(s.reshape(-1)[0])),
            ("zero_point", i(z.reshape(-1)[0])),
        ]
    )


def torch_observers(x32):
    from torch.ao.quantization.observer import HistogramObserver, MinMaxObserver

    xt = torch.from_numpy(np.ascontiguousarray(x32.ravel()))
    out = OrderedDict()
    for key, dt, qs in (
        ("minmax_qint8_symmetric", torch.qint8, torch.per_tensor_symmetric),
        ("minmax_quint8_affine", torch.quint8, torch.per_tensor_affine),
        ("minmax_qint8_affine", torch.qint8, torch.per_tensor_affine),
    ):
        o = MinMaxObserver(dtype=dt, qscheme=qs)
        o(xt.clone())
        out[key] = minmax_record(o)
    for key, kw in (
        ("histogram_quint8_affine", {}),
        ("histogram_qint8_symmetric", {"dtype": torch.qint8, "qscheme": torch.per_tensor_symmetric}),
    ):
        o = HistogramObserver(**kw)
        o(xt.clone())
        out[key] = histogram_record(o)
    return out


def torch_per_channel(w32):
    from torch.ao.quantization.observer import PerChannelMinMaxObserver

    wt = torch.from_numpy(np.ascontiguousarray(w32))
    out = OrderedDict()
    for key, dt, qs in (
        ("per_channel_qint8_symmetric", torch.qint8, torch.per_channel_symmetric),
        ("per_channel_quint8_affine", torch.quint8, torch.per_channel_affine),
    ):
        o = PerChannelMinMaxObserver(ch_axis=0, dtype=dt, qscheme=qs)
        o(wt.clone())
        s, z = o.calculate_qparams()
        out[key] = OrderedDict(
            [
                ("ch_axis", 0),
                ("min_val", [f(v) for v in o.min_val]),
                ("max_val", [f(v) for v in o.max_val]),
                ("scale", [f(v) for v in s]),
                ("zero_point", [i(v) for v in z]),
            ]
        )
    return out


def torch_multi_batch(b32):
    from torch.ao.quantization.observer import HistogramObserver, MinMaxObserver, MovingAverageMinMaxObserver

    out = OrderedDict()
    ema = MovingAverageMinMaxObserver(averaging_constant=0.01)  # quint8, per_tensor_affine
    mm = MinMaxObserver()  # quint8, per_tensor_affine
    hist = HistogramObserver()
    ema_trace = []
    for k in range(b32.shape[0]):
        bt = torch.from_numpy(np.ascontiguousarray(b32[k]))
        ema(bt.clone())
        mm(bt.clone())
        hist(bt.clone())
        ema_trace.append([f(ema.min_val), f(ema.max_val)])
    r = minmax_record(ema)
    r["averaging_constant"] = 0.01
    r["trace_min_max_after_each_batch"] = ema_trace
    out["moving_average_minmax_quint8_affine"] = r
    out["minmax_quint8_affine"] = minmax_record(mm)
    out["histogram_quint8_affine_reference_only"] = histogram_record(hist)
    out["per_batch_min"] = [f(b32[k].min()) for k in range(b32.shape[0])]
    out["per_batch_max"] = [f(b32[k].max()) for k in range(b32.shape[0])]
    return out


# --------------------------------------------------------------------------
# 3d. onnxruntime.quantization
# --------------------------------------------------------------------------
def ort_compute_scale_zp_table():
    from onnx import TensorProto
    from onnxruntime.quantization.quant_utils import compute_scale_zp, get_qmin_qmax_for_qType

    rmin = np.array(-1.0, dtype=np.float32)
    rmax = np.array(2.0, dtype=np.float32)
    modes = OrderedDict()
    for key, qt, sym, rr in (
        ("int8_asymmetric", TensorProto.INT8, False, False),
        ("uint8_asymmetric", TensorProto.UINT8, False, False),
        ("int8_symmetric", TensorProto.INT8, True, False),
        ("uint8_symmetric", TensorProto.UINT8, True, False),
        ("int4_asymmetric", TensorProto.INT4, False, False),
        ("int4_symmetric", TensorProto.INT4, True, False),
        ("uint4_asymmetric", TensorProto.UINT4, False, False),
        ("uint4_symmetric", TensorProto.UINT4, True, False),
        ("int8_asymmetric_reduce_range", TensorProto.INT8, False, True),
        ("uint8_asymmetric_reduce_range", TensorProto.UINT8, False, True),
    ):
        qmin, qmax = get_qmin_qmax_for_qType(qt, reduce_range=rr, symmetric=sym)
        z, s = compute_scale_zp(rmin, rmax, qmin, qmax, symmetric=sym)
        modes[key] = OrderedDict(
            [
                ("qmin", i(qmin)),
                ("qmax", i(qmax)),
                ("symmetric", sym),
                ("reduce_range", rr),
                ("scale", f(s)),
                ("scale_dtype", str(np.asarray(s).dtype)),
                ("zero_point", i(z)),
            ]
        )
    # degenerate range, REFERENCE 1.2 / 2.8
    qmin, qmax = get_qmin_qmax_for_qType(TensorProto.INT8)
    z, s = compute_scale_zp(np.array(0.0, np.float32), np.array(0.0, np.float32), qmin, qmax)
    modes["int8_asymmetric_zero_range_0_0"] = OrderedDict(
        [("qmin", i(qmin)), ("qmax", i(qmax)), ("symmetric", False), ("reduce_range", False),
         ("rmin", 0.0), ("rmax", 0.0), ("scale", f(s)), ("scale_dtype", str(np.asarray(s).dtype)), ("zero_point", i(z))]
    )
    return OrderedDict([("rmin", -1.0), ("rmax", 2.0), ("input_dtype", "float32"), ("modes", modes)])


class _OneBatchReader:
    def __init__(self, arr):
        self.items = [{"x": arr}]

    def get_next(self):
        return self.items.pop(0) if self.items else None


def _tiny_model(path):
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N"])
    node = helper.make_node("Identity", ["x"], ["y"], name="id0")
    g = helper.make_graph([node], "calib_probe", [x], [y])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], producer_name="quantbench-fixtures")
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, path)


def ort_calibrators(x32, tmpdir):
    from onnxruntime.quantization.calibrate import CalibrationMethod, create_calibrator

    model_path = os.path.join(tmpdir, "probe.onnx")
    if not os.path.exists(model_path):
        _tiny_model(model_path)
    arr = np.ascontiguousarray(x32.ravel(), dtype=np.float32)
    configs = (
        ("minmax", CalibrationMethod.MinMax, {"symmetric": False}),
        ("minmax_symmetric", CalibrationMethod.MinMax, {"symmetric": True}),
        ("percentile_99.99_symmetric", CalibrationMethod.Percentile, {"num_bins": 2048, "percentile": 99.99, "symmetric": True}),
        ("percentile_99.999_symmetric", CalibrationMethod.Percentile, {"num_bins": 2048, "percentile": 99.999, "symmetric": True}),
        ("entropy_2048_128", CalibrationMethod.Entropy, {"num_bins": 2048, "num_quantized_bins": 128}),
    )
    out = OrderedDict()
    for key, method, opts in configs:
        cal = create_calibrator(
            model_path,
            None,
            augmented_model_path=os.path.join(tmpdir, f"aug_{key}.onnx"),
            calibrate_method=method,
            providers=["CPUExecutionProvider"],
            extra_options=dict(opts),
        )
        cal.collect_data(_OneBatchReader(arr.copy()))
        td = cal.compute_data()
        lo, hi = td["x"].range_value
        lo_y, hi_y = td["y"].range_value
        rec = OrderedDict([("low", f(np.asarray(lo).reshape(-1)[0])), ("high", f(np.asarray(hi).reshape(-1)[0]))])
        same = (float(np.asarray(lo).reshape(-1)[0]) == float(np.asarray(lo_y).reshape(-1)[0])) and (
            float(np.asarray(hi).reshape(-1)[0]) == float(np.asarray(hi_y).reshape(-1)[0])
        )
        rec["output_y_same"] = bool(same)
        out[key] = rec
        if hasattr(cal, "clear_collected_data"):
            cal.clear_collected_data()
        del cal
    return out


ORT_CALIBRATOR_OPTIONS = OrderedDict(
    [
        ("minmax", {"calibrate_method": "MinMax", "symmetric": False}),
        ("minmax_symmetric", {"calibrate_method": "MinMax", "symmetric": True}),
        ("percentile_99.99_symmetric", {"calibrate_method": "Percentile", "num_bins": 2048, "percentile": 99.99, "symmetric": True}),
        ("percentile_99.999_symmetric", {"calibrate_method": "Percentile", "num_bins": 2048, "percentile": 99.999, "symmetric": True}),
        ("entropy_2048_128", {"calibrate_method": "Entropy", "num_bins": 2048, "num_quantized_bins": 128}),
    ]
)


# --------------------------------------------------------------------------
# sanity checks: independent numpy re-computations + REFERENCE.md values
# --------------------------------------------------------------------------
def _kl_amax_independent(counts, edges, num_bits, unsigned):
    """Vectorised re-implementation of REFERENCE 2.3 (pytorch_quantization variant)."""
    from scipy.stats import entropy

    b = np.asarray(counts, dtype=np.int64).copy()
    b[0] = b[1]
    nq = 1 << (num_bits - 1 + int(unsigned))
    divs = []
    for n in range(128, len(b) + 1):
        grp = np.digitize(np.arange(n), np.linspace(0, n, nq + 1)) - 1
        nz = b[:n] != 0
        tot = np.bincount(grp[nz], weights=b[:n][nz], minlength=nq)
        cnt = np.bincount(grp[nz], minlength=nq)
        q = np.zeros(n)
        q[nz] = tot[grp[nz]] / cnt[grp[nz]]
        pp = b[:n].astype(np.float64)
        pp[-1] += b[n:].sum()
        divs.append(entropy(pp, q))
    divs = np.asarray(divs)
    last = len(divs) - 1 - np.argmin(divs[::-1])
    return float(np.float32(edges[last + 128]))


def _mse_amax_independent(counts, edges32, num_bits):
    h = np.asarray(counts, dtype=np.float64)
    e = np.asarray(edges32, dtype=np.float64)
    c = (e[1:] + e[:-1]) / 2
    mb = 2 ** (num_bits - 1) - 1
    errs = []
    for k in range(128, len(c)):
        s = mb / c[k]
        qc = np.clip(np.round(c * s), -mb, mb) / s
        errs.append(np.sum(h * (qc - c) ** 2))
    return float(np.float32(c[128 + int(np.argmin(errs))]))


def sanity_checks(doc, tensors):
    checks = []

    def add(name, ok, detail=""):
        checks.append(OrderedDict([("check", name), ("passed", bool(ok)), ("detail", detail)]))
        print(f"  sanity {'OK  ' if ok else 'FAIL'} {name} {detail}", file=sys.stderr)

    # REFERENCE 1.2 table (rmin=-1, rmax=2)
    ref = {
        "int8_asymmetric": (3 / 255, -43), "uint8_asymmetric": (3 / 255, 85),
        "int8_symmetric": (2 / 127, 0), "uint8_symmetric": (4 / 255, 128),
        "int4_asymmetric": (0.2, -3), "int4_symmetric": (4 / 15, 0),
        "int8_asymmetric_reduce_range": (0.0234375, -21),
    }
    modes = doc["ort_compute_scale_zp"]["modes"]
    for k, (sc, zp) in ref.items():
        got = modes[k]
        add(f"ORT compute_scale_zp {k} matches REFERENCE 1.2",
            abs(got["scale"] - sc) <= 1e-7 * sc and got["zero_point"] == zp,
            f"scale={got['scale']} zp={got['zero_point']} ref=({sc}, {zp})")

    for name, rec in doc["tensors"].items():
        x = tensors[name].ravel()
        pq = rec["pytorch_quantization"]
        counts = np.asarray(pq["hist"]["counts"], dtype=np.int64)
        amax32 = np.float32(np.abs(x).max())
        edges32 = torch.linspace(0, float(amax32), 2049).numpy()
        if counts.sum() > 0 and amax32 > 0:
            cdf = np.cumsum(counts / counts.sum())
            ok = all(
                float(edges32[np.searchsorted(cdf, p / 100)]) == pq["percentile"][str(p)] for p in (99.9, 99.99, 99.999)
            )
            add(f"{name}: pq percentile = LOWER edge of first bin with CDF >= p/100", ok)
            m8, m4 = _mse_amax_independent(counts, edges32, 8), _mse_amax_independent(counts, edges32, 4)
            add(f"{name}: pq mse int8/int4 = independent float64 numpy search", m8 == pq["mse"]["int8"] and m4 == pq["mse"]["int4"],
                f"indep=({m8}, {m4})")
            k8 = _kl_amax_independent(counts, edges32, 8, False)
            add(f"{name}: pq entropy int8 = independent vectorised KL", k8 == pq["entropy"]["int8"], f"indep={k8}")
        t = rec["torch"]
        o = rec["onnxruntime"]
        add(f"{name}: ORT MinMax range == torch MinMaxObserver min/max",
            o["minmax"]["low"] == t["minmax_quint8_affine"]["min_val"] and o["minmax"]["high"] == t["minmax_quint8_affine"]["max_val"])
        mn, mx = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
        s = max((mx - mn) / 255.0, float(np.finfo(np.float32).eps))
        z = int(np.clip(0 - np.round(mn / s), 0, 255))
        got = t["minmax_quint8_affine"]
        add(f"{name}: torch quint8 affine qparams = REFERENCE 1.1 formula",
            abs(got["scale"] - s) <= 1e-6 * s and got["zero_point"] == z, f"formula=({s}, {z})")

    g = doc["tensors"]["gauss_outliers"]["onnxruntime"]["percentile_99.999_symmetric"]
    add("ORT percentile 'symmetric' range comes back asymmetric after clamping (REFERENCE 2.2 quirk)",
        g["low"] != -g["high"], f"gauss_outliers 99.999: ({g['low']}, {g['high']})")
    e = doc["tensors"]["relu"]
    add("ORT Entropy(2048,128) differs from pytorch_quantization KL (REFERENCE 2.8)",
        e["onnxruntime"]["entropy_2048_128"]["high"] != e["pytorch_quantization"]["entropy"]["int8"],
        f"relu: ORT high={e['onnxruntime']['entropy_2048_128']['high']} vs pq={e['pytorch_quantization']['entropy']['int8']}")

    # EMA (REFERENCE 1.1): m <- m + c (m_batch - m), first batch initialises (float64 recompute)
    b = tensors["batches"]
    mb = doc["multi_batch"]["batches"]["moving_average_minmax_quint8_affine"]
    lo, hi = float(b[0].min()), float(b[0].max())
    for k in range(1, b.shape[0]):
        lo += 0.01 * (float(b[k].min()) - lo)
        hi += 0.01 * (float(b[k].max()) - hi)
    add("MovingAverageMinMaxObserver = EMA formula (float64 recompute, rel 1e-6)",
        abs(mb["min_val"] - lo) <= 1e-6 * abs(lo) and abs(mb["max_val"] - hi) <= 1e-6 * abs(hi), f"formula=({lo}, {hi})")
    return checks


# --------------------------------------------------------------------------
def versions():
    import importlib.metadata as md

    import onnx
    import onnxruntime

    v = OrderedDict(
        [
            ("python", sys.version.split()[0]),
            ("numpy", np.__version__),
            ("scipy", scipy.__version__),
            ("torch", torch.__version__),
            ("onnx", onnx.__version__),
            ("onnxruntime", onnxruntime.__version__),
            ("modelopt", md.version("nvidia-modelopt")),
        ]
    )
    try:
        v["ml_dtypes"] = md.version("ml_dtypes")
    except Exception:
        pass
    for k, want in EXPECTED_VERSIONS.items():
        if not str(v.get(k, "")).startswith(want):
            print(f"WARNING: {k} {v.get(k)} differs from the recorded {want}", file=sys.stderr)
    return v


def main():
    tensors = make_tensors()
    per_tensor_names = [
        "gauss_outliers", "relu", "laplace", "uniform_shifted", "student_t3",
        "weights_2d", "batches", "constant", "zeros",
    ]
    doc = OrderedDict()
    doc["meta"] = OrderedDict(
        [
            ("generator", "generate.py (this directory)"),
            ("versions", versions()),
            ("seed_base", SEED_BASE),
            ("tensor_seeds", OrderedDict((k, SEED_BASE + v) for k, v in TENSOR_SEEDS.items())),
            ("float_encoding", "JSON numbers are Python repr of the float64 value (float32 results are converted exactly); "
                               "null = non-finite (NaN/inf) value"),
            ("ort_calibrator_options", ORT_CALIBRATOR_OPTIONS),
            ("ort_model", "input x (float32 [N]) -> Identity -> y, opset 17, ir_version 8; one collect_data call with one batch "
                          "{'x': whole tensor flattened}; range reported for tensor 'x'"),
            ("notes", "See README.md. 'tensors' entries for weights_2d and batches are the FLATTENED tensor (per-tensor)."),
        ]
    )
    doc["tensors"] = OrderedDict()
    with tempfile.TemporaryDirectory() as tmp:
        for name in per_tensor_names:
            x = tensors[name]
            print(f"[{name}] numpy", file=sys.stderr, flush=True)
            stats, abs_counts, abs_edges = numpy_stats(x)
            rec = OrderedDict()
            rec["file"] = name + ".npy"
            rec["shape"] = list(x.shape)
            rec["flattened"] = x.ndim > 1
            rec["numpy"] = stats
            print(f"[{name}] pytorch_quantization-style", file=sys.stderr, flush=True)
            rec["pytorch_quantization"] = pq_style(x, name, abs_counts, abs_edges)
            print(f"[{name}] torch observers", file=sys.stderr, flush=True)
            rec["torch"] = torch_observers(x)
            print(f"[{name}] onnxruntime", file=sys.stderr, flush=True)
            rec["onnxruntime"] = ort_calibrators(x, tmp)
            doc["tensors"][name] = rec
    doc["per_channel"] = OrderedDict([("weights_2d", torch_per_channel(tensors["weights_2d"]))])
    doc["multi_batch"] = OrderedDict([("batches", torch_multi_batch(tensors["batches"]))])
    doc["ort_compute_scale_zp"] = ort_compute_scale_zp_table()

    print("sanity checks", file=sys.stderr)
    doc["meta"]["sanity_checks"] = sanity_checks(doc, tensors)

    path = os.path.join(HERE, "expected.json")
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
