"""Oracle for calibration sets and scenario transforms, recomputed with numpy (and Hugging Face's
`tokenizers` for MiniLM's token ids), never with QuantBench.

Run from the package root after `quantbench fetch-assets`:

    /work/oracle/venv/bin/python Tests/QuantModelsTests/Fixtures/scenarios/make_scenario_fixtures.py

It reads the digits CSV and lee_background.cor from .assets (or $QUANTBENCH_ASSETS) and writes
expected.json next to this script:

- `positions`: the pool positions a calibration set draws (seed 0: a prefix; other seeds: the
  first `size` entries of a SplitMix64-driven Fisher-Yates shuffle of the pool positions);
- `gaussians`: the first normal samples of a few item generators
  (h = mix64(mix64(mix64(seed) ^ split) ^ item), Box-Muller's cosine branch);
- `calibration`: for digits calibration sets (seed, size, transform), the SHA-256 of the
  calibration images as float32 little-endian bytes and, for the set's first two images, the
  normalized values at `pixels` (flat 28x28 indices);
- `evaluation`: the same for the first 20 images of the evaluation split under a transform;
- `minilm`: SHA-256 of the token ids (uint32 length then ids, per document) of calibration sets
  drawn from the 300 documents of lee_background.cor, tokenized by tokenizer.json with
  truncation to 256 tokens.

The transforms act on the 28x28 image in [0, 1] (x = pixel/16, 2x2 upsampled, zero-padded by 6),
before Normalize((0.1307,), (0.3081,)), all in float32: brightness: clip(x + d); contrast:
m = float32(sum(x as float64) / 784), clip(m + f * (x - m)); noise: clip(x + float32(sigma * z));
mix: item k gets [none, contrast 0.5, contrast 1.5, brightness 0.2, brightness -0.2, noise 0.1][k % 6].
"""
import gzip
import hashlib
import json
import math
import os

import numpy as np

MASK = (1 << 64) - 1
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
PIXELS = [0, 203, 350, 378, 406, 461, 575, 783]
CALIBRATION, EVALUATION = 1, 2


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def mix64(x):
    return SplitMix64(x).next()


def item_generator(seed, split, item):
    return SplitMix64(mix64(mix64(mix64(seed & MASK) ^ split) ^ item))


def gaussian(rng):
    u1 = max((rng.next() >> 11) / 2**53, 1e-300)
    u2 = (rng.next() >> 11) / 2**53
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def shuffled(n, seed):
    rng = SplitMix64(seed)
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next() % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def positions(pool, seed, size):
    size = pool if size is None else size
    return list(range(size)) if seed == 0 else shuffled(pool, seed)[:size]


def unit_image(pixels64):
    x = pixels64.reshape(8, 8).astype(np.float32) / np.float32(16)
    x = np.repeat(np.repeat(x, 2, axis=0), 2, axis=1)
    return np.pad(x, ((6, 6), (6, 6)), constant_values=np.float32(0)).reshape(784)


MIX = [("none", None), ("contrast", 0.5), ("contrast", 1.5), ("brightness", 0.2), ("brightness", -0.2), ("noise", 0.1)]


def transform(x, kind, value, rng):
    if kind == "none":
        return x
    if kind == "brightness":
        y = x + np.float32(value)
    elif kind == "contrast":
        m = np.float32(float(np.sum(x.astype(np.float64))) / 784)
        y = m + np.float32(value) * (x - m)
    elif kind == "noise":
        n = np.array([np.float32(value * gaussian(rng)) for _ in range(784)], dtype=np.float32)
        y = x + n
    else:
        raise ValueError(kind)
    y = np.clip(y, np.float32(0), np.float32(1))
    assert y.dtype == np.float32
    return y


def images(pixels, indices, items, kind, value, seed, split):
    out = []
    for index, item in zip(indices, items):
        k, v = MIX[item % 6] if kind == "mix" else (kind, value)
        x = transform(unit_image(pixels[index]), k, v, item_generator(seed, split, item))
        out.append((x - np.float32(0.1307)) / np.float32(0.3081))
    return np.stack(out).astype(np.float32)


def describe(kind, value):
    return kind if value is None else f"{kind}({value})"


def record(batch, **extra):
    return dict(extra, digest=hashlib.sha256(batch.astype("<f4").tobytes()).hexdigest(),
                first=[float(v) for v in batch[0][PIXELS]], second=[float(v) for v in batch[1][PIXELS]])


def digits_section(assets):
    with gzip.open(os.path.join(assets, "sklearn-digits", "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    pixels = table[:, :64].astype(np.int64)
    order = shuffled(len(table), 0)
    pool, evaluation = order[:256], sorted(order[256:])
    calibration = []
    for seed, size, kind, value in [
        (0, 6, "none", None), (0, 6, "brightness", 0.2), (0, 6, "brightness", -0.2), (0, 6, "contrast", 0.5),
        (0, 6, "contrast", 1.5), (0, 6, "noise", 0.1), (7, 6, "noise", 0.1), (0, 12, "mix", None),
        (7, 10, "none", None), (-3, 5, "mix", None), (0, None, "none", None),
    ]:
        chosen = positions(256, seed, size)
        batch = images(pixels, [pool[p] for p in chosen], chosen, kind, value, seed, CALIBRATION)
        calibration.append(record(batch, seed=seed, size=size, transform=describe(kind, value), positions=chosen))
    evaluated = []
    for kind, value in [("contrast", 0.5), ("noise", 0.05), ("mix", None)]:
        batch = images(pixels, evaluation[:20], list(range(20)), kind, value, 0, EVALUATION)
        evaluated.append(record(batch, transform=describe(kind, value), count=20))
    return calibration, evaluated


def minilm_section(assets):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(os.path.join(assets, "minilm", "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=256)
    data = open(os.path.join(assets, "gensim-data", "lee_background.cor"), "rb").read()
    documents = [line.decode("cp1252") for line in data.splitlines()]
    assert len(documents) == 300
    ids = [e.ids for e in tokenizer.encode_batch(documents)]
    result = []
    for seed, size in [(0, 5), (3, 5), (3, 8), (0, None)]:
        chosen = positions(300, seed, size)
        payload = b"".join(np.array([len(ids[p])] + ids[p], dtype="<u4").tobytes() for p in chosen)
        result.append({"seed": seed, "size": size, "positions": chosen, "digest": hashlib.sha256(payload).hexdigest()})
    return result


def main():
    assets = os.environ.get("QUANTBENCH_ASSETS") or os.path.join(ROOT, ".assets")
    calibration, evaluation = digits_section(assets)
    gaussians = []
    for seed, split, item in [(0, CALIBRATION, 0), (7, EVALUATION, 3), (-1, CALIBRATION, 255)]:
        rng = item_generator(seed, split, item)
        gaussians.append({"seed": seed, "split": split, "item": item, "values": [gaussian(rng) for _ in range(3)]})
    expected = {
        "pixels": PIXELS,
        "positions": [{"pool": n, "seed": s, "size": k, "positions": positions(n, s, k)}
                      for n, s, k in [(256, 7, 10), (300, 3, 5), (256, -1, 4), (10, 42, None)]],
        "mix64": {str(x): str(mix64(x)) for x in [0, 1, 7]},
        "gaussians": gaussians,
        "calibration": calibration,
        "evaluation": evaluation,
        "minilm": minilm_section(assets),
    }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
