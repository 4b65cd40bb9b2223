#!/usr/bin/env python3
"""QuantBench's MiniLM cells done the way a Python user would do them today: a loop over ONNX
Runtime's `quantize_static` (QDQ) and an `InferenceSession` per cell.

QuantBench's `minilm` task (Sources/QuantModels/Zoo/MiniLMTask.swift) embeds, with
all-MiniLM-L6-v2 (BERT, mean pooling over the real tokens, L2 normalisation), one evaluation
list: the 50 documents of gensim's `lee.cor`, the words of WordSim-353 and of SimLex-999 (each
list's distinct words, in order of first appearance) and the 200 sentences of
`pang_lee_polarity.cor`, every text truncated to 256 tokens. It reports `lee_pearson` (Pearson r
between the 1225 document-pair cosines and the upper triangle of `similarities0-1.txt`) and
`cosine_to_fp32` (mean cosine between each quantized embedding and the FP32 one), among others.
Calibration: the first 32 documents of `lee_background.cor` (`calibration = { size = 32 }`,
seed 0). This script runs the cells {MinMax, Percentile, Entropy} x {per-tensor, per-channel} x
weights {int8, int4, fp8-e4m3} with int8 static per-tensor activations and times each one:

1. once, not part of any cell: tokenize with Hugging Face's fast tokenizer (the oracle
   Tests/QuantModelsTests/Fixtures/text/make_text_fixtures.py checks QuantBench's tokenizer
   against, and checked here against that fixture's expected ids), embed with PyTorch's
   BertModel, export it to ONNX (opset 17, dynamic batch and sequence axes, then converted to
   opset 21 for int4), embed with ORT, and compare with the numpy reference encoder of
   scripts/bench/minilm_peers.py; FP32 lee_pearson must be QuantBench's 0.6564;
2. per cell, timed as "quantize": a fresh CalibrationDataReader over the calibration documents
   (one document per batch by default, so that no padding enters the statistics: QuantBench packs
   sequences without padding; extra_options CalibStridedMinMax = 1 makes ORT's histogram
   calibrators accept documents of different lengths) and `quantize_static(...)`, plus, for the
   default placement, the few lines of graph surgery that keep the residual connections in
   float (see --placement);
3. per cell and per thread count, timed as "evaluate": an `InferenceSession` with
   `intra_op_num_threads = N`, the evaluation list in batches of 16 texts sorted by length (as
   sentence-transformers' encode does; padded, with the attention mask), mean pooling and
   normalisation in numpy, and the metrics;
4. per cell, untimed: the same model scored with session.disable_quant_qdq = 1 (every
   DequantizeLinear feeds a float MatMul: fake quantization, QuantBench's arithmetic, instead of
   ORT's fused integer kernels), and the op types of ORT's optimized graph.

Mapping (benchmarks/README.md explains each choice):
  minmax     -> CalibrationMethod.MinMax
  percentile -> CalibrationMethod.Percentile with CalibPercentile = 99.99 (ours)
  kl         -> CalibrationMethod.Entropy (num_bins stays 128 in quantize_static; fed one document
                at a time, its histogram grows past 128 bins, so it can clip: not MinMax here)
  kl-2048    -> not a default cell: ORT's Entropy with num_bins = 2048, run by hand
Activations: QInt8, ActivationSymmetric = True. Weights: int8 -> QInt8, int4 -> QInt4 (opset 21),
fp8-e4m3 -> QInt8 plus a TensorQuantOverrides entry per weight (quant_type QFLOAT8E4M3FN, and
"axis": 1 when per-channel: the MatMul weight is [in, out]).
Placement: op_types_to_quantize = ["MatMul"], nodes_to_exclude = the 12 attention MatMuls (Q.K^T
and softmax.V, whose two inputs are activations), OpTypesToExcludeOutputQuantization = ["MatMul"].

Usage (see benchmarks/README.md for the venv):
  python benchmarks/ort_minilm.py                          # 18 cells, threads 1 and 2
  python benchmarks/ort_minilm.py --cells 'minmax/per-channel/*' --threads 2 --output run.json
"""
import argparse
import collections
import copy
import fnmatch
import functools
import importlib.util
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
TEXT_FIXTURES = os.path.join(ROOT, "Tests", "QuantModelsTests", "Fixtures", "text")
PEERS = os.path.join(ROOT, "scripts", "bench", "minilm_peers.py")
DEFAULT_OUTPUT = os.path.join(HERE, "results", "ort_minilm.json")

CALIBRATORS = ["minmax", "percentile", "kl", "kl-2048"]
ORT_NAMES = {"minmax": "MinMax", "percentile": "Percentile", "kl": "Entropy", "kl-2048": "Entropy"}
DEFAULT_CELLS = "minmax/*,percentile/*,kl/*"
GRANULARITIES = ["per-tensor", "per-channel"]
WEIGHT_FORMATS = ["int8", "int4", "fp8-e4m3"]
MAX_LENGTH = 256  # Sources/QuantModels/Text/BertTokenizer+Configuration.swift: sentence_bert_config's max_seq_length
OUR_FP32_LEE_PEARSON = 0.6564  # README.md "Models" and Experiments/calibrator-sweep-minilm.md
METRICS = ("lee_pearson", "cosine_to_fp32", "min_cosine_to_fp32", "wordsim_spearman", "simlex_spearman",
           "polarity_accuracy")
# The ORT model's inputs; token_type_ids are all 0 (one segment), BertModel's default.
INPUTS = ("input_ids", "attention_mask")


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=None)
def quickstart():
    """benchmarks/ort_quickstart.py, for the helpers both loops share (sessions, totals, versions)."""
    return load_module("ort_quickstart", os.path.join(HERE, "ort_quickstart.py"))


