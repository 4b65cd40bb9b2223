#!/usr/bin/env python3
"""The quickstart grid done the way a Python user would do it today: a loop over ONNX Runtime's
`quantize_static` (QDQ) and an `InferenceSession` per cell.

QuantBench's `Experiments/quickstart.md` sweeps digits-cnn over calibrators {minmax, percentile,
mse, kl} x weight granularity {per-tensor, per-channel} x weights {int8, int4, fp8-e4m3}, with
int8 static per-tensor activations, 256 calibration images and 1541 evaluation images. This
script runs the cells ONNX Runtime can express (mse has no ORT counterpart) and times each one:

1. once, not part of any cell: load the checkpoint, export it to ONNX (opset 17, the highest the
   TorchScript exporter of every torch we met supports) and convert it to opset 21 (the first
   with int4 QuantizeLinear/DequantizeLinear; fp8 needs 19); score FP32 with torch and with ORT;
2. per cell, timed as "quantize": a fresh CalibrationDataReader over the 256 calibration images
   (batches of 64, as QuantBench's digits task observes them) and `quantize_static(...)`, which
   writes the QDQ model to a temporary folder;
3. per cell and per thread count, timed as "evaluate": an `InferenceSession` on that file with
   `intra_op_num_threads = N`, the 1541 evaluation images in batches of 64, argmax, top-1
   accuracy and agreement with ORT's FP32 predictions;
4. per cell, untimed: the same model scored with session.disable_quant_qdq = 1 (DequantizeLinear
   into float Conv/Gemm: fake quantization, QuantBench's arithmetic, not ORT's integer kernels).

Calibrator mapping (benchmarks/README.md explains each choice):
  minmax     -> CalibrationMethod.MinMax
  percentile -> CalibrationMethod.Percentile with CalibPercentile = 99.99 (ours; ORT's default
                is 99.999, `--ort-percentile-default` uses it)
  kl         -> CalibrationMethod.Entropy (quantize_static cannot change its num_bins = 128, so
                it returns the full observed range: in effect MinMax)
  kl-2048    -> not a quickstart cell: ORT's Entropy with num_bins = 2048, run by hand
  mse        -> none
Activations: QInt8 with ActivationSymmetric = True (ORT then uses [-127, 127], z = 0: our int8).
Weights: int8 -> QInt8, int4 -> QInt4 (opset 21), fp8-e4m3 -> QInt8 plus a TensorQuantOverrides
entry per weight with quant_type = QFLOAT8E4M3FN, and "axis": 0 when per-channel
(`weight_type = QFLOAT8E4M3FN` is refused with int8 activations).
Q/DQ placement: quantize_static's own by default; `--placement inputs` quantizes only the
activation inputs of Conv and Gemm, as QuantBench does.

Usage (see benchmarks/README.md for the venv):
  python benchmarks/ort_quickstart.py                      # 18 cells, threads 1 and 2
  python benchmarks/ort_quickstart.py --repeats 3          # median of 3 passes per cell
  python benchmarks/ort_quickstart.py --cells 'minmax/*' --threads 2 --output run.json
"""
import argparse
import copy
import fnmatch
import gzip
import importlib.util
import inspect
import io
import json
import logging
import os
import platform
import sys
import tempfile
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(ROOT, "Tests", "QuantModelsTests", "Fixtures", "digits")
DEFAULT_OUTPUT = os.path.join(HERE, "results", "ort_quickstart.json")

# Our calibrator names; mse has no ORT counterpart. kl-2048 is not a quickstart cell: it is ORT's
# Entropy with the 2048 bins REFERENCE.md §2.3 asks for, which quantize_static cannot set, so the
# script runs the calibrator itself and hands its ranges over through calibration_cache_path.
CALIBRATORS = ["minmax", "percentile", "kl", "kl-2048"]
ORT_NAMES = {"minmax": "MinMax", "percentile": "Percentile", "kl": "Entropy", "kl-2048": "Entropy"}
DEFAULT_CELLS = "minmax/*,percentile/*,kl/*"
GRANULARITIES = ["per-tensor", "per-channel"]
WEIGHT_FORMATS = ["int8", "int4", "fp8-e4m3"]
OMITTED = {
    "mse": "no ORT counterpart: ORT's calibrators are MinMax, Entropy, Percentile and Distribution "
    "(Distribution is the FP8 std-matching heuristic, and quantize_static allows it only when the "
    "activations are FP8 as well); none searches the clipping threshold for the least squared error",
}
OUR_FP32_TOP1 = 0.8812  # README.md, "Models": digits-cnn top-1 on the 1541-image evaluation split


