#!/usr/bin/env python3
"""Peers for `quantbench bench-model minilm`: the same all-MiniLM-L6-v2 weights and the same
token ids run by (1) a numpy implementation and (2) ONNX Runtime on a graph exported from an
equivalent PyTorch module. Prints one JSON object with tokens/s per peer and the embeddings'
agreement with the first peer, so the caller can check that every engine computes the same thing.

Usage: minilm_peers.py WEIGHTS.safetensors IDS.json --repeats 3 --threads 2 [--no-ort]
IDS.json holds a list of token-id lists ([CLS] ... [SEP]). numpy is required; ONNX Runtime,
torch and onnx are used when importable (a venv made with
`/usr/bin/python3 -m venv --system-site-packages DIR && DIR/bin/pip install onnxruntime`).
"""
import argparse, json, math, os, struct, sys, tempfile, time

def load_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    kinds = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=kinds[meta["dtype"]]).reshape(meta["shape"])
    return out

def vectorized_erf():
    """scipy.special.erf when SciPy is importable (what a numpy user would call), else math.erf."""
    import numpy as np
    try:
        from scipy.special import erf
        return erf, "scipy.special.erf"
    except ImportError:
        return np.vectorize(math.erf, otypes=[np.float32]), "numpy.vectorize(math.erf)"

ERF = [None, None]

def numpy_embed(W, ids, heads=12, layers=6, eps=1e-12):
    import numpy as np
    erf = ERF[0]
    def ln(x, p):
        mu = x.mean(-1, keepdims=True); var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + eps) * W[p + ".weight"] + W[p + ".bias"]
    def lin(x, p):
        return x @ W[p + ".weight"].T + W[p + ".bias"]
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:len(ids)] \
        + W["embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "embeddings.LayerNorm")
    t, h = x.shape; d = h // heads
    for l in range(layers):
        p = "encoder.layer.%d." % l
        q, k, v = [lin(x, p + "attention.self." + n).reshape(t, heads, d).transpose(1, 0, 2) for n in ("query", "key", "value")]
        s = q @ k.transpose(0, 2, 1) / np.float32(math.sqrt(d))
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(t, h)
        a = ln(lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        i = lin(a, p + "intermediate.dense")
        i = 0.5 * i * (1 + erf(i / np.float32(math.sqrt(2))))
        x = ln(lin(i, p + "output.dense") + a, p + "output.LayerNorm")
    m = x.mean(0)
    return m / max(np.linalg.norm(m), 1e-12)

def export_onnx(W, path, heads=12, layers=6):
    import torch
    class Encoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = {k: torch.from_numpy(v.copy()) for k, v in W.items() if v.dtype.kind == "f"}
        def forward(self, ids):
            w = self.w; t = ids.shape[1]; h = w["embeddings.LayerNorm.weight"].shape[0]; d = h // heads
            ln = lambda x, p: torch.nn.functional.layer_norm(x, (h,), w[p + ".weight"], w[p + ".bias"], 1e-12)
            lin = lambda x, p: torch.nn.functional.linear(x, w[p + ".weight"], w[p + ".bias"])
            pos = torch.arange(t).unsqueeze(0)
            x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][pos] \
                + w["embeddings.token_type_embeddings.weight"][0]
            x = ln(x, "embeddings.LayerNorm")
            for l in range(layers):
                p = "encoder.layer.%d." % l
                q, k, v = [lin(x, p + "attention.self." + n).reshape(1, -1, heads, d).transpose(1, 2) for n in ("query", "key", "value")]
                s = torch.softmax(q @ k.transpose(-1, -2) * (1.0 / math.sqrt(d)), -1)
                ctx = (s @ v).transpose(1, 2).reshape(1, -1, h)
                a = ln(lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
                i = torch.nn.functional.gelu(lin(a, p + "intermediate.dense"))
                x = ln(lin(i, p + "output.dense") + a, p + "output.LayerNorm")
            m = x.mean(1)
            return m / m.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    torch.onnx.export(Encoder(), torch.tensor([[101, 2023, 102]]), path, input_names=["ids"], output_names=["embedding"],
                      dynamic_axes={"ids": {1: "tokens"}}, opset_version=14)

def timed(run, sequences, repeats):
    best, outputs = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        outputs = [run(s) for s in sequences]
        best = min(best, time.perf_counter() - start)
    return best, outputs

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("weights"); parser.add_argument("ids")
    parser.add_argument("--repeats", type=int, default=3); parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-ort", action="store_true")
    args = parser.parse_args()
    import numpy as np
    W = load_safetensors(args.weights)
    ERF[:] = vectorized_erf()
    sequences = [np.array(s, dtype=np.int64) for s in json.load(open(args.ids))]
    tokens = sum(len(s) for s in sequences)
    result = {"tokens": tokens, "sequences": len(sequences), "numpy_version": np.__version__}
    seconds, numpy_out = timed(lambda s: numpy_embed(W, s), sequences, args.repeats)
    result["numpy"] = {"seconds": seconds, "tokens_per_second": tokens / seconds, "erf": ERF[1]}
    result["embeddings"] = [e.astype(float).tolist() for e in numpy_out]
    if not args.no_ort:
        try:
            import onnxruntime as ort
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "minilm.onnx")
                export_onnx(W, path)
                options = ort.SessionOptions()
                options.intra_op_num_threads = args.threads; options.inter_op_num_threads = 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
                run = lambda s: session.run(None, {"ids": s[None, :]})[0][0]
                run(sequences[0])
                seconds, ort_out = timed(run, sequences, args.repeats)
            agreement = min(float(np.dot(a, b)) for a, b in zip(numpy_out, ort_out))
            result["onnxruntime"] = {"seconds": seconds, "tokens_per_second": tokens / seconds, "version": ort.__version__,
                                     "threads": args.threads, "min_cosine_to_numpy": agreement}
        except ImportError as error:
            result["onnxruntime"] = {"unavailable": str(error)}
    json.dump(result, sys.stdout)

if __name__ == "__main__":
    main()