# ---------------------------------------------------------------------------------------------
# Data


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
        if candidate and os.path.isfile(os.path.join(candidate, "minilm", "model.safetensors")) \
                and os.path.isfile(os.path.join(candidate, "gensim-data", "lee.cor")):
            return os.path.abspath(candidate)
    sys.exit("minilm / gensim-data assets not found: run scripts/setup (quantbench fetch-assets), or pass --assets DIR "
             "or set QUANTBENCH_ASSETS (looked in: %s)" % ", ".join(c for c in candidates if c))


def read_word_pairs(path):
    """WordPairScores.swift / the text fixture: UTF-8, '#' comments, WORD<TAB>WORD<TAB>SCORE, case kept."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            a, b, score = line.rstrip("\n").split("\t")
            pairs.append((a, b, float(score)))
    return pairs


def load_corpora(assets, fixtures, calibration_count):
    """The evaluation list and gold scores exactly as MiniLMTask.init builds them, and the first
    `calibration_count` documents of lee_background.cor (seed 0 of `calibration = { size = N }`)."""
    base = os.path.join(assets, "gensim-data")
    documents = fixtures.read_lines_cp1252(os.path.join(base, "lee.cor"))
    background = fixtures.read_lines_cp1252(os.path.join(base, "lee_background.cor"))
    polarity = fixtures.read_polarity(os.path.join(base, "pang_lee_polarity.cor"))
    # DocumentSimilarityMatrix.swift: only the upper triangle carries data (the diagonal is 1 and
    # the lower triangle 0); the 1225 pairs row by row, numpy.triu_indices(50, 1) order. No averaging.
    with open(os.path.join(base, "similarities0-1.txt")) as f:
        matrix = [[float(x) for x in line.split()] for line in f if line.strip()]
    size = len(matrix)
    if size != len(documents) or any(len(row) != size for row in matrix):
        sys.exit("similarities0-1.txt is not a %d x %d matrix" % (len(documents), len(documents)))
    document_pairs = [(i, j, matrix[i][j]) for i in range(size) for j in range(i + 1, size)]
    texts = list(documents)
    word_pairs = {}
    for name, file in (("wordsim", "wordsim353.tsv"), ("simlex", "simlex999.txt")):
        index = {}  # per list, as MiniLMTask: a word in both lists is embedded twice

        def row(word):
            if word not in index:
                texts.append(word)
                index[word] = len(texts) - 1
            return index[word]

        word_pairs[name] = [(row(a), row(b), s) for a, b, s in read_word_pairs(os.path.join(base, file))]
    polarity_rows = list(range(len(texts), len(texts) + len(polarity)))
    texts += [text for _, text in polarity]
    if calibration_count > len(background):
        sys.exit("--calibration-count %d: lee_background.cor holds %d documents" % (calibration_count, len(background)))
    return {
        "texts": texts,
        "documents": len(documents),
        "document_pairs": document_pairs,
        "word_pairs": word_pairs,
        "polarity_rows": polarity_rows,
        "positive": [label == "pos" for label, _ in polarity],
        "calibration_texts": background[:calibration_count],
        "background": background,
    }


def tokenize(model_dir, corpora):
    """Hugging Face's fast tokenizer (tokenizer.json; what sentence-transformers runs), truncation to
    256 tokens, checked against the ids Tests/.../text/expected_text.json holds for lee.cor, the
    polarity sentences and lee_background.cor (the fixture QuantBench's own tokenizer passes)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    ids = tokenizer(corpora["texts"], truncation=True, max_length=MAX_LENGTH)["input_ids"]
    calibration = tokenizer(corpora["calibration_texts"], truncation=True, max_length=MAX_LENGTH)["input_ids"]
    check = {}
    expected_path = os.path.join(TEXT_FIXTURES, "expected_text.json")
    if os.path.isfile(expected_path):
        with open(expected_path) as f:
            expected = json.load(f)["tokenizer"]

        def id_check(x):
            return {"count": len(x), "sum": sum(x), "weighted": sum((i + 1) * v for i, v in enumerate(x))}

        n = corpora["documents"]
        check["lee_ids_match_fixture"] = ids[:n] == expected["lee"]["ids"]
        polarity = [ids[r] for r in corpora["polarity_rows"]]
        check["polarity_ids_match_fixture"] = [id_check(x) for x in polarity] == expected["polarity"]["ids"]
        pieces = tokenizer(corpora["calibration_texts"], truncation=False, add_special_tokens=False)["input_ids"]
        check["calibration_pieces_match_fixture"] = \
            [id_check(x) for x in pieces] == expected["leeBackground"]["pieces"][:len(pieces)]
        check["calibration_ids_are_truncated_pieces"] = all(
            c == [101] + p[:MAX_LENGTH - 2] + [102] for c, p in zip(calibration, pieces))
        if not all(check.values()):
            sys.exit("tokenization differs from Tests/QuantModelsTests/Fixtures/text/expected_text.json: %s" % check)
    return tokenizer, ids, calibration, check


def pad(batch_ids):
    """A padded [batch, longest] id matrix ([PAD] = 0) and its attention mask, as int64."""
    longest = max(len(x) for x in batch_ids)
    ids = np.zeros((len(batch_ids), longest), dtype=np.int64)
    mask = np.zeros((len(batch_ids), longest), dtype=np.int64)
    for i, x in enumerate(batch_ids):
        ids[i, :len(x)] = x
        mask[i, :len(x)] = 1
    return ids, mask


def length_batches(ids, batch):
    """Index batches over `ids` sorted by length, longest first (sentence-transformers' encode
    order), so that padding stays small; results go back to list order."""
    order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
    return [order[i:i + batch] for i in range(0, len(order), batch)]


def pool(hidden, mask):
    """SentenceEmbedder.embed: mean over the real tokens, then L2 normalisation (float32)."""
    m = mask[:, :, None].astype(np.float32)
    mean = (hidden * m).sum(1) / m.sum(1)
    return mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), np.float32(1e-12))