# ---------------------------------------------------------------------------------------------
# Data and model


def load_fixture_helpers():
    """The split and preprocessing of Tests/QuantModelsTests/Fixtures/digits/make_digits_fixtures.py
    (the numpy oracle the Swift tests check DigitsSplit and DigitsPreprocessing against)."""
    path = os.path.join(FIXTURES, "make_digits_fixtures.py")
    spec = importlib.util.spec_from_file_location("make_digits_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def find_assets(explicit):
    """--assets, else $QUANTBENCH_ASSETS, else .assets in this checkout, else .assets of the main
    work tree when this is a git worktree (assets are not committed)."""
    candidates = [explicit, os.environ.get("QUANTBENCH_ASSETS"), os.path.join(ROOT, ".assets")]
    git = os.path.join(ROOT, ".git")
    if os.path.isfile(git):  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
        with open(git) as f:
            gitdir = f.read().strip().split("gitdir:", 1)[-1].strip()
        candidates.append(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(gitdir))), ".assets"))
    for candidate in candidates:
        if candidate and os.path.isfile(os.path.join(candidate, "digits-cnn", "handwriting_model.pth")):
            return os.path.abspath(candidate)
    sys.exit("digits-cnn assets not found: run scripts/setup (quantbench fetch-assets), or pass --assets DIR "
             "or set QUANTBENCH_ASSETS (looked in: %s)" % ", ".join(c for c in candidates if c))


def load_digits(assets, helpers, seed):
    path = os.path.join(assets, "sklearn-digits", "digits.csv.gz")
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    pixels = table[:, :64].astype(np.int64)
    labels = table[:, 64].astype(np.int64)
    calibration, evaluation = helpers.split(len(labels), seed)
    check = None
    expected_path = os.path.join(FIXTURES, "expected.json")
    if os.path.isfile(expected_path):
        with open(expected_path) as f:
            expected = json.load(f)["splits"].get(str(seed))
        if expected is not None:
            check = expected["calibration"] == calibration and expected["evaluation_sha256"] == helpers.digest(evaluation)
            if not check:
                sys.exit("the split does not match Tests/QuantModelsTests/Fixtures/digits/expected.json")
    return {
        "calibration_images": helpers.preprocess(pixels[calibration]),
        "calibration_labels": labels[calibration],
        "evaluation_images": helpers.preprocess(pixels[evaluation]),
        "evaluation_labels": labels[evaluation],
        "split_matches_fixture": check,
    }


def build_torch_model(checkpoint):
    """DigitsCNN (Sources/QuantModels/Zoo/DigitsCNN.swift) with the checkpoint's layer names."""
    import torch
    from torch import nn

    class DigitsCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv_layers = nn.Sequential(
                nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
            self.fc_layers = nn.Sequential(nn.Linear(128 * 3 * 3, 256), nn.ReLU(), nn.Linear(256, 10))

        def forward(self, x):
            return self.fc_layers(torch.flatten(self.conv_layers(x), 1))

    model = DigitsCNN()
    state = torch.load(checkpoint, map_location="cpu")
    model.load_state_dict(state, strict=True)
    return model.eval()


def export_onnx(model, path, export_opset, target_opset):
    """torch.onnx.export at `export_opset` (the TorchScript exporter: torch 1.13 reaches 17, torch
    2.x's legacy exporter 20), then onnx.version_converter up to `target_opset`."""
    import onnx
    import torch
    from onnx import version_converter

    kwargs = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the torch.export exporter needs onnxscript; the result is the same graph
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (torch.zeros(1, 1, 28, 28),), path, opset_version=export_opset, input_names=["input"],
            output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, **kwargs)
    exported = time.perf_counter()
    proto = onnx.load(path)
    if target_opset > export_opset:
        proto = version_converter.convert_version(proto, target_opset)
        onnx.checker.check_model(proto)
        onnx.save(proto, path)
    converted = time.perf_counter()
    return {
        "export_opset": export_opset,
        "opset": target_opset,
        "export_s": exported - start,
        "convert_s": converted - exported,
        "nodes": [n.op_type for n in proto.graph.node],
    }


