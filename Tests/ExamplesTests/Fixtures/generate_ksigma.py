#!/usr/bin/env python3
"""Regenerate the ksigma oracle: ksigma.json, next to this file.

    /usr/bin/python3 Tests/ExamplesTests/Fixtures/generate_ksigma.py

Only numpy is used (Debian's python3-numpy). Each sample is drawn in float64 with its own seed,
cast to float32 and written as the exact float32 values (repr of the float64 they widen to, so a
Swift Float parsed from it is bit-identical). Statistics are computed by numpy in float64 from
the float32 data: mean = np.mean, std = np.std (population, ddof=0). For each k the expected
ranges are

    affine:    lower = max(min, mean - k*std),  upper = min(max, mean + k*std)
    symmetric: t = max(|lower|, |upper|),        range = (-t, t)

which is the rule documented in Plugins/Examples/KSigma.swift; `clipped_fraction` is the share of
values outside the affine range (Chebyshev bounds it by 1/k^2 for any distribution).
"""

import json
import pathlib

import numpy as np

KS = [1.0, 2.0, 3.0, 4.0, 6.0]


def samples():
    rng = np.random.default_rng(20250101)
    t3 = rng.standard_t(3, size=2048).astype(np.float32)
    rng = np.random.default_rng(20250102)
    relu = np.maximum(rng.standard_normal(1024), 0).astype(np.float32)
    relu[100] = np.float32(30.0)  # one planted outlier, as a heavy-tailed activation has
    rng = np.random.default_rng(20250103)
    shifted = (2.0 + 0.25 * rng.standard_normal(512)).astype(np.float32)  # all positive, narrow
    return {"student_t3": t3, "relu_outlier": relu, "positive_narrow": shifted}


def oracle(x32):
    x = x32.astype(np.float64)
    mean, std = float(np.mean(x)), float(np.std(x))
    # An independent route to the same two numbers, as a sanity check of the fixture itself.
    assert abs(std - float(np.sqrt(np.mean((x - mean) ** 2)))) <= 1e-12 * std
    lo_data, hi_data = float(x32.min()), float(x32.max())
    ranges = {}
    for k in KS:
        lower = max(lo_data, mean - k * std)
        upper = min(hi_data, mean + k * std)
        t = max(abs(lower), abs(upper))
        clipped = float(np.mean((x < lower) | (x > upper)))
        assert clipped <= 1 / k**2
        ranges[repr(k)] = dict(affine=[lower, upper], symmetric=t, clipped_fraction=clipped)
    return dict(
        count=int(x32.size), min=lo_data, max=hi_data, mean=mean, std=std,
        values=[float(v) for v in x32], ranges=ranges)


def main():
    out = {
        "meta": {
            "generator": "Tests/ExamplesTests/Fixtures/generate_ksigma.py",
            "numpy": np.__version__,
            "rule": "affine [max(min, mean-k*std), min(max, mean+k*std)]; symmetric +-max(|lower|, |upper|); std ddof=0",
        },
        "samples": {name: oracle(x) for name, x in samples().items()},
    }
    path = pathlib.Path(__file__).with_name("ksigma.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    for name, s in out["samples"].items():
        print(name, s["count"], s["min"], s["max"], s["mean"], s["std"], s["ranges"]["3.0"], s["ranges"]["4.0"])


if __name__ == "__main__":
    main()