def embed(run, ids, batch):
    """Embeddings [texts, 384] of every id list, with `run(input_ids, attention_mask) -> hidden`."""
    out = None
    for index in length_batches(ids, batch):
        input_ids, mask = pad([ids[i] for i in index])
        e = pool(run(input_ids, mask), mask)
        if out is None:
            out = np.zeros((len(ids), e.shape[1]), dtype=np.float32)
        out[index] = e
    return out


# ---------------------------------------------------------------------------------------------
# Metrics (Sources/QuantModels/Zoo/MiniLMTask.swift, TaskStatistics.swift), in float64


def pearson(x, y):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = (dx * dx).sum(), (dy * dy).sum()
    return float((dx * dy).sum() / np.sqrt(sxx * syy)) if sxx > 0 and syy > 0 else 0.0


def ranks(x):
    """1-based ranks, ties sharing their average rank (TaskStatistics.ranks, SciPy's rankdata)."""
    x = np.asarray(x)
    order = np.argsort(x, kind="stable")
    result = np.zeros(len(x))
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and x[order[j + 1]] == x[order[i]]:
            j += 1
        result[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return result


def row_cosines(a, b):
    a, b = a.astype(np.float64), b.astype(np.float64)
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def polarity_accuracy(e, rows, positive):
    """Leave-one-out nearest centroid: each sentence goes to the class sum of the others with the
    larger dot / |sum| (MiniLMTask.polarityAccuracy)."""
    x = e[rows].astype(np.float64)
    labels = np.array(positive, dtype=int)
    sums = np.stack([x[labels == c].sum(0) for c in (0, 1)])
    correct = 0
    for k in range(len(rows)):
        best, best_class = -np.inf, 0
        for c in (0, 1):
            centroid = sums[c] - x[k] if c == labels[k] else sums[c]
            norm = np.dot(centroid, centroid)
            similarity = np.dot(centroid, x[k]) / np.sqrt(norm) if norm > 0 else -np.inf
            if similarity > best:
                best, best_class = similarity, c
        correct += best_class == labels[k]
    return correct / max(1, len(rows))


def metrics(e, reference, corpora):
    def pair_cosines(pairs):
        a = np.array([p[0] for p in pairs])
        b = np.array([p[1] for p in pairs])
        return row_cosines(e[a], e[b])

    lee = corpora["document_pairs"]
    result = {"lee_pearson": pearson(pair_cosines(lee), [p[2] for p in lee])}
    for name, pairs in corpora["word_pairs"].items():
        result[name + "_spearman"] = pearson(ranks(pair_cosines(pairs)), ranks([p[2] for p in pairs]))
    result["polarity_accuracy"] = polarity_accuracy(e, corpora["polarity_rows"], corpora["positive"])
    if reference is not None:
        fidelity = row_cosines(e, reference)
        result["cosine_to_fp32"] = float(fidelity.mean())
        result["min_cosine_to_fp32"] = float(fidelity.min())
    return result


# ---------------------------------------------------------------------------------------------
# Model


def load_torch_model(model_dir):
    """BertModel with eager attention (explicit MatMul / Softmax / MatMul in the exported graph)."""
    import torch
    from transformers import BertModel

    class LastHiddenState(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    bert = BertModel.from_pretrained(model_dir, attn_implementation="eager")
    return LastHiddenState(bert).eval()  # eval on the wrapper: the exporter restores the wrapper's mode


def export_onnx(model, path, export_opset, target_opset):
    """torch.onnx.export (TorchScript exporter) with dynamic batch and sequence axes, then
    onnx.version_converter up to `target_opset` (21: int4 Q/DQ)."""
    import onnx
    import torch
    from onnx import version_converter

    ids, mask = pad([[101, 7592, 2088, 102], [101, 2023, 102]])
    axes = {"batch": 0, "sequence": 1}
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (torch.from_numpy(ids), torch.from_numpy(mask)), path, opset_version=export_opset,
            input_names=list(INPUTS), output_names=["last_hidden_state"],
            dynamic_axes={n: {v: k for k, v in axes.items()} for n in list(INPUTS) + ["last_hidden_state"]},
            dynamo=False)
    exported = time.perf_counter()
    proto = onnx.load(path)
    if target_opset > export_opset:
        proto = version_converter.convert_version(proto, target_opset)
        onnx.checker.check_model(proto)
        onnx.save(proto, path)
    converted = time.perf_counter()
    return {"export_opset": export_opset, "opset": target_opset, "export_s": exported - start,
            "convert_s": converted - exported,
            "op_types": dict(collections.Counter(n.op_type for n in proto.graph.node))}


def matmul_nodes(path):
    """The linear layers' MatMuls (input 1 an initializer: the [in, out] weight; 36 here) and the
    attention MatMuls (Q.K^T and softmax.V: both inputs are activations; 12 here)."""
    import onnx

    proto = onnx.load(path)
    initializers = {i.name: tuple(i.dims) for i in proto.graph.initializer}
    linear, attention = [], []
    for n in proto.graph.node:
        if n.op_type == "MatMul":
            if n.input[1] in initializers:
                linear.append({"node": n.name, "input": n.input[0], "weight": n.input[1], "shape": initializers[n.input[1]]})
            else:
                attention.append(n.name)
    return linear, attention


# ---------------------------------------------------------------------------------------------
# ONNX Runtime


def make_reader(calibration_ids, batch):
    from onnxruntime.quantization import CalibrationDataReader

    class DocumentReader(CalibrationDataReader):
        def __init__(self):
            self.batches = [pad(calibration_ids[i:i + batch]) for i in range(0, len(calibration_ids), batch)]
            self.next_index, self.end_index = 0, len(self.batches)

        def get_next(self):
            if self.next_index >= self.end_index:
                return None
            ids, mask = self.batches[self.next_index]
            self.next_index += 1
            return {"input_ids": ids, "attention_mask": mask}

        def __len__(self):
            return len(self.batches)

        def set_range(self, start_index, end_index):
            """What quantize_static calls with CalibStridedMinMax: serve batches [start, end) next."""
            self.next_index, self.end_index = start_index, min(end_index, len(self.batches))

    return DocumentReader()


def run_fn(sess):
    return lambda ids, mask: sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]