def weight_initializers(path):
    """Names of the Conv / Gemm / MatMul weight initializers, in graph order."""
    import onnx

    proto = onnx.load(path)
    initializers = {i.name for i in proto.graph.initializer}
    return [n.input[1] for n in proto.graph.node if n.op_type in ("Conv", "Gemm", "MatMul") and n.input[1] in initializers]


# ---------------------------------------------------------------------------------------------
# ONNX Runtime


def make_reader(images, batch, input_name):
    from onnxruntime.quantization import CalibrationDataReader

    class DigitsReader(CalibrationDataReader):
        def __init__(self):
            self.batches = [images[i:i + batch] for i in range(0, len(images), batch)]
            self.next_index = 0

        def get_next(self):
            if self.next_index >= len(self.batches):
                return None
            self.next_index += 1
            return {input_name: self.batches[self.next_index - 1]}

        def __len__(self):
            return len(self.batches)

    return DigitsReader()


def session(path, threads, disable_qdq_fusion=False):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    if disable_qdq_fusion:
        options.add_session_config_entry("session.disable_quant_qdq", "1")
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def predict(sess, images, batch):
    name = sess.get_inputs()[0].name
    logits = [sess.run(None, {name: images[i:i + batch]})[0] for i in range(0, len(images), batch)]
    return np.concatenate(logits)


def quantize_cell(cell, fp32_path, out_path, data, weights, settings):
    """One quantize_static call, as a user would write it for this cell."""
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    method = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile,
              "kl": CalibrationMethod.Entropy, "kl-2048": CalibrationMethod.Entropy}[cell["calibrator"]]
    per_channel = cell["granularity"] == "per-channel"
    extra = {"ActivationSymmetric": True, "WeightSymmetric": True}
    if cell["calibrator"] == "percentile" and settings["percentile"] is not None:
        extra["CalibPercentile"] = settings["percentile"]
    weight_type = {"int8": QuantType.QInt8, "int4": QuantType.QInt4, "fp8-e4m3": QuantType.QInt8}[cell["weights"]]
    if cell["weights"] == "fp8-e4m3":
        if settings["fp8_weight_type"]:
            weight_type = QuantType.QFLOAT8E4M3FN  # what the docs suggest; refused with int8 activations
        else:
            override = {"quant_type": QuantType.QFLOAT8E4M3FN}
            if per_channel:
                override["axis"] = 0  # without it the override silently stays per-tensor
            extra["TensorQuantOverrides"] = {name: [dict(override)] for name in weights}
    op_types = None  # ORT's default: every operator it has a quantizer for
    if settings["placement"] == "inputs":
        op_types = ["Conv", "Gemm"]
        extra["OpTypesToExcludeOutputQuantization"] = ["Conv", "Gemm"]
    reader = make_reader(data["calibration_images"], settings["calibration_batch"], "input")
    cache = None
    if cell["calibrator"] == "kl-2048":
        cache = calibrate_entropy_2048(fp32_path, reader, op_types, os.path.dirname(out_path))
        reader = None
    quantize_static(
        fp32_path, out_path, reader, quant_format=QuantFormat.QDQ, activation_type=QuantType.QInt8,
        weight_type=weight_type, per_channel=per_channel, calibrate_method=method, op_types_to_quantize=op_types,
        extra_options=extra, calibration_cache_path=cache)
    return extra


