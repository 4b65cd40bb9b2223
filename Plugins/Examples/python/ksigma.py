"""k-sigma clipping as a QuantBench Python plug-in: the twin of Plugins/Examples/KSigma.swift.

Use it wherever a calibrator is accepted, e.g. in a grid cell:

    calibrator = ["ksigma(3)", "python(Plugins/Examples/python/ksigma.py:ksigma3)"]

The range is [max(min, mean - k*std), min(max, mean + k*std)]: k population standard deviations
around the mean, never wider than the observed values. Symmetric formats get +-max(|lower|,
|upper|) of that interval. ``ksigma`` keeps k = 4 (the Swift default), ``ksigma3`` k = 3; for
another k, add a two-line function that calls ``ksigma(stats, k)``, since a Python plug-in is
named by its function alone.

The function receives ``stats``, one granule's statistics as a dict (every key is listed in
Plugins/PythonPlugins/PythonCalibrator.swift); it reads ``mean``, ``std``, ``min``, ``max``,
``count`` and ``format["range_mode"]``, and returns a (low, high) pair. The arithmetic is the
Swift version's, in the same order and in float64, so both give the same float32 range
(Tests/ExamplesTests checks them against each other, within one float32 step).
"""

import math


def ksigma(stats, k=4.0):
    """Clips at mean +- k*std within [min, max]; (low, high), symmetric for symmetric formats."""
    if not (math.isfinite(k) and k > 0):
        raise ValueError(f"k is {k} but must be a finite number > 0")
    if stats["count"] == 0:
        raise ValueError("no finite values were observed: nothing to calibrate on")
    mean, std = stats["mean"], stats["std"]
    if not math.isfinite(std):
        raise ValueError("the statistics carry no standard deviation")
    upper = max(stats["min"], min(stats["max"], mean + k * std))
    lower = min(upper, max(stats["min"], mean - k * std))
    if stats["format"]["range_mode"] == "symmetric":
        t = max(abs(lower), abs(upper))
        return -t, t
    return lower, upper


def ksigma3(stats):
    """k = 3: the Python spelling of ``ksigma(3)``."""
    return ksigma(stats, 3.0)