def keep_float_outside_linears(path, linear_nodes):
    """quantize_static rewires *every* consumer of a quantized activation to its DequantizeLinear
    (ONNXModel.replace_input_of_all_nodes), so the residual Adds would add the quantized hidden
    state. QuantBench fake-quantizes only the copy a linear layer reads. This hands every other
    consumer the float tensor again. Returns the op types of the inputs rewired, with counts."""
    import onnx

    proto = onnx.load(path)
    producer = {o: n for n in proto.graph.node for o in n.output}
    float_of = {}
    for n in proto.graph.node:
        if n.op_type == "DequantizeLinear" and n.input[0] in producer and producer[n.input[0]].op_type == "QuantizeLinear":
            float_of[n.output[0]] = producer[n.input[0]].input[0]
    rewired = collections.Counter()
    for n in proto.graph.node:
        if n.op_type in ("QuantizeLinear", "DequantizeLinear") or n.name in linear_nodes:
            continue
        for i, name in enumerate(n.input):
            if name in float_of:
                n.input[i] = float_of[name]
                rewired[n.op_type] += 1
    onnx.save(proto, path)
    return dict(rewired)


def quantize_cell(cell, fp32_path, out_path, calibration_ids, linear, attention, settings):
    """One quantize_static call, as a user would write it for this cell."""
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    method = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile,
              "kl": CalibrationMethod.Entropy, "kl-2048": CalibrationMethod.Entropy}[cell["calibrator"]]
    per_channel = cell["granularity"] == "per-channel"
    extra = {"ActivationSymmetric": True, "WeightSymmetric": True,
             # no Q/DQ on the linear outputs: QuantBench quantizes the inputs of linear layers only
             "OpTypesToExcludeOutputQuantization": ["MatMul"]}
    if settings["calibration_stride"]:
        # ORT's histogram calibrators (Percentile, Entropy) np.asarray() the outputs of all the
        # batches they are given at once, which fails when the batches differ in sequence length
        # ("inhomogeneous shape"). With a stride, quantize_static hands them the reader one stride
        # at a time (reader.set_range) and they merge histograms batch by batch. Despite its name
        # the option applies to every calibrator; MinMax's ranges come out the same.
        extra["CalibStridedMinMax"] = settings["calibration_stride"]
    if cell["calibrator"] == "percentile" and settings["percentile"] is not None:
        extra["CalibPercentile"] = settings["percentile"]
    weight_type = {"int8": QuantType.QInt8, "int4": QuantType.QInt4, "fp8-e4m3": QuantType.QInt8}[cell["weights"]]
    if cell["weights"] == "fp8-e4m3":
        if settings["fp8_weight_type"]:
            weight_type = QuantType.QFLOAT8E4M3FN  # what the docs suggest; refused with int8 activations
        else:
            override = {"quant_type": QuantType.QFLOAT8E4M3FN}
            if per_channel:
                override["axis"] = 1  # the output features of the [in, out] MatMul weight; without it, per-tensor
            extra["TensorQuantOverrides"] = {w["weight"]: [dict(override)] for w in linear}
    # Q.K^T and softmax.V have two activation inputs; QDQMatMul would put Q/DQ on both (ORT's
    # quantizer treats any non-initializer input as an activation). QuantBench leaves them float.
    exclude = [] if settings["placement"] == "all-matmul" else list(attention)
    reader = make_reader(calibration_ids, settings["calibration_batch"])
    cache = None
    if cell["calibrator"] == "kl-2048":
        cache = calibrate_entropy_2048(fp32_path, reader, settings["calibration_stride"], os.path.dirname(out_path))
        reader = None
    quantize_static(
        fp32_path, out_path, reader, quant_format=QuantFormat.QDQ, activation_type=QuantType.QInt8,
        weight_type=weight_type, per_channel=per_channel, calibrate_method=method, op_types_to_quantize=["MatMul"],
        nodes_to_exclude=exclude, extra_options=extra, calibration_cache_path=cache)
    rewired = None
    if settings["placement"] == "inputs":
        rewired = keep_float_outside_linears(out_path, {w["node"] for w in linear})
    return extra, exclude, rewired