def calibrate_entropy_2048(fp32_path, reader, op_types, workdir):
    """ORT's EntropyCalibrater with num_bins = 2048 and num_quantized_bins = 128, run by hand (the
    keys quantize_static forwards to create_calibrator do not include num_bins), its ranges saved
    where quantize_static(calibration_cache_path=...) reads them instead of calibrating."""
    from onnxruntime.quantization import CalibrationMethod, create_calibrator
    from onnxruntime.quantization.calibrate import save_tensors_data
    from onnxruntime.quantization.registry import QDQRegistry, QLinearOpsRegistry

    if op_types is None:  # what quantize_static calibrates by default
        op_types = list(set(QLinearOpsRegistry.keys()) | set(QDQRegistry.keys()))
    with tempfile.TemporaryDirectory(prefix="ort.calib.") as tmp:
        calibrator = create_calibrator(
            fp32_path, op_types, augmented_model_path=os.path.join(tmp, "augmented.onnx"),
            calibrate_method=CalibrationMethod.Entropy, extra_options={"num_bins": 2048, "num_quantized_bins": 128})
        calibrator.collect_data(reader)
        ranges = calibrator.compute_data()
        del calibrator
    cache = os.path.join(workdir, "entropy2048_%d.json" % os.getpid())
    if os.path.exists(cache):
        os.remove(cache)
    save_tensors_data(ranges, cache)
    return cache


def describe_model(path, weights):
    """Activation scales and weight types of a quantized model (read after the timing)."""
    import onnx
    from onnx import numpy_helper

    proto = onnx.load(path)
    inits = {i.name: i for i in proto.graph.initializer}
    activation_scales, weight_types, weight_scale_counts = {}, {}, {}
    for node in proto.graph.node:
        if node.op_type == "QuantizeLinear" and node.input[1] in inits:
            activation_scales[node.input[0]] = float(numpy_helper.to_array(inits[node.input[1]]))
        if node.op_type == "DequantizeLinear" and node.input[0] in inits:
            source = node.input[0].rsplit("_quantized", 1)[0]
            if source in weights:
                weight_types[source] = onnx.TensorProto.DataType.Name(inits[node.input[0]].data_type)
                weight_scale_counts[source] = int(numpy_helper.to_array(inits[node.input[1]]).size)
    return {
        "opset": max((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), default=None),
        "activation_scales": activation_scales,
        "weight_types": weight_types,
        "weight_scales_per_tensor": weight_scale_counts,
    }


def error_text(exc):
    text = "%s: %s" % (type(exc).__name__, str(exc).strip())
    return text if len(text) <= 600 else text[:600] + " ..."


def run_cell(cell, fp32_path, data, weights, fp32_predictions, settings, workdir, fake_quant=True):
    """Quantizes one cell and evaluates it once per thread count. Times are wall seconds (`_s`)
    and this process's CPU seconds over all its threads (`_cpu_s`)."""
    row = dict(cell)
    row["ort_calibrator"] = ORT_NAMES[cell["calibrator"]]
    out_path = os.path.join(workdir, cell["id"].replace("/", "_") + ".onnx")
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        extra = quantize_cell(cell, fp32_path, out_path, data, weights, settings)
    except Exception as exc:  # recorded, the loop goes on
        row["quantize_s"], row["quantize_cpu_s"] = time.perf_counter() - start, time.process_time() - cpu_start
        row["error"] = {"phase": "quantize_static", "message": error_text(exc)}
        return row
    row["quantize_s"], row["quantize_cpu_s"] = time.perf_counter() - start, time.process_time() - cpu_start
    row["extra_options"] = {k: (v if k != "TensorQuantOverrides" else
                                {n: [{kk: str(vv) for kk, vv in o.items()} for o in os_] for n, os_ in v.items()})
                            for k, v in extra.items()}
    row["quantized_model"] = describe_model(out_path, weights)
    fp8 = cell["weights"] == "fp8-e4m3"
    row["evaluations"] = {}
    for threads in settings["threads"]:
        evaluation = {}
        start, cpu_start = time.perf_counter(), time.process_time()
        phase = "InferenceSession"
        try:
            sess = session(out_path, threads, disable_qdq_fusion=fp8 and settings["fp8_disable_qdq_fusion"])
            evaluation["session_s"] = time.perf_counter() - start
            phase = "run"
            logits = predict(sess, data["evaluation_images"], settings["evaluation_batch"])
            predicted = logits.argmax(1)
        except Exception as exc:
            evaluation["evaluate_s"] = time.perf_counter() - start
            evaluation["evaluate_cpu_s"] = time.process_time() - cpu_start
            evaluation["error"] = {"phase": phase, "message": error_text(exc)}
            row["evaluations"][str(threads)] = evaluation
            continue
        evaluation["evaluate_s"] = time.perf_counter() - start
        evaluation["evaluate_cpu_s"] = time.process_time() - cpu_start
        evaluation["run_s"] = evaluation["evaluate_s"] - evaluation["session_s"]
        evaluation["top1"] = float((predicted == data["evaluation_labels"]).mean())
        evaluation["agreement"] = float((predicted == fp32_predictions).mean())
        evaluation["total_s"] = row["quantize_s"] + evaluation["evaluate_s"]
        evaluation["total_cpu_s"] = row["quantize_cpu_s"] + evaluation["evaluate_cpu_s"]
        row["evaluations"][str(threads)] = evaluation
        del sess
    errors = [e["error"] for e in row["evaluations"].values() if "error" in e]
    if errors:
        row["error"] = errors[0]
    elif fake_quant and not (fp8 and settings["fp8_disable_qdq_fusion"]):
        # Untimed: the same model with ORT's QDQ fusion off, so every DequantizeLinear feeds a
        # float Conv/Gemm (fake quantization, QuantBench's arithmetic) instead of ORT's integer
        # QLinearConv/QGemm kernels. It separates ORT's kernels from the quantization itself.
        sess = session(out_path, max(settings["threads"]), disable_qdq_fusion=True)
        predicted = predict(sess, data["evaluation_images"], settings["evaluation_batch"]).argmax(1)
        row["fake_quant"] = {"top1": float((predicted == data["evaluation_labels"]).mean()),
                             "agreement": float((predicted == fp32_predictions).mean())}
    return row


