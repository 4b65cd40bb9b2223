import PythonBridge
import QuantCore
@testable import QuantModels
import Testing

/// Whole models with random weights against numpy implementations written here from the
/// PyTorch / Hugging Face definitions, compared layer by layer through an ``ActivationRecorder``.
@Suite("Models against numpy", .tags(.python), .enabled(if: numpyReady, "needs python3-numpy (scripts/setup installs it)"))
struct ModelReferenceTests {
    static let tiny = BertConfiguration(
        hidden: 16, layers: 2, heads: 4, intermediate: 32, vocabulary: 50, maxPositions: 20, tokenTypes: 2, layerNormEps: 1e-12)

    /// Random weights with every name and shape a BERT checkpoint of `c` has (plus the unused extras).
    static func bertWeights(_ c: BertConfiguration) throws -> [String: Tensor] {
        var shapes: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [c.vocabulary, c.hidden]),
            ("embeddings.position_embeddings.weight", [c.maxPositions, c.hidden]),
            ("embeddings.token_type_embeddings.weight", [c.tokenTypes, c.hidden]),
            ("embeddings.LayerNorm.weight", [c.hidden]), ("embeddings.LayerNorm.bias", [c.hidden]),
            ("pooler.dense.weight", [c.hidden, c.hidden]),
        ]
        for l in 0..<c.layers {
            let p = "encoder.layer.\(l)."
            for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                shapes += [(p + name + ".weight", [c.hidden, c.hidden]), (p + name + ".bias", [c.hidden])]
            }
            shapes += [
                (p + "intermediate.dense.weight", [c.intermediate, c.hidden]), (p + "intermediate.dense.bias", [c.intermediate]),
                (p + "output.dense.weight", [c.hidden, c.intermediate]), (p + "output.dense.bias", [c.hidden]),
            ]
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                shapes += [(p + norm + ".weight", [c.hidden]), (p + norm + ".bias", [c.hidden])]
            }
        }
        var weights: [String: Tensor] = [:]
        for (index, (name, shape)) in shapes.enumerated() {
            var values = randomValues(shape.reduce(1, *), seed: UInt64(100 + index), scale: 0.5)
            if name.hasSuffix("LayerNorm.weight") { values = values.map { 1 + $0 } }
            weights[name] = try Tensor(name: name, shape: shape, values: values)
        }
        return weights
    }

    static let bertCode = """
        def ln(x, g, b):
            mu = x.mean(-1, keepdims=True); var = ((x - mu) ** 2).mean(-1, keepdims=True)
            return (x - mu) / np.sqrt(var + 1e-12) * g + b
        def lin(x, name):
            return x @ W[name + '.weight'].T + W[name + '.bias']
        erf = np.vectorize(math.erf)
        H, heads, layers = [int(v) for v in dims]; d = H // heads
        states = {}
        for s, (start, end) in enumerate(bounds.astype(int)):
            idx = ids[start:end].astype(int)
            x = W['embeddings.word_embeddings.weight'][idx] + W['embeddings.position_embeddings.weight'][:len(idx)] + W['embeddings.token_type_embeddings.weight'][0]
            x = ln(x, W['embeddings.LayerNorm.weight'], W['embeddings.LayerNorm.bias'])
            states.setdefault('emb', []).append(x)
            for l in range(layers):
                p = 'encoder.layer.%d.' % l
                q, k, v = [lin(x, p + 'attention.self.' + n).reshape(len(idx), heads, d).transpose(1, 0, 2) for n in ('query', 'key', 'value')]
                sc = q @ k.transpose(0, 2, 1) / math.sqrt(d)
                sc = np.exp(sc - sc.max(-1, keepdims=True)); sc /= sc.sum(-1, keepdims=True)
                ctx = (sc @ v).transpose(1, 0, 2).reshape(len(idx), H)
                a = ln(lin(ctx, p + 'attention.output.dense') + x, W[p + 'attention.output.LayerNorm.weight'], W[p + 'attention.output.LayerNorm.bias'])
                i = lin(a, p + 'intermediate.dense'); i = 0.5 * i * (1 + erf(i / math.sqrt(2)))
                x = ln(lin(i, p + 'output.dense') + a, W[p + 'output.LayerNorm.weight'], W[p + 'output.LayerNorm.bias'])
                states.setdefault(l, []).append(x)
            m = x.mean(0); states.setdefault('pooled', []).append(m / max(np.linalg.norm(m), 1e-12))
        out['emb'] = np.concatenate(states['emb'])
        for l in range(layers): out['layer%d' % l] = np.concatenate(states[l])
        out['pooled'] = np.stack(states['pooled'])
        """

    @Test("a 2-layer BERT on three packed sequences matches numpy at every block")
    func bert() throws {
        let weights = try Self.bertWeights(Self.tiny)
        let embedder = try SentenceEmbedder(weights: weights, source: "random", configuration: Self.tiny)
        let batch = TokenBatch([[1, 7, 49, 3, 2], [1, 11, 2], [1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 2]])
        let recorder = ActivationRecorder()
        let pooled = try embedder.embed(batch, context: ForwardContext(hooks: [recorder]))
        var inputs: [String: ([Int], [Float])] = [
            "dims": ([3], [16, 4, 2]),
            "ids": ([batch.tokenCount], batch.ids.map(Float.init)),
            "bounds": ([batch.sequences.count, 2], batch.sequences.flatMap { [Float($0.lowerBound), Float($0.upperBound)] }),
        ]
        let setup = weights.keys.sorted().enumerated().map { "W['\($1)'] = w\($0).astype(np.float64)" }.joined(separator: "\n")
        for (index, name) in weights.keys.sorted().enumerated() { inputs["w\(index)"] = (weights[name]!.shape, weights[name]!.values) }
        let reference = try numpyReference("W = {}\n" + setup + "\n" + Self.bertCode, inputs: inputs)
        let sites = ["emb": "embeddings.LayerNorm.output", "layer0": "encoder.layer.0.output.LayerNorm.output",
                     "layer1": "encoder.layer.1.output.LayerNorm.output"]
        for (key, site) in sites {
            let recorded = try #require(recorder.values(at: site), "no activation recorded at \(site)")
            #expect(recorded.shape == [batch.tokenCount, 16])
            #expect(relativeError(recorded.values, reference[key]!.values) < 1e-5, "\(site)")
        }
        #expect(relativeError(pooled, reference["pooled"]!.values) < 1e-5)
        // Without hooks the query, key and value projections run as one stacked GEMM.
        #expect(relativeError(try embedder.embed(batch), reference["pooled"]!.values) < 1e-5)
    }

    /// The real all-MiniLM-L6-v2 weights on two documents, every block against numpy.
    @Test("MiniLM with its real weights matches numpy at every block")
    func miniLMRealWeights() throws {
        let weights = try ModelZoo.loadAll(try AssetStore.default.require(asset: "minilm", file: "model.safetensors"))
        let embedder = try SentenceEmbedder(weights: weights, source: "minilm")
        let batch = TokenBatch([[101, 1996, 4633, 2003, 8403, 2651, 1012, 102], [101, 2002, 5225, 2000, 1996, 3346, 1012, 102]])
        let recorder = ActivationRecorder()
        let pooled = try embedder.embed(batch, context: ForwardContext(hooks: [recorder]))
        var inputs: [String: ([Int], [Float])] = [
            "dims": ([3], [384, 12, 6]), "ids": ([batch.tokenCount], batch.ids.map(Float.init)),
            "bounds": ([2, 2], batch.sequences.flatMap { [Float($0.lowerBound), Float($0.upperBound)] }),
        ]
        let names = weights.keys.filter { !$0.hasPrefix("pooler") && $0 != "embeddings.position_ids" }.sorted()
        for (index, name) in names.enumerated() { inputs["w\(index)"] = (weights[name]!.shape, weights[name]!.values) }
        let setup = names.enumerated().map { "W['\($1)'] = w\($0).astype(np.float64)" }.joined(separator: "\n")
        let reference = try numpyReference("W = {}\n" + setup + "\n" + Self.bertCode, inputs: inputs)
        for layer in 0..<6 {
            let recorded = try #require(recorder.values(at: "encoder.layer.\(layer).output.LayerNorm.output"))
            #expect(relativeError(recorded.values, reference["layer\(layer)"]!.values) < 1e-4, "block \(layer)")
        }
        #expect(relativeError(pooled, reference["pooled"]!.values) < 1e-4)
    }

    @Test("DigitsCNN with random weights matches numpy at every layer")
    func digitsCNN() throws {
        let shapes: [(String, [Int])] = [
            ("conv_layers.0.weight", [32, 1, 3, 3]), ("conv_layers.0.bias", [32]), ("conv_layers.3.weight", [64, 32, 3, 3]),
            ("conv_layers.3.bias", [64]), ("conv_layers.6.weight", [128, 64, 3, 3]), ("conv_layers.6.bias", [128]),
            ("fc_layers.0.weight", [256, 1152]), ("fc_layers.0.bias", [256]), ("fc_layers.2.weight", [10, 256]), ("fc_layers.2.bias", [10]),
        ]
        var weights: [String: Tensor] = [:]
        var inputs: [String: ([Int], [Float])] = [:]
        for (index, (name, shape)) in shapes.enumerated() {
            let values = randomValues(shape.reduce(1, *), seed: UInt64(200 + index), scale: 0.2)
            weights[name] = try Tensor(name: name, shape: shape, values: values)
            inputs["w\(index)"] = (shape, values)
        }
        let model = try DigitsCNN(weights: weights, source: "random")
        let images = randomValues(3 * 28 * 28, seed: 7, scale: 2)
        inputs["x"] = ([3, 1, 28, 28], images)
        let recorder = ActivationRecorder()
        let logits = try model.logits(images, batch: 3, context: ForwardContext(hooks: [recorder]))
        let reference = try numpyReference("""
            def conv(x, w, b):
                n, c, h, wd = x.shape
                xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
                y = np.zeros((n, w.shape[0], h, wd))
                for ky in range(3):
                    for kx in range(3):
                        y += np.einsum('nchw,oc->nohw', xp[:, :, ky:ky + h, kx:kx + wd], w[:, :, ky, kx])
                return y + b[None, :, None, None]
            def pool(x):
                n, c, h, w = x.shape; o = h // 2
                return x[:, :, :2 * o, :2 * o].reshape(n, c, o, 2, o, 2).max(axis=(3, 5))
            x = x.astype(np.float64)
            for i, (w, b) in enumerate([(w0, w1), (w2, w3), (w4, w5)]):
                x = conv(x, w.astype(np.float64), b.astype(np.float64)); out['conv%d' % i] = x
                x = pool(np.maximum(x, 0))
            x = x.reshape(x.shape[0], -1) @ w6.T.astype(np.float64) + w7; out['fc0'] = x
            out['logits'] = np.maximum(x, 0) @ w8.T.astype(np.float64) + w9
            """, inputs: inputs)
        for (key, site) in [("conv0", "conv_layers.0.output"), ("conv1", "conv_layers.3.output"), ("conv2", "conv_layers.6.output"), ("fc0", "fc_layers.0.output")] {
            let recorded = try #require(recorder.values(at: site))
            #expect(relativeError(recorded.values, reference[key]!.values) < 1e-5, "\(site)")
        }
        #expect(relativeError(logits, reference["logits"]!.values) < 1e-5)
        #expect(model.activationSites.map(\.name).first == "conv_layers.0.input")
    }

    @Test("a checkpoint that does not fit is refused with every mismatch listed")
    func mismatchedWeights() throws {
        var weights = try Self.bertWeights(Self.tiny)
        weights["encoder.layer.1.intermediate.dense.weight"] = try Tensor(name: "x", shape: [8, 16], values: .init(repeating: 0, count: 128))
        weights["encoder.layer.0.output.dense.bias"] = nil
        weights["classifier.weight"] = try Tensor(name: "c", shape: [2], values: [0, 0])
        let error = #expect(throws: ModelError.self) { try SentenceEmbedder(weights: weights, source: "bad.safetensors", configuration: Self.tiny) }
        guard case let .weightsDoNotMatch(model, source, problems) = error else { return }
        #expect(model == "minilm" && source == "bad.safetensors")
        #expect(problems == [
            "missing encoder.layer.0.output.dense.bias [16]",
            "encoder.layer.1.intermediate.dense.weight is [8, 16], expected [32, 16]",
            "unexpected classifier.weight [2]",
        ])
        #expect("\(error!)".contains("3 problem(s)"))
    }
}