def calibrate_entropy_2048(fp32_path, reader, stride, workdir):
    """ORT's EntropyCalibrater with num_bins = 2048 and num_quantized_bins = 128, run by hand
    (quantize_static does not forward num_bins), fed like quantize_static feeds it with
    CalibStridedMinMax; its ranges are saved where quantize_static(calibration_cache_path=...)
    reads them instead of calibrating. As ort_quickstart.calibrate_entropy_2048, plus the stride."""
    from onnxruntime.quantization import CalibrationMethod, create_calibrator
    from onnxruntime.quantization.calibrate import save_tensors_data

    with tempfile.TemporaryDirectory(prefix="ort.calib.") as tmp:
        calibrator = create_calibrator(
            fp32_path, ["MatMul"], augmented_model_path=os.path.join(tmp, "augmented.onnx"),
            calibrate_method=CalibrationMethod.Entropy,
            extra_options={"num_bins": 2048, "num_quantized_bins": 128})
        step = stride or len(reader)
        for start in range(0, len(reader), step):
            reader.set_range(start, start + step)
            calibrator.collect_data(reader)
        ranges = calibrator.compute_data()
        del calibrator
    cache = os.path.join(workdir, "entropy2048_%d.json" % os.getpid())
    if os.path.exists(cache):
        os.remove(cache)
    save_tensors_data(ranges, cache)
    return cache


def describe_model(path, linear, attention):
    """Activation scales, weight types and scale counts, and where the Q/DQ pairs sit."""
    import onnx
    from onnx import numpy_helper

    proto = onnx.load(path)
    inits = {i.name: i for i in proto.graph.initializer}
    weights = {w["weight"] for w in linear}
    consumers = collections.defaultdict(list)
    for n in proto.graph.node:
        for name in n.input:
            consumers[name].append(n)
    activation_scales, weight_types, scale_counts = {}, collections.Counter(), collections.Counter()
    dq_consumer_ops = collections.Counter()
    for node in proto.graph.node:
        if node.op_type == "QuantizeLinear" and node.input[0] not in inits and node.input[1] in inits:
            activation_scales[node.input[0]] = float(numpy_helper.to_array(inits[node.input[1]]))
        if node.op_type == "DequantizeLinear":
            if node.input[0] in inits:
                source = node.input[0].rsplit("_quantized", 1)[0]
                if source in weights:
                    weight_types[onnx.TensorProto.DataType.Name(inits[node.input[0]].data_type)] += 1
                    scale_counts[int(numpy_helper.to_array(inits[node.input[1]]).size)] += 1
            else:
                for c in consumers[node.output[0]]:
                    dq_consumer_ops["attention MatMul" if c.name in attention else c.op_type] += 1
    return {
        "opset": max((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), default=None),
        "activation_scales": activation_scales,
        "activation_quantize_nodes": len(activation_scales),
        "weight_types": dict(weight_types),
        "weight_scales_per_tensor": {str(k): v for k, v in sorted(scale_counts.items())},
        "activation_dequantize_consumers": dict(dq_consumer_ops),
    }


def optimized_op_types(path, threads):
    """The op types of the graph ORT actually runs (fused QDQ kernels show up here)."""
    import onnx
    import onnxruntime as ort

    with tempfile.TemporaryDirectory(prefix="ort_minilm.opt.") as tmp:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.optimized_model_filepath = os.path.join(tmp, "optimized.onnx")
        ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        proto = onnx.load(options.optimized_model_filepath)
    counts = collections.Counter(n.op_type for n in proto.graph.node)
    keep = ("MatMul", "MatMulIntegerToFloat", "DynamicQuantizeMatMul", "QLinearMatMul", "MatMulInteger",
            "QuantizeLinear", "DequantizeLinear", "MatMulNBits", "FusedMatMul", "Attention")
    return {k: v for k, v in sorted(counts.items()) if k in keep or "Quant" in k or "MatMul" in k}


def run_cell(cell, fp32_path, tokens, corpora, linear, attention, reference, settings, workdir, fake_quant=True):
    """Quantizes one cell and evaluates it once per thread count. Times are wall seconds (`_s`)
    and this process's CPU seconds over all its threads (`_cpu_s`)."""
    session = quickstart().session
    row = dict(cell)
    row["ort_calibrator"] = ORT_NAMES[cell["calibrator"]]
    row["load_average_start"] = load()
    out_path = os.path.join(workdir, cell["id"].replace("/", "_") + ".onnx")
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        extra, exclude, rewired = quantize_cell(cell, fp32_path, out_path, tokens["calibration"], linear, attention, settings)
    except Exception as exc:  # recorded, the loop goes on
        row["quantize_s"], row["quantize_cpu_s"] = time.perf_counter() - start, time.process_time() - cpu_start
        row["error"] = {"phase": "quantize_static", "message": quickstart().error_text(exc)}
        return row
    row["quantize_s"], row["quantize_cpu_s"] = time.perf_counter() - start, time.process_time() - cpu_start
    row["extra_options"] = {k: (v if k != "TensorQuantOverrides" else
                                {"weights": len(v), "each": {kk: str(vv) for kk, vv in next(iter(v.values()))[0].items()}})
                            for k, v in extra.items()}
    row["nodes_to_exclude"] = len(exclude)
    row["residual_inputs_rewired_to_float"] = rewired
    row["quantized_model"] = describe_model(out_path, linear, attention)
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
            e = embed(run_fn(sess), tokens["evaluation"], settings["evaluation_batch"])
            evaluation.update(metrics(e, reference, corpora))
        except Exception as exc:
            evaluation["evaluate_s"] = time.perf_counter() - start
            evaluation["evaluate_cpu_s"] = time.process_time() - cpu_start
            evaluation["error"] = {"phase": phase, "message": quickstart().error_text(exc)}
            row["evaluations"][str(threads)] = evaluation
            continue
        evaluation["evaluate_s"] = time.perf_counter() - start
        evaluation["evaluate_cpu_s"] = time.process_time() - cpu_start
        evaluation["run_s"] = evaluation["evaluate_s"] - evaluation["session_s"]
        evaluation["total_s"] = row["quantize_s"] + evaluation["evaluate_s"]
        evaluation["total_cpu_s"] = row["quantize_cpu_s"] + evaluation["evaluate_cpu_s"]
        row["evaluations"][str(threads)] = evaluation
        del sess
    row["load_average_end"] = load()
    errors = [e["error"] for e in row["evaluations"].values() if "error" in e]
    if errors:
        row["error"] = errors[0]
    elif fake_quant:
        # Untimed: ORT's graph (fused integer kernels or not), then the same model with QDQ fusion
        # off, so that every DequantizeLinear feeds a float MatMul (QuantBench's arithmetic).
        row["ort_optimized_op_types"] = optimized_op_types(out_path, max(settings["threads"]))
        if settings["fake_quant"] and not (fp8 and settings["fp8_disable_qdq_fusion"]):
            sess = session(out_path, max(settings["threads"]), disable_qdq_fusion=True)
            row["fake_quant"] = metrics(embed(run_fn(sess), tokens["evaluation"], settings["evaluation_batch"]),
                                        reference, corpora)
    return row