# ---------------------------------------------------------------------------------------------
# Driver


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", default=DEFAULT_CELLS,
                        help="comma-separated glob patterns over cell ids CALIBRATOR/GRANULARITY/WEIGHTS, e.g. "
                        "'minmax/*,kl/per-channel/int4'; calibrators minmax, percentile, kl and kl-2048 (ORT Entropy "
                        "with 2048 bins, not a quickstart cell) (default: %(default)s, the 18 quickstart cells)")
    parser.add_argument("--threads", default=None,
                        help="intra_op_num_threads of the evaluation sessions, a comma-separated list: each cell "
                        "is quantized once and evaluated once per entry (default: 1 and the machine's core count)")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="JSON file to write ('-' for stdout; default %(default)s)")
    parser.add_argument("--assets", default=None, help="folder holding digits-cnn/ and sklearn-digits/ (default: $QUANTBENCH_ASSETS or .assets)")
    parser.add_argument("--seed", type=int, default=0, help="split seed (default 0: 256 calibration / 1541 evaluation images)")
    parser.add_argument("--calibration-batch", type=int, default=64, help="images per CalibrationDataReader batch (default 64)")
    parser.add_argument("--evaluation-batch", type=int, default=64, help="images per InferenceSession.run (default 64)")
    parser.add_argument("--ort-percentile-default", action="store_true",
                        help="leave CalibPercentile unset (ORT's 99.999) instead of our 99.99")
    parser.add_argument("--fp8-weight-type", action="store_true",
                        help="fp8 cells pass weight_type=QFLOAT8E4M3FN (as documented) instead of the override workaround, "
                        "to show ORT's error")
    parser.add_argument("--fp8-disable-qdq-fusion", action="store_true",
                        help="score fp8 cells with session.disable_quant_qdq=1 (older ORT releases fused FP8 QDQ into "
                        "kernels they could not load; ORT 1.32 loads and runs these models without it)")
    parser.add_argument("--placement", choices=["ort", "inputs"], default="ort",
                        help="ort (default): quantize_static's own Q/DQ placement (every supported op's inputs and "
                        "outputs: Conv, Relu, MaxPool, Flatten, Gemm, the logits); inputs: only the activation inputs "
                        "of Conv and Gemm, as QuantBench quantizes (op_types_to_quantize=[Conv, Gemm] and "
                        "OpTypesToExcludeOutputQuantization=[Conv, Gemm])")
    parser.add_argument("--repeats", type=int, default=1,
                        help="run the whole loop over the cells this many times; each cell then reports the median "
                        "(and *_min) of its times, 'totals' sums the medians and 'totals_per_pass' gives each loop's "
                        "own sums (default 1)")
    parser.add_argument("--keep-models", default=None, help="keep the exported and quantized models in this folder")
    return parser.parse_args(argv)


