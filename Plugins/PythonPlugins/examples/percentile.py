"""Percentile calibration as a QuantBench Python plug-in.

Use it wherever a calibrator is accepted:

    quantbench quantize w.npy --format int8 \
        --calibrator "python(Plugins/PythonPlugins/examples/percentile.py:clip)"

It reproduces the built-in ``percentile(99.99)`` exactly:

* symmetric formats: pytorch_quantization's percentile calibrator (HistogramCalibrator,
  method="percentile") on the 2048-bin histogram of |x| over [0, max|x|]: the threshold t is the
  lower edge of the first bin whose CDF reaches p/100, and the range is +-t;
* affine formats: ONNX Runtime's two-tail cut of the signed histogram over [min, max]: (100 - p)/2
  percent is cut from each tail, taking the lower edge of the bin where each cut falls.

When every count sits in the chosen bin (a constant tensor), its lower edge would clip the only
value, so the bin's upper edge is kept instead (the rule of Plugins/Calibrators/Percentile.swift).
The result is clamped to the observed values: over one batch the histogram spans exactly the data,
so this changes nothing; over several batches a widened histogram's edges may lie beyond it.

The function receives ``stats``, a dict of one granule's statistics (see PythonCalibrator.swift
for every key), and returns one threshold t or a (low, high) pair.
"""

import numpy as np

PERCENTILE = 99.99


def _first_bin(counts, q):
    """The first bin whose CDF is >= q (len(counts) when none is), and whether it holds every count.

    np.cumsum adds in order, as the built-in does, so the CDF is the same to the last bit.
    """
    total = counts.sum()
    if total <= 0:
        return 0, False
    cdf = np.cumsum(counts / total)
    k = int(np.searchsorted(cdf, q, side="left"))
    if k >= len(counts):
        return len(counts), False
    return k, bool(counts[k] == total)


def clip(stats):
    """Clips at the 99.99th percentile; returns t for symmetric formats, (low, high) for affine."""
    if stats["format"]["range_mode"] == "symmetric":
        counts, edges = stats["abs_hist_counts"], stats["abs_hist_edges"]
        if counts is None:
            raise ValueError("no finite values were observed")
        k, alone = _first_bin(counts, PERCENTILE / 100)
        return min(float(edges[k + 1] if alone else edges[k]), stats["abs_max"])
    counts, edges = stats["hist_counts"], stats["hist_edges"]
    if counts is None:
        raise ValueError("no finite values were observed")
    cut = (100 - PERCENTILE) / 200
    low_bin, _ = _first_bin(counts, cut)
    high_bin, alone = _first_bin(counts, 1 - cut)
    lower = max(float(edges[low_bin]), stats["min"])
    upper = min(float(edges[high_bin + 1] if alone else edges[high_bin]), stats["max"])
    return lower, max(upper, lower)