# ---------------------------------------------------------------------------------------------
# Driver


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", default=DEFAULT_CELLS,
                        help="comma-separated glob patterns over cell ids CALIBRATOR/GRANULARITY/WEIGHTS, e.g. "
                        "'minmax/*,kl/per-channel/int4'; calibrators minmax, percentile, kl and kl-2048 (ORT Entropy "
                        "with 2048 bins, not a default cell) (default: %(default)s, 18 cells)")
    parser.add_argument("--threads", default=None,
                        help="intra_op_num_threads of the evaluation sessions, a comma-separated list: each cell "
                        "is quantized once and evaluated once per entry (default: 1 and the machine's core count)")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="JSON file to write ('-' for stdout; default %(default)s)")
    parser.add_argument("--assets", default=None, help="folder holding minilm/ and gensim-data/ (default: $QUANTBENCH_ASSETS or .assets)")
    parser.add_argument("--calibration-count", type=int, default=32,
                        help="the first N documents of lee_background.cor (default 32: the MiniLM sweep's size, seed 0)")
    parser.add_argument("--calibration-batch", type=int, default=1,
                        help="documents per CalibrationDataReader batch (default 1: no padding reaches the statistics; "
                        "with more, pad tokens' activations enter ORT's ranges, which QuantBench's packed batches avoid)")
    parser.add_argument("--calibration-stride", type=int, default=1,
                        help="extra_options CalibStridedMinMax: batches the calibrator sees per collect_data call "
                        "(default 1; 0 leaves it unset, and then Percentile and Entropy fail on documents of different "
                        "lengths unless --calibration-batch covers them all)")
    parser.add_argument("--evaluation-batch", type=int, default=16,
                        help="texts per InferenceSession.run, sorted by length (default 16, QuantBench's MiniLM batch)")
    parser.add_argument("--ort-percentile-default", action="store_true",
                        help="leave CalibPercentile unset (ORT's 99.999) instead of our 99.99")
    parser.add_argument("--fp8-weight-type", action="store_true",
                        help="fp8 cells pass weight_type=QFLOAT8E4M3FN (as documented) instead of the override workaround, "
                        "to show ORT's error")
    parser.add_argument("--fp8-disable-qdq-fusion", action="store_true",
                        help="score fp8 cells with session.disable_quant_qdq=1 (older ORT releases; 1.32 does not need it)")
    parser.add_argument("--placement", choices=["inputs", "inputs-shared", "all-matmul"], default="inputs",
                        help="inputs (default): Q/DQ on the inputs of the 36 linear MatMuls only, the attention MatMuls "
                        "excluded, and every other consumer of those tensors (the residual Adds) given the float tensor "
                        "back, as QuantBench quantizes; inputs-shared: the same quantize_static call without that graph "
                        "surgery (ORT feeds the quantized tensor to the residual Adds too); all-matmul: also Q/DQ on "
                        "both inputs of Q.K^T and softmax.V (no nodes_to_exclude, no surgery)")
    parser.add_argument("--no-fake-quant", dest="fake_quant", action="store_false",
                        help="skip the untimed disable_quant_qdq evaluation of each cell")
    parser.add_argument("--repeats", type=int, default=1,
                        help="run the whole loop over the cells this many times; each cell then reports the median "
                        "(and *_min) of its times (default 1)")
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


TIMINGS = ("quantize_s", "quantize_cpu_s")
EVALUATION_TIMINGS = ("session_s", "run_s", "evaluate_s", "evaluate_cpu_s", "total_s", "total_cpu_s")


def merge_repeats(passes):
    """One row per cell: the first pass's row with each time replaced by the median over the
    passes and `<name>_min` beside it; every pass's times under `repeats`."""
    if len(passes) == 1:
        return passes[0]
    merged = []
    for index, first in enumerate(passes[0]):
        runs = [p[index] for p in passes]
        row = copy.deepcopy(first)
        row["repeats"] = [{k: run[k] for k in TIMINGS if k in run} for run in runs]
        for key in TIMINGS:
            values = [run[key] for run in runs]
            row[key], row[key + "_min"] = float(np.median(values)), min(values)
        for t, evaluation in row.get("evaluations", {}).items():
            for key in EVALUATION_TIMINGS:
                values = [run["evaluations"][t][key] for run in runs if key in run.get("evaluations", {}).get(t, {})]
                if values:
                    evaluation[key], evaluation[key + "_min"] = float(np.median(values)), min(values)
        errors = [run["error"] for run in runs if "error" in run]
        if errors and "error" not in row:
            row["error"] = errors[0]
        merged.append(row)
    return merged


