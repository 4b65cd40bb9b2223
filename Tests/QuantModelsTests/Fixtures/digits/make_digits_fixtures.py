"""Oracle for DigitsDataset: the split and the preprocessing, recomputed with numpy.

Run from the package root after `quantbench fetch-assets` (scripts/setup does it):

    /usr/bin/python3 Tests/QuantModelsTests/Fixtures/digits/make_digits_fixtures.py

It reads .assets/sklearn-digits/digits.csv.gz (or $QUANTBENCH_ASSETS/...) with numpy's loadtxt,
draws the calibration/evaluation split with its own SplitMix64 (explicit uint64 arithmetic on
Python ints) and Fisher-Yates, preprocesses a few images as torchvision would (x/16, 2x2
upsampling to 16x16, zero padding to 28x28, Normalize((0.1307,), (0.3081,))), and writes:

- expected.json: the CSV's sha256, row count, label counts, the first SplitMix64 outputs, and for
  seeds 0 and 42 the calibration list (in drawn order), the evaluation list (ascending) and its
  sha256 (of the indices joined by commas), and the label counts of each set;
- images.npy: float32 [K, 1, 28, 28], the preprocessed images listed in expected.json.
"""
import gzip
import hashlib
import json
import os
import sys

import numpy as np

MASK = (1 << 64) - 1
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))


class SplitMix64:
    """Steele, Lea and Flood's SplitMix64, on Python ints reduced modulo 2**64."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def split(n, seed, calibration_count=256):
    """Fisher-Yates (Durstenfeld) driven by SplitMix64; calibration as drawn, evaluation sorted."""
    rng = SplitMix64(seed)
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next() % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order[:calibration_count], sorted(order[calibration_count:])


def preprocess(pixels):
    """[K, 64] pixels 0..16 -> float32 [K, 1, 28, 28]."""
    x = pixels.reshape(-1, 8, 8).astype(np.float32) / np.float32(16)
    x = np.repeat(np.repeat(x, 2, axis=1), 2, axis=2)  # 16x16, each pixel a 2x2 block
    x = np.pad(x, ((0, 0), (6, 6), (6, 6)), constant_values=np.float32(0))
    x = (x - np.float32(0.1307)) / np.float32(0.3081)
    assert x.dtype == np.float32
    return x[:, None, :, :]


def label_counts(labels):
    return [int(c) for c in np.bincount(labels, minlength=10)]


def digest(indices):
    return hashlib.sha256(",".join(str(i) for i in indices).encode()).hexdigest()


def main():
    assets = os.environ.get("QUANTBENCH_ASSETS") or os.path.join(ROOT, ".assets")
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(assets, "sklearn-digits", "digits.csv.gz")
    raw = open(path, "rb").read()
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    assert table.shape == (1797, 65), table.shape
    pixels = table[:, :64].astype(np.int64)
    labels = table[:, 64].astype(np.int64)
    assert pixels.min() >= 0 and pixels.max() <= 16 and (table == np.round(table)).all()

    rng = SplitMix64(0)
    expected = {
        "csv_gz_sha256": hashlib.sha256(raw).hexdigest(),
        "count": int(len(labels)),
        "label_counts": label_counts(labels),
        "first_pixels": [int(p) for p in pixels[0]],
        "splitmix64_seed0_first4": [str(rng.next()) for _ in range(4)],
        "splits": {},
    }
    for seed in (0, 42):
        calibration, evaluation = split(len(labels), seed)
        entry = {
            "calibration": calibration,
            "evaluation": evaluation,
            "evaluation_sha256": digest(evaluation),
            "calibration_label_counts": label_counts(labels[calibration]),
            "evaluation_label_counts": label_counts(labels[evaluation]),
        }
        expected["splits"][str(seed)] = entry

    calibration, evaluation = split(len(labels), 0)
    image_indices = [calibration[0], calibration[1], calibration[255], evaluation[0], evaluation[770], evaluation[-1]]
    images = preprocess(pixels[image_indices])
    expected["image_indices"] = image_indices
    expected["image_labels"] = [int(labels[i]) for i in image_indices]
    np.save(os.path.join(HERE, "images.npy"), images)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, sort_keys=True)
        f.write("\n")
    print("wrote expected.json and images.npy", images.shape)


if __name__ == "__main__":
    main()