def select_cells(patterns):
    cells = []
    for calibrator in CALIBRATORS:
        for granularity in GRANULARITIES:
            for weights in WEIGHT_FORMATS:
                cell_id = "%s/%s/%s" % (calibrator, granularity, weights)
                if any(fnmatch.fnmatchcase(cell_id, p.strip()) for p in patterns.split(",") if p.strip()):
                    cells.append({"id": cell_id, "calibrator": calibrator, "granularity": granularity, "weights": weights})
    return cells


def versions():
    import onnx
    import onnxruntime
    import torch

    result = {"python": platform.python_version(), "numpy": np.__version__, "torch": torch.__version__,
              "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__}
    try:
        import ml_dtypes
        result["ml_dtypes"] = ml_dtypes.__version__
    except ImportError:
        pass
    return result


TIMINGS = ("quantize_s", "quantize_cpu_s")
EVALUATION_TIMINGS = ("session_s", "run_s", "evaluate_s", "evaluate_cpu_s", "total_s", "total_cpu_s")


def merge_repeats(passes):
    """One row per cell: the first pass's row with each time replaced by the median over the
    passes, `<name>_min` beside it, every pass's times under `repeats`, and the first error of
    any pass. Accuracy comes from the first pass (`top1_same_every_pass` checks the others)."""
    if len(passes) == 1:
        return passes[0]
    merged = []
    for index, first in enumerate(passes[0]):
        runs = [p[index] for p in passes]
        row = copy.deepcopy(first)
        row["repeats"] = []
        for run in runs:
            entry = {k: run[k] for k in TIMINGS if k in run}
            entry["evaluations"] = {t: {k: e[k] for k in EVALUATION_TIMINGS if k in e}
                                    for t, e in run.get("evaluations", {}).items()}
            row["repeats"].append(entry)
        for key in TIMINGS:
            values = [run[key] for run in runs]
            row[key], row[key + "_min"] = float(np.median(values)), min(values)
        for t, evaluation in row.get("evaluations", {}).items():
            for key in EVALUATION_TIMINGS:
                values = [run["evaluations"][t][key] for run in runs if key in run.get("evaluations", {}).get(t, {})]
                if values:
                    evaluation[key], evaluation[key + "_min"] = float(np.median(values)), min(values)
            tops = {run["evaluations"][t].get("top1") for run in runs if t in run.get("evaluations", {})}
            evaluation["top1_same_every_pass"] = len(tops) == 1
        errors = [run["error"] for run in runs if "error" in run]
        if errors and "error" not in row:
            row["error"] = errors[0]
        merged.append(row)
    return merged


def summarize(rows, thread_counts):
    """Per thread count: sums over the cells that quantized and evaluated without error, and the
    time spent on cells that failed (a user pays it too)."""
    totals = {}
    for threads in thread_counts:
        key = str(threads)
        ok = [r for r in rows if "error" not in r]
        failed = [r for r in rows if "error" in r]
        total = {"cells": len(rows), "cells_ok": len(ok), "failed": [r["id"] for r in failed]}
        for unit in ("s", "cpu_s"):
            total["quantize_" + unit] = sum(r["quantize_" + unit] for r in ok)
            total["evaluate_" + unit] = sum(r["evaluations"][key]["evaluate_" + unit] for r in ok)
            total["total_" + unit] = total["quantize_" + unit] + total["evaluate_" + unit]
            total["failed_cells_" + unit] = sum(
                r["quantize_" + unit] + r.get("evaluations", {}).get(key, {}).get("evaluate_" + unit, 0) for r in failed)
        totals[key] = total
    return totals


def kl_equals_minmax(rows):
    """For each kl cell whose minmax twin ran: whether Entropy chose the same activation scales
    as MinMax (it does when quantize_static leaves num_bins at 128)."""
    by_id = {r["id"]: r for r in rows if "quantized_model" in r}
    result = {}
    for cell_id, row in by_id.items():
        calibrator, rest = cell_id.split("/", 1)
        twin = by_id.get("minmax/" + rest) if calibrator in ("kl", "kl-2048") else None
        if twin:
            result[cell_id] = row["quantized_model"]["activation_scales"] == twin["quantized_model"]["activation_scales"]
    return result


def render(report):
    lines = []
    fp32 = report["fp32"]
    lines.append("FP32: torch top-1 %.2f %%, ORT top-1 %.2f %% (QuantBench: %.2f %%); ORT vs torch predictions agree on %d/%d"
                 % (100 * fp32["torch_top1"], 100 * fp32["ort_top1"], 100 * OUR_FP32_TOP1,
                    fp32["ort_torch_same_predictions"], fp32["evaluation_images"]))
    lines.append("export %.2f s (opset %d) + convert %.2f s (opset %d)" % (
        fp32["export"]["export_s"], fp32["export"]["export_opset"], fp32["export"]["convert_s"], fp32["export"]["opset"]))
    threads = [str(t) for t in report["settings"]["threads"]]
    repeats = report["settings"]["repeats"]
    if repeats > 1:
        lines.append("times: median of %d passes over the cells" % repeats)
    header = "%-32s %9s" % ("cell", "quant s") + "".join(" %8s %8s" % ("eval@" + t, "tot@" + t) for t in threads) \
        + " %7s %7s %7s  %s" % ("top1 %", "agree %", "fq top1", "error")
    lines.append(header)
    for row in report["cells"]:
        line = "%-32s %9.3f" % (row["id"], row["quantize_s"])
        first = None
        for t in threads:
            e = row.get("evaluations", {}).get(t)
            if e and "error" not in e:
                line += " %8.3f %8.3f" % (e["evaluate_s"], e["total_s"])
                first = first or e
            else:
                line += " %8s %8s" % ("-", "-")
        line += " %7.2f %7.2f" % (100 * first["top1"], 100 * first["agreement"]) if first else " %7s %7s" % ("-", "-")
        line += " %7.2f" % (100 * row["fake_quant"]["top1"]) if "fake_quant" in row else " %7s" % "-"
        if "error" in row:
            line += "  %s: %s" % (row["error"]["phase"], row["error"]["message"].splitlines()[0][:160])
        lines.append(line)
    for t, total in report["totals"].items():
        lines.append("threads=%s: %d cells ok of %d: quantize %.2f s + evaluate %.2f s = %.2f s wall (%.2f s CPU)%s%s"
                     % (t, total["cells_ok"], total["cells"], total["quantize_s"], total["evaluate_s"], total["total_s"],
                        total["total_cpu_s"], " (sums of the medians)" if repeats > 1 else "",
                        "; failed cells took %.2f s" % total["failed_cells_s"] if total["failed"] else ""))
        if repeats > 1:
            lines.append("  each pass: " + ", ".join("%.2f s" % p[t]["total_s"] for p in report["totals_per_pass"]))
    lines.append("wall time of the whole script: %.2f s" % report["wall_s"])
    return "\n".join(lines)


def write_report(report, rendered, output):
    """The JSON report to `output` ('-': standard output, with the rendered table on standard
    error), the rendered table to standard output otherwise."""
    text = json.dumps(report, indent=1, sort_keys=False, default=str)
    if output == "-":
        print(text)
        print(rendered, file=sys.stderr)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
        with open(output, "w") as f:
            f.write(text + "\n")
        print(rendered)
        print("wrote %s" % output)


def load():
    """The 1, 5 and 15 minute load averages (the machine may be shared)."""
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def main(argv=None):
    wall_start = time.perf_counter()
    load_start = load()
    args = parse_args(argv)
    cores = os.cpu_count() or 1
    thread_counts = [int(t) for t in args.threads.split(",")] if args.threads else sorted({1, cores})
    cells = select_cells(args.cells)
    if not cells:
        sys.exit("--cells %r matches no cell (ids look like kl/per-channel/int4)" % args.cells)
    # quantize_static logs a pre-processing hint at WARNING on every call, and the quantizer
    # prints its own notices; they would drown the table.
    logging.getLogger().setLevel(logging.ERROR)
    import onnxruntime as ort
    import torch

    ort.set_default_logger_severity(3)
    settings = {
        "threads": thread_counts,
        "calibration_batch": args.calibration_batch,
        "evaluation_batch": args.evaluation_batch,
        "percentile": None if args.ort_percentile_default else 99.99,
        "fp8_weight_type": args.fp8_weight_type,
        "fp8_disable_qdq_fusion": args.fp8_disable_qdq_fusion,
        "activations": "QInt8, ActivationSymmetric=True (range [-127, 127], z = 0), per-tensor, static",
        "quant_format": "QDQ",
        "placement": args.placement,
        "seed": args.seed,
        "repeats": args.repeats,
    }

    assets = find_assets(args.assets)
    helpers = load_fixture_helpers()
    data = load_digits(assets, helpers, args.seed)
    checkpoint = os.path.join(assets, "digits-cnn", "handwriting_model.pth")
    model = build_torch_model(checkpoint)
    with torch.no_grad():
        torch_logits = model(torch.from_numpy(data["evaluation_images"])).numpy()
    torch_predictions = torch_logits.argmax(1)

    workdir_owner = None
    if args.keep_models:
        os.makedirs(args.keep_models, exist_ok=True)
        workdir = args.keep_models
    else:
        workdir_owner = tempfile.TemporaryDirectory(prefix="ort_quickstart.")
        workdir = workdir_owner.name
    fp32_path = os.path.join(workdir, "digits_cnn_fp32.onnx")
    export = export_onnx(model, fp32_path, export_opset=17, target_opset=21)
    weights = weight_initializers(fp32_path)
    fp32_sess = session(fp32_path, max(thread_counts))
    start = time.perf_counter()
    ort_logits = predict(fp32_sess, data["evaluation_images"], args.evaluation_batch)
    fp32_eval_s = time.perf_counter() - start
    fp32_predictions = ort_logits.argmax(1)
    labels = data["evaluation_labels"]
    fp32 = {
        "evaluation_images": int(len(labels)),
        "calibration_images": int(len(data["calibration_labels"])),
        "split_matches_fixture": data["split_matches_fixture"],
        "torch_top1": float((torch_predictions == labels).mean()),
        "ort_top1": float((fp32_predictions == labels).mean()),
        "quantbench_top1": OUR_FP32_TOP1,
        "ort_torch_same_predictions": int((torch_predictions == fp32_predictions).sum()),
        "ort_torch_max_abs_logit_difference": float(np.abs(torch_logits - ort_logits).max()),
        "ort_evaluate_s": fp32_eval_s,
        "export": export,
        "weight_initializers": weights,
    }

    passes = []
    for repeat in range(args.repeats):
        rows = []
        for cell in cells:
            print("pass %d/%d cell %-32s ..." % (repeat + 1, args.repeats, cell["id"]), file=sys.stderr, flush=True)
            captured = io.StringIO()
            real_stdout = sys.stdout
            sys.stdout = captured  # the quantizer prints notices; keep them out of the JSON on stdout
            try:
                rows.append(run_cell(cell, fp32_path, data, weights, fp32_predictions, settings, workdir,
                                     fake_quant=repeat == 0))
            finally:
                sys.stdout = real_stdout
            if captured.getvalue().strip():
                rows[-1]["printed"] = captured.getvalue().strip()[:2000]
        passes.append(rows)
    rows = merge_repeats(passes)

    report = {
        "benchmark": "ort_quickstart",
        "grid": "Experiments/quickstart.md",
        "model": "digits-cnn",
        "environment": dict(versions(), platform=platform.platform(), cores=cores,
                            ort_calibration_threads="ORT default (the calibration session is built inside quantize_static)"),
        "settings": settings,
        "omitted_calibrators": OMITTED,
        "fp32": fp32,
        "cells": rows,
        "totals": summarize(rows, thread_counts),
        "totals_per_pass": [summarize(p, thread_counts) for p in passes],
        "kl_activation_scales_equal_minmax": kl_equals_minmax(rows),
    }
    report["wall_s"] = time.perf_counter() - wall_start
    report["environment"]["load_average_start"] = load_start
    report["environment"]["load_average_end"] = load()
    write_report(report, render(report), args.output)
    if workdir_owner:
        workdir_owner.cleanup()


if __name__ == "__main__":
    main()