def kl_equals_minmax(rows):
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
    lines.append("FP32 lee_pearson: ORT %.4f, torch %.4f, numpy reference (lee.cor only) %.4f; QuantBench %.4f"
                 % (fp32["ort"]["lee_pearson"], fp32["torch"]["lee_pearson"], fp32["numpy_reference_lee_pearson"],
                    OUR_FP32_LEE_PEARSON))
    lines.append("FP32 ORT vs torch: min cosine %.7f over %d texts; ORT vs numpy reference: min cosine %.7f over %d documents"
                 % (fp32["ort_vs_torch_min_cosine"], fp32["evaluation_texts"], fp32["ort_vs_numpy_min_cosine"], fp32["documents"]))
    lines.append("export %.2f s (opset %d) + convert %.2f s (opset %d); FP32 ORT evaluation %.2f s"
                 % (fp32["export"]["export_s"], fp32["export"]["export_opset"], fp32["export"]["convert_s"],
                    fp32["export"]["opset"], fp32["ort_evaluate_s"]))
    threads = [str(t) for t in report["settings"]["threads"]]
    repeats = report["settings"]["repeats"]
    if repeats > 1:
        lines.append("times: median of %d passes over the cells" % repeats)
    header = "%-30s %8s" % ("cell", "quant s") + "".join(" %8s %8s" % ("eval@" + t, "tot@" + t) for t in threads) \
        + " %7s %8s %7s %8s  %s" % ("lee", "cos", "fq lee", "fq cos", "error")
    lines.append(header)
    for row in report["cells"]:
        line = "%-30s %8.2f" % (row["id"], row["quantize_s"])
        first = None
        for t in threads:
            e = row.get("evaluations", {}).get(t)
            if e and "error" not in e:
                line += " %8.2f %8.2f" % (e["evaluate_s"], e["total_s"])
                first = first or e
            else:
                line += " %8s %8s" % ("-", "-")
        line += " %7.4f %8.5f" % (first["lee_pearson"], first["cosine_to_fp32"]) if first else " %7s %8s" % ("-", "-")
        fq = row.get("fake_quant")
        line += " %7.4f %8.5f" % (fq["lee_pearson"], fq["cosine_to_fp32"]) if fq else " %7s %8s" % ("-", "-")
        if "error" in row:
            line += "  %s: %s" % (row["error"]["phase"], row["error"]["message"].splitlines()[0][:160])
        lines.append(line)
    for t, total in report["totals"].items():
        lines.append("threads=%s: %d cells ok of %d: quantize %.1f s + evaluate %.1f s = %.1f s wall (%.1f s CPU)%s%s"
                     % (t, total["cells_ok"], total["cells"], total["quantize_s"], total["evaluate_s"], total["total_s"],
                        total["total_cpu_s"], " (sums of the medians)" if repeats > 1 else "",
                        "; failed cells took %.1f s" % total["failed_cells_s"] if total["failed"] else ""))
    env = report["environment"]
    lines.append("load average (1/5/15 min) at start %s, at end %s; %d cores"
                 % (fmt_load(env["load_average_start"]), fmt_load(env["load_average_end"]), env["cores"]))
    lines.append("wall time of the whole script: %.1f s (CPU %.1f s)" % (report["wall_s"], report["cpu_s"]))
    return "\n".join(lines)


def fmt_load(values):
    return "/".join("%.2f" % v for v in values) if values else "?"


def load():
    """The 1, 5 and 15 minute load averages (the machine may be shared)."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def main(argv=None):
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    load_start = load()
    args = parse_args(argv)
    cores = os.cpu_count() or 1
    thread_counts = [int(t) for t in args.threads.split(",")] if args.threads else sorted({1, cores})
    cells = select_cells(args.cells)
    if not cells:
        sys.exit("--cells %r matches no cell (ids look like kl/per-channel/int4)" % args.cells)
    logging.getLogger().setLevel(logging.ERROR)
    import onnxruntime as ort
    import torch

    ort.set_default_logger_severity(3)
    shared = quickstart()
    settings = {
        "threads": thread_counts,
        "calibration_count": args.calibration_count,
        "calibration_batch": args.calibration_batch,
        "calibration_stride": args.calibration_stride or None,
        "evaluation_batch": args.evaluation_batch,
        "percentile": None if args.ort_percentile_default else 99.99,
        "fp8_weight_type": args.fp8_weight_type,
        "fp8_disable_qdq_fusion": args.fp8_disable_qdq_fusion,
        "fake_quant": args.fake_quant,
        "activations": "QInt8, ActivationSymmetric=True (range [-127, 127], z = 0), per-tensor, static",
        "quant_format": "QDQ",
        "op_types_to_quantize": ["MatMul"],
        "placement": args.placement,
        "max_length": MAX_LENGTH,
        "repeats": args.repeats,
    }

    assets = find_assets(args.assets)
    model_dir = os.path.join(assets, "minilm")
    fixtures = load_module("make_text_fixtures", os.path.join(TEXT_FIXTURES, "make_text_fixtures.py"))
    corpora = load_corpora(assets, fixtures, args.calibration_count)
    _, evaluation_ids, calibration_ids, token_check = tokenize(model_dir, corpora)
    tokens = {"evaluation": evaluation_ids, "calibration": calibration_ids}

    model = load_torch_model(model_dir)
    torch.set_num_threads(max(thread_counts))
    start = time.perf_counter()
    with torch.no_grad():
        torch_e = embed(lambda ids, mask: model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy(),
                        evaluation_ids, args.evaluation_batch)
    torch_s = time.perf_counter() - start

    peers = load_module("minilm_peers", PEERS)
    peers.ERF[:] = peers.vectorized_erf()
    W = peers.load_safetensors(os.path.join(model_dir, "model.safetensors"))
    n_docs = corpora["documents"]
    numpy_docs = np.stack([peers.numpy_embed(W, np.array(ids, dtype=np.int64)) for ids in evaluation_ids[:n_docs]])
    numpy_lee = pearson(row_cosines(numpy_docs[[p[0] for p in corpora["document_pairs"]]],
                                    numpy_docs[[p[1] for p in corpora["document_pairs"]]]),
                        [p[2] for p in corpora["document_pairs"]])

    workdir_owner = None
    if args.keep_models:
        os.makedirs(args.keep_models, exist_ok=True)
        workdir = args.keep_models
    else:
        workdir_owner = tempfile.TemporaryDirectory(prefix="ort_minilm.")
        workdir = workdir_owner.name
    fp32_path = os.path.join(workdir, "minilm_fp32.onnx")
    export = export_onnx(model, fp32_path, export_opset=17, target_opset=21)
    linear, attention = matmul_nodes(fp32_path)
    fp32_sess = shared.session(fp32_path, max(thread_counts))
    start = time.perf_counter()
    reference = embed(run_fn(fp32_sess), evaluation_ids, args.evaluation_batch)
    fp32_eval_s = time.perf_counter() - start
    del fp32_sess
    lengths = [len(x) for x in evaluation_ids]
    fp32 = {
        "evaluation_texts": len(evaluation_ids),
        "documents": n_docs,
        "word_texts": {name: len({i for p in pairs for i in p[:2]}) for name, pairs in corpora["word_pairs"].items()},
        "polarity_sentences": len(corpora["polarity_rows"]),
        "evaluation_tokens": int(sum(lengths)),
        "evaluation_tokens_truncated_texts": int(sum(1 for n in lengths if n == MAX_LENGTH)),
        "calibration_documents": len(calibration_ids),
        "calibration_tokens": int(sum(len(x) for x in calibration_ids)),
        "tokenization_check": token_check,
        "ort": metrics(reference, None, corpora),
        "torch": metrics(torch_e, None, corpora),
        "numpy_reference_lee_pearson": numpy_lee,
        "quantbench_lee_pearson": OUR_FP32_LEE_PEARSON,
        "lee_pearson_matches_quantbench": round(metrics(reference, None, corpora)["lee_pearson"], 4) == OUR_FP32_LEE_PEARSON,
        "ort_vs_torch_min_cosine": float(row_cosines(reference, torch_e).min()),
        "ort_vs_numpy_min_cosine": float(row_cosines(reference[:n_docs], numpy_docs).min()),
        "ort_evaluate_s": fp32_eval_s,
        "torch_evaluate_s": torch_s,
        "export": export,
        "linear_matmuls": len(linear),
        "attention_matmuls_excluded": attention if args.placement != "all-matmul" else [],
    }

    passes = []
    for repeat in range(args.repeats):
        rows = []
        for cell in cells:
            print("pass %d/%d cell %-30s ..." % (repeat + 1, args.repeats, cell["id"]), file=sys.stderr, flush=True)
            captured = io.StringIO()
            real_stdout = sys.stdout
            sys.stdout = captured  # the quantizer prints notices; keep them out of the JSON on stdout
            try:
                rows.append(run_cell(cell, fp32_path, tokens, corpora, linear, attention, reference, settings, workdir,
                                     fake_quant=repeat == 0))
            finally:
                sys.stdout = real_stdout
            if captured.getvalue().strip():
                rows[-1]["printed"] = captured.getvalue().strip()[:2000]
            r = rows[-1]
            e = next(iter(r.get("evaluations", {}).values()), {})
            print("  quantize %.1f s, %s" % (r["quantize_s"], ", ".join(
                "eval@%s %.1f s" % (t, v.get("evaluate_s", float("nan"))) for t, v in r.get("evaluations", {}).items()))
                + (", lee %.4f cos %.5f" % (e["lee_pearson"], e["cosine_to_fp32"]) if "lee_pearson" in e else "")
                + (", error %s" % r["error"]["message"][:200] if "error" in r else ""), file=sys.stderr, flush=True)
        passes.append(rows)
    rows = merge_repeats(passes)

    report = {
        "benchmark": "ort_minilm",
        "grid": "Experiments/calibrator-sweep-minilm.md (activations int8, weights int8/int4/fp8-e4m3, per-tensor/per-channel)",
        "model": "minilm (all-MiniLM-L6-v2)",
        "environment": dict(shared.versions(), platform=platform.platform(), cores=cores,
                            ort_calibration_threads="ORT default (the calibration session is built inside quantize_static)"),
        "settings": settings,
        "omitted_calibrators": shared.OMITTED,
        "fp32": fp32,
        "cells": rows,
        "totals": shared.summarize(rows, thread_counts),
        "totals_per_pass": [shared.summarize(p, thread_counts) for p in passes],
        "kl_activation_scales_equal_minmax": kl_equals_minmax(rows),
    }
    report["wall_s"] = time.perf_counter() - wall_start
    report["cpu_s"] = time.process_time() - cpu_start
    report["environment"]["load_average_start"] = load_start
    report["environment"]["load_average_end"] = load()
    shared.write_report(report, render(report), args.output)
    if workdir_owner:
        workdir_owner.cleanup()


if __name__ == "__main__":
    main()
